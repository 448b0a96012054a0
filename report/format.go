package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/boxes-project/boxes/report/chart"
)

// Money formats dollars with a precision that suits their size: "$1,234",
// "$12.35", "$0.0042".
func Money(x float64) string {
	switch {
	case math.IsInf(x, 0) || math.IsNaN(x):
		return "n/a"
	case x < 0:
		return "-" + Money(-x)
	case x >= 1000:
		return "$" + chart.Thousands(strconv.FormatFloat(x, 'f', 0, 64))
	case x >= 0.01 || x == 0:
		return "$" + strconv.FormatFloat(x, 'f', 2, 64)
	}
	return "$" + strconv.FormatFloat(x, 'g', 3, 64)
}

// Count formats a number of jobs: "12,345", "15.9M", "2.31G".
func Count(x float64) string {
	switch {
	case math.IsInf(x, 0) || math.IsNaN(x):
		return "n/a"
	case math.Abs(x) >= 1e9:
		return strconv.FormatFloat(x/1e9, 'g', 3, 64) + "G"
	case math.Abs(x) >= 1e7:
		return strconv.FormatFloat(x/1e6, 'g', 3, 64) + "M"
	}
	return chart.Thousands(strconv.FormatFloat(math.Round(x), 'f', 0, 64))
}

// Ratio formats a utilization or a fraction with two decimals ("0.80"), or
// "∞" when it is infinite.
func Ratio(x float64) string {
	if math.IsInf(x, 1) {
		return "∞"
	}
	if math.IsNaN(x) {
		return "n/a"
	}
	return strconv.FormatFloat(x, 'f', 2, 64)
}

// Percent formats a fraction as a percentage with a precision that shows
// small values ("12.5%", "0.031%", "0%").
func Percent(x float64) string {
	switch {
	case math.IsNaN(x):
		return "n/a"
	case x == 0:
		return "0%"
	case x >= 0.1:
		return strconv.FormatFloat(100*x, 'f', 1, 64) + "%"
	case x < 1e-12:
		return "<1e-10%"
	}
	// Two significant digits in plain decimals ("0.031%", "0.000070%"), never
	// an exponent a reader has to decode.
	decimals := max(0, 1-int(math.Floor(math.Log10(100*x))))
	p := strconv.FormatFloat(100*x, 'f', decimals, 64)
	if strings.Contains(p, ".") {
		p = strings.TrimRight(strings.TrimRight(p, "0"), ".")
	}
	return p + "%"
}

// Seconds formats a time in seconds with a unit that suits it ("200ms",
// "1.5s", "3m20s", "2h05m").
func Seconds(s float64) string {
	switch {
	case math.IsNaN(s) || math.IsInf(s, 0):
		return "n/a"
	case s == 0:
		return "0s"
	case s < 1e-3:
		return strconv.FormatFloat(s*1e6, 'g', 3, 64) + "µs"
	case s < 1:
		return strconv.FormatFloat(s*1e3, 'g', 3, 64) + "ms"
	case s < 60:
		return strconv.FormatFloat(s, 'g', 3, 64) + "s"
	case s < 3600:
		m := math.Floor(s / 60)
		return fmt.Sprintf("%.0fm%02.0fs", m, math.Floor(s-60*m))
	}
	h := math.Floor(s / 3600)
	return fmt.Sprintf("%.0fh%02.0fm", h, math.Floor((s-3600*h)/60))
}

// JobsPerSecond formats a rate: "40/s", "0.5/s", "12.3k/s", "1.5M/s".
func JobsPerSecond(r float64) string {
	switch {
	case math.IsNaN(r) || math.IsInf(r, 0):
		return "n/a"
	case r >= 1e6:
		return strconv.FormatFloat(r/1e6, 'g', 4, 64) + "M/s"
	case r >= 1e4:
		return strconv.FormatFloat(r/1e3, 'g', 4, 64) + "k/s"
	}
	return strconv.FormatFloat(r, 'g', 4, 64) + "/s"
}

// MoneyTick labels a money axis's ticks: Money, with zero as "$0".
func MoneyTick(v float64) string {
	if v == 0 {
		return "$0"
	}
	return Money(v)
}

// Number formats a coefficient or a count with four significant digits,
// without an exponent between 0.001 and a million ("0.02773", "96.52",
// "1.044e-04"), "∞" for +Inf and "n/a" for NaN.
func Number(x float64) string {
	switch {
	case math.IsNaN(x):
		return "n/a"
	case math.IsInf(x, 1):
		return "∞"
	case math.IsInf(x, -1):
		return "-∞"
	case x == 0:
		return "0"
	case math.Abs(x) >= 1e-3 && math.Abs(x) < 1e6:
		return strconv.FormatFloat(x, 'g', 4, 64)
	}
	return strconv.FormatFloat(x, 'e', 3, 64)
}

// Factor formats a ratio for "×2.00": two decimals, or three significant
// digits when that would hide it.
func Factor(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return Number(x)
	}
	if x >= 0.1 && x < 1000 {
		return strconv.FormatFloat(x, 'f', 2, 64)
	}
	return strconv.FormatFloat(x, 'g', 3, 64)
}
