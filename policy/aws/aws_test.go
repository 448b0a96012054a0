package aws

import (
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/boxes-project/boxes/policy"
	"github.com/boxes-project/boxes/policy/internal/policytest"

	"github.com/boxes-project/boxes"
)

// Sources cited below (see aws.go for the full list):
//
//	[tt]   Application Auto Scaling User Guide, target tracking
//	[ttc]  Application Auto Scaling API, TargetTrackingScalingPolicyConfiguration
//	[round] EC2 Auto Scaling User Guide, as-scaling-simple-step.md, "Scaling adjustment
//	       types": values above 1 round down (12.7 → 12), between 0 and 1 become 1,
//	       between 0 and −1 become −1, below −1 round up (−6.67 → −6)
//	[cool] EC2 Auto Scaling User Guide, Cooldown.md (simple scaling waits for the cooldown)
//	[alarm] the target tracking alarm shapes: 3 of 3 above target, 15 of 15 below
//	       0.9 × target (public describe-alarms output; see aws.go)

// cpuLoad is a constant-rate load that steps to hi at from and back at to.
func cpuLoad(lo, hi, from, to float64) func(float64) float64 {
	return func(t float64) float64 {
		if t >= from && t < to {
			return hi
		}
		return lo
	}
}

// TestTargetTrackingStep: CPU target 50%, 60 s datapoints published 60 s
// late (datapoint k covers [60k, 60k+60) and is seen at 60k + 120), jobs of
// 1 s, boxes ready at once. Load 2 jobs/s, 20 from 600 s, 2 again from
// 3000 s. Derivation from [alarm] and [tt]'s proportional scale-out:
//
//	start: ceil(2 × 1 × 100 / 50) = 4 boxes at 50% (not above 50: no alarm)
//	840:  datapoints 10, 11, 12 ([600, 780)) all 100% → ceil(4 × 100/50) = 8
//	900:  datapoint 13 was on 4 boxes: proposal 8, no change
//	960:  datapoint 14 on 8 boxes, still 100% → 16
//	1080: datapoint 16 on 16 boxes, 100% → 32
//	1200: datapoint 18 on 32 boxes, 20/32 = 62.5% → ceil(32 × 1.25) = 40
//	1320: datapoint 20 on 40 boxes is 50%: no alarm; stays 40
//	3960: datapoints 50..64 ([3000, 3900)) all 2/40 = 5% < 45 → ceil(40 × 5/50) = 4
func TestTargetTrackingStep(t *testing.T) {
	c := DefaultTargetTracking()
	run, err := c.Start(policy.Env{Latency: 1, InitialRate: 2})
	if err != nil {
		t.Fatal(err)
	}
	if run.Initial != 4 || run.Period != 60 {
		t.Fatalf("initial %d period %g, want 4 and 60", run.Initial, run.Period)
	}
	w := &policytest.World{Latency: 1, Rate: cpuLoad(2, 20, 600, 3000)}
	policytest.CheckTrajectory(t, w.Run(run.Policy, run.Initial, run.Period, 4500),
		[][2]float64{{0, 4}, {840, 8}, {960, 16}, {1080, 32}, {1200, 40}, {3960, 4}})

	// DisableScaleIn keeps the 40 through the quiet period [ttc].
	c.DisableScaleIn = true
	run, _ = c.Start(policy.Env{Latency: 1, InitialRate: 2})
	w = &policytest.World{Latency: 1, Rate: cpuLoad(2, 20, 600, 3000)}
	policytest.CheckTrajectory(t, w.Run(run.Policy, run.Initial, run.Period, 4500),
		[][2]float64{{0, 4}, {840, 8}, {960, 16}, {1080, 32}, {1200, 40}})
}

// TestTargetTrackingScaleInCooldown: one datapoint to scale in, no
// publication delay (datapoint k seen at 60k + 60), scale-in cooldown
// 300 s. 40 boxes at 20 jobs/s (50%), then 10 jobs/s from 3000 s and 2 from
// 3120 s:
//
//	3060: datapoint 50 ([3000, 3060)) 10/40 = 25% → ceil(40 × 25/50) = 20
//	3120: datapoint 51 on 20 boxes: 50%, no alarm
//	3180: datapoint 52 ([3120, 3180)) 2/20 = 10% → 4, but within the
//	      cooldown (until 3360): blocked [ttc ScaleInCooldown]
//	3360: cooldown over, datapoint 55 10% → ceil(20 × 10/50) = 4
func TestTargetTrackingScaleInCooldown(t *testing.T) {
	c := DefaultTargetTracking()
	c.PublicationDelay = 0
	c.ScaleInDatapoints = 1
	run, err := c.Start(policy.Env{Latency: 1, InitialRate: 20})
	if err != nil {
		t.Fatal(err)
	}
	rate := func(t float64) float64 {
		switch {
		case t >= 3120:
			return 2
		case t >= 3000:
			return 10
		}
		return 20
	}
	w := &policytest.World{Latency: 1, Rate: rate}
	policytest.CheckTrajectory(t, w.Run(run.Policy, run.Initial, run.Period, 3600),
		[][2]float64{{0, 40}, {3060, 20}, {3360, 4}})
}

// TestTargetTrackingRequestsPerTarget: ALBRequestCountPerTarget, target
// 600 requests per target per minute (10/s), a burst of 100 jobs/s from
// 300 s to 540 s over a base of 10 jobs/s, no delay:
//
//	start: ceil(10 × 60 / 600) = 1 box
//	480:  datapoints 5, 6, 7 ([300, 480)) all 6,000 per target → ceil(1 × 6000/600) = 10
//	the burst ends at 540; datapoint 9 ([540, 600)) reads 60 per target
//	on 10 boxes; 15 such datapoints (9..23) end at 1440 → ceil(10 × 60/600) = 1
func TestTargetTrackingRequestsPerTarget(t *testing.T) {
	c := DefaultTargetTracking()
	c.Metric, c.Target, c.PublicationDelay = AWSRequestsPerTarget, 600, 0
	run, err := c.Start(policy.Env{Latency: 0.05, InitialRate: 10})
	if err != nil {
		t.Fatal(err)
	}
	w := &policytest.World{Latency: 0.05, Rate: cpuLoad(10, 100, 300, 540)}
	policytest.CheckTrajectory(t, w.Run(run.Policy, run.Initial, run.Period, 1600),
		[][2]float64{{0, 1}, {480, 10}, {1440, 1}})
}

// TestAdjustRounding checks PercentChangeInCapacity rounding [round].
func TestAdjustRounding(t *testing.T) {
	for _, tt := range []struct {
		c, adj, mag, want int
	}{
		{10, 127, 0, 22},  // +12.7 rounds down to +12 (the guide's example)
		{100, -67, 0, 33}, // −67: d = −67 exactly
		{3, -222, 0, -3},  // −6.66 rounds up to −6 (the guide's −6.67 → −6)
		{10, 15, 0, 11},   // +1.5 → +1
		{10, 5, 0, 11},    // +0.5 → +1
		{10, -5, 0, 9},    // −0.5 → −1
		{10, -15, 0, 9},   // −1.5 → −1
		{10, -25, 0, 8},   // −2.5 → −2
		{10, 15, 2, 12},   // +1 raised to MinAdjustmentMagnitude 2
		{10, -15, 3, 7},   // −1 raised to −3
		{200, 25, 0, 250}, // +50
	} {
		if got := adjust(tt.c, PercentChangeInCapacity, tt.adj, tt.mag); got != tt.want {
			t.Errorf("adjust(%d, %d%%, min %d) = %d, want %d", tt.c, tt.adj, tt.mag, got, tt.want)
		}
	}
	if got := adjust(5, ExactCapacity, 9, 0); got != 9 {
		t.Errorf("ExactCapacity 9 = %d", got)
	}
	if got := adjust(5, ChangeInCapacity, -2, 0); got != 3 {
		t.Errorf("ChangeInCapacity −2 = %d", got)
	}
}

// TestStepScalingCooldown: CPU alarm at ≥ 60% on one datapoint, steps
// [0, 10) +1, [10, 20) +2, [20, ∞) +3, cooldown 300 s; at least 10 boxes;
// no publication delay; load 5 jobs/s of 1 s, 6.5 from 600 s, 9 from 840 s.
// The Application Auto Scaling cooldown arithmetic: within a scale-out
// cooldown a larger step adds only the difference over the capacity at the
// cooldown's start.
//
//	660:  datapoint 10 ([600, 660)) 65%: breach 5 → +1 → 11 (cooldown to 960, base 10)
//	720, 780: datapoints 11, 12 on 11 boxes: 59.1% < 60, no alarm
//	900:  datapoint 14 ([840, 900)) 9/11 = 81.8%: breach 21.8 → +3 on base 10 → 13
//	      (2 more: the difference, inside the cooldown)
//	960:  cooldown over; datapoint 15 9/13 = 69.2% → +1 on 13 → 14 (cooldown to 1260)
//	1020–1200: 9/14 = 64.3% → base 13 + 1 = 14, nothing
//	1260: cooldown over → 15
func TestStepScalingCooldown(t *testing.T) {
	c := StepScaling{Metric: AWSCPU, MinCapacity: 10, Period: time.Minute, Policies: []StepPolicy{{
		Alarm:          Alarm{Threshold: 60, Comparison: GreaterOrEqual, EvaluationPeriods: 1},
		AdjustmentType: ChangeInCapacity, Cooldown: 300 * time.Second,
		Steps: []StepAdjustment{
			{Lower: 0, Upper: 10, Unbounded: "none", Adjustment: 1},
			{Lower: 10, Upper: 20, Unbounded: "none", Adjustment: 2},
			{Lower: 20, Unbounded: "upper", Adjustment: 3},
		},
	}}}
	run, err := c.Start(policy.Env{Latency: 1})
	if err != nil {
		t.Fatal(err)
	}
	rate := func(t float64) float64 {
		switch {
		case t >= 840:
			return 9
		case t >= 600:
			return 6.5
		}
		return 5
	}
	w := &policytest.World{Latency: 1, Rate: rate}
	policytest.CheckTrajectory(t, w.Run(run.Policy, run.Initial, run.Period, 1300),
		[][2]float64{{0, 10}, {660, 11}, {900, 13}, {960, 14}, {1260, 15}})
}

// TestStepScalingIn: a scale-in policy (≤ 40% for 2 of 3 datapoints, step
// (−∞, 0] of −50%) beside a scale-out one; the largest capacity wins, and a
// scale-in waits out the cooldown. 20 boxes at 2 jobs/s (10%) from the
// start, no delay, cooldown 120 s:
//
//	120: datapoints 0, 1 below 40 (2 of 3) → −50% of 20 → 10 (cooldown to 240)
//	180: datapoint 2 ([120, 180)) on 10 boxes, 20% → −5, blocked (cooling)
//	240: datapoint 3 20% → 5 (cooldown to 360)
//	300: datapoint 4 on 5 boxes, 40%: breach 0 is in (−∞, 0], blocked (cooling)
//	360: datapoint 5 40% → −2.5 → −2 [round] → 3 (cooldown to 480)
//	420: datapoint 6 on 3 boxes, 66.7%: the alarm (4 and 5 of 4..6) is still
//	     in ALARM but the breach +26.7 is in no step: nothing
func TestStepScalingIn(t *testing.T) {
	c := StepScaling{Metric: AWSCPU, MinCapacity: 1, Period: time.Minute, Policies: []StepPolicy{
		{
			Alarm:          Alarm{Threshold: 80, Comparison: GreaterOrEqual, EvaluationPeriods: 1},
			AdjustmentType: ChangeInCapacity, Cooldown: 120 * time.Second,
			Steps: []StepAdjustment{{Unbounded: "upper", Adjustment: 1}},
		},
		{
			Alarm:          Alarm{Threshold: 40, Comparison: LessOrEqual, EvaluationPeriods: 3, DatapointsToAlarm: 2},
			AdjustmentType: PercentChangeInCapacity, Cooldown: 120 * time.Second,
			Steps: []StepAdjustment{{Upper: 0, Unbounded: "lower", Adjustment: -50}},
		},
	}}
	run, err := c.Start(policy.Env{Latency: 1})
	if err != nil {
		t.Fatal(err)
	}
	p := run.Policy.(*stepRun)
	p.desired = 20
	w := &policytest.World{Latency: 1, Rate: func(float64) float64 { return 2 }}
	policytest.CheckTrajectory(t, w.Run(p, 20, run.Period, 600),
		[][2]float64{{0, 20}, {120, 10}, {240, 5}, {360, 3}})
}

// TestSimpleScalingCooldown: CPU ≥ 70% for one datapoint adds 2 boxes;
// cooldown 300 s, counted from when the new boxes are ready (boot 60 s)
// [cool]. 5 jobs/s of 1 s on 4 boxes, no delay:
//
//	60:  datapoint 0 at 100% → 6; boxes ready at 120; cooldown to 420
//	120–360: alarms ignored
//	420: datapoint 6 ([360, 420)) 5/6 = 83% → 8; ready at 480; cooldown to 780
//	780: 5/8 = 62.5%: no alarm
func TestSimpleScalingCooldown(t *testing.T) {
	c := SimpleScaling{Metric: AWSCPU, MinCapacity: 4, Period: time.Minute, Policies: []SimplePolicy{{
		Alarm:          Alarm{Threshold: 70, Comparison: GreaterOrEqual, EvaluationPeriods: 1},
		AdjustmentType: ChangeInCapacity, Adjustment: 2, Cooldown: 300 * time.Second,
	}}}
	run, err := c.Start(policy.Env{Latency: 1, Boot: 60})
	if err != nil {
		t.Fatal(err)
	}
	w := &policytest.World{Latency: 1, Boot: 60, Rate: func(float64) float64 { return 5 }}
	policytest.CheckTrajectory(t, w.Run(run.Policy, run.Initial, run.Period, 900),
		[][2]float64{{0, 4}, {60, 6}, {420, 8}})
}

// TestPredictiveStandIn: requests per minute against 100 per target, 10
// jobs/s (600 a minute) from 10:00 to 11:00 each day and 1 job/s (60)
// otherwise, from midnight UTC. Day 1 has no history: the forecast is 0 and
// capacity stays at the minimum, 1. From the second day every hour's
// forecast is its mean of day 1: ceil(60/100) = 1, and ceil(600/100) = 6 for
// 10:00, applied 300 s early (the scheduling buffer) at 09:55 of day 2
// (t = 86400 + 35700 = 122100). Alone it never scales in: 6 stays.
// ForecastOnly never scales.
func TestPredictiveStandIn(t *testing.T) {
	c := Predictive{Metric: AWSRequestsPerTarget, Target: 100, MinCapacity: 1, Mode: "ForecastAndScale",
		SchedulingBuffer: 300 * time.Second, LookbackDays: 14, MaxCapacityBreach: "HonorMaxCapacity"}
	start := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	rate := func(t float64) float64 {
		if h := int(t/3600) % 24; h == 10 {
			return 10
		}
		return 1
	}
	run, err := c.Start(policy.Env{Latency: 0.1, InitialRate: 1, Start: start})
	if err != nil {
		t.Fatal(err)
	}
	w := &policytest.World{Latency: 0.1, Rate: rate}
	steps := w.Run(run.Policy, run.Initial, run.Period, 86400+40000)
	policytest.CheckTrajectory(t, steps, [][2]float64{{0, 1}, {122100, 6}})
	if got := run.Policy.(*predictiveRun).Forecast(86400 + 10*3600 + 1); got != 6 {
		t.Errorf("forecast for 10:00 of day 2 = %d, want 6", got)
	}

	c.Mode = "ForecastOnly"
	run, _ = c.Start(policy.Env{Latency: 0.1, InitialRate: 1, Start: start})
	w = &policytest.World{Latency: 0.1, Rate: rate}
	policytest.CheckTrajectory(t, w.Run(run.Policy, run.Initial, run.Period, 86400+40000), [][2]float64{{0, 1}})

	// HonorMaxCapacity caps the forecast at 4; IncreaseMaxCapacity lets the
	// 6 through (the maximum becomes ceil(6 × 1.25) = 8 for that hour);
	// past the hour the capacity is held to max_capacity again.
	c.Mode, c.MaxCapacity = "ForecastAndScale", 4
	run, _ = c.Start(policy.Env{Latency: 0.1, InitialRate: 1, Start: start})
	w = &policytest.World{Latency: 0.1, Rate: rate}
	policytest.CheckTrajectory(t, w.Run(run.Policy, run.Initial, run.Period, 86400+40000), [][2]float64{{0, 1}, {122100, 4}})
	c.MaxCapacityBreach, c.MaxCapacityBuffer = "IncreaseMaxCapacity", 25
	run, _ = c.Start(policy.Env{Latency: 0.1, InitialRate: 1, Start: start})
	w = &policytest.World{Latency: 0.1, Rate: rate}
	policytest.CheckTrajectory(t, w.Run(run.Policy, run.Initial, run.Period, 86400+40000), [][2]float64{{0, 1}, {122100, 6}, {126000, 4}})
}

// TestAWSValidate names the setting at fault.
func TestAWSValidate(t *testing.T) {
	step := func(f func(*StepScaling)) policy.Config {
		c := StepScaling{Metric: AWSCPU, MinCapacity: 1, Period: time.Minute, Policies: []StepPolicy{{
			Alarm: Alarm{Threshold: 60, Comparison: GreaterOrEqual, EvaluationPeriods: 1}, AdjustmentType: ChangeInCapacity,
			Steps: []StepAdjustment{{Unbounded: "upper", Adjustment: 1}},
		}}}
		f(&c)
		return c
	}
	tt := func(f func(*TargetTracking)) policy.Config { c := DefaultTargetTracking(); f(&c); return c }
	for _, tc := range []struct {
		c    policy.Config
		want string
	}{
		{tt(func(c *TargetTracking) { c.Target = 0 }), "target 0"},
		{tt(func(c *TargetTracking) { c.Target = 150 }), "at most 100"},
		{tt(func(c *TargetTracking) { c.Metric = "latency" }), `metric "latency"`},
		{tt(func(c *TargetTracking) { c.MaxCapacity = 1; c.MinCapacity = 3 }), "max_capacity 1"},
		{tt(func(c *TargetTracking) { c.ScaleInRatio = 1.5 }), "scale_in_ratio"},
		{tt(func(c *TargetTracking) { c.Period = 0 }), "period 0s"},
		{step(func(c *StepScaling) { c.Policies = nil }), "at least one policy"},
		{step(func(c *StepScaling) {
			c.Policies[0].Steps = append(c.Policies[0].Steps, StepAdjustment{Lower: 5, Upper: 10})
		}), "overlap"},
		{step(func(c *StepScaling) { c.Policies[0].AdjustmentType = "Double" }), "adjustment_type"},
		{step(func(c *StepScaling) { c.Policies[0].MinAdjustmentMagnitude = 2 }), "only for PercentChangeInCapacity"},
		{step(func(c *StepScaling) { c.Policies[0].Alarm.DatapointsToAlarm = 3 }), "datapoints_to_alarm 3"},
		{Predictive{Metric: AWSBacklogPerInstance, Target: 1, Mode: "ForecastAndScale", LookbackDays: 14, MaxCapacityBreach: "HonorMaxCapacity"}, "no queue metric"},
	} {
		err := tc.c.Validate()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%T: got %v, want an error with %q", tc.c, err, tc.want)
		}
	}
}

// TestAWSDefaultsMatchTags: each DefaultX agrees with the default tags the
// scenario decoder reads, field by field.
func TestAWSDefaultsMatchTags(t *testing.T) {
	for _, d := range []any{DefaultTargetTracking(), DefaultStepScaling(), DefaultSimpleScaling(), DefaultPredictive(),
		DefaultStepPolicy(), DefaultSimplePolicy(), DefaultAlarm()} { // policy.DefaultServerless is made from its tags
		checkDefaultTags(t, d)
	}
}

// checkDefaultTags compares the fields of v that have a default tag with
// the tag; slices, structs and the root package's unit types are skipped
// except boxes.Price, compared through boxes.ParsePrice.
func checkDefaultTags(t *testing.T, v any) {
	t.Helper()
	rv := reflect.ValueOf(v)
	ty := rv.Type()
	for i := 0; i < ty.NumField(); i++ {
		f := ty.Field(i)
		def, ok := f.Tag.Lookup("default")
		if !ok {
			continue
		}
		name := ty.Name() + "." + f.Name
		switch x := rv.Field(i).Interface().(type) {
		case time.Duration:
			d, err := boxes.ParseDuration(def)
			if err != nil || d != x {
				t.Errorf("%s: %v, the tag says %s (%v)", name, x, def, err)
			}
		case float64:
			d, err := strconv.ParseFloat(def, 64)
			if err != nil || d != x {
				t.Errorf("%s: %v, the tag says %s", name, x, def)
			}
		case int:
			d, err := strconv.Atoi(def)
			if err != nil || d != x {
				t.Errorf("%s: %v, the tag says %s", name, x, def)
			}
		case bool:
			if strconv.FormatBool(x) != def {
				t.Errorf("%s: %v, the tag says %s", name, x, def)
			}
		case boxes.Price:
			p, err := boxes.ParsePrice(def)
			if err != nil || p != x {
				t.Errorf("%s: %v, the tag says %s (%v)", name, x, def, err)
			}
		default:
			if s := rv.Field(i).String(); s != def && !(def == "none" && s == "") {
				t.Errorf("%s: %q, the tag says %q", name, s, def)
			}
		}
	}
}

// TestTargetTrackingNoScaleInWhileBooting: a scale-in waits while a box
// boots, and for InstanceWarmup after a launched box is ready ("a scale-in
// cannot start during a scale-out", EC2 target tracking). One datapoint
// to scale in, no delay, CPU at 10% of a 50% target on 12 boxes: the
// proposal is ceil(12 × 10/50) = 3.
func TestTargetTrackingNoScaleInWhileBooting(t *testing.T) {
	c := DefaultTargetTracking()
	c.PublicationDelay, c.ScaleInDatapoints, c.ScaleInCooldown = 0, 1, 0
	run, err := c.Start(policy.Env{Latency: 1, InitialRate: 6})
	if err != nil || run.Initial != 12 {
		t.Fatalf("initial %d, %v; want 12", run.Initial, err)
	}
	low := policytest.ConstHistory(policy.Metrics{Ready: 12, Busy: 1.2, JobRate: 1.2, Demand: 1.2})
	if got := run.Policy.Desired(&policy.Observation{Time: 60, Ready: 12, Booting: 1, Latency: 1, History: low}); got != 12 {
		t.Errorf("with a box booting: %d, want 12", got)
	}
	if got := run.Policy.Desired(&policy.Observation{Time: 120, Ready: 12, Latency: 1, History: low}); got != 3 {
		t.Errorf("with none booting: %d, want 3", got)
	}

	// After a scale-out at 60 s with boot 30 s and warm-up 120 s, scale-in
	// waits until 60 + 30 + 120 = 210 s; then ceil(24 × 10/50) = 5.
	c.InstanceWarmup = 120 * time.Second
	c.ScaleOutDatapoints = 1
	run, _ = c.Start(policy.Env{Latency: 1, InitialRate: 6, Boot: 30})
	high := policytest.ConstHistory(policy.Metrics{Ready: 12, Busy: 12, JobRate: 12, Demand: 12})
	if got := run.Policy.Desired(&policy.Observation{Time: 60, Ready: 12, Latency: 1, History: high}); got != 24 {
		t.Fatalf("scale-out: %d, want ceil(12 × 100/50) = 24", got)
	}
	low = policytest.ConstHistory(policy.Metrics{Ready: 24, Busy: 2.4, JobRate: 2.4, Demand: 2.4})
	for _, tc := range []struct {
		t    float64
		want int
	}{{120, 24}, {180, 24}, {240, 5}} {
		if got := run.Policy.Desired(&policy.Observation{Time: tc.t, Ready: 24, Latency: 1, History: low}); got != tc.want {
			t.Errorf("t=%g: %d, want %d", tc.t, got, tc.want)
		}
	}
}
