package engine

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/boxes-project/boxes/policy"
	"github.com/boxes-project/boxes/policy/scaletozero"
)

// randomScaler is a Knative KPA, a KEDA ScaledObject or ScaledJob, or a
// Cloud Run service with random settings, started for env: the scalers that go to
// zero and hold jobs while cold, for the engines' fuzzers (events: for
// the events engine).
func randomScaler(t *testing.T, rng *rand.Rand, env policy.Env, events bool) (string, policy.Run) {
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
