package shape

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/boxes-project/boxes/internal/bounded"
	"github.com/boxes-project/boxes/traffic"
	"github.com/boxes-project/boxes/traffic/trace"
	"github.com/boxes-project/boxes/workload"
)

// Trace is a job rate recorded from real traffic. A CSV of the columns
// trace.ReadTrace reads (time,rate or time,count with times in seconds,
// start,end,count, one timestamp per job) is read by it, as before; any
// other content (Prometheus query_range JSON, CloudWatch JSON, a Grafana
// CSV, an access log, a CSV with dated times) or an explicit format is
// read by package traffic, whose options are inlined here. A relative file
// is found beside the scenario.
type Trace struct {
	File          string `yaml:"file,required" doc:"the traffic file: a CSV (time,rate, time,count, start,end,count or one timestamp per job), Prometheus or CloudWatch JSON, a Grafana CSV or an access log; with data, only its name"`
	Data          string `yaml:"data" doc:"the file's text itself, instead of reading the file (the explorer sends an upload so)"`
	Layout        string `yaml:"layout" default:"auto" enum:"auto,rate,count,jobs" doc:"a seconds CSV's columns; auto reads them from its header"`
	Interpolation string `yaml:"interpolation" default:"step" enum:"step,linear" doc:"between rows: hold each rate (step) or move in a line"`
	Loop          bool   `yaml:"loop" default:"false" doc:"repeat the trace for ever; without it a horizon past the trace's end is an error"`
	// MaxRows bounds what reading the file holds and takes (issue 11: a
	// FIFO of valid rows without end is refused at it, within a second).
	MaxRows int `yaml:"max_rows" default:"1000000" min:"1" max:"10000000" doc:"most rows, points or log lines read from the file before it is refused (a week at 1 s is 604800)"`
	// Options are package traffic's: format, columns, value, sum, gaps,
	// step, bin, dates, zone... (bin is also a job log's bin).
	traffic.Options `yaml:",inline"`

	read  *traffic.Result // what traffic read, once Load has run
	curve *workload.Trace // what trace.ReadTraceLog read, once Load has run
	log   *trace.JobLog   // and the job log, if the file is one
}

// limits are the bounds on reading the trace's file: MaxRows rows, and
// 256 bytes a row of input (at least 64 MiB, at most traffic's default),
// so that an endless input of comments, blank lines or padded cells is
// refused as soon as one of valid rows is.
func (t *Trace) limits() traffic.Limits {
	rows := t.MaxRows
	if rows <= 0 {
		rows = defaultMaxRows
	}
	return traffic.Limits{Rows: rows, Bytes: min(max(int64(rows)*256, 64<<20), traffic.DefaultLimits.Bytes)}
}

// defaultMaxRows is MaxRows's default, for a Trace made in Go.
const defaultMaxRows = 1_000_000

// Options are the trace's reading options for trace.ReadTrace.
func (t *Trace) csvOptions() trace.TraceOptions {
	l, _ := trace.ParseLayout(t.Layout)
	i, _ := workload.ParseInterpolation(t.Interpolation)
	return trace.TraceOptions{Layout: l, Interpolation: i, Loop: t.Loop, Bin: t.Bin.Seconds(), MaxRows: t.limits().Rows, MaxBytes: t.limits().Bytes}
}

// IsJobLog reports whether the trace may be a job log, whose timestamps
// the events engine replays.
func (t *Trace) IsJobLog() bool {
	if t.read != nil {
		return t.read.Arrivals != nil && !t.Loop
	}
	return !t.Loop && (t.Layout == "auto" || t.Layout == "jobs")
}

// open opens the trace's text: its data, or its file.
func (t *Trace) open() (io.ReadCloser, error) {
	if t.Data != "" {
		return io.NopCloser(strings.NewReader(t.Data)), nil
	}
	return os.Open(t.File)
}

// Load reads the trace, through package traffic when it is not a CSV of
// workload's own columns, keeping what was read for Curve, Read and
// Arrivals. It reads the file once (a FIFO can be read only once).
func (t *Trace) Load() error {
	if t.read != nil || t.curve != nil {
		return nil
	}
	f, err := t.open()
	if err != nil {
		return err
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 64<<10)
	head, _ := br.Peek(64 << 10)
	if t.Format == "auto" && t.Layout == "auto" && secondsCSV(head) || t.Layout != "auto" && t.Format == "auto" {
		// trace.ReadTraceLog's, from what was peeked on.
		t.curve, t.log, err = trace.ReadTraceLog(br, t.File, t.csvOptions())
		var te *trace.TraceError
		var le *bounded.LimitError
		if errors.As(err, &te) && errors.As(err, &le) && !le.Lines {
			te.Err = fmt.Errorf("%w: 256 bytes a row of max_rows; raise the trace's max_rows", le)
		}
		return err
	}
	opt := t.Options
	opt.Limits = t.limits()
	res, err := traffic.Read(br, t.File, opt)
	if err != nil {
		// The row and byte limits come from max_rows: say so.
		msg := err.Error()
		if strings.Contains(msg, fmt.Sprintf("limit of %d ", opt.Limits.Rows)) || strings.Contains(msg, fmt.Sprintf("limit of %d bytes", opt.Limits.Bytes)) {
			return fmt.Errorf("%w (raise it with the trace's max_rows)", err)
		}
		return err
	}
	if res.Series == nil && res.Arrivals != nil {
		res.Series = res.Arrivals.Counts(t.Bin)
	}
	t.read = res
	return nil
}

// Read is what traffic read, or nil for a CSV of workload's own columns.
func (t *Trace) Read() *traffic.Result { return t.read }

// secondsCSV reports whether head is a CSV (or one column) whose first
// data row starts with a number or a duration: times in seconds from the
// trace's start, trace.ReadTrace's form, not a date.
func secondsCSV(head []byte) bool {
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	rows := 0
	for _, line := range strings.Split(string(head), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		if line[0] == '{' || line[0] == '[' {
			return false // JSON
		}
		fields := strings.FieldsFunc(line, func(r rune) bool { return r == ',' || r == ';' || r == '\t' })
		first := ""
		if len(fields) > 0 {
			first = strings.Trim(fields[0], " \"")
		}
		if _, err := strconv.ParseFloat(first, 64); err == nil {
			return true
		}
		if _, err := time.ParseDuration(first); err == nil {
			return true
		}
		if _, err := time.Parse(time.RFC3339Nano, first); err == nil {
			return !strings.ContainsAny(line, ",;\t") // a job log of RFC 3339 stamps
		}
		if rows++; rows > 1 {
			return false // a header, then a date: traffic's
		}
	}
	return false
}

// Curve builds the trace's curve: time 0 is the trace's first time.
func (t *Trace) Curve(Env) (workload.Curve, error) {
	if err := t.Load(); err != nil {
		return nil, err
	}
	if t.read != nil {
		interp, _ := workload.ParseInterpolation(t.Interpolation)
		return t.read.Series.Trace(interp, t.Loop)
	}
	return t.curve, nil
}

// Arrivals is a job log's timestamps, or nil when the file is not one
// (or could not be read: Load's error is Curve's). The file is read once,
// by Load.
func (t *Trace) Arrivals() []float64 {
	if !t.IsJobLog() || t.Load() != nil {
		return nil
	}
	if t.read != nil {
		return t.read.Arrivals.JobLog().Times
	}
	if t.log != nil {
		return t.log.Times
	}
	return nil
}

// Prometheus is traffic asked of a live Prometheus server with a
// query_range: {url, query, from, to, step}. Building the scenario asks;
// the normalized document keeps from and to as the times asked about, so
// that a saved result asks the same range again.
type Prometheus struct {
	traffic.Prometheus `yaml:",inline"`
	Interpolation      string `yaml:"interpolation" default:"step" enum:"step,linear" doc:"between points: hold each rate (step) or move in a line"`
	Gaps               string `yaml:"gaps" default:"error" enum:"error,zero,interpolate" doc:"what a missing point becomes: an error, zero jobs, or the line between its neighbours"`

	read *traffic.Result
}

// Load asks the server, once, and pins from and to.
func (p *Prometheus) Load(ctx context.Context, now time.Time) error {
	if p.read != nil {
		return nil
	}
	from, to, err := p.Range(now)
	if err != nil {
		return err
	}
	res, err := traffic.QueryPrometheus(ctx, p.Prometheus, now, traffic.Options{Gaps: p.Gaps, Sum: p.Sum})
	if err != nil {
		return err
	}
	p.From, p.To = from.UTC().Format(time.RFC3339Nano), to.UTC().Format(time.RFC3339Nano)
	p.read = res
	return nil
}

// Read is what the server answered, once Load has run.
func (p *Prometheus) Read() *traffic.Result { return p.read }

// Curve builds the answer's curve: time 0 is the range's start.
func (p *Prometheus) Curve(Env) (workload.Curve, error) {
	if err := p.Load(context.Background(), time.Now()); err != nil {
		return nil, err
	}
	interp, _ := workload.ParseInterpolation(p.Interpolation)
	return p.read.Series.Trace(interp, false)
}

// Source is a workload node whose traffic was read from somewhere: a trace
// file or a live server.
type Source interface {
	Read() *traffic.Result
}
