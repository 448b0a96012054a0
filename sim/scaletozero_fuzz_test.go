package sim

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/boxes-project/boxes/policy"
	"github.com/boxes-project/boxes/policy/scaletozero"
)

// randomScaler is a Knative KPA, a KEDA ScaledObject or a Cloud Run
// service with random settings, started for env: the scalers that go to
// zero and hold jobs while cold, for the engines' fuzzers.
func randomScaler(t *testing.T, rng *rand.Rand, env policy.Env) (string, policy.Run) {
	t.Helper()
	secs := func(n int) time.Duration { return time.Duration(rng.IntN(n)) * time.Second }
	var cfg policy.Config
	var name string
	switch rng.IntN(3) {
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
