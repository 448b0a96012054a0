package engine

import (
	"context"
	"testing"
	"time"

	"github.com/boxes-project/boxes/policy/aws"
	"github.com/boxes-project/boxes/policy/hpa"
	"github.com/boxes-project/boxes/sim/internal/simtest"

	"github.com/boxes-project/boxes/policy"
)

// BenchmarkAWSMonth runs 30 days of the default workload in one-second
// steps on the fluid engine under each AWS kind, beside the HPA with its
// defaults as the reference measured in the same run.
//
//	go test ./sim/engine -run '^$' -bench AWSMonth -benchmem -count 6 -cpu 1
func BenchmarkAWSMonth(b *testing.B) {
	horizon := 30 * 24 * time.Hour
	h := hpa.DefaultHPA()
	h.Target, h.MinReplicas, h.MaxReplicas = 0.7, 2, 100
	tt := aws.DefaultTargetTracking()
	tt.Target, tt.MinCapacity, tt.MaxCapacity = 70, 2, 100
	step := aws.DefaultStepScaling()
	step.MinCapacity, step.MaxCapacity = 2, 100
	step.Policies = []aws.StepPolicy{
		{Alarm: aws.Alarm{Threshold: 70, Comparison: aws.GreaterOrEqual, EvaluationPeriods: 2}, AdjustmentType: aws.PercentChangeInCapacity,
			MinAdjustmentMagnitude: 1, Cooldown: 300 * time.Second, Steps: []aws.StepAdjustment{{Unbounded: "upper", Adjustment: 30}}},
		{Alarm: aws.Alarm{Threshold: 40, Comparison: aws.LessOrEqual, EvaluationPeriods: 5}, AdjustmentType: aws.ChangeInCapacity,
			Cooldown: 300 * time.Second, Steps: []aws.StepAdjustment{{Unbounded: "lower", Adjustment: -1}}},
	}
	pred := aws.DefaultPredictive()
	pred.Target, pred.MinCapacity, pred.MaxCapacity, pred.Dynamic = 70, 2, 100, []aws.TargetTracking{tt}
	for _, c := range []struct {
		name string
		c    policy.Config
	}{{"hpa", h}, {"target-tracking", tt}, {"step", step}, {"predictive", pred}} {
		b.Run(c.name, func(b *testing.B) {
			s := simtest.DefaultSetup()
			s.Horizon = horizon
			s.Boot = 90 * time.Second
			env := policy.Env{Latency: 0.2, Step: 1, Boot: 90, Horizon: horizon.Seconds(), Start: s.Start, InitialRate: 30}
			b.ReportAllocs()
			for b.Loop() {
				run, err := c.c.Start(env)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := Fluid(context.Background(), s, simtest.DefaultYear, run); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/horizon.Seconds(), "ns/step")
		})
	}
}
