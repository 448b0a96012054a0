package engine

import (
	"context"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/boxes-project/boxes/policy"
	"github.com/boxes-project/boxes/policy/hpa"
	"github.com/boxes-project/boxes/sim"
	"github.com/boxes-project/boxes/sim/internal/simtest"
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
	hpa := func(s sim.Setup) policy.Run {
		h := hpa.DefaultHPA()
		h.Target, h.MinReplicas, h.MaxReplicas = 0.7, 2, 100
		run, err := h.Start(policy.Env{Latency: 0.2, Step: s.Step.Seconds(), Boot: s.Boot.Seconds(), Horizon: s.Horizon.Seconds(), Start: s.Start, InitialRate: 30})
		if err != nil {
			t.Fatal(err)
		}
		return run
	}
	fixed := func(sim.Setup) policy.Run { return simtest.FixedRun(15) }
	long := simtest.DefaultSetup()
	long.Horizon, long.Step, long.Boot = 2*time.Hour, 10*time.Millisecond, 50*time.Minute // 300,000 steps of boot
	cheap := simtest.DefaultSetup()
	cheap.Box.Price.Amount /= 3
	cheap.Billing = sim.PerHour()
	for _, tc := range []struct {
		name  string
		s, os sim.Setup
		run   func(sim.Setup) policy.Run
	}{
		{"hpa, a day", simtest.DefaultSetup(), simtest.DefaultSetup(), hpa},
		{"fixed, a day", simtest.DefaultSetup(), simtest.DefaultSetup(), fixed},
		{"own price and billing", cheap, simtest.DefaultSetup(), hpa},
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

// TestOracleCapacityRanges checks the planner's shortcut against its
// definition: the range of a step's jobs that rangeOf gives for w boxes
// is exact (its ends need w boxes, the floats just outside need fewer and
// more), and capacity, which answers from the ranges, agrees with
// capacityOf on every step of a noisy day, for steps and targets that are
// and are not 1.
func TestOracleCapacityRanges(t *testing.T) {
	w := workload.Noise{Curve: workload.Daily{Mean: 60, Ratio: 4, Period: 86400}, Sigma: 0.2, Interval: 7, Seed: 3}
	for _, tc := range []struct {
		step    time.Duration
		latency time.Duration
		target  float64
	}{
		{time.Second, 200 * time.Millisecond, 1},
		{time.Second, 300 * time.Millisecond, 0.7},
		{250 * time.Millisecond, 1700 * time.Millisecond, 0.9},
		{10 * time.Second, 3 * time.Millisecond, 1},
	} {
		s := simtest.DefaultSetup()
		s.Step, s.Box.Latency = tc.step, tc.latency
		o := newOracleStream(context.Background(), s, w, tc.target)
		for want := range 40 {
			lo, hi, ok := o.rangeOf(want)
			if !ok {
				t.Fatalf("%+v: no range for %d boxes", tc, want)
			}
			if want > 0 {
				if got := o.capacityOf(lo); got != want {
					t.Errorf("%+v: capacityOf(lo=%v) = %d, want %d", tc, lo, got, want)
				}
				if got := o.capacityOf(math.Nextafter(lo, -1)); got >= want {
					t.Errorf("%+v: capacityOf(below lo=%v) = %d, want < %d", tc, lo, got, want)
				}
			}
			if got := o.capacityOf(hi); got != want {
				t.Errorf("%+v: capacityOf(hi=%v) = %d, want %d", tc, hi, got, want)
			}
			if got := o.capacityOf(math.Nextafter(hi, math.Inf(1))); got <= want {
				t.Errorf("%+v: capacityOf(above hi=%v) = %d, want > %d", tc, hi, got, want)
			}
		}
		sampler := workload.NewSampler(w, 0, tc.step.Seconds())
		steps := make([]float64, 86400)
		sampler.Next(steps)
		for k, a := range steps {
			if got, want := o.capacity(a), o.capacityOf(a); got != want {
				t.Fatalf("%+v: step %d (%v jobs): capacity %d, capacityOf %d", tc, k, a, got, want)
			}
		}
	}
}

// plainPlan is the oracle's planner under another type, so that its run
// keeps the history's sums (serve rather than serveQuiet).
type plainPlan struct{ *oracleStream }

// TestOracleQuietServe checks that the oracle's replay, which skips the
// history's sums its planner never reads (serveQuiet), gives what the
// engine's usual serve gives on the same schedule, field by field.
func TestOracleQuietServe(t *testing.T) {
	w := workload.Noise{Curve: workload.Sum{
		workload.Daily{Mean: 60, Ratio: 4, Period: 86400, Peak: 15 * 3600},
		workload.Burst{Start: 2 * 3600, Duration: 1200, Height: 120, Every: 86400},
	}, Sigma: 0.05, Interval: 60, Seed: 1}
	ctx := context.Background()
	for _, target := range []float64{1, 0.8} {
		s := simtest.DefaultSetup()
		got, err := Oracle(ctx, s, w, target)
		if err != nil {
			t.Fatal(err)
		}
		plan := newOracleStream(ctx, s, w, target)
		want, err := fluidRun(ctx, s, plan, policy.Run{Policy: plainPlan{plan}, Initial: plan.at(0)}, 2)
		if err != nil {
			t.Fatal(err)
		}
		want.Engine, want.OracleCost = "oracle", want.Cost
		if !reflect.DeepEqual(got, want) {
			t.Errorf("target %g: quiet serve\n %+v\nserve\n %+v", target, got, want)
		}
	}
}
