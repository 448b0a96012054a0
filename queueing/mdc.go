package queueing

import (
	"errors"
	"fmt"
	"math"
	"math/cmplx"
)

// The M/D/c queue: c boxes, random (Poisson) arrivals at rate λ, every job
// takes exactly D seconds (the articles' fixed latency), one unbounded
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
		l := negLog1mExp(x, y)   // −log(1 − G)
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

// negLog1mExp is −log(1 − exp(x + iy)), accurate both when exp(x + iy) is
// near 1 and when it is tiny.
func negLog1mExp(x, y float64) complex128 {
	if x < -0.7 {
		// u = −G, |u| < 1/2: log(1 + u) = ½·log1p(2·Re u + |u|²) + i·arg(1 + u).
		g := math.Exp(x)
		ur, ui := -g*math.Cos(y), -g*math.Sin(y)
		return -complex(0.5*math.Log1p(2*ur+g*g), math.Atan2(ui, 1+ur))
	}
	return -cmplx.Log(oneMinusExp(x, y))
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
// trapezoidal rule, whose error is the aliased terms (R/τ)^N (and none
// from negative powers once N > m). Three refinements keep this exact and
// fast: the queue-free part P(A_θ ≥ m) is a Poisson sum and the transform
// carries only the queue's share; the pole of E[w^Y] at τ is taken out in
// closed form so the circle may pass τ (mdcTailSplit); and in heavy
// traffic, when the rest of the contour is e^(−100) of it, the pole alone
// is the answer (mdcTailPole). Results below 1e-300 (by Lundberg's bound)
// are 0. N grows with m = (k+1)·c; when it would pass 2^23 the function
// returns ErrTooLarge. The methods agree with each other and with the
// references to 1e-9 relative or better.
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
	if mf > 1<<52 {
		return math.NaN(), fmt.Errorf("%w: P(W > %.4g latencies) with %d boxes", ErrTooLarge, x, c)
	}
	m := int(mf)
	theta := a * (1 - u)
	tau := mdcTau(c, a)
	if mdcLundberg(c, a, x) < 1e-300 {
		return 0, nil
	}
	z1, ok := mdcNextRoot(c, a, tau)
	if ok && mdcPoleAloneAt(m, theta, tau, z1) {
		return mdcTailPole(c, a, m, theta, tau), nil
	}
	if ok {
		if p, ok := mdcTailSplit(c, a, m, theta, tau, z1); ok {
			return p, nil
		}
	}
	return mdcTailFFT(c, a, x, m, theta, tau)
}

// mdcPoleAlone reports whether the pole at τ gives the whole tail.
func mdcPoleAlone(c int, a float64, m int, theta, tau float64) bool {
	z1, ok := mdcNextRoot(c, a, tau)
	return ok && mdcPoleAloneAt(m, theta, tau, z1)
}

// mdcPoleAloneAt reports whether, on a circle R' between τ and the next
// pole ζ₁, the integrand, about E[R'^(A_θ)]·R'^(−m) = exp(θ(R'−1) − m·ln R'),
// is e^(−100) of the residue's exp(θ(τ−1) − m·ln τ).
func mdcPoleAloneAt(m int, theta, tau float64, z1 complex128) bool {
	rp := math.Sqrt(tau * cmplx.Abs(z1))
	return float64(m)*math.Log(rp/tau)-theta*(rp-tau) > 100
}

// mdcTailFFT is the plain transform method of MDcWaitOver, the fallback
// when the next pole is not found: its circle stays inside τ.
func mdcTailFFT(c int, a, x float64, m int, theta, tau float64) (float64, error) {
	if m > maxTailPoints {
		return math.NaN(), fmt.Errorf("%w: P(W > %.4g latencies) with %d boxes", ErrTooLarge, x, c)
	}
	lt := math.Log(tau)
	// The circle |w| = R: at most m/θ, where the Poisson part of the tail
	// has its saddle point (there the transform's rounding, relative to
	// G(R)·E[R^(A_θ)]·R^(−m), stays below the Poisson tail), and at most
	// τ^(1−η): the closer to τ, the less the trapezoidal sum cancels when
	// the queue's pole dominates (its terms are about (τ/R)^m =
	// e^(η·m·ln τ) ≤ e^10 times the result), the more points the Laurent series
	// near τ needs.
	eta := math.Min(0.5, 10/(float64(m)*lt))
	lr := math.Min((1-eta)*lt, math.Log(float64(m)/theta))
	need := math.Max(float64(m)+1, 50/(lt-lr)+50/lr) + 64
	if need > maxTailPoints {
		return math.NaN(), fmt.Errorf("%w: P(W > %.4g latencies) with %d boxes at utilization %.6g", ErrTooLarge, x, c, a/float64(c))
	}
	n := 64
	for float64(n) < need {
		n <<= 1
	}
	return poissonTail(theta, m) + mdcTail(c, a, m, theta, math.Exp(lr), n), nil
}

// mdcTail evaluates P(Y + A_θ ≥ m) − P(A_θ ≥ m), the part of the tail the
// queue adds, as (1/2πi)∮ (E[w^Y] − 1)·E[w^(A_θ)]·w^(−m)/(w − 1) dw on n
// points of the circle |w| = R. (E[w^Y] − 1)/(w − 1) has no pole at 1, so
// its Laurent series on the circle is its Taylor series and, with n > m, no
// coefficient of a negative power aliases onto the one sought; subtracting
// the 1 also keeps the terms as small as the queue's share, which matters
// when the queue is almost always empty.
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
		l := negLog1mExp(x, y)
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
		lnY := wm1 * f[j]
		// E[w^Y] − 1 = expm1(log E[w^Y]), accurately when it is small.
		ym1 := cexpm1(lnY)
		// w^(1−m) = R^(1−m)·e^{i(1−m)φ}, the phase reduced exactly.
		e := (int64(j) * int64(1-m)) % int64(n)
		ph := 2 * math.Pi * float64(e) / float64(n)
		t := ym1 * cmplx.Exp(wm1*complex(theta, 0)+complex(float64(1-m)*lnR, ph)) / wm1
		sum += real(t)
	}
	return sum * inv
}

// cexpm1 is exp(z) − 1, accurate for small z.
func cexpm1(z complex128) complex128 {
	x, y := real(z), imag(z)
	sy := math.Sin(y / 2)
	return complex(math.Expm1(x)*math.Cos(y)-2*sy*sy, math.Exp(x)*math.Sin(y))
}

// poissonTail is P(N ≥ k) for N ~ Poisson(mu).
func poissonTail(mu float64, k int) float64 {
	_, upper := poissonSplit(mu, k)
	return upper
}

// poissonSplit is P(N < k) and P(N ≥ k) for N ~ Poisson(mu), each
// accurate relative to itself where it is the smaller: the smaller one is
// summed from its largest term (log-gamma gives it without overflow), the
// other is 1 minus it.
func poissonSplit(mu float64, k int) (lower, upper float64) {
	if k <= 0 {
		return 0, 1
	}
	if mu == 0 {
		return 1, 0
	}
	kf := float64(k)
	if kf > mu {
		lg, _ := math.Lgamma(kf + 1)
		p := math.Exp(-mu + kf*math.Log(mu) - lg)
		sum := 0.0
		for j := 0; p > 1e-18*sum && j < 100000000; j++ {
			sum += p
			p *= mu / (kf + float64(j) + 1)
		}
		return 1 - sum, sum
	}
	// P(N ≤ k−1), summed down from k−1.
	km1 := kf - 1
	lg1, _ := math.Lgamma(km1 + 1)
	p := math.Exp(-mu + km1*math.Log(mu) - lg1)
	sum := 0.0
	for j := km1; j >= 0 && (p > 1e-18*sum || sum == 0); j-- {
		sum += p
		p *= j / mu
	}
	return sum, 1 - sum
}

// mdcNextRoot is the root of G(z) = 1 next to τ outside the unit circle
// (with its conjugate, the nearest after τ): the roots are
// ζ = −W(−ρ·ω·e^(−ρ))/ρ over the c-th roots of unity ω and the branches of
// Lambert's W, and the neighbour of τ = −W₋₁(−ρe^(−ρ))/ρ comes from
// ω = e^(−2πi/c), where c·log ζ = a(ζ − 1) − 2πi. Newton's method starts
// from two guesses, the first-order step −2πi·τ/(aτ − c) (light traffic)
// and the expansion of W near its branch point −1/e,
// W ≈ −1 + p − p²/3 + 11p³/72 with p = −√(2(1 + e·x)) (heavy traffic);
// the smaller root found, other than τ, is returned. ok is false if
// neither settles on one.
func mdcNextRoot(c int, a, tau float64) (complex128, bool) {
	cf := float64(c)
	rho := a / cf
	newton := func(z complex128) (complex128, bool) {
		for i := 0; i < 100; i++ {
			f := complex(a, 0)*(z-1) - complex(cf, 0)*cmplx.Log(z) + 2i*math.Pi
			d := f / (complex(a, 0) - complex(cf, 0)/z)
			z -= d
			if cmplx.Abs(d) <= 1e-14*cmplx.Abs(z) {
				return z, cmplx.Abs(z) > tau*(1+1e-9) && math.Abs(real(z)-tau)+math.Abs(imag(z)) > 1e-9*tau
			}
		}
		return z, false
	}
	x := complex(-rho*math.Exp(-rho), 0) * cmplx.Rect(1, -2*math.Pi/cf)
	p := -cmplx.Sqrt(2 * (1 + complex(math.E, 0)*x))
	w := -1 + p - p*p/3 + 11*p*p*p/72
	var best complex128
	found := false
	for _, z0 := range []complex128{complex(tau, -2*math.Pi*tau/(a*tau-cf)), -w / complex(rho, 0)} {
		if z, ok := newton(z0); ok && (!found || cmplx.Abs(z) < cmplx.Abs(best)) {
			best, found = z, true
		}
	}
	return best, found
}

// mdcTailPole is P(Y + A_θ ≥ m) from the pole of E[w^Y] at τ alone: the
// contour integral over |w| = R < τ equals minus the residue at τ plus the
// same integral over a circle R' past τ, and the caller uses it only when
// on that circle, short of the next pole, the integrand is e^(−100) of the
// residue. Removing the logarithmic singularities of
// −log(1 − G(z)) at 1 and τ,
//
//	L̃(z) = −log(1 − G(z)) + log(1 − z/τ) + log(1 − 1/z),
//	H(z) = (L̃(z) − L̃(1)) / (z − 1),
//
// gives E[w^Y] = (τ − 1)/(τ − w) · exp((w − 1)·H⁺(w)), with H⁺ the part of
// H's Laurent series in non-negative powers, analytic past τ. The residue
// at τ then gives
//
//	P(Y + A_θ ≥ m) = exp((τ − 1)(H⁺(τ) + θ)) · τ^(−m),
//
// Lundberg's bound times the factor exp((τ−1)H⁺(τ)), with
// H⁺(τ) = H(τ) + (1/2πi)∮ H(z)/(z − τ) dz over a circle between 1 and τ,
// computed by adaptive quadrature. L̃(1) = −log((c − a)/(1 − 1/τ)) and
// L̃(τ) = −log((aτ − c)/(1 − 1/τ)) are the limits.
func mdcTailPole(c int, a float64, m int, theta, tau float64) float64 {
	return math.Exp(mdcLogE(c, a, tau) + theta*(tau-1) - float64(m)*math.Log(tau))
}

// mdcTailApprox is the tail without the last, transform term of
// mdcTailSplit: the queue-free part and the pole at τ. It is exact when
// the pole is alone, and a close guess otherwise; Smallest uses it to know
// where to look.
func mdcTailApprox(c int, a float64, m int, theta, tau float64) float64 {
	lower, _ := poissonSplit(theta*tau, m)
	return poissonTail(theta, m) + math.Exp(mdcLogE(c, a, tau)+theta*(tau-1)-float64(m)*math.Log(tau))*lower
}

// mdcLogE is log E(τ) = (τ − 1)·H⁺(τ), by adaptive quadrature on a circle
// between 1 and τ (see mdcTailPole).
func mdcLogE(c int, a float64, tau float64) float64 {
	cf := float64(c)
	lt1 := -math.Log((cf - a) / (1 - 1/tau))
	ltt := -math.Log((a*tau - cf) / (1 - 1/tau))
	hTau := (ltt - lt1) / (tau - 1)
	lnr := 0.5 * math.Log(tau)
	r := math.Exp(lnr)
	rm1 := math.Expm1(lnr)
	f := func(phi float64) (float64, float64) {
		sh := math.Sin(phi / 2)
		x := a*(rm1-2*r*sh*sh) - cf*lnr
		y := a*r*math.Sin(phi) - cf*phi
		z := cmplx.Rect(r, phi)
		zm1 := complex(rm1-2*r*sh*sh, r*math.Sin(phi))
		lt := negLog1mExp(x, y) + cmplx.Log(1-z/complex(tau, 0)) + cmplx.Log(zm1/z)
		h := (lt - complex(lt1, 0)) / zm1
		return real(h * z / (z - complex(tau, 0))), 0
	}
	small := 0.05 * math.Min(1, math.Min(1/math.Sqrt(cf), rm1))
	bp := []float64{0}
	for x := small; x < math.Pi; x *= 2 {
		bp = append(bp, x)
	}
	bp = append(bp, math.Pi)
	// (τ−1)·H⁺ is the exponent: an absolute 1e-13 in it is enough, and H
	// carries rounding of order 1e-16/(r−1) near z = 1.
	i0, _ := integrate2(f, bp, 1e-11, 1e-13*math.Pi/(tau-1))
	return (tau - 1) * (hTau + i0/math.Pi)
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
