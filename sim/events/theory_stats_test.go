package events

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/boxes-project/boxes/internal/testseed"
	"github.com/boxes-project/boxes/policy"
	"github.com/boxes-project/boxes/sim"
	"github.com/boxes-project/boxes/sim/internal/simtest"
	"github.com/boxes-project/boxes/workload"
	"gonum.org/v1/gonum/stat/distuv"
)

// The statistical tests of the events engine against queueing theory
// (events_theory_test.go) are honest for any seed: each test function is one
// family of checks whose family-wise error rate, the probability that a
// correct engine fails any of its checks, is at most familyAlpha. Each check
// compares the mean over R independent replications with the exact value
// at the Bonferroni level familyAlpha/k (k the family's declared number of
// checks): it fails when
//
//	|mean − exact| > t(1 − α/(2k), R − 1) · s/√R + slack
//
// (Student's t, s the replications' sample standard deviation; each
// replication's number is an average over tens of thousands of jobs, so
// close to normal). Bonferroni holds whatever the checks' dependence.
//
// Each case's replications (a day each) are enough that every check's
// half-width is within about 1.5% of the exact value (the p99 wait's 2.2%,
// with the histogram's 0.4% in it; `go test -v` logs each), so a 2% error
// in any one quantity is caught more often than not, and the families'
// mixes of quantities together catch the bias below every time.
//
// The same checks run against biasedEvents, the engine with every job 2%
// slower than the theory assumes; there each case must fail at least one
// check, which shows that the bound is tight enough to catch a 2% bias.
//
// BOXES_TEST_SEED (package testseed) re-seeds every replication; CI runs
// with the committed seed, and `go test ./sim/events -run Theory` over seeds 1–50
// must pass every time.
const familyAlpha = 1e-3

// engine runs the events engine, or a deliberately biased one.
type engineFunc func(ctx context.Context, s sim.Setup, w workload.Curve, run policy.Run, cfg sim.JobsConfig) (*sim.Result, error)

// unbiased is the events engine as it is.
var unbiased engineFunc = Events

// biasedEvents is the events engine with every job 2% slower than its
// setup says (fixed and exponential latency scale with Box.Latency, an
// empirical one with its samples): a planted bias the theory tests must see.
func biasedEvents(ctx context.Context, s sim.Setup, w workload.Curve, run policy.Run, cfg sim.JobsConfig) (*sim.Result, error) {
	const bias = 1.02
	s.Box.Latency = time.Duration(float64(s.Box.Latency) * bias)
	if len(cfg.Latency.Samples) > 0 {
		xs := make([]float64, len(cfg.Latency.Samples))
		for i, x := range cfg.Latency.Samples {
			xs[i] = x * bias
		}
		cfg.Latency.Samples = xs
	}
	return Events(ctx, s, w, run, cfg)
}

// family is one test function's checks.
type family struct {
	t      *testing.T
	eng    engineFunc
	biased bool
	k      int // checks declared: the Bonferroni divisor
	made   int // checks made
	seed   uint64
}

// newFamily starts a family of k checks on engine eng; biased says eng is
// biasedEvents, whose cases must each fail a check.
func newFamily(t *testing.T, eng engineFunc, biased bool, k int) *family {
	f := &family{t: t, eng: eng, biased: biased, k: k, seed: testseed.Seed(t)}
	t.Cleanup(func() {
		if f.made > f.k {
			t.Errorf("the family made %d checks but declared %d: its error rate is not bounded by %g", f.made, f.k, familyAlpha)
		}
	})
	return f
}

// quantile is the multiplier of one check's half-width with R replications.
func (f *family) quantile(reps int) float64 {
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(reps - 1)}.Quantile(1 - familyAlpha/(2*float64(f.k)))
}

// runs are R replications of one case, seeded from the family's seed.
func (f *family) runs(t *testing.T, reps int, s sim.Setup, w workload.Curve, run func() policy.Run, cfg sim.JobsConfig) []*sim.Result {
	t.Helper()
	rs := make([]*sim.Result, reps)
	_, err := sim.RunEach(context.Background(), reps, 0, func(ctx context.Context, i int) error {
		c := cfg
		c.Seed = sim.ReplicationSeed(f.seed, i)
		var err error
		rs[i], err = f.eng(ctx, s, w, run(), c)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

// caseChecks are the checks of one case (a subtest).
type caseChecks struct {
	f        *family
	t        *testing.T
	rejected []string
}

func (f *family) start(t *testing.T) *caseChecks {
	c := &caseChecks{f: f, t: t}
	if f.biased {
		t.Cleanup(func() {
			if len(c.rejected) == 0 {
				t.Errorf("the engine with a 2%% latency bias passed every check: the test cannot see a 2%% bias")
			} else {
				t.Logf("the 2%% bias fails %s", strings.Join(c.rejected, ", "))
			}
		})
	}
	return c
}

// meanSE is the mean of x over the runs and its standard error.
func meanSE(rs []*sim.Result, x func(*sim.Result) float64) (mean, se float64) {
	n := float64(len(rs))
	for _, r := range rs {
		mean += x(r)
	}
	mean /= n
	ss := 0.0
	for _, r := range rs {
		d := x(r) - mean
		ss += d * d
	}
	return mean, math.Sqrt(ss / (n - 1) / n)
}

// within checks that the runs' mean of x is the exact value want, within
// the family's half-width (plus slack, for the histogram's own error).
func (c *caseChecks) within(name string, rs []*sim.Result, x func(*sim.Result) float64, slack, want float64) {
	c.t.Helper()
	c.f.made++
	m, se := meanSE(rs, x)
	h := c.f.quantile(len(rs))*se + slack
	d := math.Abs(m - want)
	c.t.Logf("%s: simulated %.6g ± %.2g (%.2f%% of exact, family α %g), exact %.6g, %.2f half-widths off",
		name, m, h, 100*h/math.Abs(want), familyAlpha, want, d/h)
	if d <= h {
		return
	}
	if c.f.biased {
		c.rejected = append(c.rejected, name)
		return
	}
	c.t.Errorf("%s: simulated %.6g ± %.2g (family-wise α %g over %d checks, seed %d), exact %.6g: off by %.2g",
		name, m, h, familyAlpha, c.f.k, c.f.seed, want, d)
}

// outside checks that a wrong value is far outside the half-width: the
// checks above can fail. (The wrong values are tens of percent away.)
func (c *caseChecks) outside(name string, rs []*sim.Result, x func(*sim.Result) float64, wrong float64) {
	c.t.Helper()
	m, se := meanSE(rs, x)
	if h := c.f.quantile(len(rs)) * se; math.Abs(m-wrong) <= 3*h {
		c.t.Errorf("%s: the simulation cannot tell %.6g from the wrong value %.6g (± %.2g)", name, m, wrong, h)
	}
}

// TestStudentTQuantile checks the half-width's multiplier against printed
// tables: t(0.975, 9) = 2.262 and t(0.9995, 30) = 3.646 (Fisher & Yates,
// Statistical Tables, table III; any t table), and that the family's
// multiplier grows with the number of checks as Bonferroni says.
func TestStudentTQuantile(t *testing.T) {
	for _, tc := range []struct {
		p    float64
		df   int
		want float64
	}{
		{0.975, 9, 2.262},
		{0.9995, 30, 3.646},
		{0.995, 120, 2.617},
	} {
		got := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(tc.df)}.Quantile(tc.p)
		if math.Abs(got-tc.want) > 0.0015 {
			t.Errorf("t(%g, %d) = %.4f, tables say %.3f", tc.p, tc.df, got, tc.want)
		}
	}
	f1, f16 := &family{k: 1}, &family{k: 16}
	if !(f1.quantile(40) < f16.quantile(40)) {
		t.Errorf("16 checks must widen each: %g, %g", f1.quantile(40), f16.quantile(40))
	}
}

// TestBiasedEventsSlower checks the planted bias itself: with no queue
// and a fleet far larger than needed, the busy fraction is λL/c exactly in
// expectation, so the biased engine's is 2% higher (λ = 50/s, L = 1 s,
// c = 100: 0.5 → 0.51). Over 4 hours the busy fraction's standard error is
// about 0.51/√(50·14400) = 0.0006 (Poisson arrivals), so ± 0.004 is over 6
// standard errors and still tells 0.51 from 0.5.
func TestBiasedEventsSlower(t *testing.T) {
	s := simtest.RoundSetup(4 * time.Hour)
	r, err := biasedEvents(context.Background(), s, workload.Constant(50), simtest.FixedRun(100), sim.JobsConfig{Seed: testseed.Seed(t), Warmup: 10 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(r.BusyFraction-0.51) > 0.004 {
		t.Errorf("busy fraction %g with a 2%% slower job, want 0.51", r.BusyFraction)
	}
}
