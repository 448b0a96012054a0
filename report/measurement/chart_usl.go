package measurement

import (
	"math"
	"slices"
	"sort"

	"github.com/boxes-project/boxes/report"
	"github.com/boxes-project/boxes/report/chart"
	"github.com/boxes-project/boxes/usl"
)

// The measurement charts: a USL fit's X(N) and R(N), and the second article's
// two graphs for a comparison, response time against load pushed down by
// performance and pushed right by scalability.

// Colours of a comparison: before in grey, after in the first policy blue,
// the halfway curve (after's performance, before's scalability) in orange.
const (
	colorBefore  = "#7F7F7F"
	colorAfter   = "#0072B2"
	colorHalfway = "#D55E00"
)

const loadLabel = "load: jobs in the system N"

// latencyAxis picks seconds or milliseconds for response times up to top
// seconds, and the factor that turns seconds into that unit.
func latencyAxis(top float64) (chart.Axis, float64) {
	if top < 1 {
		return chart.Axis{Label: "response time R (ms)", Zero: true}, 1000
	}
	return chart.Axis{Label: "response time R (s)", Zero: true}, 1
}

// curveRange is the concurrencies a fit is drawn over: from 1 (or the
// least measured, if below) to twice the most measured, or 1.5 N* if that
// is more.
func curveRange(points []MeasurementJSON, peaks ...float64) (from, to float64) {
	from, to = 1, 1
	for _, p := range points {
		n := float64(p.Concurrency)
		from = math.Min(from, n)
		to = math.Max(to, 2*n)
	}
	for _, pk := range peaks {
		if !math.IsInf(pk, 0) && !math.IsNaN(pk) {
			to = math.Max(to, 1.5*pk)
		}
	}
	if len(points) == 0 && to <= 1 {
		to = 10
	}
	return from, math.Ceil(to)
}

func curveXY(c []usl.Point, latency bool, unit float64) ([]float64, []float64) {
	x, y := make([]float64, len(c)), make([]float64, len(c))
	for i, p := range c {
		x[i] = p.Concurrency
		if latency {
			y[i] = p.Latency * unit
		} else {
			y[i] = p.Throughput
		}
	}
	return x, y
}

func pointsXY(ps []MeasurementJSON, latency bool, unit float64) ([]float64, []float64) {
	x, y := make([]float64, len(ps)), make([]float64, len(ps))
	for i, p := range ps {
		x[i] = float64(p.Concurrency)
		if latency {
			y[i] = float64(p.Latency) * unit
		} else {
			y[i] = float64(p.Throughput)
		}
	}
	return x, y
}

func fitModel(f *FitJSON) usl.Model {
	return usl.Model{Lambda: float64(f.Lambda), Sigma: float64(f.Sigma), Kappa: float64(f.Kappa)}
}

// FitCharts draws a USL fit: throughput X(N) and response time R(N) =
// N / X(N), each with the measurements as dots, the fitted curve and the
// peak N* marked (when there is one). points are the measurements (may be
// nil, then only the curves are drawn).
func FitCharts(f *FitJSON, points []MeasurementJSON) []chart.Chart {
	if points == nil {
		points = f.Measurements
	}
	m := fitModel(f)
	peak := m.PeakConcurrency()
	from, to := curveRange(points, peak)
	curve := usl.Curve(m.Throughput, from, to, 200)
	cx, cy := curveXY(curve, false, 1)
	px, py := pointsXY(points, false, 1)
	xc := chart.Chart{
		Name:  "fit-throughput",
		Title: "Throughput against load: X(N) = λN / (1 + σ(N − 1) + κN(N − 1))",
		X:     chart.Axis{Label: loadLabel, Zero: true},
		Y:     chart.Axis{Label: "throughput X (jobs/s)", Zero: true},
		Layers: []chart.Layer{
			{Kind: chart.Line, Name: "fitted X(N)", Color: colorAfter, X: cx, Y: cy},
		},
	}
	if len(points) > 0 {
		xc.Layers = append(xc.Layers, chart.Layer{Kind: chart.Points, Name: "measured", Color: chart.ColorInk, X: px, Y: py})
	}
	if !math.IsInf(peak, 0) {
		xc.Layers = append(xc.Layers, chart.Layer{Kind: chart.Mark, Name: "peak", Color: chart.ColorMissed, X: []float64{peak}, Y: []float64{m.Throughput(peak)},
			Text: "N* = " + report.Number(peak) + ", X = " + report.JobsPerSecond(m.Throughput(peak))})
	} else if lim := m.LimitThroughput(); !math.IsInf(lim, 0) {
		xc.Layers = append(xc.Layers, chart.Layer{Kind: chart.HRule, Color: chart.ColorMissed, Width: 1, Dash: true, Y: []float64{lim}, Text: "Amdahl's limit λ/σ = " + report.JobsPerSecond(lim)})
	}

	top := 0.0
	for _, p := range curve {
		top = math.Max(top, p.Latency)
	}
	ya, unit := latencyAxis(top)
	rx, ry := curveXY(curve, true, unit)
	qx, qy := pointsXY(points, true, unit)
	rc := chart.Chart{
		Name:  "fit-latency",
		Title: "Response time against load: R(N) = N / X(N)",
		X:     chart.Axis{Label: loadLabel, Zero: true},
		Y:     ya,
		Layers: []chart.Layer{
			{Kind: chart.Line, Name: "fitted R(N)", Color: colorAfter, X: rx, Y: ry},
		},
	}
	if len(points) > 0 {
		rc.Layers = append(rc.Layers, chart.Layer{Kind: chart.Points, Name: "measured", Color: chart.ColorInk, X: qx, Y: qy})
	}
	if !math.IsInf(peak, 0) {
		rc.Layers = append(rc.Layers, chart.Layer{Kind: chart.Mark, Name: "peak", Color: chart.ColorMissed, X: []float64{peak}, Y: []float64{m.Latency(peak) * unit},
			Text: "N* = " + report.Number(peak) + ", R = " + uslLatencyWords(m.Latency(peak))})
	}
	return []chart.Chart{xc, rc}
}

// twoGraphs draws the two graphs of “The Difference Between Scalability and Performance” from three response-time
// laws: before, halfway (after's performance with before's scalability)
// and after. The first graph moves from before to halfway: performance,
// the curve pushed down. The second moves from halfway to after:
// scalability, the curve pushed right.
func twoGraphs(before, halfway, after func(float64) float64, from, to float64, knees []float64, perf, scal float64, pb, pa []MeasurementJSON) []chart.Chart {
	lat := func(x func(float64) float64) []usl.Point { return sampleLaw(x, from, to, knees) }
	cb, ch, ca := lat(before), lat(halfway), lat(after)
	top := 0.0
	for _, c := range [][]usl.Point{cb, ch, ca} {
		for _, p := range c {
			top = math.Max(top, p.Latency)
		}
	}
	ya, unit := latencyAxis(top)
	bx, by := curveXY(cb, true, unit)
	hx, hy := curveXY(ch, true, unit)
	ax, ay := curveXY(ca, true, unit)
	down := chart.Chart{
		Name:  "performance",
		Title: "Performance: the curve pushed " + uslDirection(perf, "down", "up") + " (latency ×" + report.Factor(1/perf) + ")",
		X:     chart.Axis{Label: loadLabel, Zero: true},
		Y:     ya,
		Layers: []chart.Layer{
			{Kind: chart.Line, Name: "before", Color: colorBefore, X: bx, Y: by},
			{Kind: chart.Line, Name: "after's latency, before's parallelism", Color: colorHalfway, Dash: true, X: hx, Y: hy},
		},
	}
	right := chart.Chart{
		Name:  "scalability",
		Title: "Scalability: the curve pushed " + uslDirection(scal, "right", "left") + " (capacity ×" + report.Factor(scal) + ")",
		X:     chart.Axis{Label: loadLabel, Zero: true},
		Y:     ya,
		Layers: []chart.Layer{
			{Kind: chart.Line, Name: "after's latency, before's parallelism", Color: colorHalfway, Dash: true, X: hx, Y: hy},
			{Kind: chart.Line, Name: "after", Color: colorAfter, X: ax, Y: ay},
		},
	}
	if len(pb) > 0 {
		x, y := pointsXY(pb, true, unit)
		down.Layers = append(down.Layers, chart.Layer{Kind: chart.Points, Name: "measured before", Color: colorBefore, X: x, Y: y})
	}
	if len(pa) > 0 {
		x, y := pointsXY(pa, true, unit)
		right.Layers = append(right.Layers, chart.Layer{Kind: chart.Points, Name: "measured after", Color: colorAfter, X: x, Y: y})
	}
	// Both graphs on the same scale, so that the eye can carry the halfway
	// curve from one to the other.
	chart.SameY(&down, &right)
	return []chart.Chart{down, right}
}

// sampleLaw samples a throughput law at 201 even concurrencies from from
// to to (usl.Curve) and at the knees, where a piecewise law bends, so that
// the line goes through them exactly.
func sampleLaw(x func(float64) float64, from, to float64, knees []float64) []usl.Point {
	c := usl.Curve(x, from, to, 200)
	for _, n := range knees {
		if !(n > from && n < to) {
			continue
		}
		k := sort.Search(len(c), func(i int) bool { return c[i].Concurrency >= n })
		if k == len(c) || c[k].Concurrency == n {
			continue
		}
		xn := x(n)
		c = slices.Insert(c, k, usl.Point{Concurrency: n, Throughput: xn, Latency: n / xn})
	}
	return c
}

// PointComparisonCharts draws the two graphs of “The Difference Between Scalability and Performance” for two
// measurements, with the boxes model of each (N boxes of latency R: flat at
// R up to N jobs at once, then rising as jobs wait, R(n) = max(R, nR/N)):
// first the performance move, before → after's latency at before's
// parallelism (down), then the scalability move, → after (right).
func PointComparisonCharts(c *PointComparisonJSON) []chart.Chart {
	b := usl.Point{Concurrency: float64(c.Before.Concurrency), Throughput: float64(c.Before.Throughput), Latency: float64(c.Before.Latency)}
	a := usl.Point{Concurrency: float64(c.After.Concurrency), Throughput: float64(c.After.Throughput), Latency: float64(c.After.Latency)}
	h := usl.Point{Concurrency: b.Concurrency, Latency: a.Latency, Throughput: b.Concurrency / a.Latency}
	// From a tenth of the smaller parallelism, so that the flat part below
	// each knee shows, to twice the larger.
	to := math.Ceil(2 * math.Max(a.Concurrency, b.Concurrency))
	from := math.Min(a.Concurrency, b.Concurrency) / 10
	return twoGraphs(b.ThroughputAt, h.ThroughputAt, a.ThroughputAt, from, to, []float64{a.Concurrency, b.Concurrency},
		float64(c.PerformanceFactor), float64(c.ScalabilityFactor),
		[]MeasurementJSON{c.Before}, []MeasurementJSON{c.After})
}

// FitComparisonCharts draws the two graphs of “The Difference Between Scalability and Performance” for two fits, the
// halfway law having after's λ with before's σ and κ (R(N) scales by
// λ₁/λ₂: down), then throughput X(N) before and after with both peaks.
// pb and pa are the measurements (either may be nil).
func FitComparisonCharts(c *FitComparisonJSON, pb, pa []MeasurementJSON) []chart.Chart {
	if pb == nil && pa == nil {
		pb, pa = c.Before.Measurements, c.After.Measurements
	}
	mb, ma := fitModel(&c.Before), fitModel(&c.After)
	mh := usl.Model{Lambda: ma.Lambda, Sigma: mb.Sigma, Kappa: mb.Kappa}
	from, to := curveRange(append(append([]MeasurementJSON{}, pb...), pa...), mb.PeakConcurrency(), ma.PeakConcurrency())
	charts := twoGraphs(mb.Throughput, mh.Throughput, ma.Throughput, from, to, nil,
		float64(c.PerformanceFactor), float64(c.ScalabilityFactor), pb, pa)
	x := chart.Chart{
		Name:  "throughput",
		Title: "Throughput against load, before and after",
		X:     chart.Axis{Label: loadLabel, Zero: true},
		Y:     chart.Axis{Label: "throughput X (jobs/s)", Zero: true},
	}
	for _, s := range []struct {
		name  string
		m     usl.Model
		color string
		pts   []MeasurementJSON
	}{{"before", mb, colorBefore, pb}, {"after", ma, colorAfter, pa}} {
		cx, cy := curveXY(usl.Curve(s.m.Throughput, from, to, 200), false, 1)
		x.Layers = append(x.Layers, chart.Layer{Kind: chart.Line, Name: s.name, Color: s.color, X: cx, Y: cy})
		if len(s.pts) > 0 {
			px, py := pointsXY(s.pts, false, 1)
			x.Layers = append(x.Layers, chart.Layer{Kind: chart.Points, Color: s.color, X: px, Y: py})
		}
		if pk := s.m.PeakConcurrency(); !math.IsInf(pk, 0) {
			x.Layers = append(x.Layers, chart.Layer{Kind: chart.Mark, Color: s.color, X: []float64{pk}, Y: []float64{s.m.Throughput(pk)}, Text: "N* = " + report.Number(pk)})
		}
	}
	return append(charts, x)
}

// Measurements converts usl points to their JSON form, for the charts.
func Measurements(ps []usl.Point) []MeasurementJSON {
	out := make([]MeasurementJSON, len(ps))
	for i, p := range ps {
		out[i] = newMeasurementJSON(p)
	}
	return out
}
