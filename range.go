package boxes

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// MaxRangeValues bounds the values one Range may produce, so that a typo like
// "1..1e9" is an error and not a billion runs.
const MaxRangeValues = 10000

// Range is a sweep over numbers written as a user writes it on a command line:
//
//	"1..64 x2"     1, 2, 4, 8, 16, 32, 64        (geometric: Factor 2)
//	"10..1000 x2"  10, 20, 40, ..., 640          (never past To)
//	"1..8"         1, 2, 3, ..., 8               (Step 1)
//	"1..9 step 2"  1, 3, 5, 7, 9                 (arithmetic)
//	"8"            8                             (one value)
//
// Values start at From and never pass To; To itself is a value only when
// the steps land on it (to one part in a billion). Exactly one of Step and
// Factor is set. The zero Range has no values. A Range is a plain value,
// safe for concurrent use.
type Range struct {
	From, To float64
	Step     float64 // arithmetic step, > 0; 0 for a geometric range
	Factor   float64 // geometric factor, > 1; 0 for an arithmetic range
}

// ParseRange reads a range: "FROM..TO" (step 1), "FROM..TO step S",
// "FROM..TO xF" (also "x F" or "*F") or a single number. Numbers are
// finite decimals; a geometric range needs 0 < FROM and F > 1. A range
// with more than MaxRangeValues values is an error. Errors are
// *ParseError with What "range".
func ParseRange(s string) (Range, error) {
	r, err := parseRange(s)
	if err != nil {
		in := s
		if len(in) > 40 {
			in = in[:40] + "…"
		}
		return Range{}, &ParseError{What: "range", Input: in, Err: err}
	}
	return r, nil
}

func parseRange(s string) (Range, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return Range{}, errors.New("empty: want FROM..TO, like 1..64 x2 or 1..9 step 2")
	}
	from, rest, ok := strings.Cut(t, "..")
	if !ok {
		v, err := rangeNumber(t, "value")
		if err != nil {
			return Range{}, err
		}
		return Range{From: v, To: v, Step: 1}, nil
	}
	r := Range{Step: 1}
	var err error
	if r.From, err = rangeNumber(from, "FROM"); err != nil {
		return Range{}, err
	}
	rest = strings.TrimSpace(rest)
	to, by := rest, ""
	if i := strings.IndexAny(rest, " \tx*s"); i >= 0 {
		to, by = rest[:i], strings.TrimSpace(rest[i:])
	}
	if r.To, err = rangeNumber(to, "TO"); err != nil {
		return Range{}, err
	}
	switch {
	case by == "":
	case strings.HasPrefix(by, "step"):
		if r.Step, err = rangeNumber(strings.TrimPrefix(by, "step"), "step"); err != nil {
			return Range{}, err
		}
		if !(r.Step > 0) {
			return Range{}, fmt.Errorf("step %g must be positive", r.Step)
		}
	case by[0] == 'x' || by[0] == '*':
		r.Step = 0
		if r.Factor, err = rangeNumber(by[1:], "factor"); err != nil {
			return Range{}, err
		}
		if !(r.Factor > 1) {
			return Range{}, fmt.Errorf("factor %g must be more than 1", r.Factor)
		}
		if !(r.From > 0) {
			return Range{}, fmt.Errorf("a geometric range starts above 0, not at %g", r.From)
		}
	default:
		return Range{}, fmt.Errorf("unknown step %q: want xF or step S, like x2 or step 4", clip(by))
	}
	if r.To < r.From {
		return Range{}, fmt.Errorf("TO %g is below FROM %g", r.To, r.From)
	}
	if r.From == r.To {
		return Range{From: r.From, To: r.To, Step: 1}, nil
	}
	if r.Step > 0 && r.Step < 1e-9*math.Max(math.Abs(r.From), math.Abs(r.To)) || r.Factor > 0 && r.Factor < 1+1e-9 {
		return Range{}, errors.New("the step is too small for numbers this large")
	}
	if n := r.count(); n > MaxRangeValues {
		return Range{}, fmt.Errorf("%.0f values, more than %d", n, MaxRangeValues)
	}
	return r, nil
}

func rangeNumber(s, what string) (float64, error) {
	s = strings.TrimSpace(s)
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || strings.ContainsAny(s, "xXpP_") {
		return 0, fmt.Errorf("%s %q is not a finite number", what, clip(s))
	}
	return v, nil
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// count is how many values the range has (before the bound check, so it
// may be huge).
func (r Range) count() float64 {
	const eps = 1e-9
	switch {
	case r.Factor > 1:
		return math.Floor(math.Log(r.To/r.From)/math.Log(r.Factor)+eps) + 1
	case r.Step > 0:
		return math.Floor((r.To-r.From)/r.Step+eps) + 1
	}
	return 0
}

// Values lists the range's values in increasing order (nil for the zero
// Range). Each value is From + i·Step or From·Factorⁱ, rounded to 12
// significant digits so that "0..0.3 step 0.1" gives 0.3, not
// 0.30000000000000004.
func (r Range) Values() []float64 {
	n := r.count()
	if !(n >= 1) || n > MaxRangeValues {
		return nil
	}
	vs := make([]float64, 0, int(n))
	for i := range int(n) {
		v := r.From + float64(i)*r.Step
		if r.Factor > 1 {
			v = r.From * math.Pow(r.Factor, float64(i))
		}
		v, _ = strconv.ParseFloat(strconv.FormatFloat(v, 'g', 12, 64), 64)
		vs = append(vs, math.Min(v, r.To))
	}
	return vs
}

// String writes the range back in the notation ParseRange reads.
func (r Range) String() string {
	f := func(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
	switch {
	case r.Factor > 1:
		return f(r.From) + ".." + f(r.To) + " x" + f(r.Factor)
	case r.From == r.To:
		return f(r.From)
	case r.Step == 1:
		return f(r.From) + ".." + f(r.To)
	}
	return f(r.From) + ".." + f(r.To) + " step " + f(r.Step)
}

// MaxRates bounds a list or range of rates (ParseRates).
const MaxRates = 100

// ParseRates reads rates (ParseRate) separated by commas ("10,100,1k/s"),
// or a range by decades "LO..HI" (LO, 10·LO, 100·LO, … up to HI, and HI
// itself): positive and finite, at most MaxRates of them (MaxRates + 1 for
// a range that ends off its decades). Its errors say what is wrong; the
// caller names the input.
func ParseRates(s string) ([]Rate, error) {
	check := func(r Rate) error {
		if !(r > 0) || math.IsInf(float64(r), 0) {
			return fmt.Errorf("rate %g must be positive and finite", float64(r))
		}
		return nil
	}
	if lo, hi, ok := strings.Cut(s, ".."); ok {
		l, err := ParseRate(lo)
		if err != nil {
			return nil, err
		}
		h, err := ParseRate(hi)
		if err != nil {
			return nil, err
		}
		if err := check(l); err != nil {
			return nil, err
		}
		if err := check(h); err != nil {
			return nil, err
		}
		if h < l {
			return nil, fmt.Errorf("the range must go up (%g > %g)", float64(l), float64(h))
		}
		var out []Rate
		for r := l; r <= h*(1+1e-12); r *= 10 {
			out = append(out, r)
			if len(out) > MaxRates {
				return nil, fmt.Errorf("more than %d rates", MaxRates)
			}
		}
		if last := out[len(out)-1]; last < h*(1-1e-12) {
			out = append(out, h)
		}
		return out, nil
	}
	var out []Rate
	for _, f := range strings.Split(s, ",") {
		if strings.TrimSpace(f) == "" {
			return nil, fmt.Errorf("empty rate in the list")
		}
		r, err := ParseRate(f)
		if err != nil {
			return nil, err
		}
		if err := check(r); err != nil {
			return nil, err
		}
		out = append(out, r)
		if len(out) > MaxRates {
			return nil, fmt.Errorf("more than %d rates", MaxRates)
		}
	}
	return out, nil
}
