package report

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/boxes-project/boxes/report/chart"
)

// The self-contained HTML report: one file with its CSS inline and its
// charts as inline SVG, no script and nothing fetched, readable on a phone
// and in print. The same bytes for the same result.

//go:embed html_report.tmpl
var htmlTemplateText string

//go:embed html_report.css
var htmlCSS string

var htmlTemplate = template.Must(template.New("report").Parse(htmlTemplateText))

// htmlPage is what the template draws.
type htmlPage struct {
	// Verdict, when set, is the page's first line.
	Verdict    string
	Title      string
	Lede       []string
	Setup      []htmlPair
	TableTitle string
	Table      HTMLTable
	TableNotes []string
	Stories    []PolicyStory
	Paragraphs []string
	Pre        string
	Warnings   []string
	Charts     []ChartSVG
	Source     string
	CSS        template.CSS
}

type htmlPair struct{ Name, Value string }

// HTMLTable is a table for the report and the explorer: a header, rows
// whose first cell may carry a colour swatch, and which columns are
// numbers (right-aligned).
type HTMLTable struct {
	Head  []string
	Right []bool
	Rows  []HTMLRow
}

// HTMLRow is one row; Color, when set, is the swatch before its first cell.
type HTMLRow struct {
	Color string
	Cells []string
}

// PolicyStory is a policy's paragraph (Story) with its name and colour.
type PolicyStory struct {
	Policy string `json:"policy"`
	Color  string `json:"color"`
	Text   string `json:"text"`
}

// ChartSVG is a chart drawn for a page: its file-safe name, its title and
// its inline SVG.
type ChartSVG struct {
	Name    string        `json:"name"`
	Title   string        `json:"title"`
	Caption string        `json:"caption,omitempty"`
	SVG     template.HTML `json:"svg"`
}

// InlineSVG draws charts for a page. The SVG is made by this package, with
// every text escaped, so it is safe to inline.
func InlineSVG(charts []chart.Chart, captions map[string]string) []ChartSVG {
	out := make([]ChartSVG, len(charts))
	for i := range charts {
		c := &charts[i]
		out[i] = ChartSVG{Name: c.FileName(), Title: c.Title, Caption: captions[c.Name], SVG: template.HTML(c.SVG())}
	}
	return out
}

// Tables and stories of a simulation, shared by the report and the
// explorer.

// SimulationTable is the comparison table of a simulation, as the text
// report prints it, with each policy's colour.
func SimulationTable(j *SimulationJSON) HTMLTable {
	cols := optionalColumns(j)
	t := HTMLTable{Head: []string{"policy", "engine", "objective", "cost", "vs oracle", "missed jobs", "missed"}}
	for _, c := range cols {
		t.Head = append(t.Head, c.name)
	}
	t.Head = append(t.Head, "utilization", "p95", "over capacity", "box-hours", "idle cost")
	t.Right = make([]bool, len(t.Head))
	for i := 3; i < len(t.Right); i++ {
		t.Right[i] = true
	}
	for _, i := range rowOrder(j) {
		r := j.Results[i]
		cells := []string{r.Policy, engineOf(r), objectiveCell(r), Money(float64(r.Cost)), vsOracleCell(r), Count(float64(r.Jobs.Missed)), Percent(float64(r.Jobs.MissedFraction))}
		for _, c := range cols {
			cells = append(cells, c.cell(r))
		}
		cells = append(cells, Ratio(float64(r.Utilization.Mean)), Ratio(float64(r.Utilization.P95)), Seconds(float64(r.SecondsOverCapacity)),
			strconv.FormatFloat(float64(r.BoxHours), 'f', 1, 64), Money(float64(r.IdleCost)))
		t.Rows = append(t.Rows, HTMLRow{Color: resultColor(j, i), Cells: cells})
	}
	return t
}

// Stories are the paragraphs of every run, the oracle last.
func Stories(j *SimulationJSON) []PolicyStory {
	var out []PolicyStory
	var oracle *PolicyStory
	for i, r := range j.Results {
		s := PolicyStory{Policy: r.Policy, Color: resultColor(j, i), Text: Story(j, i)}
		if r.Kind == "oracle" {
			oracle = &s
			continue
		}
		out = append(out, s)
	}
	if oracle != nil {
		out = append(out, *oracle)
	}
	return out
}

// simulationCaptions say how to read each simulation chart.
var simulationCaptions = map[string]string{
	"utilization": "Utilization = JobRate / Throughput of the ready boxes. Below the band, idle boxes cost money; above 1, jobs are missed. Steps with load and no ready box sit on the top edge.",
	"capacity":    "Capacity: boxes ready to serve (solid) and booting (dashed, billed but serving nothing).",
	"cost":        "Cumulative cost. The oracle (dashed) boots exactly what each moment needs, just in time: the cheapest box fleet that misses no job at its utilization.",
}

func throughputCaption(policy string) string {
	return "Throughput = Capacity / Latency of " + policy + "'s ready boxes against the JobRate. Red: jobs missed while the JobRate was above the Throughput (the area is the number missed)."
}

// SimulationSetup lists the scenario's settings in words.
func simulationSetup(j *SimulationJSON) []htmlPair {
	sc := &j.Scenario
	return []htmlPair{
		{"length", Seconds(float64(sc.Horizon)) + " in " + Seconds(float64(sc.Step)) + " steps, from " + sc.Start},
		{"box", "Latency " + Seconds(float64(sc.Latency)) + " a job (" + JobsPerSecond(1/float64(sc.Latency)) + " per box), " + Money(float64(sc.PricePerHour)) + "/h, boots in " + Seconds(float64(sc.Boot))},
		{"billing", billingName(float64(sc.Billing.Increment), float64(sc.Billing.Minimum))},
		{"JobRate", JobsPerSecond(float64(j.Workload.MeanRate)) + " on average, " + JobsPerSecond(float64(j.Workload.PeakRate)) + " at the peak"},
		{"jobs", Count(float64(j.Workload.Jobs)) + " arrived"},
		{"seed", strconv.FormatUint(sc.Seed, 10)},
	}
}

// WriteSimulationHTML writes a simulation's report: the scenario, the
// comparison table, a paragraph per policy on what happened and why, and
// the charts (when the result has its series).
func WriteSimulationHTML(w io.Writer, j *SimulationJSON) error {
	title := j.Scenario.Name
	if title == "" {
		title = "A simulation"
	}
	p := htmlPage{
		Title:      title,
		Lede:       []string{"What each way of scaling cost and missed, against the oracle: the boxes and jobs of \u201cScalability is not performance\u201d (2025)."},
		Setup:      simulationSetup(j),
		TableTitle: "The comparison",
		Table:      SimulationTable(j),
		TableNotes: TableNotes(j),
		Stories:    Stories(j),
		Source:     sourceName(j.Scenario.Source, "a simulation"),
	}
	if j.Verdict != nil {
		p.Verdict = j.Verdict.Text
	}
	for _, r := range j.Results {
		if err := r.Series.check(); err != nil {
			return fmt.Errorf("report: %s: %w", r.Policy, err)
		}
	}
	charts, err := SimulationCharts(j)
	if err == nil {
		caps := map[string]string{}
		for k, v := range simulationCaptions {
			caps[k] = v
		}
		for _, r := range j.Results {
			caps["throughput-"+r.Policy] = throughputCaption(r.Policy)
		}
		p.Charts = InlineSVG(charts, caps)
	} else {
		p.Warnings = append(p.Warnings, "This result has no time series, so there are no charts: run boxes simulate with --series (or --html) to draw them.")
	}
	return writePage(w, p)
}

func sourceName(s, dflt string) string {
	if s == "" {
		return dflt
	}
	return s
}

func writePage(w io.Writer, p htmlPage) error {
	p.CSS = template.CSS(htmlCSS)
	var b bytes.Buffer
	if err := htmlTemplate.ExecuteTemplate(&b, "page", p); err != nil {
		return fmt.Errorf("report: html: %w", err)
	}
	_, err := w.Write(b.Bytes())
	return err
}

// The measurement reports.

const uslParagraph = "λ is performance: the throughput of one job alone, R(1) = 1/λ; a larger λ pushes the whole response-time curve down. σ (contention, the serialized share of the work) and κ (coherency, the cost of keeping workers in step) are scalability: the smaller they are, the further right the curve's knee and its peak N* = √((1 − σ)/κ)."

func fitTable(f *FitJSON) HTMLTable {
	ci := func(c [2]Float, format func(float64) string) string {
		return "[" + format(float64(c[0])) + ", " + format(float64(c[1])) + "]"
	}
	t := HTMLTable{Head: []string{"", "estimate", "std. error", "95% interval", "meaning"}, Right: []bool{false, true, true, true, false}}
	t.Rows = []HTMLRow{
		{Cells: []string{"λ", JobsPerSecond(float64(f.Lambda)), uslNum(float64(f.LambdaSE)), ci(f.LambdaCI, uslNum), "performance: R(1) = 1/λ = " + Seconds(1/float64(f.Lambda))}},
		{Cells: []string{"σ", uslNum(float64(f.Sigma)), uslNum(float64(f.SigmaSE)), ci(f.SigmaCI, uslNum), "contention"}},
		{Cells: []string{"κ", uslNum(float64(f.Kappa)), uslNum(float64(f.KappaSE)), ci(f.KappaCI, uslNum), "coherency"}},
		{Cells: []string{"R²", strconv.FormatFloat(float64(f.RSquared), 'f', 4, 64), "", "", fmt.Sprintf("%d degrees of freedom", f.DF)}},
	}
	if n := float64(f.PeakConcurrency); math.IsInf(n, 1) || f.Peak == "none" {
		t.Rows = append(t.Rows, HTMLRow{Cells: []string{"N*", "none", "", "", "throughput rises without a peak"}})
	} else {
		t.Rows = append(t.Rows, HTMLRow{Cells: []string{"N*", uslNum(n), "", ci(f.PeakConcurrencyCI, uslNum), "peak concurrency; best whole number " + uslNum(float64(f.PeakConcurrencyWhole))}})
	}
	t.Rows = append(t.Rows,
		HTMLRow{Cells: []string{"X(N*)", JobsPerSecond(float64(f.PeakThroughput)), "", "", "peak throughput"}},
		HTMLRow{Cells: []string{"λ/σ", JobsPerSecond(float64(f.LimitThroughput)), "", "", "Amdahl's limit: the ceiling from contention alone"}},
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
	p := htmlPage{
		Title:      title,
		Lede:       []string{fmt.Sprintf("%d measurements; X(N) = λN / (1 + σ(N − 1) + κN(N − 1)).", f.Points)},
		TableTitle: "The fit",
		Table:      fitTable(f),
		Paragraphs: []string{uslParagraph},
		Warnings:   append(append([]string{}, prefixEach("note: ", f.Notes)...), prefixEach("warning: ", f.Warnings)...),
		Charts:     InlineSVG(FitCharts(f, points), nil),
		Source:     sourceName(f.File, "a fit"),
	}
	return writePage(w, p)
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
	t := HTMLTable{Head: []string{"", "concurrency N", "throughput X", "response time R"}, Right: []bool{false, true, true, true}}
	for _, r := range []struct {
		name string
		m    MeasurementJSON
		col  string
	}{{"before", c.Before, colorBefore}, {"after", c.After, colorAfter}} {
		t.Rows = append(t.Rows, HTMLRow{Color: r.col, Cells: []string{r.name, uslCountWords(float64(r.m.Concurrency)), JobsPerSecond(float64(r.m.Throughput)), uslLatencyWords(float64(r.m.Latency))}})
	}
	p := htmlPage{
		Title:      "Performance or scalability? " + capitalize(c.Verdict),
		Lede:       []string{c.Summary},
		TableTitle: "The two measurements",
		Table:      t,
		Paragraphs: []string{"Little's law X = N / R splits the change exactly: X2/X1 = (R1/R2) × (N2/N1), performance × scalability.", twoGraphsParagraph},
		Charts:     InlineSVG(PointComparisonCharts(c), nil),
		Source:     "two measurements",
	}
	return writePage(w, p)
}

// WriteFitComparisonHTML writes what moved between two USL fits, with the
// second article's two graphs and both throughput curves. pb and pa are the
// measurements (nil when read back from JSON).
func WriteFitComparisonHTML(w io.Writer, c *FitComparisonJSON, pb, pa []MeasurementJSON) error {
	t := HTMLTable{Head: []string{"", "before", "after", "factor", ""}, Right: []bool{false, true, true, true, false}}
	row := func(name string, ch ParameterChangeJSON, f func(float64) string) {
		out := ""
		if ch.Outside {
			out = "outside the 95% intervals"
		}
		t.Rows = append(t.Rows, HTMLRow{Cells: []string{name, f(float64(ch.Before)), f(float64(ch.After)), "×" + uslFactor(float64(ch.Factor)), out}})
	}
	row("λ", c.Lambda, JobsPerSecond)
	row("σ", c.Sigma, uslNum)
	row("κ", c.Kappa, uslNum)
	row("N*", c.PeakConcurrency, uslNum)
	t.Rows = append(t.Rows, HTMLRow{Cells: []string{"X(N*)", JobsPerSecond(float64(c.Before.PeakThroughput)), JobsPerSecond(float64(c.After.PeakThroughput)), "×" + uslFactor(float64(c.ThroughputFactor)), ""}})
	var warnings []string
	for i, f := range []*FitJSON{&c.Before, &c.After} {
		name := [2]string{"before", "after"}[i]
		warnings = append(warnings, prefixEach("note ("+name+"): ", f.Notes)...)
		warnings = append(warnings, prefixEach("warning ("+name+"): ", f.Warnings)...)
	}
	p := htmlPage{
		Title:      "Performance or scalability? " + capitalize(c.Verdict),
		Lede:       c.Summary,
		TableTitle: "What moved",
		Table:      t,
		Paragraphs: []string{uslParagraph, twoGraphsParagraph},
		Warnings:   warnings,
		Charts:     InlineSVG(FitComparisonCharts(c, pb, pa), nil),
		Source:     sourceName(strings.Trim(c.Before.File+" and "+c.After.File, " and"), "two fits"),
	}
	return writePage(w, p)
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// maxResultSize bounds a JSON result read by WriteHTMLFromJSON: 512 MiB.
const maxResultSize = 512 << 20

// Result is a JSON result boxes wrote, read back (ReadResult): exactly one
// of its fields is set.
type Result struct {
	Simulation *SimulationJSON      // simulate --format json
	Points     *PointComparisonJSON // compare --format json on two points
	Fits       *FitComparisonJSON   // compare --format json on two files
	Fit        *FitJSON             // fit --format json
}

// ReadResult reads a JSON result that boxes wrote (simulate, fit or compare
// with --format json), telling which by its fields; name names the input
// in errors.
func ReadResult(r io.Reader, name string) (*Result, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxResultSize+1))
	if err != nil {
		return nil, fmt.Errorf("report: %s: %w", name, err)
	}
	if len(data) > maxResultSize {
		return nil, fmt.Errorf("report: %s: larger than %d bytes", name, maxResultSize)
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(data, &keys); err != nil {
		return nil, fmt.Errorf("report: %s: not a JSON object boxes wrote: %w", name, err)
	}
	var kind string
	if k, ok := keys["kind"]; ok {
		json.Unmarshal(k, &kind)
	}
	decode := func(v any) error {
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		if err := dec.Decode(v); err != nil {
			return fmt.Errorf("report: %s: %w", name, err)
		}
		return nil
	}
	var res Result
	switch {
	case keys["results"] != nil:
		j, err := ReadSimulationJSON(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("report: %s: %s", name, strings.TrimPrefix(err.Error(), "report: "))
		}
		for _, r := range j.Results {
			if err := r.Series.check(); err != nil {
				return nil, fmt.Errorf("report: %s: %s: %w", name, r.Policy, err)
			}
		}
		if j.Scenario.Source == "" {
			j.Scenario.Source = name
		}
		res.Simulation = j
	case kind == "points":
		res.Points = &PointComparisonJSON{}
		if err := decode(res.Points); err != nil {
			return nil, err
		}
		for i, m := range []MeasurementJSON{res.Points.Before, res.Points.After} {
			if !positive(m.Concurrency) || !positive(m.Throughput) || !positive(m.Latency) {
				return nil, fmt.Errorf("report: %s: %s: a point needs a positive, finite concurrency, throughput and latency", name, [2]string{"before", "after"}[i])
			}
		}
	case kind == "fits":
		res.Fits = &FitComparisonJSON{}
		if err := decode(res.Fits); err != nil {
			return nil, err
		}
		if !positive(res.Fits.Before.Lambda) || !positive(res.Fits.After.Lambda) {
			return nil, fmt.Errorf("report: %s: a fit needs λ > 0", name)
		}
	case keys["lambda"] != nil:
		res.Fit = &FitJSON{}
		if err := decode(res.Fit); err != nil {
			return nil, err
		}
		if !positive(res.Fit.Lambda) {
			return nil, fmt.Errorf("report: %s: a fit needs λ > 0", name)
		}
	default:
		return nil, fmt.Errorf("report: %s: not a result boxes wrote (want the JSON of simulate, fit or compare)", name)
	}
	return &res, nil
}

func positive(x Float) bool { return x > 0 && !math.IsInf(float64(x), 1) }

// WriteHTML writes the result's HTML report.
func (r *Result) WriteHTML(w io.Writer) error {
	switch {
	case r.Simulation != nil:
		return WriteSimulationHTML(w, r.Simulation)
	case r.Points != nil:
		return WritePointComparisonHTML(w, r.Points)
	case r.Fits != nil:
		return WriteFitComparisonHTML(w, r.Fits, nil, nil)
	case r.Fit != nil:
		return WriteFitHTML(w, r.Fit, nil)
	}
	return fmt.Errorf("report: an empty result")
}

// Charts draws the result's charts.
func (r *Result) Charts() ([]chart.Chart, error) {
	switch {
	case r.Simulation != nil:
		return SimulationCharts(r.Simulation)
	case r.Points != nil:
		return PointComparisonCharts(r.Points), nil
	case r.Fits != nil:
		return FitComparisonCharts(r.Fits, nil, nil), nil
	case r.Fit != nil:
		return FitCharts(r.Fit, nil), nil
	}
	return nil, fmt.Errorf("report: an empty result")
}

// WriteHTMLFromJSON reads a JSON result (ReadResult) and writes its HTML
// report.
func WriteHTMLFromJSON(w io.Writer, r io.Reader, name string) error {
	res, err := ReadResult(r, name)
	if err != nil {
		return err
	}
	return res.WriteHTML(w)
}

// HTML renders the table as an HTML fragment (a scrolling div around a
// table), the same as the report's.
func (t HTMLTable) HTML() template.HTML {
	var b bytes.Buffer
	if err := htmlTemplate.ExecuteTemplate(&b, "table", t); err != nil {
		return template.HTML(template.HTMLEscapeString(err.Error()))
	}
	return template.HTML(b.String())
}
