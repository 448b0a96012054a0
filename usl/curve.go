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
