package usl

import (
	"math"
	"testing"
)

func mustPoint(t *testing.T, s string) Point {
	t.Helper()
	p, err := ParsePoint(s)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestComparePointsArticle: the second article's examples. "A system that takes
// one second to process a single request and only can process one request
// at a time" does 1 request per second; halving the response time to half a
// second gives 2 per second, all performance; handling two requests in
// parallel gives 2 per second, all scalability. The factors must be exact.
func TestComparePointsArticle(t *testing.T) {
	before := mustPoint(t, "N=1,R=1s")
	tests := []struct {
		name                  string
		after                 string
		throughput, perf, scl float64
		verdict               string
	}{
		{"halve latency", "X=2/s,R=500ms", 2, 2, 1, "all performance"},
		{"two at a time", "N=2,R=1s", 2, 1, 2, "all scalability"},
		{"both", "N=2,R=500ms", 4, 2, 2, "both equally"},
		{"nothing", "X=1/s,N=1", 1, 1, 1, "nothing changed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ComparePoints(before, mustPoint(t, tt.after))
			if err != nil {
				t.Fatal(err)
			}
			if c.ThroughputFactor != tt.throughput || c.PerformanceFactor != tt.perf || c.ScalabilityFactor != tt.scl {
				t.Errorf("factors ×%v = ×%v × ×%v, want exactly ×%v = ×%v × ×%v",
					c.ThroughputFactor, c.PerformanceFactor, c.ScalabilityFactor, tt.throughput, tt.perf, tt.scl)
			}
			if v := c.Verdict(); v != tt.verdict {
				t.Errorf("verdict %q, want %q", v, tt.verdict)
			}
		})
	}
}

// TestComparePointsSplit: the split is exact for any two points,
// ln(X2/X1) = ln(N2/N1) − ln(R2/R1).
func TestComparePointsSplit(t *testing.T) {
	tests := []struct {
		a, b    string
		share   float64 // performance share, ln(R1/R2)/ln(X2/X1)
		verdict string
	}{
		// X 100 → 300: R 40ms → 20ms (×2), N 4 → 6 (×1.5); share ln2/ln3.
		{"N=4,X=100/s", "N=6,X=300/s", math.Ln2 / math.Log(3), "mostly performance (63%)"},
		// Latency doubles, parallelism quadruples: X ×2.
		{"N=1,R=1s", "N=4,R=2s", -1, "performance and scalability pulled apart"},
		// ×1.5 from performance, ×3 from scalability.
		{"N=2,R=300ms", "N=6,R=200ms", math.Log(1.5) / math.Log(4.5), "mostly scalability (73%)"},
	}
	for _, tt := range tests {
		c, err := ComparePoints(mustPoint(t, tt.a), mustPoint(t, tt.b))
		if err != nil {
			t.Fatal(err)
		}
		if !close(c.PerformanceFactor*c.ScalabilityFactor, c.ThroughputFactor, 1e-14) {
			t.Errorf("%s → %s: ×%v × ×%v ≠ ×%v", tt.a, tt.b, c.PerformanceFactor, c.ScalabilityFactor, c.ThroughputFactor)
		}
		if s := c.PerformanceShare(); !close(s, tt.share, 1e-12) {
			t.Errorf("%s → %s: share %v, want %v", tt.a, tt.b, s, tt.share)
		}
		if v := c.Verdict(); v != tt.verdict {
			t.Errorf("%s → %s: verdict %q, want %q", tt.a, tt.b, v, tt.verdict)
		}
	}
}

func TestComparePointsErrors(t *testing.T) {
	good := Point{Concurrency: 1, Throughput: 1, Latency: 1}
	for _, tt := range []struct{ a, b Point }{
		{Point{Concurrency: 1}, good},
		{good, Point{Concurrency: 2, Throughput: 1, Latency: 1}}, // breaks Little's law
		{good, Point{Concurrency: -1, Throughput: 1}},
	} {
		if _, err := ComparePoints(tt.a, tt.b); err == nil {
			t.Errorf("ComparePoints(%+v, %+v) = nil error", tt.a, tt.b)
		}
	}
}

// TestCompareFits: the USL's curve pushed down (λ doubled) and pushed right
// (σ and κ quartered, so N* = sqrt((1 − σ)/κ) about doubles), measured at
// the same concurrencies with the same small relative noise.
func TestCompareFits(t *testing.T) {
	noise := []float64{1.01, 0.99, 1.005, 0.995, 1.0, 1.008, 0.992, 1.003}
	ns := []float64{1, 5, 10, 20, 40, 60, 80, 120}
	fitOf := func(m Model) *FitResult {
		t.Helper()
		var ps []Point
		for i, n := range ns {
			ps = append(ps, Point{Concurrency: n, Throughput: m.Throughput(n) * noise[i]})
		}
		r, err := Fit(ps)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	base := Model{Lambda: 50, Sigma: 0.04, Kappa: 0.0004}
	a := fitOf(base)

	down := CompareFits(a, fitOf(Model{Lambda: 100, Sigma: 0.04, Kappa: 0.0004}))
	if !down.PerformanceMoved() || down.ScalabilityMoved() {
		t.Errorf("λ ×2: performance moved %v, scalability moved %v; want true, false (%+v)", down.PerformanceMoved(), down.ScalabilityMoved(), down)
	}
	// Same relative noise on twice the throughput: σ, κ fit the same and λ
	// exactly doubles, so the factors are 2 and 1 to rounding.
	if !close(down.PerformanceFactor, 2, 1e-9) || !close(down.ScalabilityFactor, 1, 1e-9) || !close(down.ThroughputFactor, 2, 1e-9) {
		t.Errorf("λ ×2: factors ×%v = ×%v × ×%v", down.ThroughputFactor, down.PerformanceFactor, down.ScalabilityFactor)
	}
	if v := down.Verdict(); v != "all performance" {
		t.Errorf("λ ×2: verdict %q", v)
	}

	right := CompareFits(a, fitOf(Model{Lambda: 50, Sigma: 0.01, Kappa: 0.0001}))
	if right.PerformanceMoved() || !right.ScalabilityMoved() || !right.Peak.Outside {
		t.Errorf("σ, κ ÷4: performance moved %v, scalability moved %v, N* outside %v", right.PerformanceMoved(), right.ScalabilityMoved(), right.Peak.Outside)
	}
	if right.ScalabilityFactor <= 1.5 || !close(right.PerformanceFactor*right.ScalabilityFactor, right.ThroughputFactor, 1e-12) {
		t.Errorf("σ, κ ÷4: factors ×%v = ×%v × ×%v", right.ThroughputFactor, right.PerformanceFactor, right.ScalabilityFactor)
	}
	if !close(right.Peak.Factor, right.After.Model.PeakConcurrency()/a.Model.PeakConcurrency(), 1e-15) {
		t.Errorf("N* factor %v", right.Peak.Factor)
	}
}
