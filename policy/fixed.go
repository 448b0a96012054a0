package policy

import (
	"fmt"
	"math"
	"time"

	"github.com/boxes-project/boxes"
)

// Basis is the JobRate a Fixed capacity is sized for.
type Basis string

const (
	// Peak sizes for the highest JobRate of the workload (Env.PeakRate):
	// no job is missed for want of boxes, and the boxes idle the rest of the
	// time.
	Peak Basis = "peak"
	// Mean sizes for the mean JobRate (Env.MeanRate): cheaper, and short of
	// boxes whenever the load is above its mean.
	Mean Basis = "mean"
)

// Fixed is a capacity that never changes: the system the first article starts
// from, before it scales. Either Capacity is set, or the capacity is sized
// from the workload for a target Utilization at its peak or its mean:
//
//	Capacity = ceil(JobRate × Latency / Utilization)   (boxes.CapacityFor)
//
// where JobRate is Env.PeakRate or Env.MeanRate. The zero value is not
// valid: set Capacity, or Utilization (DefaultFixed sizes for 0.8 at the peak).
type Fixed struct {
	// Capacity is the number of boxes, always. Zero means "size it from the
	// workload" with Utilization and At.
	Capacity int `yaml:"capacity" default:"0" min:"0" max:"1000000" doc:"boxes, always; 0 sizes the fleet from the workload for utilization at the peak or mean rate"`
	// Utilization is the target utilization, in (0, 1], at the JobRate
	// chosen by At. Used only when Capacity is zero.
	Utilization float64 `yaml:"utilization" default:"0.8" min:"0" exclusive:"min" max:"1" doc:"utilization to size for when capacity is 0"`
	// At is the JobRate to size for: Peak (the zero value) or Mean.
	At Basis `yaml:"at" default:"peak" enum:"peak,mean" doc:"the job rate to size for when capacity is 0"`
}

// DefaultFixed sizes the capacity for a utilization of 0.8 at the peak
// JobRate (the tags' defaults): the "a bit less than 1, like 0.8" of the
// article.
func DefaultFixed() Fixed {
	var f Fixed
	mustDefaults(&f)
	return f
}

// Validate reports a Fixed that names no capacity and no utilization to
// size for. With Capacity set, Utilization and At are not used.
func (f Fixed) Validate() error {
	switch f.At {
	case "", Peak, Mean:
	default:
		return fmt.Errorf("policy: fixed: at %q must be %q or %q", f.At, Peak, Mean)
	}
	switch {
	case f.Capacity < 0:
		return fmt.Errorf("policy: fixed: capacity %d must not be negative", f.Capacity)
	case f.Capacity == 0 && !(f.Utilization > 0 && f.Utilization <= 1):
		return fmt.Errorf("policy: fixed: utilization %g must be in (0, 1] when capacity is not set", f.Utilization)
	}
	return nil
}

// Start sizes the capacity. The Period is an hour: the answer never changes,
// so the engine need hardly ask.
func (f Fixed) Start(env Env) (Run, error) {
	if err := f.Validate(); err != nil {
		return Run{}, err
	}
	n := f.Capacity
	if n == 0 {
		rate, name := env.PeakRate, "peak rate"
		if f.At == Mean {
			rate, name = env.MeanRate, "mean rate"
		}
		if !(rate >= 0) || math.IsInf(rate, 0) {
			return Run{}, fmt.Errorf("policy: fixed: env %s %g jobs/s must be finite and non-negative", name, rate)
		}
		if !(env.Latency > 0) || math.IsInf(env.Latency, 0) {
			return Run{}, fmt.Errorf("policy: fixed: env latency %g s must be positive", env.Latency)
		}
		n = boxes.CapacityFor(boxes.Rate(rate), seconds(env.Latency), f.Utilization)
	}
	return Run{
		Policy:   Func(func(*Observation) int { return n }),
		Initial:  n,
		Period:   3600,
		Lookback: 0,
	}, nil
}

// seconds converts float seconds to a time.Duration, rounding to the
// nanosecond and saturating at the largest Duration.
func seconds(s float64) time.Duration {
	ns := math.Round(s * 1e9)
	if ns >= math.MaxInt64 {
		return math.MaxInt64
	}
	return time.Duration(ns)
}
