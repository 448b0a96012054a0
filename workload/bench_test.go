package workload

import (
	"testing"
)

// benchSampler reads c in blocks of 4096 one-second steps, as the engines
// do, and reports the cost per step. The budget: a year of 1 s steps
// (31.5 million) with the hpa policy in 0.3 s, so the Sampler must stay at a
// few ns a step.
func benchSampler(b *testing.B, c Curve) {
	s := NewSampler(c, 0, 1)
	buf := make([]float64, 4096)
	b.ReportAllocs()
	cpu0 := cpuTime()
	for b.Loop() {
		s.Next(buf)
	}
	steps := float64(b.N) * float64(len(buf))
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/steps, "ns/step")
	if cpu := cpuTime() - cpu0; cpu > 0 {
		// Process CPU time, which a busy machine does not inflate.
		b.ReportMetric(float64(cpu)/steps, "cpu-ns/step")
	}
}

func BenchmarkSampler(b *testing.B) {
	daily := Daily{Mean: 50, Ratio: 5, Period: 86400, Peak: 50400}
	// A day of one-minute rates, looping.
	times, rates := make([]float64, 1440), make([]float64, 1440)
	for i := range times {
		times[i], rates[i] = float64(i)*60, daily.Rate(float64(i)*60)
	}
	tr, err := NewTrace(times, rates, 86400, LinearInterpolation, true)
	if err != nil {
		b.Fatal(err)
	}
	cases := []struct {
		name string
		c    Curve
	}{
		{"Constant", Constant(50)},
		{"Daily", daily},
		{"SumDailyBurst", Sum{daily, Burst{Start: 43200, Duration: 900, Height: 150, Every: 86400}}},
		{"NoiseDaily", Noise{Curve: daily, Sigma: 0.1, Interval: 60, Seed: 1}},
		{"PoissonDaily", Poisson{Curve: daily, Seed: 1}},
		{"Trace", tr},
		{"Exponential", Exponential{From: 10, Doubling: 28800}},
		{"Linear", Linear{From: 10, Slope: 0.001}}, // through Jobs
		{"PresetBursty", mustPreset(b, "bursty")},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) { benchSampler(b, c.c) })
	}
}

func mustPreset(b *testing.B, name string) Curve {
	c, err := Preset(name, 1)
	if err != nil {
		b.Fatal(err)
	}
	return c
}
