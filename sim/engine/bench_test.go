package engine

import (
	"context"
	"testing"
	"time"

	"github.com/boxes-project/boxes/policy"
	"github.com/boxes-project/boxes/policy/hpa"
	"github.com/boxes-project/boxes/sim/internal/simtest"
)

// BenchmarkFluidYear runs a year in one-second steps (31.5 million steps)
// under Kubernetes' HPA with its defaults (15 s sync, the v2 behavior).
// The target is at most 0.3 s a run on one core, with allocations that do
// not grow with the horizon.
//
//	go test ./sim/engine -run '^$' -bench FluidYear -benchmem -count 6 -cpu 1
func BenchmarkFluidYear(b *testing.B) {
	for _, horizon := range []time.Duration{30 * 24 * time.Hour, 365 * 24 * time.Hour} {
		b.Run("days="+simtest.Itoa(int(horizon/(24*time.Hour))), func(b *testing.B) {
			s := simtest.DefaultSetup()
			s.Horizon = horizon
			s.Boot = 90 * time.Second
			h := hpa.DefaultHPA()
			h.Target, h.MinReplicas, h.MaxReplicas = 0.7, 2, 100
			env := policy.Env{Latency: 0.2, Step: 1, Boot: 90, Horizon: horizon.Seconds(), Start: s.Start, InitialRate: 30}
			b.ReportAllocs()
			for b.Loop() {
				run, err := h.Start(env)
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
