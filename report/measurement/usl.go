package measurement

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/boxes-project/boxes/report"
	"github.com/boxes-project/boxes/usl"
)

// MeasurementJSON is a usl.Point in JSON: concurrency (jobs in the system),
// throughput (jobs per second) and latency (response time, seconds).
type MeasurementJSON struct {
	Concurrency report.Float `json:"concurrency"`
	Throughput  report.Float `json:"throughput"`
	Latency     report.Float `json:"latency"`
}

func newMeasurementJSON(p usl.Point) MeasurementJSON {
	return MeasurementJSON{Concurrency: report.Float(p.Concurrency), Throughput: report.Float(p.Throughput), Latency: report.Float(p.Latency)}
}

// FitJSON is the JSON form of a usl.FitResult (`boxes fit --format json`).
// λ, throughputs and their intervals are in jobs per second, latencies in
// seconds; σ and κ are dimensionless. Intervals are [low, high] at 95%.
// peak_concurrency is the continuous N* and peak_throughput X(N*); without
// a peak (κ = 0, throughput rises forever) peak_concurrency and
// peak_concurrency_whole are null, peak says "none" and peak_throughput is
// Amdahl's limit λ/σ. No field is ever a string for a number.
type FitJSON struct {
	File                 string            `json:"file,omitempty"`
	Points               int               `json:"points"`
	Columns              []string          `json:"columns,omitempty"`
	Lambda               report.Float      `json:"lambda"`
	LambdaSE             report.Float      `json:"lambda_se"`
	LambdaCI             [2]report.Float   `json:"lambda_ci"`
	Sigma                report.Float      `json:"sigma"`
	SigmaSE              report.Float      `json:"sigma_se"`
	SigmaCI              [2]report.Float   `json:"sigma_ci"`
	Kappa                report.Float      `json:"kappa"`
	KappaSE              report.Float      `json:"kappa_se"`
	KappaCI              [2]report.Float   `json:"kappa_ci"`
	AtBound              []string          `json:"at_bound"`
	RSquared             report.Float      `json:"r_squared"`
	ResidualSE           report.Float      `json:"residual_se"`
	DF                   int               `json:"df"`
	PeakConcurrency      report.Float      `json:"peak_concurrency"`
	Peak                 string            `json:"peak,omitempty"` // "none" without a peak
	PeakConcurrencyCI    [2]report.Float   `json:"peak_concurrency_ci"`
	PeakConcurrencyWhole report.Float      `json:"peak_concurrency_whole"`
	PeakThroughput       report.Float      `json:"peak_throughput"`
	LimitThroughput      report.Float      `json:"limit_throughput"`
	Notes                []string          `json:"notes"`
	Warnings             []string          `json:"warnings"`
	Predictions          []MeasurementJSON `json:"predictions,omitempty"`
	// Measurements are the points fitted, so that a saved fit can be drawn
	// with its data.
	Measurements []MeasurementJSON `json:"measurements,omitempty"`
	// Sources say what was read from each load-test file: its format, the
	// columns and the windows used (loadtest.Source), kept as written.
	Sources json.RawMessage `json:"sources,omitempty"`
}

// NewFitJSON converts r to its JSON form; file and columns describe where
// the measurements came from (either may be empty), predict lists the
// concurrencies to predict X and R at.
func NewFitJSON(file string, columns []string, r *usl.FitResult, predict []float64) FitJSON {
	m := r.Model
	ci := func(e usl.Estimate) [2]report.Float {
		return [2]report.Float{report.Float(e.Low), report.Float(e.High)}
	}
	j := FitJSON{
		File: file, Points: len(r.Points), Columns: columns,
		Lambda: report.Float(m.Lambda), LambdaSE: report.Float(r.Lambda.StdErr), LambdaCI: ci(r.Lambda),
		Sigma: report.Float(m.Sigma), SigmaSE: report.Float(r.Sigma.StdErr), SigmaCI: ci(r.Sigma),
		Kappa: report.Float(m.Kappa), KappaSE: report.Float(r.Kappa.StdErr), KappaCI: ci(r.Kappa),
		AtBound:              []string{},
		RSquared:             report.Float(r.RSquared),
		ResidualSE:           report.Float(r.ResidualSE),
		DF:                   r.DF,
		PeakConcurrency:      report.Float(m.PeakConcurrency()),
		Peak:                 peakWord(m),
		PeakConcurrencyCI:    ci(r.Peak),
		PeakConcurrencyWhole: report.Float(m.PeakConcurrencyWhole()),
		PeakThroughput:       report.Float(m.PeakThroughput()),
		LimitThroughput:      report.Float(m.LimitThroughput()),
		Notes:                append([]string{}, r.Notes...),
		Warnings:             append([]string{}, r.Warnings...),
	}
	for _, b := range []struct {
		name string
		e    usl.Estimate
	}{{"lambda", r.Lambda}, {"sigma", r.Sigma}, {"kappa", r.Kappa}} {
		if b.e.AtBound {
			j.AtBound = append(j.AtBound, b.name)
		}
	}
	for _, n := range predict {
		j.Predictions = append(j.Predictions, newMeasurementJSON(m.At(n)))
	}
	for _, p := range r.Points {
		j.Measurements = append(j.Measurements, newMeasurementJSON(p))
	}
	return j
}

// WriteFitJSON writes a fit as one indented JSON object (see NewFitJSON).
func WriteFitJSON(w io.Writer, file string, columns []string, r *usl.FitResult, predict []float64) error {
	return uslWriteIndented(w, NewFitJSON(file, columns, r, predict))
}

func uslWriteIndented(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// WriteFit writes a fit as lines a person reads: the coefficients with
// their meaning, errors and intervals, the peak and the limit, the notes
// and warnings, and predictions at the concurrencies in predict.
func WriteFit(w io.Writer, file string, columns []string, r *usl.FitResult, predict []float64) error {
	m := r.Model
	from := ""
	if file != "" {
		from = " of " + file
	}
	fmt.Fprintf(w, "USL fit%s: %d measurements", from, len(r.Points))
	if len(columns) > 0 {
		fmt.Fprintf(w, " (%s)", strings.Join(columns, ", "))
	}
	fmt.Fprintf(w, "\nX(N) = λN / (1 + σ(N − 1) + κN(N − 1))\n\n")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "\testimate\tstd. error\t95%% interval\t\n")
	fmt.Fprintf(tw, "λ\t%s\t%s\t[%s, %s]\tperformance: one job at a time, R(1) = 1/λ = %s\n",
		report.JobsPerSecond(m.Lambda), report.Number(r.Lambda.StdErr), report.Number(r.Lambda.Low), report.Number(r.Lambda.High), report.Seconds(m.Latency(1)))
	fmt.Fprintf(tw, "σ\t%s\t%s\t[%s, %s]\tcontention: the serialized fraction of the work%s\n",
		report.Number(m.Sigma), report.Number(r.Sigma.StdErr), report.Number(r.Sigma.Low), report.Number(r.Sigma.High), uslBoundMark(r.Sigma))
	fmt.Fprintf(tw, "κ\t%s\t%s\t[%s, %s]\tcoherency: the cost of workers keeping in step%s\n",
		report.Number(m.Kappa), report.Number(r.Kappa.StdErr), report.Number(r.Kappa.Low), report.Number(r.Kappa.High), uslBoundMark(r.Kappa))
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "R²\t%s\tresidual std. error %s on %d degrees of freedom\n", strconv.FormatFloat(r.RSquared, 'f', 4, 64), report.JobsPerSecond(r.ResidualSE), r.DF)
	if n := m.PeakConcurrency(); math.IsInf(n, 1) {
		fmt.Fprintf(tw, "peak concurrency N*\tnone\tthroughput rises without a peak\n")
	} else {
		fmt.Fprintf(tw, "peak concurrency N*\t%s\tbest whole number %s; 95%% interval [%s, %s]\n",
			report.Number(n), report.Number(m.PeakConcurrencyWhole()), report.Number(r.Peak.Low), report.Number(r.Peak.High))
	}
	fmt.Fprintf(tw, "peak throughput X(N*)\t%s\t%s\n", report.JobsPerSecond(m.PeakThroughput()), uslPeakNote(m))
	fmt.Fprintf(tw, "Amdahl limit λ/σ\t%s\tthe ceiling from contention alone\n", report.JobsPerSecond(m.LimitThroughput()))
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, n := range r.Notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
	for _, n := range r.Warnings {
		fmt.Fprintf(w, "warning: %s\n", n)
	}
	if len(predict) > 0 {
		fmt.Fprintf(w, "\npredictions:\n")
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintf(tw, "N\tX(N)\tR(N)\t\n")
		for _, n := range predict {
			p := m.At(n)
			fmt.Fprintf(tw, "%s\t%s\t%s\t\n", report.Number(n), report.JobsPerSecond(p.Throughput), report.Seconds(p.Latency))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	return nil
}

func uslBoundMark(e usl.Estimate) string {
	if e.AtBound {
		return " (at its bound)"
	}
	return ""
}

func uslPeakNote(m usl.Model) string {
	if math.IsInf(m.PeakConcurrency(), 1) {
		return "no peak: the limit throughput approaches"
	}
	return "R(N*) = " + report.Seconds(m.Latency(m.PeakConcurrency()))
}

// uslLatencyWords formats a response time the way a person says it: "1 s",
// "0.5 s", "20 ms", "250 µs", "2m30s".
func uslLatencyWords(s float64) string {
	switch {
	case math.IsNaN(s) || math.IsInf(s, 0):
		return report.Number(s)
	case s >= 60:
		return report.Seconds(s)
	case s >= 0.1:
		return strconv.FormatFloat(s, 'g', 3, 64) + " s"
	case s >= 1e-4:
		return strconv.FormatFloat(s*1e3, 'g', 3, 64) + " ms"
	}
	return strconv.FormatFloat(s*1e6, 'g', 3, 64) + " µs"
}

// uslCountWords formats a concurrency: "1", "2.5", "1,500".
func uslCountWords(n float64) string {
	if n >= 1000 && n < 1e7 {
		return report.Count(n)
	}
	return report.Number(math.Round(n*1000) / 1000)
}

// PerformanceSplit is the second article's answer for two points in one line:
//
//	throughput ×2.00 = ×2.00 from performance (latency 1 s → 0.5 s) × ×1.00 from scalability (parallelism 1 → 1)
func PerformanceSplit(c usl.PointComparison) string {
	return fmt.Sprintf("throughput ×%s = ×%s from performance (latency %s → %s) × ×%s from scalability (parallelism %s → %s)",
		report.Factor(c.ThroughputFactor),
		report.Factor(c.PerformanceFactor), uslLatencyWords(c.Before.Latency), uslLatencyWords(c.After.Latency),
		report.Factor(c.ScalabilityFactor), uslCountWords(c.Before.Concurrency), uslCountWords(c.After.Concurrency))
}

// PointComparisonJSON is the JSON form of a usl.PointComparison
// (`boxes compare --format json` on two points). performance_share is the
// part of ln(X2/X1) that performance made; NaN when throughput did not
// change.
type PointComparisonJSON struct {
	Kind              string          `json:"kind"` // "points"
	Before            MeasurementJSON `json:"before"`
	After             MeasurementJSON `json:"after"`
	ThroughputFactor  report.Float    `json:"throughput_factor"`
	PerformanceFactor report.Float    `json:"performance_factor"`
	ScalabilityFactor report.Float    `json:"scalability_factor"`
	PerformanceShare  report.Float    `json:"performance_share"`
	Verdict           string          `json:"verdict"`
	Summary           string          `json:"summary"`
}

// NewPointComparisonJSON converts c to its JSON form.
func NewPointComparisonJSON(c usl.PointComparison) PointComparisonJSON {
	return PointComparisonJSON{
		Kind:   "points",
		Before: newMeasurementJSON(c.Before), After: newMeasurementJSON(c.After),
		ThroughputFactor:  report.Float(c.ThroughputFactor),
		PerformanceFactor: report.Float(c.PerformanceFactor),
		ScalabilityFactor: report.Float(c.ScalabilityFactor),
		PerformanceShare:  report.Float(c.PerformanceShare()),
		Verdict:           c.Verdict(),
		Summary:           PerformanceSplit(c),
	}
}

// WritePointComparisonJSON writes c as one indented JSON object.
func WritePointComparisonJSON(w io.Writer, c usl.PointComparison) error {
	return uslWriteIndented(w, NewPointComparisonJSON(c))
}

// WritePointComparison writes the split of two points in words.
func WritePointComparison(w io.Writer, c usl.PointComparison) error {
	// The verdict first: what changed, then the numbers that show it.
	fmt.Fprintf(w, "Verdict: %s: %s\n\n", c.Verdict(), PerformanceSplit(c))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "\tconcurrency N\tthroughput X\tlatency R\n")
	for _, r := range []struct {
		name string
		p    usl.Point
	}{{"before", c.Before}, {"after", c.After}} {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.name, uslCountWords(r.p.Concurrency), report.JobsPerSecond(r.p.Throughput), uslLatencyWords(r.p.Latency))
	}
	return tw.Flush()
}

// ParameterChangeJSON is one coefficient's move between two fits: outside_ci
// says each estimate lies outside the other's 95% interval.
type ParameterChangeJSON struct {
	Before   report.Float    `json:"before"`
	After    report.Float    `json:"after"`
	Factor   report.Float    `json:"factor"`
	BeforeCI [2]report.Float `json:"before_ci"`
	AfterCI  [2]report.Float `json:"after_ci"`
	Outside  bool            `json:"outside_ci"`
}

func newUSLChangeJSON(c usl.Change) ParameterChangeJSON {
	return ParameterChangeJSON{
		Before: report.Float(c.Before.Value), After: report.Float(c.After.Value), Factor: report.Float(c.Factor),
		BeforeCI: [2]report.Float{report.Float(c.Before.Low), report.Float(c.Before.High)},
		AfterCI:  [2]report.Float{report.Float(c.After.Low), report.Float(c.After.High)},
		Outside:  c.Outside,
	}
}

// FitComparisonJSON is the JSON form of a usl.FitComparison (`boxes
// compare --format json` on two files). The factors split the change in
// peak throughput: performance is λ's factor, scalability the peak
// relative capacity's.
type FitComparisonJSON struct {
	Kind              string              `json:"kind"` // "fits"
	Before            FitJSON             `json:"before"`
	After             FitJSON             `json:"after"`
	ThroughputFactor  report.Float        `json:"throughput_factor"`
	PerformanceFactor report.Float        `json:"performance_factor"`
	ScalabilityFactor report.Float        `json:"scalability_factor"`
	Verdict           string              `json:"verdict"`
	PerformanceMoved  bool                `json:"performance_moved"`
	ScalabilityMoved  bool                `json:"scalability_moved"`
	Lambda            ParameterChangeJSON `json:"lambda"`
	Sigma             ParameterChangeJSON `json:"sigma"`
	Kappa             ParameterChangeJSON `json:"kappa"`
	PeakConcurrency   ParameterChangeJSON `json:"peak_concurrency"`
	Summary           []string            `json:"summary"`
}

// NewFitComparisonJSON converts c to its JSON form; files name the two
// measurement files.
func NewFitComparisonJSON(files [2]string, c usl.FitComparison) FitComparisonJSON {
	return FitComparisonJSON{
		Kind:              "fits",
		Before:            NewFitJSON(files[0], nil, c.Before, nil),
		After:             NewFitJSON(files[1], nil, c.After, nil),
		ThroughputFactor:  report.Float(c.ThroughputFactor),
		PerformanceFactor: report.Float(c.PerformanceFactor),
		ScalabilityFactor: report.Float(c.ScalabilityFactor),
		Verdict:           c.Verdict(),
		PerformanceMoved:  c.PerformanceMoved(),
		ScalabilityMoved:  c.ScalabilityMoved(),
		Lambda:            newUSLChangeJSON(c.Lambda),
		Sigma:             newUSLChangeJSON(c.Sigma),
		Kappa:             newUSLChangeJSON(c.Kappa),
		PeakConcurrency:   newUSLChangeJSON(c.Peak),
		Summary:           uslFitComparisonLines(c),
	}
}

// WriteFitComparisonJSON writes c as one indented JSON object.
func WriteFitComparisonJSON(w io.Writer, files [2]string, c usl.FitComparison) error {
	return uslWriteIndented(w, NewFitComparisonJSON(files, c))
}

// uslFitComparisonLines says what moved between two fits, one line each.
func uslFitComparisonLines(c usl.FitComparison) []string {
	a, b := c.Before.Model, c.After.Model
	lines := []string{fmt.Sprintf("peak throughput ×%s = ×%s from performance (λ %s → %s) × ×%s from scalability (peak capacity %s → %s jobs alone)",
		report.Factor(c.ThroughputFactor), report.Factor(c.PerformanceFactor), report.JobsPerSecond(a.Lambda), report.JobsPerSecond(b.Lambda),
		report.Factor(c.ScalabilityFactor), report.Number(a.PeakThroughput()/a.Lambda), report.Number(b.PeakThroughput()/b.Lambda))}
	moved := func(ch usl.Change) string {
		if ch.Outside {
			return "outside the 95% intervals"
		}
		return "within the 95% intervals"
	}
	lines = append(lines,
		fmt.Sprintf("λ %s → %s (×%s), %s: performance, the response-time curve moved %s",
			report.JobsPerSecond(a.Lambda), report.JobsPerSecond(b.Lambda), report.Factor(c.Lambda.Factor), moved(c.Lambda), uslDirection(c.Lambda.Factor, "down", "up")),
		fmt.Sprintf("σ %s → %s, %s: contention", report.Number(a.Sigma), report.Number(b.Sigma), moved(c.Sigma)),
		fmt.Sprintf("κ %s → %s, %s: coherency", report.Number(a.Kappa), report.Number(b.Kappa), moved(c.Kappa)),
		fmt.Sprintf("N* %s → %s, %s: scalability, the curve's peak moved %s",
			report.Number(a.PeakConcurrency()), report.Number(b.PeakConcurrency()), moved(c.Peak), uslDirection(c.Peak.Factor, "right", "left")),
	)
	perf, scal := "no", "no"
	if c.PerformanceMoved() {
		perf = "yes"
	}
	if c.ScalabilityMoved() {
		scal = "yes"
	}
	return append(lines, fmt.Sprintf("%s; beyond the noise: performance %s, scalability %s", c.Verdict(), perf, scal))
}

func uslDirection(f float64, more, less string) string {
	switch {
	case math.Abs(math.Log(f)) < 1e-6:
		return "nowhere"
	case f > 1:
		return more
	case f < 1:
		return less
	}
	return "an unknown way"
}

// WriteFitComparison writes what moved between two fits: the two fits'
// coefficients side by side, then the split and the changes in words.
func WriteFitComparison(w io.Writer, files [2]string, c usl.FitComparison) error {
	lines := uslFitComparisonLines(c)
	// The verdict first (the last of the lines), then the numbers.
	fmt.Fprintf(w, "Verdict: %s\n\n", lines[len(lines)-1])
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "\tbefore (%s)\tafter (%s)\tfactor\t\n", files[0], files[1])
	row := func(name string, ch usl.Change, f func(float64) string) {
		fmt.Fprintf(tw, "%s\t%s [%s, %s]\t%s [%s, %s]\t×%s\t%s\n", name,
			f(ch.Before.Value), f(ch.Before.Low), f(ch.Before.High),
			f(ch.After.Value), f(ch.After.Low), f(ch.After.High), report.Factor(ch.Factor), map[bool]string{true: "outside the intervals", false: ""}[ch.Outside])
	}
	row("λ", c.Lambda, report.JobsPerSecond)
	row("σ", c.Sigma, report.Number)
	row("κ", c.Kappa, report.Number)
	row("N*", c.Peak, report.Number)
	a, b := c.Before.Model, c.After.Model
	fmt.Fprintf(tw, "X(N*)\t%s\t%s\t×%s\t\n", report.JobsPerSecond(a.PeakThroughput()), report.JobsPerSecond(b.PeakThroughput()), report.Factor(c.ThroughputFactor))
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w)
	for _, l := range lines[:len(lines)-1] {
		fmt.Fprintln(w, l)
	}
	for i, r := range []*usl.FitResult{c.Before, c.After} {
		for _, n := range r.Notes {
			fmt.Fprintf(w, "note (%s): %s\n", files[i], n)
		}
		for _, n := range r.Warnings {
			fmt.Fprintf(w, "warning (%s): %s\n", files[i], n)
		}
	}
	return nil
}

// uslCurveHeader names a curve's CSV columns so that boxes fit reads them
// back: concurrency, throughput per second, latency in seconds.
var uslCurveHeader = []string{"concurrency", "throughput_per_s", "latency_s"}

func uslFtoa(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// WriteCurveCSV writes a curve (usl.Curve) as CSV with the columns
// concurrency, throughput_per_s and latency_s, which boxes fit reads back.
func WriteCurveCSV(w io.Writer, curve []usl.Point) error {
	cw := csv.NewWriter(w)
	cw.Write(uslCurveHeader)
	for _, p := range curve {
		cw.Write([]string{uslFtoa(p.Concurrency), uslFtoa(p.Throughput), uslFtoa(p.Latency)})
	}
	cw.Flush()
	return cw.Error()
}

// WriteCurveJSON writes a curve as {"curve": [{concurrency, throughput,
// latency}, ...]}.
func WriteCurveJSON(w io.Writer, curve []usl.Point) error {
	out := struct {
		Curve []MeasurementJSON `json:"curve"`
	}{Curve: []MeasurementJSON{}}
	for _, p := range curve {
		out.Curve = append(out.Curve, newMeasurementJSON(p))
	}
	return uslWriteIndented(w, out)
}

// WriteCurvesCSV writes two curves sampled at the same concurrencies side by
// side: concurrency, then throughput and latency before, then after.
func WriteCurvesCSV(w io.Writer, before, after []usl.Point) error {
	if len(before) != len(after) {
		return fmt.Errorf("report: curves of %d and %d points", len(before), len(after))
	}
	cw := csv.NewWriter(w)
	cw.Write([]string{"concurrency", "throughput_before_per_s", "latency_before_s", "throughput_after_per_s", "latency_after_s"})
	for i, p := range before {
		q := after[i]
		cw.Write([]string{uslFtoa(p.Concurrency), uslFtoa(p.Throughput), uslFtoa(p.Latency), uslFtoa(q.Throughput), uslFtoa(q.Latency)})
	}
	cw.Flush()
	return cw.Error()
}

// WriteCurvesJSON writes two curves as {"before": [...], "after": [...]}.
func WriteCurvesJSON(w io.Writer, before, after []usl.Point) error {
	out := struct {
		Before []MeasurementJSON `json:"before"`
		After  []MeasurementJSON `json:"after"`
	}{Before: []MeasurementJSON{}, After: []MeasurementJSON{}}
	for _, p := range before {
		out.Before = append(out.Before, newMeasurementJSON(p))
	}
	for _, p := range after {
		out.After = append(out.After, newMeasurementJSON(p))
	}
	return uslWriteIndented(w, out)
}

// peakWord is FitJSON.Peak: "none" when throughput rises without a peak
// (N* is +Inf, written null).
func peakWord(m usl.Model) string {
	if math.IsInf(m.PeakConcurrency(), 1) {
		return "none"
	}
	return ""
}
