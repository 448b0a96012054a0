package sim

import (
	"math"
	"testing"
)

// TestBillActive bills a two-point series by hand, instances of k = 10
// boxes at $1 an instance-second and $0.5 a job:
//
//	point 1 (10 s): 3 busy, 20 ready, 10 booting: min(3, 20/10) + 10/10 = 3 instances → 30 s
//	point 2 (10 s): 0.5 busy, 10 ready, 0 booting: min(0.5, 1) = 0.5 → 5 s
//
// 35 instance-seconds and 12 jobs served: $35 + $6 = $41; the busy time
// over k is 3.5 instance-seconds, so $31.5 of it billed idle.
func TestBillActive(t *testing.T) {
	r := &Result{Jobs: Jobs{Served: 12}, Series: Series{
		Interval: 10, Time: []float64{0, 10},
		Served: []float64{1, 0.2}, Busy: []float64{3, 0.5},
		Ready: []float64{20, 10}, Booting: []float64{10, 0}, Cost: []float64{0, 0},
	}}
	BillActive(r, 1, 20, 10, 1, 0.5)
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"cost", r.Cost, 41},
		{"idle cost", r.IdleCost, 31.5},
		{"cost after point 1", r.Series.Cost[0], 30 + 0.5*10},
		{"cost after point 2", r.Series.Cost[1], 41},
	} {
		if math.Abs(c.got-c.want) > 1e-9 {
			t.Errorf("%s: %g, want %g", c.name, c.got, c.want)
		}
	}
}

// TestBillActiveShortLastPoint is TestBillActive's series in a run that
// ends at 15 s: its last point lasts 5 s, not 10, and is billed for 5:
//
//	point 1 (10 s): 3 instances → 30 s; 1 job/s served → $10 of fees
//	point 2 (5 s): 0.5 instances → 2.5 s; 0.2 job/s → $0.5 of fees
//
// 32.5 instance-seconds and 12 jobs served: $32.5 + $6 = $38.5; the busy
// time over k is 3 + 0.25 = 3.25 instance-seconds, so $29.25 billed idle.
// (Before, every point counted as 10 s: a run whose horizon is not a
// whole number of points billed more than its boxes lived, which
// FuzzEvents found.)
func TestBillActiveShortLastPoint(t *testing.T) {
	r := &Result{Jobs: Jobs{Served: 12}, Series: Series{
		Interval: 10, Time: []float64{0, 10},
		Served: []float64{1, 0.2}, Busy: []float64{3, 0.5},
		Ready: []float64{20, 10}, Booting: []float64{10, 0}, Cost: []float64{0, 0},
	}}
	BillActive(r, 1, 15, 10, 1, 0.5)
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"cost", r.Cost, 38.5},
		{"idle cost", r.IdleCost, 29.25},
		{"cost after point 1", r.Series.Cost[0], 30 + 0.5*10},
		{"cost after point 2", r.Series.Cost[1], 38.5},
	} {
		if math.Abs(c.got-c.want) > 1e-9 {
			t.Errorf("%s: %g, want %g", c.name, c.got, c.want)
		}
	}
}
