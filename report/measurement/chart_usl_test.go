package measurement

import (
	"flag"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/boxes-project/boxes/internal/reporttest"
	"github.com/boxes-project/boxes/report/chart"
	"github.com/boxes-project/boxes/usl"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// chartGolden compares got with testdata/charts/name, or rewrites it with
// -update.
func chartGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	reporttest.Golden(t, "./report/measurement", filepath.Join("testdata", "charts", name), got, *update)
}

// TestChartGoldens draws the two comparisons' and a fit's charts and checks
// them against golden SVG files: review them in a browser after -update.
func TestChartGoldens(t *testing.T) {
	pc := NewPointComparisonJSON(articleComparison(t))
	charts := prefixed("points-", PointComparisonCharts(&pc))
	fit, pts := specFit(t)
	charts = append(charts, FitCharts(&fit, pts)...)
	for _, c := range charts {
		chartGolden(t, c.FileName()+".svg", c.SVG())
	}
}

func prefixed(p string, cs []chart.Chart) []chart.Chart {
	for i := range cs {
		cs[i].Name = p + cs[i].Name
	}
	return cs
}

// articleComparison is the second article's example made both: one job at a time
// in 1 s, then two at a time in 0.5 s: throughput ×4 = ×2 performance × ×2
// scalability.
func articleComparison(t *testing.T) usl.PointComparison {
	t.Helper()
	c, err := usl.ComparePoints(usl.Point{Concurrency: 1, Latency: 1}, usl.Point{Concurrency: 2, Latency: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// specFit fits the SPEC SDM91 measurements the usl package's tests use.
func specFit(t *testing.T) (FitJSON, []MeasurementJSON) {
	t.Helper()
	f, err := os.Open("../../cmd/boxes/testdata/usl/specsdm91.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := usl.ReadCSV(f, "specsdm91.csv")
	if err != nil {
		t.Fatal(err)
	}
	r, err := m.Fit()
	if err != nil {
		t.Fatal(err)
	}
	return NewFitJSON("specsdm91.csv", nil, r, nil), Measurements(r.Points)
}

// curveAt is the y of the line named name at x (linear between samples).
func curveAt(t *testing.T, c chart.Chart, name string, x float64) float64 {
	t.Helper()
	for _, l := range c.Layers {
		if l.Name != name || l.Kind != chart.Line {
			continue
		}
		for k := 1; k < len(l.X); k++ {
			if l.X[k] >= x {
				f := (x - l.X[k-1]) / (l.X[k] - l.X[k-1])
				return l.Y[k-1] + f*(l.Y[k]-l.Y[k-1])
			}
		}
	}
	t.Fatalf("%s has no line %q reaching %g", c.Name, name, x)
	return 0
}

// TestPointComparisonCharts checks the two graphs of “The Difference Between Scalability and Performance” for
// N=1,R=1s → N=2,R=0.5s, against the boxes model R(n) = max(R, nR/N):
// the performance graph moves the curve down by half at every load (1 s →
// 0.5 s at n = 1, 4 s → 2 s at n = 4); the scalability graph keeps 0.5 s
// up to n = 2, where the halfway curve (N = 1) is already at 1 s.
func TestPointComparisonCharts(t *testing.T) {
	pc := NewPointComparisonJSON(articleComparison(t))
	cs := PointComparisonCharts(&pc)
	if len(cs) != 2 {
		t.Fatalf("%d charts, want 2", len(cs))
	}
	down, right := cs[0], cs[1]
	tests := []struct {
		c    chart.Chart
		name string
		n    float64
		want float64 // seconds
	}{
		{down, "before", 1, 1},
		{down, "before", 4, 4},
		{down, "after's latency, before's parallelism", 1, 0.5},
		{down, "after's latency, before's parallelism", 4, 2},
		{right, "after", 2, 0.5},
		{right, "after", 4, 1},
		{right, "after's latency, before's parallelism", 2, 1},
	}
	for _, tt := range tests {
		if got := curveAt(t, tt.c, tt.name, tt.n); math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("%s: %s at N=%g is %g s, want %g", tt.c.Name, tt.name, tt.n, got, tt.want)
		}
	}
	if down.Title != "Performance: the curve pushed down (latency ×0.50)" || right.Title != "Scalability: the curve pushed right (capacity ×2.00)" {
		t.Errorf("titles: %q, %q", down.Title, right.Title)
	}
	if down.Y.Max != right.Y.Max {
		t.Errorf("the two graphs have different scales: %g and %g", down.Y.Max, right.Y.Max)
	}
}

// TestFitChartsPeak: the peak is marked at N* = sqrt((1 − σ)/κ) with
// X(N*) from the fit's own coefficients, and the measurements are drawn.
func TestFitChartsPeak(t *testing.T) {
	f, pts := specFit(t)
	cs := FitCharts(&f, pts)
	sigma, kappa, lambda := float64(f.Sigma), float64(f.Kappa), float64(f.Lambda)
	n := math.Sqrt((1 - sigma) / kappa)
	x := lambda * n / (1 + sigma*(n-1) + kappa*n*(n-1))
	var found, measured bool
	for _, l := range cs[0].Layers {
		if l.Kind == chart.Mark && math.Abs(l.X[0]-n) < 1e-9*n && math.Abs(l.Y[0]-x) < 1e-9*x {
			found = true
		}
		if l.Kind == chart.Points && len(l.X) == len(pts) {
			measured = true
		}
	}
	if !found || !measured {
		t.Errorf("peak marked at (%g, %g): %v; measurements drawn: %v", n, x, found, measured)
	}
}

// TestFitComparisonCharts: the halfway curve has after's λ with before's σ
// and κ, so it is before's R(N) times λ₁/λ₂ at every load.
func TestFitComparisonCharts(t *testing.T) {
	a, pa := specFit(t)
	b := a
	b.Lambda = a.Lambda * 2
	c := FitComparisonJSON{Before: a, After: b, PerformanceFactor: 2, ScalabilityFactor: 1}
	cs := FitComparisonCharts(&c, pa, nil)
	if len(cs) != 3 {
		t.Fatalf("%d charts, want 3", len(cs))
	}
	for _, n := range []float64{1, 10, 100} {
		before := curveAt(t, cs[0], "before", n)
		half := curveAt(t, cs[0], "after's latency, before's parallelism", n)
		if math.Abs(half-before/2) > 1e-3*before {
			t.Errorf("at N=%g: halfway %g, want before %g / 2", n, half, before)
		}
	}
	if cs[1].Title != "Scalability: the curve pushed nowhere (capacity ×1.00)" {
		t.Errorf("scalability title %q", cs[1].Title)
	}
}
