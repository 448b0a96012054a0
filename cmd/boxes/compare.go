package main

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"math"
	"os"
	"strings"

	"github.com/boxes-project/boxes/internal/cli/flagvalue"
	"github.com/boxes-project/boxes/loadtest"
	"github.com/boxes-project/boxes/report/measurement"
	"github.com/boxes-project/boxes/usl"
)

const compareUsage = `
Usage: boxes compare [flags] BEFORE AFTER

Was it performance or scalability? compare splits a change in throughput
between two measurements into a performance part (response time fell: the
response-time curve moved down) and a scalability part (more jobs in
parallel: it moved right). Each of BEFORE and AFTER is either

  a point, any two of concurrency N, throughput X and response time R
  ("N=4,X=100/s", "X=2/s,R=500ms", "N=2,R=1s"), the third coming from
  Little's law N = X × R. Then, exactly,
    X2/X1 = (R1/R2) × (N2/N1) = performance factor × scalability factor;

  or a measurement file as boxes fit reads it ("-" for standard input),
  or a directory of them (one ab or hey output per concurrency, say).
  Both are fitted with the Universal Scalability Law and compare reports
  what moved: λ (performance) and σ, κ and the peak concurrency N*
  (scalability), each with whether the change is outside the 95%
  intervals. The peak throughput's change splits into λ's factor and the
  peak relative capacity's.

--curve prints both curves side by side instead, for charts: concurrency,
then throughput and latency before and after (CSV, or JSON with --format
json). For points the curve is the boxes model: N boxes of latency R, flat
up to N jobs at once and then rising as jobs wait.

Examples:
  boxes compare N=1,R=1s X=2/s,R=500ms        # the second article's example: all performance
  boxes compare N=1,R=1s N=2,R=1s             # the second article's example: all scalability
  boxes compare --format json before.csv after.csv
  boxes compare --curve --to 400 before.csv after.csv > curves.csv
  boxes compare --html split.html N=1,R=1s N=2,R=500ms
`

func runCompare(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("compare", compareUsage, stderr)
	format := flagvalue.NewFormat("text", "json")
	var curve concurrencyRange
	fs.Var(format, "format", "output format: text or json (with --curve: csv or json)")
	curve.register(fs)
	html := fs.String("html", "", "also write the HTML report, with the two graphs of “The Difference Between Scalability and Performance”, to `file`")
	var input inputFlags
	input.register(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 2 {
		return usageError{errorf("compare takes two measurements, BEFORE and AFTER, got %d arguments", fs.NArg())}
	}
	if fs.Arg(0) == "-" && fs.Arg(1) == "-" {
		return usageError{errorf("only one of BEFORE and AFTER can be standard input")}
	}
	var sides [2]usl.Side
	var sources [2][]*loadtest.Source
	for i, arg := range fs.Args() {
		p, m, err := readSide(arg, stdin, &input, &sources[i])
		if err != nil {
			return usageError{err}
		}
		sides[i] = usl.Side{Point: p, Measurements: m}
	}
	c, err := usl.Compare(sides[0], sides[1])
	if err != nil {
		return usageError{err}
	}
	if c.Points != nil {
		return comparePoints(stdout, *c.Points, format.Value, &curve, *html)
	}
	return compareFiles(stdout, c, [2]string{sides[0].Measurements.Name, sides[1].Measurements.Name}, sources, format.Value, &curve, *html)
}

// readSide reads one of compare's arguments: a file when one by that name
// exists (or "-"), else a point when it has "=".
func readSide(arg string, stdin io.Reader, input *inputFlags, sources *[]*loadtest.Source) (*usl.Point, *usl.Measurements, error) {
	if arg != "-" {
		_, err := os.Stat(arg)
		if errors.Is(err, fs.ErrNotExist) && strings.Contains(arg, "=") {
			p, err := usl.ParsePoint(arg)
			if err != nil {
				return nil, nil, err
			}
			return &p, nil, nil
		}
	}
	m, s, err := input.read([]string{arg}, stdin)
	if err != nil {
		return nil, nil, err
	}
	*sources = s
	return nil, m, nil
}

func comparePoints(stdout io.Writer, c usl.PointComparison, format string, curve *concurrencyRange, html string) error {
	a, b := c.Before, c.After
	if html != "" {
		cj := measurement.NewPointComparisonJSON(c)
		if err := writeHTMLFile(html, func(w io.Writer) error { return measurement.WritePointComparisonHTML(w, &cj) }); err != nil {
			return err
		}
	}
	if curve.on {
		from, to, steps, err := curve.rangeFor(math.Max(a.Concurrency, b.Concurrency), math.Inf(1), math.Min(a.Concurrency, b.Concurrency))
		if err != nil {
			return err
		}
		return writeCurvePair(stdout, format, usl.Curve(c.Before.ThroughputAt, from, to, steps), usl.Curve(c.After.ThroughputAt, from, to, steps))
	}
	return writeOutput(stdout, func(w io.Writer) error {
		if format == "json" {
			return measurement.WritePointComparisonJSON(w, c)
		}
		return measurement.WritePointComparison(w, c)
	})
}

func compareFiles(stdout io.Writer, cmp *usl.Compared, names [2]string, sources [2][]*loadtest.Source, format string, curve *concurrencyRange, html string) error {
	fits, c := cmp.Fits, *cmp.Fit
	if html != "" {
		cj := measurement.NewFitComparisonJSON(names, c)
		cj.Before.Sources, cj.After.Sources = sourcesJSON(sources[0]), sourcesJSON(sources[1])
		pb, pa := measurement.Measurements(fits[0].Points), measurement.Measurements(fits[1].Points)
		if err := writeHTMLFile(html, func(w io.Writer) error { return measurement.WriteFitComparisonHTML(w, &cj, pb, pa) }); err != nil {
			return err
		}
	}
	if curve.on {
		all := append(append([]usl.Point{}, fits[0].Points...), fits[1].Points...)
		peak := math.Max(fits[0].Model.PeakConcurrency(), fits[1].Model.PeakConcurrency())
		if math.IsInf(peak, 1) {
			peak = math.Min(fits[0].Model.PeakConcurrency(), fits[1].Model.PeakConcurrency())
		}
		from, to, steps, err := curve.rangeFor(maxConcurrency(all), peak, minConcurrency(all))
		if err != nil {
			return err
		}
		return writeCurvePair(stdout, format, usl.Curve(fits[0].Model.Throughput, from, to, steps), usl.Curve(fits[1].Model.Throughput, from, to, steps))
	}
	return writeOutput(stdout, func(w io.Writer) error {
		if format == "json" {
			cj := measurement.NewFitComparisonJSON(names, c)
			cj.Before.Sources, cj.After.Sources = sourcesJSON(sources[0]), sourcesJSON(sources[1])
			return writeIndentedJSON(w, cj)
		}
		if err := loadtest.WriteSummary(w, append(sources[0], sources[1]...)); err != nil {
			return err
		}
		return measurement.WriteFitComparison(w, names, c)
	})
}

func writeCurvePair(stdout io.Writer, format string, before, after []usl.Point) error {
	return writeOutput(stdout, func(w io.Writer) error {
		if format == "json" {
			return measurement.WriteCurvesJSON(w, before, after)
		}
		return measurement.WriteCurvesCSV(w, before, after)
	})
}
