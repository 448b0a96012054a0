package usl

import (
	"errors"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"
)

// close reports whether got is within rel (relative) of want; infinities
// must match exactly.
func close(got, want, rel float64) bool {
	if math.IsInf(want, 0) || math.IsInf(got, 0) {
		return got == want
	}
	return math.Abs(got-want) <= rel*math.Abs(want)
}

func points(n, x []float64) []Point {
	ps := make([]Point, len(n))
	for i := range n {
		ps[i] = Point{Concurrency: n[i], Throughput: x[i]}
	}
	return ps
}

// Published data sets.
var (
	// SPEC SDM91 on a Sun SPARCcenter 2000: virtual users and script
	// executions per hour (Gunther, Guerrilla Capacity Planning, 2007; the R
	// package usl's data(specsdm91)).
	specN = []float64{1, 18, 36, 72, 108, 144, 216}
	specX = []float64{64.9, 995.9, 1652.4, 1853.2, 1828.9, 1775.0, 1702.2}
	// A ray tracer on an SGI Origin 2000: processors and ray-geometry
	// intersections per second (Gunther 2007; the R package usl's
	// data(raytracer)).
	rayN = []float64{1, 4, 8, 12, 16, 20, 24, 28, 32, 48, 64}
	rayX = []float64{20, 78, 130, 170, 190, 200, 210, 230, 260, 280, 310}
	// The R package usl's tests/coef.R: X(N) for σ = κ = 0.02, λ = 1,
	// rounded to four decimals.
	coefN = []float64{1, 2, 4, 6, 8, 10}
	coefX = []float64{1, 1.8868, 3.0769, 3.5294, 3.5398, 3.3557}
)

// readBench32 reads testdata/bench32.csv (written by make_bench32.py).
func readBench32(t testing.TB) []Point {
	f, err := os.Open("testdata/bench32.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := ReadCSV(f, "bench32.csv")
	if err != nil {
		t.Fatal(err)
	}
	return m.Points
}

// TestFitReference checks Fit against published results and against R and
// SciPy run offline. The reference scripts and what they printed are in
// testdata: reference.R → reference.Rout (R 4.2.2 nls, "port"), and
// reference.py → reference.pyout (SciPy 1.10.1 curve_fit, "trf"). The two
// agree with each other to about 1e-8; the estimates here are compared with
// SciPy's to 1e-6, standard errors with the analytic-Jacobian values of
// reference.Rout to 1e-6.
func TestFitReference(t *testing.T) {
	type want struct {
		lambda, sigma, kappa                float64
		lambdaSE, sigmaSE, kappaSE          float64
		lambdaCI, sigmaCI, kappaCI          [2]float64
		rSquared, peak, peakX, limit, whole float64
		sse                                 float64
		bound                               string // the note a binding bound gives, "" for none
	}
	tests := []struct {
		name   string
		points []Point
		want   want
	}{
		{
			// SPEC SDM91. reference.pyout and reference.Rout; the R package
			// usl documents the same (tests/summary.Rout.save: sigma 2.773e-02
			// ± 9.122e-03, kappa 1.044e-04 ± 1.988e-05, gamma 9.000e+01 ±
			// 1.421e+01, R² 0.9896; limit-scalability.R: 3245.589; peak 97 to
			// 2 digits), as does the issue (σ ≈ 0.02773, κ ≈ 1.044e-4,
			// λ ≈ 90.00, N* ≈ 96.52, X(N*) ≈ 1884, λ/σ ≈ 3246).
			name:   "specsdm91",
			points: points(specN, specX),
			want: want{
				lambda: 89.99523311, sigma: 0.02772847558, kappa: 0.0001043654842,
				lambdaSE: 14.21348767, sigmaSE: 0.009121730468, kappaSE: 1.987526948e-05,
				lambdaCI: [2]float64{50.53225999, 129.4582062},
				sigmaCI:  [2]float64{0.002402487973, 0.05305446319},
				kappaCI:  [2]float64{4.918288555e-05, 0.0001595480828},
				rSquared: 0.9895614781, peak: 96.51955345, peakX: 1883.899019, limit: 3245.589345,
				whole: 97, // reference.Rout: X(96) = 1883.887447 < X(97) = 1883.889225
				sse:   27453.719584,
			},
		},
		{
			// Ray tracer: κ wants to be negative and binds at 0, as in the R
			// package usl (tests/confint.Rout.save: alpha 0.0578, beta 0,
			// gamma 21.8488). R's nls differentiates numerically, so its κ
			// standard error (0.0001179221587) differs from the analytic one
			// (0.0001179197227, reference.Rout's "se" column) in the 5th digit.
			name:   "raytracer",
			points: points(rayN, rayX),
			want: want{
				lambda: 21.84884285, sigma: 0.05777078068, kappa: 0,
				lambdaSE: 2.19616474452, sigmaSE: 0.0132932151426, kappaSE: 0.0001179197227,
				lambdaCI: [2]float64{16.78447785, 26.91320785},
				sigmaCI:  [2]float64{0.02711657148, 0.08842498987},
				kappaCI:  [2]float64{0, 0.000271923369}, // cut at κ ≥ 0
				rSquared: 0.9906949241, peak: math.Inf(1), peakX: 378.1988515, limit: 378.1988515,
				whole: math.Inf(1), sse: 697.237799749,
				bound: "no coherency penalty: κ = 0, no peak",
			},
		},
		{
			// The R package usl's tests/coef.R finds σ = κ = 0.02 (3 digits);
			// reference.Rout has the full estimates. N* = sqrt(0.98/0.02) = 7.
			name:   "usl-coef",
			points: points(coefN, coefX),
			want: want{
				lambda: 1.00000512173, sigma: 0.02000576133, kappa: 0.01999966528,
				lambdaSE: 6.090722823e-06, sigmaSE: 3.525808394e-06, kappaSE: 2.653848099e-07,
				lambdaCI: [2]float64{0.99998573833, 1.00002450513},
				sigmaCI:  [2]float64{0.01999454063, 0.02001698202},
				kappaCI:  [2]float64{0.01999882071, 0.02000050985},
				rSquared: 1 - 2.73281537274e-10/sstOf(coefX), peak: 7.000038001, peakX: 3.571409492, limit: 49.98585684,
				whole: 7, sse: 2.73281537274e-10,
			},
		},
		{
			// 32 synthetic points (testdata/make_bench32.py).
			name:   "bench32",
			points: readBench32(t),
			want: want{
				lambda: 95.91646101, sigma: 0.02662228289, kappa: 0.0004955212445,
				lambdaSE: 4.167524808, sigmaSE: 0.003644885645, kappaSE: 1.868433997e-05,
				lambdaCI: [2]float64{87.39291574, 104.4400063},
				sigmaCI:  [2]float64{0.01916765473, 0.03407691105},
				kappaCI:  [2]float64{0.0004573074786, 0.0005337350105},
				rSquared: 0.9884799981, peak: 44.32100083, peakX: 1369.242327, limit: 3602.86404,
				whole: 44, // reference.Rout: X(44) = 1369.219645 > X(45) = 1369.143101
				sse:   33687.3299202,
			},
		},
	}
	const rel = 1e-6
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Fit(tt.points)
			if err != nil {
				t.Fatal(err)
			}
			w := tt.want
			check := func(what string, got, want float64) {
				t.Helper()
				if want == 0 && got != 0 || want != 0 && !close(got, want, rel) {
					t.Errorf("%s = %.10g, want %.10g (±%g relative)", what, got, want, rel)
				}
			}
			check("λ", r.Lambda.Value, w.lambda)
			check("σ", r.Sigma.Value, w.sigma)
			check("κ", r.Kappa.Value, w.kappa)
			check("se(λ)", r.Lambda.StdErr, w.lambdaSE)
			check("se(σ)", r.Sigma.StdErr, w.sigmaSE)
			check("se(κ)", r.Kappa.StdErr, w.kappaSE)
			check("λ low", r.Lambda.Low, w.lambdaCI[0])
			check("λ high", r.Lambda.High, w.lambdaCI[1])
			check("σ low", r.Sigma.Low, w.sigmaCI[0])
			check("σ high", r.Sigma.High, w.sigmaCI[1])
			check("κ low", r.Kappa.Low, w.kappaCI[0])
			check("κ high", r.Kappa.High, w.kappaCI[1])
			check("R²", r.RSquared, w.rSquared)
			check("N*", r.Model.PeakConcurrency(), w.peak)
			check("X(N*)", r.Model.PeakThroughput(), w.peakX)
			check("λ/σ", r.Model.LimitThroughput(), w.limit)
			check("whole N*", r.Model.PeakConcurrencyWhole(), w.whole)
			check("SSE", r.SSE, w.sse)
			ss := 0.0
			for _, e := range r.Residuals() {
				ss += e * e
			}
			check("Σ residuals²", ss, w.sse)
			if r.Model != (Model{r.Lambda.Value, r.Sigma.Value, r.Kappa.Value}) {
				t.Errorf("Model %+v differs from the estimates", r.Model)
			}
			notes := strings.Join(r.Notes, "; ")
			if w.bound == "" && notes != "" || !strings.Contains(notes, w.bound) {
				t.Errorf("notes %q, want %q", notes, w.bound)
			}
			if r.Kappa.AtBound != (w.kappa == 0) {
				t.Errorf("κ at bound = %v", r.Kappa.AtBound)
			}
		})
	}
}

func sstOf(x []float64) float64 {
	mean := 0.0
	for _, v := range x {
		mean += v
	}
	mean /= float64(len(x))
	s := 0.0
	for _, v := range x {
		s += (v - mean) * (v - mean)
	}
	return s
}

// TestFitExact recovers the coefficients of noise-free data to working
// precision: the generating model is the closed-form answer.
func TestFitExact(t *testing.T) {
	tests := []struct {
		name string
		m    Model
		ns   []float64
		note string
	}{
		// An interior peak at N* = sqrt(0.98/0.0005) = 44.27.
		{"usl", Model{Lambda: 250, Sigma: 0.02, Kappa: 0.0005}, []float64{1, 2, 4, 8, 16, 32, 64, 128}, ""},
		// Amdahl's law: κ = 0 binds.
		{"amdahl", Model{Lambda: 40, Sigma: 0.1}, []float64{1, 2, 3, 5, 8, 13, 21}, "no coherency penalty: κ = 0, no peak"},
		// Linear scaling: both bind.
		{"linear", Model{Lambda: 3}, []float64{1, 2, 3, 4, 5}, "σ = 0 and κ = 0, throughput grows linearly"},
		// Coherency alone.
		{"coherency", Model{Lambda: 10, Kappa: 0.01}, []float64{1, 3, 5, 10, 20, 40}, "no contention: σ = 0"},
		// Complete contention: flat throughput, σ = 1 binds.
		{"flat", Model{Lambda: 7, Sigma: 1}, []float64{1, 2, 4, 8}, "complete contention: σ = 1"},
		// Little's law concurrencies below 1 (an open-loop test at low load).
		{"fractional", Model{Lambda: 100, Sigma: 0.05, Kappa: 0.001}, []float64{0.25, 0.5, 1.5, 4, 9.5, 20}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ps []Point
			for _, n := range tt.ns {
				ps = append(ps, Point{Concurrency: n, Throughput: tt.m.Throughput(n)})
			}
			r, err := Fit(ps)
			if err != nil {
				t.Fatal(err)
			}
			const tol = 1e-8 // absolute on σ and κ, relative on λ
			if !close(r.Model.Lambda, tt.m.Lambda, tol) || math.Abs(r.Model.Sigma-tt.m.Sigma) > tol || math.Abs(r.Model.Kappa-tt.m.Kappa) > tol {
				t.Errorf("fit %+v, want %+v", r.Model, tt.m)
			}
			if got := strings.Join(r.Notes, "; "); !strings.Contains(got, tt.note) || tt.note == "" && got != "" {
				t.Errorf("notes %q, want %q", got, tt.note)
			}
		})
	}
}

func TestFitWarnings(t *testing.T) {
	// Five points: fewer than six.
	r, err := Fit(points(specN[:5], specX[:5]))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(r.Warnings, "; "), "only 5 measurements") {
		t.Errorf("warnings %q, want one about 5 measurements", r.Warnings)
	}
	// Superlinear: each step doubles N and more than doubles X.
	r, err = Fit(points([]float64{1, 2, 4, 8, 16, 32}, []float64{10, 22, 50, 110, 240, 520}))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(r.Warnings, "; "), "superlinear") || r.Model.Sigma != 0 {
		t.Errorf("σ = %g, warnings %q, want σ = 0 and a superlinear warning", r.Model.Sigma, r.Warnings)
	}
	// Measured far below the peak: N* = sqrt(0.99/1e-6) ≈ 995 against 16.
	m := Model{Lambda: 10, Sigma: 0.01, Kappa: 1e-6}
	var ps []Point
	for _, n := range []float64{1, 2, 4, 8, 16, 12, 6} {
		ps = append(ps, Point{Concurrency: n, Throughput: m.Throughput(n)})
	}
	r, err = Fit(ps)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(r.Warnings, "; "), "extrapolation") {
		t.Errorf("warnings %q, want an extrapolation warning", r.Warnings)
	}
}

func TestFitErrors(t *testing.T) {
	tests := []struct {
		name   string
		points []Point
		want   string
	}{
		{"three points", points(specN[:3], specX[:3]), "3 measurements; a fit of λ, σ and κ needs at least 4"},
		{"two concurrencies", points([]float64{1, 1, 2, 2}, []float64{1, 1.1, 2, 2.1}), "2 different concurrencies"},
		{"zero throughput", points([]float64{1, 2, 3, 4}, []float64{1, 0, 2, 3}), "measurement 2"},
		{"negative concurrency", points([]float64{1, -2, 3, 4}, []float64{1, 1, 2, 3}), "measurement 2"},
		{"NaN", points([]float64{1, 2, 3, math.NaN()}, []float64{1, 1, 2, 3}), "measurement 4"},
		// X = 10/(N−1): the best fit runs off with λ and κ growing together.
		{"no convergence", points([]float64{2, 3, 4, 5}, []float64{10, 5, 3.3333, 2.5}), "the fit did not converge"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Fit(tt.points)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "usl: ") {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}
	_, err := Fit(points([]float64{2, 3, 4, 5}, []float64{10, 5, 3.3333, 2.5}))
	if !errors.Is(err, errNoConvergence) {
		t.Errorf("err = %v, want errNoConvergence", err)
	}
}

// TestFitOrderIndependent: the fit does not depend on the order of points.
func TestFitOrderIndependent(t *testing.T) {
	a, err := Fit(points(specN, specX))
	if err != nil {
		t.Fatal(err)
	}
	n, x := make([]float64, len(specN)), make([]float64, len(specX))
	for i := range specN {
		n[i], x[i] = specN[len(specN)-1-i], specX[len(specX)-1-i]
	}
	b, err := Fit(points(n, x))
	if err != nil {
		t.Fatal(err)
	}
	if !close(a.Model.Lambda, b.Model.Lambda, 1e-7) || !close(a.Model.Sigma, b.Model.Sigma, 1e-6) || !close(a.Model.Kappa, b.Model.Kappa, 1e-6) {
		t.Errorf("reversed order gives %+v, want %+v", b.Model, a.Model)
	}
}

// TestPeakInterval checks N*'s delta-method interval against the same
// formula evaluated in R on nls's estimates (reference.R, "se(N*) by the
// delta method": g <- c(0, -1/(2*k*ns), -ns/(2*k)); sqrt(t(g) %*% v %*% g)
// with v the covariance), which prints 8.987949689 for SPEC SDM91. The
// interval is N* ± t(0.975, 4) × that, t = 2.7764451052 (reference.pyout).
func TestPeakInterval(t *testing.T) {
	r, err := Fit(points(specN, specX))
	if err != nil {
		t.Fatal(err)
	}
	if !close(r.Peak.StdErr, 8.987949689, 1e-6) {
		t.Errorf("se(N*) = %.10g, want 8.987949689", r.Peak.StdErr)
	}
	if !close(r.T, 2.7764451052, 1e-9) {
		t.Errorf("t = %.12g, want 2.7764451052", r.T)
	}
	if !close(r.Peak.Low, 96.51955345-2.7764451052*8.987949689, 1e-6) || !close(r.Peak.High, 96.51955345+2.7764451052*8.987949689, 1e-6) {
		t.Errorf("N* interval [%g, %g]", r.Peak.Low, r.Peak.High)
	}
	// Ray tracer: no peak; the interval starts at sqrt((1 − σ)/κ_high).
	r, err = Fit(points(rayN, rayX))
	if err != nil {
		t.Fatal(err)
	}
	if low := math.Sqrt((1 - 0.05777078068) / 0.000271923369); !math.IsInf(r.Peak.Value, 1) || !close(r.Peak.Low, low, 1e-6) || !math.IsInf(r.Peak.High, 1) {
		t.Errorf("ray tracer N* %+v, want +Inf in [%g, +Inf]", r.Peak, low)
	}
}

func BenchmarkFit(b *testing.B) {
	all := readBench32(b)
	for _, n := range []int{8, 32} {
		ps := all[:n]
		b.Run(fmt.Sprintf("points=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Fit(ps); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
