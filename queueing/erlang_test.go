package queueing

import (
	"math"
	"testing"
)

// close reports whether got is within rel of want (relative), or within
// 1e-300 when want is 0.
func close(got, want, rel float64) bool {
	if want == 0 {
		return math.Abs(got) < 1e-300
	}
	return math.Abs(got-want) <= rel*math.Abs(want)
}

// erlangRef holds Erlang B and C from R's Poisson distribution, which shares
// no code with the recursion: B = dpois(c,a)/ppois(c,a),
// C = dpois(c,a)/(dpois(c,a) + (1−a/c)·ppois(c−1,a)).
// Produced by: Rscript queueing/testdata/erlang_reference.R (R 4.2.2).
var erlangRef = []struct {
	c    int
	a    float64
	b, C float64
}{
	{1, 0.5, 3.333333333333334e-01, 5.000000000000001e-01},
	{2, 1, 2.000000000000000e-01, 3.333333333333333e-01},
	{15, 8.108, 9.999631942598772e-03, 2.151051520000681e-02},
	{10, 5, 1.838457033664813e-02, 3.610535915832019e-02},
	{50, 40, 1.869067110963223e-02, 8.695254952676608e-02},
	{100, 80, 3.992028604553192e-03, 1.964642663435951e-02},
	{100, 99, 7.002807478043331e-02, 8.827684626100842e-01}, // load near 1
	{1000, 950, 3.649293688942412e-03, 6.825341537714139e-02},
	{1000, 999, 2.419917859556181e-02, 9.612392604084191e-01}, // load near 1
	{10000, 9800, 5.371304021062694e-04, 2.616779959022295e-02},
	{100000, 99000, 8.225775598504214e-06, 8.219082374107947e-04}, // very large fleet
	{100000, 99900, 1.920226772553862e-03, 6.579935117953025e-01},
	{100000, 100500, 6.315849711506676e-03, 1}, // overloaded: C = 1
}

func TestErlangAgainstR(t *testing.T) {
	for _, r := range erlangRef {
		if got := ErlangB(r.c, r.a); !close(got, r.b, 1e-12) {
			t.Errorf("ErlangB(%d, %g) = %.16g, want %.16g (R)", r.c, r.a, got, r.b)
		}
		if got := ErlangC(r.c, r.a); !close(got, r.C, 1e-12) {
			t.Errorf("ErlangC(%d, %g) = %.16g, want %.16g (R)", r.c, r.a, got, r.C)
		}
	}
	// R's ppois underflows to give B = C = 0 at c = 100000, a = 50000; the
	// true values are below 1e-300 (Chernoff: P(N ≥ c) ≤ e^{−c·h(0.5)},
	// c·h(0.5) ≈ 15,700).
	if b := ErlangB(100000, 50000); b > 1e-300 {
		t.Errorf("ErlangB(100000, 50000) = %g, want below 1e-300", b)
	}
}

func TestErlangPublished(t *testing.T) {
	// Two boxes at offered load 1: C = (1/2!·2/(2−1)) / (1 + 1 + 1/2!·2/(2−1)) = 1/3.
	if got := ErlangC(2, 1); math.Abs(got-1.0/3) > 1e-15 {
		t.Errorf("ErlangC(2, 1) = %.17g, want 1/3", got)
	}
	// The standard Erlang B table (the check): 15 circuits at 1%
	// blocking carry 8.108 erlangs. The table truncates the load to 3
	// decimals, so B(15, 8.108) ≤ 1% < B(15, 8.109).
	if b := ErlangB(15, 8.108); b > 0.01 {
		t.Errorf("ErlangB(15, 8.108) = %.6g, want ≤ 0.01", b)
	}
	if b := ErlangB(15, 8.109); b <= 0.01 {
		t.Errorf("ErlangB(15, 8.109) = %.6g, want > 0.01", b)
	}
	// One circuit: B(1, a) = a/(1 + a) in closed form.
	if got := ErlangB(1, 0.0101); math.Abs(got-0.0101/1.0101) > 1e-16 {
		t.Errorf("ErlangB(1, 0.0101) = %g", got)
	}
}

func TestErlangEdges(t *testing.T) {
	tests := []struct {
		name string
		got  float64
		want float64
	}{
		{"no boxes", ErlangB(0, 3), 1},
		{"no load", ErlangB(5, 0), 0},
		{"no load, C", ErlangC(5, 0), 0},
		{"overloaded C", ErlangC(3, 3), 1},
		{"infinite load", ErlangB(3, math.Inf(1)), 1},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("%s: got %g, want %g", tc.name, tc.got, tc.want)
		}
	}
	for _, v := range []float64{ErlangB(-1, 1), ErlangB(1, -1), ErlangB(1, math.NaN()), ErlangC(-1, 1)} {
		if !math.IsNaN(v) {
			t.Errorf("bad input gave %g, want NaN", v)
		}
	}
}

// fullErlangB is the textbook recursion from B(0) = 1, with no shortcut.
func fullErlangB(c int, a float64) float64 {
	b := 1.0
	for k := 1; k <= c; k++ {
		b = a * b / (float64(k) + a*b)
	}
	return b
}

// The recursion that starts late must agree with the one that starts at 0.
func TestErlangBStartMatchesFullRecursion(t *testing.T) {
	for _, c := range []int{1, 2, 7, 50, 333, 1000, 4096, 20000, 100000} {
		for _, rho := range []float64{0.01, 0.3, 0.7, 0.9, 0.99, 0.999, 1, 1.01, 1.5, 3} {
			a := rho * float64(c)
			got, want := ErlangB(c, a), fullErlangB(c, a)
			if !close(got, want, 1e-12) && math.Abs(got-want) > 1e-300 {
				t.Errorf("ErlangB(%d, %g) = %.16g, full recursion %.16g", c, a, got, want)
			}
		}
	}
}

// Property: Erlang C ≥ Erlang B (a job that would be missed without a queue
// waits with one, and more jobs are present when missed ones stay).
func TestErlangCAtLeastB(t *testing.T) {
	for c := 1; c <= 2000; c = c*3/2 + 1 {
		for _, rho := range []float64{0.001, 0.1, 0.5, 0.8, 0.95, 0.999, 0.999999} {
			a := rho * float64(c)
			if b, cc := ErlangB(c, a), ErlangC(c, a); cc < b {
				t.Errorf("c=%d a=%g: C=%g < B=%g", c, a, cc, b)
			}
		}
	}
}

func TestMeanWaitClosedForms(t *testing.T) {
	// M/D/1 waits exactly half as long as M/M/1 (Pollaczek–Khinchine with
	// E[S²] = L² against 2L²).
	for _, rho := range []float64{0.1, 0.5, 0.9, 0.999} {
		d, m := MD1MeanWait(rho), MM1MeanWait(rho)
		if math.Abs(d-m/2) > 1e-15*m {
			t.Errorf("ρ=%g: M/D/1 %g, M/M/1 %g, want half", rho, d, m)
		}
	}
	// M/M/1 at ρ = 0.5 with a 1 s latency: 0.5/(1−0.5) = 1 s.
	if got := MM1MeanWait(0.5); got != 1 {
		t.Errorf("MM1MeanWait(0.5) = %g, want 1", got)
	}
	if got := MD1MeanWait(1); !math.IsInf(got, 1) {
		t.Errorf("MD1MeanWait at ρ = 1 = %g, want +Inf", got)
	}
	// M/M/2 at a = 1: C/(c − a) = 1/3.
	if got := MMcMeanWait(2, 1); math.Abs(got-1.0/3) > 1e-15 {
		t.Errorf("MMcMeanWait(2, 1) = %g, want 1/3", got)
	}
	// M/M/c mean wait from Erlang C equals M/M/1's at c = 1.
	s := System{Boxes: 1, JobRate: 0.8, Latency: 1, Service: Exponential, Queue: Unbounded}
	if got := s.MeanWait(); math.Abs(got-4) > 1e-12 {
		t.Errorf("M/M/1 at ρ=0.8: %g, want 4", got)
	}
	// P(W > t) for M/M/1: ρ·e^{−(1−ρ)t/L}.
	if got := MMcWaitOver(1, 0.8, 2); math.Abs(got-0.8*math.Exp(-0.4)) > 1e-15 {
		t.Errorf("MMcWaitOver(1, 0.8, 2) = %g", got)
	}
}
