package scenario

import (
	"context"
	"errors"
	"runtime"
	"testing"

	"github.com/boxes-project/boxes/internal/heappeak"
)

// TestCost checks the resource model on the hostile cases and on
// the runs the CLI documents: the estimate must refuse the first before
// anything is allocated and admit the second under the CLI's defaults.
func TestCost(t *testing.T) {
	const gib = 1 << 30
	cli := Budget{Memory: 8 * gib, Work: 1e11} // cmd/boxes simulate's defaults
	server := Budget{Memory: 192 << 20, Work: 5e7}
	for _, c := range []struct {
		name, doc string
		budget    Budget
		limit     string // "" admitted
	}{
		// F6: a fixed box with an unbounded queue at 231/s over a day: the
		// queue grows by 226 jobs a second, 19.5 million by the end, about
		// 1.9 GB held; the server's budget refuses it.
		{"F6 unbounded queue", "horizon: 24h\nengine: events\njobs: {queue: unbounded}\nworkload: {constant: 231/s}\npolicies: [{fixed: {capacity: 1}}]\n", server, "memory"},
		// The same with a deadline of a minute holds 231 × 60 jobs at most.
		{"F6 with a deadline", "horizon: 24h\nengine: events\njobs: {queue: {kind: unbounded, deadline: 1m}}\nworkload: {constant: 231/s}\npolicies: [{fixed: {capacity: 1}}]\n", Budget{Memory: 192 << 20}, ""},
		// A fleet that keeps up holds a short queue: 231/s on 60 boxes of 200 ms.
		{"queue that drains", "horizon: 1h\nengine: events\njobs: {queue: unbounded}\nworkload: {constant: 231/s}\npolicies: [{fixed: {capacity: 60}}]\n", server, ""},
		// F1's shape at the smallest step the schema allows (1 ms; F1's 1 ns
		// is refused by the schema): the HPA's 30 s lookback is 30,002 slots
		// of history, 2.4 MB; 600,000 steps × 2 runs is well within budget.
		{"HPA at 1 ms", "horizon: 10m\nstep: 1ms\nworkload: {constant: 10/s}\npolicies: [{hpa: {target: 0.7, min: 1, max: 100}}]\n", server, ""},
		// The CLI's documented big runs: a year at 1 s on the fluid engine...
		{"a year at 1 s", "horizon: 8760h\nworkload: {constant: 10/s}\npolicies: [{hpa: {}}, {fixed: {capacity: 3}}]\n", cli, ""},
		// ...and a billion jobs on the per-job engine (11,574/s for a day).
		{"1e9 jobs", "horizon: 24h\nengine: events\nworkload: {constant: 11574/s}\npolicies: [{fixed: {capacity: 3000}}]\n", cli, ""},
		// Absurd: ten thousand replications of a billion jobs.
		{"1e13 jobs", "horizon: 24h\nengine: events\nreplications: 10000\nworkload: {constant: 11574/s}\npolicies: [{fixed: {capacity: 3000}}]\n", cli, "work"},
	} {
		t.Run(c.name, func(t *testing.T) {
			sc, err := Parse([]byte(c.doc), "budget.yaml")
			if err != nil {
				t.Fatal(err)
			}
			cost := sc.Cost(1)
			err = c.budget.Check(cost)
			var be *BudgetError
			switch {
			case c.limit == "" && err != nil:
				t.Errorf("refused: %v (cost %+v)", err, cost)
			case c.limit != "" && !errors.As(err, &be):
				t.Errorf("admitted, want refused over %s (cost %+v)", c.limit, cost)
			case c.limit != "" && be.Limit != c.limit:
				t.Errorf("refused over %s, want %s: %v", be.Limit, c.limit, err)
			}
		})
	}
}

// TestCostBoundsTheRun: the estimate is an upper bound on what a run
// holds, within a small factor: the heap's peak above its level before the
// run (runtime/metrics, sampled every millisecond) is at most Cost.Memory
// and at least a quarter of it for the runs dominated by one term.
func TestCostBoundsTheRun(t *testing.T) {
	for _, c := range []struct {
		name, doc string
		tight     bool // one term dominates: the estimate within ×4
	}{
		// The queue: one box against 231/s for 20 minutes holds up to
		// 271,000 jobs.
		{"queue", "horizon: 20m\nengine: events\njobs: {queue: unbounded}\nworkload: {constant: 231/s}\npolicies: [{fixed: {capacity: 1}}]\n", true},
		// The history: an HPA's lookback at 1 ms steps.
		{"history", "horizon: 10m\nstep: 1ms\nworkload: {constant: 10/s}\npolicies: [{hpa: {}}]\n", false},
		// The series: a million points a series, three policies.
		{"series", "horizon: 24h\npoints: 100000\nworkload: {preset: daily}\npolicies: [{fixed: {capacity: 30}}, {hpa: {}}, {serverless: {}}]\n", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			sc, err := Parse([]byte(c.doc), "cost.yaml")
			if err != nil {
				t.Fatal(err)
			}
			cost := sc.Cost(1)
			stop := heappeak.Watch()
			out, err := sc.Run(context.Background(), Options{Workers: 1})
			peak := stop()
			if err != nil {
				t.Fatal(err)
			}
			runtime.KeepAlive(out)
			if float64(peak) > cost.Memory || c.tight && float64(peak) < cost.Memory/4 {
				t.Errorf("the run's heap peaked at +%.1f MiB; the estimate is %.1f MiB", float64(peak)/(1<<20), cost.Memory/(1<<20))
			}
			t.Logf("heap peak +%.1f MiB, estimate %.1f MiB (%+v)", float64(peak)/(1<<20), cost.Memory/(1<<20), cost)
		})
	}
}
