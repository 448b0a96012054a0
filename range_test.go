package boxes

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
)

func TestParseRange(t *testing.T) {
	tests := []struct {
		in   string
		want []float64
	}{
		{"1..64 x2", []float64{1, 2, 4, 8, 16, 32, 64}},           // the issue's closed-loop sweep
		{"10..1000 x2", []float64{10, 20, 40, 80, 160, 320, 640}}, // never past TO: 1280 > 1000
		{"1..8", []float64{1, 2, 3, 4, 5, 6, 7, 8}},               // step 1
		{"1..9 step 2", []float64{1, 3, 5, 7, 9}},                 // arithmetic, lands on TO
		{"1..10 step 4", []float64{1, 5, 9}},                      // stops before TO
		{"8", []float64{8}},                                       // one value
		{"  2 .. 4  ", []float64{2, 3, 4}},                        // spaces
		{"1..64x2", []float64{1, 2, 4, 8, 16, 32, 64}},            // no space
		{"1..27 *3", []float64{1, 3, 9, 27}},                      // * for x
		{"0..0.3 step 0.1", []float64{0, 0.1, 0.2, 0.3}},          // decimal steps round to 12 digits
		{"0.5..4 x2", []float64{0.5, 1, 2, 4}},                    // fractional start
		{"1..1000 x10", []float64{1, 10, 100, 1000}},              // 10³ lands on TO despite log rounding
		{"3..3", []float64{3}},                                    // FROM = TO
		{"1..9step2", []float64{1, 3, 5, 7, 9}},                   // no space before step
		{"1..2 x1.5", []float64{1, 1.5}},                          // 2.25 > 2
		{"1..10000", nil},                                         // checked below: 10000 values, the bound
	}
	for _, tt := range tests {
		r, err := ParseRange(tt.in)
		if err != nil {
			t.Errorf("ParseRange(%q): %v", tt.in, err)
			continue
		}
		got := r.Values()
		if tt.want == nil {
			if len(got) != MaxRangeValues || got[len(got)-1] != 10000 {
				t.Errorf("ParseRange(%q): %d values ending %g", tt.in, len(got), got[len(got)-1])
			}
			continue
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("ParseRange(%q).Values() = %v, want %v", tt.in, got, tt.want)
		}
		back, err := ParseRange(r.String())
		if err != nil || back != r {
			t.Errorf("ParseRange(%q).String() = %q reads back as %+v, %v", tt.in, r.String(), back, err)
		}
	}
}

func TestParseRangeErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "empty"},
		{"a..4", `FROM "a" is not a finite number`},
		{"1..", `TO "" is not a finite number`},
		{"4..1", "TO 1 is below FROM 4"},
		{"1..8 x1", "factor 1 must be more than 1"},
		{"0..8 x2", "a geometric range starts above 0"},
		{"1..8 step 0", "step 0 must be positive"},
		{"1..8 step -1", "step -1 must be positive"},
		{"1..8 by 2", `unknown step "by 2"`},
		{"1..1e9", "1000000000 values, more than 10000"},
		{"NaN..1", "is not a finite number"},
		{"1..Inf x2", "is not a finite number"},
		{"0x1..4", "is not a finite number"},
		{"1..8 x", `factor "" is not a finite number`},
	}
	for _, tt := range tests {
		_, err := ParseRange(tt.in)
		var pe *ParseError
		if !errors.As(err, &pe) || pe.What != "range" || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseRange(%q) = %v, want a range error containing %q", tt.in, err, tt.want)
		}
	}
}

// FuzzParseRange: no panic; an error is a *ParseError quoting at most ~40
// characters; a range has 1 to MaxRangeValues finite, increasing values
// from FROM to at most TO, and String reads back to the same range.
func FuzzParseRange(f *testing.F) {
	for _, s := range []string{"1..64 x2", "10..1000 x2", "1..8", "1..9 step 2", "8", "", "..", "1..", "..1",
		"1..1e300 x1.0000001", "1e-300..1e300 x2", "0..1 step 1e-300", "-5..5", "1..9 step 2 step 3", "1..8 x2x2",
		"1e308..1.7e308 step 1e307", "5..5 x2", "1..1step2", "1..1.0000001 step 1e-10"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseRange(s)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || pe.What != "range" || len(pe.Input) > 44 {
				t.Fatalf("ParseRange(%q): error %v", s, err)
			}
			return
		}
		vs := r.Values()
		if len(vs) < 1 || len(vs) > MaxRangeValues {
			t.Fatalf("ParseRange(%q) = %+v: %d values", s, r, len(vs))
		}
		for i, v := range vs {
			if math.IsNaN(v) || math.IsInf(v, 0) || v > r.To || (i > 0 && !(v > vs[i-1])) {
				t.Fatalf("ParseRange(%q) = %+v: values %v", s, r, vs)
			}
		}
		if back, err := ParseRange(r.String()); err != nil || back != r {
			t.Fatalf("ParseRange(%q).String() = %q reads back as %+v, %v", s, r.String(), back, err)
		}
	})
}

func ExampleParseRange() {
	for _, s := range []string{"1..64 x2", "10..1000 x2", "1..8", "1..9 step 2"} {
		r, _ := ParseRange(s)
		fmt.Println(s, "→", r.Values())
	}
	// Output:
	// 1..64 x2 → [1 2 4 8 16 32 64]
	// 10..1000 x2 → [10 20 40 80 160 320 640]
	// 1..8 → [1 2 3 4 5 6 7 8]
	// 1..9 step 2 → [1 3 5 7 9]
}

// FuzzParseRates: a list or range that parses holds 1 to MaxRates + 1
// rates, each positive and finite.
func FuzzParseRates(f *testing.F) {
	for _, s := range []string{"10,100,1000", "10..100k", "1/s..1M/day", "5", "1..1", "3..2", ",", "1e308..1e309", "0.5/ms,2k/min", "..", "1..", "-1..5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		rates, err := ParseRates(s)
		if err != nil {
			return
		}
		if len(rates) == 0 || len(rates) > MaxRates+1 {
			t.Errorf("%q: %d rates", s, len(rates))
		}
		for _, r := range rates {
			if !(r > 0) || math.IsInf(float64(r), 0) {
				t.Errorf("%q: rate %g", s, float64(r))
			}
		}
	})
}
