package workload

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/boxes-project/boxes/internal/testseed"
)

// samplerCurves are every built-in curve and the compositions that have
// their own stepper, with a rate bound used for tolerances.
func samplerCurves(t *testing.T) []struct {
	name string
	c    Curve
} {
	t.Helper()
	tr, err := NewTrace([]float64{0, 7, 20, 21.5, 40}, []float64{3, 0, 9, 4, 6}, 50, LinearInterpolation, true)
	if err != nil {
		t.Fatal(err)
	}
	trStep, err := NewTrace([]float64{-5, 100, 250}, []float64{1, 8, 2}, 600, StepInterpolation, false)
	if err != nil {
		t.Fatal(err)
	}
	burst := Burst{Start: 33.3, Duration: 17.7, Height: 40, Every: 300}
	return []struct {
		name string
		c    Curve
	}{
		{"constant", Constant(42.5)},
		{"daily", daily5},
		{"daily fast", Daily{Mean: 3, Ratio: 20, Period: 97.3, Peak: -11}},
		{"daily zero mean", Daily{Mean: 0, Ratio: 3, Period: 60}},
		{"burst once", Burst{Start: 12.5, Duration: 100.25, Height: 7}},
		{"burst repeating", burst},
		{"linear", Linear{From: 10, Slope: -0.01}},
		{"exponential", Exponential{From: 2, Doubling: 700}},
		{"exponential halving", Exponential{From: 2000, Doubling: -700}},
		{"steps", Steps{Initial: 1, Steps: []Step{{At: 50.5, Rate: 4}, {At: 51, Rate: 0}, {At: 300, Rate: 2}}}},
		{"sum daily burst", Sum{daily5, burst}},
		{"sum of everything", Sum{Constant(1), daily5, burst, Exponential{From: 1, Doubling: 5000}, Linear{From: 3, Slope: 0.001}, tr}},
		{"sum of one", Sum{daily5}},
		{"sum empty", Sum{}},
		{"sum nested", Sum{Sum{daily5, Constant(2)}, Sum{burst}}},
		{"product", Product{daily5, Linear{From: 1, Slope: 1e-3}}},
		{"clamp", Clamp{Curve: daily5, Min: 20, Max: 60}},
		{"noise aligned", Noise{Curve: Sum{daily5, burst}, Sigma: 0.2, Interval: 60, Seed: 3}},
		{"noise not aligned", Noise{Curve: daily5, Sigma: 0.2, Interval: 7.3, Seed: 3}},
		{"trace loop linear", tr},
		{"trace step", trStep},
		{"func", Func(func(t float64) float64 { return 5 + math.Sin(t/40) })},
	}
}

// samplerTol is how far a step of the Sampler may be from Jobs: 1e-12
// relative for the recurrences, plus the rounding of the step's ends, which
// Jobs sees and the Sampler does not (Jobs over [a, b) with b − a ≠ step by
// up to ulp(b)): a peak rate of 300 jobs/s times 2 ulp.
func samplerTol(want, b float64) float64 {
	ulp := math.Nextafter(math.Abs(b), math.Inf(1)) - math.Abs(b)
	return 1e-12*math.Abs(want) + 300*2*ulp + 1e-13
}

// TestSamplerEqualsJobs: every step equals Jobs over it, for several starts,
// steps and block lengths.
func TestSamplerEqualsJobs(t *testing.T) {
	for _, tc := range samplerCurves(t) {
		for _, run := range []struct{ start, step float64 }{
			{0, 1}, {0, 0.1}, {-600, 7}, {86000, 0.25}, {13, 60},
		} {
			for _, block := range []int{1, 3, 4, 1000, 4096} {
				s := NewSampler(tc.c, run.start, run.step)
				buf := make([]float64, block)
				const n = 6000
				for k0 := 0; k0 < n; k0 += block {
					s.Next(buf)
					for i, got := range buf {
						k := k0 + i
						a := run.start + float64(k)*run.step
						b := run.start + float64(k+1)*run.step
						want := tc.c.Jobs(a, b)
						if math.Abs(got-want) > samplerTol(want, b) {
							t.Fatalf("%s start %g step %g block %d: step %d [%g, %g): got %.17g, Jobs %.17g", tc.name, run.start, run.step, block, k, a, b, got, want)
						}
					}
				}
			}
		}
	}
}

// TestSamplerBlockLengths: the values depend only on the curve, start and
// step. The same run read with block lengths 1, 4096 and a random mix agrees
// to 1e-15 relative (the same arithmetic, unless the compiler fuses a
// multiply-add differently in the block and single-step paths).
func TestSamplerBlockLengths(t *testing.T) {
	const n = 20000
	for _, tc := range samplerCurves(t) {
		ref := make([]float64, n)
		NewSampler(tc.c, 0, 1).Next(ref)
		patterns := map[string]func(r *rand.Rand) int{
			"ones":   func(*rand.Rand) int { return 1 },
			"4096":   func(*rand.Rand) int { return 4096 },
			"random": func(r *rand.Rand) int { return 1 + r.IntN(700) },
			"primes": func(r *rand.Rand) int { return []int{2, 3, 5, 7, 11, 1021, 1031}[r.IntN(7)] },
		}
		for name, next := range patterns {
			r := rand.New(rand.NewPCG(1, 2))
			s := NewSampler(tc.c, 0, 1)
			got := make([]float64, 0, n)
			for len(got) < n {
				m := min(next(r), n-len(got))
				buf := make([]float64, m)
				s.Next(buf)
				got = append(got, buf...)
			}
			for k := range ref {
				if math.Abs(got[k]-ref[k]) > 1e-15*math.Abs(ref[k])+1e-300 {
					t.Fatalf("%s, blocks %s: step %d = %.17g, with one block %.17g", tc.name, name, k, got[k], ref[k])
				}
			}
		}
		// Next with an empty slice reads nothing.
		s := NewSampler(tc.c, 0, 1)
		s.Next(nil)
		one := make([]float64, 1)
		s.Next(one)
		if math.Abs(one[0]-ref[0]) > 1e-15*math.Abs(ref[0]) {
			t.Errorf("%s: after Next(nil), step 0 = %g, want %g", tc.name, one[0], ref[0])
		}
	}
}

// TestSamplerYear: a year of 1 s steps (31,536,000), in blocks of 4096 as
// the engines read it and in blocks of 2²², stays within 1e-12 relative of
// Jobs: the rotation recurrence does not drift. Jobs itself is
// accurate to ~1e-13 there (TestDailyJobsFarFromZero).
func TestSamplerYear(t *testing.T) {
	tr, err := NewTrace([]float64{0, 3600, 30000, 50400, 70000}, []float64{5, 20, 60, 90, 30}, 86400, LinearInterpolation, true)
	if err != nil {
		t.Fatal(err)
	}
	curves := []struct {
		name string
		c    Curve
		rel  float64
	}{
		{"daily", daily5, 1e-12},
		{"daily odd period", Daily{Mean: 10, Ratio: 50, Period: 3600 * 7.7, Peak: 1234.5}, 1e-12},
		{"sum daily burst", Sum{daily5, Burst{Start: 12 * 3600, Duration: 900, Height: 150, Every: 86400}}, 1e-12},
		// Grows 2^(31536000/1e7) ≈ 8.9 times over the year.
		{"exponential", Exponential{From: 10, Doubling: 1e7}, 1e-12},
		{"trace daily loop", tr, 1e-12},
	}
	const steps = 365 * 86400
	for _, tc := range curves {
		for _, block := range []int{4096, 1 << 22} {
			s := NewSampler(tc.c, 0, 1)
			buf := make([]float64, block)
			worst := 0.0
			for k0 := 0; k0 < steps; k0 += block {
				o := buf[:min(block, steps-k0)]
				s.Next(o)
				// Every 61st step (and so every lane and anchor offset): a
				// drift is smooth, and Jobs for all 31.5M steps is slow.
				for i := (61 - k0%61) % 61; i < len(o); i += 61 {
					got := o[i]
					a := float64(k0 + i)
					want := tc.c.Jobs(a, a+1)
					if e := math.Abs(got-want) / want; e > worst {
						worst = e
					}
				}
			}
			if worst > tc.rel {
				t.Errorf("%s, blocks of %d: worst relative difference from Jobs over a year %.3g, want ≤ %g", tc.name, block, worst, tc.rel)
			}
		}
	}
}

// TestSamplerPoisson: Poisson counts are whole, their mean over many steps
// is the curve's jobs, the same seed gives the same counts whatever the
// block lengths, and another seed gives other counts.
func TestSamplerPoisson(t *testing.T) {
	seed := testseed.Mix(testseed.Seed(t), 11)
	c := Poisson{Curve: Sum{daily5, Burst{Start: 43200, Duration: 3600, Height: 100}}, Seed: seed}
	const n = 86400
	got := make([]float64, n)
	NewSampler(c, 0, 1).Next(got)
	sum, want := 0.0, c.Jobs(0, n)
	for k, v := range got {
		if v != math.Trunc(v) || v < 0 {
			t.Fatalf("step %d: count %g is not a whole number ≥ 0", k, v)
		}
		sum += v
	}
	// The day's total is Poisson with mean want: 5 standard deviations.
	if math.Abs(sum-want) > 5*math.Sqrt(want) {
		t.Errorf("day's count %g, expected %g ± %g", sum, want, 5*math.Sqrt(want))
	}
	s := NewSampler(c, 0, 1)
	for k0 := 0; k0 < n; {
		buf := make([]float64, min(1+k0%977, n-k0))
		s.Next(buf)
		for i, v := range buf {
			if v != got[k0+i] {
				t.Fatalf("step %d: %g with odd blocks, %g in one block", k0+i, v, got[k0+i])
			}
		}
		k0 += len(buf)
	}
	other := make([]float64, n)
	NewSampler(Poisson{Curve: c.Curve, Seed: seed + 1}, 0, 1).Next(other)
	same := 0
	for k := range other {
		if other[k] == got[k] {
			same++
		}
	}
	// Two independent counts of mean ~50 agree with probability about
	// 1/(2√(π·50)) ≈ 0.04; a tenth of steps would mean the seed is ignored.
	if same > n/10 {
		t.Errorf("seeds %d and %d agree on %d of %d steps", seed, seed+1, same, n)
	}
}

// TestSamplerHugeMeans: a curve that overflows gives +Inf jobs, never NaN
// or a negative count, under Poisson too.
func TestSamplerHugeMeans(t *testing.T) {
	c := Exponential{From: 1, Doubling: 1}
	out := make([]float64, 1100)
	NewSampler(Poisson{Curve: c, Seed: 1}, 0, 1).Next(out)
	for k, v := range out {
		if math.IsNaN(v) || v < 0 {
			t.Fatalf("step %d: %g", k, v)
		}
	}
	if !math.IsInf(out[1099], 1) {
		t.Errorf("step 1099 (mean 2^1099) = %g, want +Inf", out[1099])
	}
	r := rand.New(rand.NewPCG(1, 1))
	for _, mu := range []float64{math.Inf(1), 1e300, 1e19} {
		if k := PoissonCount(r, mu); k != math.MaxInt64 {
			t.Errorf("PoissonCount(%g) = %d, want MaxInt64", mu, k)
		}
	}
	for _, mu := range []float64{math.NaN(), -1, 0, math.Inf(-1)} {
		if k := PoissonCount(r, mu); k != 0 {
			t.Errorf("PoissonCount(%g) = %d, want 0", mu, k)
		}
	}
}

func ExampleSampler() {
	// A day in hours: the daily wave's jobs per hour around its 14:00 peak.
	// R agrees: d <- function(t) 50*(1+(2/3)*cos(2*pi*(t-50400)/86400));
	// integrate(d, 8*3600, 9*3600) gives 195618.45.
	s := NewSampler(Daily{Mean: 50, Ratio: 5, Period: 86400, Peak: 14 * 3600}, 0, 3600)
	hours := make([]float64, 24)
	s.Next(hours)
	for _, h := range []int{2, 8, 13, 14, 20} {
		fmt.Printf("%02d:00 %6.0f jobs\n", h, hours[h])
	}
	// Output:
	// 02:00  61366 jobs
	// 08:00 195618 jobs
	// 13:00 298634 jobs
	// 14:00 298634 jobs
	// 20:00 164382 jobs
}
