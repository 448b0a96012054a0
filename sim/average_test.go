package sim

import (
	"math"
	"reflect"
	"testing"
)

// TestAverageSeriesKeepsEveryColumn: the series averaged over replications
// has every column a single run has, the wait percentiles included (issue
// 9); a point where no job started in some runs averages the others.
func TestAverageSeriesKeepsEveryColumn(t *testing.T) {
	nan := math.NaN()
	run := func(x, w float64) *Result {
		col := []float64{x, x}
		return &Result{Series: Series{Interval: 1, Time: []float64{0, 1},
			JobRate: col, Served: col, Missed: col, Ready: col, Booting: col, Utilization: col, Cost: col, Busy: col, Queued: col,
			WaitP50: []float64{w, nan}, WaitP95: []float64{w, nan}, WaitP99: []float64{w, w}}}
	}
	got := averageSeries([]*Result{run(1, 1), run(3, nan)})
	v := reflect.ValueOf(got)
	for i := range v.NumField() {
		f := v.Type().Field(i)
		if f.Type.Kind() == reflect.Slice && v.Field(i).IsNil() {
			t.Errorf("the averaged series has no %s", f.Name)
		}
	}
	if got.JobRate[0] != 2 || got.WaitP50[0] != 1 || !math.IsNaN(got.WaitP50[1]) || got.WaitP99[1] != 1 {
		t.Errorf("averaged %+v", got)
	}
}
