package measure

import (
	"fmt"
	"math"
	"time"

	"github.com/boxes-project/boxes"
)

// Limits bound a sweep so that a typo cannot take down the system under
// test. The defaults (DefaultLimits, the default tags) are what a
// production service survives: at most 256 jobs at once, 1000 jobs per
// second, a minute per level and 100,000 jobs per sweep; raise them on
// purpose.
type Limits struct {
	// MaxConcurrency bounds the closed loop's workers and the open loop's
	// jobs in flight.
	MaxConcurrency int `yaml:"max_concurrency" default:"256" min:"1" max:"100000" doc:"most jobs in flight at once, in either loop"`
	// MaxRate bounds the open loop's rates.
	MaxRate boxes.Rate `yaml:"max_rate" default:"1000/s" min:"0" exclusive:"min" doc:"highest rate an open loop may offer"`
	// MaxDuration bounds one level, warm-up included.
	MaxDuration time.Duration `yaml:"max_duration" default:"1m" min:"1ms" max:"24h" doc:"longest warm-up plus duration of one level"`
	// MaxTotal bounds the whole sweep's planned time: the levels times
	// each level's warm-up and duration (issue 11: 10,000 open-loop rates
	// of a minute each were a week of measuring, under max_requests).
	MaxTotal time.Duration `yaml:"max_total" default:"1h" min:"1ms" max:"168h" doc:"longest the whole sweep may take: levels × (warm-up + duration)"`
	// MaxRequests bounds the jobs of the whole sweep, warm-ups included.
	MaxRequests int `yaml:"max_requests" default:"100000" min:"1" doc:"most jobs the whole sweep may start"`
	// MaxErrorRate stops the sweep after a level whose failed jobs are a
	// larger fraction than this.
	MaxErrorRate float64 `yaml:"max_error_rate" default:"0.05" min:"0" max:"1" doc:"stop after a level with a larger fraction of failed jobs"`
	// MaxP99 stops the sweep after a level whose p99 response time is
	// longer; 0 means no limit.
	MaxP99 time.Duration `yaml:"max_p99" default:"0s" min:"0s" doc:"stop after a level with a longer p99 response time (0: no limit)"`
	// PastPeak stops a closed loop after two levels in a row whose
	// throughput is more than this fraction below the best level's, and an
	// open loop after a level that served less than 1 − PastPeak of its
	// rate; 0 never stops early. The default, 20%, is clearly past a peak:
	// a flat plateau measured in short levels dips by 10% now and then.
	PastPeak float64 `yaml:"past_peak" default:"0.2" min:"0" max:"1" exclusive:"max" doc:"stop once throughput is this fraction below its peak (0: never)"`
}

// DefaultLimits are the limits of the default tags.
func DefaultLimits() Limits {
	return Limits{
		MaxConcurrency: 256,
		MaxRate:        1000,
		MaxDuration:    time.Minute,
		MaxTotal:       time.Hour,
		MaxRequests:    100000,
		MaxErrorRate:   0.05,
		PastPeak:       0.2,
	}
}

// Validate checks each limit against its bounds.
func (l Limits) Validate() error {
	switch {
	case l.MaxConcurrency < 1 || l.MaxConcurrency > 100000:
		return fmt.Errorf("measure: max_concurrency %d is outside 1..100000", l.MaxConcurrency)
	case !(l.MaxRate > 0) || math.IsInf(float64(l.MaxRate), 0):
		return fmt.Errorf("measure: max_rate %v must be positive and finite", l.MaxRate)
	case l.MaxDuration < time.Millisecond || l.MaxDuration > 24*time.Hour:
		return fmt.Errorf("measure: max_duration %v is outside 1ms..24h", l.MaxDuration)
	case l.MaxTotal < time.Millisecond || l.MaxTotal > 168*time.Hour:
		return fmt.Errorf("measure: max_total %v is outside 1ms..168h", l.MaxTotal)
	case l.MaxRequests < 1:
		return fmt.Errorf("measure: max_requests %d must be at least 1", l.MaxRequests)
	case !(l.MaxErrorRate >= 0 && l.MaxErrorRate <= 1):
		return fmt.Errorf("measure: max_error_rate %g is outside 0..1", l.MaxErrorRate)
	case l.MaxP99 < 0:
		return fmt.Errorf("measure: max_p99 %v must not be negative", l.MaxP99)
	case !(l.PastPeak >= 0 && l.PastPeak < 1):
		return fmt.Errorf("measure: past_peak %g is outside [0, 1)", l.PastPeak)
	}
	return nil
}

// Arrivals is the open loop's schedule: Poisson arrivals (exponential gaps,
// the random arrivals of queueing theory's M/·/c, from a PCG seeded with
// Seed) or Uniform ones (exactly 1/rate apart, as vegeta's constant pacer).
type Arrivals struct {
	Kind string `yaml:"arrivals" default:"poisson" enum:"poisson,uniform" doc:"the open loop's gaps between jobs: random (poisson) or equal (uniform)"`
	Seed uint64 `yaml:"seed" default:"1" doc:"seed of the random gaps"`
}

// Validate checks Kind.
func (a Arrivals) Validate() error {
	switch a.Kind {
	case "", "poisson", "uniform":
		return nil
	}
	return fmt.Errorf("measure: unknown arrivals %q (want poisson or uniform)", clip(a.Kind))
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
