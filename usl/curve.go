package usl

import "math"

// Curve samples a throughput law x(n) (Model.Throughput, or
// Point.ThroughputAt for the boxes model of one measurement) at steps + 1
// concurrencies evenly spaced from from to to, with the response time
// R(n) = n / x(n) by Little's law: the data of the second article's graphs,
// response time and throughput against load. It returns nil unless
// 0 < from ≤ to, both finite, and steps ≥ 1 (from = to gives one point).
func Curve(x func(n float64) float64, from, to float64, steps int) []Point {
	if !(from > 0 && from <= to) || math.IsInf(to, 0) || steps < 1 {
		return nil
	}
	if from == to {
		steps = 0
	}
	out := make([]Point, 0, steps+1)
	for i := 0; i <= steps; i++ {
		n := to
		if i < steps {
			n = from + (to-from)*float64(i)/float64(steps)
		}
		xn := x(n)
		out = append(out, Point{Concurrency: n, Throughput: xn, Latency: n / xn})
	}
	return out
}

// CurveRange is a curve's default range from the smallest and largest
// measured concurrency and the peak N* (+Inf for none): from 1 (or the
// smallest measured, if below 1) to twice the largest measured, or 1.5 N*
// if that is more, rounded up.
func CurveRange(minN, maxN, peak float64) (from, to float64) {
	from = math.Min(1, minN)
	to = 2 * maxN
	if !math.IsInf(peak, 1) && 1.5*peak > to {
		to = 1.5 * peak
	}
	return from, math.Ceil(to)
}

// CurveSteps is a curve's default number of intervals from from to to:
// one per whole number when both are whole and at most 200 apart, else
// 100.
func CurveSteps(from, to float64) int {
	if span := to - from; span == math.Trunc(span) && from == math.Trunc(from) && span >= 1 && span <= 200 {
		return int(span)
	}
	return 100
}
