package queueing

import (
	"math"
	"math/cmplx"
	"sync"
)

// Numerical tools: an adaptive Gauss–Legendre rule for the contour
// integrals of the M/D/c queue and a radix-2 FFT for its waiting-time tail.

const glN = 16 // points of the Gauss–Legendre rule

var (
	glOnce         sync.Once
	glNodes, glWts [glN]float64
)

// gaussLegendre computes the nodes and weights of the glN-point rule on
// [−1, 1] by Newton's method on the Legendre polynomial P_n, using the
// three-term recurrence (n+1)P_{n+1} = (2n+1)xP_n − nP_{n−1}.
func gaussLegendre() {
	n := glN
	for i := 0; i < n; i++ {
		x := math.Cos(math.Pi * (float64(i) + 0.75) / (float64(n) + 0.5))
		var dp float64
		for iter := 0; iter < 100; iter++ {
			p0, p1 := 1.0, x
			for k := 2; k <= n; k++ {
				p0, p1 = p1, ((2*float64(k)-1)*x*p1-(float64(k)-1)*p0)/float64(k)
			}
			dp = float64(n) * (x*p1 - p0) / (x*x - 1)
			dx := p1 / dp
			x -= dx
			if math.Abs(dx) < 1e-16 {
				break
			}
		}
		p0, p1 := 1.0, x
		for k := 2; k <= n; k++ {
			p0, p1 = p1, ((2*float64(k)-1)*x*p1-(float64(k)-1)*p0)/float64(k)
		}
		dp = float64(n) * (x*p1 - p0) / (x*x - 1)
		glNodes[i] = x
		glWts[i] = 2 / ((1 - x*x) * dp * dp)
	}
}

// glRule integrates the two-valued f over [lo, hi] with the glN-point rule.
func glRule(f func(float64) (float64, float64), lo, hi float64) (float64, float64) {
	mid, half := (lo+hi)/2, (hi-lo)/2
	var s0, s1 float64
	for i := 0; i < glN; i++ {
		v0, v1 := f(mid + half*glNodes[i])
		s0 += glWts[i] * v0
		s1 += glWts[i] * v1
	}
	return s0 * half, s1 * half
}

// integrate2 integrates a two-valued function over the segments between
// consecutive breakpoints bp (increasing), bisecting a segment where the rule
// on it and on its two halves disagree by more than tol times the magnitude
// of the component's integral (or abs, whichever is larger). Breakpoints put
// the rule's nodes where the integrand has its features, so that a narrow
// peak is not missed by the first, coarse rule.
func integrate2(f func(float64) (float64, float64), bp []float64, tol, abs float64) (float64, float64) {
	glOnce.Do(gaussLegendre)
	type seg struct{ lo, hi, v0, v1 float64 }
	var stack []seg
	var scale0, scale1 float64
	for i := len(bp) - 1; i > 0; i-- {
		v0, v1 := glRule(f, bp[i-1], bp[i])
		scale0 += math.Abs(v0)
		scale1 += math.Abs(v1)
		stack = append(stack, seg{bp[i-1], bp[i], v0, v1})
	}
	var r0, r1 float64
	minWidth := 1e-15 * (bp[len(bp)-1] - bp[0])
	// Rounding can keep two estimates from ever agreeing to tol; past
	// maxSplits the remaining segments are taken as they are.
	const maxSplits = 4000
	splits := 0
	for len(stack) > 0 {
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		m := (s.lo + s.hi) / 2
		a0, a1 := glRule(f, s.lo, m)
		b0, b1 := glRule(f, m, s.hi)
		n0, n1 := a0+b0, a1+b1
		ok0 := math.Abs(n0-s.v0) <= math.Max(tol*scale0, abs)
		ok1 := math.Abs(n1-s.v1) <= math.Max(tol*scale1, abs)
		if (ok0 && ok1) || s.hi-s.lo < minWidth || splits >= maxSplits {
			r0 += n0
			r1 += n1
			continue
		}
		splits++
		stack = append(stack, seg{m, s.hi, b0, b1}, seg{s.lo, m, a0, a1})
	}
	return r0, r1
}

// fft transforms x in place: X_k = Σ_j x_j·exp(sign·2πi·jk/n), n a power of
// two, without scaling.
func fft(x []complex128, sign float64) {
	n := len(x)
	for i, j := 1, 0; i < n; i++ {
		bit := n >> 1
		for ; j&bit != 0; bit >>= 1 {
			j ^= bit
		}
		j ^= bit
		if i < j {
			x[i], x[j] = x[j], x[i]
		}
	}
	for size := 2; size <= n; size <<= 1 {
		ang := sign * 2 * math.Pi / float64(size)
		wStep := cmplx.Rect(1, ang)
		half := size / 2
		// Twiddles are recomputed exactly every 64 steps to keep their
		// rounding from accumulating over long stages.
		for start := 0; start < n; start += size {
			w := complex(1, 0)
			for k := 0; k < half; k++ {
				if k&63 == 0 {
					w = cmplx.Rect(1, ang*float64(k))
				}
				u := x[start+k]
				v := x[start+k+half] * w
				x[start+k] = u + v
				x[start+k+half] = u - v
				w *= wStep
			}
		}
	}
}
