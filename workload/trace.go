package workload

import (
	"fmt"
	"math"
	"sort"
)

// Interpolation says how a trace's rate moves between its points.
type Interpolation int

const (
	// StepInterpolation holds each point's rate until the next point.
	StepInterpolation Interpolation = iota
	// LinearInterpolation moves the rate in a straight line between points.
	LinearInterpolation
)

func (i Interpolation) String() string {
	if i == LinearInterpolation {
		return "linear"
	}
	return "step"
}

// Trace is a JobRate recorded from real traffic: rates at points in time,
// with step or linear interpolation between them. Its rate is zero outside
// [Times[0], End) unless it loops, in which case it repeats with period
// End − Times[0]. Jobs is exact (the trace is piecewise constant or linear).
type Trace struct {
	times  []float64 // ascending, seconds
	rates  []float64 // jobs/s at each time
	end    float64   // the trace covers [times[0], end)
	interp Interpolation
	loop   bool
	cum    []float64 // cum[i] = jobs from times[0] to times[i]
	total  float64   // jobs from times[0] to end
}

// NewTrace makes a trace of rates (jobs/s) at times (seconds, strictly
// increasing), covering [times[0], end). With loop, it repeats forever.
func NewTrace(times, rates []float64, end float64, interp Interpolation, loop bool) (*Trace, error) {
	if len(times) == 0 || len(times) != len(rates) {
		return nil, fmt.Errorf("workload: trace needs as many rates as times, and at least one (got %d and %d)", len(times), len(rates))
	}
	for i := range times {
		if math.IsNaN(times[i]) || math.IsInf(times[i], 0) {
			return nil, fmt.Errorf("workload: trace time %d is not finite", i+1)
		}
		if i > 0 && !(times[i] > times[i-1]) {
			return nil, fmt.Errorf("workload: trace times must increase: point %d (%gs) is not after point %d (%gs)", i+1, times[i], i, times[i-1])
		}
		if err := checkRate(fmt.Sprintf("trace rate %d", i+1), rates[i]); err != nil {
			return nil, fmt.Errorf("workload: %w", err)
		}
	}
	if !(end > times[len(times)-1]) || math.IsInf(end, 0) {
		return nil, fmt.Errorf("workload: trace end %gs must come after its last point %gs", end, times[len(times)-1])
	}
	t := &Trace{times: times, rates: rates, end: end, interp: interp, loop: loop}
	t.cum = make([]float64, len(times))
	for i := 1; i < len(times); i++ {
		t.cum[i] = t.cum[i-1] + t.segment(i-1, times[i])
	}
	t.total = t.cum[len(times)-1] + t.segment(len(times)-1, end)
	return t, nil
}

// Start and End are the span the trace covers.
func (t *Trace) Start() float64 { return t.times[0] }

// End is the end of the span the trace covers.
func (t *Trace) End() float64 { return t.end }

// Len is the number of points.
func (t *Trace) Len() int { return len(t.times) }

// Total is the number of jobs in one pass of the trace.
func (t *Trace) Total() float64 { return t.total }

// segment is the jobs from times[i] to x, for x within segment i.
func (t *Trace) segment(i int, x float64) float64 {
	d := x - t.times[i]
	if t.interp == StepInterpolation || i+1 >= len(t.times) {
		return t.rates[i] * d
	}
	slope := (t.rates[i+1] - t.rates[i]) / (t.times[i+1] - t.times[i])
	return d * (t.rates[i] + slope*d/2)
}

// rateIn is the rate at x within segment i.
func (t *Trace) rateIn(i int, x float64) float64 {
	if t.interp == StepInterpolation || i+1 >= len(t.times) {
		return t.rates[i]
	}
	f := (x - t.times[i]) / (t.times[i+1] - t.times[i])
	return t.rates[i] + f*(t.rates[i+1]-t.rates[i])
}

// fold maps t onto one pass of the trace: the pass number and the time in it.
func (t *Trace) fold(x float64) (float64, float64) {
	if !t.loop {
		return 0, x
	}
	period := t.end - t.times[0]
	n := math.Floor((x - t.times[0]) / period)
	return n, x - n*period
}

// Rate is the interpolated rate at x.
func (t *Trace) Rate(x float64) float64 {
	_, x = t.fold(x)
	if x < t.times[0] || x >= t.end {
		return 0
	}
	i := sort.SearchFloat64s(t.times, x)
	if i == len(t.times) || t.times[i] > x {
		i--
	}
	return t.rateIn(i, x)
}

// cumulative is the jobs from the trace's start to x (over all passes).
func (t *Trace) cumulative(x float64) float64 {
	n, x := t.fold(x)
	switch {
	case x <= t.times[0]:
		return n * t.total
	case x >= t.end:
		return (n + 1) * t.total
	}
	i := sort.SearchFloat64s(t.times, x)
	if i == len(t.times) || t.times[i] > x {
		i--
	}
	return n*t.total + t.cum[i] + t.segment(i, x)
}

// Jobs is the exact integral of the interpolated rate over [t0, t1).
func (t *Trace) Jobs(t0, t1 float64) float64 {
	if t1 <= t0 {
		return 0
	}
	return math.Max(0, t.cumulative(t1)-t.cumulative(t0))
}

func (t *Trace) stepper(start, step float64) stepper {
	return &traceStepper{t: t, t0: start, dt: step}
}

// traceStepper reuses each step's end as the next step's start, so every
// step costs one evaluation of the cumulative jobs.
type traceStepper struct {
	t      *Trace
	t0, dt float64
	k      int64
	prev   float64
	primed bool
}

func (s *traceStepper) next(out []float64) bool {
	if !s.primed {
		s.prev, s.primed = s.t.cumulative(s.t0), true
	}
	for i := range out {
		s.k++
		c := s.t.cumulative(s.t0 + float64(s.k)*s.dt)
		out[i] = math.Max(0, c-s.prev)
		s.prev = c
	}
	return false
}
