package report

import (
	"fmt"
	"math"
	"strconv"
)

// Float is a number in JSON output. Finite values are JSON numbers in their
// shortest exact form; the non-finite values are the strings "+Inf", "-Inf"
// and "NaN", the convention of the Prometheus HTTP API (for example, the
// utilization of a step with load and no ready box is +Inf).
type Float float64

// MarshalJSON writes f as a number, or a string when it is not finite.
func (f Float) MarshalJSON() ([]byte, error) {
	x := float64(f)
	switch {
	case math.IsNaN(x):
		return []byte(`"NaN"`), nil
	case math.IsInf(x, 1):
		return []byte(`"+Inf"`), nil
	case math.IsInf(x, -1):
		return []byte(`"-Inf"`), nil
	}
	return strconv.AppendFloat(nil, x, 'g', -1, 64), nil
}

// UnmarshalJSON reads what MarshalJSON writes.
func (f *Float) UnmarshalJSON(b []byte) error {
	switch string(b) {
	case `"NaN"`:
		*f = Float(math.NaN())
		return nil
	case `"+Inf"`, `"Inf"`:
		*f = Float(math.Inf(1))
		return nil
	case `"-Inf"`:
		*f = Float(math.Inf(-1))
		return nil
	case "null":
		return nil
	}
	x, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return fmt.Errorf("report: %s is not a number", b)
	}
	*f = Float(x)
	return nil
}
