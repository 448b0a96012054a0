package boxes

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Rate is a number of jobs per second, like a JobRate or a Throughput.
type Rate float64

// String formats r as jobs per second ("40/s"), text that ParseRate reads
// back to the same value.
func (r Rate) String() string {
	return strconv.FormatFloat(float64(r), 'g', -1, 64) + "/s"
}

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
// parses to Amount 0.10/3600. The zero Price is free, per second.
type Price struct {
	Amount float64
	Unit   PriceUnit
}

// PerHour is the price of one hour of a PerSecond price.
func (p Price) PerHour() float64 { return p.Amount * 3600 }

// String formats p as text that ParsePrice reads back to the same Price,
// with the fewest digits that do: a PerSecond price per hour ("$0.1/h"), per
// month ("$72/month") or per second, a PerRequest price per million requests
// ("$0.2/M requests") or per request ("$0.0000002/request"), a PerGBSecond
// price per GB-second ("$0.0000166667/GB-s"). At equal digits the first of
// those units wins. A negative or non-finite price, which ParsePrice never
// returns, is formatted but does not parse.
func (p Price) String() string {
	type form struct {
		scale float64
		unit  string
	}
	var forms []form
	switch p.Unit {
	case PerGBSecond:
		forms = []form{{1, "/GB-s"}}
	case PerRequest:
		forms = []form{{1e6, "/M requests"}, {1, "/request"}}
	default:
		forms = []form{{3600, "/h"}, {Month.Seconds(), "/month"}, {1, "/s"}}
	}
	for prec := 1; prec <= 17; prec++ {
		for _, f := range forms {
			x := p.Amount * f.scale
			if math.IsInf(x, 0) || math.IsNaN(x) {
				continue
			}
			s := "$" + decimal(x, prec) + f.unit
			if q, err := ParsePrice(s); err == nil && q == p {
				return s
			}
		}
	}
	return "$" + strconv.FormatFloat(p.Amount, 'g', -1, 64) + forms[len(forms)-1].unit
}

// decimal formats x rounded to prec significant digits, without an exponent
// unless x is very large or very small ("60", "0.0000166667", "1e-12").
func decimal(x float64, prec int) string {
	s := strconv.FormatFloat(x, 'g', prec, 64)
	if a := math.Abs(x); a != 0 && (a < 1e-9 || a >= 1e21) {
		return s
	}
	r, _ := strconv.ParseFloat(s, 64)
	return strconv.FormatFloat(r, 'f', -1, 64)
}

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
	return fmt.Sprintf("boxes: bad %s %s: %v", e.What, Quote(e.Input), e.Err)
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
	{"hrs", time.Hour}, {"hr", time.Hour}, {"yrs", Year}, {"yr", Year}, {"mo", Month},
	{"ns", time.Nanosecond}, {"us", time.Microsecond}, {"µs", time.Microsecond}, {"μs", time.Microsecond},
	{"ms", time.Millisecond},
	{"s", time.Second}, {"m", time.Minute}, {"h", time.Hour}, {"d", Day}, {"w", Week}, {"y", Year},
}

// ParseDuration reads a duration a person types: Go's forms ("200ms", "1.5s",
// "1h30m", "-2m") and days, weeks, months and years ("1d", "2w", "1month",
// "1y"), with spaces allowed between parts ("1 h 30 min"). "0" needs no unit.
// Units are lower case: "M" is not a minute. The result must fit a
// time.Duration (about 292 years).
//
// Decimal numbers are read exactly, to the nanosecond, like
// time.ParseDuration: every Duration's String parses back to itself. A number
// with an exponent ("1e3ms") goes through float64.
//
// A negative duration parses: whether it makes sense is for the caller (a
// latency must be positive; Box.Validate says so).
func ParseDuration(s string) (time.Duration, error) {
	d, err := parseDuration(strings.TrimSpace(s))
	if err != nil {
		return 0, &ParseError{What: "duration", Input: s, Err: err}
	}
	return d, nil
}

func parseDuration(s string) (time.Duration, error) {
	if s == "" {
		return 0, errors.New("empty")
	}
	neg := false
	if s[0] == '-' || s[0] == '+' {
		neg = s[0] == '-'
		s = s[1:]
	}
	if s == "0" {
		return 0, nil
	}
	var total uint64 // nanoseconds, never above math.MaxInt64
	for s != "" {
		n := numberPrefix(s)
		if n == 0 {
			return 0, fmt.Errorf("expected a number at %s", Quote(s))
		}
		num := s[:n]
		s = strings.TrimLeft(s[n:], " ")
		unit, rest, ok := durationUnit(s)
		if !ok {
			if s == "" {
				return 0, errors.New("missing unit (like ms, s, m, h, d)")
			}
			return 0, fmt.Errorf("unknown unit %s (want ns, us, ms, s, m, h, d, w, mo or y)", Quote(s))
		}
		ns, ok := scaleDuration(num, unit)
		if !ok || ns > math.MaxInt64-total {
			return 0, errors.New("too large (the limit is about 292 years)")
		}
		total += ns
		s = strings.TrimLeft(rest, " ")
	}
	d := time.Duration(total)
	if neg {
		d = -d
	}
	return d, nil
}

// scaleDuration is the decimal number num times unit, in nanoseconds,
// truncated toward zero as time.ParseDuration does. The integer part is exact;
// the fraction is exact up to the precision of float64, as in
// time.ParseDuration. A number with an exponent is rounded to the nearest
// nanosecond, so that "3e-1s" is 300ms and not one nanosecond short. ok is
// false when the result exceeds math.MaxInt64.
func scaleDuration(num string, unit time.Duration) (ns uint64, ok bool) {
	const limit = math.MaxInt64
	if strings.ContainsAny(num, "eE") {
		v, err := strconv.ParseFloat(num, 64)
		x := math.Round(v * float64(unit))
		if err != nil || !(x < limit) { // float64(limit) is 2^63
			return 0, false
		}
		return uint64(x), true
	}
	whole, frac, _ := strings.Cut(num, ".")
	var v uint64
	for _, c := range []byte(whole) {
		if v > limit/10 {
			return 0, false
		}
		v = v*10 + uint64(c-'0')
	}
	if v > limit/uint64(unit) {
		return 0, false
	}
	v *= uint64(unit)
	var f uint64
	scale := 1.0
	for _, c := range []byte(frac) {
		if f > limit/10 {
			break // further digits are below float64's precision
		}
		f = f*10 + uint64(c-'0')
		scale *= 10
	}
	if f > 0 {
		v += uint64(float64(f) * (float64(unit) / scale))
		if v > limit {
			return 0, false
		}
	}
	return v, true
}

// numberPrefix is the length of the decimal number at the start of s: digits
// with at most one point, then an optional exponent ("1.5", ".5", "2.",
// "1e-3"). It is 0 when s does not start with a number.
func numberPrefix(s string) int {
	i, digits, points := 0, 0, 0
	for i < len(s) {
		if s[i] >= '0' && s[i] <= '9' {
			digits++
		} else if s[i] != '.' || points > 0 {
			break
		} else {
			points++
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
// or be followed by a digit, a point or a space (the next part).
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

// siPrefixes scale a count by a power of ten: "2.4k" is 2,400, "1M" a
// million and "1B" (or "1G") a billion. There is no "m": a milli-job is not a
// count.
var siPrefixes = map[string]int{"": 0, "k": 3, "K": 3, "M": 6, "G": 9, "B": 9, "T": 12}

// ParseRate reads a rate of jobs: a count with an optional SI prefix (k, M,
// G) over a time ("40/s", "2.4k/min", "1M/day", "1000/10s"). A bare number
// is per second ("40"), and so are "40rps" and "40 qps"; a word for the jobs
// may follow the count ("5 jobs/min", "3 requests/s"). The count must be
// finite and not negative, and so must the rate: "1/0s" is an error.
func ParseRate(s string) (Rate, error) {
	r, err := parseRate(strings.TrimSpace(s))
	if err != nil {
		return 0, &ParseError{What: "rate", Input: s, Err: err}
	}
	return r, nil
}

func parseRate(s string) (Rate, error) {
	if s == "" {
		return 0, errors.New("empty")
	}
	num, per, hasPer := strings.Cut(s, "/")
	num = strings.TrimSpace(num)
	for _, suffix := range []string{"rps", "qps", "jobs", "job", "requests", "request", "req"} {
		rest, ok := strings.CutSuffix(num, suffix)
		if !ok {
			continue
		}
		num = strings.TrimSpace(rest)
		if !hasPer && (suffix == "rps" || suffix == "qps") {
			per, hasPer = "s", true
		}
		break
	}
	count, err := parseCount(num, 0)
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
	r := perSecond(count, d)
	if math.IsInf(r, 0) {
		return 0, errors.New("out of range")
	}
	return Rate(r), nil
}

// perSecond is x per d, as a rate per second. A whole number of seconds
// divides exactly (one rounding), so that "2.4k/min" is exactly 40.
func perSecond(x float64, d time.Duration) float64 {
	if d%time.Second == 0 {
		return x / float64(d/time.Second)
	}
	if y := x * 1e9; !math.IsInf(y, 0) {
		return y / float64(d)
	}
	return x / d.Seconds()
}

// parseCount reads a finite, non-negative number with an optional SI prefix
// ("2.4k") and scales it by 10^shift. Powers of ten move the decimal exponent
// of the text, so the value is rounded once: "1.1k" is exactly 1100 and
// "0.20" shifted by −6 exactly 0.0000002, where float64 arithmetic would be
// an ulp off.
func parseCount(s string, shift int) (float64, error) {
	body := strings.TrimPrefix(s, "+")
	if strings.HasPrefix(body, "-") {
		return 0, fmt.Errorf("%s must not be negative", Quote(s))
	}
	n := numberPrefix(body)
	if n == 0 {
		return 0, fmt.Errorf("expected a number at %s", Quote(s))
	}
	if v, err := strconv.ParseFloat(body[:n], 64); err != nil || math.IsInf(v, 0) {
		return 0, fmt.Errorf("number %s out of range", Quote(body[:n]))
	}
	suffix := strings.TrimSpace(body[n:])
	exp, ok := siPrefixes[suffix]
	if !ok {
		return 0, fmt.Errorf("unknown suffix %s (want k, M or G)", Quote(suffix))
	}
	v := shiftDecimal(body[:n], exp+shift)
	if math.IsInf(v, 0) {
		return 0, fmt.Errorf("%s out of range", Quote(s))
	}
	return v, nil
}

// shiftDecimal is the decimal number num (which ParseFloat reads) times
// 10^shift, rounded once.
func shiftDecimal(num string, shift int) float64 {
	mant, exp := num, 0
	if i := strings.IndexAny(num, "eE"); i >= 0 {
		e, err := strconv.Atoi(num[i+1:])
		if err != nil { // an exponent past int: 0 or ±Inf whatever the shift
			v, _ := strconv.ParseFloat(num, 64)
			return v
		}
		mant, exp = num[:i], e
	}
	v, _ := strconv.ParseFloat(mant+"e"+strconv.Itoa(exp+shift), 64)
	return v
}

// parsePer reads the time under a slash: a unit ("s", "min", "day") or a
// duration ("10s"). It must be positive.
func parsePer(s string) (time.Duration, error) {
	switch {
	case s == "":
		return 0, errors.New("missing time after /")
	case s[0] == '-':
		return 0, fmt.Errorf("time %s after / must be positive", Quote(s))
	case s[0] < '0' || s[0] > '9':
		if s[0] != '.' {
			s = "1" + s
		}
	}
	d, err := parseDuration(s)
	if err != nil {
		return 0, err
	}
	if d <= 0 {
		return 0, fmt.Errorf("time %s after / must be positive", Quote(s))
	}
	return d, nil
}

// ParsePrice reads a price in dollars (the "$" is optional) per time
// ("$0.10/h", "$72/month"), per GB-second ("$0.0000166667/GB-s", also
// "/GB-h"), or per request ("$0.20/M requests", "$0.20/1M",
// "$0.0000002/request", "$2/1000 requests"). Case matters for one letter
// only: "$1/m" is a dollar a minute, "$1/M" a dollar a million requests. The
// amount must be finite and not negative.
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
		return Price{}, errors.New("missing what it is per (like $0.10/h)")
	}
	amount = strings.TrimPrefix(strings.TrimSpace(amount), "$")
	amount = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(amount), "USD"))
	v, err := parseCount(amount, 0)
	if err != nil {
		return Price{}, err
	}
	per = strings.TrimSpace(per)
	var p Price
	switch low := strings.ToLower(per); {
	case strings.HasPrefix(low, "gb"):
		switch strings.TrimLeft(strings.TrimPrefix(low, "gb"), "- ") {
		case "s", "sec", "second":
			p = Price{Amount: v, Unit: PerGBSecond}
		case "h", "hr", "hour":
			p = Price{Amount: v / 3600, Unit: PerGBSecond}
		default:
			return Price{}, fmt.Errorf("unknown unit %s (want GB-s or GB-h)", Quote(per))
		}
	case isRequestUnit(per):
		n, err := requestCount(per)
		if err != nil {
			return Price{}, err
		}
		p = Price{Amount: v / n, Unit: PerRequest}
		// Per 10^k requests: shift the decimal point, one rounding.
		if k := math.Round(math.Log10(n)); n == math.Pow10(int(k)) {
			p.Amount, _ = parseCount(amount, -int(k))
		}
	default:
		d, err := parsePer(per)
		if err != nil {
			return Price{}, err
		}
		p = Price{Amount: perSecond(v, d), Unit: PerSecond}
	}
	if math.IsInf(p.Amount, 0) {
		return Price{}, errors.New("out of range")
	}
	return p, nil
}

var requestWords = []string{"requests", "request", "reqs", "req", "invocations", "invocation", "jobs", "job", "million", "thousand"}

// isRequestUnit tells a per-request unit ("request", "M requests", "1M",
// "1e6 requests", "million") from a time unit. Case matters for one letter
// only: "M" is a million requests, "m" a minute. A unit that names requests
// anywhere ("m requests") is taken as one, so that requestCount can say what
// is wrong with it.
func isRequestUnit(s string) bool {
	s = strings.TrimSpace(s[numberPrefix(s):])
	if s == "M" || s == "k" || strings.HasPrefix(s, "M ") || strings.HasPrefix(s, "k ") {
		return true
	}
	s = strings.ToLower(s)
	for _, w := range requestWords {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// requestCount is how many requests a price unit like "M requests", "1M",
// "million requests" or "request" covers.
func requestCount(s string) (float64, error) {
	n := 1.0
	if k := numberPrefix(s); k > 0 {
		v, err := strconv.ParseFloat(s[:k], 64)
		if err != nil || !(v > 0) || math.IsInf(v, 0) {
			return 0, fmt.Errorf("count %s must be positive and finite", Quote(s[:k]))
		}
		n, s = v, strings.TrimSpace(s[k:])
	}
	word, rest, _ := strings.Cut(s, " ")
	switch word {
	case "M", "million", "Million":
		n *= 1e6
		s = strings.TrimSpace(rest)
	case "k", "thousand", "Thousand":
		n *= 1e3
		s = strings.TrimSpace(rest)
	}
	switch strings.ToLower(s) {
	case "", "requests", "request", "reqs", "req", "invocations", "invocation", "jobs", "job":
		return n, nil
	}
	if strings.HasPrefix(s, "m ") {
		return 0, fmt.Errorf("unknown unit %s (a million is \"M\"; \"m\" is a minute)", Quote(s))
	}
	return 0, fmt.Errorf("unknown unit %s (want request, M requests or a time)", Quote(s))
}

// ParseMemory reads a memory size and returns it in GB as serverless
// platforms bill it: "1024MB" and "1GB" are both 1 (AWS Lambda counts
// 1,024 MB to the GB: 512 MB is 0.5 GB in its pricing examples). MiB and GiB
// are synonyms; "M", "G" and "K" are short forms. The size must be finite and
// not negative.
func ParseMemory(s string) (float64, error) {
	gb, err := parseMemory(strings.TrimSpace(s))
	if err != nil {
		return 0, &ParseError{What: "memory", Input: s, Err: err}
	}
	return gb, nil
}

func parseMemory(s string) (float64, error) {
	if s == "" {
		return 0, errors.New("empty")
	}
	if s[0] == '-' {
		return 0, errors.New("must not be negative")
	}
	n := numberPrefix(s)
	if n == 0 {
		return 0, fmt.Errorf("expected a number at %s", Quote(s))
	}
	v, err := strconv.ParseFloat(s[:n], 64)
	if err != nil || math.IsInf(v, 0) {
		return 0, fmt.Errorf("number %s out of range", Quote(s[:n]))
	}
	switch unit := strings.TrimSpace(s[n:]); strings.ToLower(unit) {
	case "gb", "gib", "g":
		return v, nil
	case "mb", "mib", "m":
		return v / 1024, nil
	case "kb", "kib", "k":
		return v / (1024 * 1024), nil
	case "":
		return 0, errors.New("missing unit (MB or GB)")
	default:
		return 0, fmt.Errorf("unknown unit %s (want MB or GB)", Quote(unit))
	}
}
