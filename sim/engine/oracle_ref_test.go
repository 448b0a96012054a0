package engine

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/boxes-project/boxes"
	"github.com/boxes-project/boxes/policy"
	"github.com/boxes-project/boxes/sim"
	"github.com/boxes-project/boxes/sim/internal/simtest"
	"github.com/boxes-project/boxes/workload"
)

// The oracle's plan as it was worked out before oracleStream: the whole
// horizon first, every start and stop in a list, sorted. The tests hold
// the streamed plan to it, step by step.

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
func planOracle(ctx context.Context, s sim.Setup, w workload.Curve, target float64) (*oraclePlan, error) {
	dt := s.Step.Seconds()
	n := s.Steps()
	boot := int(math.Ceil(s.Boot.Seconds()/dt - 1e-9))
	// Keep a box through a gap of at most boot + drain (in steps).
	keep := (s.Boot + s.Drain).Seconds() / dt
	latency := s.Box.Latency

	type event struct{ step, delta int }
	var events []event
	var lastEnd []int // lastEnd[j]: step at which level j+1 stopped being needed; -1 never needed
	need := 0
	sampler := workload.NewSampler(w, 0, dt)
	var arr [BlockSize]float64
	for k0 := 0; k0 < n; k0 += BlockSize {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		m := min(BlockSize, n-k0)
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

// TestOracleStreamMatchesPlan holds the streamed plan to the whole-horizon
// one, step by step, over random workloads, boots, drains and steps.
func TestOracleStreamMatchesPlan(t *testing.T) {
	for seed := range uint64(40) {
		rng := rand.New(rand.NewPCG(seed, 3))
		s := simtest.DefaultSetup()
		s.Step = time.Duration(1+rng.IntN(3)) * time.Second
		s.Horizon = s.Step * time.Duration(2000+rng.IntN(20000))
		s.Box.Latency = time.Duration(50+rng.IntN(2000)) * time.Millisecond
		s.Boot = time.Duration(rng.IntN(400)) * time.Second
		s.Drain = time.Duration(rng.IntN(30)) * time.Second
		w := simtest.RandomWorkload(rng)
		want, err := planOracle(context.Background(), s, w, 1)
		if err != nil {
			t.Fatal(err)
		}
		got := newOracleStream(context.Background(), s, w, 1)
		if g := got.at(0); g != want.initial {
			t.Fatalf("seed %d: initial %d, want %d", seed, g, want.initial)
		}
		next := 0
		for k := range s.Steps() {
			obs := &policy.Observation{Time: float64(k) * s.Step.Seconds()}
			w := want.Desired(obs)
			if k < next {
				if got.current != w {
					t.Fatalf("seed %d step %d: capacity %d between changes (next at %d), want %d", seed, k, got.current, next, w)
				}
				continue
			}
			if g := got.Desired(obs); g != w {
				t.Fatalf("seed %d step %d: capacity %d, want %d", seed, k, g, w)
			}
			next = got.nextChange(k)
		}
	}
}
