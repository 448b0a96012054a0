package events

import (
	"context"
	"testing"
	"time"

	"github.com/boxes-project/boxes/policy"
	"github.com/boxes-project/boxes/policy/scaletozero"
	"github.com/boxes-project/boxes/sim"
	"github.com/boxes-project/boxes/sim/engine"
	"github.com/boxes-project/boxes/sim/internal/simtest"
	"github.com/boxes-project/boxes/workload"
)

// TestScaleToZeroColdStart runs each scale-to-zero scaler through a burst
// on a cold service, on both engines: 3 jobs/s of 1 s jobs from t=100 to
// t=200, boxes that boot in 10 s, nothing before or after. On the events
// engine the jobs that arrive while the service is cold wait for it (the
// activator, Cloud Run's request queue, or the queue a KEDA consumer
// reads) and none is missed; so on the fluid engine, through its hold,
// whose backlog the KEDA consumer's queue trigger reads
// (TestFluidHoldQueuedKEDA follows that run by hand). Both engines start
// at zero, end at zero, and count every job.
func TestScaleToZeroColdStart(t *testing.T) {
	s := simtest.RoundSetup(900 * time.Second)
	s.Boot = 10 * time.Second
	burst := workload.Burst{Start: 100, Duration: 100, Height: 3}
	env := policy.Env{Latency: 1, Step: 1, Boot: 10, Horizon: 900, PeakRate: 3, MeanRate: 300.0 / 900}

	kpa := scaletozero.DefaultKPA()
	kpa.ContainerConcurrency, kpa.Target = 1, 1
	cr := scaletozero.DefaultCloudRun()
	cr.MaxConcurrency = 1
	keda := scaletozero.DefaultKEDA()
	keda.Triggers = []scaletozero.Trigger{{Metric: "queue", Target: 5}}
	for _, c := range []struct {
		name string
		cfg  policy.Config
		jobs sim.JobsConfig
	}{
		{"knative", kpa, sim.JobsConfig{Seed: 1}},
		{"cloudrun", cr, sim.JobsConfig{Seed: 1}},
		{"keda queue consumer", keda, sim.JobsConfig{Seed: 1, Queue: sim.Queue{Kind: sim.Unbounded}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			run, err := c.cfg.Start(env)
			if err != nil {
				t.Fatal(err)
			}
			if run.Initial != 0 {
				t.Fatalf("starts with %d boxes, want 0 (no load at time 0)", run.Initial)
			}
			ev, err := Events(context.Background(), s, burst, run, c.jobs)
			if err != nil {
				t.Fatal(err)
			}
			j := ev.Jobs
			if j.Arrived < 200 || j.Served != j.Arrived || j.Missed+j.TimedOut+j.Lost+j.Queued != 0 {
				t.Errorf("events: jobs %+v: want every one served", j)
			}
			// The first jobs wait for a boot (10 s) and the decision that
			// starts it.
			if w := ev.Queueing.Wait; w.P999 < 9 || w.P999 > 60 {
				t.Errorf("events: wait %+v: want the longest near a boot", w)
			}
			t.Logf("events: peak %d boxes, %d started, wait mean %.2f s p99.9 %.2f s, cost $%.4f", ev.PeakBoxes, ev.BoxStarts, ev.Queueing.Wait.Mean, ev.Queueing.Wait.P999, ev.Cost)
			run, _ = c.cfg.Start(env)
			fl, err := engine.Fluid(context.Background(), s, burst, run)
			if err != nil {
				t.Fatal(err)
			}
			simtest.CheckInvariants(t, c.name, s, fl)
			if fl.Jobs.Served < fl.Jobs.Arrived*(1-1e-9) || fl.Jobs.Missed+fl.Jobs.TimedOut+fl.Jobs.Queued > 1e-9 {
				t.Errorf("fluid: jobs %+v: want every one served", fl.Jobs)
			}
			results := map[string]*sim.Result{"events": ev, "fluid": fl}
			for name, r := range results {
				if n := r.Series.Len(); r.Series.Ready[0] != 0 || r.Series.Ready[n-1] != 0 || r.PeakBoxes == 0 {
					t.Errorf("%s: ready %g at the start and %g at the end, peak %d: want 0, 0 and some", name, r.Series.Ready[0], r.Series.Ready[n-1], r.PeakBoxes)
				}
			}
		})
	}
}
