// Package simtest holds the helpers the engines' tests share: setups,
// random workloads and policies for the fuzzers, and checks of a run.
package simtest

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/boxes-project/boxes"
	"github.com/boxes-project/boxes/policy"
	"github.com/boxes-project/boxes/policy/aws"
	"github.com/boxes-project/boxes/policy/scaletozero"
	"github.com/boxes-project/boxes/sim"
	"github.com/boxes-project/boxes/workload"
)

// explained wraps run's policy in a decision log when it explains its
// decisions (every scaler but fixed and scheduled capacity), as a
// scenario does, for checkLimits.
func Explained(run policy.Run) (policy.Run, *sim.DecisionLog) {
	log := sim.NewDecisionLog(run.Policy)
	if _, ok := run.Policy.(policy.Explainer); ok {
		run.Policy = log
	}
	return run, log
}

// checkLimits checks what held a policy back over a run of horizon
// seconds: the times at a bound are within the run and do not overlap,
// and the jobs missed by cause are finite, not negative, and no more than
// the run missed.
func CheckLimits(t *testing.T, name string, l sim.Limits, r *sim.Result, horizon float64) {
	t.Helper()
	if !(l.TimeAtMax >= 0) || !(l.TimeAtMin >= 0) || l.TimeAtMax+l.TimeAtMin > horizon*(1+1e-9)+1e-9 {
		t.Fatalf("%s: time at max %g s and at min %g s in a run of %g s", name, l.TimeAtMax, l.TimeAtMin, horizon)
	}
	sum := 0.0
	for c, x := range l.Missed {
		if !(x >= 0) || math.IsInf(x, 0) || !slices.Contains(sim.CauseNames, c) {
			t.Fatalf("%s: %g jobs missed by cause %q", name, x, c)
		}
		sum += x
	}
	j := r.Jobs
	if bad := j.Missed + j.TimedOut + j.Lost; sum > bad*(1+1e-6)+1e-6*j.Arrived+1e-6 {
		t.Fatalf("%s: %g jobs missed by cause, %g in all (%+v)", name, sum, bad, j)
	}
}

// checkActiveBill re-bills a copy of r as request-based billing bills it
// (BillActive, one box an instance, $1 a box-second, no fee): the busy and
// booting box time, which is never more than the boxes' lives, and whose
// idle part is within it.
func CheckActiveBill(t *testing.T, name string, s sim.Setup, r *sim.Result) {
	t.Helper()
	c := *r
	c.Series.Cost = slices.Clone(r.Series.Cost)
	sim.BillActive(&c, s.Box.Latency.Seconds(), s.Horizon.Seconds(), 1, 1, 0)
	life := r.BoxHours * 3600
	if !(c.Cost >= 0) || c.Cost > life*(1+1e-9)+1e-6 || !(c.IdleCost >= 0) || c.IdleCost > c.Cost*(1+1e-9)+1e-9 {
		t.Fatalf("%s: active box-seconds %g (idle %g) against %g lived", name, c.Cost, c.IdleCost, life)
	}
}

// randomAWS starts one of the AWS policy kinds (target tracking, step,
// simple, the predictive stand-in) with random settings, for the fuzzers'
// conservation and cost invariants.
func RandomAWS(t *testing.T, rng *rand.Rand, s sim.Setup, initialRate float64) policy.Run {
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

// defaultYear is the default scenario's workload over a year: a daily cycle
// around 60 jobs/s (peak four times the trough at 15:00) with a 20-minute
// lunchtime spike every day and ±5% noise per minute.
var DefaultYear = workload.Noise{
	Curve: workload.Sum{
		workload.Daily{Mean: 60, Ratio: 4, Period: 86400, Peak: 15 * 3600},
		workload.Burst{Start: 12 * 3600, Duration: 1200, Height: 120, Every: 86400},
	},
	Sigma: 0.05, Interval: 60, Seed: 1,
}

func Itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

// fixed is a policy that always wants n boxes.
func Fixed(n int) policy.Run {
	return policy.Run{Policy: policy.Func(func(*policy.Observation) int { return n }), Initial: n}
}

// randomWorkload is a noisy daily cycle with a burst, all drawn from rng.
func RandomWorkload(rng *rand.Rand) workload.Curve {
	var c workload.Curve = workload.Sum{
		workload.Daily{Mean: 1 + 100*rng.Float64(), Ratio: 1 + 9*rng.Float64(), Period: 600 + 7200*rng.Float64(), Peak: 3600 * rng.Float64()},
		workload.Burst{Start: 7200 * rng.Float64(), Duration: 600 * rng.Float64(), Height: 300 * rng.Float64()},
	}
	c = workload.Noise{Curve: c, Sigma: 0.3 * rng.Float64(), Interval: float64(1 + rng.IntN(120)), Seed: rng.Uint64()}
	if rng.IntN(2) == 0 {
		c = workload.Poisson{Curve: c, Seed: rng.Uint64()}
	}
	return c
}

// randomRun is a policy that asks for random capacities, or follows the
// load with random headroom, at a random period.
func RandomRun(rng *rand.Rand, peakBoxes int) policy.Run {
	period := float64(rng.IntN(30))
	initial := rng.IntN(peakBoxes + 2)
	if rng.IntN(2) == 0 {
		r := rand.New(rand.NewPCG(rng.Uint64(), 1))
		return policy.Run{Policy: policy.Func(func(*policy.Observation) int { return r.IntN(2*peakBoxes + 3) }), Initial: initial, Period: period}
	}
	target := 0.3 + 0.8*rng.Float64()
	window := float64(1 + rng.IntN(60))
	return policy.Run{Policy: policy.Func(func(o *policy.Observation) int {
		m, ok := o.Metrics(window, 0)
		if !ok {
			return o.Ready + o.Booting
		}
		return boxes.CapacityFor(boxes.Rate(m.JobRate), time.Duration(o.Latency*1e9), target)
	}), Initial: initial, Period: period, Lookback: window}
}

// randomScaler is a Knative KPA, a KEDA ScaledObject or ScaledJob, or a
// Cloud Run service with random settings, started for env: the scalers that go to
// zero and hold jobs while cold, for the engines' fuzzers (events: for
// the events engine).
func RandomScaler(t *testing.T, rng *rand.Rand, env policy.Env, events bool) (string, policy.Run) {
	t.Helper()
	secs := func(n int) time.Duration { return time.Duration(rng.IntN(n)) * time.Second }
	var cfg policy.Config
	var name string
	pick := rng.IntN(4)
	// A ScaledJob runs a pod per job: at the peak about peak × (boot +
	// latency + a poll) pods, each cohort's end a resize, which the events
	// engine pays for with a replay of its queue. Past a thousand pods an
	// events fuzz input takes longer than the fuzzer waits for a worker,
	// so such loads get another scaler there.
	if pick == 3 && events && env.PeakRate*(env.Boot+env.Latency+70) > 1000 {
		pick = 2
	}
	switch pick {
	case 0:
		k := scaletozero.DefaultKPA()
		name = "knative"
		if rng.IntN(3) == 0 {
			k.Metric = "rps"
		}
		k.ContainerConcurrency = rng.IntN(4)
		k.Target = float64(rng.IntN(12))
		if k.ContainerConcurrency > 0 && k.Target > float64(k.ContainerConcurrency) {
			k.Target = float64(k.ContainerConcurrency)
		}
		k.TargetUtilization = 0.1 + 0.9*rng.Float64()
		k.StableWindow = 6*time.Second + secs(120)
		k.TargetBurstCapacity = []float64{-1, 0, 211}[rng.IntN(3)]
		k.ScaleToZeroPodRetention = secs(60)
		k.ScaleDownDelay = secs(30)
		k.MinScale = rng.IntN(2)
		k.MaxScale = []int{0, 5, 200}[rng.IntN(3)]
		k.MaxScale = max(k.MaxScale, k.MinScale)
		k.EnableScaleToZero = rng.IntN(4) != 0
		k.RequestTimeout = secs(600)
		cfg = k
	case 1:
		k := scaletozero.DefaultKEDA()
		name = "keda"
		k.PollingInterval = time.Second + secs(60)
		k.CooldownPeriod = secs(600)
		k.InitialCooldownPeriod = secs(120)
		k.MinReplicaCount = rng.IntN(2)
		k.MaxReplicaCount = 1 + rng.IntN(300)
		k.MaxReplicaCount = max(k.MaxReplicaCount, k.MinReplicaCount)
		if k.MinReplicaCount == 1 && rng.IntN(2) == 0 {
			k.IdleReplicaCount = 0
		}
		k.Triggers = nil
		for range 1 + rng.IntN(3) {
			tr := scaletozero.Trigger{Metric: []string{"jobrate", "concurrency", "cpu", "queue"}[rng.IntN(4)], Target: 0.1 + 20*rng.Float64(), ActivationTarget: rng.Float64(), Window: secs(90)}
			if tr.Metric == "cpu" {
				tr.Target = 0.1 + 0.9*rng.Float64()
			}
			k.Triggers = append(k.Triggers, tr)
		}
		if rng.IntN(2) == 0 {
			k.Behavior.ScaleDown.StabilizationWindowSeconds = rng.IntN(600)
			k.Behavior.ScaleUp.Policies = []scaletozero.HPAPolicy{{Type: "Pods", Value: 1 + rng.IntN(10), PeriodSeconds: 1 + rng.IntN(60)}}
		}
		if rng.IntN(3) == 0 {
			k.Fallback = scaletozero.Fallback{FailureThreshold: 1 + rng.IntN(3), Replicas: rng.IntN(k.MaxReplicaCount + 1)}
		}
		k.Interceptor = rng.IntN(2) == 0
		k.InterceptorTimeout = secs(60)
		cfg = k
	case 3:
		k := scaletozero.DefaultScaledJob()
		name = "keda-scaledjob"
		// Enough pods for the peak at most times (up to twice what it
		// needs) keeps the queue from growing without end.
		k.PollingInterval = 10*time.Second + secs(60)
		k.MinReplicaCount = rng.IntN(3)
		need := env.PeakRate * (env.Boot + env.Latency + k.PollingInterval.Seconds())
		k.MaxReplicaCount = max(k.MinReplicaCount, 1, int(need*(0.5+1.5*rng.Float64())))
		k.Strategy = []string{"default", "custom", "accurate", "eager"}[rng.IntN(4)]
		k.CustomDeduction = rng.IntN(5) - 2
		k.CustomPercentage = 2 * rng.Float64()
		k.MultipleScalersCalculation = []string{"max", "min", "avg", "sum"}[rng.IntN(4)]
		k.Triggers = nil
		for range 1 + rng.IntN(3) {
			k.Triggers = append(k.Triggers, scaletozero.JobTrigger{Metric: []string{"queue", "concurrency"}[rng.IntN(2)], Target: 0.2 + 10*rng.Float64(), ActivationTarget: rng.Float64()})
		}
		cfg = k
	default:
		c := scaletozero.DefaultCloudRun()
		name = "cloudrun"
		c.MaxConcurrency = 1 + rng.IntN(100)
		c.CPUTarget = []float64{0, 0.1, 0.6, 0.9}[rng.IntN(4)]
		c.ConcurrencyTarget = []float64{0.1, 0.6, 0.95}[rng.IntN(3)]
		c.MinInstances = rng.IntN(2)
		c.MaxInstances = 1 + rng.IntN(100)
		c.Period = time.Second + secs(10)
		c.RequestTimeout = secs(60)
		c.ScaleInDelay = secs(900)
		cfg = c
	}
	run, err := cfg.Start(env)
	if err != nil {
		t.Fatalf("%s %+v: %v", name, cfg, err)
	}
	return name, run
}

// testSetup is a setup with round numbers: jobs take one second, a box costs
// $0.001 a second ($3.60 an hour), billing is exact, there is no boot and
// no drain.
func RoundSetup(horizon time.Duration) sim.Setup {
	return sim.Setup{
		Box:     boxes.Box{Latency: time.Second, Price: boxes.Price{Amount: 0.001, Unit: boxes.PerSecond}},
		Horizon: horizon,
		Step:    time.Second,
		Start:   time.Date(2026, time.January, 5, 0, 0, 0, 0, time.UTC),
		Points:  100,
	}
}

// near reports whether got is within a relative tolerance tol of want (or
// within tol absolutely, for values near zero).
func Near(got, want, tol float64) bool {
	if math.IsInf(want, 0) || math.IsNaN(want) {
		return got == want || math.IsNaN(got) && math.IsNaN(want)
	}
	return math.Abs(got-want) <= tol*math.Max(1, math.Abs(want))
}

func Check(t *testing.T, name string, got, want, tol float64) {
	t.Helper()
	if !Near(got, want, tol) {
		t.Errorf("%s = %.12g, want %.12g (tolerance %g)", name, got, want, tol)
	}
}

// constRun asks for n boxes, starting with initial ready, deciding every
// period seconds.
func ConstRun(initial, n int, period float64) policy.Run {
	return policy.Run{Policy: policy.Func(func(*policy.Observation) int { return n }), Initial: initial, Period: period}
}

// fixedRun keeps c boxes throughout.
func FixedRun(c int) policy.Run {
	return policy.Run{Policy: policy.Func(func(*policy.Observation) int { return c }), Initial: c, Period: 3600}
}

// checkInvariants checks what holds for every run.
func CheckInvariants(t *testing.T, name string, s sim.Setup, r *sim.Result) {
	t.Helper()
	j := r.Jobs
	if j.Arrived < 0 || j.Served < 0 || j.Missed < 0 || j.Served > j.Arrived*(1+1e-12)+1e-9 {
		t.Fatalf("%s: impossible counts %+v", name, j)
	}
	if d := j.Arrived - j.Served - j.Missed - j.TimedOut - j.Queued; math.Abs(d) > 1e-9*math.Max(1, j.Arrived) || j.TimedOut < 0 || j.Queued < 0 {
		t.Fatalf("%s: arrived %g ≠ served %g + missed %g + timed out %g + queued %g (off by %g)", name, j.Arrived, j.Served, j.Missed, j.TimedOut, j.Queued, d)
	}
	if r.BusyFraction < 0 || r.BusyFraction > 1+1e-9 {
		t.Fatalf("%s: busy fraction %g outside [0, 1]: boxes served more than they can", name, r.BusyFraction)
	}
	if r.Cost < 0 || r.IdleCost < 0 || r.IdleCost > r.Cost*(1+1e-9)+1e-12 {
		t.Fatalf("%s: cost %g, idle cost %g", name, r.Cost, r.IdleCost)
	}
	u := r.Utilization
	if !(0 <= u.P50 && u.P50 <= u.P95 && u.P95 <= u.Max) {
		t.Fatalf("%s: utilization quantiles out of order: %+v", name, u)
	}
	if over := r.SecondsOverCapacity; over < 0 || over > s.Horizon.Seconds() || (j.Missed > 1e-9 && over == 0) {
		t.Fatalf("%s: %g s over capacity with %g missed", name, over, j.Missed)
	}
	c := r.Series.Cost
	for i := 1; i < len(c); i++ {
		if c[i] < c[i-1]-1e-9 {
			t.Fatalf("%s: cumulative cost falls at point %d: %g after %g", name, i, c[i], c[i-1])
		}
	}
	if len(c) > 0 && !Near(c[len(c)-1], r.Cost, 1e-9) {
		t.Fatalf("%s: series ends at %g, cost is %g", name, c[len(c)-1], r.Cost)
	}
}
