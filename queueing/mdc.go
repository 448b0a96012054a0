package queueing

import (
	"errors"
	"fmt"
	"math"
	"math/cmplx"
)

// The M/D/c queue: c boxes, random (Poisson) arrivals at rate λ, every job
// takes exactly D seconds (the seed's fixed latency), one unbounded
// first-come-first-served queue. a = λD is the offered load and ρ = a/c < 1.
//
// The number of jobs in the system at times D apart forms the chain
//
//	Q' = max(Q − c, 0) + A,   A ~ Poisson(a)         (Crommelin 1932)
//
// because every job in service at time t has left by t + D and every job
// waiting at t is in service at t + D. The queue Y = max(Q − c, 0) obeys
// Lindley's recursion Y' = max(Y + A − c, 0), so in equilibrium Y is the
// maximum of the random walk S_n = A_1 + … + A_n − n·c, and Spitzer's
// identity gives, with A_n ~ Poisson(n·a),
//
//	P(W = 0) = exp(−Σ_{n≥1} P(A_n ≥ n·c)/n)              (1)
//	E[Y]     = Σ_{n≥1} E[(A_n − n·c)⁺]/n,  E[W] = E[Y]/λ  (2)
//
// (Janssen & van Leeuwaarden, "Back to the roots of the M/D/s queue and the
// works of Erlang, Crommelin and Pollaczek", Statistica Neerlandica 62, 2008).
// With G(z) = exp(a(z−1))·z^(−c), the generating function of one step of the
// walk, the sums are contour integrals over a circle |z| = r, 1 < r < τ,
// where τ > 1 solves G(τ) = 1 (Pollaczek's form):
//
//	Σ P(S_n ≥ 0)/n = (1/2πi) ∮ −log(1 − G(z)) / (z − 1)  dz
//	Σ E[S_n⁺]/n    = (1/2πi) ∮ −log(1 − G(z)) / (z − 1)² dz
//
// since P(S ≥ 0) = (1/2πi)∮ E[z^S]/(z−1) dz and E[S⁺] = (1/2πi)∮ E[z^S]/(z−1)² dz
// for |z| > 1. On r = 1/ρ, the saddle point of G, |G| = exp(−c·h(ρ) −
// 2c·sin²(φ/2)) with h(ρ) = ρ − 1 − ln ρ, so the integrand is smooth and
// concentrated near φ = 0 whatever c is: the cost does not grow with the
// number of boxes. The integrals are computed with adaptive Gauss–Legendre
// quadrature to a relative 1e-12.

// mdcContour returns Σ P(S_n ≥ 0)/n and E[Y] = Σ E[S_n⁺]/n for c boxes at
// offered load a < c.
func mdcContour(c int, a float64) (s0, ey float64) {
	cf := float64(c)
	delta := (cf - a) / cf // 1 − ρ
	ch := cf * hOneMinus(delta)
	r := cf / a
	rm1 := (cf - a) / a // r − 1, exactly
	f := func(phi float64) (float64, float64) {
		sh := math.Sin(phi / 2)
		x := -ch - 2*cf*sh*sh    // log|G|
		y := cf * sinMinusX(phi) // arg G
		omg := oneMinusExp(x, y) // 1 − G
		l := -cmplx.Log(omg)     // −log(1 − G)
		z := cmplx.Rect(r, phi)
		zm1 := complex(rm1-2*r*sh*sh, r*math.Sin(phi))
		t := l * z / zm1
		return real(t), real(t / zm1)
	}
	// Breakpoints at doubling distances from the small scales of the
	// integrand: the width 1/√c of |G| and the distance r − 1 from the pole
	// at z = 1.
	small := 0.05 * math.Min(1, math.Min(1/math.Sqrt(cf), rm1))
	bp := []float64{0}
	for x := small; x < math.Pi; x *= 2 {
		bp = append(bp, x)
	}
	bp = append(bp, math.Pi)
	i0, i1 := integrate2(f, bp, 1e-13, 1e-300)
	return i0 / math.Pi, i1 / math.Pi
}

// hOneMinus is h(ρ) = ρ − 1 − ln ρ at ρ = 1 − δ, accurate for small δ.
func hOneMinus(delta float64) float64 {
	if math.Abs(delta) < 0.05 {
		// −δ − ln(1 − δ) = Σ_{k≥2} δ^k / k
		s, p := 0.0, delta
		for k := 2; k < 40; k++ {
			p *= delta
			s += p / float64(k)
			if math.Abs(p) < 1e-18*math.Abs(s) {
				break
			}
		}
		return s
	}
	return -delta - math.Log1p(-delta)
}

// sinMinusX is sin x − x without cancellation for small x.
func sinMinusX(x float64) float64 {
	if math.Abs(x) < 0.5 {
		x2 := x * x
		// −x³/3! + x⁵/5! − x⁷/7! + …
		term, s := -x*x2/6, 0.0
		for k := 4; k < 40; k += 2 {
			s += term
			term *= -x2 / float64(k*(k+1))
			if math.Abs(term) < 1e-18*math.Abs(s) {
				break
			}
		}
		return s
	}
	return math.Sin(x) - x
}

// oneMinusExp is 1 − exp(x + iy) without cancellation when x + iy is small.
func oneMinusExp(x, y float64) complex128 {
	sy := math.Sin(y / 2)
	re := -(math.Expm1(x)*math.Cos(y) - 2*sy*sy)
	im := -math.Exp(x) * math.Sin(y)
	return complex(re, im)
}

// MDcWaitProbability is P(W > 0) in an M/D/c queue: the probability that a
// job finds all c boxes busy and waits. Formula (1) above; exact (to about
// 1e-12 relative), for any c. It is 1 when a ≥ c.
func MDcWaitProbability(c int, a float64) float64 {
	switch {
	case c < 0 || math.IsNaN(a) || a < 0:
		return math.NaN()
	case a >= float64(c):
		return 1
	case a == 0:
		return 0
	}
	s0, _ := mdcContour(c, a)
	return -math.Expm1(-s0)
}

// MDcMeanWait is the mean time a job waits for a box in an M/D/c queue, in
// units of the latency D (multiply by D for seconds): E[W]/D = E[Y]/a,
// formula (2) above with Little's law. +Inf when a ≥ c. For c = 1 it is the
// Pollaczek–Khinchine value ρ/(2(1 − ρ)).
func MDcMeanWait(c int, a float64) float64 {
	switch {
	case c < 0 || math.IsNaN(a) || a < 0:
		return math.NaN()
	case a >= float64(c):
		return math.Inf(1)
	case a == 0:
		return 0
	}
	_, ey := mdcContour(c, a)
	return ey / a
}

// maxTailPoints bounds the size of the transform MDcWaitOver uses (about
// 200 MB of work space at the bound).
const maxTailPoints = 1 << 23

// ErrTooLarge is returned when an exact computation would need more work
// space than this package allows.
var ErrTooLarge = errors.New("queueing: the exact computation is too large")

// MDcWaitOver is P(W > x·D) in an M/D/c queue with offered load a < c, the
// deadline x given in units of the latency D. Crommelin's representation:
// with x = k + u, k whole and 0 ≤ u < 1, a job waits longer than x·D exactly
// when the jobs that are in the queue D(1 − u) before it arrives, plus the
// jobs arriving in between, number at least (k+1)·c:
//
//	P(W > x·D) = P(Y + A_θ ≥ (k+1)·c),   A_θ ~ Poisson(θ), θ = a(1 − u).
//
// (A job arriving at time s has started by s + x·D iff at most c·(k+1) − 1
// jobs are ahead of it at s + uD, and those are the queue at s + uD − D plus
// the arrivals in (s + uD − D, s).) The generating function of Y is, by
// Spitzer's identity, exp((w−1)·J(w)) with
//
//	J(w) = (1/2πi) ∮ −log(1 − G(z)) / ((z − w)(z − 1)) dz,
//
// and the tail is the contour integral (1/2πi)∮ E[w^(Y+A_θ)] w^(−m)/(w − 1) dw
// over |w| = R, 1 < R < τ. Both are evaluated on N equally spaced points of
// that circle: J through the Cauchy projection of the Laurent series of
// −log(1 − G(z))/(z − 1) (an FFT, dropping negative powers), the tail by the
// trapezoidal rule, whose error is the aliased terms R^(−N) and (R/τ)^N. N
// grows with m = (k+1)·c and with 1/(1 − ρ); when it would pass 2^23 the
// function returns ErrTooLarge. The result is exact to about 1e-9 relative.
func MDcWaitOver(c int, a, x float64) (float64, error) {
	switch {
	case c < 0 || math.IsNaN(a) || a < 0 || math.IsNaN(x):
		return math.NaN(), fmt.Errorf("queueing: bad M/D/c parameters c=%d a=%g x=%g", c, a, x)
	case a >= float64(c):
		return 1, nil
	case a == 0 || math.IsInf(x, 1):
		return 0, nil
	case x <= 0:
		return MDcWaitProbability(c, a), nil
	}
	k := math.Floor(x)
	u := x - k
	mf := (k + 1) * float64(c)
	if mf > maxTailPoints {
		return math.NaN(), fmt.Errorf("%w: P(W > %g latencies) with %d boxes", ErrTooLarge, x, c)
	}
	m := int(mf)
	theta := a * (1 - u)
	tau := mdcTau(c, a)
	lt := math.Log(tau)
	// R = τ^(1−η): the closer to τ, the less the trapezoidal sum cancels
	// (its terms are at most (τ/R)^m = e^(η·m·ln τ) times the result), the
	// more points the Laurent series near τ needs.
	eta := math.Min(0.5, 18/(float64(m)*lt))
	lr := (1 - eta) * lt
	need := (float64(m)*lt+40)/lr + 80/(eta*lt) + 64
	if need > maxTailPoints {
		return math.NaN(), fmt.Errorf("%w: P(W > %g latencies) with %d boxes at utilization %.6g", ErrTooLarge, x, c, a/float64(c))
	}
	n := 64
	for float64(n) < need {
		n <<= 1
	}
	return mdcTail(c, a, m, theta, math.Exp(lr), n), nil
}

// mdcTail evaluates P(Y + A_θ ≥ m) on n points of the circle |w| = R.
func mdcTail(c int, a float64, m int, theta, R float64, n int) float64 {
	cf := float64(c)
	lnR := math.Log(R)
	rm1 := math.Expm1(lnR)
	// −log(1 − G(z)) / (z − 1) on the circle.
	f := make([]complex128, n)
	for j := range f {
		phi := 2 * math.Pi * float64(j) / float64(n)
		if j > n/2 {
			phi -= 2 * math.Pi
		}
		sh := math.Sin(phi / 2)
		// log G(z) = a(z − 1) − c·log z, z = R·e^{iφ}
		x := a*(rm1-2*R*sh*sh) - cf*lnR
		y := a*R*math.Sin(phi) - cf*phi
		l := -cmplx.Log(oneMinusExp(x, y))
		zm1 := complex(rm1-2*R*sh*sh, R*math.Sin(phi))
		f[j] = l / zm1
	}
	fft(f, -1)
	inv := 1 / float64(n)
	for p := range f {
		if p >= n/2 {
			f[p] = 0
		} else {
			f[p] *= complex(inv, 0)
		}
	}
	fft(f, 1) // now f[j] = J(w_j)
	var sum float64
	for j := range f {
		phi := 2 * math.Pi * float64(j) / float64(n)
		if j > n/2 {
			phi -= 2 * math.Pi
		}
		sh := math.Sin(phi / 2)
		wm1 := complex(rm1-2*R*sh*sh, R*math.Sin(phi))
		lnV := wm1 * (f[j] + complex(theta, 0))
		// w^(1−m) = R^(1−m)·e^{i(1−m)φ}, the phase reduced exactly.
		e := (int64(j) * int64(1-m)) % int64(n)
		ph := 2 * math.Pi * float64(e) / float64(n)
		t := cmplx.Exp(lnV+complex(float64(1-m)*lnR, ph)) / wm1
		sum += real(t)
	}
	return sum * inv
}

// mdcTau is the root τ > 1 of G(τ) = 1, that is a(τ − 1) = c·ln τ, for
// a < c. g(s) = a·s − c·log(1+s) is convex with g(0) = 0, so Newton's method
// from a point where g > 0 falls monotonically onto the root s = τ − 1.
func mdcTau(c int, a float64) float64 {
	cf := float64(c)
	g := func(s float64) float64 { return a*s - cf*math.Log1p(s) }
	s := 2 * (cf - a) / a
	for g(s) <= 0 {
		s *= 2
	}
	for i := 0; i < 200; i++ {
		d := g(s) / (a - cf/(1+s))
		s -= d
		if math.Abs(d) <= 1e-15*s {
			break
		}
	}
	return 1 + s
}
