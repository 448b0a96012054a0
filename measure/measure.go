package measure

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"
)

// Sample is one finished job.
type Sample struct {
	// Scheduled is when the job was due to start: in an open loop its time
	// on the schedule, in a closed loop the same as Start.
	Scheduled  time.Time
	Start, End time.Time
	Failed     bool   // an error, a timeout or (HTTP) a status outside 200–399
	Error      string // why it failed, when it did
}

// Job is what a Load does: at most Workers jobs at once, started as soon as a
// worker is free (Rate 0: a closed loop) or at Rate jobs per second (an open
// loop, the schedule given by Arrivals), for Duration or until MaxJobs have
// started, whichever comes first.
type Job struct {
	Workers  int
	Rate     float64       // jobs per second; 0 for a closed loop
	Arrivals Arrivals      // the open loop's schedule
	Duration time.Duration // how long to start jobs for
	MaxJobs  int           // the most jobs to start; 0 means no bound
}

// A Load does jobs and reports each one to record, from one goroutine at a
// time, before Run returns. Run returns when the last job it started has
// ended; when ctx ends it stops starting jobs and cancels those in flight.
type Load interface {
	Run(ctx context.Context, j Job, record func(Sample)) error
}

// LoadFunc adapts a function to a Load.
type LoadFunc func(ctx context.Context, j Job, record func(Sample)) error

// Run calls f.
func (f LoadFunc) Run(ctx context.Context, j Job, record func(Sample)) error {
	return f(ctx, j, record)
}

// Level is one measured level of a sweep. Times are in seconds, throughput in
// successful jobs per second.
type Level struct {
	// Concurrency is N: the closed loop's workers, or in an open loop
	// Little's law N = X·R from the measured throughput and mean.
	Concurrency float64 `json:"concurrency"`
	Rate        float64 `json:"rate,omitempty"` // the open loop's planned rate, jobs per second
	// Offered is the open loop's jobs due in the window per second: Rate
	// give or take the randomness of Poisson arrivals.
	Offered    float64 `json:"offered,omitempty"`
	Throughput float64 `json:"throughput"` // X, successful jobs per second in the window
	Mean       float64 `json:"mean"`       // R, the mean response time of successful jobs
	P50        float64 `json:"p50"`
	P90        float64 `json:"p90"`
	P99        float64 `json:"p99"`
	Max        float64 `json:"max"`
	Requests   int     `json:"requests"` // jobs counted in the window
	Errors     int     `json:"errors"`   // of them, failed
	// FirstError is the first failed job's error in the window, or else in
	// the level (warm-up included), if any failed.
	FirstError string `json:"first_error,omitempty"`
}

// ErrorRate is Errors/Requests, 0 for a level without requests.
func (l Level) ErrorRate() float64 {
	if l.Requests == 0 {
		return 0
	}
	return float64(l.Errors) / float64(l.Requests)
}

// Plan is a sweep: exactly one of Concurrency (a closed loop) and Rates (an
// open loop), each level warmed up for Warmup and then measured for
// Duration, within Limits.
type Plan struct {
	Concurrency []int
	Rates       []float64 // jobs per second
	Arrivals    Arrivals  // the open loop's schedule; the zero value is Poisson, seed 0
	Warmup      time.Duration
	Duration    time.Duration
	Limits      Limits
	// Progress, when not nil, is told the fraction of the planned time done,
	// in [0, 1], from the goroutine that called Sweep or from the Load's.
	Progress func(done float64)
}

// Result is a sweep's levels in the order measured.
type Result struct {
	Loop    string  `json:"loop"` // "closed" or "open"
	Levels  []Level `json:"levels"`
	Stopped string  `json:"stopped,omitempty"` // why the sweep ended before its last level, in words
}

// Validate checks the plan against its limits.
func (p Plan) Validate() error {
	if err := p.Limits.Validate(); err != nil {
		return err
	}
	l := p.Limits
	switch {
	case len(p.Concurrency) == 0 && len(p.Rates) == 0:
		return errors.New("measure: no levels: give concurrencies (a closed loop) or rates (an open loop)")
	case len(p.Concurrency) > 0 && len(p.Rates) > 0:
		return errors.New("measure: give concurrencies or rates, not both")
	case p.Duration <= 0:
		return fmt.Errorf("measure: duration %v must be positive", p.Duration)
	case p.Warmup < 0:
		return fmt.Errorf("measure: warm-up %v must not be negative", p.Warmup)
	case p.Warmup+p.Duration > l.MaxDuration:
		return fmt.Errorf("measure: a level's warm-up and duration, %v, are above max_duration %v", p.Warmup+p.Duration, l.MaxDuration)
	}
	if levels := len(p.Concurrency) + len(p.Rates); time.Duration(levels) > l.MaxTotal/(p.Warmup+p.Duration) {
		return fmt.Errorf("measure: %d levels of %v (warm-up and duration) take %v, above max_total %v", levels, p.Warmup+p.Duration,
			(time.Duration(levels) * (p.Warmup + p.Duration)).Round(time.Second), l.MaxTotal)
	}
	for _, n := range p.Concurrency {
		if n < 1 || n > l.MaxConcurrency {
			return fmt.Errorf("measure: concurrency %d is outside 1..max_concurrency %d", n, l.MaxConcurrency)
		}
	}
	for _, r := range p.Rates {
		if !(r > 0) || r > float64(l.MaxRate) || math.IsInf(r, 0) {
			return fmt.Errorf("measure: rate %g/s is outside (0, max_rate %g/s]", r, float64(l.MaxRate))
		}
	}
	return p.Arrivals.Validate()
}

// ErrRequestBudget is why a sweep stopped when it reached
// Limits.MaxRequests.
var ErrRequestBudget = errors.New("measure: the sweep reached its max_requests")

// Sweep measures load level by level as plan says. It stops early, with the
// reason in Result.Stopped, when a level's error rate is above
// Limits.MaxErrorRate, its p99 above Limits.MaxP99, throughput has passed
// its peak (two levels in a row more than Limits.PastPeak below the best
// one, or in an open loop one level that served less than 1 − PastPeak of
// the jobs due) or the sweep's requests reached Limits.MaxRequests (that level
// is dropped). When ctx ends Sweep returns the levels measured so far with
// ctx's error; the interrupted level is dropped.
func Sweep(ctx context.Context, load Load, plan Plan) (*Result, error) {
	if err := plan.Validate(); err != nil {
		return nil, err
	}
	res := &Result{Loop: "closed", Levels: []Level{}}
	levels := len(plan.Concurrency)
	if len(plan.Rates) > 0 {
		res.Loop, levels = "open", len(plan.Rates)
	}
	budget := plan.Limits.MaxRequests
	per := plan.Warmup + plan.Duration
	var lastProgress time.Time
	for i := range levels {
		j := Job{Duration: per, MaxJobs: budget, Arrivals: plan.Arrivals}
		if res.Loop == "closed" {
			j.Workers = plan.Concurrency[i]
		} else {
			j.Workers, j.Rate = plan.Limits.MaxConcurrency, plan.Rates[i]
			j.Arrivals.Seed += uint64(i) // a different stream at each level, the same on each run
		}
		start := time.Now()
		w := newWindow(start.Add(plan.Warmup), start.Add(per), res.Loop == "open")
		started := 0
		record := func(s Sample) {
			started++
			w.add(s)
			if plan.Progress != nil && time.Since(lastProgress) > 100*time.Millisecond {
				lastProgress = time.Now()
				f := math.Min(1, float64(lastProgress.Sub(start))/float64(per))
				plan.Progress((float64(i) + f) / float64(levels))
			}
		}
		err := load.Run(ctx, j, record)
		if ctx.Err() != nil {
			return res, ctx.Err()
		}
		if err != nil {
			return res, err
		}
		budget -= started
		if budget <= 0 {
			res.Stopped = fmt.Sprintf("the sweep reached its max_requests, %d, during this level; it is not counted", plan.Limits.MaxRequests)
			return res, nil
		}
		lv := w.level()
		if res.Loop == "closed" {
			lv.Concurrency = float64(j.Workers)
		} else {
			lv.Rate = j.Rate
			lv.Offered = float64(lv.Requests) / plan.Duration.Seconds()
			lv.Concurrency = lv.Throughput * lv.Mean
		}
		res.Levels = append(res.Levels, lv)
		if plan.Progress != nil {
			plan.Progress(float64(i+1) / float64(levels))
		}
		if i < levels-1 {
			if why := stopReason(res, plan.Limits); why != "" {
				res.Stopped = why
				return res, nil
			}
		}
	}
	return res, nil
}

// stopReason says why the sweep should not go on after its last level, or
// "".
func stopReason(res *Result, l Limits) string {
	last := res.Levels[len(res.Levels)-1]
	if last.ErrorRate() > l.MaxErrorRate {
		return fmt.Sprintf("the error rate %.1f%% passed max_error_rate %.1f%%", 100*last.ErrorRate(), 100*l.MaxErrorRate)
	}
	if l.MaxP99 > 0 && last.P99 > l.MaxP99.Seconds() {
		return fmt.Sprintf("the p99 %s passed max_p99 %v", seconds(last.P99), l.MaxP99)
	}
	if l.PastPeak <= 0 {
		return ""
	}
	if res.Loop == "open" {
		if last.Throughput < (1-l.PastPeak)*last.Offered {
			return fmt.Sprintf("the system served %.0f%% of the offered %s: past saturation", 100*last.Throughput/last.Offered, perSecond(last.Offered))
		}
		return ""
	}
	n := len(res.Levels)
	if n < 3 {
		return ""
	}
	best := 0.0
	for _, lv := range res.Levels {
		best = math.Max(best, lv.Throughput)
	}
	below := (1 - l.PastPeak) * best
	if res.Levels[n-1].Throughput < below && res.Levels[n-2].Throughput < below {
		return fmt.Sprintf("throughput passed its peak (%s): two levels more than %.0f%% below it", perSecond(best), 100*l.PastPeak)
	}
	return ""
}

func seconds(s float64) string { return time.Duration(s * 1e9).Round(time.Microsecond).String() }

func perSecond(x float64) string { return fmt.Sprintf("%.4g/s", x) }
