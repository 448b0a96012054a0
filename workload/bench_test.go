package workload

import "testing"

func benchSampler(b *testing.B, c Curve) {
	s := NewSampler(c, 0, 1)
	buf := make([]float64, 4096)
	b.ReportAllocs()
	for b.Loop() {
		s.Next(buf)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/4096, "ns/step")
}

func BenchmarkSampler(b *testing.B) {
	daily := Daily{Mean: 50, Ratio: 5, Period: 86400, Peak: 50400}
	tr, _ := NewTrace([]float64{0, 3600, 7200}, []float64{1, 2, 3}, 10800, LinearInterpolation, true)
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
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) { benchSampler(b, c.c) })
	}
}
