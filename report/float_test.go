package report

import (
	"encoding/json"
	"math"
	"testing"
)

// TestFloatJSON: issue 11, F5. Finite values are JSON numbers; +Inf, -Inf
// and NaN are null, never strings; null reads back as NaN, and the strings
// earlier versions wrote still read.
func TestFloatJSON(t *testing.T) {
	for _, tc := range []struct {
		x    float64
		want string
	}{
		{0, "0"},
		{0.1, "0.1"},
		{-709e15, "-7.09e+17"},
		{1e300, "1e+300"},
		{math.Inf(1), "null"},
		{math.Inf(-1), "null"},
		{math.NaN(), "null"},
	} {
		b, err := json.Marshal(struct{ V Float }{Float(tc.x)})
		if err != nil || string(b) != `{"V":`+tc.want+`}` {
			t.Errorf("%g: %s, %v; want %s", tc.x, b, err, tc.want)
		}
	}
	for in, want := range map[string]float64{"null": math.NaN(), `"+Inf"`: math.Inf(1), `"-Inf"`: math.Inf(-1), `"NaN"`: math.NaN(), "2.5": 2.5} {
		var f Float
		if err := json.Unmarshal([]byte(in), &f); err != nil || !(float64(f) == want || math.IsNaN(want) && math.IsNaN(float64(f))) {
			t.Errorf("%s: %g, %v; want %g", in, f, err, want)
		}
	}
}
