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
}

// smallFleet is the most boxes whose free times are scanned, not bucketed.
const smallFleet = 32

// push adds a free time, at least the last minimum taken.
func (h *radixHeap) push(t float64) {
	k := math.Float64bits(t)
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
