package workload

import (
	"math"
	"testing"
)

// TestParseInterpolation reads "step" and "linear" without case; the empty
// word is step.
func TestParseInterpolation(t *testing.T) {
	for s, want := range map[string]Interpolation{"": StepInterpolation, "step": StepInterpolation, "LINEAR": LinearInterpolation} {
		if got, err := ParseInterpolation(s); got != want || err != nil {
			t.Errorf("ParseInterpolation(%q) = %v, %v", s, got, err)
		}
	}
	if _, err := ParseInterpolation("cubic"); err == nil {
		t.Errorf("ParseInterpolation(cubic): no error")
	}
}

// TestTraceJobsFarAndInfinite: issue 11's F12. Jobs is never NaN: a trace
// with no jobs has none even over an infinite interval (it was Inf × 0); a
// looping trace counts Total per pass beyond 2^52 passes, +Inf over an
// infinite interval; a trace that does not loop has its own jobs over any
// interval covering it.
func TestTraceJobsFarAndInfinite(t *testing.T) {
	zero, _ := NewTrace([]float64{-1e308}, []float64{0}, -1e308+1e292, StepInterpolation, true)
	one, _ := NewTrace([]float64{0, 1}, []float64{1, 3}, 2, StepInterpolation, true) // 4 jobs a 2 s pass
	once, _ := NewTrace([]float64{0, 1}, []float64{1, 3}, 2, StepInterpolation, false)
	inf := math.Inf(1)
	for _, tc := range []struct {
		name   string
		tr     *Trace
		t0, t1 float64
		want   float64
	}{
		{"no jobs, to +Inf", zero, 1e308, inf, 0},
		{"no jobs, everywhere", zero, -inf, inf, 0},
		{"looping, to +Inf", one, 0, inf, inf},
		{"looping, from -Inf", one, -inf, 0, inf},
		{"looping, 2^60 s: 2^59 passes", one, 0, 1 << 60, 4 * (1 << 59)},
		{"looping, one pass 2^39 passes away", one, 1 << 40, 1<<40 + 2, 4},
		{"looping, exact", one, 0.5, 3.5, 0.5 + 3 + 1 + 1.5},
		{"once, everywhere", once, -inf, inf, 4},
		{"once, NaN", once, math.NaN(), 1, 0},
	} {
		got := tc.tr.Jobs(tc.t0, tc.t1)
		if !(got == tc.want || math.Abs(got-tc.want) <= 1e-12*tc.want) {
			t.Errorf("%s: Jobs(%g, %g) = %g, want %g", tc.name, tc.t0, tc.t1, got, tc.want)
		}
	}
	if r := one.Rate(inf); r != 0 {
		t.Errorf("Rate(+Inf) = %g, want 0", r)
	}
}
