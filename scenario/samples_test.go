package scenario

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"testing"

	"github.com/boxes-project/boxes/report"
)

// sharingCases are scenarios whose runs read the workload in every way the
// engines do: the default day (noise over a daily cycle and a burst, four
// policies and the oracle on the fluid engine), the per-job engine with
// replications and a queue, Poisson counts on the fluid engine, and a
// trace.
var sharingCases = []struct {
	name, doc string
	shared    bool // whether Run records the workload once
}{
	{"default day", string(defaultYAML), true},
	{"events, replications, queue", `
horizon: 2h
engine: events
replications: 3
seed: 11
jobs: {latency: {distribution: exponential}, queue: unbounded}
workload: {noise: {sigma: 0.2, interval: 1m, of: {daily: {mean: 30/s, ratio: 3, peak: "01:00"}}}}
policies: [{name: hpa, hpa: {target: 0.6}}, {name: fixed, fixed: {capacity: 8}}, {name: sls, serverless: {}}]
`, true},
	{"poisson on the fluid engine", `
horizon: 6h
step: 250ms
seed: 5
workload: {poisson: {of: {sum: [{constant: 10/s}, {burst: {start: "01:00", duration: 30m, height: 40/s}}]}}}
policies: [{name: hpa, hpa: {}}, {name: sls, serverless: {}}]
`, true},
	// The per-job engine draws its own arrivals from a Poisson curve's
	// mean: the runs sample the workload themselves.
	{"poisson on the events engine", `
horizon: 1h
engine: events
workload: {poisson: {of: {constant: 10/s}}}
policies: [{name: hpa, hpa: {}}]
`, false},
	// A job log on the per-job engine: the runs replay its arrival times;
	// the oracle, the serverless platform and Measure read the workload.
	{"job log on the events engine", `
horizon: 2m
engine: events
workload: {trace: {file: jobs.csv, data: "time\n0.5\n1.25\n1.5\n7\n30.5\n31\n31.5\n64\n90\n119\n", layout: jobs}}
policies: [{name: hpa, hpa: {}}, {name: sls, serverless: {}}]
`, true},
	{"trace", `
horizon: 1h
workload: {trace: {file: t.csv, data: "time,rate\n0,5\n600,20\n1800,8\n", loop: true, interpolation: linear}}
policies: [{name: hpa, hpa: {}}, {name: peak, fixed: {utilization: 0.8, at: peak}}]
`, true},
}

// TestSharedSamplesSameBytes: a scenario run with its workload read once
// for every run gives the same bytes as one whose every run samples the
// workload itself (the way Run worked before it shared), and the same
// Stats to the bit.
func TestSharedSamplesSameBytes(t *testing.T) {
	ctx := context.Background()
	for _, c := range sharingCases {
		t.Run(c.name, func(t *testing.T) {
			sc, err := Parse([]byte(c.doc), "share.yaml")
			if err != nil {
				t.Fatal(err)
			}
			own := sc.WithoutSharing()
			if smp := sc.Sample(); (smp != nil) != c.shared {
				t.Fatalf("Sample() = %v, want shared %v", smp, c.shared)
			} else if smp != nil {
				if got, want := smp.stats, own.Measure(); got != want {
					t.Errorf("the samples' Stats %+v, measured without them %+v", got, want)
				}
				if smp.Bytes() != 8*sc.steps() {
					t.Errorf("Bytes() = %d, want 8 × %d steps", smp.Bytes(), sc.steps())
				}
			}
			var got, want []byte
			for _, r := range []struct {
				sc  *Scenario
				out *[]byte
			}{{sc, &got}, {own, &want}} {
				o, err := r.sc.Run(ctx, Options{Workers: 2})
				if err != nil {
					t.Fatal(err)
				}
				if *r.out, err = json.Marshal(report.NewSimulationJSON(o, true)); err != nil {
					t.Fatal(err)
				}
			}
			if !bytes.Equal(got, want) {
				t.Errorf("shared and unshared runs differ:\nshared   %.400s\nunshared %.400s", got, want)
			}
		})
	}
}

// TestSharedSamplesCost: Cost counts the 8 bytes a step Run holds for the
// shared workload, and nothing when it is not shared.
func TestSharedSamplesCost(t *testing.T) {
	for _, c := range sharingCases {
		sc, err := Parse([]byte(c.doc), "share.yaml")
		if err != nil {
			t.Fatal(err)
		}
		own := sc.WithoutSharing()
		want := 0.0
		if c.shared {
			want = 8 * float64(sc.steps())
		}
		if d := sc.Cost(1).Memory - own.Cost(1).Memory; d != want {
			t.Errorf("%s: Cost's memory with sharing is %g bytes above without, want %g", c.name, d, want)
		}
	}
}

// TestSharedSamplesBound: a workload longer than MaxSharedSteps is not
// recorded (a year at 1 s is 31,536,000 steps, 240 MiB), and WithSamples
// refuses samples of another step or horizon.
func TestSharedSamplesBound(t *testing.T) {
	year, err := Parse([]byte("horizon: 8760h\nworkload: {constant: 1/s}\npolicies: [{fixed: {capacity: 1}}]\n"), "year.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if year.steps() != 31_536_000 || year.Sample() != nil {
		t.Errorf("a year at 1 s (%d steps): Sample() = %v, want nil", year.steps(), year.Sample())
	}
	if got := year.sharedBytes(); got != 0 {
		t.Errorf("a year at 1 s: sharedBytes = %g, want 0", got)
	}
	day, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	hour, err := Parse([]byte("horizon: 1h\nworkload: {constant: 1/s}\npolicies: [{fixed: {capacity: 1}}]\n"), "hour.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := hour.WithSamples(day.Sample()); err == nil {
		t.Error("an hour took the samples of a day")
	}
	if st := day.Sample().stats; !(st.Peak > 0) || math.IsNaN(st.Mean) {
		t.Errorf("the default day's Stats %+v", st)
	}
}
