package events

import (
	"context"
	"testing"
	"time"

	"github.com/boxes-project/boxes/sim"
	"github.com/boxes-project/boxes/sim/internal/simtest"
	"github.com/boxes-project/boxes/workload"
)

// TestEventsCommonRandomNumbers checks that configurations share their
// random numbers job for job (issue 14's common random numbers): every
// arriving job draws its latency when it arrives, from the latency stream,
// whether it is served or dropped, so the k-th job to arrive has the same
// latency in a run that drops jobs (a queue of one, no queue at all, a
// deadline) as in one that drops none (an unbounded queue), on the same
// seed. Jobs are matched by their arrival times, which come from their own
// stream and so are the same in every configuration. The runs drop jobs
// and serve jobs after their first drop, or the test tests nothing.
//
// The tracer turns the fast paths off; TestEventsFastPaths shows they give
// what this general path gives, with and without a queue.
func TestEventsCommonRandomNumbers(t *testing.T) {
	for _, lat := range []sim.Latency{
		{Distribution: sim.Exponential},
		{Distribution: sim.LogNormal, Sigma: 0.8},
		{Distribution: sim.Empirical, Samples: []float64{0.1, 0.2, 0.35, 0.5, 0.75, 1.1}}, // mean 0.5 s
	} {
		t.Run(string(lat.Distribution), func(t *testing.T) {
			s := simtest.RoundSetup(20 * time.Minute)
			s.Box.Latency = 500 * time.Millisecond
			w := workload.Constant(7.5) // ρ ≈ 0.94 on four boxes: queues build and overflow
			run := func(q sim.Queue) (*jobLog, *sim.Result) {
				e, err := newEvents(s, w, simtest.FixedRun(4), sim.JobsConfig{Seed: 11, Latency: lat, Queue: q})
				if err != nil {
					t.Fatal(err)
				}
				log := &jobLog{}
				e.trace = log
				if err := e.simulate(context.Background()); err != nil {
					t.Fatal(err)
				}
				return log, e.result()
			}
			all, rAll := run(sim.Queue{Kind: sim.Unbounded})
			if rAll.Jobs.Missed != 0 {
				t.Fatalf("the unbounded run missed %g jobs", rAll.Jobs.Missed)
			}
			latency := map[float64]float64{} // arrival → latency, every job the unbounded run started
			for _, j := range all.starts {
				latency[j[0]] = j[2]
			}
			for _, q := range []sim.Queue{
				{Kind: sim.Bounded, Capacity: 1},
				{Kind: sim.NoQueue},
				{Kind: sim.Unbounded, Deadline: 300 * time.Millisecond},
			} {
				some, r := run(q)
				if r.Jobs.Missed+r.Jobs.TimedOut == 0 {
					t.Fatalf("%+v dropped no job: nothing to test", q)
				}
				if r.Jobs.Arrived != rAll.Jobs.Arrived {
					t.Fatalf("%+v: %g jobs arrived, %g with an unbounded queue", q, r.Jobs.Arrived, rAll.Jobs.Arrived)
				}
				matched := 0
				for _, j := range some.starts {
					l, ok := latency[j[0]]
					if !ok {
						continue // still waiting at the horizon in the unbounded run
					}
					matched++
					if j[2] != l {
						t.Fatalf("%+v: the job arriving at %v took %v, %v with an unbounded queue", q, j[0], j[2], l)
					}
				}
				// Most of the served jobs come after the first drop (the
				// run is long against the time to fill the queue).
				if matched < len(some.starts)*9/10 || matched < 1000 {
					t.Errorf("%+v: %d of %d served jobs matched: too few to test", q, matched, len(some.starts))
				}
			}
		})
	}
}
