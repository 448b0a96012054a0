package usl

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func TestParsePoint(t *testing.T) {
	tests := []struct {
		in   string
		want Point
	}{
		{"N=4,X=100/s", Point{4, 100, 0.04}},   // R = N/X
		{"X=2/s,R=500ms", Point{1, 2, 0.5}},    // N = X × R
		{"N=2,R=1s", Point{2, 2, 1}},           // X = N/R
		{"n=8, x=2.4k/min", Point{8, 40, 0.2}}, // rates in any unit
		{"concurrency=3, latency=1.5s", Point{3, 2, 1.5}},
		{" users = 10 , rps = 50 ", Point{10, 50, 0.2}},
		{"R=250ms,throughput=8", Point{2, 8, 0.25}}, // a bare throughput is per second
		{"response_time=2s,N=1", Point{1, 0.5, 2}},
		{"X=1000/10s,R=1m", Point{6000, 100, 60}},
	}
	for _, tt := range tests {
		got, err := ParsePoint(tt.in)
		if err != nil {
			t.Errorf("ParsePoint(%q): %v", tt.in, err)
			continue
		}
		if !close(got.Concurrency, tt.want.Concurrency, 1e-12) || !close(got.Throughput, tt.want.Throughput, 1e-12) || !close(got.Latency, tt.want.Latency, 1e-12) {
			t.Errorf("ParsePoint(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

func TestParsePointErrors(t *testing.T) {
	tests := []struct {
		in    string
		field int
		want  string
	}{
		{"", 1, "is not key=value"},
		{"N=4", 0, "give two of concurrency N, throughput X and response time R, not 1"},
		{"N=4,X=100/s,R=40ms", 0, "not 3"},
		{"N=4,N=5", 2, "concurrency given twice"},
		{"N=4,Y=5", 2, `unknown key "Y"`},
		{"N=4,X", 2, `"X" is not key=value`},
		{"N=0,X=1", 1, "concurrency 0 must be positive"},
		{"N=-1,X=1", 1, "must be positive"},
		{"N=4,X=abc", 2, `bad rate "abc"`},
		{"N=4,R=250", 2, "needs a unit"},
		{"N=4,R=-1s", 2, "must be positive"},
		{"N=NaN,X=1", 1, "not a finite number"},
		{"N=1e300,R=1e-300s", 2, "must be positive"}, // under a nanosecond
		{"X=1e300,R=1e300h", 2, "boxes: bad duration"},
		{"N=1e300,X=1e-300", 0, "out of range"},
	}
	for _, tt := range tests {
		_, err := ParsePoint(tt.in)
		var pe *PointError
		if tt.field == 0 && err != nil && !errors.As(err, &pe) {
			// Complete's errors are plain.
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ParsePoint(%q) = %v, want %q", tt.in, err, tt.want)
			}
			continue
		}
		if !errors.As(err, &pe) || pe.Field != tt.field || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "usl: ") {
			t.Errorf("ParsePoint(%q) = %v, want field %d and %q", tt.in, err, tt.field, tt.want)
		}
	}
}

func TestComplete(t *testing.T) {
	tests := []struct {
		in, want Point
	}{
		{Point{Concurrency: 4, Throughput: 100}, Point{4, 100, 0.04}},
		{Point{Throughput: 100, Latency: 0.04}, Point{4, 100, 0.04}},
		{Point{Concurrency: 4, Latency: 0.04}, Point{4, 100, 0.04}},
	}
	for _, tt := range tests {
		got, err := Complete(tt.in)
		if err != nil || !close(got.Concurrency, tt.want.Concurrency, 1e-15) || !close(got.Throughput, tt.want.Throughput, 1e-15) || !close(got.Latency, tt.want.Latency, 1e-15) {
			t.Errorf("Complete(%+v) = %+v, %v, want %+v", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []Point{{}, {Concurrency: 1}, {1, 2, 3}, {Concurrency: -1, Throughput: 1}, {Concurrency: math.Inf(1), Throughput: 1}, {Concurrency: math.NaN(), Latency: 1}} {
		if _, err := Complete(bad); err == nil {
			t.Errorf("Complete(%+v) = nil error", bad)
		}
	}
}

// TestPointThroughputAt: the boxes model of one measurement, N boxes of
// latency R (first article: Throughput = Capacity / Latency).
func TestPointThroughputAt(t *testing.T) {
	p := Point{Concurrency: 4, Throughput: 8, Latency: 0.5}
	for _, tt := range []struct{ n, x float64 }{
		{1, 2},  // one job: 1/R
		{2, 4},  // two boxes busy
		{4, 8},  // all four: N/R
		{10, 8}, // saturated: the rest wait
	} {
		if got := p.ThroughputAt(tt.n); got != tt.x {
			t.Errorf("ThroughputAt(%g) = %g, want %g", tt.n, got, tt.x)
		}
	}
}
