package core

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/boxes-project/boxes/traffic/trace"
	"github.com/boxes-project/boxes/workload"
)

// Kind says what a series' values are.
type Kind int

const (
	// Rate values are jobs per second over their interval.
	Rate Kind = iota
	// Count values are jobs in their interval.
	Count
)

func (k Kind) String() string {
	if k == Count {
		return "count"
	}
	return "rate"
}

// MarshalText writes the kind's name, for the report's JSON.
func (k Kind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// Series is traffic at regular intervals: Values[i] covers the interval
// [Start + i·Step, Start + (i+1)·Step), as jobs per second (Rate) or jobs
// in the interval (Count). Start keeps the input's own time of day and
// zone. A Series is a plain value; do not change it while a Trace made from
// it is in use (Trace copies what it needs).
type Series struct {
	Start  time.Time
	Step   time.Duration
	Kind   Kind
	Values []float64
}

// Len is the number of intervals.
func (s *Series) Len() int { return len(s.Values) }

// Time is the start of interval i.
func (s *Series) Time(i int) time.Time { return s.Start.Add(time.Duration(i) * s.Step) }

// End is the end of the last interval.
func (s *Series) End() time.Time { return s.Time(len(s.Values)) }

// Rate is the jobs per second of interval i.
func (s *Series) Rate(i int) float64 {
	if s.Kind == Count {
		return s.Values[i] / s.Step.Seconds()
	}
	return s.Values[i]
}

// Jobs is the number of jobs in all intervals: Σ rate·step.
func (s *Series) Jobs() float64 {
	var n float64
	for i := range s.Values {
		n += s.Rate(i) * s.Step.Seconds()
	}
	return n
}

// Trace converts the series to a workload.Trace whose time 0 is Start: a
// point at the start of each interval with its rate (jobs per second),
// covering [0, Len·Step). With step interpolation the trace's Jobs over an
// interval is the interval's jobs exactly.
func (s *Series) Trace(interp workload.Interpolation, loop bool) (*workload.Trace, error) {
	if len(s.Values) == 0 || s.Step <= 0 {
		return nil, fmt.Errorf("traffic: an empty series makes no trace")
	}
	times := make([]float64, len(s.Values))
	rates := make([]float64, len(s.Values))
	step := s.Step.Seconds()
	for i := range s.Values {
		times[i] = float64(i) * step
		rates[i] = s.Rate(i)
	}
	tr, err := workload.NewTrace(times, rates, float64(len(s.Values))*step, interp, loop)
	if err != nil {
		return nil, fmt.Errorf("traffic: %w", err)
	}
	return tr, nil
}

// Arrivals are jobs one by one, as an access log lists them: Times[i] is
// job i's arrival in seconds from Start (sorted, never decreasing), and
// Latencies[i] its measured time in the server in seconds (nil when the
// log has no request-time field).
type Arrivals struct {
	Start     time.Time
	Times     []float64
	Latencies []float64
}

// JobLog converts the arrivals to a JobLog (times from Start).
func (a *Arrivals) JobLog() *trace.JobLog {
	return &trace.JobLog{Times: a.Times, Latencies: a.Latencies}
}

// Counts bins the arrivals into jobs per interval of bin, from Start
// truncated to bin (in Start's zone, from the zero time), so that bins are
// whole seconds or minutes of the clock.
func (a *Arrivals) Counts(bin time.Duration) *Series {
	start := a.Start.Truncate(bin)
	off := a.Start.Sub(start).Seconds()
	b := bin.Seconds()
	n := 1
	if len(a.Times) > 0 {
		n = int(math.Floor((a.Times[len(a.Times)-1]+off)/b)) + 1
	}
	v := make([]float64, n)
	for _, t := range a.Times {
		v[int(math.Floor((t+off)/b))]++
	}
	return &Series{Start: start, Step: bin, Kind: Count, Values: v}
}

// Report says what a reader read.
type Report struct {
	Format string // the format's name, as the table has it
	Source string // the file name or URL
	Query  string `json:",omitempty"` // the PromQL query, for a live source

	Rows   int       // data rows, samples or log lines read
	Points int       // intervals in the series, after any gaps were filled
	Start  time.Time // the first interval's start
	End    time.Time // the last interval's end
	Step   time.Duration
	Kind   Kind    // what the values were read as
	Jobs   float64 // jobs in the series

	Columns []Column `json:",omitempty"` // which column meant what (CSV formats)
	Series  []string `json:",omitempty"` // the series read (their labels or names); summed when several

	Gaps    []Gap  `json:",omitempty"` // the first maxGapsReported gaps
	NGaps   int    // gaps in all
	Missing int    // intervals missing in all
	Filled  string `json:",omitempty"` // how gaps were filled: zero or interpolate

	Latency *LatencySummary `json:",omitempty"` // measured latencies, when the input has them
	Notes   []string        `json:",omitempty"` // anything else the reader decided
}

// Column is one input column and what it was read as: time, rate, count,
// counter, series, latency or ignored.
type Column struct {
	Index int // from 1
	Name  string
	Role  string
}

// Gap is a run of missing intervals: from the end of the interval before
// it to the start of the one after it.
type Gap struct {
	From, To time.Time
	Missing  int
}

// LatencySummary is the distribution of measured latencies, in seconds:
// nearest-rank quantiles.
type LatencySummary struct {
	N                        int
	Mean, P50, P90, P99, Max float64
}

const maxGapsReported = 10

// Times outside [MinTime, MaxTime] are refused: nanoseconds since 1970
// then fit an int64 with room for sums.
var (
	MinTime = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	MaxTime = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)
)

// String prints the report in a few lines, as the command line shows it.
func (r Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s): %d rows, %d intervals of %v from %s to %s (%v), %.6g jobs as %ss\n",
		r.Source, r.Format, r.Rows, r.Points, r.Step, r.Start.Format(time.RFC3339), r.End.Format(time.RFC3339), r.End.Sub(r.Start), r.Jobs, r.Kind)
	if r.Query != "" {
		fmt.Fprintf(&b, "  query: %s\n", r.Query)
	}
	for _, c := range r.Columns {
		fmt.Fprintf(&b, "  column %d %q: %s\n", c.Index, c.Name, c.Role)
	}
	if len(r.Series) > 0 {
		fmt.Fprintf(&b, "  series: %s\n", strings.Join(r.Series, "; "))
	}
	if r.NGaps > 0 {
		fmt.Fprintf(&b, "  gaps: %d (%d intervals missing), filled with %s", r.NGaps, r.Missing, r.Filled)
		for _, g := range r.Gaps {
			fmt.Fprintf(&b, "; %s to %s", g.From.Format(time.RFC3339), g.To.Format(time.RFC3339))
		}
		b.WriteString("\n")
	}
	if l := r.Latency; l != nil {
		fmt.Fprintf(&b, "  latency of %d jobs: mean %.4gs, p50 %.4gs, p90 %.4gs, p99 %.4gs, max %.4gs\n", l.N, l.Mean, l.P50, l.P90, l.P99, l.Max)
	}
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "  note: %s\n", n)
	}
	return b.String()
}

// Order is what a reader allows of its points' order.
type Order int

const (
	Ascending Order = iota // times must increase
	EitherWay              // all increasing, or all decreasing (newest first)
	AnyOrder               // sorted here (duplicates are still errors)
)

// Builder collects one series' points in input order.
type Builder struct {
	File   string
	Name   string // the series' name or labels, for messages and counter hints
	T      []int64
	V      []float64
	Line   []int // input line (or, with points, point number) of each point, for messages
	Points bool  // line holds point numbers (JSON formats), not lines
	Loc    *time.Location
	Max    int
	Field  string // the time field's name, for messages
}

func (b *Builder) Add(t time.Time, v float64, line int) error {
	if len(b.T) >= b.Max {
		return b.ErrAt(line, "", "more than the limit of %d points", b.Max)
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return b.ErrAt(line, "value", "%g is not finite", v)
	}
	if v < 0 {
		return b.ErrAt(line, "value", "%g is negative (want jobs: 0 or more)", v)
	}
	if t.Before(MinTime) || t.After(MaxTime) {
		return b.ErrAt(line, b.Field, "%s is out of range (want a time between 1900 and 2200)", Clip(t.Format(time.RFC3339)))
	}
	if b.Loc == nil {
		b.Loc = t.Location()
	}
	b.T = append(b.T, t.UnixNano())
	b.V = append(b.V, v)
	b.Line = append(b.Line, line)
	return nil
}

// errAt is an error at a point: its line, or for JSON formats its number.
func (b *Builder) ErrAt(line int, field, format string, args ...any) error {
	if b.Points {
		if field == "" {
			field = b.Field
		}
		return Errorf(b.File, 0, fmt.Sprintf("%s of point %d", field, line), format, args...)
	}
	return Errorf(b.File, line, field, format, args...)
}

// sum adds several builders' points time by time into one (as PromQL's sum
// does: a time any series has is a point; series without a point there add
// nothing).
func SumSeries(file string, bs []*Builder, max int) (*Builder, error) {
	if len(bs) == 1 {
		return bs[0], nil
	}
	at := map[int64]int{}
	out := &Builder{File: file, Max: max, Name: "sum"}
	for _, b := range bs {
		if out.Loc == nil {
			out.Loc = b.Loc
		}
		for i, t := range b.T {
			if j, ok := at[t]; ok {
				out.V[j] += b.V[i]
				continue
			}
			if len(out.T) >= max {
				return nil, Errorf(file, b.Line[i], "", "more than the limit of %d points", max)
			}
			at[t] = len(out.T)
			out.T, out.V, out.Line = append(out.T, t), append(out.V, b.V[i]), append(out.Line, b.Line[i])
		}
	}
	idx := make([]int, len(out.T))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, c int) bool { return out.T[idx[a]] < out.T[idx[c]] })
	s := &Builder{File: file, Max: max, Name: out.Name, Loc: out.Loc, Field: bs[0].Field, Points: bs[0].Points}
	for _, i := range idx {
		s.T, s.V, s.Line = append(s.T, out.T[i]), append(s.V, out.V[i]), append(s.Line, out.Line[i])
	}
	return s, nil
}

// Finish checks the points' order, settles the step, finds and fills gaps,
// checks for a counter read as a rate and makes the series. kind is what
// the format or header says the values are (opt.Value overrides it);
// counterHint is true when the name says counter (a _total metric).
func Finish(b *Builder, ord Order, kind Kind, counterHint bool, opt Options, rep *Report) (*Series, error) {
	n := len(b.T)
	if n == 0 {
		return nil, Errorf(b.File, 0, "", "no data points")
	}
	fail := func(i int, format string, args ...any) error {
		return b.ErrAt(b.Line[i], b.Field, format, args...)
	}
	when := func(i int) string { return time.Unix(0, b.T[i]).In(b.Loc).Format("2006-01-02 15:04:05.999") }
	// Order.
	if n > 1 && ord == EitherWay && b.T[1] < b.T[0] {
		for i := 1; i < n; i++ {
			if b.T[i] >= b.T[i-1] {
				return nil, fail(i, "time %s is not before the previous point's %s (times run newest first from the start, so all must)", when(i), when(i-1))
			}
		}
		slices.Reverse(b.T)
		slices.Reverse(b.V)
		slices.Reverse(b.Line)
		rep.Notes = append(rep.Notes, "points came newest first; read oldest first")
	}
	if ord == AnyOrder && !slices.IsSorted(b.T) {
		idx := make([]int, n)
		for i := range idx {
			idx[i] = i
		}
		sort.SliceStable(idx, func(x, y int) bool { return b.T[idx[x]] < b.T[idx[y]] })
		t, v, l := make([]int64, n), make([]float64, n), make([]int, n)
		for k, i := range idx {
			t[k], v[k], l[k] = b.T[i], b.V[i], b.Line[i]
		}
		b.T, b.V, b.Line = t, v, l
		rep.Notes = append(rep.Notes, "points came out of order; sorted by time")
	}
	for i := 1; i < n; i++ {
		switch {
		case b.T[i] == b.T[i-1]:
			at := "line"
			if b.Points {
				at = "point"
			}
			return nil, fail(i, "time %s repeats (as at %s %d); want one point per time", when(i), at, b.Line[i-1])
		case b.T[i] < b.T[i-1]:
			return nil, fail(i, "time %s is before the previous point's %s; want times in increasing order", when(i), when(i-1))
		}
	}
	// Step: the option, or the most common interval.
	step := int64(opt.Step)
	if step == 0 {
		if n == 1 {
			return nil, fail(0, "one point does not show the interval it covers: set step")
		}
		seen := map[int64]int{}
		for i := 1; i < n; i++ {
			d := b.T[i] - b.T[i-1]
			seen[d]++
			if len(seen) > 64 {
				return nil, fail(i, "more than 64 different intervals between points: the times are not at regular steps")
			}
		}
		best := int64(0)
		for d, c := range seen {
			if c > seen[best] || c == seen[best] && d < best {
				best = d
			}
		}
		step = best
	}
	// Mixed steps and gaps. A tolerance of a millisecond absorbs rounded
	// timestamps.
	const tol = int64(time.Millisecond)
	var gaps []Gap
	missing := make([]int, n) // intervals missing before point i
	total := 0
	for i := 1; i < n; i++ {
		d := b.T[i] - b.T[i-1]
		k := (d + step/2) / step
		if k < 1 || abs64(d-k*step) > tol {
			return nil, fail(i, "%v after the previous point, but the step is %v (mixed steps): want every interval a multiple of the step", time.Duration(d), time.Duration(step))
		}
		if k > 1 {
			missing[i] = int(k - 1)
			total += int(k - 1)
			if total+n > b.Max {
				return nil, fail(i, "filling the gaps makes more than the limit of %d points", b.Max)
			}
			if len(gaps) < maxGapsReported {
				gaps = append(gaps, Gap{From: time.Unix(0, b.T[i-1]+step).In(b.Loc), To: time.Unix(0, b.T[i]).In(b.Loc), Missing: int(k - 1)})
			}
			rep.NGaps++
		}
	}
	rep.Gaps, rep.Missing = gaps, total
	if total > 0 {
		gap := rep.Gaps[0]
		switch opt.Gaps {
		case "zero", "interpolate":
			rep.Filled = opt.Gaps
		default:
			i := 1
			for missing[i] == 0 {
				i++
			}
			return nil, fail(i, "%d gaps (%d intervals of %v missing), the first from %s to %s: set gaps: zero or gaps: interpolate to fill them",
				rep.NGaps, total, time.Duration(step), gap.From.Format("2006-01-02 15:04:05"), gap.To.Format("2006-01-02 15:04:05"))
		}
	}
	vals := make([]float64, 0, n+total)
	for i := range n {
		if m := missing[i]; m > 0 {
			prev, next := b.V[i-1], b.V[i]
			for k := 1; k <= m; k++ {
				v := 0.0
				if opt.Gaps == "interpolate" {
					v = prev + (next-prev)*float64(k)/float64(m+1)
				}
				vals = append(vals, v)
			}
		}
		vals = append(vals, b.V[i])
	}
	// What the values are.
	switch opt.Value {
	case "rate":
		kind = Rate
	case "count":
		kind = Count
	case "counter":
		vals = increases(vals)
		kind = Count
		rep.Notes = append(rep.Notes, "values are a cumulative counter: read its increase per interval (resets start from zero)")
	default:
		if why := looksLikeCounter(vals, counterHint); why != "" {
			return nil, Errorf(b.File, 0, "", "%s looks like a cumulative counter (%s), not jobs per interval: query its rate (like sum(rate(%s[1m]))) or set value: counter",
				Clip(b.Name), why, metricOf(b.Name))
		}
	}
	s := &Series{Start: time.Unix(0, b.T[0]).In(b.Loc), Step: time.Duration(step), Kind: kind, Values: vals}
	rep.Points, rep.Start, rep.End, rep.Step, rep.Kind, rep.Jobs = s.Len(), s.Start, s.End(), s.Step, kind, s.Jobs()
	if math.IsInf(rep.Jobs, 0) {
		return nil, Errorf(b.File, 0, "", "too many jobs to count")
	}
	return s, nil
}

// increases turns a counter's values into its increase per interval: the
// first interval has none (the counter's value before it is unknown), and a
// drop is a reset, after which the counter counts from zero (as PromQL's
// increase reads it).
func increases(vals []float64) []float64 {
	out := make([]float64, len(vals))
	for i := 1; i < len(vals); i++ {
		if d := vals[i] - vals[i-1]; d >= 0 {
			out[i] = d
		} else {
			out[i] = vals[i]
		}
	}
	return out
}

// looksLikeCounter says why values look like a cumulative counter rather
// than a rate or count, or "" when they do not: the name says so (a
// _total metric), or the values never decrease over many points while
// their level dwarfs their change (a counter that ran long before the
// window), or they are beyond any traffic and never decrease.
func looksLikeCounter(v []float64, hint bool) string {
	if hint {
		return "its name ends in _total"
	}
	if len(v) < 3 {
		return ""
	}
	for i := 1; i < len(v); i++ {
		if v[i] < v[i-1] {
			return ""
		}
	}
	lo, hi := v[0], v[len(v)-1]
	switch {
	case hi > 1e9:
		return fmt.Sprintf("it never decreases and reaches %.4g", hi)
	case len(v) >= 20 && hi > lo && lo >= 100*(hi-lo):
		return fmt.Sprintf("it never decreases over %d points, from %.6g to %.6g", len(v), lo, hi)
	}
	return ""
}

// metricOf is the metric name in a series' labels or a column's name, for
// the advice in an error; "metric_total" when there is none.
func metricOf(name string) string {
	for _, f := range strings.FieldsFunc(name, func(r rune) bool {
		return !(r == '_' || r == ':' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
	}) {
		if strings.HasSuffix(f, "_total") || strings.HasSuffix(f, "_count") {
			return f
		}
	}
	return "metric_total"
}

// IsCounterName: a metric name (or a series' labels, or a column's name)
// naming a raw counter, not wrapped in a function that turns it into a
// rate or an increase.
func IsCounterName(name string) bool {
	if name == "" {
		return false
	}
	l := strings.ToLower(name)
	for _, f := range []string{"rate(", "increase(", "delta(", "deriv(", "irate(", "idelta("} {
		if strings.Contains(l, f) {
			return false
		}
	}
	return metricOf(name) != "metric_total" && strings.Contains(metricOf(name), "_total")
}

func abs64(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

// Summarize makes the latency summary (seconds), nil without latencies.
func Summarize(lat []float64) *LatencySummary {
	if len(lat) == 0 {
		return nil
	}
	s := slices.Clone(lat)
	slices.Sort(s)
	q := func(p float64) float64 { // nearest rank: the ⌈p·n⌉-th smallest
		k := int(math.Ceil(p*float64(len(s)))) - 1
		return s[max(k, 0)]
	}
	var sum float64
	for _, x := range s {
		sum += x
	}
	return &LatencySummary{N: len(s), Mean: sum / float64(len(s)), P50: q(0.5), P90: q(0.9), P99: q(0.99), Max: s[len(s)-1]}
}
