package trace

import (
	"strings"
	"testing"
)

// TestTraceTimesAsWritten covers issue 11 F13's trace items: rows a
// nanosecond apart as written are read (float64 rounds 1.000000001 − 1 to
// a hair under 1e-9), and the messages about the order of rows quote the
// file's own times, not times shifted to the first row's.
func TestTraceTimesAsWritten(t *testing.T) {
	for _, tt := range []struct{ name, csv, err string }{
		// 1 ns apart away from zero: 1.000000001 − 1 = 1.00000008e-9 or
		// 9.9999997e-10 depending on the digits; both are a nanosecond.
		{"1 ns at 1 s", "time,rate\n1,1\n1.000000001,2\n1.000000002,1\n", ""},
		{"1 ns at 7 s", "time,rate\n7.000000001,1\n7.000000002,2\n7.000000003,1\n", ""},
		{"1 ns intervals", "start,end,count\n3.000000001,3.000000002,1\n3.000000002,3.000000003,1\n", ""},
		// The file's times, not 30 s and 60 s after the first row.
		{"decreasing after an offset", "time,rate\n1000,1\n1060,2\n1030,3\n", `x.csv:4:1: time: 1030s does not come after the previous row's 1060s`},
		{"jobs out of order after an offset", "time\n500\n505\n503\n", `x.csv:4:1: time: 503s is before the previous row's 505s (jobs must be in order of time)`},
		{"overlap after an offset", "start,end,count\n100,160,1\n150,220,2\n", `x.csv:3:1: start: 150s is before the previous row's end 160s (intervals overlap)`},
		{"timestamps out of order", "ts,rate\n2025-07-15T12:00:10Z,1\n2025-07-15T12:00:05Z,2\n", `x.csv:3:1: time: 2025-07-15T12:00:05Z does not come after the previous row's 2025-07-15T12:00:10Z`},
		// Too close to tell apart in float64: said so, not "does not come after".
		{"beyond float64", "time,rate\n0,1\n1e9,1\n1000000000.0000000001,2\n", `too close to tell apart`},
	} {
		_, err := ReadTrace(strings.NewReader(tt.csv), "x.csv", TraceOptions{})
		switch {
		case tt.err == "" && err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("%s: error %v, want %s", tt.name, err, tt.err)
		}
	}
}
