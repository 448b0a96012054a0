package queueing

import "math"

// MMcDTimeout is the probability that a job times out in an M/M/c+D queue:
// c boxes, random arrivals, exponential latency with mean L, offered load
// a = λL erlangs, and a fixed deadline of d·L in the queue: a job that has
// not started within the deadline leaves unserved, and stops holding its
// place. Unlike the plain queue, it is stable at any load.
//
// The offered wait V (what a job arriving now would wait) is a Markov
// process: it falls at rate 1 while positive and, when a job joins with
// V < d, jumps by an exponential amount with rate c/L (the time until the
// next of c busy boxes frees). Level crossing gives its density for x > 0,
// in units of L,
//
//	v(x) = a·p_{c−1}·e^{(a−c)x}   for x < d,   v(x) = v(d)·e^{−c(x−d)} for x > d,
//
// with p_j ∝ a^j/j! for j < c boxes busy. A job times out exactly when
// V > d (PASTA). With B = ErlangB(c−1, a) and
// J = ∫_0^∞ exp(a·min(x, d) − c·x) dx = (e^{(a−c)d} − 1)/(a − c) + e^{(a−c)d}/c,
//
//	P(wait)    = a·B·J / (1 + a·B·J)
//	P(timeout) = a·B·e^{(a−c)d}/c / (1 + a·B·J)
//
// (Baccelli & Hébuterne 1981; Zeltyn & Mandelbaum, "Call centers with
// impatient customers", Queueing Systems 51, 2005, with deterministic
// patience). At d = 0 every job that would wait leaves and P(timeout) is
// Erlang B; as d grows it falls to 0 when a < c.
func MMcDTimeout(c int, a, d float64) float64 {
	switch {
	case c < 0 || math.IsNaN(a) || a < 0 || math.IsNaN(d) || d < 0:
		return math.NaN()
	case a == 0:
		return 0
	case c == 0:
		return 1
	case math.IsInf(d, 1):
		if a < float64(c) {
			return 0
		}
		return 1 - float64(c)/a // the queue sheds exactly the excess load
	}
	cf := float64(c)
	b := ErlangB(c-1, a)
	beta := a - cf
	bd := beta * d
	if bd > 0 {
		// Divide through by e^{βd}, which may overflow.
		e := math.Exp(-bd)
		return (a * b / cf) / (e + a*b*(-math.Expm1(-bd)/beta+1/cf))
	}
	var j float64
	if beta == 0 {
		j = d + 1/cf
	} else {
		j = math.Expm1(bd)/beta + math.Exp(bd)/cf
	}
	return a * b * math.Exp(bd) / cf / (1 + a*b*j)
}
