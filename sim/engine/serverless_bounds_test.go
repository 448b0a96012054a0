package engine

import "testing"

// TestSlidingMaxGrows: the serverless keep-alive window of a month at
// 1 ns is 2.6×10¹⁵ steps; its deque starts small and grows with the values
// it holds, and still gives the window's maximum (checked against a scan).
func TestSlidingMaxGrows(t *testing.T) {
	for _, w := range []int{1, 3, 100, 1 << 62} {
		s := newSlidingMax(w)
		var vals []int
		for k := range 1000 {
			v := (k * 7919) % 1013
			if k > 500 {
				v = 1000 - k // falling: the deque holds them all
			}
			want := 0
			for j := max(0, k-w); j < k; j++ {
				want = max(want, vals[j])
			}
			if got := s.max(k); got != want {
				t.Fatalf("w %d, step %d: max %d, want %d", w, k, got, want)
			}
			s.push(k, v)
			vals = append(vals, v)
		}
	}
}
