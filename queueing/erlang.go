package queueing

import "math"

// ErlangB is the probability that a job finds all c boxes busy when jobs
// arrive at random (Poisson) with offered load a = JobRate × Latency erlangs
// and there is no queue: the job is missed. Erlang's loss formula (1917),
//
//	B(c, a) = (a^c / c!) / Σ_{k=0..c} a^k / k!
//
// holds for any distribution of latency with mean Latency (it is
// insensitive), so it is the articles' fixed-latency base model under random
// arrivals. It is computed with the recursion on R = 1/B,
//
//	R(0) = 1,  R(k) = 1 + (k/a)·R(k−1),
//
// which never forms a factorial. The recursion is affine, so an error in R
// shrinks by the factor 1 − B(k) ≤ k/(a+1) at each step (the carried load
// a(1 − B(k−1)) is at most k − 1, so a·B(k−1) ≥ a − k + 1): the recursion starts where the product of those factors up to min(c, a) falls
// below 1e-18, from B ≈ 1 − k/a, and the cost is O(c − a + √a) steps rather
// than O(c). For a fleet of 100,000 boxes at a load near its size that is a
// few thousand steps.
//
// B(0, a) = 1, B(c, 0) = 0 for c > 0; negative or NaN inputs give
// NaN. A result below 1e-300 is returned as 0.
func ErlangB(c int, a float64) float64 {
	switch {
	case c < 0 || math.IsNaN(a) || a < 0:
		return math.NaN()
	case c == 0:
		return 1
	case a == 0:
		return 0
	case math.IsInf(a, 1):
		return 1
	}
	k0, r := erlangStart(c, a)
	for k := k0 + 1; k <= c; k++ {
		r = 1 + float64(k)/a*r
		if r > 1e300 {
			return 0 // B < 1e-300 here, and falls from here on
		}
	}
	return 1 / r
}

// erlangStart picks where the 1/B recursion for B(c, a) starts and the value
// of 1/B there: k = 0 exactly, or a k below both c and a from which the
// contraction factors k/(a+1) multiply to less than 1e-18.
func erlangStart(c int, a float64) (int, float64) {
	top := c
	if a < float64(c) {
		top = int(a)
	}
	prod := 1.0
	for k := top; k >= 1; k-- {
		prod *= float64(k) / (a + 1)
		if prod < 1e-18 {
			k0 := k - 1
			if k0 == 0 {
				return 0, 1
			}
			// B(k0, a) ≈ 1 − k0/a when a − k0 is many √a; any start within a
			// bounded factor is forgotten by the contraction.
			return k0, 1 / (1 - float64(k0)/a)
		}
	}
	return 0, 1
}

// ErlangC is the probability that a job has to wait in an M/M/c queue: c
// boxes, random arrivals, exponential latency with mean Latency, an
// unbounded first-come-first-served queue, offered load a erlangs. Erlang's
// delay formula (1917), written with B = ErlangB(c, a):
//
//	C(c, a) = c·B / (c − a + a·B)     for a < c
//
// and 1 when a ≥ c (the queue grows without bound, every job waits).
// C(c, a) ≥ B(c, a) always. ErlangC(2, 1) = 1/3.
func ErlangC(c int, a float64) float64 {
	switch {
	case c < 0 || math.IsNaN(a) || a < 0:
		return math.NaN()
	case a >= float64(c):
		return 1
	case a == 0:
		return 0
	}
	b := ErlangB(c, a)
	cf := float64(c)
	return cf * b / (cf - a + a*b)
}

// MM1MeanWait is the mean time a job waits in an M/M/1 queue before its box
// starts it, in units of the mean latency L (multiply by L for seconds):
// ρ/(1 − ρ), ρ = JobRate × L. +Inf when ρ ≥ 1.
func MM1MeanWait(rho float64) float64 {
	if rho >= 1 {
		return math.Inf(1)
	}
	return rho / (1 - rho)
}

// MD1MeanWait is the Pollaczek–Khinchine mean wait of an M/D/1 queue (one
// box, random arrivals, every job takes exactly L), in units of L:
//
//	W = λ·E[S²] / (2(1 − ρ)) = ρ·L / (2(1 − ρ)),   ρ = λ·L,
//
// exactly half the M/M/1 wait at the same load. +Inf when ρ ≥ 1.
func MD1MeanWait(rho float64) float64 {
	if rho >= 1 {
		return math.Inf(1)
	}
	return rho / (2 * (1 - rho))
}

// MMcMeanWait is the mean wait in an M/M/c queue, in units of the mean
// latency L: C(c, a)/(c − a), since a waiting job waits an exponential time
// with rate (c − a)/L. +Inf when a ≥ c.
func MMcMeanWait(c int, a float64) float64 {
	switch {
	case c < 0 || math.IsNaN(a) || a < 0:
		return math.NaN()
	case a == 0:
		return 0
	case a >= float64(c):
		return math.Inf(1)
	}
	return ErlangC(c, a) / (float64(c) - a)
}

// MMcWaitOver is P(W > x·L) in an M/M/c queue with offered load a erlangs,
// x in units of the mean latency L: with all boxes busy, jobs start at rate
// c/L, so the wait of a job that waits is exponential with rate (c − a)/L:
//
//	P(W > x·L) = C(c, a) · exp(−(c − a)·x),   x ≥ 0, a < c.
//
// It is 1 when a ≥ c.
func MMcWaitOver(c int, a, x float64) float64 {
	if a >= float64(c) {
		return 1
	}
	return ErlangC(c, a) * math.Exp(-(float64(c)-a)*x)
}
