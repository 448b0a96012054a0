package sim

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/boxes-project/boxes/policy"
	"github.com/boxes-project/boxes/workload"
)

// runEvents runs the engine, through the fast path or not.
func runEvents(t *testing.T, s Setup, w workload.Curve, run policy.Run, cfg JobsConfig, fast bool) *Result {
	t.Helper()
	e, err := newEvents(s, w, run, cfg)
	if err != nil {
		t.Fatal(err)
	}
	e.fast = e.fast && fast
	if err := e.simulate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return e.result()
}

// TestEventsFastPathSame checks that the fast path for the seed's model
// (fixed latency, no queue or an unbounded one) runs the same jobs as the
// general one: the same counts, every wait in the same histogram bin, sums
// equal but for the order of addition. The runs include a scaling policy,
// so jobs are pending when the fleet changes.
func TestEventsFastPathSame(t *testing.T) {
	s := DefaultSetup()
	s.Horizon = 3 * time.Hour
	w := workload.Daily{Mean: 200, Ratio: 4, Period: 3600}
	for _, q := range []QueueKind{NoQueue, Unbounded} {
		for name, run := range map[string]func() policy.Run{
			"fixed": func() policy.Run { return fixedRun(45) },
			"hpa": func() policy.Run {
				h := policy.DefaultHPA()
				h.Target, h.MinReplicas = 0.7, 2
				r, err := h.Start(policy.Env{Latency: 0.2, Step: 1, Boot: 60, Horizon: s.Horizon.Seconds(), InitialRate: 200})
				if err != nil {
					t.Fatal(err)
				}
				return r
			},
		} {
			cfg := JobsConfig{Seed: 3, Queue: Queue{Kind: q}, Warmup: 5 * time.Minute}
			fast := runEvents(t, s, w, run(), cfg, true)
			slow := runEvents(t, s, w, run(), cfg, false)
			if fast.Jobs != slow.Jobs {
				t.Errorf("%s, %s queue: fast %+v, general %+v", name, q, fast.Jobs, slow.Jobs)
			}
			if fast.Jobs.Arrived < 1e6 {
				t.Errorf("%s: only %g jobs", name, fast.Jobs.Arrived)
			}
			fq, sq := fast.Queueing, slow.Queueing
			if fq.Wait.P50 != sq.Wait.P50 || fq.Wait.P99 != sq.Wait.P99 || fq.Wait.P999 != sq.Wait.P999 || fq.WaitProbability != sq.WaitProbability {
				t.Errorf("%s, %s queue: waits %+v and %+v", name, q, fq.Wait, sq.Wait)
			}
			for _, p := range [][2]float64{{fq.Wait.Mean, sq.Wait.Mean}, {fq.MeanQueued, sq.MeanQueued}, {fast.BusyFraction, slow.BusyFraction}, {fast.Cost, slow.Cost}} {
				if math.Abs(p[0]-p[1]) > 1e-9*math.Max(1, math.Abs(p[1])) {
					t.Errorf("%s, %s queue: %g and %g", name, q, p[0], p[1])
				}
			}
			t.Logf("%s, %s queue: %+v; p99 wait %g", name, q, fast.Jobs, fq.Wait.P99)
		}
	}
}

// TestEventsMemoryFlat checks that a run's allocations do not grow with the
// number of jobs: ten times the jobs (and steps), the same allocations. (A
// billion jobs in under 100 MB resident is measured on the command line;
// see the benchmarks' doc.)
func TestEventsMemoryFlat(t *testing.T) {
	allocs := func(h time.Duration) float64 {
		s := DefaultSetup()
		s.Horizon = h
		cfg := JobsConfig{Seed: 1, Queue: Queue{Kind: Unbounded}}
		return testing.AllocsPerRun(2, func() {
			if _, err := Events(context.Background(), s, workload.Constant(400), fixedRun(100), cfg); err != nil {
				t.Fatal(err)
			}
		})
	}
	small, large := allocs(time.Hour), allocs(10*time.Hour)
	t.Logf("allocations: %g for 1.44 million jobs, %g for 14.4 million", small, large)
	if large > small+4 {
		t.Errorf("allocations grow with the jobs: %g for an hour, %g for ten", small, large)
	}
}

// TestEventsHistory checks the metrics a policy reads under the events
// engine, over the last hour of a day of M/D/10 at a = 8 (one-second jobs):
// the job rate and served rate λ = 8/s, 10 ready boxes, 8 busy and 8 of
// demand (a = λL), and the mean queue λW = 8 × 0.1098 = 0.878 (Little's law
// with queueing.MDcMeanWait(10, 8)). An hour holds about 29,000 jobs, so
// the rates are within a few percent; the queue, a noisier average, within
// 25%.
func TestEventsHistory(t *testing.T) {
	var seen []policy.Metrics
	run := fixedRun(10)
	run.Period, run.Lookback = 3600, 3600
	inner := run.Policy
	run.Policy = policy.Func(func(o *policy.Observation) int {
		if m, ok := o.Metrics(3600, 0); ok && o.Time >= 3600 {
			seen = append(seen, m)
		}
		return inner.Desired(o)
	})
	s := testSetup(24 * time.Hour)
	if _, err := Events(context.Background(), s, workload.Constant(8), run, JobsConfig{Seed: 5, Queue: Queue{Kind: Unbounded}}); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 23 {
		t.Fatalf("%d windows seen, want 23", len(seen))
	}
	m := seen[len(seen)-1]
	for _, c := range []struct {
		name      string
		got, want float64
		tol       float64
	}{
		{"job rate", m.JobRate, 8, 0.03},
		{"served", m.Served, 8, 0.03},
		{"ready", m.Ready, 10, 1e-12},
		{"busy", m.Busy, 8, 0.03},
		{"demand", m.Demand, 8, 0.03},
		{"queued", m.Queued, 8 * 0.109828, 0.25},
	} {
		if math.Abs(c.got-c.want) > c.tol*c.want {
			t.Errorf("%s: %g, want %g within %g%%", c.name, c.got, c.want, 100*c.tol)
		}
	}
	t.Logf("last hour: %+v", m)
}
