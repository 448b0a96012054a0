package events

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/boxes-project/boxes/policy"
	"github.com/boxes-project/boxes/sim"
	"github.com/boxes-project/boxes/sim/internal/simtest"
	"github.com/boxes-project/boxes/workload"
)

// TestEventsAnyFreeBox checks that a large fleet with random latencies,
// whose jobs take any box free when they arrive (radixHeap.takeAtMost)
// rather than the one free earliest, gives the run bit for bit that
// taking the earliest gives: fixed fleets and the HPA (whose changes undo,
// redo and remove boxes), no queue, an unbounded one and a bounded one
// with a deadline (the general path), exponential and lognormal
// latencies, with and without the fast paths.
func TestEventsAnyFreeBox(t *testing.T) {
	hpaRun := func() policy.Run {
		return startHPA(t, 0.6, 33, 400, policy.Env{Latency: 0.5, Step: 1, Boot: 30, Horizon: 3600, InitialRate: 100})
	}
	daily := workload.Sum{workload.Daily{Mean: 100, Ratio: 4, Period: 1800, Peak: 900}, workload.Constant(20)}
	for _, c := range []struct {
		name  string
		dist  sim.LatencyKind
		q     sim.QueueKind
		run   func() policy.Run
		trace bool
	}{
		{"M/M/150 unbounded", sim.Exponential, sim.Unbounded, func() policy.Run { return simtest.FixedRun(150) }, false},
		{"M/M/150 unbounded, general path", sim.Exponential, sim.Unbounded, func() policy.Run { return simtest.FixedRun(150) }, true},
		{"M/M/60 no queue", sim.Exponential, sim.NoQueue, func() policy.Run { return simtest.FixedRun(60) }, false},
		{"lognormal, HPA", sim.LogNormal, sim.Unbounded, hpaRun, false},
		{"exponential, HPA, no queue", sim.Exponential, sim.NoQueue, hpaRun, false},
		{"exponential, HPA, bounded, deadline", sim.Exponential, sim.Bounded, hpaRun, false},
		{"lognormal, HPA, general path", sim.LogNormal, sim.Unbounded, hpaRun, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := simtest.RoundSetup(time.Hour)
			s.Box.Latency = 500 * time.Millisecond
			s.Boot = 30 * time.Second
			cfg := sim.JobsConfig{Seed: 5, Latency: sim.Latency{Distribution: c.dist, Sigma: 0.8}, Queue: sim.Queue{Kind: c.q}}
			if c.q == sim.Bounded {
				cfg.Queue.Capacity, cfg.Queue.Deadline = 50, 300*time.Millisecond
			}
			var rs [2]*sim.Result
			took := int64(0)
			for i := range rs {
				e, err := newEvents(s, daily, c.run(), cfg)
				if err != nil {
					t.Fatal(err)
				}
				e.rh.exact = i == 1
				if c.trace {
					e.trace = quietTracer{}
				}
				if err := e.simulate(context.Background()); err != nil {
					t.Fatal(err)
				}
				rs[i] = e.result()
				if i == 0 {
					took = e.rh.took
				}
			}
			if took < 1000 {
				t.Fatalf("takeAtMost found a box %d times: the run does not exercise it", took)
			}
			t.Logf("%d of %g jobs took any free box", took, rs[0].Jobs.Arrived)
			if !reflect.DeepEqual(rs[0], rs[1]) {
				t.Fatalf("any free box: %+v\nthe earliest: %+v", rs[0], rs[1])
			}
			if rs[0].Jobs.Served < 100_000 || rs[0].PeakBoxes <= smallFleet {
				t.Fatalf("served %g jobs, at most %d boxes: not a large fleet's run", rs[0].Jobs.Served, rs[0].PeakBoxes)
			}
		})
	}
}
