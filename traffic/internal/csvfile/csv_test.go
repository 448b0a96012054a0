package csvfile

import (
	"math"
	"testing"
)

// TestClassify: header names and what they mean (the rate's factor to
// jobs per second; the time's seconds per unit, 0 when read from size).
func TestClassify(t *testing.T) {
	for _, c := range []struct {
		name   string
		class  class
		factor float64
	}{
		{"time", isTime, 0},
		{"Timestamp", isTime, 0},
		{"time_ms", isTime, 1e-3},
		{"timestamp_in_ms", isTime, 1e-3},
		{"Zeit", isTime, 0},
		{"rps", isRate, 1},
		{"Requests/sec", isRate, 1}, // count per unit: a rate
		{"rate_per_min", isRate, 1.0 / 60},
		{"rpm", isRate, 1.0 / 60},
		{"req/s", isRate, 1},
		{"sum(rate(http_requests_total[1m]))", isRate, 1},
		{"increase(http_requests_total[1m])", isCount, 1},
		{"http_requests_total", isCounter, 1},
		{"requests", isCount, 1},
		{"Anfragen", isCount, 1},
		{"context_tokens", unknown, 0},
		{"second", unknown, 0}, // the Azure files' offset column
	} {
		cl, f := classify(c.name)
		if cl != c.class || math.Abs(f-c.factor) > 1e-15 {
			t.Errorf("%q: %s ×%g, want %s ×%g", c.name, classNames[cl], f, classNames[c.class], c.factor)
		}
	}
}
