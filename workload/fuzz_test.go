package workload

import (
	"math"
	"testing"
)

// FuzzSampler: for a daily wave plus a repeating burst plus an exponential
// plus a ramp that crosses zero (Slope −From/1000),
// with any parameters that validate, every step of the Sampler is finite,
// not negative, and equal to Jobs over the step (tolerance as in
// TestSamplerEqualsJobs, scaled by the curve's peak rate), whatever the
// block length.
func FuzzSampler(f *testing.F) {
	f.Add(50.0, 5.0, 86400.0, 50400.0, 100.0, 60.0, 3.0, 1000.0, 1.0, 3600.0, 0.0, 1.0, uint16(4096))
	f.Add(0.001, 1e6, 1.0, -3.0, 0.5, 0.25, 1e6, 0.5, 1e-3, -10.0, -1e6, 0.1, uint16(1))
	f.Add(1e9, 1.0, 1e9, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1e7, 1e4, uint16(7))
	f.Fuzz(func(t *testing.T, mean, ratio, period, peak, bStart, bDur, bHeight, bEvery, eFrom, eDoubling, start, step float64, block uint16) {
		c := Sum{
			Daily{Mean: mean, Ratio: ratio, Period: period, Peak: peak},
			Burst{Start: bStart, Duration: bDur, Height: bHeight, Every: bEvery},
			Exponential{From: eFrom, Doubling: eDoubling},
			Linear{From: mean, Slope: -mean / 1000},
		}
		// Keep to curves that validate and runs whose times and rates are
		// representable: |t| ≤ 1e9 s, step ≥ 1 µs, rates ≤ 1e12.
		if Validate(c) != nil || !(step >= 1e-6 && step <= 1e6) || !(math.Abs(start) <= 1e9) ||
			mean > 1e12 || bHeight > 1e12 || eFrom > 1e12 || math.Abs(eDoubling) < 1 || period < 1e-3 {
			return
		}
		const n = 3000
		if end := start + n*step; start/eDoubling > 30 || end/eDoubling > 30 {
			return // the exponential stays below 2^30 From
		}
		peakRate := mean*2 + bHeight + eFrom*math.Exp2(30) + mean*(1+(math.Abs(start)+n*step)/1000)
		bl := int(block)%1024 + 1
		s := NewSampler(c, start, step)
		buf := make([]float64, bl)
		for k0 := 0; k0 < n; k0 += bl {
			o := buf[:min(bl, n-k0)]
			s.Next(o)
			for i, got := range o {
				k := k0 + i
				a, b := start+float64(k)*step, start+float64(k+1)*step
				want := c.Jobs(a, b)
				if math.IsNaN(got) || math.IsInf(got, 0) || got < -1e-12*peakRate*step {
					t.Fatalf("step %d: %g", k, got)
				}
				ulp := math.Nextafter(math.Abs(b), math.Inf(1)) - math.Abs(b)
				// Rounding of the recurrences (1e-12 of the peak's jobs),
				// of the step's ends (Jobs sees b − a ≠ step), and of the
				// angle reduction ω·mod(t − Peak, Period) (ulp of the
				// period, times the rate's slope Mean·A·ω).
				// The exponential's product recurrence loses ~(1 + |Δ/D|)ε
				// a step, for up to anchorEvery steps.
				expJobs := (Exponential{From: eFrom, Doubling: eDoubling}).Jobs(a, b)
				tol := 1e-12*peakRate*step + 4*peakRate*ulp + 1e-12*math.Abs(want) +
					mean*step*2*math.Pi/period*4*(math.Nextafter(period, math.Inf(1))-period) +
					anchorEvery*(1+math.Abs(step/eDoubling))*2.3e-16*expJobs
				if math.Abs(got-want) > tol {
					t.Fatalf("step %d [%g, %g): sampler %.17g, Jobs %.17g (tolerance %g)", k, a, b, got, want, tol)
				}
			}
		}
	})
}

// FuzzParseInterpolation: the parser never panics, and what it accepts
// prints back to itself.
func FuzzParseInterpolation(f *testing.F) {
	for _, s := range []string{"", "step", "Linear", "linear", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if i, err := ParseInterpolation(s); err == nil {
			if back, err := ParseInterpolation(i.String()); err != nil || back != i {
				t.Fatalf("%q → %v → %v, %v", s, i, back, err)
			}
		}
	})
}
