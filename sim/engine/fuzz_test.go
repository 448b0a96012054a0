package engine

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/boxes-project/boxes"
	"github.com/boxes-project/boxes/policy"
	"github.com/boxes-project/boxes/sim"
	"github.com/boxes-project/boxes/workload"
)

// randomWorkload is a noisy daily cycle with a burst, all drawn from rng.
func randomWorkload(rng *rand.Rand) workload.Curve {
	var c workload.Curve = workload.Sum{
		workload.Daily{Mean: 1 + 100*rng.Float64(), Ratio: 1 + 9*rng.Float64(), Period: 600 + 7200*rng.Float64(), Peak: 3600 * rng.Float64()},
		workload.Burst{Start: 7200 * rng.Float64(), Duration: 600 * rng.Float64(), Height: 300 * rng.Float64()},
	}
	c = workload.Noise{Curve: c, Sigma: 0.3 * rng.Float64(), Interval: float64(1 + rng.IntN(120)), Seed: rng.Uint64()}
	if rng.IntN(2) == 0 {
		c = workload.Poisson{Curve: c, Seed: rng.Uint64()}
	}
	return c
}

// randomRun is a policy that asks for random capacities, or follows the
// load with random headroom, at a random period.
func randomRun(rng *rand.Rand, peakBoxes int) policy.Run {
	period := float64(rng.IntN(30))
	initial := rng.IntN(peakBoxes + 2)
	if rng.IntN(2) == 0 {
		r := rand.New(rand.NewPCG(rng.Uint64(), 1))
		return policy.Run{Policy: policy.Func(func(*policy.Observation) int { return r.IntN(2*peakBoxes + 3) }), Initial: initial, Period: period}
	}
	target := 0.3 + 0.8*rng.Float64()
	window := float64(1 + rng.IntN(60))
	return policy.Run{Policy: policy.Func(func(o *policy.Observation) int {
		m, ok := o.Metrics(window, 0)
		if !ok {
			return o.Ready + o.Booting
		}
		return boxes.CapacityFor(boxes.Rate(m.JobRate), time.Duration(o.Latency*1e9), target)
	}), Initial: initial, Period: period, Lookback: window}
}

// checkInvariants checks what holds for every run.
func checkInvariants(t *testing.T, name string, s sim.Setup, r *sim.Result) {
	t.Helper()
	j := r.Jobs
	if j.Arrived < 0 || j.Served < 0 || j.Missed < 0 || j.Served > j.Arrived*(1+1e-12)+1e-9 {
		t.Fatalf("%s: impossible counts %+v", name, j)
	}
	if d := j.Arrived - j.Served - j.Missed - j.TimedOut - j.Queued; math.Abs(d) > 1e-9*math.Max(1, j.Arrived) || j.TimedOut < 0 || j.Queued < 0 {
		t.Fatalf("%s: arrived %g ≠ served %g + missed %g + timed out %g + queued %g (off by %g)", name, j.Arrived, j.Served, j.Missed, j.TimedOut, j.Queued, d)
	}
	if r.BusyFraction < 0 || r.BusyFraction > 1+1e-9 {
		t.Fatalf("%s: busy fraction %g outside [0, 1]: boxes served more than they can", name, r.BusyFraction)
	}
	if r.Cost < 0 || r.IdleCost < 0 || r.IdleCost > r.Cost*(1+1e-9)+1e-12 {
		t.Fatalf("%s: cost %g, idle cost %g", name, r.Cost, r.IdleCost)
	}
	u := r.Utilization
	if !(0 <= u.P50 && u.P50 <= u.P95 && u.P95 <= u.Max) {
		t.Fatalf("%s: utilization quantiles out of order: %+v", name, u)
	}
	if over := r.SecondsOverCapacity; over < 0 || over > s.Horizon.Seconds() || (j.Missed > 1e-9 && over == 0) {
		t.Fatalf("%s: %g s over capacity with %g missed", name, over, j.Missed)
	}
	c := r.Series.Cost
	for i := 1; i < len(c); i++ {
		if c[i] < c[i-1]-1e-9 {
			t.Fatalf("%s: cumulative cost falls at point %d: %g after %g", name, i, c[i], c[i-1])
		}
	}
	if len(c) > 0 && !near(c[len(c)-1], r.Cost, 1e-9) {
		t.Fatalf("%s: series ends at %g, cost is %g", name, c[len(c)-1], r.Cost)
	}
}

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
		s := DefaultSetup()
		s.Horizon = 2 * time.Hour
		s.Box.Latency = time.Duration(1+rng.IntN(2000)) * time.Millisecond
		s.Boot = time.Duration(rng.IntN(300)) * time.Second
		s.Drain = time.Duration(rng.IntN(10)) * time.Second // whole seconds: billing per second is exact
		w := randomWorkload(rng)
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
		checkInvariants(t, "oracle", s, oracle)
		if oracle.Jobs.Missed > 1e-6*oracle.Jobs.Arrived {
			t.Fatalf("the oracle missed %g of %g jobs", oracle.Jobs.Missed, oracle.Jobs.Arrived)
		}
		runs := map[string]policy.Run{"random": randomRun(rng, peakBoxes), "fixed for the peak": fixed(peakBoxes),
			"aws": randomAWS(t, rng, s, buf[0])}
		env := policy.Env{Latency: s.Box.Latency.Seconds(), Step: 1, Boot: s.Boot.Seconds(), Horizon: s.Horizon.Seconds(), InitialRate: buf[0], PeakRate: peak}
		name, run := randomScaler(t, rng, env, false)
		runs[name] = run
		for name, run := range runs {
			run, log := explained(run)
			r, err := Fluid(context.Background(), s, w, run)
			if err != nil {
				t.Fatal(err)
			}
			checkInvariants(t, name, s, r)
			checkLimits(t, name, log.Limits(r, s.Horizon.Seconds()), r, s.Horizon.Seconds())
			checkActiveBill(t, name, s, r)
			// A hold serves jobs late, with fewer boxes than the oracle's,
			// which serves every job at once.
			if r.Jobs.Missed == 0 && run.Hold == nil && r.Cost < oracle.Cost*(1-1e-9) {
				t.Fatalf("%s missed nothing for $%g, less than the oracle's $%g", name, r.Cost, oracle.Cost)
			}
		}
	})
}
