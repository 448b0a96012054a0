package sim

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/boxes-project/boxes/policy"
	"github.com/boxes-project/boxes/workload"
)

// TestFluidAndOracleIsTwoRuns checks the one-pass run against its
// definition: Fluid and OracleStats called one after the other, each
// reading the workload itself, give the same results and statistics, field
// by field (the same steps through the same operations), for a policy
// that reads windows every step (the HPA), a fixed fleet, a price and
// billing of the policy's own, a horizon that is not a whole number of
// blocks, and a boot too long for the planner to keep its steps.
func TestFluidAndOracleIsTwoRuns(t *testing.T) {
	w := workload.Noise{Curve: workload.Sum{
		workload.Daily{Mean: 60, Ratio: 4, Period: 86400, Peak: 15 * 3600},
		workload.Burst{Start: 2 * 3600, Duration: 1200, Height: 120, Every: 86400},
	}, Sigma: 0.05, Interval: 60, Seed: 1}
	hpa := func(s Setup) policy.Run {
		h := policy.DefaultHPA()
		h.Target, h.MinReplicas, h.MaxReplicas = 0.7, 2, 100
		run, err := h.Start(policy.Env{Latency: 0.2, Step: s.Step.Seconds(), Boot: s.Boot.Seconds(), Horizon: s.Horizon.Seconds(), Start: s.Start, InitialRate: 30})
		if err != nil {
			t.Fatal(err)
		}
		return run
	}
	fixed := func(Setup) policy.Run { return fixedRun(15) }
	long := DefaultSetup()
	long.Horizon, long.Step, long.Boot = 2*time.Hour, 10*time.Millisecond, 50*time.Minute // 300,000 steps of boot
	cheap := DefaultSetup()
	cheap.Box.Price.Amount /= 3
	cheap.Billing = PerHour()
	for _, tc := range []struct {
		name  string
		s, os Setup
		run   func(Setup) policy.Run
	}{
		{"hpa, a day", DefaultSetup(), DefaultSetup(), hpa},
		{"fixed, a day", DefaultSetup(), DefaultSetup(), fixed},
		{"own price and billing", cheap, DefaultSetup(), hpa},
		{"boot longer than the planner keeps", long, long, fixed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			r, o, st, err := FluidAndOracle(ctx, tc.s, w, tc.run(tc.s), tc.os, 0.9)
			if err != nil {
				t.Fatal(err)
			}
			wantR, err := Fluid(ctx, tc.s, w, tc.run(tc.s))
			if err != nil {
				t.Fatal(err)
			}
			wantO, wantSt, err := OracleStats(ctx, tc.os, w, 0.9)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(r, wantR) {
				t.Errorf("policy's run differs:\n got %+v\nwant %+v", r, wantR)
			}
			if !reflect.DeepEqual(o, wantO) {
				t.Errorf("oracle's run differs:\n got %+v\nwant %+v", o, wantO)
			}
			if st != wantSt {
				t.Errorf("stats %+v, want %+v", st, wantSt)
			}
			if r.Cost == o.Cost || o.Jobs.Arrived == 0 {
				t.Errorf("the runs look alike (cost %g and %g) or empty: the test tests nothing", r.Cost, o.Cost)
			}
		})
	}
}
