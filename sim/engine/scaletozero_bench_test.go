package engine

import (
	"context"
	"testing"
	"time"

	"github.com/boxes-project/boxes/policy"
	"github.com/boxes-project/boxes/policy/hpa"
	"github.com/boxes-project/boxes/policy/scaletozero"
	"github.com/boxes-project/boxes/sim/internal/simtest"
)

// BenchmarkScaleToZero runs 30 days of the default year in one-second
// steps on the fluid engine under each scale-to-zero scaler, and under the
// HPA of BenchmarkFluidYear as the reference in the same run. The scalers
// are asked every step (their ticks, and the activator's pokes), and
// Knative and Cloud Run hold jobs, so the fluid engine takes its
// step-by-step path for them.
//
//	go test ./sim/engine -run '^$' -bench ScaleToZero -benchmem -count 6 -cpu 1
func BenchmarkScaleToZero(b *testing.B) {
	horizon := 30 * 24 * time.Hour
	h := hpa.DefaultHPA()
	h.Target, h.MinReplicas, h.MaxReplicas = 0.7, 2, 100
	kpa := scaletozero.DefaultKPA()
	kpa.ContainerConcurrency, kpa.Target = 1, 1
	keda := scaletozero.DefaultKEDA()
	keda.Triggers = []scaletozero.Trigger{{Metric: "jobrate", Target: 3.5, Window: time.Minute}}
	cr := scaletozero.DefaultCloudRun()
	cr.MaxConcurrency = 1
	for _, c := range []struct {
		name string
		cfg  policy.Config
	}{{"hpa", h}, {"knative", kpa}, {"keda", keda}, {"cloudrun", cr}} {
		b.Run("kind="+c.name, func(b *testing.B) {
			s := simtest.DefaultSetup()
			s.Horizon = horizon
			s.Boot = 90 * time.Second
			env := policy.Env{Latency: 0.2, Step: 1, Boot: 90, Horizon: horizon.Seconds(), Start: s.Start, InitialRate: 30}
			b.ReportAllocs()
			for b.Loop() {
				run, err := c.cfg.Start(env)
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
