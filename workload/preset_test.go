package workload

import (
	"math"
	"slices"
	"strings"
	"testing"
)

// presetDay reads a preset's first day in minutes: jobs per second of each
// minute, and of each hour.
func presetDay(t *testing.T, name string, seed uint64) (minutes, hours []float64) {
	t.Helper()
	c, err := Preset(name, seed)
	if err != nil {
		t.Fatal(err)
	}
	if err := Validate(c); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	minutes = make([]float64, 1440)
	NewSampler(c, 0, 60).Next(minutes)
	hours = make([]float64, 24)
	for m, j := range minutes {
		minutes[m] = j / 60
		hours[m/60] += j / 3600
	}
	return minutes, hours
}

func TestPresetNames(t *testing.T) {
	want := []string{"bursty", "daily", "flat", "growing"}
	if got := PresetNames(); !slices.Equal(got, want) {
		t.Errorf("PresetNames() = %v, want %v", got, want)
	}
	_, err := Preset("spiky", 1)
	if err == nil || !strings.Contains(err.Error(), `workload: unknown preset "spiky" (want one of bursty, daily, flat, growing)`) {
		t.Errorf("Preset(spiky) error = %v", err)
	}
	// The seed moves the noise, nothing else.
	a, _ := Preset("daily", 1)
	b, _ := Preset("daily", 1)
	c, _ := Preset("daily", 2)
	if a.Rate(1234) != b.Rate(1234) || a.Rate(1234) == c.Rate(1234) {
		t.Errorf("daily: seed 1 gives %g and %g, seed 2 %g", a.Rate(1234), b.Rate(1234), c.Rate(1234))
	}
}

// TestPresetShapes: each preset has the shape its name promises, read
// through the Sampler as the engines read it, for a few seeds. Noise is 5–10%
// per minute, so an hour's mean is within ~1.3% (σ/√60) of the curve.
func TestPresetShapes(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		// flat: every hour within 5% of 50 jobs/s (3.9 σ of an hour's noise).
		_, hours := presetDay(t, "flat", seed)
		for h, r := range hours {
			if math.Abs(r-50) > 2.5 {
				t.Errorf("flat seed %d: hour %d averages %.2f jobs/s, want 50 ± 2.5", seed, h, r)
			}
		}

		// daily: the busiest hours straddle 14:00, the quietest 02:00, and
		// peak over trough is near 5 (hour means shave ~0.3% off the peak).
		_, hours = presetDay(t, "daily", seed)
		hi, lo := argmax(hours), argmin(hours)
		if hi != 13 && hi != 14 {
			t.Errorf("daily seed %d: busiest hour %d:00, want 13:00 or 14:00", seed, hi)
		}
		if lo != 1 && lo != 2 {
			t.Errorf("daily seed %d: quietest hour %d:00, want 01:00 or 02:00", seed, lo)
		}
		if ratio := hours[hi] / hours[lo]; ratio < 4.6 || ratio > 5.4 {
			t.Errorf("daily seed %d: peak over trough %.2f, want about 5", seed, ratio)
		}

		// bursty: five spikes a day, each above twice the 30 jobs/s base,
		// and the rest of the day at the base.
		minutes, _ := presetDay(t, "bursty", seed)
		spikes, in := 0, false
		for m, r := range minutes {
			switch {
			case r > 60 && !in:
				spikes, in = spikes+1, true
			case r <= 60:
				in = false
				if r < 30*0.6 || r > 30*1.6 { // 5σ of σ = 0.1 noise
					t.Errorf("bursty seed %d: minute %d at %.1f jobs/s, off the 30 jobs/s base", seed, m, r)
				}
			}
		}
		if spikes != 5 {
			t.Errorf("bursty seed %d: %d spikes in a day, want 5", seed, spikes)
		}
		if peak := slices.Max(minutes); peak < 250 {
			t.Errorf("bursty seed %d: highest minute %.0f jobs/s, want the 330 jobs/s lunch spike", seed, peak)
		}

		// growing: 8× a day (2^(24/8)); the first and last hour differ by
		// 2^(23/8) = 7.34.
		_, hours = presetDay(t, "growing", seed)
		if g := hours[23] / hours[0]; math.Abs(g-math.Exp2(23.0/8)) > 0.05*math.Exp2(23.0/8) {
			t.Errorf("growing seed %d: last hour / first hour = %.2f, want %.2f", seed, g, math.Exp2(23.0/8))
		}
		c, _ := Preset("growing", seed)
		if g := c.Jobs(86400, 2*86400) / c.Jobs(0, 86400); math.Abs(g-8) > 0.1 {
			t.Errorf("growing seed %d: day 2 / day 1 = %.3f, want 8", seed, g)
		}
		for h := 1; h < 24; h++ {
			if hours[h] <= hours[h-1] {
				t.Errorf("growing seed %d: hour %d (%.1f) not above hour %d (%.1f)", seed, h, hours[h], h-1, hours[h-1])
			}
		}
	}
}

func argmax(x []float64) int {
	i := 0
	for j := range x {
		if x[j] > x[i] {
			i = j
		}
	}
	return i
}

func argmin(x []float64) int {
	i := 0
	for j := range x {
		if x[j] < x[i] {
			i = j
		}
	}
	return i
}
