package workload

import (
	"errors"
	"math"
	"strings"
	"testing"
)

// TestCheckRange: issue 11's F5. An exponential from 1/s doubling every
// second reaches 2^40 ≈ 1.1e12 jobs/s in its 40th second (MaxRate is 1e12)
// and overflows a float64 after 1024 s; an hour of it was a cost of
// −$709 quadrillion. The check names the curve and the first step past the
// limit; curves within it pass.
func TestCheckRange(t *testing.T) {
	for _, tc := range []struct {
		name  string
		c     Curve
		steps int
		step  float64
		at    float64 // the step reported, or −1 for no error
		want  string
	}{
		// Jobs over [39, 40) are (2^40 − 2^39)/ln 2 = 7.9e11; over [40, 41) 1.59e12.
		{"exponential, an hour", Exponential{From: 1, Doubling: 1}, 3600, 1, 40, "workload: exponential: the rate reaches 1.59e+12 jobs/s at 40s into the run"},
		{"exponential, 39 s", Exponential{From: 1, Doubling: 1}, 40, 1, -1, ""},
		{"exponential under poisson", Poisson{Curve: Exponential{From: 1, Doubling: 1}}, 3600, 1, 40, "workload: exponential:"},
		{"a sum", Sum{Constant(1), Exponential{From: 1, Doubling: 60}}, 7 * 86400, 60, 2400, "workload: sum:"},
		{"daily, a year", Daily{Mean: 1e6, Ratio: 10, Period: 86400, Peak: 0}, 365 * 24, 3600, -1, ""},
		{"constant at the limit", Constant(MaxRate), 10, 1, -1, ""},
		{"constant past it", Constant(2 * MaxRate), 10, 1, 0, "above the limit of 1e+12 jobs/s"},
	} {
		err := CheckRange(tc.c, 0, tc.step, tc.steps)
		var re *RangeError
		switch {
		case tc.at < 0 && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.at < 0:
		case !errors.As(err, &re):
			t.Errorf("%s: error %v, want a *RangeError", tc.name, err)
		case re.Time != tc.at || !strings.Contains(err.Error(), tc.want):
			t.Errorf("%s: %v (at %g s), want at %g s and %q", tc.name, err, re.Time, tc.at, tc.want)
		}
	}
	// Overflow to +Inf is named as such.
	err := CheckRange(Exponential{From: 1e300, Doubling: 1}, 0, 1, 100)
	var re *RangeError
	if !errors.As(err, &re) || !math.IsInf(re.Rate, 1) && re.Rate <= MaxRate {
		t.Errorf("1e300 doubling: %v", err)
	}
}
