package boxes

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Rate is a number of jobs per second, like a JobRate or a Throughput.
type Rate float64

// PriceUnit is what a Price is charged per.
type PriceUnit int

const (
	// PerSecond prices time: a box-second, or one second of anything.
	PerSecond PriceUnit = iota
	// PerGBSecond prices memory over time, as serverless platforms bill it.
	PerGBSecond
	// PerRequest prices one request (one job).
	PerRequest
)

// Price is money (in dollars) per one Unit. A box price is PerSecond: "$0.10/h"
// parses to Amount 0.10/3600.
type Price struct {
	Amount float64
	Unit   PriceUnit
}

// PerHour is the price of one hour of a PerSecond price.
func (p Price) PerHour() float64 { return p.Amount * 3600 }

// String formats p back into text that ParsePrice reads.
func (p Price) String() string {
	switch p.Unit {
	case PerGBSecond:
		return "$" + formatAmount(p.Amount) + "/GB-s"
	case PerRequest:
		return "$" + formatAmount(p.Amount*1e6) + "/M requests"
	}
	return "$" + formatAmount(p.Amount*3600) + "/h"
}

func formatAmount(x float64) string { return strconv.FormatFloat(x, 'g', 10, 64) }

// Durations that time.ParseDuration lacks. A month is 730 hours and a year
// 8,760 hours, the conventions of cloud price lists (365 × 24 / 12 = 730).
const (
	Day   = 24 * time.Hour
	Week  = 7 * Day
	Month = 730 * time.Hour
	Year  = 8760 * time.Hour
)

// ParseError is a value of some unit that did not parse.
type ParseError struct {
	What  string // "duration", "rate", "price", "memory"
	Input string
	Err   error
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("boxes: bad %s %q: %v", e.What, e.Input, e.Err)
}

func (e *ParseError) Unwrap() error { return e.Err }

// durationUnits are the units ParseDuration accepts, longest first so that
// "ms" is not read as "m" followed by "s".
var durationUnits = []struct {
	name string
	d    time.Duration
}{
	{"months", Month}, {"month", Month}, {"minutes", time.Minute}, {"minute", time.Minute},
	{"seconds", time.Second}, {"second", time.Second}, {"hours", time.Hour}, {"hour", time.Hour},
	{"weeks", Week}, {"week", Week}, {"years", Year}, {"year", Year}, {"days", Day}, {"day", Day},
	{"mins", time.Minute}, {"min", time.Minute}, {"secs", time.Second}, {"sec", time.Second},
	{"hrs", time.Hour}, {"hr", time.Hour}, {"mo", Month},
	{"ns", time.Nanosecond}, {"us", time.Microsecond}, {"µs", time.Microsecond}, {"ms", time.Millisecond},
	{"s", time.Second}, {"m", time.Minute}, {"h", time.Hour}, {"d", Day}, {"w", Week}, {"y", Year},
}

// ParseDuration reads a duration a person types: Go's forms ("200ms", "1.5s",
// "1h30m") and days, weeks, months and years ("1d", "2w", "1month", "1y").
// "0" needs no unit. The result must fit a time.Duration (about 292 years).
func ParseDuration(s string) (time.Duration, error) {
	d, err := parseDuration(strings.TrimSpace(s))
	if err != nil {
		return 0, &ParseError{What: "duration", Input: s, Err: err}
	}
	return d, nil
}

func parseDuration(s string) (time.Duration, error) {
	if s == "" {
		return 0, fmt.Errorf("empty")
	}
	neg := false
	if s[0] == '-' || s[0] == '+' {
		neg = s[0] == '-'
		s = s[1:]
	}
	if s == "0" {
		return 0, nil
	}
	var total float64
	for s != "" {
		n := numberPrefix(s)
		if n == 0 {
			return 0, fmt.Errorf("expected a number at %q", s)
		}
		v, err := strconv.ParseFloat(s[:n], 64)
		if err != nil || math.IsInf(v, 0) {
			return 0, fmt.Errorf("number %q out of range", s[:n])
		}
		s = strings.TrimLeft(s[n:], " ")
		unit, rest, ok := durationUnit(s)
		if !ok {
			if s == "" {
				return 0, fmt.Errorf("missing unit (like ms, s, m, h, d)")
			}
			return 0, fmt.Errorf("unknown unit %q", s)
		}
		total += v * float64(unit)
		s = strings.TrimLeft(rest, " ")
	}
	if total >= math.MaxInt64 {
		return 0, fmt.Errorf("too large (the limit is about 292 years)")
	}
	d := time.Duration(math.Round(total))
	if neg {
		d = -d
	}
	return d, nil
}

// numberPrefix is the length of the decimal number (digits, one point, an
// exponent) at the start of s.
func numberPrefix(s string) int {
	i, digits := 0, 0
	for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.') {
		if s[i] != '.' {
			digits++
		}
		i++
	}
	if digits == 0 {
		return 0
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		k := j
		for k < len(s) && s[k] >= '0' && s[k] <= '9' {
			k++
		}
		if k > j {
			i = k
		}
	}
	return i
}

// durationUnit matches a unit at the start of s; the unit must end the input
// or be followed by a digit, a space or a sign.
func durationUnit(s string) (time.Duration, string, bool) {
	for _, u := range durationUnits {
		if !strings.HasPrefix(s, u.name) {
			continue
		}
		rest := s[len(u.name):]
		if rest == "" || rest[0] == ' ' || rest[0] == '.' || rest[0] >= '0' && rest[0] <= '9' {
			return u.d, rest, true
		}
	}
	return 0, s, false
}

// siPrefixes scale a count: "2.4k" is 2,400 and "1M" a million.
var siPrefixes = map[string]float64{"": 1, "k": 1e3, "K": 1e3, "M": 1e6, "G": 1e9, "B": 1e9, "T": 1e12}

// ParseRate reads a rate of jobs: a count with an optional SI prefix (k, M,
// G) over a time ("40/s", "2.4k/min", "1M/day", "1000/10s"). A bare number
// is per second; "rps" and "qps" are per second too.
func ParseRate(s string) (Rate, error) {
	r, err := parseRate(strings.TrimSpace(s))
	if err != nil {
		return 0, &ParseError{What: "rate", Input: s, Err: err}
	}
	return r, nil
}

func parseRate(s string) (Rate, error) {
	if s == "" {
		return 0, fmt.Errorf("empty")
	}
	num, per, hasPer := strings.Cut(s, "/")
	num = strings.TrimSpace(num)
	for _, suffix := range []string{"rps", "qps", "jobs", "job", "requests", "req"} {
		if rest, ok := strings.CutSuffix(num, suffix); ok && !hasPer {
			num, per, hasPer = strings.TrimSpace(rest), "s", true
			break
		} else if ok {
			num = strings.TrimSpace(rest)
			break
		}
	}
	count, err := parseCount(num)
	if err != nil {
		return 0, err
	}
	if !hasPer {
		return Rate(count), nil
	}
	d, err := parsePer(strings.TrimSpace(per))
	if err != nil {
		return 0, err
	}
	r := count / d.Seconds()
	if math.IsInf(r, 0) {
		return 0, fmt.Errorf("out of range")
	}
	return Rate(r), nil
}

// parseCount reads a finite number with an optional SI prefix ("2.4k").
func parseCount(s string) (float64, error) {
	neg := strings.HasPrefix(s, "-")
	body := strings.TrimPrefix(strings.TrimPrefix(s, "-"), "+")
	n := numberPrefix(body)
	if n == 0 {
		return 0, fmt.Errorf("expected a number at %q", s)
	}
	v, err := strconv.ParseFloat(body[:n], 64)
	if err != nil || math.IsInf(v, 0) {
		return 0, fmt.Errorf("number %q out of range", body[:n])
	}
	mult, ok := siPrefixes[strings.TrimSpace(body[n:])]
	if !ok {
		return 0, fmt.Errorf("unknown suffix %q (want k, M or G)", strings.TrimSpace(body[n:]))
	}
	v *= mult
	if math.IsInf(v, 0) {
		return 0, fmt.Errorf("out of range")
	}
	if neg {
		v = -v
	}
	return v, nil
}

// parsePer reads the time under a slash: a unit ("s", "min", "day") or a
// duration ("10s").
func parsePer(s string) (time.Duration, error) {
	if s == "" {
		return 0, fmt.Errorf("missing time after /")
	}
	if s[0] < '0' || s[0] > '9' {
		s = "1" + s
	}
	d, err := parseDuration(s)
	if err != nil {
		return 0, err
	}
	if d <= 0 {
		return 0, fmt.Errorf("time after / must be positive")
	}
	return d, nil
}

// ParsePrice reads a price in dollars (the "$" is optional) per time
// ("$0.10/h", "$72/month"), per GB-second ("$0.0000166667/GB-s"), or per
// request ("$0.20/M requests", "$0.0000002/request").
func ParsePrice(s string) (Price, error) {
	p, err := parsePrice(strings.TrimSpace(s))
	if err != nil {
		return Price{}, &ParseError{What: "price", Input: s, Err: err}
	}
	return p, nil
}

func parsePrice(s string) (Price, error) {
	amount, per, ok := strings.Cut(s, "/")
	if !ok {
		return Price{}, fmt.Errorf("missing what it is per (like $0.10/h)")
	}
	amount = strings.TrimPrefix(strings.TrimSpace(amount), "$")
	amount = strings.TrimSuffix(strings.TrimSpace(amount), "USD")
	v, err := parseCount(strings.TrimSpace(amount))
	if err != nil {
		return Price{}, err
	}
	per = strings.TrimSpace(per)
	low := strings.ToLower(per)
	switch {
	case strings.HasPrefix(low, "gb"):
		unit := strings.TrimLeft(strings.TrimPrefix(low, "gb"), "- ")
		switch unit {
		case "s", "sec", "second":
			return Price{Amount: v, Unit: PerGBSecond}, nil
		case "h", "hr", "hour":
			return Price{Amount: v / 3600, Unit: PerGBSecond}, nil
		}
		return Price{}, fmt.Errorf("unknown unit %q (want GB-s or GB-h)", per)
	case isRequestUnit(per):
		n, err := requestCount(strings.ToLower(per))
		if err != nil {
			return Price{}, err
		}
		return Price{Amount: v / n, Unit: PerRequest}, nil
	}
	d, err := parsePer(per)
	if err != nil {
		return Price{}, err
	}
	return Price{Amount: v / d.Seconds(), Unit: PerSecond}, nil
}

var requestWords = []string{"requests", "request", "reqs", "req", "invocations", "invocation", "jobs", "job", "million", "thousand"}

// isRequestUnit tells a per-request unit ("request", "M requests", "1M",
// "million") from a time unit. Case matters for one letter only: "M" is a
// million requests, "m" a minute.
func isRequestUnit(s string) bool {
	s = strings.TrimLeftFunc(s, func(r rune) bool { return unicode.IsDigit(r) || r == '.' || r == ' ' })
	if s == "M" || s == "k" || strings.HasPrefix(s, "M ") || strings.HasPrefix(s, "k ") {
		return true
	}
	s = strings.ToLower(s)
	for _, w := range requestWords {
		if strings.HasPrefix(s, w) {
			return true
		}
	}
	return false
}

// requestCount is how many requests a price unit like "M requests",
// "1M", "million requests" or "request" covers.
func requestCount(s string) (float64, error) {
	n := 1.0
	if k := numberPrefix(s); k > 0 {
		v, err := strconv.ParseFloat(s[:k], 64)
		if err != nil || !(v > 0) || math.IsInf(v, 0) {
			return 0, fmt.Errorf("bad count %q", s[:k])
		}
		n, s = v, strings.TrimSpace(s[k:])
	}
	word, rest, _ := strings.Cut(s, " ")
	switch word {
	case "m", "million":
		n *= 1e6
		s = strings.TrimSpace(rest)
	case "k", "thousand":
		n *= 1e3
		s = strings.TrimSpace(rest)
	}
	switch s {
	case "", "requests", "request", "reqs", "req", "invocations", "invocation", "jobs", "job":
		return n, nil
	}
	return 0, fmt.Errorf("unknown unit %q", s)
}

// ParseMemory reads a memory size and returns it in GB as serverless
// platforms bill it: "1024MB" and "1GB" are both 1 (AWS Lambda counts
// 1,024 MB to the GB). MiB and GiB are accepted as synonyms.
func ParseMemory(s string) (float64, error) {
	orig := s
	s = strings.TrimSpace(s)
	n := numberPrefix(s)
	if n == 0 {
		return 0, &ParseError{What: "memory", Input: orig, Err: fmt.Errorf("expected a number")}
	}
	v, err := strconv.ParseFloat(s[:n], 64)
	if err != nil || math.IsInf(v, 0) {
		return 0, &ParseError{What: "memory", Input: orig, Err: fmt.Errorf("number out of range")}
	}
	switch strings.ToLower(strings.TrimSpace(s[n:])) {
	case "mb", "mib", "m":
		return v / 1024, nil
	case "gb", "gib", "g":
		return v, nil
	case "kb", "kib", "k":
		return v / (1024 * 1024), nil
	}
	return 0, &ParseError{What: "memory", Input: orig, Err: fmt.Errorf("unknown unit %q (want MB or GB)", s[n:])}
}
