package report

import (
	"fmt"
	"math"
	"strconv"
)

// Float is a number in JSON output: a JSON number in its shortest exact form
// when finite, and null otherwise, so that no output ever holds +Inf or NaN
// (JSON has neither, and the strings "+Inf" and "NaN" break every reader
// that expects a number). Where a non-finite value means something (an
// unstable queue's mean wait, a fit without a peak, a step with load and no
// ready box), the field's doc says what null means or a word beside it does.
type Float float64

// MarshalJSON writes f as a number, or null when it is not finite.
func (f Float) MarshalJSON() ([]byte, error) {
	x := float64(f)
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, x, 'g', -1, 64), nil
}

// UnmarshalJSON reads what MarshalJSON writes, null as NaN (no number), and
// the strings "+Inf", "-Inf" and "NaN" that earlier versions wrote.
func (f *Float) UnmarshalJSON(b []byte) error {
	switch string(b) {
	case `"NaN"`, "null":
		*f = Float(math.NaN())
		return nil
	case `"+Inf"`, `"Inf"`:
		*f = Float(math.Inf(1))
		return nil
	case `"-Inf"`:
		*f = Float(math.Inf(-1))
		return nil
	}
	x, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return fmt.Errorf("report: %.40s is not a number", b)
	}
	*f = Float(x)
	return nil
}
