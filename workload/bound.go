package workload

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// MaxRate is the highest rate, in jobs per second, a run reads from any
// curve: a trillion, beyond any real traffic, and low enough that every
// count, cost and fraction of a run over any horizon stays finite (a year
// at MaxRate is 3e19 jobs).
const MaxRate = 1e12

// RangeError is a curve whose rate leaves [0, MaxRate], or is not a
// number, within a run: the first step where it does. Curve names the
// curve's kind (the workload setting at fault: exponential, daily, sum...).
type RangeError struct {
	Curve string
	Time  float64 // the step's start, in seconds from the run's start
	Rate  float64 // the step's mean rate, jobs/s (+Inf or NaN when so)
}

func (e *RangeError) Error() string {
	at := time.Duration(math.Min(e.Time, float64(math.MaxInt64)/1e9) * 1e9).String()
	if math.IsNaN(e.Rate) || math.IsInf(e.Rate, 0) {
		return fmt.Sprintf("workload: %s: the rate is not a finite number at %s into the run (it overflows); shorten the horizon or slow the growth", e.Curve, at)
	}
	return fmt.Sprintf("workload: %s: the rate reaches %.3g jobs/s at %s into the run, above the limit of %g jobs/s; shorten the horizon or slow the growth", e.Curve, e.Rate, at, float64(MaxRate))
}

// CheckRange reads c over steps steps of step seconds from start, as a run's
// Sampler does, and returns a *RangeError for the first step whose mean
// rate is above MaxRate, negative or not a number. Under Poisson it reads
// the mean curve. It takes a few nanoseconds a step and no memory beyond a
// block of steps.
func CheckRange(c Curve, start, step float64, steps int) error {
	if p, ok := unrecorded(c).(Poisson); ok {
		c = p.Curve
	}
	const block = 4096
	buf := make([]float64, min(block, max(steps, 0)))
	s := NewSampler(c, start, step)
	for k0 := 0; k0 < steps; k0 += block {
		out := buf[:min(block, steps-k0)]
		s.Next(out)
		if err := CheckJobs(out, k0, step); err != nil {
			err.(*RangeError).Time += start
			return NameCurve(err, c)
		}
	}
	return nil
}

// CheckJobs checks a block of jobs per step as a Sampler gave them, for
// the steps from first on, of step seconds each: the first whose mean rate
// is above MaxRate, negative or not a number is a *RangeError, its time
// from the sampling's start and its Curve left for NameCurve. The engines
// call it on the blocks they sample anyway, so the check costs a compare a
// step and no second pass.
func CheckJobs(jobs []float64, first int, step float64) error {
	limit := MaxRate * step
	for i, j := range jobs {
		if !(j >= 0 && j <= limit) {
			return &RangeError{Time: float64(first+i) * step, Rate: j / step}
		}
	}
	return nil
}

// NameCurve names c's kind in a *RangeError within err that has no curve
// yet, and returns err.
func NameCurve(err error, c Curve) error {
	var re *RangeError
	if errors.As(err, &re) && re.Curve == "" {
		c = unrecorded(c)
		if p, ok := c.(Poisson); ok {
			c = p.Curve
		}
		re.Curve = kindOf(c)
	}
	return err
}
