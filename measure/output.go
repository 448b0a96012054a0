package measure

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"text/tabwriter"

	"github.com/boxes-project/boxes/report"
	"github.com/boxes-project/boxes/report/measurement"
	"github.com/boxes-project/boxes/usl"
)

// Points are the levels as measurements for the Universal Scalability Law:
// a closed loop's concurrency and throughput, an open loop's throughput and
// mean response time (its concurrency then comes from Little's law). Levels
// without a successful job are left out.
func (r *Result) Points() []usl.Point {
	var ps []usl.Point
	for _, l := range r.Levels {
		p := usl.Point{Concurrency: l.Concurrency, Throughput: l.Throughput}
		if r.Loop == "open" {
			p = usl.Point{Throughput: l.Throughput, Latency: l.Mean}
		}
		if c, err := usl.Complete(p); err == nil && l.Mean > 0 {
			ps = append(ps, c)
		}
	}
	return ps
}

// Fit fits the Universal Scalability Law to the levels (see usl.Fit): it
// needs 4 levels at 3 concurrencies or more.
func (r *Result) Fit() (*usl.FitResult, error) {
	return usl.Fit(r.Points())
}

// Knee is the smallest measured concurrency whose throughput is within 10% of
// the highest measured: where more concurrency stops buying throughput. It
// is 0 without levels.
func (r *Result) Knee() float64 {
	best := 0.0
	for _, l := range r.Levels {
		best = math.Max(best, l.Throughput)
	}
	knee := 0.0
	for _, l := range r.Levels {
		if l.Throughput >= 0.9*best && (knee == 0 || l.Concurrency < knee) {
			knee = l.Concurrency
		}
	}
	return knee
}

// Verdict says in one line what the measurement shows: where throughput
// stops growing, and whether contention (σ) or coherency (κ) stops it.
// fit may be nil.
func (r *Result) Verdict(fit *usl.FitResult) string {
	if len(r.Levels) == 0 {
		return "nothing measured"
	}
	best := r.Levels[0]
	for _, l := range r.Levels {
		if l.Throughput > best.Throughput {
			best = l
		}
	}
	s := fmt.Sprintf("highest throughput %s at concurrency %s; 90%% of it from concurrency %s",
		report.JobsPerSecond(best.Throughput), num(best.Concurrency), num(r.Knee()))
	if fit == nil {
		return s
	}
	m := fit.Model
	switch {
	case m.Kappa > 0 && !math.IsInf(m.PeakConcurrency(), 1):
		s += fmt.Sprintf("; the fit peaks at N* = %s (%s): past it coherency (κ = %s) makes more concurrency slower",
			num(m.PeakConcurrency()), report.JobsPerSecond(m.PeakThroughput()), num(m.Kappa))
	case m.Sigma > 0:
		s += fmt.Sprintf("; no peak in the fit: contention (σ = %s) caps throughput at λ/σ = %s",
			num(m.Sigma), report.JobsPerSecond(m.LimitThroughput()))
	default:
		s += "; the fit scales linearly over the measured range"
	}
	return s
}

func num(x float64) string {
	if x == math.Trunc(x) && math.Abs(x) < 1e15 {
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return strconv.FormatFloat(x, 'g', 3, 64)
}

// csvHeader names the measurement file's columns so that usl.ReadCSV (boxes
// fit, boxes compare) reads concurrency and throughput and ignores the rest.
var csvHeader = []string{"concurrency", "throughput_per_s", "latency_s", "p50_s", "p90_s", "p99_s", "max_s", "requests", "errors", "planned_per_s", "offered_per_s"}

// WriteCSV writes the levels as the measurement file boxes fit and boxes
// compare read: comment lines (each prefixed with "# "), the header, then a
// level a line. Numbers are written in full (strconv 'g', -1).
func (r *Result) WriteCSV(w io.Writer, comments ...string) error {
	for _, c := range comments {
		if _, err := fmt.Fprintf(w, "# %s\n", c); err != nil {
			return err
		}
	}
	cw := csv.NewWriter(w)
	cw.Write(csvHeader)
	f := func(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
	for _, l := range r.Levels {
		if !(l.Throughput > 0) {
			continue // usl.ReadCSV refuses a level without throughput; it is in the JSON
		}
		cw.Write([]string{f(l.Concurrency), f(l.Throughput), f(l.Mean), f(l.P50), f(l.P90), f(l.P99), f(l.Max),
			strconv.Itoa(l.Requests), strconv.Itoa(l.Errors), f(l.Rate), f(l.Offered)})
	}
	cw.Flush()
	return cw.Error()
}

// resultJSON is the JSON output: the levels, the fit (null when it could
// not be made, with the reason in fit_error) and the verdict.
type resultJSON struct {
	*Result
	Fit      *measurement.FitJSON `json:"fit"`
	FitError string               `json:"fit_error,omitempty"`
	Verdict  string               `json:"verdict"`
}

// WriteJSON writes the result, its fit (or why there is none) and its
// verdict as one indented JSON object: {"loop", "levels": [{"concurrency",
// "throughput", "p50", "p99", "errors", ...}], "stopped", "fit", "verdict"}.
// Times are in seconds, throughputs in jobs per second.
func (r *Result) WriteJSON(w io.Writer, fit *usl.FitResult, fitErr error) error {
	j := resultJSON{Result: r, Verdict: r.Verdict(fit)}
	if fit != nil {
		fj := measurement.NewFitJSON("", []string{"concurrency", "throughput"}, fit, nil)
		j.Fit = &fj
	} else if fitErr != nil {
		j.FitError = fitErr.Error()
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(j)
}

// WriteText writes the levels as a table, then the fit (or why there is
// none) and the verdict.
func (r *Result) WriteText(w io.Writer, fit *usl.FitResult, fitErr error) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	if r.Loop == "open" {
		fmt.Fprint(tw, "rate\t")
	}
	fmt.Fprint(tw, "concurrency\tthroughput\tmean\tp50\tp99\tmax\trequests\terrors\t\n")
	for _, l := range r.Levels {
		if r.Loop == "open" {
			fmt.Fprintf(tw, "%s\t", report.JobsPerSecond(l.Rate))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%d\t%d\t\n", num(l.Concurrency), report.JobsPerSecond(l.Throughput),
			report.Seconds(l.Mean), report.Seconds(l.P50), report.Seconds(l.P99), report.Seconds(l.Max), l.Requests, l.Errors)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if r.Stopped != "" {
		fmt.Fprintf(w, "stopped early: %s\n", r.Stopped)
	}
	fmt.Fprintln(w)
	switch {
	case fit != nil:
		if err := measurement.WriteFit(w, "", []string{"concurrency", "throughput"}, fit, nil); err != nil {
			return err
		}
		fmt.Fprintln(w)
	case fitErr != nil:
		fmt.Fprintf(w, "no fit: %v\n\n", fitErr)
	}
	_, err := fmt.Fprintf(w, "verdict: %s\n", r.Verdict(fit))
	return err
}

// AnySuccess reports whether any request of any level succeeded.
func (r *Result) AnySuccess() bool {
	for _, l := range r.Levels {
		if l.Throughput > 0 {
			return true
		}
	}
	return false
}
