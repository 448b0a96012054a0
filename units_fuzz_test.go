package boxes

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"
)

// The fuzz tests check invariants of every parser on any input: no panic;
// an error is a *ParseError that names the input; a value is finite (and,
// for rates, prices and memory, not negative); String parses back to the
// same value. CI runs the seed corpus; run one for longer with, for example,
//
//	go test -run '^$' -fuzz '^FuzzParsePrice$' -fuzztime 60s .

// parseSeeds are inputs that have broken parsers like these before: signs,
// points, exponents, overflow, non-finite words, units of every case, and
// the text of both slashes.
var parseSeeds = []string{
	"", " ", "0", "-0", "+", "-", ".", "..", "e", "1e", "1e+", "1e-400", "1e400", "1e308",
	"NaN", "Inf", "-Inf", "+Inf", "nan", "infinity", "0x10", "1_000", "1,5",
	"200ms", "1.5s", "2h", "1h30m", "1d", "2w", "1mo", "1y", "300y", "2562047h47m16.854775807s",
	"-2562047h47m16.854775808s", "9223372036854775807ns", "1µs", "1μs", "1 h 30 min", "1s.", "1.5.5s",
	"40/s", "2.4k/min", "1M/day", "1000/10s", "40rps", "5 jobs/min", "1/0s", "1/-1s", "-5/s", "1/M",
	"1/1ns", "1e308/ns", "5B/day",
	"$0.10/h", "$72/month", "$0.0000166667/GB-s", "$0.20/M requests", "$0.0000002/request",
	"$1/m", "$1/M", "$1/m requests", "$1/1e-300 requests", "$1e300/1ns", "$-1/h", "$1/GB-h",
	"1024MB", "1769MB", "1GB", "-1GB", "1 GiB", "1e400GB", "1TB",
}

func FuzzParseDuration(f *testing.F) {
	for _, s := range parseSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDuration(s)
		if err != nil {
			checkFuzzError(t, "duration", s, err)
		} else {
			// Every value parsed is a Duration, so it is finite; its
			// String, Go's format, must parse back to it exactly.
			if back, err := ParseDuration(d.String()); err != nil || back != d {
				t.Fatalf("ParseDuration(%q) = %v; its String %q parses to %v, %v", s, d, d.String(), back, err)
			}
			if d == math.MinInt64 {
				t.Fatalf("ParseDuration(%q) = MinInt64, whose String does not parse", s)
			}
		}
		// What time.ParseDuration reads, ParseDuration reads the same, except
		// math.MinInt64, whose magnitude does not fit.
		if want, goErr := time.ParseDuration(s); goErr == nil && want != math.MinInt64 {
			if got, err := ParseDuration(s); err != nil || got != want {
				t.Fatalf("ParseDuration(%q) = %v, %v; time.ParseDuration says %v", s, got, err, want)
			}
		}
	})
}

func FuzzParseRate(f *testing.F) {
	for _, s := range parseSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseRate(s)
		if err != nil {
			checkFuzzError(t, "rate", s, err)
			return
		}
		if x := float64(r); math.IsNaN(x) || math.IsInf(x, 0) || x < 0 {
			t.Fatalf("ParseRate(%q) = %v; want finite and not negative", s, x)
		}
		if back, err := ParseRate(r.String()); err != nil || back != r {
			t.Fatalf("ParseRate(%q) = %v; its String %q parses to %v, %v", s, float64(r), r.String(), float64(back), err)
		}
	})
}

func FuzzParsePrice(f *testing.F) {
	for _, s := range parseSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePrice(s)
		if err != nil {
			checkFuzzError(t, "price", s, err)
			return
		}
		if x := p.Amount; math.IsNaN(x) || math.IsInf(x, 0) || x < 0 {
			t.Fatalf("ParsePrice(%q) = %+v; want a finite, non-negative amount", s, p)
		}
		if p.Unit != PerSecond && p.Unit != PerGBSecond && p.Unit != PerRequest {
			t.Fatalf("ParsePrice(%q) = %+v: unknown unit", s, p)
		}
		if back, err := ParsePrice(p.String()); err != nil || back != p {
			t.Fatalf("ParsePrice(%q) = %+v; its String %q parses to %+v, %v", s, p, p.String(), back, err)
		}
	})
}

func FuzzParseMemory(f *testing.F) {
	for _, s := range parseSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		gb, err := ParseMemory(s)
		if err != nil {
			checkFuzzError(t, "memory", s, err)
			return
		}
		if math.IsNaN(gb) || math.IsInf(gb, 0) || gb < 0 {
			t.Fatalf("ParseMemory(%q) = %v; want finite and not negative", s, gb)
		}
	})
}

// checkFuzzError checks that err is a *ParseError naming the input.
func checkFuzzError(t *testing.T, what, s string, err error) {
	t.Helper()
	var pe *ParseError
	if !errors.As(err, &pe) || pe.What != what || pe.Input != s {
		t.Fatalf("parse %s %q: error %#v does not name the input", what, s, err)
	}
	if !strings.HasPrefix(err.Error(), "boxes: bad "+what+" ") {
		t.Fatalf("parse %s %q: error %q", what, s, err)
	}
}
