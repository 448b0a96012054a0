package events

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/boxes-project/boxes/policy"
	"github.com/boxes-project/boxes/policy/hpa"
	"github.com/boxes-project/boxes/sim"
	"github.com/boxes-project/boxes/sim/engine"
	"github.com/boxes-project/boxes/sim/internal/simtest"
	"github.com/boxes-project/boxes/workload"
)

// randomHPA is one of the HPA shapes manifests give: several metrics at
// once, Object/External metrics with scale to zero, cpu per job, with
// random targets and behavior.
func randomHPA(rng *rand.Rand, latency float64) hpa.HPA {
	h := hpa.DefaultHPA()
	h.MaxReplicas = 1 + rng.IntN(400)
	h.ScaleDown.Stabilization = time.Duration(rng.IntN(301)) * time.Second
	h.Legacy = rng.IntN(3) == 0
	h.CPUPerJob = time.Duration(rng.Float64() * latency * 2e9)
	h.CPURequest = 0.1 + 2*rng.Float64()
	pct := float64(10+rng.IntN(90)) / 100
	cpu := hpa.HPAMetric{Type: hpa.SourceResource, Signal: hpa.MetricCPU, TargetType: hpa.TargetUtilization, Target: pct}
	rate := hpa.HPAMetric{Type: hpa.SourcePods, Signal: hpa.MetricJobRate, TargetType: hpa.TargetAverageValue, Target: 0.2 + 20*rng.Float64()}
	obj := hpa.HPAMetric{Type: hpa.SourceObject, Signal: hpa.MetricJobRate, TargetType: hpa.TargetValue, Target: 1 + 50*rng.Float64()}
	queue := hpa.HPAMetric{Type: hpa.SourceExternal, Signal: hpa.MetricQueue, TargetType: hpa.TargetAverageValue, Target: 0.5 + 5*rng.Float64()}
	conc := hpa.HPAMetric{Type: hpa.SourceObject, Signal: hpa.MetricConcurrency, TargetType: hpa.TargetAverageValue, Target: 0.3 + rng.Float64()}
	switch rng.IntN(3) {
	case 0:
		h.Metrics = []hpa.HPAMetric{cpu, rate}
	case 1:
		h.Metrics = []hpa.HPAMetric{obj, queue}
		h.MinReplicas, h.ScaleToZero = 0, true
	default:
		h.Metrics = []hpa.HPAMetric{conc, cpu}
		h.MinReplicas, h.ScaleToZero = 0, true
	}
	return h
}

// FuzzHPAKinds runs the HPA shapes manifests give on both engines, with
// quiet stretches for scale to zero, and checks the invariants of every
// run: jobs add up, boxes serve no more than they can, costs are sound.
func FuzzHPAKinds(f *testing.F) {
	for _, seed := range []uint64{1, 2, 3, 4, 5, 6} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, seed uint64) {
		rng := rand.New(rand.NewPCG(seed, 7))
		s := simtest.DefaultSetup()
		s.Horizon = time.Hour
		s.Box.Latency = time.Duration(10+rng.IntN(1000)) * time.Millisecond
		s.Boot = time.Duration(rng.IntN(120)) * time.Second
		var w workload.Curve = workload.Product{simtest.RandomWorkload(rng), workload.Steps{Initial: 1, Steps: []workload.Step{{At: 900, Rate: 0}, {At: 1800, Rate: 1}}}}
		h := randomHPA(rng, s.Box.Latency.Seconds())
		env := policy.Env{Latency: s.Box.Latency.Seconds(), Step: 1, Boot: s.Boot.Seconds(), Horizon: s.Horizon.Seconds(), InitialRate: 10 * rng.Float64()}
		start := func() policy.Run {
			run, err := h.Start(env)
			if err != nil {
				t.Fatalf("%+v: %v", h, err)
			}
			return run
		}
		r, err := engine.Fluid(context.Background(), s, w, start())
		if err != nil {
			t.Fatal(err)
		}
		simtest.CheckInvariants(t, "fluid", s, r)
		t.Logf("%v: fluid served %.0f of %.0f, cost $%.2f", h.Metrics[0].Signal, r.Jobs.Served, r.Jobs.Arrived, r.Cost)
		e, err := newEvents(s, w, start(), sim.JobsConfig{Seed: seed, Queue: sim.Queue{Kind: sim.Unbounded}})
		if err != nil {
			t.Fatal(err)
		}
		if err := e.simulate(context.Background()); err != nil {
			t.Fatal(err)
		}
		ev := e.result()
		j := ev.Jobs
		if j.Arrived != j.Served+j.Missed+j.TimedOut+j.Lost+j.Queued {
			t.Fatalf("events: fates do not add up: %+v", j)
		}
		if ev.BusyFraction < 0 || ev.BusyFraction > 1+1e-9 || ev.Cost < 0 || ev.IdleCost < 0 || ev.IdleCost > ev.Cost*(1+1e-9)+1e-12 {
			t.Fatalf("events: busy %g cost %g idle %g", ev.BusyFraction, ev.Cost, ev.IdleCost)
		}
	})
}
