package workload

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/boxes-project/boxes"
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
// with step or linear interpolation between them (the last point's rate
// holds until End under both). Its rate is zero outside [Start, End) unless
// it loops, in which case it repeats with period End − Start. Jobs is exact
// (the trace is piecewise constant or linear). A Trace is immutable and safe
// for concurrent use; make one with NewTrace or ReadTrace.
type Trace struct {
	times  []float64 // ascending, seconds
	rates  []float64 // jobs/s at each time
	slopes []float64 // with linear interpolation, jobs/s² on segment i
	end    float64   // the trace covers [times[0], end)
	interp Interpolation
	loop   bool
	cum    []float64 // cum[i] = jobs from times[0] to times[i]
	total  float64   // jobs from times[0] to end
}

// NewTrace makes a trace of rates (jobs/s) at times (seconds, strictly
// increasing), covering [times[0], end). With loop, it repeats forever. It
// keeps times and rates; do not change them afterwards.
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
	if math.IsInf(end-times[0], 0) {
		return nil, fmt.Errorf("workload: trace span from %gs to %gs is too long", times[0], end)
	}
	if interp != StepInterpolation && interp != LinearInterpolation {
		return nil, fmt.Errorf("workload: unknown trace interpolation %d", interp)
	}
	t := &Trace{times: times, rates: rates, end: end, interp: interp, loop: loop}
	if interp == LinearInterpolation {
		t.slopes = make([]float64, len(times))
		for i := 0; i+1 < len(times); i++ {
			t.slopes[i] = (rates[i+1] - rates[i]) / (times[i+1] - times[i])
			if math.IsInf(t.slopes[i], 0) {
				t.slopes[i] = 0 // a jump too steep for a float: treat as a step
			}
		}
	}
	t.cum = make([]float64, len(times))
	for i := 1; i < len(times); i++ {
		t.cum[i] = t.cum[i-1] + t.segment(i-1, times[i])
	}
	t.total = t.cum[len(times)-1] + t.segment(len(times)-1, end)
	if math.IsInf(t.total, 0) || math.IsNaN(t.total) {
		return nil, fmt.Errorf("workload: trace has too many jobs to count (%g)", t.total)
	}
	return t, nil
}

// Start is the beginning of the span the trace covers, in seconds.
func (t *Trace) Start() float64 { return t.times[0] }

// End is the end of the span the trace covers.
func (t *Trace) End() float64 { return t.end }

// Len is the number of points.
func (t *Trace) Len() int { return len(t.times) }

// Total is the number of jobs in one pass of the trace.
func (t *Trace) Total() float64 { return t.total }

// Interpolation is how the rate moves between points.
func (t *Trace) Interpolation() Interpolation { return t.interp }

// Loops reports whether the trace repeats.
func (t *Trace) Loops() bool { return t.loop }

// Point is the time (seconds) and rate (jobs/s) of point i, 0 ≤ i < Len.
func (t *Trace) Point(i int) (time, rate float64) { return t.times[i], t.rates[i] }

// Validate reports a trace not made by NewTrace.
func (t *Trace) Validate() error {
	if t == nil || len(t.times) == 0 || len(t.cum) != len(t.times) {
		return fmt.Errorf("is empty (make traces with NewTrace or ReadTrace)")
	}
	return nil
}

// segment is the jobs from times[i] to x, for x within segment i.
func (t *Trace) segment(i int, x float64) float64 {
	d := x - t.times[i]
	if t.slopes == nil || i+1 >= len(t.times) {
		return t.rates[i] * d
	}
	return d * (t.rates[i] + t.slopes[i]*d/2)
}

// rateIn is the rate at x within segment i.
func (t *Trace) rateIn(i int, x float64) float64 {
	if t.slopes == nil || i+1 >= len(t.times) {
		return t.rates[i]
	}
	return math.Max(0, t.rates[i]+t.slopes[i]*(x-t.times[i]))
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

// search is the segment holding x, for times[0] ≤ x.
func (t *Trace) search(x float64) int {
	i := sort.SearchFloat64s(t.times, x)
	if i == len(t.times) || t.times[i] > x {
		i--
	}
	return i
}

// Rate is the interpolated rate at x (0 outside the trace, and at a time so
// far from a looping trace's start that a float cannot place it in a pass).
func (t *Trace) Rate(x float64) float64 {
	_, x = t.fold(x)
	if !(x >= t.times[0] && x < t.end) {
		return 0
	}
	return t.rateIn(t.search(x), x)
}

// locate folds x into a pass and returns the pass n, the jobs from the
// pass's start to x, and the segment of x; hint is a segment to try first
// (the previous answer, when times move forward), or -1.
func (t *Trace) locate(x float64, hint int) (n, jobs float64, seg int) {
	n, x = t.fold(x)
	switch {
	case x <= t.times[0]:
		return n, 0, 0
	case x >= t.end:
		return n, t.total, len(t.times) - 1
	}
	i := hint
	if i < 0 || i >= len(t.times) || t.times[i] > x {
		i = t.search(x)
	} else {
		for walked := 0; i+1 < len(t.times) && t.times[i+1] <= x; walked++ {
			if walked == 8 {
				i = t.search(x)
				break
			}
			i++
		}
	}
	return n, t.cum[i] + t.segment(i, x), i
}

// maxPass is the number of passes of a looping trace from its start beyond
// which a float64 time can no longer be placed within a pass: past 2^52
// periods, the spacing of floats exceeds the period.
const maxPass = 1 << 52

// Jobs is the exact integral of the interpolated rate over [t0, t1). Whole
// passes of a looping trace count as Total each, so long runs keep the
// precision of one pass. It is never NaN: a trace with no jobs has none over
// any interval, even an infinite one; a looping trace's jobs over an
// interval reaching more than 2^52 passes from its start are counted at the
// mean rate, Total per pass (+Inf when the interval is infinite or the count
// exceeds a float's range).
func (t *Trace) Jobs(t0, t1 float64) float64 {
	if !(t1 > t0) || t.total == 0 {
		return 0
	}
	if !t.loop {
		t0, t1 = math.Max(t0, t.times[0]), math.Min(t1, t.end)
		if !(t1 > t0) {
			return 0
		}
	}
	n0, c0, _ := t.locate(t0, -1)
	n1, c1, _ := t.locate(t1, -1)
	if t.loop && !(math.Abs(n0) < maxPass && math.Abs(n1) < maxPass) {
		return (t1 - t0) / (t.end - t.times[0]) * t.total
	}
	return math.Max(0, (n1-n0)*t.total+(c1-c0))
}

func (t *Trace) stepper(start, step float64) stepper {
	return &traceStepper{t: t, t0: start, dt: step, seg: -1}
}

// traceStepper reuses each step's end as the next step's start, and the
// segment it fell in as a hint. While steps stay within one segment of one
// pass (the usual case: a trace's points are further apart than a step), a
// step costs a subtraction, two comparisons and the segment's polynomial:
// the pass's start and the segment's bounds are kept from the last locate.
type traceStepper struct {
	t      *Trace
	t0, dt float64
	k      int64
	n, c   float64 // pass and jobs into it at the end of the last step
	seg    int
	primed bool
	// The fast path: times x with lo ≤ x − base < hi fall in segment seg of
	// pass n, whose start is base (0 for a trace that does not loop).
	base, lo, hi float64
	buf          []float64
}

func (s *traceStepper) next(out []float64) {
	t := s.t
	if !s.primed {
		s.n, s.c, s.seg = t.locate(s.t0, -1)
		s.bounds()
		s.primed = true
	}
	for i := range out {
		s.k++
		x := s.t0 + float64(s.k)*s.dt
		if y := x - s.base; y >= s.lo && y < s.hi {
			// Within the segment: the same sum locate does.
			c := t.cum[s.seg] + t.segment(s.seg, y)
			out[i] = math.Max(0, c-s.c)
			s.c = c
			continue
		}
		n, c, seg := t.locate(x, s.seg)
		if t.loop && !(math.Abs(n) < maxPass && math.Abs(s.n) < maxPass) {
			// Too far from the start to place x in a pass: the mean rate
			// (as Jobs counts it).
			out[i] = t.Jobs(x-s.dt, x)
		} else {
			out[i] = math.Max(0, (n-s.n)*t.total+(c-s.c))
		}
		s.n, s.c, s.seg = n, c, seg
		s.bounds()
	}
}

// bounds sets the fast path's window from the pass and segment of the last
// locate: the segment's span, unless the time was outside the trace (then
// an empty window). The pass's start is computed as fold does, so that a
// time in the window folds to x − base exactly as locate would fold it.
func (s *traceStepper) bounds() {
	t := s.t
	s.base, s.lo, s.hi = 0, 0, 0 // empty
	x := s.t0 + float64(s.k)*s.dt
	n, y := t.fold(x)
	if y < t.times[0] || y >= t.end || n != s.n {
		return
	}
	if t.loop {
		s.base = n * (t.end - t.times[0]) // as fold subtracts it
	}
	s.lo = t.times[s.seg]
	s.hi = t.end
	if s.seg+1 < len(t.times) {
		s.hi = t.times[s.seg+1]
	}
}

func (s *traceStepper) add(out []float64) { addVia(s.next, &s.buf, out) }

// ParseInterpolation reads "step" or "linear".
func ParseInterpolation(s string) (Interpolation, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "step":
		return StepInterpolation, nil
	case "linear":
		return LinearInterpolation, nil
	}
	return 0, fmt.Errorf("workload: unknown interpolation %s (want step or linear)", boxes.Quote(s))
}
