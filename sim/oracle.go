package sim

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/boxes-project/boxes"
	"github.com/boxes-project/boxes/policy"
	"github.com/boxes-project/boxes/workload"
)

// Oracle runs the workload with perfect foresight: at every step exactly
//
//	need = ceil(JobRate × Latency / target)
//
// boxes are ready, each booted just in time (started Boot before it is
// needed, billed while it boots). Between two stretches where a box is
// needed, the oracle keeps it idle when the gap is no longer than Boot +
// Drain, and otherwise lets it go and boots a new one: keeping costs the
// gap, replacing costs a boot and a drain.
//
// With target 1 no job is missed, and under exact or per-second billing
// (without a minimum charge, with boot and drain whole seconds) no policy
// that misses no job costs less: its boxes must cover the same need at
// every step, and for each level of need the keep-or-replace choice above
// is the cheapest way to cover it, gap by gap, with interchangeable boxes.
// (A drain of a fraction of a second, like the default one latency, rounds
// each stop up to the next second; the bound then holds to within a second
// of box time per box started.) Under coarser billing (a minimum charge, or per
// started hour) the same just-in-time schedule is billed that way; a policy
// that holds boxes through time already paid for can then cost less.
//
// The run goes through Fluid with a policy that replays the schedule, so
// its result has the same meaning, field by field, as any other run.
func Oracle(ctx context.Context, s Setup, w workload.Curve, target float64) (*Result, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if !(target > 0 && target <= 1) {
		return nil, fmt.Errorf("sim: oracle utilization %g must be in (0, 1]", target)
	}
	if err := checkWorkload(s, w); err != nil {
		return nil, err
	}
	plan, err := planOracle(ctx, s, w, target)
	if err != nil {
		return nil, err
	}
	run := policy.Run{Policy: plan, Initial: plan.initial}
	r, err := Fluid(ctx, s, w, run)
	if err != nil {
		return nil, err
	}
	r.Engine = "oracle"
	r.OracleCost = r.Cost
	return r, nil
}

// change is a step at which the oracle's capacity changes.
type change struct {
	step  int
	boxes int
}

// oraclePlan replays the oracle's capacity, step by step.
type oraclePlan struct {
	changes []change
	initial int
	dt      float64
	i       int
	current int
}

// Desired implements policy.Policy: the capacity planned for o.Time. It is
// called once a step, in order.
func (p *oraclePlan) Desired(o *policy.Observation) int {
	k := int(math.Round(o.Time / p.dt))
	for p.i < len(p.changes) && p.changes[p.i].step <= k {
		p.current = p.changes[p.i].boxes
		p.i++
	}
	return p.current
}

// planOracle reads the workload once and works out, level by level of need,
// when each box starts and stops.
func planOracle(ctx context.Context, s Setup, w workload.Curve, target float64) (*oraclePlan, error) {
	dt := s.Step.Seconds()
	n := s.steps()
	boot := int(math.Ceil(s.Boot.Seconds()/dt - 1e-9))
	// Keep a box through a gap of at most boot + drain (in steps).
	keep := (s.Boot + s.Drain).Seconds() / dt
	latency := s.Box.Latency

	type event struct{ step, delta int }
	var events []event
	var lastEnd []int // lastEnd[j]: step at which level j+1 stopped being needed; -1 never needed
	need := 0
	sampler := workload.NewSampler(w, 0, dt)
	var arr [blockSize]float64
	for k0 := 0; k0 < n; k0 += blockSize {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		m := min(blockSize, n-k0)
		sampler.Next(arr[:m])
		for i, a := range arr[:m] {
			k := k0 + i
			want := min(boxes.CapacityFor(boxes.Rate(a/dt), latency, target), MaxBoxes)
			for j := need; j < want; j++ { // level j+1 becomes needed
				if j == len(lastEnd) {
					lastEnd = append(lastEnd, -1)
				}
				switch e := lastEnd[j]; {
				case e < 0: // first time: boot just in time (warm at time 0)
					events = append(events, event{max(0, k-boot), +1})
				case float64(k-e) <= keep: // the box stayed, idle
				default: // let the old box go, boot a new one
					events = append(events, event{e, -1}, event{max(e, k-boot), +1})
				}
			}
			for j := want; j < need; j++ {
				lastEnd[j] = k
			}
			need = want
		}
	}
	for j := need; j < len(lastEnd); j++ {
		if lastEnd[j] >= 0 {
			events = append(events, event{lastEnd[j], -1})
		}
	}
	slices.SortStableFunc(events, func(a, b event) int { return a.step - b.step })
	p := &oraclePlan{dt: dt}
	boxesNow := 0
	for i, e := range events {
		boxesNow += e.delta
		if i+1 < len(events) && events[i+1].step == e.step {
			continue
		}
		if e.step == 0 {
			p.initial = boxesNow
		}
		p.changes = append(p.changes, change{e.step, boxesNow})
	}
	return p, nil
}
