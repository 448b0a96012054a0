package engine

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/boxes-project/boxes/policy/aws"
	"github.com/boxes-project/boxes/sim"

	"github.com/boxes-project/boxes/policy"
)

// randomAWS starts one of the AWS policy kinds (target tracking, step,
// simple, the predictive stand-in) with random settings, for the fuzzers'
// conservation and cost invariants.
func randomAWS(t *testing.T, rng *rand.Rand, s sim.Setup, initialRate float64) policy.Run {
	t.Helper()
	metric := []aws.AWSMetric{aws.AWSCPU, aws.AWSRequestsPerTarget, aws.AWSBacklogPerInstance}[rng.IntN(3)]
	period := time.Duration(10*(1+rng.IntN(12))) * time.Second
	delay := time.Duration(rng.IntN(3)) * period / 2
	target := func() float64 {
		switch metric {
		case aws.AWSCPU:
			return 10 + 85*rng.Float64()
		case aws.AWSRequestsPerTarget:
			return 1 + 1000*rng.Float64()
		}
		return 0.5 + 20*rng.Float64()
	}
	tt := func() aws.TargetTracking {
		c := aws.DefaultTargetTracking()
		c.Metric, c.Target, c.Period, c.PublicationDelay = metric, target(), period, delay
		c.MinCapacity, c.MaxCapacity = rng.IntN(3), 0
		if rng.IntN(3) == 0 {
			c.MaxCapacity = c.MinCapacity + 1 + rng.IntN(50)
		}
		c.ScaleOutDatapoints, c.ScaleInDatapoints = 1+rng.IntN(3), 1+rng.IntN(15)
		c.ScaleInCooldown = time.Duration(rng.IntN(600)) * time.Second
		c.InstanceWarmup = time.Duration(rng.IntN(300)) * time.Second
		c.DisableScaleIn = rng.IntN(5) == 0
		return c
	}
	alarm := func(up bool) aws.Alarm {
		n := 1 + rng.IntN(5)
		a := aws.Alarm{Threshold: target(), Comparison: aws.GreaterOrEqual, EvaluationPeriods: n, DatapointsToAlarm: 1 + rng.IntN(n)}
		if !up {
			a.Comparison, a.Threshold = aws.Less, a.Threshold/2
		}
		return a
	}
	var c policy.Config
	switch rng.IntN(4) {
	case 0:
		c = tt()
	case 1:
		typ := []string{aws.ChangeInCapacity, aws.PercentChangeInCapacity, aws.ExactCapacity}[rng.IntN(3)]
		out := aws.StepPolicy{Alarm: alarm(true), AdjustmentType: typ, Cooldown: time.Duration(rng.IntN(600)) * time.Second,
			Steps: []aws.StepAdjustment{
				{Lower: 0, Upper: 10, Unbounded: "none", Adjustment: 1 + rng.IntN(50)},
				{Lower: 10, Unbounded: "upper", Adjustment: 1 + rng.IntN(100)},
			}}
		in := aws.StepPolicy{Alarm: alarm(false), AdjustmentType: aws.ChangeInCapacity, Cooldown: time.Duration(rng.IntN(600)) * time.Second,
			Steps: []aws.StepAdjustment{{Unbounded: "lower", Adjustment: -1 - rng.IntN(5)}}}
		c = aws.StepScaling{Metric: metric, MinCapacity: rng.IntN(3), Period: period, PublicationDelay: delay, Policies: []aws.StepPolicy{out, in}}
	case 2:
		c = aws.SimpleScaling{Metric: metric, MinCapacity: 1 + rng.IntN(3), Period: period, PublicationDelay: delay, Policies: []aws.SimplePolicy{
			{Alarm: alarm(true), AdjustmentType: aws.ChangeInCapacity, Adjustment: 1 + rng.IntN(10), Cooldown: time.Duration(rng.IntN(600)) * time.Second},
			{Alarm: alarm(false), AdjustmentType: aws.PercentChangeInCapacity, Adjustment: -10 - rng.IntN(80), MinAdjustmentMagnitude: rng.IntN(3)},
		}}
	default:
		if metric == aws.AWSBacklogPerInstance {
			metric = aws.AWSCPU
		}
		p := aws.Predictive{Metric: metric, Target: target(), MinCapacity: rng.IntN(3), Mode: "ForecastAndScale",
			SchedulingBuffer: time.Duration(rng.IntN(3600)) * time.Second, LookbackDays: 1 + rng.IntN(14), MaxCapacityBreach: "HonorMaxCapacity"}
		if rng.IntN(2) == 0 {
			p.Dynamic = []aws.TargetTracking{tt()}
		}
		c = p
	}
	run, err := c.Start(policy.Env{Latency: s.Box.Latency.Seconds(), Step: s.Step.Seconds(), Boot: s.Boot.Seconds(),
		Horizon: s.Horizon.Seconds(), Start: s.Start, InitialRate: initialRate})
	if err != nil {
		t.Fatalf("%T: %v", c, err)
	}
	return run
}
