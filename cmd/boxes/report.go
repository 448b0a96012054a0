package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"

	"github.com/boxes-project/boxes/internal/cli/atomicfile"
	"github.com/boxes-project/boxes/report/html"
)

const reportUsage = `
Usage: boxes report [flags] [FILE]

Writes the HTML report of a result that boxes saved as JSON: one file with
its CSS and charts inline (SVG), no script and nothing fetched, readable on
a phone and in print. FILE is the JSON of boxes simulate (with --series for
the charts), boxes fit or boxes compare (--format json); "-" or no FILE
reads standard input.

For a simulation the report has the scenario, the comparison table, a
paragraph per policy on what happened and why, and the charts: JobRate
against Throughput with the missed jobs shaded, utilization with the target
band, ready and booting capacity, and cumulative cost against the oracle.

--charts DIR also writes each chart to DIR as SVG and PNG.

Examples:
  boxes simulate --format json --series > run.json && boxes report --out run.html run.json
  boxes simulate --format json --series | boxes report > run.html
  boxes compare --format json N=1,R=1s N=2,R=500ms | boxes report --charts charts/ --out split.html
`

func runReport(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("report", reportUsage, stderr)
	out := fs.String("out", "", "write the report to `file` (whole or not at all) instead of standard output")
	charts := fs.String("charts", "", "also write each chart to `dir` as SVG and PNG")
	budget := addBudgetFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 1 {
		return badUsage(fs, "want at most one result file, got %d", fs.NArg())
	}
	if err := budget.check(); err != nil {
		return err
	}
	if err := checkInputs("report", fs.Args(), budget); err != nil {
		return err
	}
	in, name := stdin, "standard input"
	if fs.NArg() == 1 && fs.Arg(0) != "-" {
		f, err := os.Open(fs.Arg(0))
		if err != nil {
			return usageError{err}
		}
		defer f.Close()
		in, name = f, fs.Arg(0)
	}
	res, err := html.ReadResult(in, name)
	if err != nil {
		return usageError{err}
	}
	if *charts != "" {
		if err := writeCharts(*charts, res); err != nil {
			return err
		}
	}
	if *out != "" {
		return writeFileAtomic(*out, atomicfile.UntilDone(ctx, res.WriteHTML))
	}
	return writeOutput(stdout, atomicfile.UntilDone(ctx, res.WriteHTML))
}

// writeCharts writes each chart of res into dir as NAME.svg and NAME.png
// (twice the CSS size, for sharp screens), each file whole or not at all.
func writeCharts(dir string, res *html.Result) error {
	cs, err := res.Charts()
	if err != nil {
		return usageError{err}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return outputError{err}
	}
	for _, c := range cs {
		base := filepath.Join(dir, c.FileName())
		if err := writeFileAtomic(base+".svg", c.WriteSVG); err != nil {
			return err
		}
		png, err := c.PNG(2)
		if err != nil {
			return outputError{err}
		}
		if err := writeFileAtomic(base+".png", func(w io.Writer) error { _, err := io.Copy(w, bytes.NewReader(png)); return err }); err != nil {
			return err
		}
	}
	return nil
}

// writeHTMLFile writes an HTML report to name, whole or not at all.
func writeHTMLFile(name string, write func(io.Writer) error) error {
	return writeFileAtomic(name, write)
}
