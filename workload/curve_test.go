package workload

import (
	"math"
	"strings"
	"testing"
)

// close reports whether got is within rel (relative) or abs (absolute) of want.
func near(got, want, rel, abs float64) bool {
	return math.Abs(got-want) <= abs || math.Abs(got-want) <= rel*math.Abs(want)
}

// Five-point Gauss–Legendre nodes and weights on [−1, 1], from Abramowitz
// and Stegun, Handbook of Mathematical Functions, Table 25.4 (n = 5).
var glNodes = [5]float64{-0.906179845938664, -0.538469310105683, 0, 0.538469310105683, 0.906179845938664}
var glWeights = [5]float64{0.236926885056189, 0.478628670499366, 0.568888888888889, 0.478628670499366, 0.236926885056189}

// integrate is an independent check of Jobs: composite five-point
// Gauss–Legendre quadrature of f over [a, b) on panels of at most h seconds,
// with the panels also split at breaks (where f jumps or kinks), so every
// panel holds a smooth piece. Exact for polynomials up to degree 9 per panel.
func integrate(f func(float64) float64, a, b, h float64, breaks ...float64) float64 {
	cuts := []float64{a}
	for _, x := range breaks {
		if x > a && x < b {
			cuts = append(cuts, x)
		}
	}
	cuts = append(cuts, b)
	// breaks come sorted from the callers
	total := 0.0
	for i := 0; i+1 < len(cuts); i++ {
		lo, hi := cuts[i], cuts[i+1]
		n := math.Ceil((hi - lo) / h)
		w := (hi - lo) / n
		for p := 0.0; p < n; p++ {
			c := lo + (p+0.5)*w
			for j, x := range glNodes {
				// Evaluate just inside the panel: a piecewise curve's value
				// on [lo, hi) is its right-continuous piece.
				total += w / 2 * glWeights[j] * f(c+x*w/2)
			}
		}
	}
	return total
}

// daily5 is the daily curve of the examples: mean 50 jobs/s, peak 5× the
// trough, at 14:00.
var daily5 = Daily{Mean: 50, Ratio: 5, Period: 86400, Peak: 50400}

// TestJobsClosedForm checks Jobs against integrals done by hand or by R.
func TestJobsClosedForm(t *testing.T) {
	const A = 2.0 / 3 // (5 − 1)/(5 + 1), daily5's amplitude
	w := 2 * math.Pi / 86400
	ln2 := math.Ln2
	tests := []struct {
		name   string
		c      Curve
		t0, t1 float64
		want   float64
	}{
		// Constant: rate × time.
		{"constant", Constant(40), 10, 70, 2400},
		{"constant empty", Constant(40), 70, 70, 0},
		{"constant reversed", Constant(40), 70, 10, 0},
		// Daily over a whole period is Mean × Period, wherever it starts.
		{"daily period", daily5, 0, 86400, 50 * 86400},
		{"daily period shifted", daily5, 12345.5, 12345.5 + 86400, 50 * 86400},
		{"daily ten periods later", daily5, 864000 + 7, 950400 + 7, 50 * 86400},
		// [0, 43200): sin ω(43200 − 50400) = sin(−π/6) = −1/2 and
		// sin ω(0 − 50400) = sin(−7π/6) = 1/2, so the integral is
		// 50·43200 − 50A/ω. R: integrate(d, 0, 43200, rel.tol=1e-13) gives
		// 1701633.7638953417 (the script is in TestJobsReferenceR).
		{"daily half day", daily5, 0, 43200, 50*43200 - 50*A/w},
		// Ratio 1 is flat.
		{"daily flat", Daily{Mean: 7, Ratio: 1, Period: 100}, 3, 53, 350},
		// Burst once: 10 jobs/s on [100, 150).
		{"burst all", Burst{Start: 100, Duration: 50, Height: 10}, 0, 1000, 500},
		{"burst inside", Burst{Start: 100, Duration: 50, Height: 10}, 120, 140, 200},
		{"burst crossing start", Burst{Start: 100, Duration: 50, Height: 10}, 90, 110, 100},
		{"burst crossing end", Burst{Start: 100, Duration: 50, Height: 10}, 140, 160, 100},
		{"burst before", Burst{Start: 100, Duration: 50, Height: 10}, 0, 100, 0},
		{"burst after (end excluded)", Burst{Start: 100, Duration: 50, Height: 10}, 150, 160, 0},
		{"burst zero length", Burst{Start: 100, Duration: 0, Height: 10}, 0, 1000, 0},
		// Burst every 1000 s: ten bursts of 50 s in [0, 10000).
		{"bursts ten", Burst{Start: 100, Duration: 50, Height: 10, Every: 1000}, 0, 10000, 5000},
		// [1120, 3130) holds 30 s of the 2nd burst, all the 3rd, 30 s of the 4th.
		{"bursts across repeats", Burst{Start: 100, Duration: 50, Height: 10, Every: 1000}, 1120, 3130, 1100},
		// Repeats run backwards too: the burst at −900.
		{"bursts before start", Burst{Start: 100, Duration: 50, Height: 10, Every: 1000}, -1000, 0, 500},
		{"bursts between", Burst{Start: 100, Duration: 50, Height: 10, Every: 1000}, 150, 1100, 0},
		// Duration = Every is always on.
		{"bursts always", Burst{Start: 3, Duration: 10, Height: 2, Every: 10}, 0, 1234.5, 2469},
		// Linear: 10 − t/2 reaches 0 at t = 20; a triangle of area 100.
		{"linear to zero", Linear{From: 10, Slope: -0.5}, 0, 100, 100},
		{"linear across zero", Linear{From: 10, Slope: -0.5}, 15, 30, 6.25},
		{"linear after zero", Linear{From: 10, Slope: -0.5}, 25, 30, 0},
		{"linear before time 0", Linear{From: 10, Slope: -0.5}, -10, 0, 125},
		// 2t from 1 to 3 is t² = 9 − 1.
		{"linear rising", Linear{From: 0, Slope: 2}, 1, 3, 8},
		// A ramp that starts below zero (Validate rejects From < 0, but Jobs
		// still clips): t − 10 on [10, 20) is 50.
		{"linear from below", Linear{From: -10, Slope: 1}, 0, 20, 50},
		{"linear flat", Linear{From: 4, Slope: 0}, 2, 7, 20},
		// Exponential: From D/ln2 (2^(t1/D) − 2^(t0/D)).
		{"exp one doubling", Exponential{From: 10, Doubling: 3600}, 0, 3600, 10 * 3600 / ln2},
		{"exp second doubling", Exponential{From: 10, Doubling: 3600}, 3600, 7200, 20 * 3600 / ln2},
		// R: integrate(function(t) 10*2^(t/28800), 0, 86400) = 2908473.20243215.
		{"exp a day", Exponential{From: 10, Doubling: 28800}, 0, 86400, 10 * 28800 / ln2 * 7},
		// Negative doubling halves: 80 → 40 over an hour.
		{"exp halving", Exponential{From: 80, Doubling: -3600}, 0, 3600, 80 * 3600 / ln2 * 0.5},
		{"exp halving long", Exponential{From: 80, Doubling: -3600}, 0, 36000, 80 * 3600 / ln2 * (1 - math.Exp2(-10))},
		// A nanosecond: Rate × 1e-9 (expm1 keeps it exact).
		{"exp tiny interval", Exponential{From: 10, Doubling: 3600}, 3600, 3600 + 1e-9, 20e-9},
		// From far before time 0 to 0: D/ln2 (1 − 2^(−1e6)) = 1/ln2; the
		// old form took 0 × Inf here. A step of 2044 s a year before the
		// start has underflowed to 0 jobs, not NaN (found by FuzzSampler).
		{"exp from far away", Exponential{From: 1, Doubling: 1}, -1e6, 0, 1 / ln2},
		{"exp long step far before", Exponential{From: 82, Doubling: 5.0 / 3}, -4.5e7, -4.5e7 + 2044, 0},
		{"exp zero from", Exponential{From: 0, Doubling: 1}, 0, 5000, 0},
		// Steps: 5 until 10, 20 until 30, 0 until 40, then 7.
		{"steps all", steps4, 0, 50, 5*10 + 20*20 + 0*10 + 7*10},
		{"steps before first", steps4, -10, 0, 50},
		{"steps on boundaries", steps4, 10, 30, 400},
		{"steps zero level", steps4, 30, 40, 0},
		{"steps straddling", steps4, 9, 11, 25},
		{"steps no steps", Steps{Initial: 3}, 0, 10, 30},
		// Sum adds.
		{"sum", Sum{Constant(30), Burst{Start: 100, Duration: 50, Height: 10}}, 0, 200, 6500},
		{"sum empty", Sum{}, 0, 200, 0},
		// Product of 10 and 1 + t/100 is a ramp: 10(t + t²/200) from 0 to 100.
		{"product ramp", Product{Constant(10), Linear{From: 1, Slope: 0.01}}, 0, 100, 1500},
		// ∫ 10 · 2^(t/28800) · d(t) dt over a day has a closed form:
		// ∫ e^{kt} cos(ωt − φ) dt = e^{kt}(k cos(ωt − φ) + ω sin(ωt − φ))/(k² + ω²).
		// R: integrate(function(t) d(t)*e(t), 0, 86400) = 151594401.80550036.
		{"product daily × exp", Product{daily5, Exponential{From: 10, Doubling: 28800}}, 0, 86400, productDailyExp(0, 86400)},
		// Clamp of daily5 to [20, 60]: rate above 60 where cos θ > 0.3 and
		// below 20 where cos θ < −0.9. Split at those four points, R gives
		// 3821167.0512264515 (see TestJobsReferenceR for the script).
		{"clamp", Clamp{Curve: daily5, Min: 20, Max: 60}, 0, 86400, clampDaily(20, 60)},
		{"clamp no max", Clamp{Curve: Constant(3), Min: 5}, 0, 10, 50},
		// Func: t² from 0 to 3 is 9; a negative rate counts as zero, so
		// t − 1 on [0, 2) gives only the triangle above 1.
		{"func square", Func(func(t float64) float64 { return t * t }), 0, 3, 9},
		{"func clipped", Func(func(t float64) float64 { return t - 1 }), 0, 2, 0.5},
		// Noise multiplies each minute's jobs by that minute's factor.
		{"noise", Noise{Curve: Constant(10), Sigma: 0.1, Interval: 60, Seed: 1}, 30, 150, noiseConst(10, 30, 150)},
		// Poisson keeps the expectation.
		{"poisson", Poisson{Curve: Constant(10), Seed: 1}, 0, 10, 100},
	}
	for _, tt := range tests {
		got := tt.c.Jobs(tt.t0, tt.t1)
		if !near(got, tt.want, 1e-9, 1e-9) {
			t.Errorf("%s: Jobs(%g, %g) = %.12g, want %.12g", tt.name, tt.t0, tt.t1, got, tt.want)
		}
	}
}

var steps4 = Steps{Initial: 5, Steps: []Step{{At: 10, Rate: 20}, {At: 30, Rate: 0}, {At: 40, Rate: 7}}}

// productDailyExp is ∫ 10·2^(t/28800) · 50(1 + A cos(ω(t − 50400))) dt over
// [a, b), in closed form.
func productDailyExp(a, b float64) float64 {
	k, w, A := math.Ln2/28800, 2*math.Pi/86400, 2.0/3
	F := func(t float64) float64 {
		th := w * (t - 50400)
		return 500 * (math.Exp(k*t)/k + A*math.Exp(k*t)*(k*math.Cos(th)+w*math.Sin(th))/(k*k+w*w))
	}
	return F(b) - F(a)
}

// clampDaily is ∫ min(max(daily5, lo), hi) over one period, in closed form:
// the full integral less the parts above hi, plus the parts below lo. With
// r(θ) = M(1 + A cos θ) and r > hi for |θ| < θh = acos((hi/M − 1)/A), the
// excess over a period is (1/ω) ∫_{−θh}^{θh} (M(1 + A cos θ) − hi) dθ
// = (2/ω)((M − hi)θh + MA sin θh); the deficit below lo is alike around π.
func clampDaily(lo, hi float64) float64 {
	const M, A = 50.0, 2.0 / 3
	w := 2 * math.Pi / 86400
	th := math.Acos((hi/M - 1) / A)
	excess := 2 / w * ((M-hi)*th + M*A*math.Sin(th))
	tl := math.Acos((lo/M - 1) / A)                             // r < lo for |θ| > tl
	deficit := 2 / w * ((lo-M)*(math.Pi-tl) + M*A*math.Sin(tl)) // ∫_{tl}^{2π−tl} (lo − r)
	return M*86400 - excess + deficit
}

// noiseConst is the jobs of Noise{Constant(r), 0.1, 60, seed 1} over [a, b),
// summing minute by minute with the factor read at each minute's middle.
func noiseConst(r, a, b float64) float64 {
	n := Noise{Curve: Constant(r), Sigma: 0.1, Interval: 60, Seed: 1}
	total := 0.0
	for m := math.Floor(a / 60); m*60 < b; m++ {
		lo, hi := math.Max(a, m*60), math.Min(b, m*60+60)
		total += r * (hi - lo) * n.Factor(m*60+30)
	}
	return total
}

// TestJobsReferenceR pins values computed offline with R 4.x:
//
//	options(digits=17)
//	d <- function(t) 50*(1+(2/3)*cos(2*pi*(t-50400)/86400))
//	integrate(d, 1000, 5000, rel.tol=1e-13)$value             # 73285.597415539145
//	integrate(d, 0, 43200, rel.tol=1e-13)$value               # 1701633.7638953417
//	e <- function(t) 10*2^(t/28800)
//	integrate(e, 0, 86400, rel.tol=1e-13)$value               # 2908473.20243215
//	integrate(function(t) d(t)*e(t), 0, 86400, rel.tol=1e-13,
//	          subdivisions=1000)$value                        # 151594401.80550036
//	cl <- function(t) pmin(pmax(d(t), 20), 60)
//	w <- 2*pi/86400; th1 <- acos(0.3); th2 <- acos(-0.9)
//	br <- sort(c(0, 86400, (50400 + c(-th1, th1, -th2, th2)/w) %% 86400))
//	s <- 0; for (i in 1:(length(br)-1))
//	  s <- s + integrate(cl, br[i], br[i+1], rel.tol=1e-13)$value
//	s                                                         # 3821167.0512264515
func TestJobsReferenceR(t *testing.T) {
	tests := []struct {
		name   string
		c      Curve
		t0, t1 float64
		want   float64
		rel    float64 // Product and Clamp integrate with Simpson's rule
	}{
		{"daily", daily5, 1000, 5000, 73285.597415539145, 1e-12},
		{"daily half", daily5, 0, 43200, 1701633.7638953417, 1e-12},
		{"exponential", Exponential{From: 10, Doubling: 28800}, 0, 86400, 2908473.20243215, 1e-12},
		// Simpson on 1 s panels: error ≤ h⁴/180 max|f⁗| × span, far below 1e-10 here.
		{"product", Product{daily5, Exponential{From: 10, Doubling: 28800}}, 0, 86400, 151594401.80550036, 1e-10},
		// Simpson across the four kinks: each kink costs O(h² f″) ≈ 1e-6 jobs.
		{"clamp", Clamp{Curve: daily5, Min: 20, Max: 60}, 0, 86400, 3821167.0512264515, 1e-10},
	}
	for _, tt := range tests {
		if got := tt.c.Jobs(tt.t0, tt.t1); !near(got, tt.want, tt.rel, 0) {
			t.Errorf("%s: Jobs = %.17g, want %.17g (R)", tt.name, got, tt.want)
		}
	}
}

// TestJobsQuadrature checks Jobs of every curve against the test's own
// Gauss–Legendre integration of Rate, over intervals that start and end at
// awkward places (across burst edges, step boundaries and zero crossings).
func TestJobsQuadrature(t *testing.T) {
	burst := Burst{Start: 100.5, Duration: 37.25, Height: 12, Every: 500}
	burstBreaks := func(a, b float64) []float64 {
		var br []float64
		for s := 100.5 + 500*math.Floor((a-100.5)/500); s < b; s += 500 {
			br = append(br, s, s+37.25)
		}
		return br
	}
	tr, err := NewTrace([]float64{0, 7, 20, 21.5, 40}, []float64{3, 0, 9, 4, 6}, 50, LinearInterpolation, true)
	if err != nil {
		t.Fatal(err)
	}
	trBreaks := func(a, b float64) []float64 {
		var br []float64
		for p := 50 * math.Floor(a/50); p < b; p += 50 {
			br = append(br, p, p+7, p+20, p+21.5, p+40)
		}
		return br
	}
	none := func(a, b float64) []float64 { return nil }
	tests := []struct {
		name   string
		c      Curve
		breaks func(a, b float64) []float64
		rel    float64 // Gauss–Legendre on ≤ 10 s panels: ~1e-13 on smooth pieces
	}{
		{"constant", Constant(3.5), none, 1e-12},
		{"daily", daily5, none, 1e-12},
		{"daily short period", Daily{Mean: 2, Ratio: 100, Period: 600, Peak: 17}, none, 1e-12},
		{"burst", burst, burstBreaks, 1e-12},
		{"linear", Linear{From: 40, Slope: -0.01}, func(a, b float64) []float64 { return []float64{4000} }, 1e-12},
		{"exponential", Exponential{From: 1, Doubling: 5000}, none, 1e-12},
		{"exponential halving", Exponential{From: 100, Doubling: -2500}, none, 1e-12},
		{"steps", steps4, func(a, b float64) []float64 { return []float64{10, 30, 40} }, 1e-12},
		{"sum", Sum{daily5, burst, Linear{From: 1, Slope: 0.001}}, burstBreaks, 1e-12},
		{"trace linear loop", tr, trBreaks, 1e-12},
		{"product", Product{daily5, Linear{From: 1, Slope: 1e-4}}, none, 1e-10},
		{"noise", Noise{Curve: daily5, Sigma: 0.3, Interval: 60, Seed: 9}, func(a, b float64) []float64 {
			var br []float64
			for m := 60 * math.Floor(a/60); m < b; m += 60 {
				br = append(br, m)
			}
			return br
		}, 1e-12},
	}
	intervals := [][2]float64{
		{0, 1}, {0.25, 0.75}, {99, 102}, {137, 139}, {130.5, 1200.25}, {-733, 61}, {3999.5, 4000.5},
		{9.5, 10.5}, {29.999, 30.001}, {0, 20000}, {86000, 87000.5}, {123456.7, 123789.1},
	}
	for _, tt := range tests {
		for _, iv := range intervals {
			a, b := iv[0], iv[1]
			want := integrate(tt.c.Rate, a, b, 10, tt.breaks(a, b)...)
			got := tt.c.Jobs(a, b)
			if !near(got, want, tt.rel, 1e-9) {
				t.Errorf("%s: Jobs(%g, %g) = %.15g, quadrature %.15g (rel. diff %.2g)", tt.name, a, b, got, want, (got-want)/want)
			}
		}
	}
}

// TestJobsAdditive: Jobs over [a, c) is Jobs over [a, b) plus [b, c), for
// split points on and off the curves' edges.
func TestJobsAdditive(t *testing.T) {
	curves := map[string]Curve{
		"daily":  daily5,
		"burst":  Burst{Start: 10, Duration: 5, Height: 3, Every: 20},
		"linear": Linear{From: 10, Slope: -0.5},
		"exp":    Exponential{From: 2, Doubling: -30},
		"steps":  steps4,
	}
	for name, c := range curves {
		for _, b := range []float64{-5, 0, 10, 15, 15.000001, 20, 29.5, 30, 40, 55} {
			whole, parts := c.Jobs(-7, 61), c.Jobs(-7, b)+c.Jobs(b, 61)
			if !near(parts, whole, 1e-12, 1e-12) {
				t.Errorf("%s: split at %g: %.15g + … = %.15g, want %.15g", name, b, c.Jobs(-7, b), parts, whole)
			}
		}
	}
}

// TestRates checks Rate at points the definitions fix.
func TestRates(t *testing.T) {
	tests := []struct {
		name string
		c    Curve
		t    float64
		want float64
	}{
		{"daily peak", daily5, 50400, 50 * 5 / 3.0},                  // Mean(1 + A), A = 2/3
		{"daily trough", daily5, 50400 - 43200, 50 / 3.0},            // Mean(1 − A)
		{"daily next peak", daily5, 50400 + 86400*100, 50 * 5 / 3.0}, // a hundred days on
		{"daily quarter", daily5, 50400 + 21600, 50},
		{"burst at start", Burst{Start: 10, Duration: 5, Height: 3}, 10, 3},
		{"burst at end", Burst{Start: 10, Duration: 5, Height: 3}, 15, 0},
		{"burst repeat", Burst{Start: 10, Duration: 5, Height: 3, Every: 20}, 10 + 20*1000 + 4.9, 3},
		{"burst before repeat", Burst{Start: 10, Duration: 5, Height: 3, Every: 20}, 9.9 - 20*7, 0},
		{"linear", Linear{From: 10, Slope: -0.5}, 4, 8},
		{"linear clipped", Linear{From: 10, Slope: -0.5}, 21, 0},
		{"exp", Exponential{From: 10, Doubling: 3600}, 7200, 40},
		{"exp halving", Exponential{From: 10, Doubling: -3600}, 7200, 2.5},
		{"exp zero from far on", Exponential{From: 0, Doubling: 1}, 5000, 0}, // not 0 × Inf
		{"steps before", steps4, 9.999, 5},
		{"steps at", steps4, 10, 20},
		{"steps last", steps4, 1e9, 7},
		{"sum", Sum{Constant(1), Constant(2)}, 0, 3},
		{"product", Product{Constant(4), Constant(0.5)}, 0, 2},
		{"clamp high", Clamp{Curve: Constant(100), Max: 60}, 0, 60},
		{"clamp low", Clamp{Curve: Constant(1), Min: 5, Max: 60}, 0, 5},
		{"func clipped", Func(func(float64) float64 { return -3 }), 0, 0},
	}
	for _, tt := range tests {
		if got := tt.c.Rate(tt.t); !near(got, tt.want, 1e-12, 1e-12) {
			t.Errorf("%s: Rate(%g) = %.15g, want %.15g", tt.name, tt.t, got, tt.want)
		}
	}
}

// TestDailyJobsFarFromZero: a year from time 0, one second's jobs keep full
// precision (the angle is reduced modulo the period before the cosine).
// Reference: ω(t − Peak) with t − Peak reduced by hand to whole days.
func TestDailyJobsFarFromZero(t *testing.T) {
	w := 2 * math.Pi / 86400
	for _, days := range []float64{0, 1, 365, 3650} {
		for _, s := range []float64{0, 1, 12345, 50399.5, 86399} {
			a := days*86400 + s
			x := s - 50400 // t − Peak less whole days
			want := 50 + 2*50*(2.0/3)/w*math.Cos(w*(x+0.5))*math.Sin(w*0.5)
			if got := daily5.Jobs(a, a+1); !near(got, want, 1e-13, 0) {
				t.Errorf("day %g + %gs: Jobs = %.17g, want %.17g", days, s, got, want)
			}
		}
	}
}

// TestValidate: every out-of-range field is reported by name, through the
// path of parts that leads to it.
func TestValidate(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	tr, _ := NewTrace([]float64{0}, []float64{1}, 1, StepInterpolation, false)
	good := []Curve{
		Constant(0), daily5, Daily{Mean: 1, Ratio: 1, Period: 1}, Burst{Duration: 5, Height: 1, Every: 5},
		Linear{From: 0, Slope: -1}, Exponential{From: 1, Doubling: -1}, steps4, Steps{},
		Sum{}, Sum{Constant(1)}, Product{Constant(1)}, Clamp{Curve: Constant(1), Min: 1, Max: 1},
		Noise{Curve: Constant(1), Sigma: 0, Interval: 1}, Poisson{Curve: daily5}, tr, Func(math.Abs),
	}
	for _, c := range good {
		if err := Validate(c); err != nil {
			t.Errorf("Validate(%#v) = %v, want nil", c, err)
		}
	}
	bad := []struct {
		c    Curve
		want string // the start of the error
	}{
		{nil, "workload: no curve"},
		{Constant(-1), "workload: constant: rate -1 must be a finite rate"},
		{Constant(nan), "workload: constant: rate NaN"},
		{Constant(inf), "workload: constant: rate +Inf"},
		{Daily{Mean: -1, Ratio: 2, Period: 1}, "workload: daily: mean -1"},
		{Daily{Mean: 1, Ratio: 0.5, Period: 1}, "workload: daily: ratio 0.5"},
		{Daily{Mean: 1, Ratio: nan, Period: 1}, "workload: daily: ratio NaN"},
		{Daily{Mean: 1, Ratio: inf, Period: 1}, "workload: daily: ratio +Inf"},
		{Daily{Mean: 1, Ratio: 2, Period: 0}, "workload: daily: period 0s"},
		{Daily{Mean: 1, Ratio: 2, Period: -5}, "workload: daily: period -5s"},
		{Daily{Mean: 1, Ratio: 2, Period: 1, Peak: nan}, "workload: daily: peak must be finite"},
		{Burst{Height: -1, Duration: 1}, "workload: burst: height -1"},
		{Burst{Height: 1, Duration: -1}, "workload: burst: duration -1s"},
		{Burst{Height: 1, Duration: inf}, "workload: burst: duration +Infs"},
		{Burst{Height: 1, Duration: 1, Start: inf}, "workload: burst: start must be finite"},
		{Burst{Height: 1, Duration: 1, Every: -1}, "workload: burst: every -1s"},
		{Burst{Height: 1, Duration: 10, Every: 5}, "workload: burst: duration 10s must not exceed every 5s"},
		{Linear{From: -1}, "workload: linear: from -1"},
		{Linear{From: 1, Slope: nan}, "workload: linear: slope must be finite"},
		{Exponential{From: 1}, "workload: exponential: doubling 0s"},
		{Exponential{From: 1, Doubling: inf}, "workload: exponential: doubling +Infs"},
		{Exponential{From: -1, Doubling: 1}, "workload: exponential: from -1"},
		{Steps{Initial: -2}, "workload: steps: initial -2"},
		{Steps{Steps: []Step{{At: 1, Rate: 1}, {At: 2, Rate: -1}}}, "workload: steps: steps[1].rate -1"},
		{Steps{Steps: []Step{{At: 1, Rate: 1}, {At: 1, Rate: 2}}}, "workload: steps: steps[1].at 1s must come after steps[0].at 1s"},
		{Steps{Steps: []Step{{At: nan, Rate: 1}}}, "workload: steps: steps[0].at must be finite"},
		{Sum{Constant(1), Burst{Height: -1}}, "workload: sum: part 2: burst: height -1"},
		{Sum{Constant(1), nil}, "workload: sum: part 2: no curve"},
		{Product{}, "workload: product: needs at least one part"},
		{Product{Constant(1), Sum{Daily{Mean: 1, Ratio: 1, Period: -1}}}, "workload: product: part 2: sum: part 1: daily: period -1s"},
		{Clamp{}, "workload: clamp: has no curve"},
		{Clamp{Curve: Constant(1), Min: -1}, "workload: clamp: min -1"},
		{Clamp{Curve: Constant(1), Max: inf}, "workload: clamp: max +Inf"},
		{Clamp{Curve: Constant(1), Min: 5, Max: 2}, "workload: clamp: max 2 is below min 5"},
		{Clamp{Curve: Constant(-1)}, "workload: clamp: constant: rate -1"},
		{Noise{Interval: 1}, "workload: noise: has no curve"},
		{Noise{Curve: Constant(1), Sigma: -0.1, Interval: 1}, "workload: noise: sigma -0.1"},
		{Noise{Curve: Constant(1), Sigma: 6, Interval: 1}, "workload: noise: sigma 6"},
		{Noise{Curve: Constant(1), Sigma: nan, Interval: 1}, "workload: noise: sigma NaN"},
		{Noise{Curve: Constant(1), Sigma: 0.1}, "workload: noise: interval 0s"},
		{Noise{Curve: Constant(1), Sigma: 0.1, Interval: 1e-9}, "workload: noise: interval 1e-09s must be at least 1ms"},
		{Noise{Curve: Linear{From: -1}, Interval: 1}, "workload: noise: linear: from -1"},
		{Poisson{}, "workload: poisson: has no curve"},
		{Poisson{Curve: Constant(-3)}, "workload: poisson: constant: rate -3"},
		{&Trace{}, "workload: trace: is empty"},
		{(*Trace)(nil), "workload: trace: is empty"},
	}
	for _, tt := range bad {
		err := Validate(tt.c)
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("Validate(%#v) = %v, want an error starting %q", tt.c, err, tt.want)
		}
	}
}
