package queueing

import (
	"fmt"
	"math"
)

// WaitQuantile is the p-quantile of the wait in the plain queue: the least
// t ≥ 0 with P(W > t) ≤ 1 − p, for p in (0, 1). It is 0 when fewer than a
// share 1 − p of the jobs wait at all, and +Inf when the queue is unstable
// (jobs arrive faster than the boxes serve them). With no queue no job
// waits, so it is 0.
//
// For exponential latency it is the closed form of the M/M/c tail
// P(W > t) = C(c, a)·exp(−(c − a)t/L): t = L·ln(C/(1 − p))/(c − a). For
// fixed latency it inverts the exact M/D/c tail (MDcWaitOver) to a relative
// 1e-6, and returns ErrTooLarge where that tail does.
func (s System) WaitQuantile(p float64) (float64, error) {
	if !(p > 0 && p < 1) {
		return math.NaN(), fmt.Errorf("queueing: wait percentile %g must be in (0, 1)", p)
	}
	if err := s.Validate(); err != nil {
		return math.NaN(), err
	}
	if s.Queue == NoQueue {
		return 0, nil
	}
	if !s.Stable() {
		return math.Inf(1), nil
	}
	tail := 1 - p
	a, c := s.OfferedLoad(), s.Boxes
	if s.Service == Exponential {
		pw := ErlangC(c, a)
		if pw <= tail {
			return 0, nil
		}
		return s.Latency * math.Log(pw/tail) / (float64(c) - a), nil
	}
	// Work in latencies, on g(x) = ln P(W > x) − ln(1 − p): it falls as x
	// grows, and nearly as a straight line past the first latency (the
	// tail is dominated by one exponential, see mdcLundberg), so regula
	// falsi with the Illinois modification needs few of the exact
	// evaluations, which cost a transform each.
	g := func(x float64) (float64, error) {
		v, err := MDcWaitOver(c, a, x)
		if err != nil {
			return math.NaN(), err
		}
		return math.Log(math.Max(v, math.SmallestNonzeroFloat64)) - math.Log(tail), nil
	}
	lo, glo := 0.0, 0.0
	if v, err := g(0); err != nil {
		return math.NaN(), err
	} else if v <= 0 {
		return 0, nil
	} else {
		glo = v
	}
	// Bracket: P(W > hi) ≤ 1 − p.
	hi, ghi := 1.0, 0.0
	for {
		v, err := g(hi)
		if err != nil {
			return math.NaN(), err
		}
		if v <= 0 {
			ghi = v
			break
		}
		lo, glo, hi = hi, v, 2*hi
		if hi > 1e12 {
			return math.NaN(), fmt.Errorf("queueing: the %g wait quantile is past 1e12 latencies", p)
		}
	}
	side := 0
	for i := 0; i < 200 && hi-lo > 1e-6*hi; i++ {
		x := (lo*ghi - hi*glo) / (ghi - glo)
		if !(x > lo && x < hi) {
			x = (lo + hi) / 2
		}
		v, err := g(x)
		if err != nil {
			return math.NaN(), err
		}
		if v <= 0 {
			hi, ghi = x, v
			if side == -1 {
				glo /= 2
			}
			side = -1
		} else {
			lo, glo = x, v
			if side == 1 {
				ghi /= 2
			}
			side = 1
		}
	}
	return hi * s.Latency, nil
}
