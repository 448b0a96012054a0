package sweep

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/boxes-project/boxes"
)

// MaxConfigurations bounds a sweep's grid: the product of its axes'
// lengths.
const MaxConfigurations = 1_000_000

// maxAxisValues bounds one axis: a range with a step too fine for its span
// is a mistake, not a sweep.
const maxAxisValues = 100_000

// An Axis is one swept setting: its path in the scenario document and the
// values it takes, as text in the document's notation ("200ms", "0.7").
type Axis struct {
	Path   string
	Values []string
}

// A Setting is one setting's value in one configuration.
type Setting struct {
	Path  string
	Value string
}

// A Configuration is one combination of the axes' values, in the axes'
// order, and its index in the grid.
type Configuration struct {
	Index    int
	Settings []Setting
}

// Grid is every combination of the axes' values, the first axis varying
// slowest: configuration k takes, for each axis, the value whose index is
// the axis's digit of k in the mixed radix of the axes' lengths.
func Grid(axes []Axis) ([]Configuration, error) {
	if len(axes) == 0 {
		return nil, errors.New("sweep: no setting to sweep")
	}
	total := 1
	seen := map[string]bool{}
	for _, a := range axes {
		if seen[a.Path] {
			return nil, fmt.Errorf("sweep: %s is swept twice", a.Path)
		}
		seen[a.Path] = true
		if len(a.Values) == 0 {
			return nil, fmt.Errorf("sweep: %s has no values", a.Path)
		}
		if total > MaxConfigurations/len(a.Values) {
			return nil, fmt.Errorf("sweep: more than %d configurations; sweep fewer values, or search instead", MaxConfigurations)
		}
		total *= len(a.Values)
	}
	out := make([]Configuration, total)
	for k := range out {
		c := Configuration{Index: k, Settings: make([]Setting, len(axes))}
		rest := k
		for j := len(axes) - 1; j >= 0; j-- {
			n := len(axes[j].Values)
			c.Settings[j] = Setting{Path: axes[j].Path, Value: axes[j].Values[rest%n]}
			rest /= n
		}
		out[k] = c
	}
	return out, nil
}

// ParseRange expands a range of values written as text:
//
//	"0.4..0.9 step 0.05"   an arithmetic range, both ends included
//	"1..64 x2"             a geometric range: 1, 2, 4, …, 64
//	"100ms..1s x2"         with a unit: 100ms, 200ms, 400ms, 800ms
//	"$0.05/h..$0.20/h step $0.05/h"
//
// Both ends (and the step) carry the same unit, if any, and the values are
// written in it, with no more digits than the inputs need. The end is
// included when the steps land on it (to a relative 1e-9).
func ParseRange(s string) ([]string, error) {
	fail := func(format string, args ...any) ([]string, error) {
		return nil, fmt.Errorf("sweep: range %s: %s", boxes.Quote(s), fmt.Sprintf(format, args...))
	}
	lo, rest, ok := strings.Cut(strings.TrimSpace(s), "..")
	if !ok {
		return fail("want FROM..TO step S or FROM..TO xF")
	}
	fields := strings.Fields(rest)
	var hi, stepText string
	geometric := false
	switch {
	case len(fields) == 3 && fields[1] == "step":
		hi, stepText = fields[0], fields[2]
	case len(fields) == 2 && strings.HasPrefix(fields[1], "x"):
		hi, stepText, geometric = fields[0], fields[1][1:], true
	case len(fields) == 3 && fields[1] == "x":
		hi, stepText, geometric = fields[0], fields[2], true
	case len(fields) == 1:
		hi, stepText = fields[0], "1"
	default:
		return fail("want FROM..TO step S or FROM..TO xF")
	}
	a, err := parseQuantity(strings.TrimSpace(lo))
	if err != nil {
		return fail("%v", err)
	}
	b, err := parseQuantity(hi)
	if err != nil {
		return fail("%v", err)
	}
	if a.prefix != b.prefix || a.unit != b.unit {
		return fail("%s and %s are in different units", lo, hi)
	}
	step := quantity{prefix: a.prefix, unit: a.unit}
	if geometric {
		step.x, err = strconv.ParseFloat(stepText, 64)
	} else if len(fields) == 1 {
		step.x = 1
	} else {
		step, err = parseQuantity(stepText)
		if err == nil && (step.prefix != a.prefix || step.unit != a.unit) {
			return fail("the step %s is not in the unit of %s", stepText, lo)
		}
	}
	if err != nil || math.IsNaN(step.x) || math.IsInf(step.x, 0) {
		return fail("bad step %s", boxes.Quote(stepText))
	}
	if a.x > b.x {
		return fail("%s is above %s", lo, hi)
	}
	digits := max(a.digits, b.digits, step.digits)
	var xs []float64
	switch {
	case geometric:
		if !(step.x > 1) || !(a.x > 0) {
			return fail("a geometric range needs a factor above 1 and a positive start")
		}
		for k := 0; ; k++ {
			x := a.x * math.Pow(step.x, float64(k))
			if x > b.x*(1+1e-9) {
				break
			}
			xs = append(xs, x)
			if len(xs) > maxAxisValues {
				return fail("more than %d values", maxAxisValues)
			}
		}
	default:
		if !(step.x > 0) {
			return fail("the step must be positive")
		}
		if n := (b.x - a.x) / step.x; n > maxAxisValues {
			return fail("more than %d values", maxAxisValues)
		}
		for k := 0; ; k++ {
			x := a.x + float64(k)*step.x
			if x > b.x+1e-9*math.Max(math.Abs(b.x), step.x) {
				break
			}
			xs = append(xs, x)
		}
	}
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = a.prefix + formatNumber(x, digits, geometric) + a.unit
	}
	return out, nil
}

// quantity is a number with the text around it: "$" before, a unit after.
type quantity struct {
	prefix, unit string
	x            float64
	digits       int // digits after the point as written
}

func parseQuantity(s string) (quantity, error) {
	q := quantity{}
	if rest, ok := strings.CutPrefix(s, "$"); ok {
		q.prefix, s = "$", rest
	}
	end := 0
	for end < len(s) && (s[end] >= '0' && s[end] <= '9' || s[end] == '.' || (end == 0 && (s[end] == '-' || s[end] == '+'))) {
		end++
	}
	if end == 0 {
		return q, fmt.Errorf("%s is not a number", boxes.Quote(s))
	}
	x, err := strconv.ParseFloat(s[:end], 64)
	if err != nil || math.IsInf(x, 0) {
		return q, fmt.Errorf("%s is not a number", boxes.Quote(s))
	}
	if _, frac, ok := strings.Cut(s[:end], "."); ok {
		q.digits = len(frac)
	}
	q.x, q.unit = x, s[end:]
	return q, nil
}

// formatNumber writes x with the digits the range's inputs used (so 0.4 +
// 3 × 0.05 is 0.55, not 0.5500000000000001); geometric ranges keep up to
// 12 significant digits.
func formatNumber(x float64, digits int, geometric bool) string {
	if geometric {
		return strconv.FormatFloat(roundSignificant(x, 12), 'f', -1, 64)
	}
	return strconv.FormatFloat(x, 'f', digits, 64)
}

func roundSignificant(x float64, n int) float64 {
	if x == 0 {
		return 0
	}
	v, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', n, 64), 64)
	return v
}
