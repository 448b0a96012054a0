package scenario

import (
	"context"
	"testing"
)

// TestRunStatsAreMeasure checks that the statistics Run takes from the
// oracle's pass over the workload are, bit for bit, those of Measure's own
// pass (the reference: a plain sum and maximum of the steps in order),
// whether the policies run beside the oracle (they read only the first
// step) or after it (a fixed fleet sized at the peak reads them all).
func TestRunStatsAreMeasure(t *testing.T) {
	for _, tc := range []struct{ name, doc string }{
		{"hpa beside the oracle", `
horizon: 6h
box: {latency: 200ms, price: $0.10/h, boot: 90s}
workload:
  noise:
    sigma: 0.05
    interval: 1m
    of:
      sum:
        - daily: {mean: 60/s, ratio: 4, peak: "15:00"}
        - burst: {start: "02:00", duration: 20m, height: 120/s}
policies: [{hpa: {}}]
`},
		{"fixed at the peak after the oracle", `
horizon: 6h
step: 8s
box: {latency: 200ms, price: $0.10/h, boot: 90s}
workload: {daily: {mean: 60/s, ratio: 4, peak: "03:00"}}
policies: [{name: peak, fixed: {at: peak}}, {name: mean, fixed: {at: mean}}]
`},
		{"events engine", `
horizon: 2h
engine: events
box: {latency: 200ms, price: $0.10/h, boot: 90s}
jobs: {queue: unbounded}
workload: {daily: {mean: 20/s, ratio: 2, peak: "01:00"}}
policies: [{target: {utilization: 0.7}}]
`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sc, err := Parse([]byte(tc.doc), "stats.yaml")
			if err != nil {
				t.Fatal(err)
			}
			out, err := sc.Run(context.Background(), Options{Workers: 1})
			if err != nil {
				t.Fatal(err)
			}
			if want := sc.Measure(); out.Stats != want {
				t.Errorf("Run's stats %+v, Measure's %+v", out.Stats, want)
			}
			if out.Stats.Jobs == 0 || out.Stats.Peak <= out.Stats.Mean {
				t.Errorf("stats %+v: an empty or flat workload tests nothing", out.Stats)
			}
		})
	}
}
