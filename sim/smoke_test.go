package sim

import (
	"context"
	"testing"

	"github.com/boxes-project/boxes/policy"
	"github.com/boxes-project/boxes/workload"
)

func TestSmoke(t *testing.T) {
	s := DefaultSetup()
	r, err := Fluid(context.Background(), s, workload.Constant(40), policy.Run{Policy: policy.Func(func(o *policy.Observation) int { return 10 }), Initial: 10})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v", r.Jobs)
	t.Logf("util %+v cost %v idle %v boxh %v busy %v over %v", r.Utilization, r.Cost, r.IdleCost, r.BoxHours, r.BusyFraction, r.SecondsOverCapacity)
	t.Logf("series len %d interval %v first %v %v %v %v", r.Series.Len(), r.Series.Interval, r.Series.JobRate[0], r.Series.Ready[0], r.Series.Utilization[0], r.Series.Cost[len(r.Series.Cost)-1])
}

func TestSmokeOracleServerless(t *testing.T) {
	s := DefaultSetup()
	w := workload.Sum{workload.Daily{Mean: 50, Ratio: 4, Period: 86400, Peak: 14 * 3600}, workload.Burst{Start: 12 * 3600, Duration: 900, Height: 150}}
	r, err := Oracle(context.Background(), s, w, 1)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("oracle %+v util %+v cost %v idle %v boxh %v starts %d peak %d", r.Jobs, r.Utilization, r.Cost, r.IdleCost, r.BoxHours, r.BoxStarts, r.PeakBoxes)
	r, err = Serverless(context.Background(), s, w, policy.DefaultServerless())
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("serverless %+v util %+v cost %v idle %v boxh %v starts %d peak %d", r.Jobs, r.Utilization, r.Cost, r.IdleCost, r.BoxHours, r.BoxStarts, r.PeakBoxes)
}
