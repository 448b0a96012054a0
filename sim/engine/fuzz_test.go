package engine

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/boxes-project/boxes"
	"github.com/boxes-project/boxes/policy"
	"github.com/boxes-project/boxes/sim/internal/simtest"
	"github.com/boxes-project/boxes/workload"
)

// FuzzFluid runs random workloads under random policies and checks the
// invariants: the jobs add up, boxes never serve more than they can, costs
// are positive, and under per-second billing no run that misses no job
// costs less than the oracle.
func FuzzFluid(f *testing.F) {
	for _, seed := range []uint64{1, 2, 3, 42, 1 << 40} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, seed uint64) {
		rng := rand.New(rand.NewPCG(seed, 0))
		s := simtest.DefaultSetup()
		s.Horizon = 2 * time.Hour
		s.Box.Latency = time.Duration(1+rng.IntN(2000)) * time.Millisecond
		s.Boot = time.Duration(rng.IntN(300)) * time.Second
		s.Drain = time.Duration(rng.IntN(10)) * time.Second // whole seconds: billing per second is exact
		w := simtest.RandomWorkload(rng)
		peak := 0.0
		sampler := workload.NewSampler(w, 0, 1)
		buf := make([]float64, 7200)
		sampler.Next(buf)
		for _, a := range buf {
			peak = math.Max(peak, a)
		}
		peakBoxes := boxes.CapacityFor(boxes.Rate(peak), s.Box.Latency, 1)

		oracle, err := Oracle(context.Background(), s, w, 1)
		if err != nil {
			t.Fatal(err)
		}
		simtest.CheckInvariants(t, "oracle", s, oracle)
		if oracle.Jobs.Missed > 1e-6*oracle.Jobs.Arrived {
			t.Fatalf("the oracle missed %g of %g jobs", oracle.Jobs.Missed, oracle.Jobs.Arrived)
		}
		runs := map[string]policy.Run{"random": simtest.RandomRun(rng, peakBoxes), "fixed for the peak": simtest.Fixed(peakBoxes),
			"aws": simtest.RandomAWS(t, rng, s, buf[0])}
		env := policy.Env{Latency: s.Box.Latency.Seconds(), Step: 1, Boot: s.Boot.Seconds(), Horizon: s.Horizon.Seconds(), InitialRate: buf[0], PeakRate: peak}
		name, run := simtest.RandomScaler(t, rng, env, false)
		runs[name] = run
		for name, run := range runs {
			run, log := simtest.Explained(run)
			r, err := Fluid(context.Background(), s, w, run)
			if err != nil {
				t.Fatal(err)
			}
			simtest.CheckInvariants(t, name, s, r)
			simtest.CheckLimits(t, name, log.Limits(r, s.Horizon.Seconds()), r, s.Horizon.Seconds())
			simtest.CheckActiveBill(t, name, s, r)
			// A hold serves jobs late, with fewer boxes than the oracle's,
			// which serves every job at once.
			if r.Jobs.Missed == 0 && run.Hold == nil && r.Cost < oracle.Cost*(1-1e-9) {
				t.Fatalf("%s missed nothing for $%g, less than the oracle's $%g", name, r.Cost, oracle.Cost)
			}
		}
	})
}
