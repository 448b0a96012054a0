package html

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/boxes-project/boxes/internal/bounded"
	"github.com/boxes-project/boxes/report"
	"github.com/boxes-project/boxes/report/chart"
	"github.com/boxes-project/boxes/report/measurement"
)

// Tables and stories of a simulation, shared by the report and the
// explorer.

// Stories are the paragraphs of every run, the oracle last.
func Stories(j *report.SimulationJSON) []report.PolicyStory {
	var out []report.PolicyStory
	var oracle *report.PolicyStory
	for i, r := range j.Results {
		s := report.PolicyStory{Policy: r.Policy, Color: report.ResultColor(j, i), Text: Story(j, i)}
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

// simulationSetup lists the scenario's settings in words.
func simulationSetup(j *report.SimulationJSON) []report.Pair {
	sc := &j.Scenario
	return []report.Pair{
		{Name: "length", Value: report.Seconds(float64(sc.Horizon)) + " in " + report.Seconds(float64(sc.Step)) + " steps, from " + sc.Start},
		{Name: "box", Value: "Latency " + report.Seconds(float64(sc.Latency)) + " a job (" + report.JobsPerSecond(1/float64(sc.Latency)) + " per box), " + report.Money(float64(sc.PricePerHour)) + "/h, boots in " + report.Seconds(float64(sc.Boot))},
		{Name: "billing", Value: report.BillingName(float64(sc.Billing.Increment), float64(sc.Billing.Minimum))},
		{Name: "JobRate", Value: report.JobsPerSecond(float64(j.Workload.MeanRate)) + " on average, " + report.JobsPerSecond(float64(j.Workload.PeakRate)) + " at the peak"},
		{Name: "jobs", Value: report.Count(float64(j.Workload.Jobs)) + " arrived"},
		{Name: "seed", Value: strconv.FormatUint(sc.Seed, 10)},
	}
}

// WriteSimulationHTML writes a simulation's report: the scenario, the
// comparison table, a paragraph per policy on what happened and why, and
// the charts (when the result has its series).
func WriteSimulationHTML(w io.Writer, j *report.SimulationJSON) error {
	title := j.Scenario.Name
	if title == "" {
		title = "A simulation"
	}
	p := report.Page{
		Title:      title,
		Lede:       []string{"What each way of scaling cost and missed, against the oracle: the boxes and jobs of \u201cScalability is not performance\u201d (2025)."},
		Setup:      simulationSetup(j),
		TableTitle: "The comparison",
		Table:      report.SimulationTable(j),
		TableNotes: report.TableNotes(j),
		Stories:    Stories(j),
		Source:     report.SourceName(j.Scenario.Source, "a simulation"),
	}
	if j.Verdict != nil {
		p.Verdict = j.Verdict.Text
	}
	for _, r := range j.Results {
		if err := r.Series.Check(); err != nil {
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
		p.Charts = report.InlineSVG(charts, caps)
	} else {
		p.Warnings = append(p.Warnings, "This result has no time series, so there are no charts: run boxes simulate with --series (or --html) to draw them.")
	}
	return report.WritePage(w, p)
}

// maxResultSize bounds a JSON result read by WriteHTMLFromJSON: 512 MiB.
const maxResultSize = 512 << 20

// Result is a JSON result boxes wrote, read back (ReadResult): exactly one
// of its fields is set.
type Result struct {
	Simulation *report.SimulationJSON           // simulate --format json
	Points     *measurement.PointComparisonJSON // compare --format json on two points
	Fits       *measurement.FitComparisonJSON   // compare --format json on two files
	Fit        *measurement.FitJSON             // fit --format json
}

// ReadResult reads a JSON result that boxes wrote (simulate, fit or compare
// with --format json), telling which by its fields; name names the input
// in errors.
func ReadResult(r io.Reader, name string) (*Result, error) {
	data, err := bounded.ReadJSON(r, maxResultSize)
	var le *bounded.LimitError
	if errors.As(err, &le) {
		return nil, fmt.Errorf("report: %s: larger than %d bytes (the limit of a result)", name, maxResultSize)
	}
	if err != nil {
		return nil, fmt.Errorf("report: %s: not a JSON object boxes wrote: %w", name, err)
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
		j, err := report.ReadSimulationJSON(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("report: %s: %s", name, strings.TrimPrefix(err.Error(), "report: "))
		}
		for _, r := range j.Results {
			if err := r.Series.Check(); err != nil {
				return nil, fmt.Errorf("report: %s: %s: %w", name, r.Policy, err)
			}
		}
		if j.Scenario.Source == "" {
			j.Scenario.Source = name
		}
		res.Simulation = j
	case kind == "points":
		res.Points = &measurement.PointComparisonJSON{}
		if err := decode(res.Points); err != nil {
			return nil, err
		}
		for i, m := range []measurement.MeasurementJSON{res.Points.Before, res.Points.After} {
			if !positive(m.Concurrency) || !positive(m.Throughput) || !positive(m.Latency) {
				return nil, fmt.Errorf("report: %s: %s: a point needs a positive, finite concurrency, throughput and latency", name, [2]string{"before", "after"}[i])
			}
		}
	case kind == "fits":
		res.Fits = &measurement.FitComparisonJSON{}
		if err := decode(res.Fits); err != nil {
			return nil, err
		}
		if !positive(res.Fits.Before.Lambda) || !positive(res.Fits.After.Lambda) {
			return nil, fmt.Errorf("report: %s: a fit needs λ > 0", name)
		}
	case keys["lambda"] != nil:
		res.Fit = &measurement.FitJSON{}
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

func positive(x report.Float) bool { return x > 0 && !math.IsInf(float64(x), 1) }

// WriteHTML writes the result's HTML report.
func (r *Result) WriteHTML(w io.Writer) error {
	switch {
	case r.Simulation != nil:
		return WriteSimulationHTML(w, r.Simulation)
	case r.Points != nil:
		return measurement.WritePointComparisonHTML(w, r.Points)
	case r.Fits != nil:
		return measurement.WriteFitComparisonHTML(w, r.Fits, nil, nil)
	case r.Fit != nil:
		return measurement.WriteFitHTML(w, r.Fit, nil)
	}
	return fmt.Errorf("report: an empty result")
}

// Charts draws the result's charts.
func (r *Result) Charts() ([]chart.Chart, error) {
	switch {
	case r.Simulation != nil:
		return SimulationCharts(r.Simulation)
	case r.Points != nil:
		return measurement.PointComparisonCharts(r.Points), nil
	case r.Fits != nil:
		return measurement.FitComparisonCharts(r.Fits, nil, nil), nil
	case r.Fit != nil:
		return measurement.FitCharts(r.Fit, nil), nil
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
