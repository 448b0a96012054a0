package sim

import (
	"context"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/boxes-project/boxes/policy"
	"github.com/boxes-project/boxes/queueing"
	"github.com/boxes-project/boxes/workload"
)

// fixedRun keeps c boxes throughout.
func fixedRun(c int) policy.Run {
	return policy.Run{Policy: policy.Func(func(*policy.Observation) int { return c }), Initial: c, Period: 3600}
}

// replicate runs r replications of the events engine and combines them.
func replicate(t *testing.T, r int, s Setup, w workload.Curve, run func() policy.Run, cfg JobsConfig) *Result {
	t.Helper()
	res, err := Replicate(context.Background(), r, 0, func(ctx context.Context, i int) (*Result, error) {
		c := cfg
		c.Seed = ReplicationSeed(cfg.Seed, i)
		return Events(ctx, s, w, run(), c)
	})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// within checks that the replications' mean got is within its 95%
// confidence half-width ci (plus slack, for the histogram's own error) of
// the exact value want, and reports the numbers.
func within(t *testing.T, name string, got, ci, slack, want float64) {
	t.Helper()
	d := math.Abs(got - want)
	t.Logf("%s: simulated %.6g ± %.2g, exact %.6g (%.2f half-widths off)", name, got, ci, want, d/ci)
	if !(d <= ci+slack) {
		t.Errorf("%s: simulated %.6g ± %.2g (95%%), exact %.6g: off by %.2g", name, got, ci, want, d)
	}
}

// outside checks that a wrong value is well outside the interval: the test
// above can fail.
func outside(t *testing.T, name string, got, ci, wrong float64) {
	t.Helper()
	if math.Abs(got-wrong) <= 3*ci {
		t.Errorf("%s: the simulation cannot tell %.6g from the wrong value %.6g (± %.2g)", name, got, wrong, ci)
	}
}

const theoryReps = 10

// theorySetup is a day of one-second jobs on a fixed fleet (the queueing
// functions are in units of the latency, 1 s here), with the first ten
// minutes left out as a warm-up.
func theorySetup() (Setup, JobsConfig) {
	s := testSetup(24 * time.Hour)
	return s, JobsConfig{Seed: 1, Warmup: 10 * time.Minute}
}

// TestEventsMDc checks the M/D/c queue (Poisson arrivals, fixed latency,
// unbounded FIFO queue) against the exact mean wait and probability of
// waiting of queueing.MDcMeanWait and MDcWaitProbability (Crommelin 1932 via
// Spitzer's identity), and one box against Pollaczek–Khinchine's
// ρ/(2(1 − ρ)) (queueing.MD1MeanWait).
func TestEventsMDc(t *testing.T) {
	for _, tc := range []struct {
		c int
		a float64
	}{
		{1, 0.7},  // M/D/1
		{10, 8},   // ρ = 0.8
		{50, 45},  // ρ = 0.9, a larger fleet
		{3, 1.5},  // light load
	} {
		t.Run(fmt.Sprintf("c=%d,a=%g", tc.c, tc.a), func(t *testing.T) {
			s, cfg := theorySetup()
			cfg.Queue.Kind = Unbounded
			r := replicate(t, theoryReps, s, workload.Constant(tc.a), func() policy.Run { return fixedRun(tc.c) }, cfg)
			q, ci := r.Queueing, r.CI
			w := queueing.MDcMeanWait(tc.c, tc.a)
			if tc.c == 1 {
				w = queueing.MD1MeanWait(tc.a)
			}
			within(t, "mean wait", q.Wait.Mean, ci.Wait.Mean, 0, w)
			within(t, "P(wait)", q.WaitProbability, ci.WaitProbability, 0, queueing.MDcWaitProbability(tc.c, tc.a))
			within(t, "mean queue (Little: λW)", q.MeanQueued, ci.MeanQueued, 0, tc.a*w)
			within(t, "busy fraction", r.BusyFraction, ci.BusyFraction, 0, tc.a/float64(tc.c))
			// M/M/c's mean wait, twice M/D/1's, is far outside.
			outside(t, "mean wait vs M/M/c", q.Wait.Mean, ci.Wait.Mean, queueing.MMcMeanWait(tc.c, tc.a))
			if r.Jobs.Missed != 0 || r.Jobs.Arrived != r.Jobs.Served+r.Jobs.Queued {
				t.Errorf("jobs %+v do not add up", r.Jobs)
			}
		})
	}
}

// TestEventsMMc checks M/M/c (exponential latency): the mean wait
// C(c, a)/(c − a) (queueing.MMcMeanWait), Erlang C's probability of
// waiting (queueing.ErlangC), and the 99th percentile of the wait, from
// P(W > x) = C·exp(−(c − a)x) (queueing.MMcWaitOver): x = ln(C/0.01)/(c − a).
func TestEventsMMc(t *testing.T) {
	for _, tc := range []struct {
		c int
		a float64
	}{
		{1, 0.5},
		{5, 4},
		{20, 17},
	} {
		t.Run(fmt.Sprintf("c=%d,a=%g", tc.c, tc.a), func(t *testing.T) {
			s, cfg := theorySetup()
			cfg.Queue.Kind = Unbounded
			cfg.Latency.Distribution = Exponential
			r := replicate(t, theoryReps, s, workload.Constant(tc.a), func() policy.Run { return fixedRun(tc.c) }, cfg)
			q, ci := r.Queueing, r.CI
			within(t, "mean wait", q.Wait.Mean, ci.Wait.Mean, 0, queueing.MMcMeanWait(tc.c, tc.a))
			within(t, "P(wait)", q.WaitProbability, ci.WaitProbability, 0, queueing.ErlangC(tc.c, tc.a))
			cw := queueing.ErlangC(tc.c, tc.a)
			p99 := math.Log(cw/0.01) / (float64(tc.c) - tc.a)
			within(t, "p99 wait", q.Wait.P99, ci.Wait.P99, HistogramError*p99, p99)
			within(t, "mean response", q.Response.Mean, ci.Response.Mean, 0, queueing.MMcMeanWait(tc.c, tc.a)+1)
			outside(t, "mean wait vs M/D/c", q.Wait.Mean, ci.Wait.Mean, queueing.MDcMeanWait(tc.c, tc.a))
		})
	}
}

// TestEventsErlangB checks the loss system (no queue) against Erlang B,
// which holds for fixed and exponential latency alike (insensitivity).
func TestEventsErlangB(t *testing.T) {
	for _, tc := range []struct {
		c    int
		a    float64
		dist LatencyKind
	}{
		{10, 8, Fixed},
		{10, 8, Exponential},
		{100, 90, Fixed},
		{5, 6, LogNormal}, // overloaded; log-normal with σ = 1
	} {
		t.Run(fmt.Sprintf("c=%d,a=%g,%s", tc.c, tc.a, tc.dist), func(t *testing.T) {
			s, cfg := theorySetup()
			cfg.Latency = Latency{Distribution: tc.dist, Sigma: 1}
			r := replicate(t, theoryReps, s, workload.Constant(tc.a), func() policy.Run { return fixedRun(tc.c) }, cfg)
			frac := r.Jobs.Missed / r.Jobs.Arrived
			// The fraction's half-width: the ratio's, to first order, as
			// arrivals vary far less than misses.
			ci := r.CI.Missed / r.Jobs.Arrived
			within(t, "P(miss)", frac, ci, 0, queueing.ErlangB(tc.c, tc.a))
			outside(t, "P(miss) vs Erlang C", frac, ci, queueing.ErlangC(tc.c, tc.a))
			if r.Queueing.Wait.Mean != 0 || r.Jobs.Queued != 0 {
				t.Errorf("a job waited without a queue: %+v", r.Jobs)
			}
		})
	}
}

// TestEventsTimeout checks M/M/c+D, exponential latency and a fixed
// deadline in the queue, against queueing.MMcDTimeout (Baccelli & Hébuterne
// 1981).
func TestEventsTimeout(t *testing.T) {
	for _, tc := range []struct {
		c    int
		a, d float64
	}{
		{1, 0.8, 1},
		{3, 2.5, 0.5},
		{10, 11, 0.2}, // overloaded: the deadline keeps it stable
	} {
		t.Run(fmt.Sprintf("c=%d,a=%g,d=%g", tc.c, tc.a, tc.d), func(t *testing.T) {
			s, cfg := theorySetup()
			cfg.Queue = Queue{Kind: Unbounded, Deadline: time.Duration(tc.d * 1e9)}
			cfg.Latency.Distribution = Exponential
			r := replicate(t, theoryReps, s, workload.Constant(tc.a), func() policy.Run { return fixedRun(tc.c) }, cfg)
			frac := r.Jobs.TimedOut / r.Jobs.Arrived
			within(t, "P(timeout)", frac, r.CI.TimedOut/r.Jobs.Arrived, 0, queueing.MMcDTimeout(tc.c, tc.a, tc.d))
			outside(t, "P(timeout) vs no deadline", frac, r.CI.TimedOut/r.Jobs.Arrived, queueing.MMcWaitOver(tc.c, tc.a, tc.d))
			if r.Queueing.Wait.P999 > tc.d*(1+HistogramError) {
				t.Errorf("a served job waited %g, past the deadline %g", r.Queueing.Wait.P999, tc.d)
			}
		})
	}
}
