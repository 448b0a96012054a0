package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/boxes-project/boxes/internal/cli/flagvalue"
	"github.com/boxes-project/boxes/loadtest"
	"github.com/boxes-project/boxes/report/measurement"
	"github.com/boxes-project/boxes/usl"
)

const fitUsage = `
Usage: boxes fit [flags] FILE...

Fit the Universal Scalability Law to load-test measurements:

  X(N) = λN / (1 + σ(N − 1) + κN(N − 1))

λ is the throughput of one job at a time (performance), σ the contention and
κ the coherency cost (scalability). fit prints them with standard errors and
95% intervals, R², the concurrency of peak throughput N* = sqrt((1 − σ)/κ),
the peak throughput X(N*) and Amdahl's limit λ/σ, and says in words when a
bound binds (σ, κ ≥ 0). --predict adds X(N) and R(N) = N/X(N); --curve prints
the fitted curve instead, for charts.

FILE is a CSV file ("-" for standard input) with a header naming any two of
these columns (case-insensitive; other columns are ignored):

  concurrency  concurrency, N, clients, users, threads, workers, vus, load, processors
  throughput   throughput, X, rps, qps, tps, rate         a bare number is per second
  latency      latency, response_time, R, rt, response    needs a unit

Units go in the cells (100/s, 2.4k/min, 250ms, 1.5s) or in the header
(latency_ms, latency (s), throughput_per_min, throughput (/min)). With
throughput and latency from an open-loop test, concurrency comes from
Little's law, N = X × R. Lines starting with # are comments. At least 4
measurements at 3 or more concurrencies; 6 or more are better.

FILE may also be a load-test tool's own output, detected from its content
(or named by --input-format): a JMeter JTL (CSV), a Locust
*_stats_history.csv, a k6 --out csv file, ab or hey text output, a vegeta
report -type=json. Several files (or a directory of them) make one fit,
like one ab or hey output per concurrency. fit first says what it read:
the format, which column meant what, and the windows of constant
concurrency it used (the edges of each, where the load ramped, dropped).
hey and vegeta do not write their concurrency: it comes from --concurrency,
the file's name (hey-c8.txt) or Little's law N = X × R.

Examples:
  boxes fit specsdm91.csv
  boxes fit results.jtl
  boxes fit ab-c1.txt ab-c2.txt ab-c4.txt ab-c8.txt
  boxes fit --concurrency 1,2,4,8 hey-*.txt
  boxes fit --column latency=p50_ms runs.csv
  boxes fit --predict 150,300 --format json bench.csv
  boxes fit --curve --to 400 bench.csv > curve.csv
  boxes fit --html fit.html bench.csv
  printf 'rps,latency_ms\n100,10\n400,12\n800,16\n1200,25\n' | boxes fit -
`

func runFit(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("fit", fitUsage, stderr)
	format := flagvalue.NewFormat("text", "json")
	var predict concurrencyList
	var curve concurrencyRange
	fs.Var(format, "format", "output format: text or json (with --curve: csv or json)")
	fs.Var(&predict, "predict", "predict X(N) and R(N) at these concurrencies (`list`, like 150,300)")
	curve.register(fs)
	html := fs.String("html", "", "also write the HTML report, with X(N) and R(N) charts, to `file`")
	var input inputFlags
	input.register(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usageError{errorf("fit takes measurement files, got none")}
	}
	m, sources, err := input.read(fs.Args(), stdin)
	if err != nil {
		return usageError{err}
	}
	r, err := m.Fit()
	if err != nil {
		return usageError{err}
	}
	columns := make([]string, len(m.Given))
	for i, q := range m.Given {
		columns[i] = q.String()
	}
	if *html != "" {
		fj := measurement.NewFitJSON(m.Name, columns, r, predict.ns)
		fj.Sources = sourcesJSON(sources)
		if err := writeHTMLFile(*html, func(w io.Writer) error { return measurement.WriteFitHTML(w, &fj, measurement.Measurements(r.Points)) }); err != nil {
			return err
		}
	}
	if curve.on {
		from, to, steps, err := curve.rangeFor(maxConcurrency(r.Points), r.Model.PeakConcurrency(), minConcurrency(r.Points))
		if err != nil {
			return err
		}
		c := usl.Curve(r.Model.Throughput, from, to, steps)
		return writeOutput(stdout, func(w io.Writer) error {
			if format.Value == "json" {
				return measurement.WriteCurveJSON(w, c)
			}
			return measurement.WriteCurveCSV(w, c)
		})
	}
	return writeOutput(stdout, func(w io.Writer) error {
		if format.Value == "json" {
			fj := measurement.NewFitJSON(m.Name, columns, r, predict.ns)
			fj.Sources = sourcesJSON(sources)
			return writeIndentedJSON(w, fj)
		}
		if err := loadtest.WriteSummary(w, sources); err != nil {
			return err
		}
		return measurement.WriteFit(w, m.Name, columns, r, predict.ns)
	})
}

func maxConcurrency(ps []usl.Point) float64 {
	m := 0.0
	for _, p := range ps {
		m = math.Max(m, p.Concurrency)
	}
	return m
}

func minConcurrency(ps []usl.Point) float64 {
	m := math.Inf(1)
	for _, p := range ps {
		m = math.Min(m, p.Concurrency)
	}
	return m
}

// concurrencyList is a comma-separated list of positive concurrencies.
type concurrencyList struct{ ns []float64 }

func (l *concurrencyList) String() string {
	if l == nil {
		return ""
	}
	s := make([]string, len(l.ns))
	for i, n := range l.ns {
		s[i] = strconv.FormatFloat(n, 'g', -1, 64)
	}
	return strings.Join(s, ",")
}

func (l *concurrencyList) Set(s string) error {
	for f := range strings.SplitSeq(s, ",") {
		n, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil || !(n > 0) || math.IsInf(n, 0) {
			return fmt.Errorf("concurrency %q must be a positive number", strings.TrimSpace(f))
		}
		l.ns = append(l.ns, n)
	}
	return nil
}

// concurrencyRange are the flags of --curve: the range of concurrencies.
type concurrencyRange struct {
	on       bool
	from, to flagvalue.Float
	steps    flagvalue.Int
}

func (c *concurrencyRange) register(fs *flag.FlagSet) {
	fs.BoolVar(&c.on, "curve", false, "print throughput and latency against concurrency instead (CSV, or JSON with --format json)")
	fs.Var(&c.from, "from", "the curve's first concurrency (default 1, or the smallest measured if below 1)")
	fs.Var(&c.to, "to", "the curve's last concurrency (default twice the largest measured, or 1.5 N* if that is more)")
	fs.Var(&c.steps, "steps", "intervals between curve points (default every whole number up to 200 of them, else 100)")
}

// rangeFor is the curve's range: the flags, or defaults from the largest
// and smallest measured concurrency and the peak N* (+Inf for none).
func (c *concurrencyRange) rangeFor(maxN, peak, minN float64) (from, to float64, steps int, err error) {
	from, to = usl.CurveRange(minN, maxN, peak)
	if c.from.Given {
		from = c.from.V
	}
	if c.to.Given {
		to = c.to.V
	}
	if !(from > 0) || !(to >= from) {
		return 0, 0, 0, usageError{errorf("the curve needs 0 < --from ≤ --to, got %g and %g", from, to)}
	}
	steps = usl.CurveSteps(from, to)
	if c.steps.Given {
		if c.steps.V < 1 || c.steps.V > 1e6 {
			return 0, 0, 0, usageError{errorf("--steps %d must be between 1 and 1000000", c.steps.V)}
		}
		steps = c.steps.V
	}
	return from, to, steps, nil
}
