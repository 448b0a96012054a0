package events

import (
	"math"
	"math/bits"
)

// radixHeap holds the free times of the boxes when latencies are random: a
// monotone priority queue (Ahuja, Mehlhorn, Orlin and Tarjan, "Faster
// algorithms for the shortest path problem", JACM 37, 1990). It needs every
// time pushed to be at least the last minimum taken, which dispatch
// guarantees (a job starting at the earliest free time s frees its box at
// s + latency ≥ s); fleet changes rebuild it. Times are non-negative
// float64s, whose bits order as their values. Bucket b holds the times whose
// highest bit differing from the last minimum is bit b − 1 (bucket 0: equal
// to it); a push is O(1), and taking the minimum moves each time to a lower
// bucket at most 63 times in all, so a dispatch costs O(1) amortized where
// a binary heap pays O(log boxes).
//
// A fleet of at most smallFleet boxes keeps its free times in a sorted
// array instead: the minimum is the first, and a dispatch moves down the
// few times below the new one (at ten boxes, a handful of moves where the
// buckets redistribute several times at every minimum).
type radixHeap struct {
	last    uint64 // bits of the last minimum taken
	mask    uint64 // bit b set when bucket b holds times
	n       int
	buckets [64][]uint64
	small   []uint64 // the times, ascending, when the fleet is small (n ≤ smallFleet)
	isSmall bool
	// exact (tests) turns takeAtMost off: every job takes the earliest
	// free time; took counts the times takeAtMost found one.
	exact bool
	took  int64
}

// smallFleet is the most boxes whose free times are scanned, not bucketed.
const smallFleet = 32

// push adds a free time, at least the last minimum taken.
func (h *radixHeap) push(t float64) { h.pushBits(math.Float64bits(t)) }

// pushBits is push for a time's bits.
func (h *radixHeap) pushBits(k uint64) {
	b := bits.Len64(k ^ h.last)
	h.buckets[b] = append(h.buckets[b], k)
	h.mask |= 1 << b
	h.n++
}

// min is the earliest free time; there is one.
func (h *radixHeap) min() float64 {
	if h.isSmall {
		return math.Float64frombits(h.small[0])
	}
	if h.mask&1 == 0 {
		i := bits.TrailingZeros64(h.mask)
		items := h.buckets[i]
		m := items[0]
		for _, k := range items[1:] {
			m = min(m, k)
		}
		h.last = m
		h.buckets[i] = items[:0]
		h.mask &^= 1 << i
		for _, k := range items {
			b := bits.Len64(k ^ m) // below i: k and m agree above bit i − 1
			h.buckets[b] = append(h.buckets[b], k)
			h.mask |= 1 << b
		}
	}
	return math.Float64frombits(h.last)
}

// replaceMin takes the earliest free time (min must have been called since
// the last change) and pushes t in its place.
func (h *radixHeap) replaceMin(t float64) {
	if h.isSmall {
		replaceSmallest(h.small, math.Float64bits(t))
		return
	}
	b0 := h.buckets[0]
	h.buckets[0] = b0[:len(b0)-1]
	if len(b0) == 1 {
		h.mask &^= 1
	}
	h.n--
	h.push(t)
}

// takeAtMost replaces a free time of at most x by t ≥ x when it can find
// one without ordering the times, and reports whether it did: it takes
// from the lowest bucket that holds times when all of them are at most x
// (bucket i's agree with the last minimum above bit i − 1, so none is
// above last | (2ⁱ − 1)). Which one it takes does not matter to a job
// that arrives at x and finds a box free: it starts at x on any box free
// by then, and such boxes are alike from then on (every later job and
// every count sees them as free), so the times above x and the number at
// or below it are those taking the earliest would leave. At a large
// fleet with boxes idle, that spares the buckets' redistribution, which
// ordering idle boxes' old free times would cost.
func (h *radixHeap) takeAtMost(x, t uint64) bool {
	if h.isSmall || h.exact || h.mask == 0 {
		return false
	}
	i := bits.TrailingZeros64(h.mask)
	if h.last|(1<<i-1) > x {
		return false
	}
	items := h.buckets[i]
	h.buckets[i] = items[:len(items)-1]
	if len(items) == 1 {
		h.mask &^= 1 << i
	}
	h.n--
	h.pushBits(t)
	h.took++
	return true
}

// each calls f with every free time, in no order.
func (h *radixHeap) each(f func(t float64)) {
	if h.isSmall {
		for _, k := range h.small {
			f(math.Float64frombits(k))
		}
		return
	}
	for m := h.mask; m != 0; m &= m - 1 {
		for _, k := range h.buckets[bits.TrailingZeros64(m)] {
			f(math.Float64frombits(k))
		}
	}
}

// values appends every free time to v.
func (h *radixHeap) values(v []float64) []float64 {
	h.each(func(t float64) { v = append(v, t) })
	return v
}

// reset empties the heap and makes ts (ascending) its times.
func (h *radixHeap) reset(ts []float64) {
	for m := h.mask; m != 0; m &= m - 1 {
		b := bits.TrailingZeros64(m)
		h.buckets[b] = h.buckets[b][:0]
	}
	h.mask, h.n, h.last = 0, 0, 0
	h.isSmall = len(ts) <= smallFleet
	if h.isSmall {
		h.small = h.small[:0]
		for _, t := range ts {
			h.small = append(h.small, math.Float64bits(t))
		}
		h.n = len(ts)
		return
	}
	if len(ts) > 0 {
		h.last = math.Float64bits(ts[0])
	}
	for _, t := range ts {
		h.push(t)
	}
}
