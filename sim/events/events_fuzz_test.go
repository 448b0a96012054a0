package events

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
	"github.com/boxes-project/boxes/sim/engine"
	"github.com/boxes-project/boxes/sim/internal/simtest"
	"github.com/boxes-project/boxes/workload"
	"gonum.org/v1/gonum/floats"
)

// jobLog records every job start and every change to the boxes that can
// hold a job: ready boxes, and removed boxes finishing their job.
type jobLog struct {
	starts  [][3]float64 // arrival, start, latency
	changes [][2]float64 // time, change in boxes, in the order they happened
	ready   float64
}

func (l *jobLog) started(a, s, lat float64) { l.starts = append(l.starts, [3]float64{a, s, lat}) }
func (l *jobLog) Fleet(t float64, ready int) {
	l.changes = append(l.changes, [2]float64{t, float64(ready) - l.ready})
	l.ready = float64(ready)
}
func (l *jobLog) removed(t, end float64) {
	if end > t { // draining: holds a box until its job ends
		l.changes = append(l.changes, [2]float64{t, 1}, [2]float64{end, -1})
	}
}

// check verifies FIFO order (starts never decrease with arrivals, and no job
// starts before it arrives) and that the jobs at work never outnumber the
// boxes that can hold them: the ready ones, and removed ones still
// finishing their job.
func (l *jobLog) check(t *testing.T, initial int, horizon float64) {
	t.Helper()
	js := slices.Clone(l.starts)
	slices.SortStableFunc(js, func(x, y [3]float64) int { return cmpFloat(x[0], y[0]) })
	for i, j := range js {
		if j[1] < j[0] || j[1] > horizon {
			t.Fatalf("job arriving at %g starts at %g", j[0], j[1])
		}
		if i > 0 && j[1] < js[i-1][1] {
			t.Fatalf("FIFO broken: the job arriving at %g starts at %g, before the one arriving at %g (%g)", j[0], j[1], js[i-1][0], js[i-1][1])
		}
	}
	// Sweep: at equal times, jobs end, then the boxes change in the order
	// they did, then jobs start.
	type ev struct {
		t        float64
		order    int
		job, cap int
	}
	var evs []ev
	for _, j := range js {
		evs = append(evs, ev{j[1], 2, +1, 0}, ev{j[1] + j[2], 0, -1, 0})
	}
	for _, c := range l.changes {
		evs = append(evs, ev{c[0], 1, 0, int(c[1])})
	}
	slices.SortStableFunc(evs, func(x, y ev) int {
		if c := cmpFloat(x.t, y.t); c != 0 {
			return c
		}
		return x.order - y.order
	})
	busy, capacity := 0, initial
	for _, e := range evs {
		busy += e.job
		capacity += e.cap
		if e.job > 0 && busy > capacity {
			t.Fatalf("at %g, %d jobs at work on %d boxes", e.t, busy, capacity)
		}
	}
}

func cmpFloat(x, y float64) int {
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

// randomJobs is a random queue, latency and value.
func randomJobs(rng *rand.Rand, latency time.Duration) sim.JobsConfig {
	c := sim.JobsConfig{Seed: rng.Uint64()}
	switch rng.IntN(4) {
	case 1:
		c.Latency.Distribution = sim.Exponential
	case 2:
		c.Latency = sim.Latency{Distribution: sim.LogNormal, Sigma: 0.1 + 2*rng.Float64()}
	case 3:
		c.Latency = sim.Latency{Distribution: sim.Empirical, Samples: []float64{latency.Seconds() / 2, latency.Seconds(), 3 * latency.Seconds()}}
	}
	switch rng.IntN(3) {
	case 1:
		c.Queue = sim.Queue{Kind: sim.Bounded, Capacity: 1 + rng.IntN(200)}
	case 2:
		c.Queue = sim.Queue{Kind: sim.Unbounded}
	}
	if c.Queue.Kind != "" {
		if rng.IntN(2) == 0 {
			c.Queue.Deadline = time.Duration(rng.Float64() * 5 * float64(latency))
		}
		if rng.IntN(3) == 0 {
			n := 1 + rng.IntN(100)
			if c.Queue.Kind == sim.Bounded {
				n = rng.IntN(c.Queue.Capacity)
			}
			if n > 0 {
				c.Queue.Crash = sim.Crash{Length: n, Recovery: time.Duration(rng.IntN(120)) * time.Second}
			}
		}
	}
	if rng.IntN(2) == 0 {
		c.Queue.LateAfter = time.Duration(rng.Float64() * 3 * float64(latency))
	}
	switch rng.IntN(4) {
	case 1:
		c.Value = sim.Value{Kind: sim.Linear, Horizon: 2 * latency}
	case 2:
		c.Value = sim.Value{Kind: sim.Decay, HalfLife: latency}
	case 3:
		c.Value = sim.Value{Kind: sim.StepValue, Deadline: 2 * latency}
	}
	if rng.IntN(3) == 0 {
		c.Warmup = time.Duration(rng.IntN(3600)) * time.Second
	}
	return c
}

// FuzzEvents runs random workloads, queues and policies through the events
// engine and checks its invariants: the fates add up to the arrivals, FIFO
// holds, no box serves two jobs at once, costs and fractions are in range,
// and a run with no queue that misses no job costs no less than the oracle
// (per-second billing, whole-second boot and drain).
func FuzzEvents(f *testing.F) {
	for _, seed := range []uint64{1, 2, 3, 42, 1 << 40} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, seed uint64) {
		rng := rand.New(rand.NewPCG(seed, 1))
		s := simtest.DefaultSetup()
		s.Horizon = 2 * time.Hour
		s.Box.Latency = time.Duration(1+rng.IntN(2000)) * time.Millisecond
		s.Boot = time.Duration(rng.IntN(300)) * time.Second
		s.Drain = time.Duration(rng.IntN(10)) * time.Second
		w := simtest.RandomWorkload(rng)
		buf := make([]float64, 7200)
		workload.NewSampler(w, 0, 1).Next(buf)
		// At most about 30,000 jobs an input (a shorter horizon for a
		// heavy workload): four policies each, every start traced, under
		// the fuzzer's instrumentation an input takes a fraction of a
		// second, so the fuzzer tries many and never takes a slow one for
		// a hang, even on a busy machine.
		if jobs := floats.Sum(buf); jobs > 3e4 {
			secs := max(120, int(7200*3e4/jobs))
			s.Horizon, buf = time.Duration(secs)*time.Second, buf[:secs]
		}
		peak := 0.0
		for _, a := range buf {
			peak = math.Max(peak, a)
		}
		peakBoxes := boxes.CapacityFor(boxes.Rate(peak), s.Box.Latency, 1)
		cfg := randomJobs(rng, s.Box.Latency)
		if cfg.Warmup >= s.Horizon { // randomJobs' warm-up is up to an hour
			cfg.Warmup = s.Horizon / 2
		}
		oracle, err := engine.Oracle(context.Background(), s, w, 1)
		if err != nil {
			t.Fatal(err)
		}
		env := policy.Env{Latency: s.Box.Latency.Seconds(), Step: 1, Boot: s.Boot.Seconds(), Horizon: s.Horizon.Seconds(), InitialRate: buf[0], PeakRate: peak}
		for _, name := range []string{"random", "fixed for twice the peak", "scale to zero", "aws"} {
			var run policy.Run
			switch name {
			case "random":
				run = simtest.RandomRun(rng, peakBoxes)
			case "scale to zero":
				name, run = simtest.RandomScaler(t, rng, env, true)
			case "fixed for twice the peak":
				run = simtest.Fixed(2*peakBoxes + 2)
			case "aws":
				run = simtest.RandomAWS(t, rng, s, buf[0])
			}
			run, dlog := simtest.Explained(run)
			e, err := newEvents(s, w, run, cfg)
			if err != nil {
				t.Fatal(err)
			}
			log := &jobLog{ready: float64(run.Initial)}
			e.trace = log
			if err := e.simulate(context.Background()); err != nil {
				t.Fatal(err)
			}
			r := e.result()
			j := r.Jobs
			if j.Arrived != j.Served+j.Missed+j.TimedOut+j.Lost+j.Queued {
				t.Fatalf("%s: fates do not add up: %+v", name, j)
			}
			if cfg.Warmup == 0 { // the series (and so the causes) count the warm-up's jobs too
				simtest.CheckLimits(t, name, dlog.Limits(r, s.Horizon.Seconds()), r, s.Horizon.Seconds())
			}
			simtest.CheckActiveBill(t, name, s, r)
			holdTimeout := run.Hold != nil && run.Hold.Timeout > 0
			if j.Late > j.Served || (cfg.Queue.Deadline == 0 && !holdTimeout && j.TimedOut > 0) || (cfg.Queue.Crash.Length == 0 && j.Lost > 0) {
				t.Fatalf("%s: impossible fates %+v for %+v", name, j, cfg.Queue)
			}
			if cfg.Warmup == 0 && float64(len(log.starts)) != j.Served {
				t.Fatalf("%s: %d starts traced, %g served", name, len(log.starts), j.Served)
			}
			log.check(t, run.Initial, s.Horizon.Seconds())
			if r.BusyFraction < 0 || r.BusyFraction > 1+1e-9 || r.Cost < 0 || r.IdleCost < 0 || r.IdleCost > r.Cost*(1+1e-9)+1e-12 {
				t.Fatalf("%s: busy %g cost %g idle %g", name, r.BusyFraction, r.Cost, r.IdleCost)
			}
			q := r.Queueing
			if q.WaitProbability < 0 || q.WaitProbability > 1 || q.Wait.Mean < 0 || q.MeanQueued < 0 ||
				!(q.Wait.P50 <= q.Wait.P90 && q.Wait.P90 <= q.Wait.P99 && q.Wait.P99 <= q.Wait.P999) {
				t.Fatalf("%s: queueing %+v", name, q)
			}
			if v := q.Value; v < 0 || v > j.Served+1e-9 {
				t.Fatalf("%s: value %g of %g served", name, v, j.Served)
			}
			bad := j.Missed + j.TimedOut + j.Lost + j.Queued
			if cfg.Queue.Kind == "" && run.Hold == nil && cfg.Warmup == 0 && bad == 0 && r.Cost < oracle.Cost*(1-1e-9) {
				t.Fatalf("%s missed nothing for $%g, less than the oracle's $%g", name, r.Cost, oracle.Cost)
			}
		}
	})
}
