package workload

import (
	"math"
	"math/rand/v2"
)

// Sampler reads a curve step by step for one run: Next fills the number of
// jobs that arrive in each of the next steps. For the built-in curves it
// runs in a few nanoseconds a step (recurrences instead of a sine per step);
// any other Curve is read through its Jobs method.
//
// Step k (from 0) covers [start + k·step, start + (k+1)·step). Its value
// equals Jobs over that interval to within rounding (about 1e-12 relative,
// plus the rounding of the interval's ends, ulp(t)/step; an Exponential
// growing by 2^x a step adds up to 1024(1 + |x|)ε), except under
// Poisson, where it is a random count with that mean. The values depend only
// on the curve, start and step: not on the lengths passed to Next, nor on
// how long the run already is (recurrences restart from a direct evaluation
// every anchorEvery steps, at fixed step numbers). A Sampler is not safe for
// concurrent use.
type Sampler struct {
	s stepper
}

// stepper fills the jobs of consecutive steps.
type stepper interface {
	// next sets out[i] to the jobs of the next len(out) steps.
	next(out []float64)
	// add adds the jobs of the next len(out) steps to out[i].
	add(out []float64)
}

// anchorEvery is how many steps a recurrence runs before it restarts from a
// direct evaluation: a multiple of 4 (the lanes of dailyStepper), small
// enough that rounding cannot build up (1024 rotations drift by at most
// ~1e-13), large enough that the direct evaluation costs ~0.05 ns a step.
const anchorEvery = 1024

// NewSampler starts reading c at time start in steps of step seconds.
func NewSampler(c Curve, start, step float64) *Sampler {
	return &Sampler{s: newStepper(c, start, step)}
}

// Next fills out[i] with the jobs of the next len(out) steps, in order.
func (s *Sampler) Next(out []float64) { s.s.next(out) }

func newStepper(c Curve, start, step float64) stepper {
	switch c := c.(type) {
	case Constant:
		return constantStepper(float64(c) * step)
	case Daily:
		return newDailyStepper(c, start, step)
	case Exponential:
		return &expStepper{e: c, t0: start, dt: step}
	case Burst:
		return &burstStepper{b: c, t0: start, dt: step}
	case Linear:
		return &linearStepper{l: c, t0: start, dt: step}
	case Sum:
		if len(c) == 0 {
			return constantStepper(0)
		}
		parts := make([]stepper, len(c))
		for i, p := range c {
			parts[i] = newStepper(p, start, step)
		}
		if len(parts) == 1 {
			return parts[0]
		}
		return &sumStepper{parts: parts}
	case Noise:
		// The factor holds for whole steps when the interval is a multiple
		// of the step and the run starts on an interval boundary.
		per := c.Interval / step
		if per >= 1 && per == math.Trunc(per) && per < 1<<53 && math.Mod(start, c.Interval) == 0 {
			return &noiseStepper{n: c, inner: newStepper(c.Curve, start, step), k0: int64(start / c.Interval), per: int64(per)}
		}
	case Poisson:
		return &poissonStepper{inner: newStepper(c.Curve, start, step), rng: rand.New(rand.NewPCG(c.Seed, 0x9e3779b97f4a7c15))}
	case *Trace:
		if c != nil && len(c.times) > 0 {
			return c.stepper(start, step)
		}
	case *Recorded:
		if c == nil {
			break
		}
		if start == 0 && step == c.Step {
			return &replayStepper{r: c}
		}
		return newStepper(c.Curve, start, step)
	}
	return &jobsStepper{c: c, t0: start, dt: step}
}

// addVia adds what next writes to out, through a buffer kept in *buf.
func addVia(next func([]float64), buf *[]float64, out []float64) {
	if cap(*buf) < len(out) {
		*buf = make([]float64, len(out))
	}
	b := (*buf)[:len(out)]
	next(b)
	for i, v := range b {
		out[i] += v
	}
}

// jobsStepper reads any curve through Jobs. Times are start + k × step, not
// running sums, so long runs do not drift.
type jobsStepper struct {
	c      Curve
	t0, dt float64
	k      int64
	buf    []float64
}

func (s *jobsStepper) next(out []float64) {
	for i := range out {
		a := s.t0 + float64(s.k)*s.dt
		out[i] = s.c.Jobs(a, s.t0+float64(s.k+1)*s.dt)
		s.k++
	}
}

func (s *jobsStepper) add(out []float64) { addVia(s.next, &s.buf, out) }

type constantStepper float64

func (s constantStepper) next(out []float64) {
	for i := range out {
		out[i] = float64(s)
	}
}

func (s constantStepper) add(out []float64) {
	if s == 0 {
		return
	}
	for i := range out {
		out[i] += float64(s)
	}
}

// dailyStepper integrates the sinusoid exactly. Step k's jobs are
//
//	J_k = Mean Δ + c cos φ_k,  c = 2 Mean A/ω sin(ωΔ/2),  φ_k = ω(t_k + Δ/2 − Peak)
//
// (Daily.Jobs over [t_k, t_k + Δ)), and φ advances by ωΔ a step: four lanes
// hold c cos φ and c sin φ for four consecutive steps and each rotates by
// 4ωΔ, so the four rotations run side by side instead of one long chain.
// Every anchorEvery steps the lanes restart from a direct sincos.
type dailyStepper struct {
	d        Daily
	t0, dt   float64
	k        int64   // the next step
	left     int     // steps until the next anchor
	j        int     // lane of step k
	base     float64 // Mean Δ
	amp      float64 // c
	cr, sr   float64 // cos and sin of 4ωΔ
	cos, sin [4]float64
}

func newDailyStepper(d Daily, start, step float64) *dailyStepper {
	w := 2 * math.Pi / d.Period
	s := &dailyStepper{d: d, t0: start, dt: step, base: d.Mean * step}
	s.amp = 2 * d.Mean * d.amplitude() / w * math.Sin(w*step/2)
	s.sr, s.cr = math.Sincos(4 * w * step)
	return s
}

func (s *dailyStepper) anchor() {
	w := 2 * math.Pi / s.d.Period
	for l := range 4 {
		a := s.t0 + float64(s.k+int64(l))*s.dt
		sn, cs := math.Sincos(w * (s.d.phase(a) + s.dt/2))
		s.sin[l], s.cos[l] = s.amp*sn, s.amp*cs
	}
	s.left, s.j = anchorEvery, 0
}

func (s *dailyStepper) rotate() {
	for l := range 4 {
		s.cos[l], s.sin[l] = s.cos[l]*s.cr-s.sin[l]*s.sr, s.sin[l]*s.cr+s.cos[l]*s.sr
	}
}

func (s *dailyStepper) next(out []float64) { s.fill(out, false) }
func (s *dailyStepper) add(out []float64)  { s.fill(out, true) }

func (s *dailyStepper) fill(out []float64, add bool) {
	base := s.base
	for len(out) > 0 {
		if s.left == 0 {
			s.anchor()
		}
		n := min(len(out), s.left)
		o := out[:n]
		i := 0
		// Finish a group of four started by the previous call.
		for ; i < n && s.j != 0; i++ {
			v := base + s.cos[s.j]
			if add {
				o[i] += v
			} else {
				o[i] = v
			}
			if s.j++; s.j == 4 {
				s.j = 0
				s.rotate()
			}
		}
		// Whole groups, with the lanes in registers.
		if i+4 <= n {
			c0, c1, c2, c3 := s.cos[0], s.cos[1], s.cos[2], s.cos[3]
			s0, s1, s2, s3 := s.sin[0], s.sin[1], s.sin[2], s.sin[3]
			cr, sr := s.cr, s.sr
			for ; i+4 <= n; i += 4 {
				g := o[i : i+4 : i+4]
				if add {
					g[0] += base + c0
					g[1] += base + c1
					g[2] += base + c2
					g[3] += base + c3
				} else {
					g[0] = base + c0
					g[1] = base + c1
					g[2] = base + c2
					g[3] = base + c3
				}
				c0, s0 = c0*cr-s0*sr, s0*cr+c0*sr
				c1, s1 = c1*cr-s1*sr, s1*cr+c1*sr
				c2, s2 = c2*cr-s2*sr, s2*cr+c2*sr
				c3, s3 = c3*cr-s3*sr, s3*cr+c3*sr
			}
			s.cos, s.sin = [4]float64{c0, c1, c2, c3}, [4]float64{s0, s1, s2, s3}
		}
		// Start a group that the next call finishes.
		for ; i < n; i++ {
			v := base + s.cos[s.j]
			if add {
				o[i] += v
			} else {
				o[i] = v
			}
			s.j++
		}
		s.left -= n
		s.k += int64(n)
		out = out[n:]
	}
}

// expStepper multiplies each step's jobs by 2^(Δ/Doubling), restarting from
// Exponential.Jobs every anchorEvery steps. Where the anchor has underflowed
// to 0 on the way up (or overflowed to +Inf on the way down), a product
// would stay there while the curve comes back into range, so those stretches
// call Jobs for every step.
type expStepper struct {
	e      Exponential
	t0, dt float64
	k      int64
	left   int
	j, g   float64
	direct bool
	buf    []float64
}

func (s *expStepper) next(out []float64) {
	for len(out) > 0 {
		if s.left == 0 {
			a := s.t0 + float64(s.k)*s.dt
			s.j = s.e.Jobs(a, s.t0+float64(s.k+1)*s.dt)
			s.g = math.Exp2(s.dt / s.e.Doubling)
			s.left = anchorEvery
			// Growing from an underflow, or shrinking from an overflow.
			s.direct = s.e.From > 0 && (s.j < 0x1p-900 && s.e.Doubling > 0 || s.j > 0x1p900 && s.e.Doubling < 0)
		}
		n := min(len(out), s.left)
		if s.direct {
			for i := range out[:n] {
				k := s.k + int64(i)
				out[i] = s.e.Jobs(s.t0+float64(k)*s.dt, s.t0+float64(k+1)*s.dt)
			}
		} else {
			j, g := s.j, s.g
			for i := range out[:n] {
				out[i] = j
				j *= g
			}
			s.j = j
		}
		s.left -= n
		s.k += int64(n)
		out = out[n:]
	}
}

func (s *expStepper) add(out []float64) { addVia(s.next, &s.buf, out) }

// linearStepper takes a step's jobs as its length times the rate at its
// middle, (From + Slope(a + Δ/2))Δ, exact for a line, and calls
// Linear.Jobs for steps where the rate is below zero at either end.
type linearStepper struct {
	l      Linear
	t0, dt float64
	k      int64
}

func (s *linearStepper) next(out []float64) { s.fill(out, false) }
func (s *linearStepper) add(out []float64)  { s.fill(out, true) }

func (s *linearStepper) fill(out []float64, add bool) {
	from, slope, dt := s.l.From, s.l.Slope, s.dt
	for i := range out {
		k := s.k + int64(i)
		a, b := s.t0+float64(k)*dt, s.t0+float64(k+1)*dt
		var v float64
		if from+slope*a >= 0 && from+slope*b >= 0 {
			v = (from + slope*(a+dt/2)) * dt
		} else {
			v = s.l.Jobs(a, b)
		}
		if add {
			out[i] += v
		} else {
			out[i] = v
		}
	}
	s.k += int64(len(out))
}

// burstStepper skips whole blocks between bursts, and within a block visits
// only the steps near a burst: a step that lies wholly inside a burst holds
// Height × step, any other calls Burst.Jobs. Whether a step is inside is
// decided from its own ends, so the values do not depend on block lengths.
type burstStepper struct {
	b      Burst
	t0, dt float64
	k      int64
}

func (s *burstStepper) next(out []float64) { s.fill(out, false) }
func (s *burstStepper) add(out []float64)  { s.fill(out, true) }

func (s *burstStepper) fill(out []float64, add bool) {
	n := int64(len(out))
	if !add {
		clear(out)
	}
	a0 := s.t0 + float64(s.k)*s.dt
	a1 := s.t0 + float64(s.k+n)*s.dt
	if n == 0 || !(s.b.Duration > 0) || s.b.Jobs(a0, a1) == 0 {
		s.k += n
		return
	}
	// The bursts that may touch [a0, a1): the m-th starts at Start + m Every.
	m, last := 0.0, 0.0
	if s.b.Every > 0 {
		m = math.Floor((a0 - s.b.Start - s.b.Duration) / s.b.Every)
		last = math.Ceil((a1 - s.b.Start) / s.b.Every)
	}
	// index is the step holding time x, give or take one, within [−1, n+1].
	index := func(x float64) int64 {
		return int64(max(-1, min(float64(n)+1, math.Floor((x-a0)/s.dt))))
	}
	if last-m > float64(n) { // more bursts than steps: visit every step
		m, last = 0, -1
		for i := range n {
			out[i] += s.step(s.k + i)
		}
	}
	done := int64(0) // steps before done have been visited
	for ; m <= last; m++ {
		bs := s.b.Start + m*s.b.Every
		i0 := max(done, index(bs)-1)
		i1 := min(n, index(bs+s.b.Duration)+2)
		for i := i0; i < i1; i++ {
			out[i] += s.step(s.k + i)
		}
		done = max(done, i1)
	}
	s.k += n
}

// step is the jobs of step k.
func (s *burstStepper) step(k int64) float64 {
	a, b := s.t0+float64(k)*s.dt, s.t0+float64(k+1)*s.dt
	if s.inside(a, b) {
		return s.b.Height * s.dt
	}
	return s.b.Jobs(a, b)
}

// inside reports whether [a, b) lies within one burst: the one of a's
// period or, should the division have rounded across an edge, a neighbour.
func (s *burstStepper) inside(a, b float64) bool {
	if s.b.Every == 0 {
		return a >= s.b.Start && b <= s.b.Start+s.b.Duration
	}
	p := math.Floor((a - s.b.Start) / s.b.Every)
	for j := p - 1; j <= p+1; j++ {
		bs := s.b.Start + j*s.b.Every
		if a >= bs && b <= bs+s.b.Duration {
			return true
		}
	}
	return false
}

// sumStepper lets its first part write and the others add.
type sumStepper struct {
	parts []stepper
	buf   []float64
}

func (s *sumStepper) next(out []float64) {
	s.parts[0].next(out)
	for _, p := range s.parts[1:] {
		p.add(out)
	}
}

func (s *sumStepper) add(out []float64) { addVia(s.next, &s.buf, out) }

// noiseStepper multiplies whole steps by the factor of their interval.
type noiseStepper struct {
	n     Noise
	inner stepper
	k0    int64 // interval of the current step
	per   int64 // steps per interval
	i     int64 // steps into the current interval
	buf   []float64
	pair  int64      // the even interval whose factors f holds
	f     [2]float64 // factors of intervals pair and pair+1
}

func (s *noiseStepper) next(out []float64) {
	s.inner.next(out)
	for len(out) > 0 {
		m := int(min(int64(len(out)), s.per-s.i))
		if s.pair != s.k0&^1 || s.f[0] == 0 {
			s.pair, s.f = s.k0&^1, s.n.factors(s.k0&^1)
		}
		f := s.f[s.k0&1]
		for j := range out[:m] {
			out[j] *= f
		}
		out = out[m:]
		if s.i += int64(m); s.i == s.per {
			s.i, s.k0 = 0, s.k0+1
		}
	}
}

func (s *noiseStepper) add(out []float64) { addVia(s.next, &s.buf, out) }

// poissonStepper replaces each step's expected jobs by a Poisson count.
type poissonStepper struct {
	inner stepper
	rng   *rand.Rand
	buf   []float64
}

func (s *poissonStepper) next(out []float64) {
	s.inner.next(out)
	for i, m := range out {
		out[i] = poisson(s.rng, m)
	}
}

func (s *poissonStepper) add(out []float64) { addVia(s.next, &s.buf, out) }

// PoissonCount draws a Poisson count with mean mu from rng: by sequential
// search of the distribution function below mu = 10, and above it by the
// transformed rejection method with squeeze of Hörmann ("The transformed
// rejection method for generating Poisson random variables", Insurance:
// Mathematics and Economics 12, 1993), which takes about 1.1 uniform pairs
// per draw whatever the mean. Above mu = 1e15 (where the Poisson law's
// skewness, 1/√mu, is below 4e-8) it draws the normal approximation
// round(mu + √mu z). A mean that is not positive (or NaN) gives 0; counts
// beyond the range of int64 (a mean of +Inf) give math.MaxInt64.
func PoissonCount(rng *rand.Rand, mu float64) int64 {
	k := poisson(rng, mu)
	if k >= math.MaxInt64 {
		return math.MaxInt64
	}
	return int64(k)
}

// poissonLarge is the mean above which poisson uses the normal approximation.
const poissonLarge = 1e15

// poisson is PoissonCount as a float64, which +Inf fits.
func poisson(rng *rand.Rand, mu float64) float64 {
	switch {
	case !(mu > 0):
		return 0
	case mu < 10:
		// Inversion: walk the distribution function until it passes u.
		u := rng.Float64()
		p := math.Exp(-mu)
		f := p
		k := 0.0
		for u > f && k < 1000 {
			k++
			p *= mu / k
			f += p
		}
		return k
	case math.IsInf(mu, 1):
		return mu
	case mu > poissonLarge:
		return math.Max(0, math.Round(mu+math.Sqrt(mu)*rng.NormFloat64()))
	}
	smu := math.Sqrt(mu)
	b := 0.931 + 2.53*smu
	a := -0.059 + 0.02483*b
	vr := 0.9277 - 3.6224/(b-2)
	var logAlphaMu float64 // log(1/α) − μ, and log μ: only the slow path needs them
	var logMu float64
	for {
		u := rng.Float64() - 0.5
		v := rng.Float64()
		us := 0.5 - math.Abs(u)
		k := math.Floor((2*a/us+b)*u + mu + 0.43)
		if us >= 0.07 && v <= vr { // the squeeze: about 9 draws in 10
			return k
		}
		if k < 0 || us < 0.013 && v > us {
			continue
		}
		if logMu == 0 {
			logMu = math.Log(mu) // mu ≥ 10: never 0
			logAlphaMu = math.Log(1.1239+1.1328/(b-3.4)) + mu
		}
		lg, _ := math.Lgamma(k + 1)
		if math.Log(v)+logAlphaMu-math.Log(a/(us*us)+b) <= k*logMu-lg {
			return k
		}
	}
}
