package chart

import (
	"math"
	"strings"
	"testing"
	"time"
)

// TestNiceStep checks the tick steps against Heckbert's rule (Graphics
// Gems, 1990: the nearest of 1, 2, 5 × 10^k to span / n).
func TestNiceStep(t *testing.T) {
	tests := []struct {
		span float64
		n    int
		want float64
	}{
		{105, 5, 20},      // 21 → 2 × 10
		{1, 5, 0.2},       // 0.2 exactly
		{2, 5, 0.5},       // 0.4 → 5 × 0.1 (4 rounds to 5)
		{0.013, 5, 0.002}, // 0.0026 → 2 × 0.001
		{86400, 8, 10000}, // 10800 → 1 × 10⁴
		{7, 5, 1},         // 1.4 → 1
		{3.5, 5, 0.5},     // 0.7 → 5 × 0.1
	}
	for _, tt := range tests {
		if got := niceStep(tt.span, tt.n); math.Abs(got-tt.want) > 1e-12*tt.want {
			t.Errorf("niceStep(%g, %d) = %g, want %g", tt.span, tt.n, got, tt.want)
		}
	}
}

// TestClockTicks checks the time axis: a day from midnight is ticked every
// 3 hours, 00:00 to 24:00; a run that starts at 07:30 gets its first tick
// at 09:00, 90 minutes in.
func TestClockTicks(t *testing.T) {
	midnight := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	ts := clockTicks(midnight, 0, 86400, 9)
	var labels []string
	for _, tk := range ts {
		labels = append(labels, tk.label)
	}
	if got, want := strings.Join(labels, " "), "00:00 03:00 06:00 09:00 12:00 15:00 18:00 21:00 00:00"; got != want {
		t.Errorf("ticks of a day: %s, want %s", got, want)
	}
	ts = clockTicks(midnight.Add(7*time.Hour+30*time.Minute), 0, 86400, 9)
	if ts[0].v != 5400 || ts[0].label != "09:00" {
		t.Errorf("first tick of a day from 07:30 is %s at %gs, want 09:00 at 5400s", ts[0].label, ts[0].v)
	}
	ts = clockTicks(midnight, 0, 7*86400, 9)
	if ts[1].label != "Jan 6" || ts[1].v != 86400 {
		t.Errorf("a week is ticked daily from Jan 5: got %s at %gs", ts[1].label, ts[1].v)
	}
}

// TestLayoutMapping checks the plot's transform: the axis ends land on the
// plot's edges, the middle in the middle, and values off the scale (+Inf)
// on the top edge.
func TestLayoutMapping(t *testing.T) {
	c := Chart{X: Axis{Min: 0, Max: 100}, Y: Axis{Min: 0, Max: 2}, Layers: []Layer{{Kind: Line, X: []float64{0, 100}, Y: []float64{0, 1}}}}
	L := c.layout()
	if L.px(0) != L.left || L.px(100) != L.right || math.Abs(L.px(50)-(L.left+L.right)/2) > 1e-9 {
		t.Errorf("x mapping: %g %g %g for plot [%g, %g]", L.px(0), L.px(50), L.px(100), L.left, L.right)
	}
	if L.py(0) != L.bottom || L.py(2) != L.top || L.py(math.Inf(1)) != L.top || L.py(5) != L.top || L.py(-1) != L.bottom {
		t.Errorf("y mapping: 0→%g 2→%g +Inf→%g, plot [%g, %g]", L.py(0), L.py(2), L.py(math.Inf(1)), L.top, L.bottom)
	}
}

// TestThousands checks the digit grouping of the tick labels and the
// report's counts: commas every three digits from the right, the sign kept
// (the English convention, as in printf("%'d") of the en_US locale).
func TestThousands(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"0", "0"},
		{"999", "999"},             // three digits: no comma
		{"1000", "1,000"},          // the first group
		{"-1234567", "-1,234,567"}, // the sign stays in front
		{"123456", "123,456"},      // a whole group: no leading comma
	} {
		if got := Thousands(tt.in); got != tt.want {
			t.Errorf("Thousands(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestSameY puts two charts on one y axis: their greatest values are 7
// and 13, so Heckbert's step for 13 in about 5 ticks is 2 (13/5 = 2.6,
// nearest of 1, 2, 5) and the shared axis runs from 0 to 14.
func TestSameY(t *testing.T) {
	a := Chart{Layers: []Layer{{Kind: Line, X: []float64{0, 1}, Y: []float64{1, 7}}}}
	b := Chart{Layers: []Layer{{Kind: Line, X: []float64{0, 1}, Y: []float64{2, 13}}}}
	SameY(&a, &b)
	for _, c := range []Chart{a, b} {
		if c.Y.Min != 0 || c.Y.Max != 14 {
			t.Errorf("y axis [%g, %g], want [0, 14]", c.Y.Min, c.Y.Max)
		}
	}
}
