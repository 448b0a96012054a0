package usl

import (
	"math"
	"testing"
)

// TestModel checks the closed forms of the package doc on coefficients
// whose answers come out by hand.
func TestModel(t *testing.T) {
	tests := []struct {
		name                  string
		m                     Model
		n, x, r, c            float64 // X(n), R(n), C(n) at n
		peak, whole, peakX, l float64
	}{
		// σ = κ = 0.02 (the R package usl's tests/coef.R): N* = sqrt(0.98/0.02)
		// = 7, X(7) = 7/(1 + 0.12 + 0.84) = 7/1.96; λ/σ = 50.
		{"usl", Model{Lambda: 1, Sigma: 0.02, Kappa: 0.02}, 2, 2 / 1.06, 1.06, 2 / 1.06, 7, 7, 7 / 1.96, 50},
		// Amdahl, σ = 0.1: X(10) = 10λ/1.9; no peak, limit λ/σ = 400.
		{"amdahl", Model{Lambda: 40, Sigma: 0.1}, 10, 400 / 1.9, 1.9 / 40, 10 / 1.9, math.Inf(1), math.Inf(1), 400, 400},
		// Linear: X = λN, R = 1/λ at every N.
		{"linear", Model{Lambda: 5}, 8, 40, 0.2, 8, math.Inf(1), math.Inf(1), math.Inf(1), math.Inf(1)},
		// Falling from the start (κ > 1 − σ): the peak is reported at 1.
		{"retrograde", Model{Lambda: 10, Sigma: 0.5, Kappa: 0.6}, 2, 20 / 2.7, 0.27, 2 / 2.7, 1, 1, 10, 20},
		// N* = sqrt(0.99/0.0004) = 49.749: X(49) vs X(50), 50 is larger.
		{"whole", Model{Lambda: 1, Sigma: 0.01, Kappa: 0.0004}, 1, 1, 1, 1, math.Sqrt(0.99 / 0.0004), 50, math.Sqrt(0.99/0.0004) / (1 + 0.01*(math.Sqrt(0.99/0.0004)-1) + 0.0004*0.99/0.0004 - 0.0004*math.Sqrt(0.99/0.0004)), 100},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := tt.m
			for _, c := range []struct {
				what      string
				got, want float64
			}{
				{"X(n)", m.Throughput(tt.n), tt.x},
				{"R(n)", m.Latency(tt.n), tt.r},
				{"C(n)", m.Capacity(tt.n), tt.c},
				{"N*", m.PeakConcurrency(), tt.peak},
				{"whole N*", m.PeakConcurrencyWhole(), tt.whole},
				{"X(N*)", m.PeakThroughput(), tt.peakX},
				{"λ/σ", m.LimitThroughput(), tt.l},
			} {
				if !close(c.got, c.want, 1e-12) {
					t.Errorf("%s = %.15g, want %.15g", c.what, c.got, c.want)
				}
			}
			// Little's law ties the three: R(n) × X(n) = n.
			if !close(m.Latency(tt.n)*m.Throughput(tt.n), tt.n, 1e-14) {
				t.Errorf("R × X = %g, want %g", m.Latency(tt.n)*m.Throughput(tt.n), tt.n)
			}
		})
	}
}

func TestCurve(t *testing.T) {
	m := Model{Lambda: 10, Sigma: 0.1}
	c := Curve(m.Throughput, 1, 9, 4)
	if len(c) != 5 {
		t.Fatalf("%d points, want 5", len(c))
	}
	for i, n := range []float64{1, 3, 5, 7, 9} {
		p := c[i]
		if p.Concurrency != n || p.Throughput != m.Throughput(n) || !close(p.Latency, m.Latency(n), 1e-15) {
			t.Errorf("point %d = %+v, want N = %g on the model", i, p, n)
		}
	}
	if got := Curve(m.Throughput, 2, 2, 10); len(got) != 1 || got[0].Concurrency != 2 {
		t.Errorf("from = to: %+v", got)
	}
	for _, bad := range [][3]float64{{0, 1, 1}, {2, 1, 1}, {1, math.Inf(1), 1}, {1, 2, 0}, {math.NaN(), 2, 1}} {
		if got := Curve(m.Throughput, bad[0], bad[1], int(bad[2])); got != nil {
			t.Errorf("Curve(%v) = %v, want nil", bad, got)
		}
	}
	// The boxes model of one point: flat latency up to its N, then
	// rising as n R / N.
	p := Point{Concurrency: 2, Throughput: 4, Latency: 0.5}
	c = Curve(p.ThroughputAt, 1, 4, 3)
	for i, want := range []float64{0.5, 0.5, 0.75, 1} {
		if c[i].Latency != want {
			t.Errorf("boxes curve R(%g) = %g, want %g", c[i].Concurrency, c[i].Latency, want)
		}
	}
}
