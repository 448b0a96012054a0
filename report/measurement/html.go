package measurement

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/boxes-project/boxes/report"
)

// The measurement reports.

const uslParagraph = "λ is performance: the throughput of one job alone, R(1) = 1/λ; a larger λ pushes the whole response-time curve down. σ (contention, the serialized share of the work) and κ (coherency, the cost of keeping workers in step) are scalability: the smaller they are, the further right the curve's knee and its peak N* = √((1 − σ)/κ)."

func fitTable(f *FitJSON) report.HTMLTable {
	ci := func(c [2]report.Float, format func(float64) string) string {
		return "[" + format(float64(c[0])) + ", " + format(float64(c[1])) + "]"
	}
	t := report.HTMLTable{Head: []string{"", "estimate", "std. error", "95% interval", "meaning"}, Right: []bool{false, true, true, true, false}}
	t.Rows = []report.HTMLRow{
		{Cells: []string{"λ", report.JobsPerSecond(float64(f.Lambda)), report.Number(float64(f.LambdaSE)), ci(f.LambdaCI, report.Number), "performance: R(1) = 1/λ = " + report.Seconds(1/float64(f.Lambda))}},
		{Cells: []string{"σ", report.Number(float64(f.Sigma)), report.Number(float64(f.SigmaSE)), ci(f.SigmaCI, report.Number), "contention"}},
		{Cells: []string{"κ", report.Number(float64(f.Kappa)), report.Number(float64(f.KappaSE)), ci(f.KappaCI, report.Number), "coherency"}},
		{Cells: []string{"R²", strconv.FormatFloat(float64(f.RSquared), 'f', 4, 64), "", "", fmt.Sprintf("%d degrees of freedom", f.DF)}},
	}
	if n := float64(f.PeakConcurrency); math.IsInf(n, 1) || f.Peak == "none" {
		t.Rows = append(t.Rows, report.HTMLRow{Cells: []string{"N*", "none", "", "", "throughput rises without a peak"}})
	} else {
		t.Rows = append(t.Rows, report.HTMLRow{Cells: []string{"N*", report.Number(n), "", ci(f.PeakConcurrencyCI, report.Number), "peak concurrency; best whole number " + report.Number(float64(f.PeakConcurrencyWhole))}})
	}
	t.Rows = append(t.Rows,
		report.HTMLRow{Cells: []string{"X(N*)", report.JobsPerSecond(float64(f.PeakThroughput)), "", "", "peak throughput"}},
		report.HTMLRow{Cells: []string{"λ/σ", report.JobsPerSecond(float64(f.LimitThroughput)), "", "", "Amdahl's limit: the ceiling from contention alone"}},
	)
	return t
}

// WriteFitHTML writes a USL fit's report: the coefficients, what they
// mean, and X(N) and R(N) with the measurements and the peak. points may
// be nil (a fit read back from JSON has none): then only the curves are
// drawn.
func WriteFitHTML(w io.Writer, f *FitJSON, points []MeasurementJSON) error {
	title := "Universal Scalability Law fit"
	if f.File != "" {
		title += " of " + f.File
	}
	p := report.Page{
		Title:      title,
		Lede:       []string{fmt.Sprintf("%d measurements; X(N) = λN / (1 + σ(N − 1) + κN(N − 1)).", f.Points)},
		TableTitle: "The fit",
		Table:      fitTable(f),
		Paragraphs: []string{uslParagraph},
		Warnings:   append(append([]string{}, prefixEach("note: ", f.Notes)...), prefixEach("warning: ", f.Warnings)...),
		Charts:     report.InlineSVG(FitCharts(f, points), nil),
		Source:     report.SourceName(f.File, "a fit"),
	}
	return report.WritePage(w, p)
}

func prefixEach(p string, xs []string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = p + x
	}
	return out
}

const twoGraphsParagraph = "The two graphs of “The Difference Between Scalability and Performance”: response time against load. Improving performance pushes the curve down (each job takes less time, with a floor above zero); improving scalability pushes it right (more jobs at once before response time climbs). The dashed curve is halfway: the after latency with the before parallelism, so the first graph is the performance part alone and the second the scalability part."

// WritePointComparisonHTML writes the split of two measurements into
// performance and scalability, with the two graphs of “The Difference Between Scalability and Performance”.
func WritePointComparisonHTML(w io.Writer, c *PointComparisonJSON) error {
	t := report.HTMLTable{Head: []string{"", "concurrency N", "throughput X", "response time R"}, Right: []bool{false, true, true, true}}
	for _, r := range []struct {
		name string
		m    MeasurementJSON
		col  string
	}{{"before", c.Before, colorBefore}, {"after", c.After, colorAfter}} {
		t.Rows = append(t.Rows, report.HTMLRow{Color: r.col, Cells: []string{r.name, uslCountWords(float64(r.m.Concurrency)), report.JobsPerSecond(float64(r.m.Throughput)), uslLatencyWords(float64(r.m.Latency))}})
	}
	p := report.Page{
		Title:      "Performance or scalability? " + capitalize(c.Verdict),
		Lede:       []string{c.Summary},
		TableTitle: "The two measurements",
		Table:      t,
		Paragraphs: []string{"Little's law X = N / R splits the change exactly: X2/X1 = (R1/R2) × (N2/N1), performance × scalability.", twoGraphsParagraph},
		Charts:     report.InlineSVG(PointComparisonCharts(c), nil),
		Source:     "two measurements",
	}
	return report.WritePage(w, p)
}

// WriteFitComparisonHTML writes what moved between two USL fits, with the
// second article's two graphs and both throughput curves. pb and pa are the
// measurements (nil when read back from JSON).
func WriteFitComparisonHTML(w io.Writer, c *FitComparisonJSON, pb, pa []MeasurementJSON) error {
	t := report.HTMLTable{Head: []string{"", "before", "after", "factor", ""}, Right: []bool{false, true, true, true, false}}
	row := func(name string, ch ParameterChangeJSON, f func(float64) string) {
		out := ""
		if ch.Outside {
			out = "outside the 95% intervals"
		}
		t.Rows = append(t.Rows, report.HTMLRow{Cells: []string{name, f(float64(ch.Before)), f(float64(ch.After)), "×" + report.Factor(float64(ch.Factor)), out}})
	}
	row("λ", c.Lambda, report.JobsPerSecond)
	row("σ", c.Sigma, report.Number)
	row("κ", c.Kappa, report.Number)
	row("N*", c.PeakConcurrency, report.Number)
	t.Rows = append(t.Rows, report.HTMLRow{Cells: []string{"X(N*)", report.JobsPerSecond(float64(c.Before.PeakThroughput)), report.JobsPerSecond(float64(c.After.PeakThroughput)), "×" + report.Factor(float64(c.ThroughputFactor)), ""}})
	var warnings []string
	for i, f := range []*FitJSON{&c.Before, &c.After} {
		name := [2]string{"before", "after"}[i]
		warnings = append(warnings, prefixEach("note ("+name+"): ", f.Notes)...)
		warnings = append(warnings, prefixEach("warning ("+name+"): ", f.Warnings)...)
	}
	p := report.Page{
		Title:      "Performance or scalability? " + capitalize(c.Verdict),
		Lede:       c.Summary,
		TableTitle: "What moved",
		Table:      t,
		Paragraphs: []string{uslParagraph, twoGraphsParagraph},
		Warnings:   warnings,
		Charts:     report.InlineSVG(FitComparisonCharts(c, pb, pa), nil),
		Source:     report.SourceName(strings.Trim(c.Before.File+" and "+c.After.File, " and"), "two fits"),
	}
	return report.WritePage(w, p)
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
