// Package workload holds JobRate curves: the load, in jobs per second, that
// arrives at a system as a function of time. The first article calls it
// JobRate(Time), a function "we can neither predict nor control".
//
// A Curve gives the rate at an instant and the expected number of jobs over
// an interval (the integral of the rate). Curves compose (Sum, Product,
// Clamp), carry seeded noise (Noise, Poisson) and come from traces. Curves
// are immutable values, safe for concurrent use; a Sampler reads one curve
// step by step for one run, fast.
//
// Time is in seconds since the start of a run; rates are in jobs per second.
package workload

import (
	"errors"
	"fmt"
	"math"
)

// Curve is a JobRate over time.
type Curve interface {
	// Rate is the JobRate at time t, in jobs per second; never negative.
	Rate(t float64) float64
	// Jobs is the expected number of jobs that arrive in [t0, t1): the
	// integral of Rate over the interval. Zero when t1 ≤ t0.
	Jobs(t0, t1 float64) float64
}

// Constant is a flat JobRate: the same number of jobs every second.
type Constant float64

// Rate returns c.
func (c Constant) Rate(float64) float64 { return float64(c) }

// Jobs is c × (t1 − t0).
func (c Constant) Jobs(t0, t1 float64) float64 { return float64(c) * span(t0, t1) }

// Validate reports a negative or non-finite rate.
func (c Constant) Validate() error { return checkRate("rate", float64(c)) }

// Daily is a daily cycle: a sinusoid around Mean whose peak is Ratio times
// its trough,
//
//	Rate(t) = Mean × (1 + A cos(2π (t − Peak) / Period)),  A = (Ratio − 1)/(Ratio + 1)
//
// so the peak is Mean(1 + A), the trough Mean(1 − A), and the mean over a
// period is Mean.
type Daily struct {
	Mean   float64 // mean rate over a period, jobs/s
	Ratio  float64 // peak over trough, ≥ 1 (1 is flat)
	Period float64 // seconds; 86,400 for a day
	Peak   float64 // seconds after time 0 of the first peak (14:00 is 50,400)
}

func (d Daily) amplitude() float64 { return (d.Ratio - 1) / (d.Ratio + 1) }

// phase is t − Peak reduced modulo Period (math.Mod is exact), so that the
// angle ω(t − Peak) keeps full precision however far t is from time 0.
func (d Daily) phase(t float64) float64 { return math.Mod(t-d.Peak, d.Period) }

// Rate is Mean × (1 + A cos(ω(t − Peak))).
func (d Daily) Rate(t float64) float64 {
	w := 2 * math.Pi / d.Period
	return d.Mean * (1 + d.amplitude()*math.Cos(w*d.phase(t)))
}

// Jobs is the exact integral
//
//	Mean(t1 − t0) + Mean A/ω (sin ω(t1 − Peak) − sin ω(t0 − Peak))
//
// evaluated as Mean(t1 − t0) + 2 Mean A/ω cos(ω(m − Peak)) sin(ω(t1 − t0)/2),
// m = (t0 + t1)/2, which avoids the cancellation of two nearly equal sines
// over a short interval (1e-8 relative error a year from time 0 otherwise).
func (d Daily) Jobs(t0, t1 float64) float64 {
	if t1 <= t0 {
		return 0
	}
	w := 2 * math.Pi / d.Period
	h := (t1 - t0) / 2
	return d.Mean*(t1-t0) + 2*d.Mean*d.amplitude()/w*math.Cos(w*(d.phase(t0)+h))*math.Sin(w*h)
}

// Validate reports a mean, ratio or period out of range.
func (d Daily) Validate() error {
	if err := checkRate("mean", d.Mean); err != nil {
		return err
	}
	if !(d.Ratio >= 1) || math.IsInf(d.Ratio, 0) {
		return fmt.Errorf("ratio %g must be a finite number ≥ 1 (peak over trough)", d.Ratio)
	}
	if !(d.Period > 0) || math.IsInf(d.Period, 0) {
		return fmt.Errorf("period %gs must be positive", d.Period)
	}
	return checkFinite("peak", d.Peak)
}

// Burst is extra load for a while: Height jobs per second from Start for
// Duration seconds, repeated every Every seconds when Every > 0 (a spike at
// lunchtime every day), and zero otherwise. Add it to a base curve with Sum.
type Burst struct {
	Start    float64 // seconds
	Duration float64 // seconds
	Height   float64 // jobs/s added
	Every    float64 // repeat period in seconds; 0 for once
}

// Rate is Height inside a burst and 0 outside.
func (b Burst) Rate(t float64) float64 {
	if b.inside(t) {
		return b.Height
	}
	return 0
}

func (b Burst) inside(t float64) bool {
	x := t - b.Start
	if b.Every > 0 {
		x -= b.Every * math.Floor(x/b.Every)
	}
	return x >= 0 && x < b.Duration
}

// Jobs is Height times the overlap of [t0, t1) with the bursts.
func (b Burst) Jobs(t0, t1 float64) float64 {
	if t1 <= t0 {
		return 0
	}
	if b.Every <= 0 {
		return b.Height * overlap(t0, t1, b.Start, b.Start+b.Duration)
	}
	// Split each end into its period n (from Start) and the burst time
	// into that period, f = min(max(x − Start − n Every, 0), Duration), so
	// that the jobs are Height((n1 − n0) Duration − f0 + f1): never negative
	// ((n1 − n0) Duration ≥ Duration ≥ f0 when n1 > n0, and f is monotone
	// within a period) and free of the large n × Duration terms that cost
	// precision far from Start.
	split := func(x float64) (float64, float64) {
		x -= b.Start
		n := math.Floor(x / b.Every)
		return n, math.Min(math.Max(x-n*b.Every, 0), b.Duration)
	}
	n0, f0 := split(t0)
	n1, f1 := split(t1)
	return b.Height * math.Max(0, ((n1-n0)*b.Duration-f0)+f1)
}

// Validate reports a burst that is not a burst.
func (b Burst) Validate() error {
	if err := checkRate("height", b.Height); err != nil {
		return err
	}
	if !(b.Duration >= 0) || math.IsInf(b.Duration, 0) {
		return fmt.Errorf("duration %gs must be finite and not negative", b.Duration)
	}
	if err := checkFinite("start", b.Start); err != nil {
		return err
	}
	if b.Every < 0 || math.IsNaN(b.Every) || math.IsInf(b.Every, 0) {
		return fmt.Errorf("every %gs must be finite and not negative", b.Every)
	}
	if b.Every > 0 && b.Duration > b.Every {
		return fmt.Errorf("duration %gs must not exceed every %gs", b.Duration, b.Every)
	}
	return nil
}

// Linear grows (or shrinks) by Slope jobs per second every second from From
// at time 0, and never goes below zero: Rate(t) = max(0, From + Slope × t).
type Linear struct {
	From  float64 // jobs/s at time 0
	Slope float64 // jobs/s gained per second (negative to shrink)
}

// Rate is max(0, From + Slope t).
func (l Linear) Rate(t float64) float64 { return math.Max(0, l.From+l.Slope*t) }

// Jobs integrates the ramp exactly, clipped at zero.
func (l Linear) Jobs(t0, t1 float64) float64 {
	if t1 <= t0 {
		return 0
	}
	if l.Slope != 0 {
		// The ramp crosses zero at z; only the positive side counts.
		z := -l.From / l.Slope
		if l.Slope > 0 {
			t0 = math.Max(t0, z)
		} else {
			t1 = math.Min(t1, z)
		}
		if t1 <= t0 {
			return 0
		}
	} else if l.From <= 0 {
		return 0
	}
	return (t1 - t0) * (l.From + l.Slope*(t0+t1)/2)
}

// Validate reports non-finite parameters.
func (l Linear) Validate() error {
	if err := checkRate("from", l.From); err != nil {
		return err
	}
	return checkFinite("slope", l.Slope)
}

// Exponential grows by a constant factor: it doubles every Doubling seconds
// (halves when Doubling is negative), Rate(t) = From × 2^(t/Doubling).
type Exponential struct {
	From     float64 // jobs/s at time 0
	Doubling float64 // seconds to double; negative halves; never 0
}

// Rate is From × 2^(t/Doubling).
func (e Exponential) Rate(t float64) float64 {
	if e.From == 0 {
		return 0 // not 0 × Inf
	}
	return e.From * math.Exp2(t/e.Doubling)
}

// Jobs is the exact integral From × D/ln 2 × (2^(t1/D) − 2^(t0/D)), computed
// as exp(m + ln(From/|k|)) × (1 − e^{−|k|(t1 − t0)}), k = ln 2/D, where m is
// the larger of k t0 and k t1: the second factor (by expm1) keeps short
// intervals exact, it lies in (0, 1], and the first may overflow or
// underflow but never meets an infinity times a zero.
func (e Exponential) Jobs(t0, t1 float64) float64 {
	if t1 <= t0 || e.From == 0 {
		return 0
	}
	k := math.Ln2 / e.Doubling
	m := k * t1
	if k < 0 {
		m = k * t0
	}
	return math.Exp(m+math.Log(e.From/math.Abs(k))) * -math.Expm1(-math.Abs(k)*(t1-t0))
}

// Validate reports a zero doubling time or non-finite parameters.
func (e Exponential) Validate() error {
	if err := checkRate("from", e.From); err != nil {
		return err
	}
	if e.Doubling == 0 || math.IsNaN(e.Doubling) || math.IsInf(e.Doubling, 0) {
		return fmt.Errorf("doubling %gs must be finite and not zero", e.Doubling)
	}
	return nil
}

// Step is one change of a Steps curve: from At seconds on, the rate is Rate.
type Step struct {
	At   float64 // seconds
	Rate float64 // jobs/s
}

// Steps is a rate that jumps: Initial until the first step, then each
// step's Rate from its At on. Steps must be in increasing order of At.
type Steps struct {
	Initial float64
	Steps   []Step
}

// Rate is the rate of the last step at or before t.
func (s Steps) Rate(t float64) float64 {
	r := s.Initial
	for _, st := range s.Steps {
		if st.At > t {
			break
		}
		r = st.Rate
	}
	return r
}

// Jobs sums each level times its overlap with [t0, t1).
func (s Steps) Jobs(t0, t1 float64) float64 {
	if t1 <= t0 {
		return 0
	}
	total, from, r := 0.0, math.Inf(-1), s.Initial
	for _, st := range s.Steps {
		total += r * overlap(t0, t1, from, st.At)
		from, r = st.At, st.Rate
	}
	return total + r*overlap(t0, t1, from, math.Inf(1))
}

// Validate reports unordered steps or bad rates.
func (s Steps) Validate() error {
	if err := checkRate("initial", s.Initial); err != nil {
		return err
	}
	for i, st := range s.Steps {
		if err := checkRate(fmt.Sprintf("steps[%d].rate", i), st.Rate); err != nil {
			return err
		}
		if err := checkFinite(fmt.Sprintf("steps[%d].at", i), st.At); err != nil {
			return err
		}
		if i > 0 && st.At <= s.Steps[i-1].At {
			return fmt.Errorf("steps[%d].at %gs must come after steps[%d].at %gs", i, st.At, i-1, s.Steps[i-1].At)
		}
	}
	return nil
}

// Func adapts a rate function to a Curve. Its Jobs integrates numerically
// (composite Simpson's rule on panels of at most one second), so prefer the
// built-in curves when speed or exactness matter.
type Func func(t float64) float64

// Rate calls f.
func (f Func) Rate(t float64) float64 { return math.Max(0, f(t)) }

// Jobs integrates f with Simpson's rule.
func (f Func) Jobs(t0, t1 float64) float64 { return simpson(f.Rate, t0, t1) }

// Validate checks c and everything it is made of, naming the part at fault
// ("workload: sum: part 2: burst: height -1 must be a finite rate ≥ 0").
func Validate(c Curve) error {
	if err := validate(c); err != nil {
		return fmt.Errorf("workload: %w", err)
	}
	return nil
}

func validate(c Curve) error {
	if c == nil {
		return errors.New("no curve")
	}
	if v, ok := c.(interface{ Validate() error }); ok {
		if err := v.Validate(); err != nil {
			return fmt.Errorf("%s: %w", kindOf(c), err)
		}
	}
	return nil
}

func kindOf(c Curve) string {
	switch c := c.(type) {
	case Constant:
		return "constant"
	case Daily:
		return "daily"
	case Burst:
		return "burst"
	case Linear:
		return "linear"
	case Exponential:
		return "exponential"
	case Steps:
		return "steps"
	case Sum:
		return "sum"
	case Product:
		return "product"
	case Clamp:
		return "clamp"
	case Noise:
		return "noise"
	case Poisson:
		return "poisson"
	case *Trace:
		return "trace"
	case *Recorded:
		if c != nil {
			return kindOf(c.Curve)
		}
	}
	return fmt.Sprintf("%T", c)
}

func checkRate(name string, r float64) error {
	if !(r >= 0) || math.IsInf(r, 0) {
		return fmt.Errorf("%s %g must be a finite rate ≥ 0", name, r)
	}
	return nil
}

func checkFinite(name string, x float64) error {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return fmt.Errorf("%s must be finite, got %g", name, x)
	}
	return nil
}

func span(t0, t1 float64) float64 { return math.Max(0, t1-t0) }

// overlap is the length of [a0, a1) ∩ [b0, b1).
func overlap(a0, a1, b0, b1 float64) float64 {
	return math.Max(0, math.Min(a1, b1)-math.Max(a0, b0))
}

// simpson integrates f over [t0, t1) with composite Simpson's rule on panels
// of at most one second: exact for polynomials up to cubic on each panel.
func simpson(f func(float64) float64, t0, t1 float64) float64 {
	if !(t1 > t0) {
		return 0
	}
	n := math.Ceil(t1 - t0)
	if n > 1<<24 {
		n = 1 << 24
	}
	h := (t1 - t0) / n
	total := 0.0
	a, fa := t0, f(t0)
	for i := 1.0; i <= n; i++ {
		b := t0 + i*h
		fb := f(b)
		total += h / 6 * (fa + 4*f((a+b)/2) + fb)
		a, fa = b, fb
	}
	return total
}
