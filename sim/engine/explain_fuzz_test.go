package engine

import (
	"math"
	"slices"
	"testing"

	"github.com/boxes-project/boxes/policy"
	"github.com/boxes-project/boxes/sim"
)

// explained wraps run's policy in a decision log when it explains its
// decisions (every scaler but fixed and scheduled capacity), as a
// scenario does, for checkLimits.
func explained(run policy.Run) (policy.Run, *sim.DecisionLog) {
	log := sim.NewDecisionLog(run.Policy)
	if _, ok := run.Policy.(policy.Explainer); ok {
		run.Policy = log
	}
	return run, log
}

// checkLimits checks what held a policy back over a run of horizon
// seconds: the times at a bound are within the run and do not overlap,
// and the jobs missed by cause are finite, not negative, and no more than
// the run missed.
func checkLimits(t *testing.T, name string, l sim.Limits, r *sim.Result, horizon float64) {
	t.Helper()
	if !(l.TimeAtMax >= 0) || !(l.TimeAtMin >= 0) || l.TimeAtMax+l.TimeAtMin > horizon*(1+1e-9)+1e-9 {
		t.Fatalf("%s: time at max %g s and at min %g s in a run of %g s", name, l.TimeAtMax, l.TimeAtMin, horizon)
	}
	sum := 0.0
	for c, x := range l.Missed {
		if !(x >= 0) || math.IsInf(x, 0) || !slices.Contains(sim.CauseNames, c) {
			t.Fatalf("%s: %g jobs missed by cause %q", name, x, c)
		}
		sum += x
	}
	j := r.Jobs
	if bad := j.Missed + j.TimedOut + j.Lost; sum > bad*(1+1e-6)+1e-6*j.Arrived+1e-6 {
		t.Fatalf("%s: %g jobs missed by cause, %g in all (%+v)", name, sum, bad, j)
	}
}

// checkActiveBill re-bills a copy of r as request-based billing bills it
// (BillActive, one box an instance, $1 a box-second, no fee): the busy and
// booting box time, which is never more than the boxes' lives, and whose
// idle part is within it.
func checkActiveBill(t *testing.T, name string, s sim.Setup, r *sim.Result) {
	t.Helper()
	c := *r
	c.Series.Cost = slices.Clone(r.Series.Cost)
	sim.BillActive(&c, s.Box.Latency.Seconds(), 1, 1, 0)
	life := r.BoxHours * 3600
	if !(c.Cost >= 0) || c.Cost > life*(1+1e-9)+1e-6 || !(c.IdleCost >= 0) || c.IdleCost > c.Cost*(1+1e-9)+1e-9 {
		t.Fatalf("%s: active box-seconds %g (idle %g) against %g lived", name, c.Cost, c.IdleCost, life)
	}
}
