package html

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/boxes-project/boxes/report"
	"github.com/boxes-project/boxes/report/chart"
)

// The simulation's charts, drawn from its JSON form so that a saved result
// (boxes report) draws the same pictures as a fresh run.

// TargetBand is the band of utilization the charts shade as the target:
// the first article's "playing it safe" 0.5 to its "a bit less than 1, like
// 0.8".
var TargetBand = [2]float64{0.5, 0.8}

// SimulationCharts draws a simulation's charts: for each policy, JobRate
// against Throughput with the missed jobs shaded; then utilization with the
// target band, capacity (ready and booting boxes) and cumulative cost
// against the oracle, each with every policy; then, for runs that have
// them, wait percentiles. The result needs its series (simulate --series).
func SimulationCharts(j *report.SimulationJSON) ([]chart.Chart, error) {
	for _, r := range j.Results {
		if r.Series == nil || len(r.Series.Time) == 0 {
			return nil, errors.New("report: the simulation result has no series to draw; run simulate with --series")
		}
		if err := r.Series.Check(); err != nil {
			return nil, fmt.Errorf("report: %s: %w", r.Policy, err)
		}
	}
	var charts []chart.Chart
	for i := range j.Results {
		r := &j.Results[i]
		if r.Kind == "oracle" {
			continue
		}
		charts = append(charts, ThroughputChart(j, i))
	}
	charts = append(charts, UtilizationChart(j), CapacityChart(j), CostChart(j))
	for i := range j.Results {
		if w := waitSeriesOf(&j.Results[i]); w != nil {
			charts = append(charts, WaitChart(j, i, w))
		}
	}
	return charts, nil
}

// timeAxis is the x axis of a simulation: the clock from the scenario's
// start over the horizon.
func timeAxis(j *report.SimulationJSON) chart.Axis {
	a := chart.Axis{Min: 0, Max: float64(j.Scenario.Horizon)}
	if t, err := time.Parse(time.RFC3339, j.Scenario.Start); err == nil {
		a.Clock = t
		a.Label = "time of day (UTC)"
		if _, off := t.Zone(); off != 0 {
			a.Label = "time of day (UTC" + t.Format("-07:00") + ")"
		}
	} else {
		a.Label = "time (s)"
	}
	return a
}

// mids are the middles of a series' points, where their averages are drawn.
func mids(s *report.SeriesJSON) []float64 {
	x := make([]float64, len(s.Time))
	for i, t := range s.Time {
		x[i] = float64(t) + float64(s.Interval)/2
	}
	return x
}

func plain(xs []report.Float) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = float64(x)
	}
	return out
}

// ThroughputChart is the first article's picture of one run: the JobRate (jobs
// arriving per second) and the Throughput of the ready boxes (Capacity /
// Latency) over time, with the missed jobs shaded between the jobs served
// and the JobRate, so that the shaded area is the number of jobs missed.
func ThroughputChart(j *report.SimulationJSON, i int) chart.Chart {
	r := &j.Results[i]
	s := r.Series
	x := mids(s)
	rate := plain(s.JobRate)
	served := make([]float64, len(rate))
	for k := range rate {
		served[k] = rate[k] - float64(s.Missed[k])
	}
	c := chart.Chart{
		Name:  "throughput-" + r.Policy,
		Title: r.Policy + ": JobRate and Throughput",
		X:     timeAxis(j),
		Y:     chart.Axis{Label: "jobs/s", Zero: true},
	}
	missed := false
	for _, m := range s.Missed {
		if m > 0 {
			missed = true
			break
		}
	}
	if missed {
		c.Layers = append(c.Layers, chart.Layer{Kind: chart.Area, Name: "missed jobs", Color: chart.ColorMissed, Opacity: 0.45, X: x, Y: rate, Y0: served})
	}
	c.Layers = append(c.Layers,
		chart.Layer{Kind: chart.Line, Name: "JobRate", Color: chart.ColorJobRate, Width: 1.5, X: x, Y: rate},
		chart.Layer{Kind: chart.Line, Name: "Throughput = Capacity / Latency", Color: report.ResultColor(j, i), X: x, Y: plain(s.Throughput)},
	)
	return c
}

// UtilizationChart is every run's Utilization = JobRate / Throughput over
// time, with the target band and the line U = 1 above which jobs are
// missed. The scale stops at 2 (at least 1.2): steps beyond it, including
// those with load and no ready box (+Inf), sit on the top edge.
func UtilizationChart(j *report.SimulationJSON) chart.Chart {
	top := 1.2
	for _, r := range j.Results {
		for _, u := range r.Series.Utilization {
			if v := float64(u); !math.IsInf(v, 0) && !math.IsNaN(v) {
				top = math.Max(top, v)
			}
		}
	}
	top = math.Min(2, math.Ceil(top*10)/10)
	c := chart.Chart{
		Name:  "utilization",
		Title: "Utilization over time",
		X:     timeAxis(j),
		Y:     chart.Axis{Label: "Utilization = JobRate / Throughput", Min: 0, Max: top},
		Layers: []chart.Layer{
			{Kind: chart.HBand, Name: "target band 0.5–0.8", Color: chart.ColorBand, Opacity: 0.15, Y: TargetBand[:]},
			{Kind: chart.HRule, Color: chart.ColorMissed, Width: 1, Dash: true, Y: []float64{1}, Text: "U = 1: above it, jobs are missed"},
		},
	}
	for i := range j.Results {
		c.Layers = append(c.Layers, runLine(j, i, func(s *report.SeriesJSON) []report.Float { return s.Utilization }))
	}
	return c
}

// runLine is result i's series as a line in its colour, the oracle dashed.
func runLine(j *report.SimulationJSON, i int, f func(*report.SeriesJSON) []report.Float) chart.Layer {
	r := &j.Results[i]
	l := chart.Layer{Kind: chart.Line, Name: r.Policy, Color: report.ResultColor(j, i), X: mids(r.Series), Y: plain(f(r.Series))}
	if r.Kind == "oracle" {
		l.Dash, l.Width = true, 1.5
	}
	return l
}

// CapacityChart is every run's Capacity over time: the ready boxes, and
// dotted in the same colour the boxes still booting (paid for, serving
// nothing).
func CapacityChart(j *report.SimulationJSON) chart.Chart {
	c := chart.Chart{
		Name:  "capacity",
		Title: "Capacity over time: ready and booting boxes",
		X:     timeAxis(j),
		Y:     chart.Axis{Label: "boxes", Zero: true},
	}
	for i := range j.Results {
		c.Layers = append(c.Layers, runLine(j, i, func(s *report.SeriesJSON) []report.Float { return s.Ready }))
	}
	for i := range j.Results {
		r := &j.Results[i]
		booting := false
		for _, b := range r.Series.Booting {
			if b > 0 {
				booting = true
				break
			}
		}
		if booting && r.Kind != "oracle" {
			c.Layers = append(c.Layers, chart.Layer{Kind: chart.Line, Name: r.Policy + " booting", Color: report.ResultColor(j, i), Width: 1, Dash: true,
				X: mids(r.Series), Y: plain(r.Series.Booting)})
		}
	}
	return c
}

// CostChart is every run's cumulative cost against the oracle's, the
// cheapest box fleet that misses no job.
func CostChart(j *report.SimulationJSON) chart.Chart {
	c := chart.Chart{
		Name:  "cost",
		Title: "Cost so far, against the oracle",
		X:     timeAxis(j),
		Y:     chart.Axis{Label: "cost ($)", Zero: true, Format: report.MoneyTick},
	}
	for i := range j.Results {
		r := &j.Results[i]
		// Cost is counted at the end of each point.
		x := make([]float64, 0, len(r.Series.Time)+1)
		y := make([]float64, 0, len(r.Series.Time)+1)
		x, y = append(x, 0), append(y, 0)
		for k, t := range r.Series.Time {
			x = append(x, float64(t)+float64(r.Series.Interval))
			y = append(y, float64(r.Series.Cost[k]))
		}
		l := chart.Layer{Kind: chart.Line, Name: r.Policy, Color: report.ResultColor(j, i), X: x, Y: y}
		if r.Kind == "oracle" {
			l.Dash, l.Width = true, 1.5
		}
		c.Layers = append(c.Layers, l)
	}
	return c
}

// WaitSeries are a per-job run's wait percentiles over time, in seconds,
// one value per point of its series (NaN for a point with no job).
type WaitSeries struct {
	P50, P95, P99 []float64
}

// waitSeriesOf returns the wait percentiles of r's series when the run has
// them (the events engine's), nil otherwise.
func waitSeriesOf(r *report.ResultJSON) *WaitSeries {
	s := r.Series
	if s == nil || s.WaitP50 == nil {
		return nil
	}
	f := func(xs []report.Float) []float64 {
		out := make([]float64, len(xs))
		for i, x := range xs {
			out[i] = float64(x)
		}
		return out
	}
	return &WaitSeries{P50: f(s.WaitP50), P95: f(s.WaitP95), P99: f(s.WaitP99)}
}

// WaitChart is how long run i's jobs waited in the queue over time: the
// median, 95th and 99th percentiles.
func WaitChart(j *report.SimulationJSON, i int, w *WaitSeries) chart.Chart {
	r := &j.Results[i]
	x := mids(r.Series)
	col := report.ResultColor(j, i)
	c := chart.Chart{
		Name:  "wait-" + r.Policy,
		Title: r.Policy + ": time jobs waited in the queue",
		X:     timeAxis(j),
		Y:     chart.Axis{Label: "wait (s)", Zero: true},
	}
	if w.P99 != nil {
		c.Layers = append(c.Layers, chart.Layer{Kind: chart.Line, Name: "p99", Color: col, Width: 1, Dash: true, X: x, Y: w.P99})
	}
	if w.P95 != nil {
		c.Layers = append(c.Layers, chart.Layer{Kind: chart.Line, Name: "p95", Color: col, Width: 1.5, X: x, Y: w.P95})
	}
	if w.P50 != nil {
		c.Layers = append(c.Layers, chart.Layer{Kind: chart.Line, Name: "median", Color: chart.ColorInk, Width: 1.5, X: x, Y: w.P50})
	}
	return c
}
