package queueing

import (
	"math"
	"testing"
)

// mdcSpitzer holds P(W > 0) and E[W]/D of M/D/c queues from the Spitzer
// series (1) and (2) of mdc.go summed term by term at 40 digits with
// mpmath's regularized incomplete gamma for the Poisson tails: a different
// computation from the Go code's contour integrals (no contour, no
// quadrature). Produced by: python3 queueing/testdata/mdc_reference.py
// (mpmath 1.2.1), 15 significant digits printed.
var mdcSpitzer = []struct {
	c         int
	a         float64
	pWait, mw float64
}{
	{1, 0.5, 0.5, 0.5}, // M/D/1: P(wait) = ρ, P-K ρ/(2(1−ρ))
	{1, 0.9, 0.9, 4.5},
	{2, 1, 0.323258942887163, 0.176741057112837},
	{2, 1.8, 0.847107642702302, 2.14692321471583}, // load 0.9
	{3, 2.7, 0.807680691670761, 1.37791197362343},
	{5, 4, 0.533615062965625, 0.289060007262668},
	{10, 8, 0.384717393322096, 0.109827789712605},
	{10, 9.5, 0.811640502754771, 0.837082991844635},
	{20, 10, 0.00347520314270523, 0.000280198701971433},
	{50, 45, 0.335542645139606, 0.0395258871741864},
	{100, 95, 0.47511485201092, 0.0534460391227988},
	{100, 99, 0.870319059369166, 0.445432841241404}, // load 0.99
	{1000, 950, 0.0601329579773997, 0.00085548804767895},
	{1000, 990, 0.629814554346982, 0.0340113034233689},
	{10000, 9900, 0.199093745373618, 0.00126107230641137},
	{100000, 99000, 0.000758949361321909, 6.53603326998716e-7}, // very large fleet
}

func TestMDcAgainstSpitzerSeries(t *testing.T) {
	for _, r := range mdcSpitzer {
		// The references carry 15 digits; the contour integrals 12.
		if got := MDcWaitProbability(r.c, r.a); !close(got, r.pWait, 1e-11) {
			t.Errorf("MDcWaitProbability(%d, %g) = %.15g, want %.15g", r.c, r.a, got, r.pWait)
		}
		if got := MDcMeanWait(r.c, r.a); !close(got, r.mw, 1e-11) {
			t.Errorf("MDcMeanWait(%d, %g) = %.15g, want %.15g", r.c, r.a, got, r.mw)
		}
	}
}

// One box: Pollaczek–Khinchine, and P(wait) = ρ, at loads up to near 1.
func TestMD1PollaczekKhinchine(t *testing.T) {
	for _, rho := range []float64{1e-6, 0.01, 0.3, 0.5, 0.9, 0.99, 0.999, 0.9999} {
		if got, want := MDcMeanWait(1, rho), MD1MeanWait(rho); !close(got, want, 1e-10) {
			t.Errorf("ρ=%g: M/D/1 mean wait %.15g, P-K %.15g", rho, got, want)
		}
		if got := MDcWaitProbability(1, rho); !close(got, rho, 1e-10) {
			t.Errorf("ρ=%g: M/D/1 P(wait) %.15g, want ρ", rho, got)
		}
	}
}

// Erlang (1909) for one box with fixed latency D (λ = ρ/D):
//
//	P(W ≤ x) = (1 − ρ) Σ_{j=0}^{⌊x/D⌋} e^{λ(x−jD)} (−λ(x−jD))^j / j!
//
// summed here directly (it cancels badly only for large x).
func erlangMD1(rho, x float64) float64 {
	var s float64
	for j := 0; float64(j) <= x; j++ {
		y := rho * (x - float64(j))
		term := math.Exp(y)
		for i := 1; i <= j; i++ {
			term *= -y / float64(i)
		}
		s += term
	}
	return 1 - (1-rho)*s
}

func TestMD1TailErlang(t *testing.T) {
	for _, rho := range []float64{0.2, 0.5, 0.8, 0.95} {
		for _, x := range []float64{0.1, 0.5, 1, 1.5, 2.75, 4} {
			got, err := MDcWaitOver(1, rho, x)
			if err != nil {
				t.Fatal(err)
			}
			if want := erlangMD1(rho, x); !close(got, want, 1e-9) {
				t.Errorf("ρ=%g x=%g: P(W > xD) = %.12g, Erlang %.12g", rho, x, got, want)
			}
		}
	}
}

// The tail at 0 through the transform equals P(wait) from the contour
// integrals: two computations that share only G(z).
func TestMDcTailAtZeroMatchesWaitProbability(t *testing.T) {
	for _, r := range mdcSpitzer {
		got, err := MDcWaitOver(r.c, r.a, 1e-300)
		if err != nil {
			t.Fatal(err)
		}
		if !close(got, r.pWait, 1e-9) {
			t.Errorf("c=%d a=%g: tail at 0 = %.15g, P(wait) %.15g", r.c, r.a, got, r.pWait)
		}
	}
}

// Properties over a grid of fleets and loads: the tail falls with the wait
// and with every box added, and fixed latency waits less than exponential.
func TestMDcProperties(t *testing.T) {
	for _, c := range []int{1, 2, 3, 5, 10, 30, 100, 300, 1000} {
		for _, rho := range []float64{0.1, 0.5, 0.8, 0.9, 0.97} {
			a := rho * float64(c)
			pw := MDcWaitProbability(c, a)
			if pw > ErlangC(c, a)*(1+1e-12) {
				t.Errorf("c=%d a=%g: M/D/c P(wait) %g above Erlang C %g", c, a, pw, ErlangC(c, a))
			}
			mmc := MMcMeanWait(c, a)
			if mw := MDcMeanWait(c, a); mw > mmc*(1+1e-12) {
				t.Errorf("c=%d a=%g: M/D/c mean wait %g above M/M/c %g", c, a, mw, mmc)
			}
			prev := pw
			for _, x := range []float64{0.25, 0.5, 1, 2} {
				p, err := MDcWaitOver(c, a, x)
				if err != nil {
					t.Fatal(err)
				}
				if p > prev*(1+1e-9)+1e-300 || p < 0 {
					t.Errorf("c=%d a=%g: P(W > %gD) = %g not below %g", c, a, x, p, prev)
				}
				prev = p
				if more, _ := MDcWaitOver(c+1, a, x); more > p*(1+1e-9)+1e-300 {
					t.Errorf("c=%d a=%g x=%g: one more box raised the tail %g → %g", c, a, x, p, more)
				}
			}
		}
	}
}

// mdcChain holds P(W > x·D) from the embedded chain: Lindley's recursion
// Y' = max(Y + Poisson(a) − c, 0) iterated from an empty queue at 40
// digits on a truncated support until it stops changing, then Crommelin's
// P(W > kD + uD) = P(Y + Poisson(a(1−u)) ≥ (k+1)c) summed directly. No
// transform, no contour. Produced by:
// python3 queueing/testdata/mdc_reference.py chain (mpmath 1.2.1).
var mdcChain = []struct {
	c     int
	a     float64
	pWait float64
	tails [6]float64 // at x = 0.25, 0.5, 1, 1.5, 2, 3
}{
	{1, 0.5, 0.5, [6]float64{0.433425773467, 0.357987291656, 0.17563936465, 0.10200316878, 0.0530394034455, 0.0152512996417}},
	{1, 0.8, 0.8, [6]float64{0.755719448368, 0.701635060472, 0.554891814302, 0.455322591264, 0.36548006368, 0.237900480255}},
	{2, 1, 0.323258942887163, [6]float64{0.234815456861, 0.150724571923, 0.0391359922151, 0.0118098502566, 0.00334431748733, 0.000270525639229}},
	{2, 1.6, 0.701898317173328, [6]float64{0.616090317634, 0.517985604348, 0.331021769514, 0.216807864911, 0.140863193768, 0.0594952324095}},
	{3, 2.4, 0.632542245350665, [6]float64{0.513842809359, 0.388757819961, 0.200608964529, 0.105353870205, 0.0552294472475, 0.01516290174}},
	{5, 4, 0.533615062965625, [6]float64{0.369112740775, 0.224309163681, 0.0754060615667, 0.0256555802289, 0.00873909679728, 0.00101371175118}},
}

func TestMDcTailAgainstChain(t *testing.T) {
	xs := [6]float64{0.25, 0.5, 1, 1.5, 2, 3}
	for _, r := range mdcChain {
		if got := MDcWaitProbability(r.c, r.a); !close(got, r.pWait, 1e-11) {
			t.Errorf("c=%d a=%g: P(wait) = %.15g, chain %.15g", r.c, r.a, got, r.pWait)
		}
		for i, x := range xs {
			got, err := MDcWaitOver(r.c, r.a, x)
			if err != nil {
				t.Fatal(err)
			}
			// The references carry 12 digits.
			if !close(got, r.tails[i], 1e-10) {
				t.Errorf("c=%d a=%g: P(W > %gD) = %.12g, chain %.12g", r.c, r.a, x, got, r.tails[i])
			}
		}
	}
}

// Where both methods apply, the pole at τ alone and the transform must
// agree: heavy traffic on fleets small enough for the transform.
func TestMDcPoleMatchesTransform(t *testing.T) {
	checked := 0
	for _, c := range []int{200, 1000, 5000, 10000} {
		for _, gapBoxes := range []float64{0.5, 2, 10, 40} {
			a := float64(c) - gapBoxes
			for _, x := range []float64{0.5, 1, 2.5, 4} {
				k := math.Floor(x)
				m := int(k+1) * c
				theta := a * (1 - (x - k))
				tau := mdcTau(c, a)
				if !mdcPoleAlone(c, a, m, theta, tau) {
					continue
				}
				fft, err := mdcTailFFT(c, a, x, m, theta, tau)
				if err != nil {
					continue // too large for the transform
				}
				checked++
				if pole := mdcTailPole(c, a, m, theta, tau); !close(pole, fft, 1e-8) {
					t.Errorf("c=%d a=%g x=%g: pole %.12g, transform %.12g", c, a, x, pole, fft)
				}
			}
		}
	}
	if checked < 8 {
		t.Errorf("only %d cases where both methods apply", checked)
	}
}

// Property over a wide grid, small fleets to 100,000 boxes and loads up to
// 0.9999: fixed latency waits less often and less long than exponential,
// and both fall with every box added.
func TestMDcBelowMMcWide(t *testing.T) {
	for _, c := range []int{1, 2, 7, 40, 300, 3000, 100000} {
		for _, rho := range []float64{0.05, 0.5, 0.9, 0.99, 0.999, 0.9999} {
			a := rho * float64(c)
			pw, mw := MDcWaitProbability(c, a), MDcMeanWait(c, a)
			if pw > ErlangC(c, a)*(1+1e-12) || mw > MMcMeanWait(c, a)*(1+1e-12) {
				t.Errorf("c=%d ρ=%g: M/D/c (%g, %g) above M/M/c (%g, %g)", c, rho, pw, mw, ErlangC(c, a), MMcMeanWait(c, a))
			}
			if pw1, mw1 := MDcWaitProbability(c+1, a), MDcMeanWait(c+1, a); pw1 > pw || mw1 > mw {
				t.Errorf("c=%d ρ=%g: one more box raised P(wait) %g → %g or the mean %g → %g", c, rho, pw, pw1, mw, mw1)
			}
		}
	}
}

// mdcChainFloat holds P(W > 0) and P(W > x·D) for larger fleets from the
// same embedded chain in double precision (iterated until no probability
// moves by 1e-15): python3 queueing/testdata/mdc_reference.py chainfloat.
var mdcChainFloat = []struct {
	c     int
	a     float64
	tails [5]float64 // at x = 0, 0.1, 0.25, 0.5, 1
}{
	{20, 18, [5]float64{5.232650662668e-01, 3.892582730629e-01, 2.225977511884e-01, 7.850111841519e-02, 9.902663847682e-03}},
	{50, 45, [5]float64{3.355426451396e-01, 1.551318899944e-01, 3.479728376822e-02, 2.593954867097e-03, 1.461377975753e-05}},
	{100, 95, [5]float64{4.751148520109e-01, 2.062822932466e-01, 4.506555716599e-02, 3.544915050734e-03, 2.191251113648e-05}},
}

func TestMDcTailAgainstChainFloat(t *testing.T) {
	for _, r := range mdcChainFloat {
		for i, x := range []float64{0, 0.1, 0.25, 0.5, 1} {
			got, err := MDcWaitOver(r.c, r.a, x)
			if err != nil {
				t.Fatal(err)
			}
			// 13 digits printed; the double-precision chain stops within
			// about 1e-13 absolute of its fixed point.
			if math.Abs(got-r.tails[i]) > 1e-9*r.tails[i]+2e-13 {
				t.Errorf("c=%d a=%g: P(W > %gD) = %.13g, chain %.13g", r.c, r.a, x, got, r.tails[i])
			}
		}
	}
}
