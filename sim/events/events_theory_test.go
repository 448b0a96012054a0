package events

import (
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/boxes-project/boxes/policy"
	"github.com/boxes-project/boxes/queueing"
	"github.com/boxes-project/boxes/sim"
	"github.com/boxes-project/boxes/sim/internal/simtest"
	"github.com/boxes-project/boxes/workload"
	"gonum.org/v1/gonum/stat/distuv"
)

// theorySetup is a day of one-second jobs on a fixed fleet (the queueing
// functions are in units of the latency, 1 s here), with the first ten
// minutes left out as a warm-up. The seed is the family's.
func theorySetup() (sim.Setup, sim.JobsConfig) {
	s := simtest.RoundSetup(24 * time.Hour)
	return s, sim.JobsConfig{Warmup: 10 * time.Minute}
}

// Getters of the numbers the checks compare, per replication.
var (
	waitMean     = func(r *sim.Result) float64 { return r.Queueing.Wait.Mean }
	waitP99      = func(r *sim.Result) float64 { return r.Queueing.Wait.P99 }
	waitProb     = func(r *sim.Result) float64 { return r.Queueing.WaitProbability }
	meanQueued   = func(r *sim.Result) float64 { return r.Queueing.MeanQueued }
	busyFraction = func(r *sim.Result) float64 { return r.BusyFraction }
	responseMean = func(r *sim.Result) float64 { return r.Queueing.Response.Mean }
	missedShare  = func(r *sim.Result) float64 { return r.Jobs.Missed / r.Jobs.Arrived }
	timedOut     = func(r *sim.Result) float64 { return r.Jobs.TimedOut / r.Jobs.Arrived }
	lateShare    = func(r *sim.Result) float64 { return r.Jobs.Late / r.Jobs.Arrived }
	valueShare   = func(r *sim.Result) float64 { return r.Queueing.ValueFraction }
)

// TestEventsMDc checks the M/D/c queue (Poisson arrivals, fixed latency,
// unbounded FIFO queue) against the exact mean wait and probability of
// waiting of queueing.MDcMeanWait and MDcWaitProbability (Crommelin 1932 via
// Spitzer's identity), and one box against Pollaczek–Khinchine's
// ρ/(2(1 − ρ)) (queueing.MD1MeanWait).
func TestEventsMDc(t *testing.T)       { theoryMDc(t, newFamily(t, unbiased, false, 16)) }
func TestEventsMDcBiased(t *testing.T) { theoryMDc(t, newFamily(t, biasedEvents, true, 16)) }

func theoryMDc(t *testing.T, f *family) {
	for _, tc := range []struct {
		c    int
		a    float64
		reps int
	}{
		{1, 0.7, 200}, // M/D/1
		{10, 8, 60},   // ρ = 0.8
		{50, 45, 30},  // ρ = 0.9, a larger fleet
		{3, 1.5, 100}, // light load
	} {
		t.Run(fmt.Sprintf("c=%d,a=%g", tc.c, tc.a), func(t *testing.T) {
			s, cfg := theorySetup()
			cfg.Queue.Kind = sim.Unbounded
			rs := f.runs(t, tc.reps, s, workload.Constant(tc.a), func() policy.Run { return simtest.FixedRun(tc.c) }, cfg)
			w := queueing.MDcMeanWait(tc.c, tc.a)
			if tc.c == 1 {
				w = queueing.MD1MeanWait(tc.a)
			}
			c := f.start(t)
			c.within("mean wait", rs, waitMean, 0, w)
			c.within("P(wait)", rs, waitProb, 0, queueing.MDcWaitProbability(tc.c, tc.a))
			c.within("mean queue (Little: λW)", rs, meanQueued, 0, tc.a*w)
			c.within("busy fraction", rs, busyFraction, 0, tc.a/float64(tc.c))
			// M/M/c's mean wait, twice M/D/1's, is far outside.
			c.outside("mean wait vs M/M/c", rs, waitMean, queueing.MMcMeanWait(tc.c, tc.a))
			for _, r := range rs {
				if r.Jobs.Missed != 0 || r.Jobs.Arrived != r.Jobs.Served+r.Jobs.Queued {
					t.Errorf("jobs %+v do not add up", r.Jobs)
				}
			}
		})
	}
}

// TestEventsMMc checks M/M/c (exponential latency): the mean wait
// C(c, a)/(c − a) (queueing.MMcMeanWait), Erlang C's probability of
// waiting (queueing.ErlangC), and the 99th percentile of the wait, from
// P(W > x) = C·exp(−(c − a)x) (queueing.MMcWaitOver): x = ln(C/0.01)/(c − a).
func TestEventsMMc(t *testing.T)       { theoryMMc(t, newFamily(t, unbiased, false, 12)) }
func TestEventsMMcBiased(t *testing.T) { theoryMMc(t, newFamily(t, biasedEvents, true, 12)) }

func theoryMMc(t *testing.T, f *family) {
	for _, tc := range []struct {
		c    int
		a    float64
		reps int
	}{
		{1, 0.5, 200},
		{5, 4, 80},
		{20, 17, 40},
	} {
		t.Run(fmt.Sprintf("c=%d,a=%g", tc.c, tc.a), func(t *testing.T) {
			s, cfg := theorySetup()
			cfg.Queue.Kind = sim.Unbounded
			cfg.Latency.Distribution = sim.Exponential
			rs := f.runs(t, tc.reps, s, workload.Constant(tc.a), func() policy.Run { return simtest.FixedRun(tc.c) }, cfg)
			c := f.start(t)
			c.within("mean wait", rs, waitMean, 0, queueing.MMcMeanWait(tc.c, tc.a))
			c.within("P(wait)", rs, waitProb, 0, queueing.ErlangC(tc.c, tc.a))
			cw := queueing.ErlangC(tc.c, tc.a)
			p99 := math.Log(cw/0.01) / (float64(tc.c) - tc.a)
			c.within("p99 wait", rs, waitP99, HistogramError*p99, p99)
			c.within("mean response", rs, responseMean, 0, queueing.MMcMeanWait(tc.c, tc.a)+1)
			c.outside("mean wait vs M/D/c", rs, waitMean, queueing.MDcMeanWait(tc.c, tc.a))
		})
	}
}

// TestEventsErlangB checks the loss system (no queue) against Erlang B,
// which holds for fixed and exponential latency alike (insensitivity).
func TestEventsErlangB(t *testing.T)       { theoryErlangB(t, newFamily(t, unbiased, false, 4)) }
func TestEventsErlangBBiased(t *testing.T) { theoryErlangB(t, newFamily(t, biasedEvents, true, 4)) }

func theoryErlangB(t *testing.T, f *family) {
	for _, tc := range []struct {
		c    int
		a    float64
		dist sim.LatencyKind
		reps int
	}{
		{10, 8, sim.Fixed, 20},
		{10, 8, sim.Exponential, 20},
		{100, 90, sim.Fixed, 10},
		{5, 6, sim.LogNormal, 20}, // overloaded; log-normal with σ = 1
	} {
		t.Run(fmt.Sprintf("c=%d,a=%g,%s", tc.c, tc.a, tc.dist), func(t *testing.T) {
			s, cfg := theorySetup()
			cfg.Latency = sim.Latency{Distribution: tc.dist, Sigma: 1}
			rs := f.runs(t, tc.reps, s, workload.Constant(tc.a), func() policy.Run { return simtest.FixedRun(tc.c) }, cfg)
			c := f.start(t)
			c.within("P(miss)", rs, missedShare, 0, queueing.ErlangB(tc.c, tc.a))
			c.outside("P(miss) vs Erlang C", rs, missedShare, queueing.ErlangC(tc.c, tc.a))
			for _, r := range rs {
				if r.Queueing.Wait.Mean != 0 || r.Jobs.Queued != 0 {
					t.Errorf("a job waited without a queue: %+v", r.Jobs)
				}
			}
		})
	}
}

// TestEventsTimeout checks M/M/c+D, exponential latency and a fixed
// deadline in the queue, against queueing.MMcDTimeout (Baccelli & Hébuterne
// 1981).
func TestEventsTimeout(t *testing.T)       { theoryTimeout(t, newFamily(t, unbiased, false, 3)) }
func TestEventsTimeoutBiased(t *testing.T) { theoryTimeout(t, newFamily(t, biasedEvents, true, 3)) }

func theoryTimeout(t *testing.T, f *family) {
	for _, tc := range []struct {
		c    int
		a, d float64
		reps int
	}{
		{1, 0.8, 1, 60},
		{3, 2.5, 0.5, 40},
		{10, 11, 0.2, 20}, // overloaded: the deadline keeps it stable
	} {
		t.Run(fmt.Sprintf("c=%d,a=%g,d=%g", tc.c, tc.a, tc.d), func(t *testing.T) {
			s, cfg := theorySetup()
			cfg.Queue = sim.Queue{Kind: sim.Unbounded, Deadline: time.Duration(tc.d * 1e9)}
			cfg.Latency.Distribution = sim.Exponential
			rs := f.runs(t, tc.reps, s, workload.Constant(tc.a), func() policy.Run { return simtest.FixedRun(tc.c) }, cfg)
			c := f.start(t)
			c.within("P(timeout)", rs, timedOut, 0, queueing.MMcDTimeout(tc.c, tc.a, tc.d))
			c.outside("P(timeout) vs no deadline", rs, timedOut, queueing.MMcWaitOver(tc.c, tc.a, tc.d))
			for _, r := range rs {
				if r.Queueing.Wait.P999 > tc.d*(1+HistogramError) {
					t.Errorf("a served job waited %g, past the deadline %g", r.Queueing.Wait.P999, tc.d)
				}
			}
		})
	}
}

// TestEventsTimeVarying checks an infinite-server queue under a sinusoidal
// rate, λ(t) = λ̄(1 + A cos ω(t − P)) (workload.Daily), against Eick, Massey
// and Whitt, "The physics of the M_t/G/∞ queue", Operations Research 41
// (1993): the mean number of busy boxes is m(t) = ∫₀^∞ λ(t − u) P(S > u) du.
// In closed form, with τ = t − P,
//
//	fixed latency D:      m(t) = λ̄D + (λ̄A/ω)(sin ωτ − sin ω(τ − D))
//	exponential, mean 1/μ: m(t) = λ̄/μ + λ̄A(μ cos ωτ + ω sin ωτ)/(μ² + ω²)
//
// that is, the naive λ(t) × mean latency lagged (by D/2, and by
// atan(ω/μ)/ω) and damped (by sin(ωD/2)/(ωD/2), and by μ/√(μ² + ω²)). The
// series' Busy is the time average over each one-minute point, compared
// with the average of m over the point (Simpson's rule on the closed form):
// every point within the family's bound of standard errors (pooled over
// the points, across replications; Bonferroni over every point of both
// cases, at most 2 × 120, for a family-wise error rate of familyAlpha: about
// 4.9 standard errors), while the naive curve is dozens of standard errors away
// and swings wider.
func TestEventsTimeVarying(t *testing.T) {
	theoryTimeVarying(t, newFamily(t, unbiased, false, 240))
}
func TestEventsTimeVaryingBiased(t *testing.T) {
	theoryTimeVarying(t, newFamily(t, biasedEvents, true, 240))
}

func theoryTimeVarying(t *testing.T, f *family) {
	const (
		mean   = 50.0  // jobs/s
		ratio  = 3.0   // peak / trough: A = 0.5
		period = 600.0 // seconds
		peak   = 150.0 // seconds
	)
	amp := (ratio - 1) / (ratio + 1)
	omega := 2 * math.Pi / period
	for _, tc := range []struct {
		dist    sim.LatencyKind
		latency float64
		m       func(t float64) float64
	}{
		{sim.Fixed, 240, func(t float64) float64 {
			tau, d := t-peak, 240.0
			return mean*d + mean*amp/omega*(math.Sin(omega*tau)-math.Sin(omega*(tau-d)))
		}},
		{sim.Exponential, 100, func(t float64) float64 {
			tau, mu := t-peak, 1/100.0
			return mean/mu + mean*amp*(mu*math.Cos(omega*tau)+omega*math.Sin(omega*tau))/(mu*mu+omega*omega)
		}},
	} {
		t.Run(string(tc.dist), func(t *testing.T) {
			s := simtest.RoundSetup(2 * time.Hour)
			s.Box.Latency = time.Duration(tc.latency * 1e9)
			s.Points = 120 // one-minute points
			w := workload.Daily{Mean: mean, Ratio: ratio, Period: period, Peak: peak}
			cfg := sim.JobsConfig{Latency: sim.Latency{Distribution: tc.dist}}
			const reps = 8
			runs := f.runs(t, reps, s, w, func() policy.Run { return simtest.FixedRun(20000) }, cfg)
			for _, r := range runs {
				if r.Jobs.Missed > 0 {
					t.Fatalf("%g jobs missed: the fleet is not unlimited", r.Jobs.Missed)
				}
			}
			sr := runs[0].Series
			var got, want, naive []float64
			pooled := 0.0
			for p := range sr.Len() {
				t0 := sr.Time[p]
				if t0 < 10*tc.latency { // the run starts empty
					continue
				}
				var sum, ss float64
				for _, r := range runs {
					sum += r.Series.Busy[p]
				}
				g := sum / reps
				for _, r := range runs {
					ss += (r.Series.Busy[p] - g) * (r.Series.Busy[p] - g)
				}
				pooled += ss / (reps - 1)
				got = append(got, g)
				want = append(want, simpsonAvg(tc.m, t0, t0+sr.Interval))
				naive = append(naive, simpsonAvg(func(t float64) float64 { return w.Rate(t) * tc.latency }, t0, t0+sr.Interval))
			}
			se := math.Sqrt(pooled / float64(len(got)) / reps)
			worst, naiveRMS := 0.0, 0.0
			for i := range got {
				worst = math.Max(worst, math.Abs(got[i]-want[i])/se)
				naiveRMS += (got[i] - naive[i]) * (got[i] - naive[i])
			}
			naiveRMS = math.Sqrt(naiveRMS/float64(len(got))) / se
			swing := func(x []float64) float64 { return slices.Max(x) - slices.Min(x) }
			t.Logf("%d points, standard error %.1f boxes: worst %.2f from m(t); naive λ(t)L %.0f off (RMS)", len(got), se, worst, naiveRMS)
			t.Logf("swing of busy boxes %.0f, of m(t) %.0f, of the naive curve %.0f", swing(got), swing(want), swing(naive))
			f.made += len(got)
			bound := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(len(got) * (reps - 1))}.Quantile(1 - familyAlpha/(2*float64(f.k)))
			c := f.start(t)
			switch {
			case worst <= bound:
			case f.biased:
				c.rejected = append(c.rejected, fmt.Sprintf("busy boxes (%.2f standard errors off, bound %.2f)", worst, bound))
			default:
				t.Errorf("busy boxes %.2f standard errors from Eick–Massey–Whitt's m(t) at worst, bound %.2f (family-wise α %g, seed %d)", worst, bound, familyAlpha, f.seed)
			}
			if naiveRMS < 20 {
				t.Errorf("the naive curve is only %.1f standard errors away: the test cannot tell them apart", naiveRMS)
			}
			if math.Abs(swing(got)-swing(want)) > 0.05*swing(want) || swing(got) > 0.9*swing(naive) {
				t.Errorf("busy boxes swing %.0f: m(t) swings %.0f, the naive curve %.0f", swing(got), swing(want), swing(naive))
			}
		})
	}
}

// simpsonAvg is the mean of f over [a, b] by Simpson's rule on 200 panels.
func simpsonAvg(f func(float64) float64, a, b float64) float64 {
	const n = 200
	h := (b - a) / n
	s := f(a) + f(b)
	for i := 1; i < n; i++ {
		w := 2.0
		if i%2 == 1 {
			w = 4
		}
		s += w * f(a+float64(i)*h)
	}
	return s * h / 3 / (b - a)
}

// TestEventsMG1 checks one box with a general latency S against the
// Pollaczek–Khinchine mean wait (Pollaczek 1930, Khinchine 1932),
//
//	W = λ·E[S²] / (2(1 − ρ)),   ρ = λ·E[S],
//
// for a log-normal latency (E[S²] = E[S]²·exp(σ²)) and an empirical one
// (E[S²] the samples' mean square), both with mean 1 s.
func TestEventsMG1(t *testing.T)       { theoryMG1(t, newFamily(t, unbiased, false, 6)) }
func TestEventsMG1Biased(t *testing.T) { theoryMG1(t, newFamily(t, biasedEvents, true, 6)) }

func theoryMG1(t *testing.T, f *family) {
	samples := []float64{0.2, 0.5, 1.0, 2.3} // mean 1, mean square 1.645
	for _, tc := range []struct {
		name string
		lat  sim.Latency
		es2  float64
		reps int
	}{
		{"lognormal σ=0.5", sim.Latency{Distribution: sim.LogNormal, Sigma: 0.5}, math.Exp(0.25), 200},
		{"lognormal σ=1", sim.Latency{Distribution: sim.LogNormal, Sigma: 1}, math.E, 200},
		{"empirical", sim.Latency{Distribution: sim.Empirical, Samples: samples}, 1.645, 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			const lambda = 0.6
			s, cfg := theorySetup()
			cfg.Queue.Kind = sim.Unbounded
			cfg.Latency = tc.lat
			rs := f.runs(t, tc.reps, s, workload.Constant(lambda), func() policy.Run { return simtest.FixedRun(1) }, cfg)
			w := lambda * tc.es2 / (2 * (1 - lambda))
			c := f.start(t)
			c.within("mean wait", rs, waitMean, 0, w)
			c.within("P(wait) = ρ", rs, waitProb, 0, lambda)
			c.outside("mean wait vs M/D/1", rs, waitMean, queueing.MD1MeanWait(lambda))
		})
	}
}

// TestEventsValueMM1 checks the value functions and late jobs on M/M/1,
// whose response time R is exponential with rate θ = μ − λ (Kleinrock,
// Queueing Systems I, 1975, §3.2), so that with latency 1 s and λ = 0.5:
//
//	late:        P(R > x) = e^(−θx)
//	step:        E[1{R ≤ D}] = 1 − e^(−θD)
//	exponential: E[2^(−R/h)] = θ / (θ + ln 2 / h)
//	linear:      E[max(0, 1 − R/H)] = 1 − (1 − e^(−θH)) / (θH)
//
// each over the jobs arrived (all are served: no queue limit).
func TestEventsValueMM1(t *testing.T)       { theoryValueMM1(t, newFamily(t, unbiased, false, 9)) }
func TestEventsValueMM1Biased(t *testing.T) { theoryValueMM1(t, newFamily(t, biasedEvents, true, 9)) }

func theoryValueMM1(t *testing.T, f *family) {
	const lambda = 0.5
	theta := 1 - lambda
	for _, tc := range []struct {
		v    sim.Value
		want float64
	}{
		{sim.Value{Kind: sim.StepValue, Deadline: 3 * time.Second}, 1 - math.Exp(-theta*3)},
		{sim.Value{Kind: sim.Decay, HalfLife: 2 * time.Second}, theta / (theta + math.Ln2/2)},
		{sim.Value{Kind: sim.Linear, Horizon: 4 * time.Second}, 1 - (1-math.Exp(-theta*4))/(theta*4)},
	} {
		t.Run(string(tc.v.Kind), func(t *testing.T) {
			s, cfg := theorySetup()
			cfg.Queue = sim.Queue{Kind: sim.Unbounded, LateAfter: 5 * time.Second}
			cfg.Latency.Distribution = sim.Exponential
			cfg.Value = tc.v
			rs := f.runs(t, 200, s, workload.Constant(lambda), func() policy.Run { return simtest.FixedRun(1) }, cfg)
			c := f.start(t)
			c.within("value per job", rs, valueShare, 0, tc.want)
			c.within("late share", rs, lateShare, 0, math.Exp(-theta*5))
			c.within("mean response 1/θ", rs, responseMean, 0, 1/theta)
		})
	}
}
