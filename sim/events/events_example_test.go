package events_test

import (
	"context"
	"fmt"
	"time"

	"github.com/boxes-project/boxes/policy"
	"github.com/boxes-project/boxes/queueing"
	"github.com/boxes-project/boxes/sim"
	"github.com/boxes-project/boxes/sim/events"
	"github.com/boxes-project/boxes/sim/internal/simtest"
	"github.com/boxes-project/boxes/workload"
)

// Ten boxes of the articles' 200 ms jobs, 40 jobs a second (80% utilization):
// with no queue the random arrivals miss about Erlang B's share of the
// jobs; with a queue none is missed and they wait M/D/c's mean wait.
func ExampleEvents() {
	s := simtest.DefaultSetup()
	s.Horizon = 6 * time.Hour
	ten := policy.Run{Policy: policy.Func(func(*policy.Observation) int { return 10 }), Initial: 10, Period: 3600}
	load := workload.Constant(40) // jobs/s: a = 40 × 0.2 = 8 erlangs

	lossy, _ := events.Events(context.Background(), s, load, ten, sim.JobsConfig{Seed: 1})
	fmt.Printf("no queue: %.1f%% missed (Erlang B: %.1f%%)\n",
		100*lossy.Jobs.MissedFraction(), 100*queueing.ErlangB(10, 8))

	queued, _ := events.Events(context.Background(), s, load, ten, sim.JobsConfig{Seed: 1, Queue: sim.Queue{Kind: sim.Unbounded}})
	fmt.Printf("a queue: %.0f missed, mean wait %.0f ms (M/D/c: %.0f ms)\n",
		queued.Jobs.Missed, 1000*queued.Queueing.Wait.Mean, 200*queueing.MDcMeanWait(10, 8))
	// Output:
	// no queue: 12.2% missed (Erlang B: 12.2%)
	// a queue: 0 missed, mean wait 22 ms (M/D/c: 22 ms)
}
