package usl

import (
	"math"
	"testing"
)

// The defaults boxes fit --curve documents: "default 1, or the smallest
// measured if below 1", "twice the largest measured, or 1.5 N* if that is
// more", "every whole number up to 200 of them, else 100".
func TestCurveRange(t *testing.T) {
	for _, c := range []struct {
		minN, maxN, peak float64
		from, to         float64
		steps            int
	}{
		{1, 32, math.Inf(1), 1, 64, 63},    // no peak: twice the largest
		{2, 32, 50, 1, 75, 74},             // 1.5 N* = 75 > 64
		{0.5, 8, 10.2, 0.5, 16, 100},       // from below 1 is not whole: 100 steps
		{1, 200, math.Inf(1), 1, 400, 100}, // 399 whole numbers: more than 200
	} {
		from, to := CurveRange(c.minN, c.maxN, c.peak)
		if steps := CurveSteps(from, to); from != c.from || to != c.to || steps != c.steps {
			t.Errorf("CurveRange(%g, %g, %g) = %g, %g, %d steps; want %g, %g, %d", c.minN, c.maxN, c.peak, from, to, steps, c.from, c.to, c.steps)
		}
	}
}
