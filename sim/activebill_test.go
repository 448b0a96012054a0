package sim

import (
	"math"
	"testing"
)

// TestBillActive bills a two-point series by hand, instances of k = 10
// boxes at $1 an instance-second and $0.5 a job, in a run of 20 s:
//
//	point 1 (10 s): 3 busy, 20 ready, 10 booting: min(3, 20/10) + 10/10 = 3 instances → 30 s
//	point 2 (10 s): 0.5 busy, 10 ready, 0 booting: min(0.5, 1) = 0.5 → 5 s
//
// 35 instance-seconds and 12 jobs served: $35 + $6 = $41; the busy time
// over k is 3.5 instance-seconds, so $31.5 of it billed idle.
//
// In a run of 15 s the last point lasts 5 s, not 10, and is billed for 5:
// 0.5 instances → 2.5 s, and 0.2 jobs/s → $0.5 of fees: 32.5
// instance-seconds, $32.5 + $6 = $38.5, busy 3 + 0.25 = 3.25, so $29.25
// billed idle. (Every point used to count as 10 s: a run whose horizon is
// not a whole number of points billed more than its boxes lived, which
// FuzzEvents found.)
func TestBillActive(t *testing.T) {
	for _, c := range []struct {
		horizon, cost, idle float64
	}{{20, 41, 31.5}, {15, 38.5, 29.25}} {
		r := &Result{Jobs: Jobs{Served: 12}, Series: Series{
			Interval: 10, Time: []float64{0, 10},
			Served: []float64{1, 0.2}, Busy: []float64{3, 0.5},
			Ready: []float64{20, 10}, Booting: []float64{10, 0}, Cost: []float64{0, 0},
		}}
		BillActive(r, 1, c.horizon, 10, 1, 0.5)
		for _, v := range []struct {
			name      string
			got, want float64
		}{
			{"cost", r.Cost, c.cost},
			{"idle cost", r.IdleCost, c.idle},
			{"cost after point 1", r.Series.Cost[0], 30 + 0.5*10},
			{"cost after point 2", r.Series.Cost[1], c.cost},
		} {
			if math.Abs(v.got-v.want) > 1e-9 {
				t.Errorf("a run of %g s: %s %g, want %g", c.horizon, v.name, v.got, v.want)
			}
		}
	}
}
