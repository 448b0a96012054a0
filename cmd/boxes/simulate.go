package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"strings"
	"time"

	"github.com/boxes-project/boxes/internal/bounded"
	"github.com/boxes-project/boxes/internal/cli/atomicfile"
	"github.com/boxes-project/boxes/internal/cli/flagvalue"
	"github.com/boxes-project/boxes/internal/cli/progress"
	"github.com/boxes-project/boxes/report/html"
	"github.com/boxes-project/boxes/traffic"

	"github.com/boxes-project/boxes/report"
	"github.com/boxes-project/boxes/scenario"
)

const simulateUsage = `
Usage: boxes simulate [flags] [FILE]

Runs a scenario: a workload (the job rate over time) against each of its
ways of scaling, and against the oracle, the cheapest box fleet that misses
no job at its utilization (it boots exactly the boxes each second needs,
just in time). The first line is the verdict: the cheapest policy that
meets the scenario's objective (its slo: block; by default at most 0.1% of
jobs unserved), its cost against the oracle's, and what each other policy
fails or costs more. Then, per policy, what it cost, how many jobs it
missed, how busy its boxes were and how long the load exceeded capacity.

With no FILE, runs the embedded default scenario: one day with a daily
cycle and a lunchtime spike, 200 ms jobs on $0.10/h boxes, under
fixed-for-peak, fixed-for-mean, Kubernetes HPA and serverless. FILE "-"
reads the scenario from standard input.

Examples:
  boxes simulate
  boxes simulate --format json --series > run.json
  boxes simulate --print-default > my.yaml && boxes simulate my.yaml
  boxes simulate --settings                   # every setting, its default and range
  boxes simulate --format json > r.json && boxes simulate r.json   # a result re-runs
  boxes simulate --format csv --out results.csv my.yaml
  boxes simulate --html day.html              # the report with charts, one file
  boxes simulate --engine events --replications 10 my.yaml
  boxes simulate --check my.yaml || echo "no policy meets the objective"
  boxes simulate --policy hpa.yaml --trace counts.csv   # your HPA on yesterday's traffic
  boxes simulate --policy hpa.yaml --prometheus http://localhost:9090 \
      --query 'sum(rate(http_requests_total[1m]))' --from 24h --to now

--policy FILE (repeatable) replaces the scenario's policies by the
autoscaler configs in FILE: a Kubernetes HorizontalPodAutoscaler
(autoscaling/v2 or v1, also a List or several documents, as kubectl get
hpa -o yaml prints them), a Knative or Cloud Run Service, a KEDA
ScaledObject. --trace FILE replaces the workload by the traffic in FILE
(a CSV, Prometheus query_range JSON, a Grafana CSV, CloudWatch JSON or an
access log; the format is read from the content), and --prometheus asks a
live server instead. The traffic's own times set the start and the
horizon unless the scenario sets them; what was read is printed on
standard error (and is the JSON's workload.source).

--engine events simulates every job: Poisson arrivals that follow the
workload (or a job log's timestamps), each job on one box, first come first
served, with the queue, deadlines, crashes and value of the scenario's jobs
block; the table adds p99 wait, timed out, lost and value when they apply.

Before it runs, a scenario's cost is estimated from its steps, policies'
history, queue bound, fleet and expected jobs, and a run that would hold
more than --max-memory (8GB) or do more than --max-work units (1e11: a
year at 1 s steps and a billion jobs fit) is refused, exit 2, before
anything is allocated; --timeout stops a run that goes on too long.

Which engine: fluid answers cost and capacity over long horizons (days,
months) quickly; events answers waits, queues, tails and late jobs, which
the fluid model does not time (a job there starts at once or is missed).

--check exits 1 when no policy meets the objective (the verdict names
none), after writing the output; 0 when one does.
`

func runSimulate(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("simulate", simulateUsage, stderr)
	format := flagvalue.NewFormat("text", "json", "csv")
	fs.Var(format, "format", "output format: text, json or csv")
	series := fs.Bool("series", false, "include each run's time series (json, csv)")
	out := fs.String("out", "", "write the output to `file` (whole or not at all) instead of standard output")
	printDefault := fs.Bool("print-default", false, "print the embedded default scenario and exit")
	settings := fs.Bool("settings", false, "print every setting of a scenario (type, default, range, meaning) and exit")
	workers := fs.Int("workers", 0, "runs at once (0: one per core); the output does not depend on it")
	htmlOut := fs.String("html", "", "also write the HTML report, with charts, to `file`")
	engine := fs.String("engine", "", "`engine`: fluid (time steps) or events (one job at a time); overrides the scenario's")
	replications := fs.Int("replications", 0, "with --engine events, run each policy `R` times with independent seeds and report means with 95% intervals; overrides the scenario's")
	maxMemory := &flagvalue.Memory{GB: 8}
	fs.Var(maxMemory, "max-memory", "most `memory` the run may hold, as estimated before it starts; a run over it is refused")
	maxWork := fs.Float64("max-work", 1e11, "most work `units`: a step of each run plus a job of the per-job engine (20 million are about a second of a core)")
	timeout := &flagvalue.Duration{}
	fs.Var(timeout, "timeout", "stop the run after this `duration` (default: none)")
	check := fs.Bool("check", false, "exit 1 when no policy meets the scenario's objective (slo:)")
	var ov overrides
	fs.Var(&ov.policies, "policy", "replace the policies by the autoscaler configs in `file` (repeatable)")
	fs.StringVar(&ov.trace, "trace", "", "replace the workload by the traffic in `file` (CSV, Prometheus or CloudWatch JSON, Grafana CSV, access log)")
	fs.StringVar(&ov.traceFormat, "trace-format", "auto", "the trace's `format` when its content does not say: "+strings.Join(traffic.Formats(), ", "))
	fs.StringVar(&ov.gaps, "gaps", "error", "what a missing interval of the traffic becomes: error, zero or interpolate")
	fs.IntVar(&ov.maxRows, "max-rows", 0, "most `rows`, points or log lines read from --trace's file before it is refused (the trace's max_rows; 0 for its default, 1000000; at most 10000000)")
	fs.StringVar(&ov.prom.URL, "prometheus", "", "ask the Prometheus server at `url` for the workload (with --query, --from, --to)")
	fs.StringVar(&ov.prom.Query, "query", "", "PromQL `query` giving jobs per second, for --prometheus")
	fs.StringVar(&ov.prom.From, "from", "", "start of the --prometheus range: RFC 3339 `time`, or a duration before now like 24h")
	fs.StringVar(&ov.prom.To, "to", "now", "end of the --prometheus range: RFC 3339 `time`, now, or a duration before now")
	fs.DurationVar(&ov.prom.Step, "step", time.Minute, "`interval` between points of the --prometheus range")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *settings {
		return writeOutput(stdout, func(w io.Writer) error { _, err := io.WriteString(w, scenario.Reference()); return err })
	}
	if *printDefault {
		return writeOutput(stdout, func(w io.Writer) error { _, err := w.Write(scenario.DefaultYAML()); return err })
	}
	if *workers < 0 {
		return badUsage(fs, "--workers %d must not be negative (0: one per core)", *workers)
	}
	if atomicfile.SameFile(*out, *htmlOut) {
		return badUsage(fs, "--out and --html name the same file, %s: each would overwrite the other", *out)
	}
	if !(maxMemory.GB > 0) || !(*maxWork > 0) || math.IsInf(*maxWork, 0) || timeout.D < 0 {
		return badUsage(fs, "--max-memory and --max-work must be positive and --timeout not negative")
	}
	sc, err := loadScenario(fs.Args(), stdin, &ov)
	if err != nil {
		return err
	}
	if format.Value == "text" {
		printSources(stderr, sc)
	}
	if *replications < 0 {
		return usageError{errorf("--replications %d must be at least 1", *replications)}
	}
	if *engine != "" || *replications != 0 {
		if sc, err = sc.WithEngine(*engine, *replications); err != nil {
			return usageError{err}
		}
	}
	// The resource model: refuse before allocating what cannot fit.
	budget := scenario.Budget{Memory: int64(min(maxMemory.GB*(1<<30), math.MaxInt64/2)), Work: *maxWork}
	if err := budget.Check(sc.Cost(*workers)); err != nil {
		var be *scenario.BudgetError
		if errors.As(err, &be) {
			flag := map[string]string{"memory": "--max-memory", "work": "--max-work"}[be.Limit]
			return usageError{hintError{err, "raise it with " + flag + " if this machine can take it, or shorten the horizon, lengthen the step or bound the queue"}}
		}
		return usageError{err}
	}
	if timeout.D > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout.D)
		defer cancel()
	}
	bar := progress.New(stderr, "simulating")
	outcome, err := sc.Run(ctx, scenario.Options{Workers: *workers, Progress: bar.Update})
	bar.Finish()
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return usageError{errorf("simulate: the run took longer than --timeout %v", timeout.D)}
		}
		return usageError{err}
	}
	render := func(w io.Writer) error {
		switch format.Value {
		case "json":
			return report.WriteSimulationJSON(w, outcome, *series)
		case "csv":
			return report.WriteSimulationCSV(w, outcome, *series)
		}
		return report.WriteSimulation(w, outcome)
	}
	// The HTML report and --out are written as one: both or neither.
	var outs []atomicfile.File
	if *htmlOut != "" {
		j := report.NewSimulationJSON(outcome, true)
		outs = append(outs, atomicfile.File{Name: *htmlOut, Render: func(w io.Writer) error { return html.WriteSimulationHTML(w, &j) }})
	}
	if *out != "" {
		outs = append(outs, atomicfile.File{Name: *out, Render: render})
	}
	if len(outs) > 0 {
		if err := writeFilesAtomic(ctx, outs); err != nil {
			return err
		}
	}
	if *out == "" {
		if err := writeOutput(stdout, atomicfile.UntilDone(ctx, render)); err != nil {
			return err
		}
	}
	if *check {
		return checkVerdict(outcome)
	}
	return nil
}

// loadScenario reads the scenario named by args (none is the embedded
// default, "-" is standard input) with the command line's overrides.
func loadScenario(args []string, stdin io.Reader, ov *overrides) (*scenario.Scenario, error) {
	var data []byte
	var name string
	var err error
	switch {
	case len(args) > 1:
		return nil, usageError{errorf("want at most one scenario file, got %d", len(args))}
	case len(args) == 0:
		data, name = scenario.DefaultYAML(), "default.yaml"
	default:
		name = args[0]
		if name == "-" {
			name = "<stdin>"
		}
		data, err = bounded.ReadFile(args[0], stdin, name, maxScenario)
		if pe := (*fs.PathError)(nil); errors.As(err, &pe) && pe.Op == "open" {
			err = fmt.Errorf("scenario: %w", err)
		}
	}
	if err != nil {
		return nil, usageError{err}
	}
	var sc *scenario.Scenario
	if ov.none() {
		sc, err = scenario.Parse(data, name)
	} else {
		var doc scenario.Doc
		if len(args) == 0 {
			name = "<command line>" // the default scenario, made over by the flags
		}
		if doc, err = scenario.Decode(data, name); err == nil {
			if err = ov.apply(&doc, len(args) == 0); err == nil {
				sc, err = scenario.Build(doc, name)
			}
		}
	}
	if err != nil {
		return nil, usageError{err}
	}
	return sc, nil
}
