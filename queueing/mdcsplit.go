package queueing

import (
	"math"
	"math/cmplx"
)

// mdcTailSplit is the transform method of MDcWaitOver with the pole of
// E[w^Y] at τ taken out in closed form, so that the circle of the
// transform may lie anywhere short of the next pole ζ₁ (z1) instead of
// short of τ, and needs far fewer points in heavy traffic.
//
// With L̃ and H as in mdcTailPole, E[w^Y] = (τ − 1)·E(w)/(τ − w) where
// E(w) = exp((w − 1)·H⁺(w)) is analytic for |w| < |ζ₁|. Then
//
//	(E[w^Y] − 1)/(w − 1) = E(τ)/(τ − w) + B(w)/(w − 1),
//	B(w) = (τ − 1)(E(w) − E(τ))/(τ − w) + E(τ) − 1,
//
// with B analytic for |w| < |ζ₁| and B(1) = 0, and
//
//	P(Y + A_θ ≥ m) = P(A_θ ≥ m)
//	               + E(τ)·τ^(−m)·e^(θ(τ−1))·P(Poisson(θτ) < m)
//	               + [w^(m−1)] E[w^(A_θ)]·B(w)/(w − 1),
//
// the middle term being [w^(m−1)] E[w^(A_θ)]/(τ − w) = Σ_{j<m} P(A_θ = j)·τ^(j−m).
// The last coefficient is the trapezoidal sum on n points of |w| = R,
// 1 < R < |ζ₁|, with H⁺ (the non-negative powers of H's Laurent series)
// from an FFT of H on the same circle. log of
// Q(z) = (1 − G(z))/((1 − z/τ)(1 − 1/z)) is unwrapped along the circle; a
// net winding means a root of G = 1 other than 1 and τ lies inside the
// circle, and ok is false.
func mdcTailSplit(c int, a float64, m int, theta, tau float64, z1 complex128) (float64, bool) {
	cf := float64(c)
	s1 := cmplx.Abs(z1)
	ls1 := math.Log(s1)
	lt := math.Log(tau)
	// R: at the Poisson part's saddle m/θ, at most s1^(1−η) so that the
	// sum cancels by at most e^10, and not too near τ, where
	// E(w) − E(τ) cancels.
	eta := math.Min(0.5, 10/(float64(m)*ls1))
	lr := math.Min(math.Log(float64(m)/theta), (1-eta)*ls1)
	if math.Abs(lr-lt) < 0.2*math.Min(lt, ls1-lt) {
		lr = lt - 0.2*math.Min(lt, ls1-lt)
	}
	need := math.Max(float64(m)+1, 50/(ls1-lr)+50/lr) + 64
	if need > maxTailPoints {
		return math.NaN(), false
	}
	n := 64
	for float64(n) < need {
		n <<= 1
	}
	R := math.Exp(lr)
	rm1 := math.Expm1(lr)
	lt1 := -math.Log((cf - a) / (1 - 1/tau)) // L̃(1)
	ltt := -math.Log((a*tau - cf) / (1 - 1/tau))
	hTau := (ltt - lt1) / (tau - 1) // H(τ)
	ct := complex(tau, 0)

	// H on the circle, with arg Q unwrapped from φ = 0, where Q > 0, both
	// ways round; the two ends must meet at φ = π.
	h := make([]complex128, n)
	var prevArg float64
	var argAtPi [2]float64
	for side := 0; side < 2; side++ {
		prevArg = 0
		for step := 0; step <= n/2; step++ {
			j := step
			if side == 1 {
				j = (n - step) % n
			}
			phi := 2 * math.Pi * float64(step) / float64(n)
			if side == 1 {
				phi = -phi
			}
			sh := math.Sin(phi / 2)
			x := a*(rm1-2*R*sh*sh) - cf*lr
			y := a*R*math.Sin(phi) - cf*phi
			z := cmplx.Rect(R, phi)
			zm1 := complex(rm1-2*R*sh*sh, R*math.Sin(phi))
			q := oneMinusExp(x, y) / ((1 - z/ct) * (zm1 / z))
			arg := cmplx.Phase(q)
			// unwrap against the previous point
			arg += 2 * math.Pi * math.Round((prevArg-arg)/(2*math.Pi))
			prevArg = arg
			lq := complex(math.Log(cmplx.Abs(q)), arg)
			h[j] = (-lq - complex(lt1, 0)) / zm1
		}
		argAtPi[side] = prevArg
	}
	if math.Abs(argAtPi[0]-argAtPi[1]) > 1e-6 {
		return math.NaN(), false // another root inside: Q winds
	}
	fft(h, -1)
	inv := 1 / float64(n)
	for p := range h {
		h[p] *= complex(inv, 0)
	}
	// H⁺(τ): the non-negative powers where τ < R, H − the negative powers
	// where τ > R, so that each sum falls term by term.
	var hpTau float64
	if tau <= R {
		for p := n/2 - 1; p >= 0; p-- {
			hpTau += real(h[p]) * math.Pow(tau/R, float64(p))
		}
	} else {
		neg := 0.0
		for p := n / 2; p < n; p++ {
			neg += real(h[p]) * math.Pow(tau/R, float64(p-n))
		}
		hpTau = hTau - neg
	}
	eTau := math.Exp((tau - 1) * hpTau)
	for p := n / 2; p < n; p++ {
		h[p] = 0
	}
	fft(h, 1) // now h[k] = H⁺(w_k)
	var sum float64
	for k := range h {
		phi := 2 * math.Pi * float64(k) / float64(n)
		if k > n/2 {
			phi -= 2 * math.Pi
		}
		sh := math.Sin(phi / 2)
		w := cmplx.Rect(R, phi)
		wm1 := complex(rm1-2*R*sh*sh, R*math.Sin(phi))
		e := cmplx.Exp(wm1 * h[k])
		b := complex(tau-1, 0)*(e-complex(eTau, 0))/(ct-w) + complex(eTau-1, 0)
		ex := (int64(k) * int64(1-m)) % int64(n)
		ph := 2 * math.Pi * float64(ex) / float64(n)
		t := b * cmplx.Exp(wm1*complex(theta, 0)+complex(float64(1-m)*lr, ph)) / wm1
		sum += real(t)
	}
	sum *= inv
	lower, _ := poissonSplit(theta*tau, m)
	pole := eTau * math.Exp(theta*(tau-1)-float64(m)*lt) * lower
	return poissonTail(theta, m) + pole + sum, true
}
