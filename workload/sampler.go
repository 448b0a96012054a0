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
// The values equal Jobs over each step to within rounding (about 1e-12
// relative), except under Poisson, where they are random counts with that
// mean. A Sampler is not safe for concurrent use; the same curve, start,
// step and sequence of Next lengths give the same values.
type Sampler struct {
	s stepper
}

// stepper fills the jobs of consecutive steps. It may report that it
// filled only zeros (a burst between its spikes), so that a sum can skip it.
type stepper interface {
	next(out []float64) (zero bool)
}

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
		return &dailyStepper{d: c, t0: start, dt: step}
	case Exponential:
		return &expStepper{e: c, t0: start, dt: step}
	case Burst:
		return &burstStepper{b: c, t0: start, dt: step}
	case Sum:
		if len(c) == 0 {
			return constantStepper(0)
		}
		parts := make([]stepper, len(c))
		for i, p := range c {
			parts[i] = newStepper(p, start, step)
		}
		return &sumStepper{parts: parts}
	case Noise:
		// The factor holds for whole steps when the interval is a multiple
		// of the step and the run starts on an interval boundary.
		per := c.Interval / step
		if per >= 1 && per == math.Trunc(per) && math.Mod(start, c.Interval) == 0 {
			return &noiseStepper{n: c, inner: newStepper(c.Curve, start, step), k0: int64(start / c.Interval), per: int64(per), pair: -1}
		}
	case Poisson:
		return &poissonStepper{inner: newStepper(c.Curve, start, step), rng: rand.New(rand.NewPCG(c.Seed, 0x9e3779b97f4a7c15))}
	case *Trace:
		return c.stepper(start, step)
	}
	return &jobsStepper{c: c, t0: start, dt: step}
}

// jobsStepper reads any curve through Jobs. Times are start + k × step, not
// running sums, so long runs do not drift.
type jobsStepper struct {
	c      Curve
	t0, dt float64
	k      int64
}

func (s *jobsStepper) next(out []float64) bool {
	for i := range out {
		a := s.t0 + float64(s.k)*s.dt
		out[i] = s.c.Jobs(a, a+s.dt)
		s.k++
	}
	return false
}

type constantStepper float64

func (s constantStepper) next(out []float64) bool {
	for i := range out {
		out[i] = float64(s)
	}
	return s == 0
}

// dailyStepper integrates the sinusoid exactly, as Daily.Jobs does: the
// jobs of step k are Mean Δ + B cos φ_k with B = 2 Mean A/ω sin(ωΔ/2) and
// φ_k = ω(t_k + Δ/2 − Peak). The cosines come from rotations (cos and sin
// of φ + 4ωΔ from those of φ) along four interleaved chains, so that each
// chain's multiply-add latency overlaps the others'; every block re-anchors
// them with a direct sin and cos.
type dailyStepper struct {
	d      Daily
	t0, dt float64
	k      int64
}

func (s *dailyStepper) next(out []float64) bool {
	n := len(out)
	w := 2 * math.Pi / s.d.Period
	base := s.d.Mean * s.dt
	b := 2 * s.d.Mean * s.d.amplitude() / w * math.Sin(w*s.dt/2)
	var sn, cs [4]float64 // chain j holds φ of the steps ≡ j (mod 4)
	for j := range 4 {
		sn[j], cs[j] = math.Sincos(s.d.phase(s.t0 + (float64(s.k+int64(j))+0.5)*s.dt))
	}
	sd, cd := math.Sincos(4 * w * s.dt)
	i := 0
	for ; i+4 <= n; i += 4 {
		out[i], out[i+1], out[i+2], out[i+3] = base+b*cs[0], base+b*cs[1], base+b*cs[2], base+b*cs[3]
		for j := range 4 {
			sn[j], cs[j] = sn[j]*cd+cs[j]*sd, cs[j]*cd-sn[j]*sd
		}
	}
	for j := 0; i < n; i, j = i+1, j+1 {
		out[i] = base + b*cs[j]
	}
	s.k += int64(n)
	return false
}

// expStepper multiplies each step's jobs by 2^(Δ/Doubling), re-anchored at
// the start of every block.
type expStepper struct {
	e      Exponential
	t0, dt float64
	k      int64
}

func (s *expStepper) next(out []float64) bool {
	if len(out) == 0 {
		return false
	}
	a := s.t0 + float64(s.k)*s.dt
	j := s.e.Jobs(a, a+s.dt)
	g := math.Exp2(s.dt / s.e.Doubling)
	for i := range out {
		out[i] = j
		j *= g
	}
	s.k += int64(len(out))
	return false
}

// burstStepper fills whole blocks with zeros between bursts.
type burstStepper struct {
	b      Burst
	t0, dt float64
	k      int64
}

func (s *burstStepper) next(out []float64) bool {
	a := s.t0 + float64(s.k)*s.dt
	if s.b.Jobs(a, s.t0+float64(s.k+int64(len(out)))*s.dt) == 0 {
		clear(out)
		s.k += int64(len(out))
		return true
	}
	for i := range out {
		a := s.t0 + float64(s.k)*s.dt
		out[i] = s.b.Jobs(a, a+s.dt)
		s.k++
	}
	return false
}

type sumStepper struct {
	parts []stepper
	buf   []float64
}

func (s *sumStepper) next(out []float64) bool {
	zero := s.parts[0].next(out)
	if len(s.parts) == 1 {
		return zero
	}
	if cap(s.buf) < len(out) {
		s.buf = make([]float64, len(out))
	}
	buf := s.buf[:len(out)]
	for _, p := range s.parts[1:] {
		if zero { // nothing in out yet: fill it directly
			zero = p.next(out)
			continue
		}
		if p.next(buf) {
			continue
		}
		for i, v := range buf {
			out[i] += v
		}
	}
	return zero
}

// noiseStepper multiplies whole steps by the factor of their interval.
type noiseStepper struct {
	n     Noise
	inner stepper
	k0    int64 // interval of the current step
	per   int64 // steps per interval
	i     int64 // steps into the current interval
	f     [2]float64
	pair  int64 // the even interval whose pair of factors f holds; -1 none
}

func (s *noiseStepper) next(out []float64) bool {
	zero := s.inner.next(out)
	for i := 0; i < len(out); {
		if s.pair != s.k0&^1 {
			s.pair = s.k0 &^ 1
			s.f[0], s.f[1] = s.n.factors(s.pair)
		}
		f := s.f[s.k0&1]
		m := min(int64(len(out)-i), s.per-s.i)
		for j := range out[i : i+int(m)] {
			out[i+j] *= f
		}
		i += int(m)
		if s.i += m; s.i == s.per {
			s.i, s.k0 = 0, s.k0+1
		}
	}
	return zero
}

// poissonStepper replaces each step's expected jobs by a Poisson count.
type poissonStepper struct {
	inner stepper
	rng   *rand.Rand
}

func (s *poissonStepper) next(out []float64) bool {
	if s.inner.next(out) {
		return true
	}
	for i, m := range out {
		out[i] = float64(PoissonCount(s.rng, m))
	}
	return false
}

// PoissonCount draws a Poisson count with mean mu from rng: by sequential
// search of the distribution function below mu = 10, and above it by the
// transformed rejection method with squeeze of Hörmann ("The transformed
// rejection method for generating Poisson random variables", Insurance:
// Mathematics and Economics 12, 1993), which takes about 1.1 uniform pairs
// per draw whatever the mean.
func PoissonCount(rng *rand.Rand, mu float64) int64 {
	switch {
	case !(mu > 0):
		return 0
	case mu < 10:
		// Inversion: walk the distribution function until it passes u.
		u := rng.Float64()
		p := math.Exp(-mu)
		f := p
		k := int64(0)
		for u > f && k < 1000 {
			k++
			p *= mu / float64(k)
			f += p
		}
		return k
	}
	smu := math.Sqrt(mu)
	b := 0.931 + 2.53*smu
	a := -0.059 + 0.02483*b
	invAlpha := 1.1239 + 1.1328/(b-3.4)
	vr := 0.9277 - 3.6224/(b-2)
	logMu := math.Log(mu)
	for {
		u := rng.Float64() - 0.5
		v := rng.Float64()
		us := 0.5 - math.Abs(u)
		k := math.Floor((2*a/us+b)*u + mu + 0.43)
		if us >= 0.07 && v <= vr {
			return int64(k)
		}
		if k < 0 || us < 0.013 && v > us {
			continue
		}
		lg, _ := math.Lgamma(k + 1)
		if math.Log(v)+math.Log(invAlpha)-math.Log(a/(us*us)+b) <= -mu+k*logMu-lg {
			return int64(k)
		}
	}
}
