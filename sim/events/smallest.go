package events

// replaceSmallest is replaceSmallestGo, or its assembly where the processor
// has AVX2 (smallest_amd64.go): one call either way.
var replaceSmallest = replaceSmallestGo

// replaceSmallestGo takes v[0] out of the ascending times v (bits of
// non-negative float64s, which order as their values), puts k ≥ v[0] in,
// and returns the new v[0]. It is branch-free: slot i takes the median of
// the old v[i], k and v[i+1], that is min(max(v[i], k), v[i+1]) (v[i+1]
// when it is below k, v[i] when that is not, else k), and the last slot
// max(v[c−1], k); each slot reads only old values, so the slots do not
// wait on each other, and the new minimum, min(k, v[1]), is known before
// any is written.
//
// It is never inlined: inside the engine's loop, which holds many values,
// the compiler keeps the loop's index and bounds on the stack (measured:
// BenchmarkEventsLimit's M/M/10, 3% slower inline).
//
//go:noinline
func replaceSmallestGo(v []uint64, k uint64) uint64 {
	last := len(v) - 1
	if last < 0 { // no slot (never asked)
		return k
	}
	if last == 0 {
		v[0] = k
		return k
	}
	m := min(k, v[1])
	cur := v[1]
	v[0] = m
	for i := 1; i < last; i++ {
		next := v[i+1]
		v[i] = min(max(cur, k), next)
		cur = next
	}
	v[last] = max(cur, k)
	return m
}
