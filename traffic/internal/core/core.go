// Package core is what traffic's format readers share: the options and
// limits (Options, Limits), the result (Result, Series, Report), the error
// every reader returns (Error: file:line:col: field: what), the bounded
// input (Input, Open) and the Builder that turns points into a checked,
// regular series (Builder, Finish). Package traffic re-exports its public
// types; the readers (traffic/internal/prometheus, cloudwatch, accesslog,
// csv) build on it.
package core

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// Options say how to read traffic. The zero value detects the format, reads
// the value's meaning from the header (or the format), refuses gaps, reads
// times without a zone as UTC and bins access logs per second.
type Options struct {
	// Format is the format's name, or "auto" (or "") to detect it.
	Format string `yaml:"format" default:"auto" enum:"auto,prometheus,cloudwatch,access_log,grafana,csv" doc:"format of the traffic file; auto detects it from the content"`
	// TimeColumn names the column holding the times (its header name, or
	// its position from 1), when the header does not say.
	TimeColumn string `yaml:"time_column" doc:"column holding the times (name or position from 1) when the header does not say"`
	// ValueColumn names the column holding the rates or counts.
	ValueColumn string `yaml:"value_column" doc:"column holding the rates or counts (name or position from 1) when the header does not say"`
	// Value says what the values are: jobs per second (rate), jobs per
	// interval (count), or a cumulative counter whose increase per interval
	// is the count (counter). auto reads it from the header or the format.
	Value string `yaml:"value" default:"auto" enum:"auto,rate,count,counter" doc:"what the values are: jobs/s (rate), jobs per interval (count) or a cumulative counter"`
	// Sum adds several series into one (as PromQL's sum would); without it
	// several series are an error listing them.
	Sum bool `yaml:"sum" default:"false" doc:"add several series into one instead of refusing them"`
	// Gaps says what a missing interval becomes: an error, no jobs (zero)
	// or the straight line between its neighbours (interpolate).
	Gaps string `yaml:"gaps" default:"error" enum:"error,zero,interpolate" doc:"what a missing interval becomes: an error, zero jobs, or the line between its neighbours"`
	// Step is the interval between points when the input does not show it
	// (a single point, a CloudWatch period); 0 reads it from the times.
	Step time.Duration `yaml:"step" default:"0s" min:"0s" doc:"interval between points when the input does not show it (0 reads it from the times)"`
	// Bin is the interval access-log arrivals are counted over.
	Bin time.Duration `yaml:"bin" default:"1s" min:"1ms" doc:"interval access-log arrivals are counted over"`
	// Dates says how to read dates written with slashes: day first (dmy),
	// month first (mdy), or auto (refuse an ambiguous one). Dates with dots
	// (04.01.2026) are always day first, ISO dates year first.
	Dates string `yaml:"dates" default:"auto" enum:"auto,dmy,mdy" doc:"order of slash-separated dates: day first (dmy) or month first (mdy)"`
	// Zone is the time zone of times written without one: "UTC", "Local"
	// or an IANA name.
	Zone string `yaml:"zone" default:"UTC" doc:"time zone of times written without one (UTC, Local or an IANA name like Europe/Berlin)"`
	// LatencyUnit is the unit of an access log's request-time field: auto
	// reads an integer as microseconds (Apache %D) and a decimal as seconds
	// (nginx $request_time).
	LatencyUnit string `yaml:"latency_unit" default:"auto" enum:"auto,us,ms,s" doc:"unit of an access log's request-time field; auto: integers are µs (%D), decimals s ($request_time)"`
	// LogTime says what an access log's [time] is: when the request
	// arrived (start: Apache's %t) or when it ended (end: nginx's
	// $time_local), in which case the arrival is the time less the
	// request time.
	LogTime string `yaml:"log_time" default:"start" enum:"start,end" doc:"what an access log's time is: the request's arrival (Apache %t) or its end (nginx $time_local)"`
	// Limits bound what a reader accepts; zero fields take DefaultLimits.
	Limits Limits `yaml:"-"`
}

// Limits bound a reader: the bytes it reads, the length of one line and the
// number of points (rows, samples or log lines). Zero means the default.
type Limits struct {
	Bytes int64 // bytes of input
	Line  int   // bytes in one line (not for JSON, which may be one line)
	Rows  int   // points, rows or log lines
}

// DefaultLimits: 1 GiB of input, 1 MiB per line, ten million points (a
// day of one-second points a hundred times over; about 160 MB in memory).
var DefaultLimits = Limits{Bytes: 1 << 30, Line: 1 << 20, Rows: 10_000_000}

func (l Limits) OrDefault() Limits {
	if l.Bytes <= 0 {
		l.Bytes = DefaultLimits.Bytes
	}
	if l.Line <= 0 {
		l.Line = DefaultLimits.Line
	}
	if l.Rows <= 0 {
		l.Rows = DefaultLimits.Rows
	}
	return l
}

// Validate checks the options' words and returns the first bad one. The
// format's name is traffic.Read's to check (the table of formats is
// traffic's).
func (o Options) Validate() error {
	check := func(field, v string, words ...string) error {
		if v == "" {
			return nil
		}
		for _, w := range words {
			if v == w {
				return nil
			}
		}
		return fmt.Errorf("traffic: %s: unknown %q (want %s)", field, Clip(v), strings.Join(words, ", "))
	}
	for _, err := range []error{
		check("value", o.Value, "auto", "rate", "count", "counter"),
		check("gaps", o.Gaps, "error", "zero", "interpolate"),
		check("dates", o.Dates, "auto", "dmy", "mdy"),
		check("latency_unit", o.LatencyUnit, "auto", "us", "ms", "s"),
		check("log_time", o.LogTime, "start", "end"),
	} {
		if err != nil {
			return err
		}
	}
	if o.Step < 0 {
		return fmt.Errorf("traffic: step: %v is negative", o.Step)
	}
	if o.Bin < 0 || o.Bin > 0 && o.Bin < time.Millisecond {
		return fmt.Errorf("traffic: bin: %v is below 1ms", o.Bin)
	}
	if _, err := o.Location(); err != nil {
		return err
	}
	return nil
}

func (o Options) Location() (*time.Location, error) {
	switch o.Zone {
	case "", "UTC", "utc", "Z":
		return time.UTC, nil
	case "Local", "local":
		return time.Local, nil
	}
	loc, err := time.LoadLocation(o.Zone)
	if err != nil {
		return nil, fmt.Errorf("traffic: zone: %q is not a time zone (want UTC, Local or an IANA name like Europe/Berlin)", Clip(o.Zone))
	}
	return loc, nil
}

func (o Options) BinSize() time.Duration {
	if o.Bin == 0 {
		return time.Second
	}
	return o.Bin
}

// Result is what a reader read: the traffic as a series, the jobs' arrivals
// when the input lists jobs (access logs), and a report.
type Result struct {
	Series   *Series
	Arrivals *Arrivals // nil unless the input lists jobs one by one
	Report   Report
}

// Error is an input that did not read: the file, the line (from 1; 0 when
// the error is about the whole input), the column (from 1, or 0) and the
// field (a column's name, a JSON key). It prints like a compiler's error:
//
//	counts.csv:12:2: requests: "abc" is not a number
type Error struct {
	File   string
	Line   int
	Column int
	Field  string
	Err    error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("traffic: ")
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

func (e *Error) Unwrap() error { return e.Err }

func Errorf(file string, line int, field string, format string, args ...any) error {
	return &Error{File: file, Line: line, Field: field, Err: fmt.Errorf(format, args...)}
}

// Clip quotes at most 40 characters of user input in a message.
func Clip(s string) string {
	r := []rune(s)
	if len(r) > 40 {
		return string(r[:37]) + "..."
	}
	return s
}

// Input is what a format's reader reads from: the bounded, buffered bytes
// after any UTF-8 byte order mark, and the name used in errors.
type Input struct {
	Name string        // the name used in errors
	BR   *bufio.Reader // the bytes after any byte order mark
	lim  *boundedReader
	Opt  Options
	Loc  *time.Location // Opt's zone
	Max  Limits         // Opt's limits, defaults filled in
}

// HeadSize is how much of the input detectors see.
const HeadSize = 64 << 10

// Open validates opt and starts reading r: bounded to opt.Limits' bytes,
// after any UTF-8 byte order mark. It returns the input and its head (at
// most HeadSize bytes) for the detectors.
func Open(r io.Reader, name string, opt Options) (*Input, []byte, error) {
	if err := opt.Validate(); err != nil {
		return nil, nil, err
	}
	loc, _ := opt.Location()
	max := opt.Limits.OrDefault()
	lim := &boundedReader{r: r, left: max.Bytes, limit: max.Bytes, file: name}
	br := bufio.NewReaderSize(lim, HeadSize)
	head, err := br.Peek(HeadSize)
	if err != nil && err != io.EOF && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, nil, WrapRead(name, err)
	}
	if b, _ := br.Peek(3); bytes.Equal(b, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
		head = head[3:]
	}
	return &Input{Name: name, BR: br, lim: lim, Opt: opt, Loc: loc, Max: max}, head, nil
}

// LimitLines starts limiting the input's lines to its Max.Line bytes,
// checking the lines already read (the head the detectors saw). JSON
// formats do not call it: a JSON answer is often one line.
func (in *Input) LimitLines() error { return in.lim.limitLines(in.Max.Line) }

// Bounded reads r, failing (an *Error naming file) after limit bytes.
func Bounded(r io.Reader, limit int64, file string) io.Reader {
	return &boundedReader{r: r, left: limit, limit: limit, file: file}
}

// boundedReader fails once more than left bytes are read, or a line is
// longer than maxLine (when maxLine > 0); it counts lines for the message.
type boundedReader struct {
	r       io.Reader
	left    int64
	limit   int64
	maxLine int // 0: lines are not limited (yet)
	run     int // bytes since the last newline
	line    int // newlines seen
	longest int // the longest line so far, and its number (from 1)
	longAt  int
	file    string
	err     error
}

// limitLines starts limiting lines to n bytes, checking the lines already
// read (the head the detectors saw).
func (b *boundedReader) limitLines(n int) error {
	b.maxLine = n
	if b.longest > n {
		b.err = Errorf(b.file, b.longAt, "", "line longer than the limit of %d bytes", n)
		return b.err
	}
	return nil
}

func (b *boundedReader) Read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	if int64(len(p)) > b.left+1 {
		p = p[:b.left+1]
	}
	n, err := b.r.Read(p)
	b.left -= int64(n)
	if b.left < 0 {
		b.err = Errorf(b.file, 0, "", "larger than the limit of %d bytes", b.limit)
		return 0, b.err
	}
	for rest := p[:n]; len(rest) > 0; {
		i := bytes.IndexByte(rest, '\n')
		seg := len(rest)
		if i >= 0 {
			seg = i
		}
		b.run += seg
		if b.run > b.longest {
			b.longest, b.longAt = b.run, b.line+1
		}
		if b.maxLine > 0 && b.run > b.maxLine {
			b.err = Errorf(b.file, b.line+1, "", "line longer than the limit of %d bytes", b.maxLine)
			return 0, b.err
		}
		if i < 0 {
			break
		}
		b.line++
		b.run = 0
		rest = rest[i+1:]
	}
	return n, err
}

func WrapRead(name string, err error) error {
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	return &Error{File: name, Err: err}
}

// FirstLine is the first line that is not blank or a # comment.
func FirstLine(head []byte) []byte {
	for len(head) > 0 {
		line, rest, _ := bytes.Cut(head, []byte("\n"))
		line = bytes.TrimSpace(line)
		if len(line) > 0 && line[0] != '#' {
			return line
		}
		head = rest
	}
	return nil
}
