package engine

import (
	"context"
	"testing"
	"time"

	"github.com/boxes-project/boxes/policy"
	"github.com/boxes-project/boxes/policy/hpa"
	"github.com/boxes-project/boxes/workload"
)

// defaultYear is the default scenario's workload over a year: a daily cycle
// around 60 jobs/s (peak four times the trough at 15:00) with a 20-minute
// lunchtime spike every day and ±5% noise per minute.
var defaultYear = workload.Noise{
	Curve: workload.Sum{
		workload.Daily{Mean: 60, Ratio: 4, Period: 86400, Peak: 15 * 3600},
		workload.Burst{Start: 12 * 3600, Duration: 1200, Height: 120, Every: 86400},
	},
	Sigma: 0.05, Interval: 60, Seed: 1,
}

// BenchmarkFluidYear runs a year in one-second steps (31.5 million steps)
// under Kubernetes' HPA with its defaults (15 s sync, the v2 behavior).
// The target is at most 0.3 s a run on one core, with allocations that do
// not grow with the horizon.
//
//	go test ./sim -run '^$' -bench FluidYear -benchmem -count 6 -cpu 1
func BenchmarkFluidYear(b *testing.B) {
	for _, horizon := range []time.Duration{30 * 24 * time.Hour, 365 * 24 * time.Hour} {
		b.Run("days="+itoa(int(horizon/(24*time.Hour))), func(b *testing.B) {
			s := DefaultSetup()
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
				if _, err := Fluid(context.Background(), s, defaultYear, run); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/horizon.Seconds(), "ns/step")
		})
	}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}
