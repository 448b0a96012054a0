package scaletozero

import "testing"

// TestJobStrategy ports the strategy cases of KEDA's own tests
// (kedacore/keda 8b4f083 pkg/scaling/executor/scale_jobs_test.go, each row named
// by its test): GetEffectiveMaxScale(maxScale, runningJobCount,
// pendingJobCount, maxReplicaCount, scaleTo) and what it returns.
func TestJobStrategy(t *testing.T) {
	custom := func(deduction int, pct float64) ScaledJob {
		c := DefaultScaledJob()
		c.Strategy, c.CustomDeduction, c.CustomPercentage = "custom", deduction, pct
		return c
	}
	strategy := func(s string) ScaledJob { c := DefaultScaledJob(); c.Strategy = s; return c }
	for _, c := range []struct {
		test                                      string
		cfg                                       ScaledJob
		maxScale, running, pending, maxR, scaleTo int64
		effective, to                             int64
	}{
		{"TestDefaultScalingStrategy", strategy("default"), 3, 2, 0, 5, 1, 1, 1},
		{"TestDefaultScalingStrategy", strategy("default"), 2, 0, 0, 5, 1, 2, 1},
		{"TestCustomScalingStrategy (1, 0.5)", custom(1, 0.5), 3, 2, 0, 5, 1, 1, 1},
		{"TestCustomScalingStrategy (1, 0.5)", custom(1, 0.5), 10, 0, 0, 10, 1, 9, 1},
		// KEDA: nil parameters behave as the default strategy; here the
		// defaults 0 and 1 do.
		{"TestCustomScalingStrategy (nil: default)", custom(0, 1), 3, 2, 0, 5, 1, 1, 1},
		{"TestCustomScalingStrategy (nil: default)", custom(0, 1), 2, 0, 0, 5, 1, 2, 1},
		{"TestCustomScalingStrategy (2, 0)", custom(2, 0), 3, 2, 0, 5, 1, 1, 1},
		{"TestCustomScalingStrategy (-2, 0): exceeds MaxReplicaCount", custom(-2, 0), 3, 2, 0, 4, 1, 4, 1},
		{"TestCustomScalingStrategyNilQueueLengthDeduction", custom(0, 0.5), 3, 2, 0, 5, 1, 2, 1},
		{"TestCustomScalingStrategyNilQueueLengthDeduction", custom(0, 0.5), 10, 0, 0, 10, 1, 10, 1},
		{"TestAccurateScalingStrategy", strategy("accurate"), 3, 2, 0, 5, 1, 3, 1},
		{"TestAccurateScalingStrategy", strategy("accurate"), 5, 2, 0, 5, 1, 3, 1},
		{"TestAccurateScalingStrategy: 2 pending", strategy("accurate"), 3, 4, 2, 10, 1, 1, 1},
		{"TestAccurateScalingStrategy: 2 pending", strategy("accurate"), 5, 4, 2, 5, 1, 1, 1},
		{"TestAccurateScalingStrategy: 3 running pending", strategy("accurate"), 3, 3, 3, 5, 1, 0, 1},
		{"TestAccurateScalingStrategy: higher numbers", strategy("accurate"), 15, 15, 15, 20, 1, 0, 1},
		{"TestAccurateScalingStrategy: different numbers", strategy("accurate"), 10, 10, 10, 15, 1, 0, 1},
		{"TestAccurateScalingStrategy: partial pending", strategy("accurate"), 20, 15, 10, 20, 1, 5, 1},
		{"TestEagerScalingStrategy", strategy("eager"), 4, 3, 0, 10, 1, 4, 10},
		{"TestEagerScalingStrategy", strategy("eager"), 4, 0, 3, 10, 1, 4, 10},
		{"TestEagerScalingStrategy", strategy("eager"), 4, 7, 0, 10, 1, 3, 10},
		{"TestEagerScalingStrategy", strategy("eager"), 4, 1, 6, 10, 1, 3, 10},
		{"TestEagerScalingStrategy", strategy("eager"), 15, 0, 0, 10, 1, 10, 10},
	} {
		e, to := JobStrategy(c.cfg, c.maxScale, c.running, c.pending, c.maxR, c.scaleTo)
		if e != c.effective || to != c.to {
			t.Errorf("%s: GetEffectiveMaxScale(%d, %d, %d, %d, %d) = %d, %d; want %d, %d", c.test,
				c.maxScale, c.running, c.pending, c.maxR, c.scaleTo, e, to, c.effective, c.to)
		}
	}
}

// TestJobScalingDecision ports getScalingDecision's cases (same file):
// below minReplicaCount KEDA creates the missing jobs, else the strategy
// decides, on the running jobs less the minimum.
func TestJobScalingDecision(t *testing.T) {
	for _, c := range []struct {
		test                                string
		min                                 int
		running, pending, scaleTo, maxScale int64
		create                              int64
	}{
		{"TestRunningJobCountSmallerMinReplicaCount", 2, 0, 0, 0, 0, 2},
		{"TestRunningJobCountIsDeductedFromMinReplicaCount", 2, 1, 0, 0, 0, 1},
		{"TestRunningJobCountGreaterOrEqualMinReplicaCountExecutesScalingStrategy", 1, 1, 0, 2, 2, 2},
	} {
		cfg := DefaultScaledJob()
		cfg.MinReplicaCount = c.min
		r := &scaledJobRun{cfg: cfg}
		if got := r.decide(c.running, c.pending, c.scaleTo, c.maxScale, int64(cfg.MaxReplicaCount)); got != c.create {
			t.Errorf("%s: creates %d jobs, want %d", c.test, got, c.create)
		}
	}
}
