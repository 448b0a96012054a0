package workload

import (
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
	if p, ok := c.(Poisson); ok {
		c = p.Curve
	}
	const block = 4096
	buf := make([]float64, min(block, max(steps, 0)))
	s := NewSampler(c, start, step)
	limit := MaxRate * step
	for k0 := 0; k0 < steps; k0 += block {
		out := buf[:min(block, steps-k0)]
		s.Next(out)
		for i, jobs := range out {
			if !(jobs >= 0 && jobs <= limit) {
				return &RangeError{Curve: kindOf(c), Time: start + float64(k0+i)*step, Rate: jobs / step}
			}
		}
	}
	return nil
}
