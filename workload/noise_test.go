package workload

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/boxes-project/boxes/internal/testseed"
	"gonum.org/v1/gonum/stat/distuv"
)

// TestNoiseFactorStatistics: over N = 200,000 intervals the factor's mean is
// 1 and the standard deviation of its log is Sigma. The factor is
// log-normal, f = exp(σz − σ²/2), so E f = 1 and Var f = e^{σ²} − 1; the
// sample mean's standard error is √((e^{σ²} − 1)/N), the sample log-sd's
// about σ/√(2N). Each check allows 5 standard errors (a false alarm with
// probability 5.7e-7), so the 48 checks fail together with probability at
// most 2.8e-5 (Bonferroni) for any BOXES_TEST_SEED.
// The fraction of |z| < 1 checks the shape: Φ(1) − Φ(−1) = 0.682689
// (Abramowitz & Stegun 26.2), standard error √(p(1 − p)/N).
func TestNoiseFactorStatistics(t *testing.T) {
	const N = 200000
	base := testseed.Seed(t)
	for _, sigma := range []float64{0.05, 0.1, 0.5, 1} {
		for _, seed := range []uint64{testseed.Mix(base, 0), testseed.Mix(base, 1), testseed.Mix(base, 2)} {
			n := Noise{Curve: Constant(1), Sigma: sigma, Interval: 60, Seed: seed}
			var sum, sumLog, sumLog2 float64
			inside := 0
			for k := range N {
				f := n.Factor(float64(k)*60 + 30)
				sum += f
				l := math.Log(f)
				sumLog += l
				sumLog2 += l * l
				if z := (l + sigma*sigma/2) / sigma; math.Abs(z) < 1 {
					inside++
				}
			}
			mean := sum / N
			logMean := sumLog / N
			logSD := math.Sqrt(sumLog2/N - logMean*logMean)
			seMean := math.Sqrt(math.Expm1(sigma*sigma) / N)
			if math.Abs(mean-1) > 5*seMean {
				t.Errorf("sigma %g seed %d: mean factor %.5f, want 1 ± %.5f", sigma, seed, mean, 5*seMean)
			}
			if se := sigma / math.Sqrt(2*N); math.Abs(logSD-sigma) > 5*se {
				t.Errorf("sigma %g seed %d: sd of log factor %.5f, want %g ± %.5f", sigma, seed, logSD, sigma, 5*se)
			}
			if se := sigma / math.Sqrt(N); math.Abs(logMean+sigma*sigma/2) > 5*se {
				t.Errorf("sigma %g seed %d: mean log factor %.5f, want %.5f ± %.5f", sigma, seed, logMean, -sigma*sigma/2, 5*se)
			}
			p := float64(inside) / N
			if se := math.Sqrt(0.682689 * (1 - 0.682689) / N); math.Abs(p-0.682689) > 5*se {
				t.Errorf("sigma %g seed %d: P(|z| < 1) = %.5f, want 0.68269 ± %.5f", sigma, seed, p, 5*se)
			}
		}
	}
}

// TestNoiseFactorsIndependent: consecutive factors are uncorrelated (the
// lag-1 correlation of z over N intervals has standard error 1/√N; 5 of
// them, a false alarm with probability 5.7e-7).
func TestNoiseFactorsIndependent(t *testing.T) {
	const N = 100000
	n := Noise{Curve: Constant(1), Sigma: 1, Interval: 1, Seed: testseed.Mix(testseed.Seed(t), 5)}
	z := make([]float64, N)
	for k := range z {
		z[k] = math.Log(n.Factor(float64(k))) + 0.5
	}
	var c0, c1 float64
	for k := range N - 1 {
		c0 += z[k] * z[k]
		c1 += z[k] * z[k+1]
	}
	if r := c1 / c0; math.Abs(r) > 5/math.Sqrt(N) {
		t.Errorf("lag-1 correlation %.4f, want 0 ± %.4f", r, 5/math.Sqrt(N))
	}
}

// TestNoiseDeterministic: the factor is a function of (seed, interval): the
// same in any reading order, the same for every instant of an interval,
// different for another seed.
func TestNoiseDeterministic(t *testing.T) {
	a := Noise{Curve: Constant(1), Sigma: 0.3, Interval: 10, Seed: 42}
	b := Noise{Curve: Constant(1), Sigma: 0.3, Interval: 10, Seed: 43}
	forward := make([]float64, 1000)
	for k := range forward {
		forward[k] = a.Factor(float64(k) * 10)
	}
	differ := 0
	for k := len(forward) - 1; k >= 0; k-- {
		x := float64(k) * 10
		for _, off := range []float64{0, 3.3, 9.999} {
			if f := a.Factor(x + off); f != forward[k] {
				t.Fatalf("interval %d at +%g: factor %g, earlier %g", k, off, f, forward[k])
			}
		}
		if b.Factor(x) != forward[k] {
			differ++
		}
	}
	if differ < 990 {
		t.Errorf("seeds 42 and 43 give different factors in only %d of 1000 intervals", differ)
	}
	// A pinned value: the hash and Box–Muller transform are a contract, so
	// that a scenario's noise does not change between versions.
	if f := a.Factor(0); math.Abs(f-pinnedFactor) > 1e-15 {
		t.Errorf("Factor(0) with seed 42 = %.17g, pinned %.17g", f, pinnedFactor)
	}
	// Negative times have factors too.
	if f := a.Factor(-5); f <= 0 || f == a.Factor(5) {
		t.Errorf("Factor(-5) = %g", f)
	}
}

// pinnedFactor is Noise{Sigma: 0.3, Interval: 10, Seed: 42}.Factor(0) as
// computed by this package when the test was written (a regression value,
// not an independent one).
const pinnedFactor = 0.92364132736545146

// TestPoissonMoments: the sample mean and variance of 200,000 draws match μ
// for small and large means, on both sides of the switch at μ = 10. The
// sample mean has standard error √(μ/N); the sample variance about
// √((μ + 2μ²)/N) (the Poisson fourth central moment is μ + 3μ²). Each check
// allows 5 standard errors: the 14 checks fail together with probability at
// most 8e-6 (Bonferroni) for any BOXES_TEST_SEED.
func TestPoissonMoments(t *testing.T) {
	const N = 200000
	seed := testseed.Mix(testseed.Seed(t), 7)
	for _, mu := range []float64{0.5, 3, 9.9, 10, 50, 1e4, 1e7} {
		r := rand.New(rand.NewPCG(seed, uint64(mu*10)))
		var sum, sum2 float64
		for range N {
			k := float64(PoissonCount(r, mu))
			if k < 0 {
				t.Fatalf("mu %g: count %g", mu, k)
			}
			sum += k
			sum2 += k * k
		}
		mean := sum / N
		variance := (sum2 - sum*sum/N) / (N - 1)
		if se := math.Sqrt(mu / N); math.Abs(mean-mu) > 5*se {
			t.Errorf("mu %g: mean %.5f, want %g ± %.5f", mu, mean, mu, 5*se)
		}
		if se := math.Sqrt((mu + 2*mu*mu) / N); math.Abs(variance-mu) > 5*se {
			t.Errorf("mu %g: variance %.5f, want %g ± %.5f", mu, variance, mu, 5*se)
		}
	}
}

// poissonPMF is e^{−μ} μ^k / k!, by logarithms.
func poissonPMF(mu float64, k int) float64 {
	lg, _ := math.Lgamma(float64(k) + 1)
	return math.Exp(float64(k)*math.Log(mu) - mu - lg)
}

// TestPoissonPMF checks the test's own pmf against R:
//
//	options(digits=17); dpois(3, 3); dpois(0, 0.5); dpois(60, 50); dpois(10000, 10000)
func TestPoissonPMF(t *testing.T) {
	for _, tt := range []struct {
		mu   float64
		k    int
		want float64
	}{
		{3, 3, 0.22404180765538778},
		{0.5, 0, 0.60653065971263342},
		{50, 60, 0.020104872145676238},
		{10000, 10000, 0.003989389558962826},
	} {
		if got := poissonPMF(tt.mu, tt.k); !near(got, tt.want, 1e-11, 0) {
			t.Errorf("pmf(%d; %g) = %.17g, R says %.17g", tt.k, tt.mu, got, tt.want)
		}
	}
}

// TestPoissonChiSquare: Pearson's chi-square test of 100,000 draws against
// the Poisson pmf. Cells are runs of whole numbers (width ⌈√μ/4⌉) with
// tails merged until each expects at least 20 draws; the statistic must stay
// below the 1 − 0.001/7 quantile of chi-square with cells − 1 degrees of
// freedom, so that the 7 checks fail together with probability at most
// 0.001 (Bonferroni) for any BOXES_TEST_SEED. The quantile is gonum's,
// checked against R's 0.999 quantiles (table chi999 below).
func TestPoissonChiSquare(t *testing.T) {
	const N = 100000
	mus := []float64{0.5, 3, 9.9, 10, 15, 50, 1e4}
	seed := testseed.Mix(testseed.Seed(t), 2024)
	for df, want := range chi999 {
		if got := (distuv.ChiSquared{K: float64(df)}).Quantile(0.999); math.Abs(got-want) > 1e-6*want {
			t.Errorf("gonum's 0.999 quantile of chi-square(%d) = %.10g, R says %.10g", df, got, want)
		}
	}
	for _, mu := range mus {
		width := int(math.Ceil(math.Sqrt(mu) / 4))
		// Cells [lo_i, hi_i) over k = 0…kmax, kmax far in the upper tail.
		kmax := int(mu + 12*math.Sqrt(mu) + 20)
		var cells []struct {
			lo, hi int
			p      float64
		}
		for lo := 0; lo <= kmax; lo += width {
			p := 0.0
			for k := lo; k < lo+width; k++ {
				p += poissonPMF(mu, k)
			}
			cells = append(cells, struct {
				lo, hi int
				p      float64
			}{lo, lo + width, p})
		}
		// Merge the tails into neighbours until each cell expects ≥ 20.
		for len(cells) > 1 && cells[0].p*N < 20 {
			cells[1].lo, cells[1].p = cells[0].lo, cells[1].p+cells[0].p
			cells = cells[1:]
		}
		for len(cells) > 1 && cells[len(cells)-1].p*N < 20 {
			n := len(cells)
			cells[n-2].hi, cells[n-2].p = cells[n-1].hi, cells[n-2].p+cells[n-1].p
			cells = cells[:n-1]
		}
		// The first cell takes everything below, the last everything above.
		cells[0].lo = 0
		cells[len(cells)-1].hi = math.MaxInt
		total := 0.0
		for _, c := range cells {
			total += c.p
		}
		cells[len(cells)-1].p += 1 - total // the tail beyond kmax
		counts := make([]float64, len(cells))
		r := rand.New(rand.NewPCG(seed, math.Float64bits(mu)))
		for range N {
			k := int(PoissonCount(r, mu))
			for i, c := range cells {
				if k >= c.lo && k < c.hi {
					counts[i]++
					break
				}
			}
		}
		chi2 := 0.0
		for i, c := range cells {
			e := c.p * N
			chi2 += (counts[i] - e) * (counts[i] - e) / e
		}
		df := len(cells) - 1
		p := 1 - 0.001/float64(len(mus))
		if crit := (distuv.ChiSquared{K: float64(df)}).Quantile(p); chi2 > crit {
			t.Errorf("mu %g: chi-square %.1f with %d degrees of freedom, above the %.6f quantile %.2f", mu, chi2, df, p, crit)
		}
	}
}

// chi999 is the 0.999 quantile of the chi-square law, from R:
//
//	options(digits=10); for (d in c(4,11,22,25,27,29)) cat(d, qchisq(0.999, d), "\n")
var chi999 = map[int]float64{
	4:  18.46682695,
	11: 31.26413362,
	22: 48.26794229,
	25: 52.61965578,
	27: 55.47602021,
	29: 58.30117349,
}
