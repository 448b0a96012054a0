package usl

import "math"

// Model is the Universal Scalability Law with its three coefficients
// (Gunther, Guerrilla Capacity Planning, 2007):
//
//	X(N) = λN / (1 + σ(N − 1) + κN(N − 1))
//
// Lambda (λ) is the throughput at concurrency 1 in jobs per second; Sigma
// (σ, contention) and Kappa (κ, coherency) are dimensionless, σ in [0, 1]
// and κ ≥ 0. The zero Model has no throughput. A Model is a plain value,
// safe for concurrent use.
type Model struct {
	Lambda float64 // λ, jobs per second at concurrency 1: performance
	Sigma  float64 // σ, contention: the fraction of work that is serialized
	Kappa  float64 // κ, coherency: the pairwise cost of keeping workers consistent
}

// denominator is 1 + σ(N − 1) + κN(N − 1), the slowdown of one job at
// concurrency n against a job alone: R(N) = denominator / λ.
func (m Model) denominator(n float64) float64 {
	return 1 + m.Sigma*(n-1) + m.Kappa*n*(n-1)
}

// Throughput is X(n) = λn / (1 + σ(n − 1) + κn(n − 1)), jobs per second.
func (m Model) Throughput(n float64) float64 {
	return m.Lambda * n / m.denominator(n)
}

// Latency is the response time at concurrency n by Little's law, in seconds:
//
//	R(n) = n / X(n) = (1 + σ(n − 1) + κn(n − 1)) / λ
//
// R(1) = 1/λ is the latency of one job alone; σ and κ make it grow with n.
func (m Model) Latency(n float64) float64 {
	return m.denominator(n) / m.Lambda
}

// At is the model at concurrency n as a Point: n, X(n) and R(n).
func (m Model) At(n float64) Point {
	return Point{Concurrency: n, Throughput: m.Throughput(n), Latency: m.Latency(n)}
}

// Capacity is the relative capacity C(n) = X(n) / X(1) = X(n) / λ: how many
// jobs alone the system's n concurrent jobs are worth. It depends on σ and κ
// only: scalability without performance.
func (m Model) Capacity(n float64) float64 {
	return n / m.denominator(n)
}

// PeakConcurrency is the concurrency at which throughput peaks,
//
//	N* = sqrt((1 − σ) / κ)
//
// where dX/dN = 0 (the numerator of the derivative is 1 − σ − κN²). With
// κ = 0 there is no peak and it is +Inf: throughput only rises toward
// Amdahl's limit λ/σ. The model describes concurrencies of 1 and more, so a
// peak below 1 (κ > 1 − σ: throughput falls from the start) is reported as 1.
func (m Model) PeakConcurrency() float64 {
	if m.Kappa <= 0 {
		return math.Inf(1)
	}
	return math.Max(1, math.Sqrt((1-m.Sigma)/m.Kappa))
}

// PeakConcurrencyWhole is the whole number of concurrent jobs with the most
// throughput: the floor or the ceiling of PeakConcurrency, whichever gives
// more (the floor on a tie). It is +Inf when there is no peak.
func (m Model) PeakConcurrencyWhole() float64 {
	n := m.PeakConcurrency()
	if math.IsInf(n, 1) {
		return n
	}
	lo, hi := math.Max(1, math.Floor(n)), math.Max(1, math.Ceil(n))
	if m.Throughput(hi) > m.Throughput(lo) {
		return hi
	}
	return lo
}

// PeakThroughput is X(N*), the most throughput the system gives at any
// concurrency. With κ = 0 there is no peak and it is the limit the
// throughput approaches, λ/σ (+Inf when σ = 0 too: linear scaling).
func (m Model) PeakThroughput() float64 {
	n := m.PeakConcurrency()
	if math.IsInf(n, 1) {
		return m.LimitThroughput()
	}
	return m.Throughput(n)
}

// LimitThroughput is Amdahl's limit λ/σ: the ceiling on throughput from
// contention alone, which X(N) approaches as N grows when κ = 0 (Amdahl's
// law is the USL with κ = 0). It is +Inf when σ = 0.
func (m Model) LimitThroughput() float64 {
	if m.Sigma <= 0 {
		return math.Inf(1)
	}
	return m.Lambda / m.Sigma
}
