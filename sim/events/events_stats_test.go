package events

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestTimeHistogramBound checks the stated precision of the wait
// histogram: a bin's midpoint is within HistogramError (1/256, 0.39%) of
// every value in the bin, from a nanosecond to 272 years, and values
// below 2⁻³⁰ s are bin 0 (no wait, reported as 0). The bound follows from
// the bins: 2⁷ per octave, each 1/128 of its lower edge wide, so half a bin
// is at most 1/256 of any value in it.
func TestTimeHistogramBound(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	worst := 0.0
	for range 1_000_000 {
		x := math.Exp2(-29.99 + 62.9*rng.Float64()) // 2⁻³⁰ s to 2³³ s
		b := histBin(x)
		if b <= 0 || b >= histMaxBin {
			t.Fatalf("%g s in bin %d", x, b)
		}
		// The engine's fast paths write the same expression inline.
		if inline := min(max(int(math.Float64bits(x)>>histShift)-histLow+1, 0), histMaxBin); inline != b {
			t.Fatalf("%g s: inline bin %d, histBin %d", x, inline, b)
		}
		rel := math.Abs(binMid(b)-x) / x
		worst = max(worst, rel)
		if rel > HistogramError {
			t.Fatalf("%g s reported as %g: %.3g%% off, more than %.3g%%", x, binMid(b), 100*rel, 100*HistogramError)
		}
	}
	// A quantile is the midpoint of its bin.
	var h timeHistogram
	for _, x := range []float64{0.001, 0.2, 0.2, 3} {
		h.add(x)
	}
	if q := h.quantile(0.5, 4); math.Abs(q-0.2)/0.2 > HistogramError {
		t.Errorf("median of 1 ms, 0.2 s, 0.2 s, 3 s: %g", q)
	}
	if HistogramError != 1.0/256 {
		t.Errorf("HistogramError %g, want 1/256", HistogramError)
	}
	for _, x := range []float64{0, 1e-10, math.Exp2(-31)} {
		if b := histBin(x); b != 0 {
			t.Errorf("%g s in bin %d, want 0", x, b)
		}
	}
	t.Logf("worst relative error %.4g%% (bound %.4g%%)", 100*worst, 100*HistogramError)
}
