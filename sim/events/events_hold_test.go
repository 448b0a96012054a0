package events

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/boxes-project/boxes/policy"
	"github.com/boxes-project/boxes/sim"
	"github.com/boxes-project/boxes/sim/internal/simtest"
	"github.com/boxes-project/boxes/workload"
)

// TestEventsHold follows a buffering proxy (policy.Run.Hold) by hand. No box
// at first, one asked for at time 0 that is ready at 5; 1 s jobs, no queue;
// jobs arrive at 1, 2, 2.5, 7 and 7.5.
func TestEventsHold(t *testing.T) {
	s := simtest.RoundSetup(20 * time.Second)
	s.Boot = 5 * time.Second
	arrivals := []float64{1, 2, 2.5, 7, 7.5}
	for _, c := range []struct {
		name     string
		hold     *policy.Hold
		want     sim.Jobs
		meanWait float64
	}{
		// No proxy: 1, 2 and 2.5 find no box and are missed; 7 starts at
		// once, until 8; 7.5 finds it busy: missed.
		{"none", nil, sim.Jobs{Arrived: 5, Served: 1, Missed: 4}, 0},
		// Held while cold (an activator at zero, the KEDA interceptor): 1,
		// 2 and 2.5 wait for the box, start at 5, 6 and 7 (waits 4, 4,
		// 4.5); 7 finds the box busy until 8 and no queue: missed, and so
		// is 7.5.
		{"cold only", &policy.Hold{ColdOnly: true}, sim.Jobs{Arrived: 5, Served: 3, Missed: 2}, 12.5 / 3},
		// Held whenever no box is free, 3 s at most (Cloud Run's queue):
		// 1 would wait past 4 and times out; 2 starts at 5, its deadline
		// (wait 3), until 6; 2.5 would start at 6, after its 5.5: times
		// out; 7 starts at once, until 8; 7.5 waits 0.5 s.
		{"always, 3 s", &policy.Hold{Timeout: 3}, sim.Jobs{Arrived: 5, Served: 3, TimedOut: 2}, 3.5 / 3},
	} {
		t.Run(c.name, func(t *testing.T) {
			run := simtest.ConstRun(0, 1, 3600)
			run.Hold = c.hold
			r, err := Events(context.Background(), s, workload.Constant(0), run, sim.JobsConfig{Arrivals: arrivals})
			if err != nil {
				t.Fatal(err)
			}
			if r.Jobs != c.want {
				t.Errorf("jobs %+v, want %+v", r.Jobs, c.want)
			}
			simtest.Check(t, "mean wait", r.Queueing.Wait.Mean, c.meanWait, 1e-12)
		})
	}
	bad := simtest.ConstRun(0, 1, 3600)
	bad.Hold = &policy.Hold{Timeout: math.Inf(1)}
	if _, err := Events(context.Background(), s, workload.Constant(0), bad, sim.JobsConfig{}); err == nil {
		t.Error("an infinite hold timeout was accepted")
	}
}
