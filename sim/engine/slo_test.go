package engine

import (
	"math"
	"slices"
	"testing"
	"time"

	"github.com/boxes-project/boxes"
	"github.com/boxes-project/boxes/sim"
)

func ptr[T any](x T) *T { return &x }

// TestEvaluate judges hand-made results: the expected shares are the
// counts divided by hand (unserved / arrived, late / served), and with
// replications the mean plus the 95% half-width.
func TestEvaluate(t *testing.T) {
	full := sim.SLO{MaxMissed: 0.001, MaxLate: ptr(0.01), LateAfter: ptr(500 * time.Millisecond), MaxP99Wait: ptr(200 * time.Millisecond)}
	events := func(missed, late, p99 float64) *sim.Result {
		return &sim.Result{Engine: "events", Cost: 10, Jobs: sim.Jobs{Arrived: 10000, Served: 10000 - missed, Missed: missed, Late: late},
			Queueing: &sim.Queueing{Wait: sim.Times{P99: p99}}}
	}
	tests := []struct {
		name       string
		r          *sim.Result
		slo        sim.SLO
		met        bool
		missed     float64
		failed     []string
		unmeasured []string
	}{
		// 10 of 10,000 unserved is exactly 0.1%: met (at most).
		{"met at the limit", events(10, 0, 0.1), full, true, 0.001, nil, nil},
		// 11 of 10,000 = 0.11% > 0.1%.
		{"missed", events(11, 0, 0.1), full, false, 0.0011, []string{sim.ClauseMissed}, nil},
		// 150 late of 9,990 served = 1.5% > 1%; p99 wait 0.3 s > 0.2 s.
		{"late and slow", events(10, 150, 0.3), full, false, 0.001, []string{sim.ClauseLate, sim.ClauseP99Wait}, nil},
		// The fluid engine does not time jobs: those clauses are unmeasured, not failed.
		{"fluid", &sim.Result{Engine: "fluid", Cost: 10, Jobs: sim.Jobs{Arrived: 1000, Served: 1000}}, full, true, 0, nil, []string{sim.ClauseLate, sim.ClauseP99Wait}},
		// Timed out and lost count as unserved: (2 + 3 + 5) / 1000 = 1%.
		{"fates", &sim.Result{Engine: "events", Jobs: sim.Jobs{Arrived: 1000, Served: 990, Missed: 2, TimedOut: 3, Lost: 5}, Queueing: &sim.Queueing{}},
			sim.DefaultSLO(), false, 0.01, []string{sim.ClauseMissed}, nil},
		// Replications: 8 ± 4 of 10,000 → upper bound 12 / 10,000 = 0.12% > 0.1%,
		// though the mean 0.08% is within it.
		{"upper bound", func() *sim.Result {
			r := events(8, 0, 0.1)
			r.Replications, r.CI = 10, &sim.Intervals{Missed: 4}
			return r
		}(), sim.DefaultSLO(), false, 0.0012, []string{sim.ClauseMissed}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := sim.Evaluate(tt.r, tt.slo)
			if s.Met != tt.met || math.Abs(s.Missed-tt.missed) > 1e-12 || !slices.Equal(s.Failed, tt.failed) || !slices.Equal(s.Unmeasured, tt.unmeasured) {
				t.Errorf("got met %v missed %g failed %v unmeasured %v; want %v %g %v %v", s.Met, s.Missed, s.Failed, s.Unmeasured, tt.met, tt.missed, tt.failed, tt.unmeasured)
			}
		})
	}
}

// TestEvaluateJobCost: 10 unserved at $0.50 and 20 late at $0.10 add $7
// to the $10 of boxes.
func TestEvaluateJobCost(t *testing.T) {
	o := sim.DefaultSLO()
	o.MissedJobCost = boxes.Price{Amount: 0.5, Unit: boxes.PerRequest}
	o.LateJobCost = boxes.Price{Amount: 0.1, Unit: boxes.PerRequest}
	r := &sim.Result{Engine: "events", Cost: 10, Jobs: sim.Jobs{Arrived: 1000, Served: 990, Missed: 10, Late: 20}, Queueing: &sim.Queueing{}}
	s := sim.Evaluate(r, o)
	if math.Abs(s.JobCost-7) > 1e-9 || math.Abs(s.TotalCost-17) > 1e-9 {
		t.Errorf("job cost %g total %g, want 7 and 17", s.JobCost, s.TotalCost)
	}
}

// TestJudge: a cheap policy that fails is ranked after a dearer one that
// meets the objective, and the verdict names the cheapest that meets it.
func TestJudge(t *testing.T) {
	run := func(name string, cost, missed float64) sim.PolicyResult {
		return sim.PolicyResult{Name: name, Result: &sim.Result{Engine: "fluid", Cost: cost, Jobs: sim.Jobs{Arrived: 1000, Served: 1000 - missed, Missed: missed}}}
	}
	out := &sim.Outcome{SLO: sim.DefaultSLO(), Oracle: &sim.Result{Cost: 5},
		Runs: []sim.PolicyResult{run("cheap-fails", 2, 700), run("dear", 20, 0), run("fair", 8, 1)}}
	v := sim.Judge(out)
	names := []string{}
	for _, r := range v.Ranking {
		names = append(names, r.Name)
	}
	if v.Policy != "fair" || !slices.Equal(names, []string{"fair", "dear", "cheap-fails"}) {
		t.Errorf("verdict %q ranking %v; want fair, [fair dear cheap-fails]", v.Policy, names)
	}
	out.SLO.MaxMissed = 0
	out.Runs = out.Runs[:1]
	if v := sim.Judge(out); v.Policy != "" {
		t.Errorf("verdict %q with no policy meeting it, want none", v.Policy)
	}
}
