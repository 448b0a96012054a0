package html

import (
	"bytes"
	"context"
	"encoding/xml"
	"flag"
	"image/png"
	"io"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/boxes-project/boxes/internal/reporttest"
	"github.com/boxes-project/boxes/report"
	"github.com/boxes-project/boxes/report/chart"
	"github.com/boxes-project/boxes/scenario"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// chartGolden compares got with testdata/charts/name, or rewrites it with
// -update.
func chartGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	reporttest.Golden(t, "./report/html", filepath.Join("testdata", "charts", name), got, *update)
}

// smallSimulation is a hand-made two-hour result in twelve 10-minute
// points: the JobRate climbs from 10/s to 40/s and back; "fixed" holds 6
// boxes of 200 ms (Throughput 30/s) and misses what is above 30/s; "scaler"
// follows a step behind, with boxes booting; the oracle holds utilization 1.
func smallSimulation() *report.SimulationJSON {
	rate := []float64{10, 15, 20, 25, 30, 35, 40, 35, 30, 25, 20, 15}
	n := len(rate)
	const iv, latency, price = 600.0, 0.2, 0.1
	j := &report.SimulationJSON{}
	j.Scenario = report.ScenarioJSON{Name: "small", Horizon: report.Float(n * iv), Step: 10, Seed: 1, Start: "2026-01-05T11:00:00Z",
		Latency: latency, PricePerHour: price, Boot: 90, Drain: latency, OracleUtilization: 1}
	j.Workload = report.WorkloadJSON{MeanRate: 25, PeakRate: 40, InitialRate: 10}
	series := func(ready func(k int) float64, booting func(k int) float64) *report.SeriesJSON {
		s := &report.SeriesJSON{Interval: iv}
		cost := 0.0
		for k := range n {
			thr := ready(k) / latency
			served := math.Min(rate[k], thr)
			cost += (ready(k) + booting(k)) * price * iv / 3600
			s.Time = append(s.Time, report.Float(float64(k)*iv))
			s.JobRate = append(s.JobRate, report.Float(rate[k]))
			s.Throughput = append(s.Throughput, report.Float(thr))
			s.Served = append(s.Served, report.Float(served))
			s.Missed = append(s.Missed, report.Float(rate[k]-served))
			s.Ready = append(s.Ready, report.Float(ready(k)))
			s.Booting = append(s.Booting, report.Float(booting(k)))
			u := math.Inf(1)
			if ready(k) > 0 {
				u = rate[k] * latency / ready(k)
			}
			s.Utilization = append(s.Utilization, report.Float(u))
			s.Cost = append(s.Cost, report.Float(cost))
		}
		return s
	}
	result := func(name, kind string, s *report.SeriesJSON) report.ResultJSON {
		r := report.ResultJSON{Policy: name, Kind: kind, Series: s}
		for k := range n {
			r.Jobs.Arrived += s.JobRate[k] * iv
			r.Jobs.Served += s.Served[k] * iv
			r.Jobs.Missed += s.Missed[k] * iv
		}
		r.Cost = s.Cost[n-1]
		return r
	}
	j.Results = []report.ResultJSON{
		result("oracle", "oracle", series(func(k int) float64 { return rate[k] * latency }, func(int) float64 { return 0 })),
		result("fixed", "fixed", series(func(int) float64 { return 6 }, func(int) float64 { return 0 })),
		result("scaler", "hpa", series(func(k int) float64 {
			if k == 0 {
				return 0
			}
			return math.Ceil(rate[k-1] * latency / 0.8)
		}, func(k int) float64 {
			if k+1 < n && rate[k+1] > rate[k] {
				return 1
			}
			return 0
		})),
	}
	oracle := float64(j.Results[0].Cost)
	for i := range j.Results {
		j.Results[i].OracleCost = report.Float(oracle)
		j.Results[i].CostVsOracle = j.Results[i].Cost / report.Float(oracle)
	}
	return j
}

// TestChartGoldens draws the small simulation's charts and checks them against golden SVG files: review them in a browser after
// -update.
func TestChartGoldens(t *testing.T) {
	charts, err := SimulationCharts(smallSimulation())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range charts {
		chartGolden(t, c.FileName()+".svg", c.SVG())
	}
	// One PNG too: its bytes depend on x/image's rasterizer and the Go
	// fonts, so a change there shows here.
	png, err := charts[0].PNG(1)
	if err != nil {
		t.Fatal(err)
	}
	chartGolden(t, charts[0].FileName()+".png", png)
}

// TestChartsDeterministic draws every chart twice, to SVG and PNG: the
// same bytes each time; the SVG is well-formed XML and the PNG decodes to
// the chart's size times the scale.
func TestChartsDeterministic(t *testing.T) {
	charts, err := SimulationCharts(smallSimulation())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range charts {
		a, b := c.SVG(), c.SVG()
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two SVGs differ", c.Name)
		}
		dec := xml.NewDecoder(bytes.NewReader(a))
		for {
			_, err := dec.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s: the SVG is not well-formed: %v", c.Name, err)
			}
		}
		p1, err := c.PNG(2)
		if err != nil {
			t.Fatal(err)
		}
		p2, _ := c.PNG(2)
		if !bytes.Equal(p1, p2) {
			t.Errorf("%s: two PNGs differ", c.Name)
		}
		img, err := png.Decode(bytes.NewReader(p1))
		if err != nil {
			t.Fatal(err)
		}
		if b := img.Bounds(); b.Dx() != 1440 || b.Dy() != 680 {
			t.Errorf("%s: PNG is %v, want 1440×680", c.Name, b)
		}
	}
}

// TestChartPNGShowsMissedJobs looks at the fixed fleet's PNG: inside the
// shaded band (10:00-11:10 into the run, where the JobRate of 40/s is
// above the 30/s the 6 boxes serve) the pixels are the missed jobs' red
// over white; just below the Throughput line, where jobs are served, they
// are white.
func TestChartPNGShowsMissedJobs(t *testing.T) {
	j := smallSimulation()
	c := ThroughputChart(j, 1)
	b, err := c.PNG(1)
	if err != nil {
		t.Fatal(err)
	}
	img, _ := png.Decode(bytes.NewReader(b))
	// The point of 40/s is point 6, drawn at its middle, 65 minutes in.
	px, py35 := c.Pixel(6*600+300, 35)
	_, py17 := c.Pixel(6*600+300, 17)
	x := int(px)
	red := img.At(x, int(py35))
	r, g, bl, _ := red.RGBA()
	if !(r > g+0x2000 && r > bl+0x2000) {
		t.Errorf("pixel inside the missed jobs at (%d, %d) is %v, want red", x, int(py35), red)
	}
	white := img.At(x, int(py17))
	if r, g, bl, _ := white.RGBA(); r != 0xffff || g != 0xffff || bl != 0xffff {
		t.Errorf("pixel below the Throughput at (%d, %d) is %v, want white", x, int(py17), white)
	}
}

// TestMissedShadingIsMissedJobs runs the default scenario and checks that
// the shaded area of each policy's Throughput chart, in jobs/s × s, is the
// engine's count of missed jobs: the picture shows the number.
func TestMissedShadingIsMissedJobs(t *testing.T) {
	j := runDefault(t)
	for i, r := range j.Results {
		if r.Kind == "oracle" {
			continue
		}
		c := ThroughputChart(j, i)
		area := 0.0
		for _, l := range c.Layers {
			if l.Kind == chart.Area {
				for k := range l.Y {
					area += (l.Y[k] - l.Y0[k]) * float64(r.Series.Interval)
				}
			}
		}
		want := float64(r.Jobs.Missed)
		if math.Abs(area-want) > 1e-6*math.Max(1, want) {
			t.Errorf("%s: shaded %g jobs, the run missed %g", r.Policy, area, want)
		}
	}
}

var defaultRun *report.SimulationJSON

// runDefault runs the embedded default scenario once per test binary.
func runDefault(t *testing.T) *report.SimulationJSON {
	t.Helper()
	if defaultRun != nil {
		return defaultRun
	}
	sc, err := scenario.Default()
	if err != nil {
		t.Fatal(err)
	}
	out, err := sc.Run(context.Background(), scenario.Options{})
	if err != nil {
		t.Fatal(err)
	}
	j := report.NewSimulationJSON(out, true)
	defaultRun = &j
	return defaultRun
}

// TestPolicyColors: the oracle keeps its grey and each policy its place's
// colour in every chart.
func TestPolicyColors(t *testing.T) {
	j := smallSimulation()
	u := UtilizationChart(j)
	seen := map[string]string{}
	for _, l := range u.Layers {
		if l.Kind == chart.Line {
			seen[l.Name] = l.Color
		}
	}
	for _, c := range []chart.Chart{CapacityChart(j), CostChart(j), ThroughputChart(j, 2)} {
		for _, l := range c.Layers {
			name := strings.TrimSuffix(l.Name, " booting")
			if want, ok := seen[name]; ok && l.Color != want {
				t.Errorf("%s: %s is %s, in the utilization chart %s", c.Name, l.Name, l.Color, want)
			}
		}
	}
	if seen["oracle"] != chart.ColorOracle || seen["fixed"] != chart.PolicyColor(0) || seen["scaler"] != chart.PolicyColor(1) {
		t.Errorf("colours: %v", seen)
	}
}

// TestWaitChart draws wait percentiles when a run has them (the per-job
// engine's series): p99 above p95 above the median, NaN gaps allowed.
func TestWaitChart(t *testing.T) {
	j := smallSimulation()
	nan := math.NaN()
	w := &WaitSeries{
		P50: []float64{0, 0, 0, 0, 0.1, 0.5, 2, 0.4, 0, 0, 0, nan},
		P95: []float64{0, 0, 0, 0.1, 0.4, 2, 6, 1.5, 0.1, 0, 0, nan},
		P99: []float64{0, 0, 0.1, 0.3, 0.9, 4, 9, 3, 0.2, 0, 0, nan},
	}
	c := WaitChart(j, 2, w)
	if len(c.Layers) != 3 || c.Y.Label != "wait (s)" {
		t.Fatalf("wait chart: %d layers, y %q", len(c.Layers), c.Y.Label)
	}
	chartGolden(t, "wait-scaler.svg", c.SVG())
	// The JSON series of a per-job run carries the percentiles.
	toFloats := func(xs []float64) []report.Float {
		out := make([]report.Float, len(xs))
		for i, x := range xs {
			out[i] = report.Float(x)
		}
		return out
	}
	s := j.Results[2].Series
	s.WaitP50, s.WaitP95, s.WaitP99 = toFloats(w.P50), toFloats(w.P95), toFloats(w.P99)
	cs, _ := SimulationCharts(j)
	if last := cs[len(cs)-1]; last.Name != "wait-scaler" {
		t.Errorf("with wait percentiles the last chart is %q, want wait-scaler", last.Name)
	}
}
