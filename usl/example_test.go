package usl_test

import (
	"fmt"

	"github.com/boxes-project/boxes/usl"
)

// SPEC SDM91 on a Sun SPARCcenter 2000 (Gunther, Guerrilla Capacity
// Planning, 2007): the R package usl finds the same coefficients.
func ExampleFit() {
	users := []float64{1, 18, 36, 72, 108, 144, 216}
	scripts := []float64{64.9, 995.9, 1652.4, 1853.2, 1828.9, 1775.0, 1702.2}
	var points []usl.Point
	for i := range users {
		points = append(points, usl.Point{Concurrency: users[i], Throughput: scripts[i]})
	}
	r, err := usl.Fit(points)
	if err != nil {
		fmt.Println(err)
		return
	}
	m := r.Model
	fmt.Printf("λ = %.2f [%.1f, %.1f]\n", m.Lambda, r.Lambda.Low, r.Lambda.High)
	fmt.Printf("σ = %.5f [%.5f, %.5f]\n", m.Sigma, r.Sigma.Low, r.Sigma.High)
	fmt.Printf("κ = %.4g [%.4g, %.4g]\n", m.Kappa, r.Kappa.Low, r.Kappa.High)
	fmt.Printf("R² = %.4f\n", r.RSquared)
	fmt.Printf("N* = %.2f (best whole number %g), X(N*) = %.0f\n", m.PeakConcurrency(), m.PeakConcurrencyWhole(), m.PeakThroughput())
	fmt.Printf("Amdahl limit λ/σ = %.0f\n", m.LimitThroughput())
	fmt.Printf("X(300) = %.0f, R(300) = %.3f\n", m.Throughput(300), m.Latency(300))
	// Output:
	// λ = 90.00 [50.5, 129.5]
	// σ = 0.02773 [0.00240, 0.05305]
	// κ = 0.0001044 [4.918e-05, 0.0001595]
	// R² = 0.9896
	// N* = 96.52 (best whole number 97), X(N*) = 1884
	// Amdahl limit λ/σ = 3246
	// X(300) = 1447, R(300) = 0.207
}

// The second article: a system doing one request a second, one at a time,
// gets to two a second by halving its latency (performance) or by doing two
// at a time (scalability).
func ExampleComparePoints() {
	before, _ := usl.ParsePoint("N=1,R=1s")
	faster, _ := usl.ParsePoint("X=2/s,R=500ms")
	wider, _ := usl.ParsePoint("N=2,R=1s")
	for _, after := range []usl.Point{faster, wider} {
		c, err := usl.ComparePoints(before, after)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("throughput ×%.2f = ×%.2f from performance × ×%.2f from scalability: %s\n",
			c.ThroughputFactor, c.PerformanceFactor, c.ScalabilityFactor, c.Verdict())
	}
	// Output:
	// throughput ×2.00 = ×2.00 from performance × ×1.00 from scalability: all performance
	// throughput ×2.00 = ×1.00 from performance × ×2.00 from scalability: all scalability
}
