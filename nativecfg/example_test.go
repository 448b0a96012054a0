package nativecfg_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/boxes-project/boxes"
	"github.com/boxes-project/boxes/nativecfg"
	"github.com/boxes-project/boxes/policy"
	"github.com/boxes-project/boxes/policy/scaletozero"
	"github.com/boxes-project/boxes/sim"
	"github.com/boxes-project/boxes/sim/events"
	"github.com/boxes-project/boxes/workload"
)

// A Knative Service replayed through a burst on a cold service: the
// activator holds the requests that arrive while the first pods boot, and
// the pods' queue-proxies queue the rest, so none is missed; counting the
// held requests as in flight, the KPA overshoots to its max-scale of 20
// pods (400 boxes) for a load that needs 40 busy boxes.
func ExampleReadKnativeService() {
	data, err := os.ReadFile("testdata/knative-service.yaml")
	if err != nil {
		panic(err)
	}
	name, cfg, err := nativecfg.ReadKnativeService(data, "knative-service.yaml")
	if err != nil {
		panic(err)
	}
	kpa := cfg.(scaletozero.KPA)
	fmt.Printf("%s: %d requests per pod at most, aiming at %g in flight\n", name, kpa.ContainerConcurrency, kpa.TargetValue())

	kpa.MinScale, kpa.InitialScale = 0, 0 // start cold
	s := sim.Setup{
		Box:     boxes.Box{Latency: 200 * time.Millisecond, Price: boxes.Price{Amount: 0.10 / 3600, Unit: boxes.PerSecond}},
		Boot:    10 * time.Second,
		Drain:   200 * time.Millisecond,
		Billing: sim.PerSecond(),
		Horizon: time.Hour,
		Step:    time.Second,
	}
	run, err := kpa.Start(policy.Env{Latency: 0.2, Step: 1, Horizon: 3600})
	if err != nil {
		panic(err)
	}
	burst := workload.Burst{Start: 600, Duration: 300, Height: 200} // jobs/s
	r, err := events.Events(context.Background(), s, burst, run, sim.JobsConfig{Seed: 1})
	if err != nil {
		panic(err)
	}
	fmt.Printf("served %.0f of %.0f, missed %.0f, timed out %.0f; peak %d boxes\n", r.Jobs.Served, r.Jobs.Arrived, r.Jobs.Missed, r.Jobs.TimedOut, r.PeakBoxes)
	// Output:
	// autoscale-go: 20 requests per pod at most, aiming at 8 in flight
	// served 60063 of 60063, missed 0, timed out 0; peak 400 boxes
}
