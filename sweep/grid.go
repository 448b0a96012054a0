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

// maxAxisValues bounds one axis: boxes.ParseRange's bound, for lists too.
const maxAxisValues = boxes.MaxRangeValues

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
	// One array for every configuration's settings: a million small
	// slices took most of a second to allocate and to scan (issue 11: a
	// sweep over the budget is refused within 2 s).
	all := make([]Setting, total*len(axes))
	for k := range out {
		c := Configuration{Index: k, Settings: all[k*len(axes) : (k+1)*len(axes) : (k+1)*len(axes)]}
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

// ParseRange expands a range of values written as text: the numbers as
// boxes.ParseRange reads them, with a unit (or a "$") around them:
//
//	"0.4..0.9 step 0.05"   an arithmetic range, both ends included
//	"1..64 x2"             a geometric range: 1, 2, 4, …, 64
//	"100ms..800ms x2"      with a unit: 100ms, 200ms, 400ms, 800ms
//	"$0.05/h..$0.20/h step $0.05/h"
//
// Both ends (and the step) carry the same unit, if any, and the values are
// written in it, with no more digits than the inputs need.
func ParseRange(s string) ([]string, error) {
	fail := func(format string, args ...any) ([]string, error) {
		return nil, fmt.Errorf("sweep: range %s: %s", boxes.Quote(s), fmt.Sprintf(format, args...))
	}
	lo, rest, ok := strings.Cut(strings.TrimSpace(s), "..")
	if !ok {
		return fail("want FROM..TO step S or FROM..TO xF")
	}
	fields := strings.Fields(rest)
	if len(fields) == 0 {
		return fail("want FROM..TO step S or FROM..TO xF")
	}
	a, err := parseQuantity(strings.TrimSpace(lo))
	if err != nil {
		return fail("%v", err)
	}
	b, err := parseQuantity(fields[0])
	if err != nil {
		return fail("%v", err)
	}
	if a.prefix != b.prefix || a.unit != b.unit {
		return fail("%s and %s are in different units", lo, fields[0])
	}
	// The numbers alone, for boxes.ParseRange: a step keeps its unit off.
	numeric := []string{a.text + ".." + b.text}
	digits, geometric := max(a.digits, b.digits), false
	for i := 1; i < len(fields); i++ {
		f := fields[i]
		switch {
		case f == "step" && i+1 < len(fields):
			st, err := parseQuantity(fields[i+1])
			if err != nil || st.prefix != a.prefix || st.unit != a.unit {
				return fail("the step %s is not a number in the unit of %s", boxes.Quote(fields[i+1]), lo)
			}
			numeric = append(numeric, "step", st.text)
			digits = max(digits, st.digits)
			i++
		default:
			geometric = geometric || strings.HasPrefix(f, "x") || strings.HasPrefix(f, "*")
			numeric = append(numeric, f)
		}
	}
	r, err := boxes.ParseRange(strings.Join(numeric, " "))
	if err != nil {
		return fail("%v", errors.Unwrap(err))
	}
	xs := r.Values()
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = a.prefix + formatNumber(x, digits, geometric) + a.unit
	}
	return out, nil
}

// quantity is a number with the text around it: "$" before, a unit after.
type quantity struct {
	prefix, unit string
	text         string // the number as written
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
	q.x, q.unit, q.text = x, s[end:], s[:end]
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
