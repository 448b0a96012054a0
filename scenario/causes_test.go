package scenario

import (
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/boxes-project/boxes/sim"
)

// causesScenario: 20 jobs/s, then 100/s from 00:20 to 00:40, of 200 ms
// jobs: 4 boxes, then 20 (C = λ × L, the articles' equation).
const causesScenario = `
horizon: 1h
box: {latency: 200ms, boot: %s}
workload: {steps: {initial: 20/s, steps: [{at: 20m, rate: 100/s}, {at: 40m, rate: 20/s}]}}
policies:
  - {name: hpa, hpa: {metric: utilization, target: 0.8, max: %d, behavior: {}}}
`

func runCauses(t *testing.T, boot string, maxBoxes int) (sim.PolicyResult, *sim.Outcome) {
	t.Helper()
	sc, err := Parse(fmt.Appendf(nil, causesScenario, boot, maxBoxes), "causes.yaml")
	if err != nil {
		t.Fatal(err)
	}
	out, err := sc.Run(context.Background(), Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	return out.Runs[0], out
}

// TestCauseMax: an HPA capped at 10 boxes (50 jobs/s) under 100 jobs/s
// for 20 minutes wants more than its max for about those 20 minutes and
// misses about 50 jobs/s × 1,200 s = 60,000 jobs, nearly all of them
// while pinned there.
func TestCauseMax(t *testing.T) {
	r, _ := runCauses(t, "30s", 10)
	l := r.Limits
	if l == nil || l.Dominant != sim.CauseMax {
		t.Fatalf("limits %+v, want the dominant cause max", l)
	}
	// Pinned from the first sync that sees the load (within a window,
	// a delay and a sync period, 45 s) to the one that sees it gone.
	if l.TimeAtMax < 1200-60 || l.TimeAtMax > 1200+60 {
		t.Errorf("time at max %gs, want about 1,200 s", l.TimeAtMax)
	}
	if m := l.Missed[sim.CauseMax]; math.Abs(m-60000) > 0.05*60000 {
		t.Errorf("missed while pinned at max: %g, want about 60,000", m)
	}
	if l.TimeAtMin != 0 {
		t.Errorf("time at min %gs, want 0", l.TimeAtMin)
	}
}

// TestCauseBoot: with no max and boxes that take 5 minutes to boot, the
// HPA asks for the 25 boxes within a minute, and most of the spike's
// misses come while they boot: about (100 − 20/0.8·…) jobs/s for 5 min.
func TestCauseBoot(t *testing.T) {
	r, _ := runCauses(t, "5m", 0)
	l := r.Limits
	if l == nil || l.Dominant != sim.CauseBoot {
		t.Fatalf("limits %+v, want the dominant cause boot", l)
	}
	if l.TimeAtMax != 0 {
		t.Errorf("time at max %gs with no max", l.TimeAtMax)
	}
	total := 0.0
	for _, x := range l.Missed {
		total += x
	}
	if l.Missed[sim.CauseBoot] < 0.6*total {
		t.Errorf("boot holds %g of %g missed jobs, want most", l.Missed[sim.CauseBoot], total)
	}
}

// TestCauseFixed: a fixed capacity says no cause but its own size: it is
// not explained, and never at a bound.
func TestCauseFixed(t *testing.T) {
	sc, err := Parse([]byte("horizon: 10m\nworkload: {constant: 40/s}\npolicies: [{fixed: {capacity: 6}}]\n"), "fixed.yaml")
	if err != nil {
		t.Fatal(err)
	}
	out, err := sc.Run(context.Background(), Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if l := out.Runs[0].Limits; l == nil || l.Explained || l.TimeAtMax != 0 {
		t.Errorf("fixed: limits %+v", l)
	}
}
