// Package trace reads CSV traces whose times are seconds from their start
// (or timestamps made relative to the first row): a rate per interval,
// counts per interval, or one row per job (ReadTrace, ReadJobLog). Its
// column names and time units are package traffic's (internal/colname);
// dated CSV, Prometheus, Grafana, CloudWatch and access logs are package
// traffic's.
package trace

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/boxes-project/boxes"
	"github.com/boxes-project/boxes/internal/bounded"
	"github.com/boxes-project/boxes/traffic/internal/colname"
	"github.com/boxes-project/boxes/workload"
)

// Layout says what the rows of a trace file hold.
type Layout int

const (
	// DetectLayout reads the layout from the header's column names.
	DetectLayout Layout = iota
	// RateLayout holds a rate per timestamp: columns time, rate. Each rate
	// holds (step) or moves in a line (linear) to the next row's; the last
	// holds as long as the interval before it.
	RateLayout
	// CountLayout holds counts per interval: columns time, count, where a
	// row's count covers [its time, the next row's time) and the last row's
	// interval is as long as the one before; or columns start, end, count,
	// with gaps between rows counted as no jobs. The rate of an interval is
	// its count over its length; with step interpolation the trace's Jobs
	// over each interval is its count exactly.
	CountLayout
	// JobLayout holds one timestamp per job: a time column (and optionally
	// a latency column, which ReadJobLog returns and ReadTrace ignores).
	// ReadTrace bins the jobs into counts per TraceOptions.Bin seconds.
	JobLayout
)

var layoutNames = []string{"auto", "rate", "count", "jobs"}

func (l Layout) String() string {
	if l >= 0 && int(l) < len(layoutNames) {
		return layoutNames[l]
	}
	return fmt.Sprintf("Layout(%d)", int(l))
}

// ParseLayout reads a layout's name: "auto" (or ""), "rate", "count" or
// "jobs", as a command-line flag gives it.
func ParseLayout(s string) (Layout, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "auto", "detect":
		return DetectLayout, nil
	case "rate", "rates":
		return RateLayout, nil
	case "count", "counts":
		return CountLayout, nil
	case "job", "jobs":
		return JobLayout, nil
	}
	return 0, fmt.Errorf("traffic: unknown trace layout %s (want auto, rate, count or jobs)", boxes.Quote(s))
}

// TraceOptions say how to read a trace file. The zero value detects the
// layout from the header, holds each rate until the next row (step), does
// not loop, and bins job timestamps per second.
type TraceOptions struct {
	Layout        Layout                 // DetectLayout reads it from the header
	Interpolation workload.Interpolation // between the rows' rates
	Loop          bool                   // repeat the trace forever
	Bin           float64                // seconds per bin for JobLayout; 0 means 1
	// MaxRows is the most data rows to read before refusing the file
	// (issue 11: a FIFO of valid rows without end); 0 means MaxTraceRows.
	MaxRows int
	// MaxBytes is the most bytes to read; 0 means MaxTraceBytes.
	MaxBytes int64
}

// MaxTraceRows is the most data rows a trace file may have: ten million, a
// day of one-second rates a hundred times over, or a day's job log at
// 115 jobs/s; about 160 MB of points.
const MaxTraceRows = 10_000_000

// MaxTraceRate is the highest rate a trace may have, in jobs per second: a
// trillion, beyond any real traffic, and low enough that the jobs of a
// looping trace over any sensible span stay finite.
const MaxTraceRate = 1e12

// minTraceGap is how far apart (in seconds) the times of consecutive rows of
// a rate or count file must be: a nanosecond, the resolution of RFC 3339
// timestamps and of time_ns columns.
const minTraceGap = 1e-9

// MaxTraceBytes is the most bytes a trace file may have: a gigabyte, room
// for MaxTraceRows rows of a hundred bytes. Past it, or past a line of
// MaxLineBytes, reading stops with an error: /dev/zero or a FIFO that never
// ends cannot grow memory without bound.
const MaxTraceBytes = 1 << 30

// MaxLineBytes is the longest line a trace file may have: 64 KiB, far more
// than a row of a few numbers needs.
const MaxLineBytes = 64 << 10

// maxTraceRows and maxTraceBytes are MaxTraceRows and MaxTraceBytes,
// lowered by tests.
var (
	maxTraceRows        = MaxTraceRows
	maxTraceBytes int64 = MaxTraceBytes
)

// fieldName is a header cell as a TraceError's Field: as it is, or quoted
// and cut (boxes.Quote) when longer than boxes.QuoteLimit.
func fieldName(cell string) string {
	cell = strings.TrimSpace(cell)
	if len(cell) > boxes.QuoteLimit {
		return boxes.Quote(cell)
	}
	return cell
}

// TraceError is a trace file that did not read: the file, the line (from
// 1), the column (the field's position in its row, from 1; or for a CSV
// syntax error the character position encoding/csv reports) and the
// column's name. Line and Column are 0 when the error is about the whole
// file or the whole line. It prints like a compiler's error:
//
//	trace.csv:12:2: rate: "abc" is not a number
type TraceError struct {
	File   string
	Line   int
	Column int
	Field  string
	Err    error
}

func (e *TraceError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
		if e.Column > 0 {
			fmt.Fprintf(&b, ":%d", e.Column)
		}
	}
	b.WriteString(": ")
	if e.Field != "" {
		b.WriteString(e.Field + ": ")
	}
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *TraceError) Unwrap() error { return e.Err }

// JobLog is a per-job trace: when each job arrived and, when the file has a
// latency column, how long it took. For a per-job engine to replay.
type JobLog struct {
	Times     []float64 // seconds from the first job, in file order, never decreasing
	Latencies []float64 // seconds, one per job; nil without a latency column
}

// ReadTrace reads a CSV trace (name is the file name used in errors) into
// a Trace whose time 0 is the first row's time.
//
// The first row is a header when it holds names rather than a time. Names
// are matched without regard to case, with any run of characters other than
// letters and digits read as "_" ("Rate (per min)" is rate_per_min):
//
//	time      time, t, timestamp, ts, date, datetime, epoch, arrival, arrival_time
//	start     start, from, begin, start_time, interval_start
//	end       end, to, until, stop, end_time, interval_end
//	rate      rate, jobrate, job_rate, arrival_rate, request_rate; rps and qps
//	          (per second), rpm (per minute); or any count name followed by
//	          _per_<unit> (jobs_per_min, requests_per_second)
//	count     count, counts, jobs, requests, arrivals, hits, events, n
//	latency   latency, response_time, service_time, duration, elapsed
//
// Time, start, end and latency names take a unit suffix (time_ms,
// time_in_ms, latency_ms) and rate names a per-unit one (rate_per_min,
// rate_min, rate_s); units are ns, us, ms, s, min (or m), h and d with their
// long forms. Without a suffix times are in seconds and rates per second.
// The layout is the one the columns name: a rate column makes a RateLayout,
// a count column a CountLayout, a lone time column a JobLayout. Without a
// header, opt.Layout says what the columns are, in the orders above (time,
// rate; time, count or start, end, count; time or time, latency); left to
// DetectLayout, one column is a job log and three are start, end, count.
//
// Times are numbers (in the header's unit), RFC 3339 timestamps
// ("2025-07-15T14:00:00Z"; a space for the T is fine), or durations that
// boxes.ParseDuration reads ("1h30m"); a file's times are all timestamps or
// none are. Rates are numbers in the header's unit, with an optional SI
// prefix ("2.4k"), or carry their own unit ("40/s", "2.4k/min"; see
// boxes.ParseRate). Counts are numbers ≥ 0 ("1.2k" is fine). Lines starting
// with # are comments; blank lines are skipped.
//
// Times must increase from row to row (job times may repeat). Any error is
// a *TraceError naming the file, line, column and field.
func ReadTrace(r io.Reader, name string, opt TraceOptions) (*workload.Trace, error) {
	tr, _, err := ReadTraceLog(r, name, opt)
	return tr, err
}

// ReadTraceLog is ReadTrace that also returns the job log when the file is
// one (its layout, given or detected, is JobLayout), else nil: both from
// one read, as a file that can be read only once (a FIFO) needs.
func ReadTraceLog(r io.Reader, name string, opt TraceOptions) (*workload.Trace, *JobLog, error) {
	if err := checkOptions(opt); err != nil {
		return nil, nil, err
	}
	rows, err := readRows(r, name, opt.Layout, opt.MaxRows, opt.MaxBytes)
	if err != nil {
		return nil, nil, err
	}
	times, rates, end, err := rows.points(opt)
	if err != nil {
		return nil, nil, err
	}
	tr, err := workload.NewTrace(times, rates, end, opt.Interpolation, opt.Loop)
	if err != nil {
		return nil, nil, &TraceError{File: rows.file, Err: err}
	}
	var log *JobLog
	if rows.layout == JobLayout {
		log = &JobLog{Times: rows.time, Latencies: rows.latency}
	}
	return tr, log, nil
}

// ReadJobLog reads a job log (JobLayout; see ReadTrace for the columns and
// formats): one row per job, its time and optionally its latency.
func ReadJobLog(r io.Reader, name string, opt TraceOptions) (*JobLog, error) {
	if opt.Layout != DetectLayout && opt.Layout != JobLayout {
		return nil, fmt.Errorf("traffic: a job log has the jobs layout, not %s", opt.Layout)
	}
	rows, err := readRows(r, name, JobLayout, opt.MaxRows, opt.MaxBytes)
	if err != nil {
		return nil, err
	}
	return &JobLog{Times: rows.time, Latencies: rows.latency}, nil
}

func checkOptions(opt TraceOptions) error {
	if opt.Layout < DetectLayout || opt.Layout > JobLayout {
		return fmt.Errorf("traffic: unknown trace layout %d", opt.Layout)
	}
	if opt.Interpolation != workload.StepInterpolation && opt.Interpolation != workload.LinearInterpolation {
		return fmt.Errorf("traffic: unknown interpolation %d", opt.Interpolation)
	}
	if opt.Bin != 0 && !(opt.Bin >= 1e-6) || math.IsInf(opt.Bin, 0) {
		return fmt.Errorf("traffic: trace bin %gs must be at least 1µs, and finite (0 means 1 s)", opt.Bin)
	}
	return nil
}

// role is what a column holds.
type role int

const (
	roleTime role = iota
	roleStart
	roleEnd
	roleRate
	roleCount
	roleLatency
	nRoles
)

var roleNames = [nRoles]string{"time", "start", "end", "rate", "count", "latency"}

var roleBases = map[string]role{
	"time": roleTime, "t": roleTime, "timestamp": roleTime, "ts": roleTime, "date": roleTime,
	"datetime": roleTime, "epoch": roleTime, "arrival": roleTime, "arrival_time": roleTime,
	"start": roleStart, "from": roleStart, "begin": roleStart, "start_time": roleStart, "interval_start": roleStart,
	"end": roleEnd, "to": roleEnd, "until": roleEnd, "stop": roleEnd, "end_time": roleEnd, "interval_end": roleEnd,
	"rate": roleRate, "jobrate": roleRate, "job_rate": roleRate, "arrival_rate": roleRate, "request_rate": roleRate,
	"count": roleCount, "counts": roleCount, "jobs": roleCount, "requests": roleCount, "arrivals": roleCount,
	"hits": roleCount, "events": roleCount, "n": roleCount,
	"latency": roleLatency, "response_time": roleLatency, "service_time": roleLatency, "duration": roleLatency,
	"elapsed": roleLatency,
}

// column is a header cell read: its role and its unit (seconds per unit
// for times and latencies; per-second factor for rates).
type column struct {
	role   role
	factor float64
}

// parseColumn reads a header name.
func parseColumn(name string) (column, bool) {
	n := colname.Normalize(name)
	switch n {
	case "rps", "qps":
		return column{roleRate, 1}, true
	case "rpm":
		return column{roleRate, 1.0 / 60}, true
	}
	if r, ok := roleBases[n]; ok {
		return column{r, 1}, true
	}
	// Longest base first, so that "arrival_time_ms" is arrival_time in ms.
	for cut := len(n) - 1; cut > 0; cut-- {
		if n[cut] != '_' {
			continue
		}
		r, ok := roleBases[n[:cut]]
		if !ok {
			continue
		}
		rest := n[cut+1:]
		per := false
		if u, ok := strings.CutPrefix(rest, "per_"); ok {
			rest, per = u, true
		} else if u, ok := strings.CutPrefix(rest, "in_"); ok {
			rest = u
		}
		unit, ok := colname.SecondsPer[rest]
		if !ok {
			return column{}, false
		}
		switch {
		case r == roleCount && per, r == roleRate:
			return column{roleRate, 1 / unit}, true
		case r == roleCount:
			return column{}, false
		case per:
			return column{}, false
		}
		return column{r, unit}, true
	}
	return column{}, false
}

// rows is a trace file read and checked, before it becomes a Trace: one
// slice per column present, times relative to the first row's.
type rows struct {
	file    string
	layout  Layout
	lines   []int // line of each row
	time    []float64
	end     []float64 // with start, end, count
	value   []float64 // rate or count
	latency []float64
	cols    [nRoles]int // field number (from 1) of each role, 0 if absent
}

// reader holds the state of reading one file.
type reader struct {
	file string
	csv  *csv.Reader
	cols [nRoles]int     // field number (from 1) of each role, 0 if absent
	fac  [nRoles]float64 // each column's unit
	// The row being read.
	rec  []string
	line int
	// The first row's time: a timestamp, or seconds.
	stamp   bool
	t0      time.Time
	s0      float64
	started bool
	// prevTime and prevEnd are the previous row's time and end cells as
	// written, for messages: the file's own times, not shifted ones.
	prevTime, prevEnd string
	prevCell          string
}

// fail is an error in column r of the current row.
func (rd *reader) fail(r role, format string, args ...any) *TraceError {
	return &TraceError{File: rd.file, Line: rd.line, Column: rd.cols[r], Field: roleNames[r], Err: fmt.Errorf(format, args...)}
}

// headerFail is an error in column col of the header.
func (rd *reader) headerFail(col int, r role, format string, args ...any) *TraceError {
	return &TraceError{File: rd.file, Line: rd.line, Column: col, Field: roleNames[r], Err: fmt.Errorf(format, args...)}
}

// cell is the trimmed text of column r of the current row.
func (rd *reader) cell(r role) string { return strings.TrimSpace(rd.rec[rd.cols[r]-1]) }

func readRows(r io.Reader, name string, layout Layout, limit int, maxBytes int64) (*rows, error) {
	if name == "" {
		name = "<input>"
	}
	if limit <= 0 || limit > maxTraceRows {
		limit = maxTraceRows
	}
	if maxBytes <= 0 || maxBytes > maxTraceBytes {
		maxBytes = maxTraceBytes
	}
	br := bufio.NewReader(bounded.NewReader(r, maxBytes, MaxLineBytes))
	if bom, _ := br.Peek(3); string(bom) == "\ufeff" {
		br.Discard(3) // a byte-order mark, as spreadsheets write
	}
	rd := &reader{file: name, csv: csv.NewReader(br)}
	rd.csv.Comment = '#'
	rd.csv.FieldsPerRecord = -1
	rd.csv.TrimLeadingSpace = true
	rd.csv.ReuseRecord = true

	first, err := rd.read()
	if err == io.EOF {
		return nil, &TraceError{File: name, Err: errors.New("empty file: no header and no rows")}
	}
	if err != nil {
		return nil, err
	}
	line, _ := rd.csv.FieldPos(0)
	header := isHeader(first)
	if header {
		layout, err = rd.header(first, line, layout)
	} else {
		layout, err = rd.positional(len(first), line, layout)
	}
	if err != nil {
		return nil, err
	}
	out := &rows{file: name, layout: layout, cols: rd.cols}
	width := 0
	for _, c := range rd.cols {
		width = max(width, c)
	}
	if !header {
		if err := rd.row(out, first, width); err != nil {
			return nil, err
		}
	}
	for {
		rec, err := rd.read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if len(out.lines) == limit {
			line, _ := rd.csv.FieldPos(0)
			return nil, &TraceError{File: name, Line: line, Err: fmt.Errorf("more than %d rows (the limit; raise it with the trace's max_rows, or use a coarser trace)", limit)}
		}
		if err := rd.row(out, rec, width); err != nil {
			return nil, err
		}
	}
	if len(out.lines) == 0 {
		return nil, &TraceError{File: name, Err: errors.New("no data rows after the header")}
	}
	return out, nil
}

// read reads a record, turning CSV syntax errors into TraceErrors.
func (rd *reader) read() ([]string, error) {
	rec, err := rd.csv.Read()
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return nil, &TraceError{File: rd.file, Line: pe.Line, Column: pe.Column, Err: pe.Err}
	}
	var le *bounded.LimitError
	if errors.As(err, &le) {
		return nil, &TraceError{File: rd.file, Line: le.Line, Err: le}
	}
	if err != nil && err != io.EOF {
		return nil, &TraceError{File: rd.file, Err: err}
	}
	return rec, err
}

// isHeader: a first row is a header unless its first cell is a time, or
// any cell names a column.
func isHeader(rec []string) bool {
	for _, c := range rec {
		if _, ok := parseColumn(c); ok {
			return true
		}
	}
	_, _, ok := parseTime(strings.TrimSpace(rec[0]))
	return !ok
}

// header reads the header's names and settles the layout.
func (rd *reader) header(rec []string, line int, layout Layout) (Layout, error) {
	rd.line = line
	for i, cell := range rec {
		c, ok := parseColumn(cell)
		if !ok {
			return 0, &TraceError{File: rd.file, Line: line, Column: i + 1, Field: fieldName(cell),
				Err: errors.New("unknown column (want time, rate, count, start, end or latency, with units like time_ms or rate_per_min)")}
		}
		if prev := rd.cols[c.role]; prev != 0 {
			return 0, rd.headerFail(i+1, c.role, "a second %s column (the first is column %d)", roleNames[c.role], prev)
		}
		rd.cols[c.role], rd.fac[c.role] = i+1, c.factor
	}
	has := func(r role) bool { return rd.cols[r] != 0 }
	if layout == DetectLayout {
		switch {
		case has(roleRate) && has(roleCount):
			return 0, rd.headerFail(rd.cols[roleCount], roleCount, "a count column beside a rate column: keep one")
		case has(roleRate):
			layout = RateLayout
		case has(roleCount):
			layout = CountLayout
		default:
			layout = JobLayout
		}
	}
	// Columns the layout does not use.
	allowed := map[Layout][]role{
		RateLayout:  {roleTime, roleRate},
		CountLayout: {roleTime, roleStart, roleEnd, roleCount},
		JobLayout:   {roleTime, roleLatency},
	}[layout]
	for r := range nRoles {
		if has(r) && !contains(allowed, r) {
			return 0, rd.headerFail(rd.cols[r], r, "a %s column does not belong in a %s trace", roleNames[r], layout)
		}
	}
	// Columns the layout needs.
	missing := func(r role) error {
		return &TraceError{File: rd.file, Line: line, Err: fmt.Errorf("no %s column in a %s trace", roleNames[r], layout)}
	}
	switch layout {
	case RateLayout:
		if !has(roleTime) {
			return 0, missing(roleTime)
		}
		if !has(roleRate) {
			return 0, missing(roleRate)
		}
	case CountLayout:
		if !has(roleCount) {
			return 0, missing(roleCount)
		}
		switch {
		case has(roleStart) != has(roleEnd):
			return 0, &TraceError{File: rd.file, Line: line, Err: errors.New("counts per interval need both a start and an end column, or a time column")}
		case has(roleStart) && has(roleTime):
			return 0, rd.headerFail(rd.cols[roleTime], roleTime, "a time column beside start and end: keep one")
		case !has(roleStart) && !has(roleTime):
			return 0, missing(roleTime)
		}
	case JobLayout:
		if !has(roleTime) {
			return 0, missing(roleTime)
		}
	}
	return layout, nil
}

func contains(rs []role, r role) bool {
	for _, x := range rs {
		if x == r {
			return true
		}
	}
	return false
}

// positional sets the columns of a file without a header.
func (rd *reader) positional(n, line int, layout Layout) (Layout, error) {
	if layout == DetectLayout {
		switch n {
		case 1:
			layout = JobLayout
		case 3:
			layout = CountLayout
		default:
			return 0, &TraceError{File: rd.file, Line: line, Err: fmt.Errorf("%d columns and no header: name the columns (like time,rate or time,count) or give the layout", n)}
		}
	}
	var order []role
	switch {
	case layout == RateLayout && n == 2:
		order = []role{roleTime, roleRate}
	case layout == CountLayout && n == 2:
		order = []role{roleTime, roleCount}
	case layout == CountLayout && n == 3:
		order = []role{roleStart, roleEnd, roleCount}
	case layout == JobLayout && n == 1:
		order = []role{roleTime}
	case layout == JobLayout && n == 2:
		order = []role{roleTime, roleLatency}
	default:
		return 0, &TraceError{File: rd.file, Line: line, Err: fmt.Errorf("%d columns and no header do not make a %s trace (want %s)", n, layout,
			map[Layout]string{RateLayout: "time,rate", CountLayout: "time,count or start,end,count", JobLayout: "time or time,latency"}[layout])}
	}
	for i, r := range order {
		rd.cols[r], rd.fac[r] = i+1, 1
	}
	return layout, nil
}

// row reads one data row into out.
func (rd *reader) row(out *rows, rec []string, width int) error {
	rd.rec = rec
	rd.line, _ = rd.csv.FieldPos(0)
	if len(rec) != width {
		return &TraceError{File: rd.file, Line: rd.line, Err: fmt.Errorf("%d fields, want %d like the first row", len(rec), width)}
	}
	k := len(out.lines)
	if rd.cols[roleTime] != 0 {
		t, err := rd.time(roleTime)
		if err != nil {
			return err
		}
		if k > 0 {
			prev, cell, was := out.time[k-1], rd.timeWord(roleTime), rd.prevTime
			if out.layout == JobLayout && t < prev {
				return rd.fail(roleTime, "%s is before the previous row's %s (jobs must be in order of time)", cell, was)
			}
			if out.layout != JobLayout && t == prev && rd.cell(roleTime) != rd.prevCell {
				return rd.fail(roleTime, "%s and the previous row's %s are too close to tell apart %gs from the first row's time (times keep about 16 significant digits): count from a nearer origin", cell, was, t)
			}
			if out.layout != JobLayout && !(t > prev) {
				return rd.fail(roleTime, "%s does not come after the previous row's %s", cell, was)
			}
			// A nanosecond apart as written may round to a hair less in
			// float64 (1.000000001 − 1): allow the rounding.
			if out.layout != JobLayout && t-prev < minTraceGap*(1-1e-6) {
				return rd.fail(roleTime, "%s is less than a nanosecond after the previous row's %s", cell, was)
			}
		}
		rd.prevTime, rd.prevCell = rd.timeWord(roleTime), rd.cell(roleTime)
		out.time = append(out.time, t)
	} else { // start, end
		s, err := rd.time(roleStart)
		if err != nil {
			return err
		}
		e, err := rd.time(roleEnd)
		if err != nil {
			return err
		}
		if !(e > s) {
			return rd.fail(roleEnd, "%s does not come after the start %s", rd.timeWord(roleEnd), rd.timeWord(roleStart))
		}
		if e-s < minTraceGap*(1-1e-6) {
			return rd.fail(roleEnd, "%s is less than a nanosecond after the start %s", rd.timeWord(roleEnd), rd.timeWord(roleStart))
		}
		if k > 0 && s < out.end[k-1] {
			return rd.fail(roleStart, "%s is before the previous row's end %s (intervals overlap)", rd.timeWord(roleStart), rd.prevEnd)
		}
		rd.prevEnd = rd.timeWord(roleEnd)
		out.time = append(out.time, s)
		out.end = append(out.end, e)
	}
	if rd.cols[roleRate] != 0 {
		v, err := rd.rate()
		if err != nil {
			return err
		}
		out.value = append(out.value, v)
	}
	if rd.cols[roleCount] != 0 {
		v, err := rd.count()
		if err != nil {
			return err
		}
		out.value = append(out.value, v)
	}
	if rd.cols[roleLatency] != 0 {
		v, err := rd.latency()
		if err != nil {
			return err
		}
		out.latency = append(out.latency, v)
	}
	out.lines = append(out.lines, rd.line)
	return nil
}

// timeWord is column r's cell as the file writes it, for a message: a
// number of seconds with its "s", anything else as written, at most 40
// characters.
func (rd *reader) timeWord(r role) string {
	c := rd.cell(r)
	if len(c) > 40 {
		c = c[:40] + "…"
	}
	if _, err := strconv.ParseFloat(c, 64); err == nil && rd.fac[r] == 1 {
		return c + "s"
	}
	return c
}

// time reads column r (time, start or end) of the current row, in seconds
// from the first row's time.
func (rd *reader) time(r role) (float64, error) {
	s := rd.cell(r)
	if s == "" {
		return 0, rd.fail(r, "empty")
	}
	stamp, secs, ok := parseTime(s)
	if !ok {
		return 0, rd.fail(r, "%s is not a time (a number of seconds, an RFC 3339 timestamp or a duration like 1h30m)", boxes.Quote(s))
	}
	isStamp := !stamp.IsZero()
	if !isStamp {
		secs *= rd.fac[r]
		if math.IsNaN(secs) || math.IsInf(secs, 0) {
			return 0, rd.fail(r, "%s is not finite", boxes.Quote(s))
		}
	}
	if !rd.started {
		rd.started, rd.stamp, rd.t0, rd.s0 = true, isStamp, stamp, secs
	}
	if rd.stamp != isStamp {
		if rd.stamp {
			return 0, rd.fail(r, "%s is not a timestamp like the first row's", boxes.Quote(s))
		}
		return 0, rd.fail(r, "%s is a timestamp, but the first row's time is not", boxes.Quote(s))
	}
	var t float64
	if rd.stamp {
		t = float64(stamp.Unix()-rd.t0.Unix()) + float64(stamp.Nanosecond()-rd.t0.Nanosecond())*1e-9
	} else {
		t = secs - rd.s0
	}
	if math.IsInf(t, 0) {
		return 0, rd.fail(r, "%s is too far from the first row's time", boxes.Quote(s))
	}
	return t, nil
}

// parseTime reads a number, an RFC 3339 timestamp or a duration. A number
// or duration comes back in secs (a number is in the column's unit), a
// timestamp as stamp. Numbers out of float64's range come back as ±Inf.
func parseTime(s string) (stamp time.Time, secs float64, ok bool) {
	if v, err := strconv.ParseFloat(s, 64); err == nil || errors.Is(err, strconv.ErrRange) {
		return time.Time{}, v, true
	}
	if len(s) >= 20 && s[4] == '-' && s[7] == '-' {
		if s[10] == ' ' {
			s = s[:10] + "T" + s[11:]
		}
		if ts, err := time.Parse(time.RFC3339Nano, s); err == nil && !ts.IsZero() {
			return ts, 0, true
		}
		return time.Time{}, 0, false
	}
	if d, err := boxes.ParseDuration(s); err == nil {
		return time.Time{}, d.Seconds(), true
	}
	return time.Time{}, 0, false
}

// rate reads the rate of the current row in jobs per second: a number in
// the column's unit, or a rate with its own unit.
func (rd *reader) rate() (float64, error) {
	s := rd.cell(roleRate)
	if s == "" {
		return 0, rd.fail(roleRate, "empty")
	}
	v, err := strconv.ParseFloat(s, 64)
	switch {
	case err == nil:
		v *= rd.fac[roleRate]
	case errors.Is(err, strconv.ErrRange):
		return 0, rd.fail(roleRate, "%s is out of range", boxes.Quote(s))
	default:
		if strings.HasPrefix(s, "-") { // boxes.ParseRate refuses it with its own words
			return 0, rd.fail(roleRate, "%s is negative", boxes.Quote(s))
		}
		r, perr := boxes.ParseRate(s)
		if perr != nil {
			return 0, rd.fail(roleRate, "%s is not a number", boxes.Quote(s))
		}
		v = float64(r)
		if !hasOwnUnit(s) {
			v *= rd.fac[roleRate] // "2.4k" in a per-minute column
		}
	}
	if err := rd.checkAmount(roleRate, s, v); err != nil {
		return 0, err
	}
	if v > MaxTraceRate {
		return 0, rd.fail(roleRate, "%s is above the limit of %g jobs/s", boxes.Quote(s), MaxTraceRate)
	}
	return v, nil
}

// hasOwnUnit reports whether a rate says what it is per ("40/s", "3rps").
func hasOwnUnit(s string) bool {
	l := strings.ToLower(s)
	return strings.Contains(l, "/") || strings.HasSuffix(l, "rps") || strings.HasSuffix(l, "qps")
}

// count reads the count of the current row: a number, maybe with an SI
// prefix ("1.2k").
func (rd *reader) count() (float64, error) {
	s := rd.cell(roleCount)
	if s == "" {
		return 0, rd.fail(roleCount, "empty")
	}
	v, err := strconv.ParseFloat(s, 64)
	switch {
	case errors.Is(err, strconv.ErrRange):
		return 0, rd.fail(roleCount, "%s is out of range", boxes.Quote(s))
	case err != nil:
		if hasOwnUnit(s) {
			return 0, rd.fail(roleCount, "%s is a rate; a count is a number of jobs", boxes.Quote(s))
		}
		r, perr := boxes.ParseRate(s)
		if perr != nil {
			return 0, rd.fail(roleCount, "%s is not a number", boxes.Quote(s))
		}
		v = float64(r)
	}
	return v, rd.checkAmount(roleCount, s, v)
}

// latency reads the latency of the current row in seconds: a number in the
// column's unit, or a duration ("200ms").
func (rd *reader) latency() (float64, error) {
	s := rd.cell(roleLatency)
	if s == "" {
		return 0, rd.fail(roleLatency, "empty")
	}
	v, err := strconv.ParseFloat(s, 64)
	switch {
	case err == nil:
		v *= rd.fac[roleLatency]
	case errors.Is(err, strconv.ErrRange):
		return 0, rd.fail(roleLatency, "%s is out of range", boxes.Quote(s))
	default:
		d, derr := boxes.ParseDuration(s)
		if derr != nil {
			return 0, rd.fail(roleLatency, "%s is not a number or a duration like 200ms", boxes.Quote(s))
		}
		v = d.Seconds()
	}
	return v, rd.checkAmount(roleLatency, s, v)
}

func (rd *reader) checkAmount(r role, s string, v float64) error {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return rd.fail(r, "%s is not finite", boxes.Quote(s))
	case v < 0:
		return rd.fail(r, "%s is negative", boxes.Quote(s))
	}
	return nil
}

// points turns the rows into a trace's times, rates and end.
func (rs *rows) points(opt TraceOptions) (times, rates []float64, end float64, err error) {
	n := len(rs.lines)
	fail := func(i int, r role, format string, args ...any) error {
		return &TraceError{File: rs.file, Line: rs.lines[i], Column: rs.cols[r], Field: roleNames[r], Err: fmt.Errorf(format, args...)}
	}
	switch {
	case rs.layout == JobLayout:
		return rs.bins(opt)
	case rs.end != nil: // start, end, count
		for i := range n {
			if i > 0 && rs.time[i] > rs.end[i-1] { // a gap: no jobs
				times, rates = append(times, rs.end[i-1]), append(rates, 0)
			}
			rate := rs.value[i] / (rs.end[i] - rs.time[i])
			if rate > MaxTraceRate {
				return nil, nil, 0, fail(i, roleCount, "%g jobs in %gs is above the limit of %g jobs/s", rs.value[i], rs.end[i]-rs.time[i], MaxTraceRate)
			}
			times, rates = append(times, rs.time[i]), append(rates, rate)
		}
		return times, rates, rs.end[n-1], nil
	}
	if n < 2 {
		return nil, nil, 0, &TraceError{File: rs.file, Line: rs.lines[0], Err: fmt.Errorf("one row: a %s trace needs two, since the last row lasts as long as the interval before it", rs.layout)}
	}
	end = rs.time[n-1] + (rs.time[n-1] - rs.time[n-2])
	if math.IsInf(end, 0) {
		return nil, nil, 0, fail(n-1, roleTime, "the trace ends too far away")
	}
	if rs.layout == RateLayout {
		return rs.time, rs.value, end, nil
	}
	rates = make([]float64, n)
	for i := range n {
		next := end
		if i+1 < n {
			next = rs.time[i+1]
		}
		rates[i] = rs.value[i] / (next - rs.time[i])
		if rates[i] > MaxTraceRate {
			return nil, nil, 0, fail(i, roleCount, "%g jobs in %gs is above the limit of %g jobs/s", rs.value[i], next-rs.time[i], MaxTraceRate)
		}
	}
	return rs.time, rates, end, nil
}

// bins counts jobs per bin (rate = count / bin, a point at each bin's
// start). Runs of empty bins take one point (two with linear
// interpolation, so that the rate stays at zero until the bin before the
// next job's), so a sparse log over a long span stays small.
func (rs *rows) bins(opt TraceOptions) (times, rates []float64, end float64, err error) {
	bin := opt.Bin
	if bin == 0 {
		bin = 1
	}
	last := rs.time[len(rs.time)-1]
	if last/bin >= 1<<52 {
		return nil, nil, 0, &TraceError{File: rs.file, Line: rs.lines[len(rs.lines)-1], Column: rs.cols[roleTime], Field: "time",
			Err: fmt.Errorf("%gs from the first job is too many bins of %gs", last, bin)}
	}
	prev := -1.0 // the last bin with jobs
	for i := 0; i < len(rs.time); {
		b := math.Floor(rs.time[i] / bin)
		c := 0
		for ; i < len(rs.time) && math.Floor(rs.time[i]/bin) == b; i++ {
			c++
		}
		if b > prev+1 { // empty bins prev+1 … b−1
			times, rates = append(times, (prev+1)*bin), append(rates, 0)
			if opt.Interpolation == workload.LinearInterpolation && b-1 > prev+1 {
				times, rates = append(times, (b-1)*bin), append(rates, 0)
			}
		}
		if r := float64(c) / bin; r > MaxTraceRate {
			return nil, nil, 0, &TraceError{File: rs.file, Line: rs.lines[i-1], Column: rs.cols[roleTime], Field: "time",
				Err: fmt.Errorf("%d jobs in a bin of %gs is above the limit of %g jobs/s", c, bin, MaxTraceRate)}
		}
		times, rates = append(times, b*bin), append(rates, float64(c)/bin)
		prev = b
	}
	return times, rates, (prev + 1) * bin, nil
}
