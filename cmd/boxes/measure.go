package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/boxes-project/boxes"
	"github.com/boxes-project/boxes/internal/cli/flagvalue"
	"github.com/boxes-project/boxes/internal/cli/progress"
	"github.com/boxes-project/boxes/measure"
	"github.com/boxes-project/boxes/report/measurement"
	"github.com/boxes-project/boxes/usl"
)

const measureUsage = `
Usage: boxes measure [flags] URL
       boxes measure [flags] --exec 'COMMAND'

Load a live system at rising concurrency and fit the Universal Scalability
Law to what it did: throughput, response times (p50, p99) and errors at
each level, the fit (λ, σ, κ, the peak N*) and a verdict. Keep the file
(--out) and compare it with a later one: boxes compare BEFORE AFTER says
whether a change was performance or scalability.

Closed loop (--concurrency, the default 1..64 x2): N workers each send the
next request as soon as the last one answers. Each level warms up
(--warmup), then is measured (--duration). The sweep stops early once
throughput has clearly passed its peak (two levels more than --past-peak
below the best), or a level's error rate or p99 passes its limit.

Open loop (--rate): requests leave on a schedule (Poisson arrivals by
default), whatever the system does: response time against load. Response
times run from when each request was due, so a request held up by the load
generator counts its wait (no coordinated omission).

--exec runs a shell command instead (N copies at once, or at a rate), for
batch jobs; a run fails when the command exits non-zero.

Ranges: 1..64 x2 (1, 2, 4, ..., 64), 1..8 (every whole number), 1..9 step 2.

Safety: the limits below bound every sweep, with defaults a production
service survives (256 at once, 1000/s, 1m per level, 1h in all, 100000
requests in all); raise them on purpose. Ctrl-C stops within a second, keeps the levels
already measured (and writes them to --out) and exits with 130.

Exit codes: 0 measured, 2 bad flags or no request succeeded, 3 an output
that could not be written, 130 interrupted.

Examples:
  boxes measure http://localhost:8080/ --out before.csv
  boxes measure -m POST -H 'Content-Type: application/json' -d '{"q":1}' http://localhost:8080/search
  boxes measure http://localhost:8080/ --concurrency '1..32 x2' --duration 5s --warmup 1s --format json
  boxes measure http://localhost:8080/ --rate '10..1000 x2' --duration 10s
  boxes measure --exec './batch-job --small' --concurrency 1..8
  boxes compare before.csv after.csv
`

func runMeasure(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("measure", measureUsage, stderr)
	lim := measure.DefaultLimits()
	var headers flagvalue.Header
	var conc, rate flagvalue.Range
	method := "GET"
	var body string
	fs.StringVar(&method, "m", method, "HTTP `method`")
	fs.StringVar(&method, "method", method, "HTTP `method` (same as -m)")
	fs.Var(&headers, "H", "request header \"Name: value\" (repeatable)")
	fs.Var(&headers, "header", "request header (same as -H)")
	fs.StringVar(&body, "d", "", "request `body`")
	fs.StringVar(&body, "body", "", "request `body` (same as -d)")
	bodyFile := fs.String("body-file", "", "read the request body from `file` (\"-\": standard input)")
	exec := fs.String("exec", "", "run this shell `command` instead of sending HTTP requests")
	fs.Var(&conc, "concurrency", "closed loop: the concurrencies, a `range` like '1..64 x2' (the default)")
	fs.Var(&rate, "rate", "open loop: the rates per second, a `range` like '10..1000 x2'")
	arrivals := flagvalue.NewChoice("poisson", "uniform")
	fs.Var(arrivals, "arrivals", "the open loop's gaps between requests: poisson (random) or uniform")
	seed := fs.Uint64("seed", 1, "seed of the Poisson arrivals")
	duration := flagvalue.Duration{D: 10 * time.Second}
	warmup := flagvalue.Duration{D: 2 * time.Second}
	timeout := flagvalue.Duration{D: 10 * time.Second}
	fs.Var(&duration, "duration", "measured time of each level (default 10s)")
	fs.Var(&warmup, "warmup", "unmeasured time before each level (default 2s)")
	fs.Var(&timeout, "timeout", "time one request or command may take (default 10s)")
	fs.IntVar(&lim.MaxConcurrency, "max-concurrency", lim.MaxConcurrency, "most requests in flight at once")
	maxRate := flagvalue.Rate{R: lim.MaxRate}
	fs.Var(&maxRate, "max-rate", "highest open-loop rate (default 1000/s)")
	maxDur := flagvalue.Duration{D: lim.MaxDuration}
	fs.Var(&maxDur, "max-duration", "longest warm-up plus duration of a level (default 1m)")
	maxTotal := flagvalue.Duration{D: lim.MaxTotal}
	fs.Var(&maxTotal, "max-total", "longest the whole sweep may take, levels × (warm-up + duration) (default 1h)")
	fs.IntVar(&lim.MaxRequests, "max-requests", lim.MaxRequests, "most requests of the whole sweep, warm-ups included")
	fs.Float64Var(&lim.MaxErrorRate, "max-error-rate", lim.MaxErrorRate, "stop after a level with a larger `fraction` of errors")
	var maxP99 flagvalue.Duration
	fs.Var(&maxP99, "max-p99", "stop after a level with a longer p99 (default none)")
	fs.Float64Var(&lim.PastPeak, "past-peak", lim.PastPeak, "stop once throughput is this `fraction` below its peak (0: never)")
	format := flagvalue.NewFormat("text", "json")
	fs.Var(format, "format", "output format: text or json")
	out := fs.String("out", "", "also write the measurement file (for boxes fit and compare) to `file`, whole or not at all")
	html := fs.String("html", "", "also write the HTML report of the fit to `file`")

	// Flags may come before and after the URL, as kubectl's do.
	var pos []string
	for rest := args; ; {
		if err := parseFlags(fs, rest); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		pos, rest = append(pos, fs.Arg(0)), fs.Args()[1:]
	}
	lim.MaxRate, lim.MaxDuration, lim.MaxP99, lim.MaxTotal = maxRate.R, maxDur.D, maxP99.D, maxTotal.D

	var load measure.Load
	var target string
	switch {
	case *exec != "" && len(pos) > 0:
		return badUsage(fs, "give a URL or --exec, not both")
	case *exec != "":
		load = &measure.Command{Line: *exec, Timeout: timeout.D}
		target = "command: " + clipArg(*exec)
	case len(pos) != 1:
		return badUsage(fs, "want one URL (or --exec), got %d arguments", len(pos))
	default:
		if *bodyFile != "" {
			if body != "" {
				return badUsage(fs, "give -d or --body-file, not both")
			}
			b, err := measure.ReadBody(*bodyFile, stdin)
			if err != nil {
				return usageError{err}
			}
			body = string(b)
		}
		h := &measure.HTTP{Method: strings.ToUpper(method), URL: pos[0], Header: headers.H, Body: []byte(body), Timeout: timeout.D}
		if err := h.Validate(); err != nil {
			return usageError{err}
		}
		load = h
		target = h.Method + " " + measure.Redact(pos[0])
	}

	plan := measure.Plan{Warmup: warmup.D, Duration: duration.D, Limits: lim,
		Arrivals: measure.Arrivals{Kind: arrivals.Value, Seed: *seed}}
	var what string
	switch {
	case conc.Given && rate.Given:
		return badUsage(fs, "give --concurrency (closed loop) or --rate (open loop), not both")
	case rate.Given:
		plan.Rates = rate.R.Values()
		what = "open loop, rates " + rate.R.String() + "/s"
	default:
		r := conc.R
		if !conc.Given {
			r, _ = boxes.ParseRange("1..64 x2")
		}
		for _, v := range r.Values() {
			if v != float64(int(v)) {
				return badUsage(fs, "concurrency %g is not a whole number", v)
			}
			plan.Concurrency = append(plan.Concurrency, int(v))
		}
		what = "closed loop, concurrency " + r.String()
	}
	if err := plan.Validate(); err != nil {
		return usageError{hintError{err, "run 'boxes measure -h' for the limits and the flags that raise them"}}
	}

	prog := progress.New(stderr, "measuring")
	plan.Progress = prog.Update
	res, err := measure.Sweep(ctx, load, plan)
	prog.Finish()
	interrupted := err != nil && ctx.Err() != nil
	if err != nil && !interrupted {
		return usageError{err}
	}
	if !interrupted && !res.AnySuccess() {
		msg := "measure: no request succeeded"
		for _, l := range res.Levels {
			if l.FirstError != "" {
				msg += ": " + clipArg(l.FirstError)
				break
			}
		}
		return usageError{errors.New(msg)}
	}

	fit, fitErr := res.Fit()
	if fitErr != nil {
		fit = nil
	}
	comments := []string{
		fmt.Sprintf("boxes measure: %s, %v per level after a %v warm-up", what, duration.D, warmup.D),
		target,
	}
	if res.Stopped != "" {
		comments = append(comments, "stopped early: "+res.Stopped)
	}
	if interrupted {
		comments = append(comments, "interrupted: the levels measured before")
	}
	if *out != "" && len(res.Levels) > 0 {
		if err := writeFileAtomic(*out, func(w io.Writer) error { return res.WriteCSV(w, comments...) }); err != nil {
			return err
		}
	}
	if *html != "" && fit != nil {
		fj := measurement.NewFitJSON(*out, []string{usl.Concurrency.String(), usl.Throughput.String()}, fit, nil)
		if err := writeHTMLFile(*html, func(w io.Writer) error { return measurement.WriteFitHTML(w, &fj, measurement.Measurements(fit.Points)) }); err != nil {
			return err
		}
	}
	if err := writeOutput(stdout, func(w io.Writer) error {
		if format.Value == "json" {
			return res.WriteJSON(w, fit, fitErr)
		}
		return res.WriteText(w, fit, fitErr)
	}); err != nil {
		return err
	}
	if interrupted {
		return errInterrupted
	}
	return nil
}

func clipArg(s string) string {
	if len(s) > 120 {
		return s[:120] + "…"
	}
	return s
}
