package policy

import (
	"math"
	"strings"
	"testing"
)

// TestFixedStart sizes capacities with the first article's equation worked by
// hand: Capacity = ceil(JobRate × Latency / Utilization).
func TestFixedStart(t *testing.T) {
	env := Env{Latency: 0.2, PeakRate: 100, MeanRate: 37}
	tests := []struct {
		name string
		f    Fixed
		want int
	}{
		{"explicit capacity", Fixed{Capacity: 7}, 7},
		{"peak: 100 jobs/s × 0.2 s / 0.8 = 25 exactly", Fixed{Utilization: 0.8, At: Peak}, 25},
		{"the zero At is the peak", Fixed{Utilization: 0.8}, 25},
		{"peak at 0.6: 20 / 0.6 = 33.3 → 34", Fixed{Utilization: 0.6}, 34},
		{"mean: 37 × 0.2 / 0.8 = 9.25 → 10", Fixed{Utilization: 0.8, At: Mean}, 10},
		{"mean at 1: 7.4 → 8", Fixed{Utilization: 1, At: Mean}, 8},
		{"DefaultFixed: 0.8 at the peak", DefaultFixed(), 25},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			run, err := tt.f.Start(env)
			if err != nil {
				t.Fatal(err)
			}
			if run.Initial != tt.want {
				t.Errorf("Initial = %d, want %d", run.Initial, tt.want)
			}
			for _, at := range []float64{0, 3600, 1e7} {
				if got := run.Policy.Desired(&Observation{Time: at, Ready: 1}); got != tt.want {
					t.Errorf("Desired at %g s = %d, want %d", at, got, tt.want)
				}
			}
		})
	}
}

func TestFixedNoLoad(t *testing.T) {
	run, err := DefaultFixed().Start(Env{Latency: 0.1})
	if err != nil {
		t.Fatal(err)
	}
	if run.Initial != 0 {
		t.Errorf("no load: Initial = %d, want 0 boxes", run.Initial)
	}
}

func TestFixedErrors(t *testing.T) {
	tests := []struct {
		f    Fixed
		env  Env
		want string
	}{
		{Fixed{}, Env{}, "utilization 0 must be in (0, 1]"},
		{Fixed{Utilization: 1.5}, Env{}, "utilization 1.5 must be in (0, 1]"},
		{Fixed{Capacity: -1}, Env{}, "capacity -1 must not be negative"},
		{Fixed{Capacity: 3, At: "p95"}, Env{}, `at "p95" must be "peak" or "mean"`},
		{Fixed{Utilization: 0.5}, Env{PeakRate: 10}, "env latency 0 s must be positive"},
		{Fixed{Utilization: 0.5}, Env{Latency: 1, PeakRate: math.NaN()}, "env peak rate NaN"},
		{Fixed{Utilization: 0.5, At: Mean}, Env{Latency: 1, MeanRate: -1}, "env mean rate -1"},
	}
	for _, tt := range tests {
		_, err := tt.f.Start(tt.env)
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "policy: fixed: ") {
			t.Errorf("%+v with %+v: got %v, want an error with %q", tt.f, tt.env, err, tt.want)
		}
	}
}
