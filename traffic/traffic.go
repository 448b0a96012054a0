// Package traffic reads traffic from where it lives: Prometheus (a saved
// query_range answer or a live server), Grafana's "Download CSV",
// CloudWatch's get-metric-data and get-metric-statistics JSON, web server
// access logs (Common and Combined Log Format) and plain CSV/TSV files.
// CSV traces with times in seconds from their start (a rate, counts per
// interval, or one row per job) are package trace's.
//
// Every format Read reads returns the same value, a Result: a Series of jobs per
// interval at absolute times (its Start keeps the trace's own time of day),
// which converts to a workload.Trace; for access logs also the jobs'
// arrivals (and measured latencies), which convert to a trace.JobLog;
// and a Report of what was read (rows, span, step, gaps, which column meant
// what).
//
// Formats are registered in one table (formats, in formats.go): a name, a
// detector that looks at the head of the input, and a reader. Read detects
// the format from the content unless Options.Format names it.
//
// Readers stream and are bounded: they never hold more than the input's
// points, and refuse an input larger than Limits.Bytes, a line longer than
// Limits.Line or more than Limits.Rows points. Errors name the file, line
// (and column or field) and what was expected; see Error.
package traffic

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/boxes-project/boxes/traffic/internal/core"
	"github.com/boxes-project/boxes/traffic/internal/prometheus"
)

// The types every format reads into, and Options, are package core's,
// shared with the readers (traffic/internal/...).
type (
	// Options say how to read traffic; see core.Options.
	Options = core.Options
	// Limits bound what a read may hold; see core.Limits.
	Limits = core.Limits
	// Result is what Read returns; see core.Result.
	Result = core.Result
	// Error is a file that did not read: file:line:col: field: what.
	Error = core.Error
	// Series is jobs per interval at absolute times; see core.Series.
	Series = core.Series
	// Kind is what a Series' values are (Rate or Count).
	Kind = core.Kind
	// Arrivals are an access log's jobs, one time each.
	Arrivals = core.Arrivals
	// Report is what a read found; see core.Report.
	Report = core.Report
	// Column is a CSV column and what it was read as.
	Column = core.Column
	// Gap is a stretch with no points.
	Gap = core.Gap
	// LatencySummary summarizes an access log's measured latencies.
	LatencySummary = core.LatencySummary
)

// The kinds of a Series' values.
const (
	Rate  = core.Rate
	Count = core.Count
)

// DefaultLimits are the limits a zero Limits means.
var DefaultLimits = core.DefaultLimits

// Read reads traffic from r (name is the file name used in errors and the
// report), detecting its format unless opt.Format names it.
func Read(r io.Reader, name string, opt Options) (*Result, error) {
	if err := checkFormat(opt.Format); err != nil {
		return nil, err
	}
	in, head, err := core.Open(r, name, opt)
	if err != nil {
		return nil, err
	}
	f, err := pick(name, head, opt.Format)
	if err != nil {
		return nil, err
	}
	if !f.json { // a JSON answer is often one line
		if err := in.LimitLines(); err != nil {
			return nil, err
		}
	}
	res, err := f.Read(in)
	if err != nil {
		return nil, err
	}
	res.Report.Format = f.Name
	res.Report.Source = name
	return res, nil
}

// checkFormat checks Options.Format against the table (the rest of the
// options are Options.Validate's).
func checkFormat(format string) error {
	if format == "" || format == "auto" {
		return nil
	}
	names := []string{"auto"}
	for _, f := range formats {
		if f.Name == format {
			return nil
		}
		names = append(names, f.Name)
	}
	return fmt.Errorf("traffic: %s: unknown %q (want %s)", "format", core.Clip(format), strings.Join(names, ", "))
}

// ReadFile reads the traffic file at path.
func ReadFile(path string, opt Options) (*Result, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("traffic: %w", err)
	}
	defer fh.Close()
	return Read(fh, path, opt)
}

// pick finds the format: the one named, or the first whose detector accepts
// the head of the input.
func pick(name string, head []byte, format string) (Format, error) {
	if format != "" && format != "auto" {
		for _, f := range formats {
			if f.Name == format {
				return f, nil
			}
		}
	}
	for _, f := range formats {
		if f.Detect(head) {
			return f, nil
		}
	}
	var want []string
	for _, f := range formats {
		want = append(want, f.Name+" ("+f.Doc+")")
	}
	first, _, _ := bytes.Cut(bytes.TrimLeft(head, " \t\r\n"), []byte("\n"))
	what := "it is empty"
	if len(first) > 0 {
		what = fmt.Sprintf("it starts %q", core.Clip(strings.TrimRight(string(first), "\r")))
	}
	return Format{}, core.Errorf(name, 0, "", "no known traffic format: %s; want one of %s, or set format:", what, strings.Join(want, "; "))
}

// Prometheus is a live query_range against a Prometheus server; see
// QueryPrometheus.
type Prometheus = prometheus.Prometheus

// QueryPrometheus asks a Prometheus server for p's range (now resolves
// "now" and durations before now) and reads the answer as Read reads a
// saved one.
func QueryPrometheus(ctx context.Context, p Prometheus, now time.Time, opt Options) (*Result, error) {
	return prometheus.QueryPrometheus(ctx, p, now, opt)
}
