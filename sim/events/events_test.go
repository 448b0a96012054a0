package events

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/boxes-project/boxes/internal/testseed"
	"github.com/boxes-project/boxes/policy"
	"github.com/boxes-project/boxes/policy/hpa"
	"github.com/boxes-project/boxes/queueing"
	"github.com/boxes-project/boxes/sim"
	"github.com/boxes-project/boxes/sim/internal/simtest"
	"github.com/boxes-project/boxes/workload"
)

// runEvents runs the engine, through the fast path or not.
func runEvents(t *testing.T, s sim.Setup, w workload.Curve, run policy.Run, cfg sim.JobsConfig, fast bool) *sim.Result {
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

// TestEventsFastPathSame checks that the fast path for the articles' model
// (fixed latency, no queue or an unbounded one) runs the same jobs as the
// general one: the same counts, every wait in the same histogram bin, sums
// equal but for the order of addition. The runs include a scaling policy,
// so jobs are pending when the fleet changes.
func TestEventsFastPathSame(t *testing.T) {
	s := simtest.DefaultSetup()
	s.Horizon = 3 * time.Hour
	w := workload.Daily{Mean: 200, Ratio: 4, Period: 3600}
	for _, q := range []sim.QueueKind{sim.NoQueue, sim.Unbounded} {
		for name, run := range map[string]func() policy.Run{
			"fixed": func() policy.Run { return simtest.FixedRun(45) },
			"hpa": func() policy.Run {
				h := hpa.DefaultHPA()
				h.Target, h.MinReplicas = 0.7, 2
				r, err := h.Start(policy.Env{Latency: 0.2, Step: 1, Boot: 60, Horizon: s.Horizon.Seconds(), InitialRate: 200})
				if err != nil {
					t.Fatal(err)
				}
				return r
			},
		} {
			cfg := sim.JobsConfig{Seed: 3, Queue: sim.Queue{Kind: q}, Warmup: 5 * time.Minute}
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
		s := simtest.DefaultSetup()
		s.Horizon = h
		cfg := sim.JobsConfig{Seed: 5, Queue: sim.Queue{Kind: sim.Unbounded}}
		return testing.AllocsPerRun(2, func() {
			if _, err := Events(context.Background(), s, workload.Constant(400), simtest.FixedRun(100), cfg); err != nil {
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
// with queueing.MDcMeanWait(10, 8)). An hour holds about 29,000 jobs: over
// 300 seeds the rates' hourly means spread by 0.61% (standard deviation) and
// the queue's by 8.5%, so 3% and 40% are 4.9 and 4.7 of those: the five
// checks fail together with probability well under 1e-3 for any
// BOXES_TEST_SEED.
func TestEventsHistory(t *testing.T) {
	var seen []policy.Metrics
	run := simtest.FixedRun(10)
	run.Period, run.Lookback = 3600, 3600
	inner := run.Policy
	run.Policy = policy.Func(func(o *policy.Observation) int {
		if m, ok := o.Metrics(3600, 0); ok && o.Time >= 3600 {
			seen = append(seen, m)
		}
		return inner.Desired(o)
	})
	s := simtest.RoundSetup(24 * time.Hour)
	if _, err := Events(context.Background(), s, workload.Constant(8), run, sim.JobsConfig{Seed: testseed.Seed(t), Queue: sim.Queue{Kind: sim.Unbounded}}); err != nil {
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
		{"queued", m.Queued, 8 * 0.109828, 0.40},
	} {
		if math.Abs(c.got-c.want) > c.tol*c.want {
			t.Errorf("%s: %g, want %g within %g%%", c.name, c.got, c.want, 100*c.tol)
		}
	}
	t.Logf("last hour: %+v", m)
}

// TestEventsCrash follows a crash by hand. One box, 10 s jobs, a queue that
// crashes at 3 waiting, 5 s to recover; jobs arrive at 0, 1, 2, 3, 4, 5, 8,
// 10, 11:
//
//	0        starts at once, the box is busy until 10
//	1, 2, 3  wait (3 waiting)
//	4        finds 3 waiting: crash; 1, 2, 3 and 4 are lost, down until 9
//	5, 8     arrive while down: missed
//	10       the box is free at 10: starts at once
//	11       waits 9 s, starts at 20
//
// so 9 arrived = 3 served + 2 missed + 4 lost; waits 0, 0, 9 (mean 3 s);
// the lost jobs had waited 3 + 2 + 1 + 0 = 6 s.
func TestEventsCrash(t *testing.T) {
	s := simtest.RoundSetup(30 * time.Second)
	s.Box.Latency = 10 * time.Second
	cfg := sim.JobsConfig{Queue: sim.Queue{Kind: sim.Unbounded, Crash: sim.Crash{Length: 3, Recovery: 5 * time.Second}},
		Arrivals: []float64{0, 1, 2, 3, 4, 5, 8, 10, 11}}
	r, err := Events(context.Background(), s, workload.Constant(0), simtest.ConstRun(1, 1, 3600), cfg)
	if err != nil {
		t.Fatal(err)
	}
	want := sim.Jobs{Arrived: 9, Served: 3, Missed: 2, Lost: 4}
	if r.Jobs != want {
		t.Errorf("jobs %+v, want %+v", r.Jobs, want)
	}
	q := r.Queueing
	if q.Crashes != 1 || q.DownSeconds != 5 || q.Wait.Mean != 3 {
		t.Errorf("crashes %d, down %gs, mean wait %gs; want 1, 5 s, 3 s", q.Crashes, q.DownSeconds, q.Wait.Mean)
	}
	// Waiting: 1, 2, 3 from their arrival to the crash at 4 (6 s), 11 from
	// 11 to 20 (9 s): 15 job-seconds over 30 s.
	simtest.Check(t, "mean queued", q.MeanQueued, 15.0/30, 1e-12)
}

// TestEventsDeadlineAcrossBoot follows deadlines across a boot by hand. No
// box at first, one asked for at time 0 that is ready at 5; 1 s jobs, a
// 3 s deadline; jobs arrive at 1, 2 and 2.5:
//
//	1    no box: would time out at 4, and does (the box comes at 5)
//	2    would time out at 5: the box is ready at 5, it starts then (wait 3)
//	2.5  would start at 6, after its deadline at 5.5: times out
//
// The box is billed from 0 (boot included) to the horizon, 10 s.
func TestEventsDeadlineAcrossBoot(t *testing.T) {
	s := simtest.RoundSetup(10 * time.Second)
	s.Boot = 5 * time.Second
	cfg := sim.JobsConfig{Queue: sim.Queue{Kind: sim.Unbounded, Deadline: 3 * time.Second}, Arrivals: []float64{1, 2, 2.5}}
	r, err := Events(context.Background(), s, workload.Constant(0), simtest.ConstRun(0, 1, 3600), cfg)
	if err != nil {
		t.Fatal(err)
	}
	want := sim.Jobs{Arrived: 3, Served: 1, TimedOut: 2}
	if r.Jobs != want {
		t.Errorf("jobs %+v, want %+v", r.Jobs, want)
	}
	if r.Queueing.Wait.Mean != 3 {
		t.Errorf("mean wait %g, want 3", r.Queueing.Wait.Mean)
	}
	simtest.Check(t, "cost", r.Cost, 10*0.001, 1e-12)
}

// TestEventsRemoveBusy follows a scale-down by hand. Two boxes, 10 s jobs;
// the policy asks for one box from time 5 on. Jobs arrive at 0, 1 and 2:
//
//	0  box A, until 10;  1  box B, until 11;  2  waits
//	5  one box leaves: the one free first, A, finishes its job at 10 and
//	   is billed until then (more than the 1 s drain); job 2 waits for B
//	11 job 2 starts on B (wait 9 s), until 21
//
// Billing (exact, $0.001 a box-second): A from 0 to 10, B from 0 to the
// horizon, 30 s: 40 box-seconds. Busy: 30 box-seconds.
func TestEventsRemoveBusy(t *testing.T) {
	s := simtest.RoundSetup(30 * time.Second)
	s.Box.Latency = 10 * time.Second
	s.Drain = time.Second
	s.Billing = sim.Billing{}
	run := policy.Run{Policy: policy.Func(func(o *policy.Observation) int {
		if o.Time >= 5 {
			return 1
		}
		return 2
	}), Initial: 2, Period: 5}
	cfg := sim.JobsConfig{Queue: sim.Queue{Kind: sim.Unbounded}, Arrivals: []float64{0, 1, 2}}
	e, err := newEvents(s, workload.Constant(0), run, cfg)
	if err != nil {
		t.Fatal(err)
	}
	log := &jobLog{ready: 2}
	e.trace = log
	if err := e.simulate(context.Background()); err != nil {
		t.Fatal(err)
	}
	r := e.result()
	if r.Jobs != (sim.Jobs{Arrived: 3, Served: 3}) || r.Queueing.Wait.Mean != 3 {
		t.Errorf("jobs %+v, mean wait %g; want 3 served, mean wait 3", r.Jobs, r.Queueing.Wait.Mean)
	}
	log.check(t, 2, 30)
	simtest.Check(t, "cost", r.Cost, 40*0.001, 1e-12)
	simtest.Check(t, "idle cost", r.IdleCost, 10*0.001, 1e-12)
}

// TestEventsBadInput checks that bad settings are refused, naming them.
func TestEventsBadInput(t *testing.T) {
	s := simtest.RoundSetup(time.Hour)
	for _, tc := range []struct {
		cfg  sim.JobsConfig
		want string
	}{
		{sim.JobsConfig{Warmup: time.Hour}, "warmup"},
		{sim.JobsConfig{Queue: sim.Queue{Deadline: time.Second}}, "need a queue"},
		{sim.JobsConfig{Queue: sim.Queue{Kind: sim.Bounded}}, "capacity"},
		{sim.JobsConfig{Queue: sim.Queue{Kind: sim.Bounded, Capacity: 5, Crash: sim.Crash{Length: 5}}}, "crash length"},
		{sim.JobsConfig{Latency: sim.Latency{Distribution: sim.LogNormal}}, "sigma"},
		{sim.JobsConfig{Latency: sim.Latency{Distribution: sim.Empirical, Samples: []float64{0, -1}}}, "empirical latency"},
		{sim.JobsConfig{Latency: sim.Latency{Distribution: "pareto"}}, "unknown latency"},
		{sim.JobsConfig{Value: sim.Value{Kind: sim.Linear}}, "horizon"},
		{sim.JobsConfig{Arrivals: []float64{1, 0.5}}, "arrival 2"},
		{sim.JobsConfig{Arrivals: []float64{math.NaN()}}, "negative"},
	} {
		_, err := Events(context.Background(), s, workload.Constant(1), simtest.FixedRun(1), tc.cfg)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "sim: ") {
			t.Errorf("%+v: error %v, want one about %q", tc.cfg, err, tc.want)
		}
	}
}

// TestEventsWaitSeries checks the series' wait percentiles. With one point
// for the whole run (and no warm-up), the point's percentiles come from the
// same histogram as the run's own, so they are equal. With two, a load that
// steps up halfway shows in the second: 9 boxes of 1 s jobs take 4 jobs/s
// for twelve hours and 7 for twelve more, and each half's 95th percentile
// wait is M/D/9's at that load, from queueing.MDcWaitOver (within 10%: a
// percentile of twelve hours of correlated waits, and the step's transient).
func TestEventsWaitSeries(t *testing.T) {
	s := simtest.RoundSetup(24 * time.Hour)
	s.Points = 1
	w := workload.Steps{Initial: 4, Steps: []workload.Step{{At: 43200, Rate: 7}}}
	// Over 150 seeds the second block's p95 spreads by 1.6% (standard
	// deviation): 10% holds for any BOXES_TEST_SEED.
	cfg := sim.JobsConfig{Seed: testseed.Seed(t), Queue: sim.Queue{Kind: sim.Unbounded}}
	r := runEvents(t, s, w, simtest.FixedRun(9), cfg, true)
	if len(r.Series.WaitP50) != 1 || r.Series.WaitP50[0] != r.Queueing.Wait.P50 || r.Series.WaitP99[0] != r.Queueing.Wait.P99 {
		t.Errorf("one point: p50 %v, p99 %v; the run's %g and %g", r.Series.WaitP50, r.Series.WaitP99, r.Queueing.Wait.P50, r.Queueing.Wait.P99)
	}

	s.Points = 2
	r = runEvents(t, s, w, simtest.FixedRun(9), cfg, true)
	for i, a := range []float64{4, 7} {
		// The 95th percentile: P(W > x) = 0.05, by bisection on x.
		lo, hi := 0.0, 100.0
		for range 60 {
			mid := (lo + hi) / 2
			p, err := queueing.MDcWaitOver(9, a, mid)
			if err != nil {
				t.Fatal(err)
			}
			if p > 0.05 {
				lo = mid
			} else {
				hi = mid
			}
		}
		if got := r.Series.WaitP95[i]; !simtest.Near(got, lo, 0.10) {
			t.Errorf("hour block %d (load %g): wait p95 %g, M/D/9 gives %g", i, a, got, lo)
		}
	}
}
