package boxes

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"
)

// Expected values in this file are the units' definitions worked by hand:
// 1 d = 24 h, 1 w = 7 d, and the price lists' month of 730 h and year of
// 8,760 h (365 × 24; 8,760 / 12 = 730, the month AWS's pricing calculator
// uses). Go forms are also checked against time.ParseDuration itself
// (TestParseDurationAgreesWithGo and FuzzParseDuration).

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
	}{
		// The examples.
		{"200ms", 200 * time.Millisecond},
		{"1.5s", 1500 * time.Millisecond},
		{"2h", 2 * time.Hour},
		// Go's forms: compound, signed, leading or trailing point.
		{"1h30m", 90 * time.Minute},
		{"-2m", -2 * time.Minute},
		{"+1s", time.Second},
		{".5s", 500 * time.Millisecond},
		{"1.s", time.Second},
		{"1µs", time.Microsecond}, // micro sign U+00B5
		{"1μs", time.Microsecond}, // Greek mu U+03BC, as Go accepts
		{"1us", time.Microsecond},
		{"7ns", 7},
		{"0", 0},
		{"-0", 0},
		{"0s", 0},
		// Days, weeks, months (730 h) and years (8,760 h).
		{"1d", 24 * time.Hour},
		{"1.5d", 36 * time.Hour},
		{"2w", 14 * 24 * time.Hour},
		{"1mo", 730 * time.Hour},
		{"1month", 730 * time.Hour},
		{"1y", 8760 * time.Hour},
		{"1yr", 8760 * time.Hour},
		// Words and spaces a person types.
		{"1 month", 730 * time.Hour},
		{"2 weeks", 336 * time.Hour},
		{"1 h 30 min", 90 * time.Minute},
		{"1s 2ms", 1002 * time.Millisecond},
		{" 5 minutes ", 5 * time.Minute},
		{"3 secs", 3 * time.Second},
		// "mo" before "ms" before "m": the longest unit wins.
		{"1mo1ms1m", 730*time.Hour + time.Minute + time.Millisecond},
		// Exponents go through float64 and round to the nanosecond:
		// 0.3 × 1e9 is 299999999.99999994 in float64.
		{"1e3ms", time.Second},
		{"1e-3s", time.Millisecond},
		{"3e-1s", 300 * time.Millisecond},
		// Fractions truncate below a nanosecond, as time.ParseDuration does.
		{"1.9ns", 1},
		{"0.0000000019s", 1},
		// Exact to the nanosecond at the top of the range: 2^63 − 1 ns is
		// 2562047h47m16.854775807s (time.Duration's String of math.MaxInt64).
		{"2562047h47m16.854775807s", math.MaxInt64},
		{"-2562047h47m16.854775807s", -math.MaxInt64},
		// 292 years of 8,760 h fit; 2,557,920 h.
		{"292y", 2557920 * time.Hour},
	}
	for _, tt := range tests {
		got, err := ParseDuration(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

func TestParseDurationErrors(t *testing.T) {
	tests := []struct {
		in, msg string // msg: a part of the error text
	}{
		{"", "empty"},
		{"   ", "empty"},
		{"NaN", "expected a number"},
		{"NaNs", "expected a number"},
		{"Inf", "expected a number"},
		{"infs", "expected a number"},
		{"1e400s", "too large"},                   // overflows float64
		{"300y", "too large"},                     // 2,628,000 h > 2,562,047 h
		{"2562047h47m16.854775808s", "too large"}, // 2^63 ns
		{"9223372036854775808ns", "too large"},
		{"99999999999999999999h", "too large"}, // overflows the integer part
		{"1", "missing unit"},
		{"1e400", "missing unit"},
		{"s", "expected a number"},
		{"5M", `unknown unit "M"`}, // units are lower case: M is not a minute
		{"1H", `unknown unit "H"`},
		{"1ss", `unknown unit "ss"`},
		{"1 5s", `unknown unit "5s"`},
		{"1.5.5s", `unknown unit ".5s"`},
		{"1s.", "expected a number"},
		{"1_000s", "unknown unit"},
		{"1,5s", "unknown unit"},
		{"0x10s", "unknown unit"},
		{"--1s", "expected a number"},
		{"1s-1s", "unknown unit"},
	}
	for _, tt := range tests {
		_, err := ParseDuration(tt.in)
		checkParseError(t, "ParseDuration", "duration", tt.in, tt.msg, err)
	}
}

// checkParseError checks that err is a *ParseError for input in that names
// the input and contains msg.
func checkParseError(t *testing.T, fn, what, in, msg string, err error) {
	t.Helper()
	var pe *ParseError
	if !errors.As(err, &pe) {
		t.Errorf("%s(%q): error %v is not a *ParseError", fn, in, err)
		return
	}
	if pe.What != what || pe.Input != in {
		t.Errorf("%s(%q): ParseError{What: %q, Input: %q}; want %q, %q", fn, in, pe.What, pe.Input, what, in)
	}
	if !strings.Contains(err.Error(), msg) || !strings.HasPrefix(err.Error(), "boxes: bad "+what+" ") {
		t.Errorf("%s(%q): error %q; want it to start %q and contain %q", fn, in, err, "boxes: bad "+what, msg)
	}
}

// TestParseDurationAgreesWithGo checks Go's own forms against
// time.ParseDuration, the reference.
func TestParseDurationAgreesWithGo(t *testing.T) {
	for _, s := range []string{
		"0", "1ns", "1.5h", "-1.5h", "1h2m3s4ms5us6ns", "0.1s", "0.333333333333s",
		"1.0000000009s", "2562047h", "100000000000000000ns", ".9ns", "5.ms", "+.5m",
		"2562047h47m16.854775807s", "0.5µs", "1μs", "4000000000000000000ns",
	} {
		want, err := time.ParseDuration(s)
		if err != nil {
			t.Fatalf("time.ParseDuration(%q): %v", s, err)
		}
		if got, err := ParseDuration(s); err != nil || got != want {
			t.Errorf("ParseDuration(%q) = %v, %v; time.ParseDuration says %v", s, got, err, want)
		}
	}
}

func TestParseRate(t *testing.T) {
	tests := []struct {
		in   string
		want Rate
	}{
		// The examples.
		{"40/s", 40},
		{"2.4k/min", 40},               // 2,400 / 60 s
		{"1M/day", 1e6 / 86400},        // 11.574… per second
		{"1000/10s", 100},              // a duration under the slash
		{"40", 40},                     // a bare number is per second
		{"40rps", 40},                  // requests per second
		{"40 qps", 40},                 // queries per second
		{"5 jobs/min", 5.0 / 60},       // a word for the jobs
		{"3 requests/s", 3},            //
		{"6 req/h", 6.0 / 3600},        //
		{"1/ms", 1000},                 //
		{"1/m", 1.0 / 60},              // m is a minute
		{"1/1ns", 1e9},                 // exact: 1 × 1e9 / 1 ns
		{"7/1.5s", 7 / 1.5},            //
		{"1/d", 1.0 / 86400},           //
		{"1/mo", 1.0 / (730 * 3600)},   //
		{"5K", 5000},                   //
		{"2G/day", 2e9 / 86400},        //
		{"5B/day", 5e9 / 86400},        // B for billion
		{"1T/y", 1e12 / (8760 * 3600)}, //
		{"1e3", 1000},                  //
		{"0/s", 0},                     // no jobs is a rate
		{"+3/s", 3},                    //
		{"5 / s", 5},                   // spaces around the slash
		{"5/ 1 s", 5},                  //
		{"1e-400/s", 0},                // underflows to zero: finite, not an error
	}
	for _, tt := range tests {
		got, err := ParseRate(tt.in)
		if err != nil || !closeRel(float64(got), float64(tt.want), 1e-15) {
			t.Errorf("ParseRate(%q) = %v, %v; want %v", tt.in, float64(got), err, float64(tt.want))
		}
	}
	// Exact, not just close: a whole number of seconds divides once, and an
	// SI prefix moves the decimal point (1.1 × 1000 is 1100.0000000000002 in
	// float64).
	for in, want := range map[string]Rate{"2.4k/min": 40, "1.1k/s": 1100, "0.3M": 300000, "1.7k": 1700} {
		if r, _ := ParseRate(in); r != want {
			t.Errorf("ParseRate(%q) = %v, want exactly %v", in, float64(r), float64(want))
		}
	}
}

func TestParseRateErrors(t *testing.T) {
	tests := []struct{ in, msg string }{
		{"", "empty"},
		{"NaN", "expected a number"},
		{"NaN/s", "expected a number"},
		{"Inf/s", "expected a number"},
		{"+Inf", "expected a number"},
		{"1e400/s", "out of range"},
		{"1e308k/s", "out of range"},
		{"1e308/ns", "out of range"},
		{"-5/s", "must not be negative"},
		{"-0/s", "must not be negative"},
		{"1/0s", "must be positive"},
		{"1/-1s", "must be positive"},
		{"1/1e-10ns", "must be positive"}, // rounds to a zero duration
		{"1/M", `unknown unit "M"`},       // M is not a time
		{"1m/s", `unknown suffix "m"`},    // no milli-jobs
		{"5/", "missing time"},
		{"/s", "expected a number"},
		{"5/h/s", "unknown unit"},
		{"abc", "expected a number"},
		{"5 apples/s", "unknown suffix"},
	}
	for _, tt := range tests {
		_, err := ParseRate(tt.in)
		checkParseError(t, "ParseRate", "rate", tt.in, tt.msg, err)
	}
}

func TestRateString(t *testing.T) {
	tests := []struct {
		r    Rate
		want string
	}{
		{40, "40/s"},
		{0.5, "0.5/s"},
		{1e6 / 86400, "11.574074074074074/s"},
		{1e21, "1e+21/s"},
		{0, "0/s"},
	}
	for _, tt := range tests {
		if got := tt.r.String(); got != tt.want {
			t.Errorf("Rate(%v).String() = %q, want %q", float64(tt.r), got, tt.want)
		}
		if back, err := ParseRate(tt.r.String()); err != nil || back != tt.r {
			t.Errorf("ParseRate(%q) = %v, %v; want %v", tt.r.String(), float64(back), err, float64(tt.r))
		}
	}
}

func TestParsePrice(t *testing.T) {
	tests := []struct {
		in   string
		want Price
	}{
		// The examples.
		{"$0.10/h", Price{0.10 / 3600, PerSecond}},
		{"$72/month", Price{72.0 / (730 * 3600), PerSecond}}, // $0.0986…/h
		{"$0.0000166667/GB-s", Price{0.0000166667, PerGBSecond}},
		// Per time.
		{"0.10/h", Price{0.10 / 3600, PerSecond}}, // the $ is optional
		{"1USD/h", Price{1.0 / 3600, PerSecond}},
		{"$1/m", Price{1.0 / 60, PerSecond}}, // lower-case m: a minute
		{"$1/min", Price{1.0 / 60, PerSecond}},
		{"$1/2h", Price{0.5 / 3600, PerSecond}},
		{"$1k/month", Price{1000.0 / (730 * 3600), PerSecond}},
		{"$876/y", Price{876.0 / (8760 * 3600), PerSecond}},
		{"$2.40/d", Price{2.40 / 86400, PerSecond}},
		{"$1/ms", Price{1000, PerSecond}},
		{" $0.10 / h ", Price{0.10 / 3600, PerSecond}},
		{"$0/h", Price{0, PerSecond}}, // free boxes are allowed
		// Per GB-second and GB-hour.
		{"$1/gb-second", Price{1, PerGBSecond}},
		{"$0.06/GB-h", Price{0.06 / 3600, PerGBSecond}},
		{"$1/GB s", Price{1, PerGBSecond}},
		// Per request: upper-case M is a million requests.
		{"$1/M", Price{1e-6, PerRequest}},
		{"$0.20/M requests", Price{0.20 / 1e6, PerRequest}},
		{"$0.20/1M", Price{0.20 / 1e6, PerRequest}},
		{"$0.20/1M requests", Price{0.20 / 1e6, PerRequest}},
		{"$0.20/million", Price{0.20 / 1e6, PerRequest}},
		{"$0.20/1e6 requests", Price{0.20 / 1e6, PerRequest}},
		{"$0.0000002/request", Price{0.0000002, PerRequest}},
		{"$1/M req", Price{1e-6, PerRequest}},
		{"$2/1000 requests", Price{2.0 / 1000, PerRequest}},
		{"$1/k", Price{1e-3, PerRequest}},
		{"$1/k invocations", Price{1e-3, PerRequest}},
		{"$1/0.5M", Price{2e-6, PerRequest}},
		{"$1/job", Price{1, PerRequest}},
		{"$1/thousand jobs", Price{1e-3, PerRequest}},
	}
	for _, tt := range tests {
		got, err := ParsePrice(tt.in)
		if err != nil || got.Unit != tt.want.Unit || !closeRel(got.Amount, tt.want.Amount, 1e-15) {
			t.Errorf("ParsePrice(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
	}
	// Per a power of ten of requests, the decimal point moves: one
	// rounding, so every spelling of $0.20 a million is exactly 2e-7.
	for _, in := range []string{"$0.20/M requests", "$0.0000002/request", "$0.20/1e6 requests", "$0.2/million", "$200/1000M", "$0.0002/k"} {
		if p, err := ParsePrice(in); err != nil || p.Amount != 2e-7 {
			t.Errorf("ParsePrice(%q) = %v, %v; want exactly 2e-7 a request", in, p.Amount, err)
		}
	}
}

func TestParsePriceErrors(t *testing.T) {
	tests := []struct{ in, msg string }{
		{"", "missing what it is per"},
		{"$1", "missing what it is per"},
		{"$", "missing what it is per"},
		{"$1/", "missing time"},
		{"$ /h", "expected a number"},
		{"$$1/h", "expected a number"},
		{"$NaN/h", "expected a number"},
		{"$Inf/h", "expected a number"},
		{"$1e400/h", "out of range"},
		{"$1e300/1ns", "out of range"}, // 1e309 per second overflows
		{"$-1/h", "must not be negative"},
		{"-$1/h", "must not be negative"},
		{"$1/0s", "must be positive"},
		{"$1/0 requests", "must be positive"},
		{"$1/1e400 requests", "must be positive and finite"},
		{"$1/GB", `unknown unit "GB"`},
		{"$1/GB-d", `unknown unit "GB-d"`},
		{"$1/m requests", `a million is "M"`}, // m is a minute, not a million
		{"$1/M/s", "unknown unit"},
		{"$1/K", `unknown unit "K"`},
		{"€1/h", "expected a number"},
		{"$1/fortnight", "unknown unit"},
	}
	for _, tt := range tests {
		_, err := ParsePrice(tt.in)
		checkParseError(t, "ParsePrice", "price", tt.in, tt.msg, err)
	}
}

func TestPriceString(t *testing.T) {
	tests := []struct {
		in, want string // want: what String gives for ParsePrice(in)
	}{
		{"$0.10/h", "$0.1/h"},
		{"$72/month", "$72/month"},
		{"$1/min", "$60/h"},
		{"$1/ms", "$1000/s"}, // "$1000/s" needs fewer digits than "$3600000/h"
		{"$0.0000166667/GB-s", "$0.0000166667/GB-s"},
		{"$0.20/M requests", "$0.2/M requests"},
		{"$0.0000002/request", "$0.2/M requests"}, // the same price as "$0.20/M"
		{"$1/k", "$1000/M requests"},
		{"$0/h", "$0/h"},
	}
	for _, tt := range tests {
		p, err := ParsePrice(tt.in)
		if err != nil {
			t.Fatalf("ParsePrice(%q): %v", tt.in, err)
		}
		if got := p.String(); got != tt.want {
			t.Errorf("ParsePrice(%q).String() = %q, want %q", tt.in, got, tt.want)
		}
		if back, err := ParsePrice(p.String()); err != nil || back != p {
			t.Errorf("ParsePrice(%q) = %+v, %v; want %+v", p.String(), back, err, p)
		}
	}
	// Prices built in code round-trip too, including the defaults.
	for _, p := range []Price{
		DefaultServerlessPrice().Request, DefaultServerlessPrice().GBSecond,
		{1.0 / 3, PerSecond}, {math.Nextafter(0.1/3600, 1), PerSecond}, {5e-324, PerRequest},
		{math.MaxFloat64 / 1e7, PerRequest}, {1e300, PerSecond},
	} {
		if back, err := ParsePrice(p.String()); err != nil || back != p {
			t.Errorf("Price%+v.String() = %q parses to %+v, %v", p, p.String(), back, err)
		}
	}
}

func TestParseMemory(t *testing.T) {
	tests := []struct {
		in   string
		want float64 // GB of 1,024 MB
	}{
		// AWS's pricing examples: "512MB/1024" and "128MB/1024".
		{"512MB", 0.5},
		{"128MB", 0.125},
		{"1024MB", 1},
		{"1769MB", 1769.0 / 1024},
		{"10240 MB", 10},
		{"1GB", 1},
		{"1 GiB", 1},
		{"2g", 2},
		{"512m", 0.5},
		{"512 MiB", 0.5},
		{"1048576KB", 1},
		{"1.5GB", 1.5},
		{"0MB", 0}, // parses; ServerlessPrice.Validate rejects it
	}
	for _, tt := range tests {
		got, err := ParseMemory(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseMemory(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

func TestParseMemoryErrors(t *testing.T) {
	tests := []struct{ in, msg string }{
		{"", "empty"},
		{"1", "missing unit"},
		{"-1GB", "must not be negative"},
		{"NaN", "expected a number"},
		{"NaNGB", "expected a number"},
		{"InfGB", "expected a number"},
		{"1e400GB", "out of range"},
		{"1TB", `unknown unit "TB"`},
		{"MB", "expected a number"},
		{"1 2 GB", "unknown unit"},
	}
	for _, tt := range tests {
		_, err := ParseMemory(tt.in)
		checkParseError(t, "ParseMemory", "memory", tt.in, tt.msg, err)
	}
}

// closeRel reports whether got is within rel of want, relative to want.
func closeRel(got, want, rel float64) bool {
	if got == want {
		return true
	}
	return math.Abs(got-want) <= rel*math.Abs(want)
}
