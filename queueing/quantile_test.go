package queueing

import (
	"math"
	"testing"
)

// erlangMD1WaitCDF is P(W ≤ t) for M/D/1 with latency 1 at load rho, by
// Erlang's 1909 formula (see the M/D/1 section of Iversen, "Teletraffic
// Engineering and Network Planning"):
// (1 − ρ) Σ_{k=0}^{⌊t⌋} (ρ(k − t))^k / k! · e^{ρ(t − k)}.
// It is independent of MDcWaitOver's contour integral.
func erlangMD1WaitCDF(rho, t float64) float64 {
	sum := 0.0
	for k := 0; float64(k) <= t; k++ {
		x := rho * (float64(k) - t)
		lg, _ := math.Lgamma(float64(k) + 1)
		term := math.Exp(rho*(t-float64(k)) - lg)
		if k > 0 {
			term *= math.Pow(x, float64(k))
		}
		sum += term
	}
	return (1 - rho) * sum
}

func TestWaitQuantileMD1(t *testing.T) {
	const rho = 0.7
	s := System{Boxes: 1, JobRate: rho, Latency: 1, Service: Fixed, Queue: Unbounded}
	for _, p := range []float64{0.5, 0.9, 0.95, 0.99, 0.999} {
		got, err := s.WaitQuantile(p)
		if err != nil {
			t.Fatal(err)
		}
		// Bisect Erlang's CDF for the reference quantile.
		lo, hi := 0.0, 100.0
		if erlangMD1WaitCDF(rho, 0) >= p {
			hi = 0
		}
		for hi-lo > 1e-10 {
			mid := (lo + hi) / 2
			if erlangMD1WaitCDF(rho, mid) >= p {
				hi = mid
			} else {
				lo = mid
			}
		}
		if math.Abs(got-hi) > 1e-6*math.Max(1, hi) {
			t.Errorf("M/D/1 at ρ=%g: p%g wait %.9g latencies, Erlang's formula gives %.9g", rho, 100*p, got, hi)
		}
	}
}

func TestWaitQuantileMMc(t *testing.T) {
	// M/M/2 at a = 1: C(2, 1) = 1/3 (Erlang C), so P(W > t) = e^{−t/L}/3 and
	// the 95th percentile is L·ln(20/3) = 1.897120 L; the median is 0 (only
	// a third of the jobs wait).
	s := System{Boxes: 2, JobRate: 10, Latency: 0.1, Service: Exponential, Queue: Unbounded}
	got, err := s.WaitQuantile(0.95)
	if want := 0.1 * math.Log(20.0/3); err != nil || math.Abs(got-want) > 1e-12 {
		t.Errorf("M/M/2 p95 = %v, %v; want %v", got, err, want)
	}
	if got, _ := s.WaitQuantile(0.5); got != 0 {
		t.Errorf("M/M/2 median wait = %v, want 0 (a third of the jobs wait)", got)
	}
	// Unstable: no finite quantile; no queue: no wait.
	s.JobRate = 25
	if got, _ := s.WaitQuantile(0.99); !math.IsInf(got, 1) {
		t.Errorf("unstable p99 = %v, want +Inf", got)
	}
	s.Queue = NoQueue
	if got, _ := s.WaitQuantile(0.99); got != 0 {
		t.Errorf("no queue p99 = %v, want 0", got)
	}
	if _, err := s.WaitQuantile(1); err == nil {
		t.Error("p = 1 accepted")
	}
}

// TestWaitQuantileInverts checks P(W > WaitQuantile(p)) = 1 − p for M/D/c
// where the quantile is positive: the bisection lands on the tail it
// inverts.
func TestWaitQuantileInverts(t *testing.T) {
	for _, c := range []int{2, 10, 50} {
		s := System{Boxes: c, JobRate: 0.9 * float64(c), Latency: 1, Service: Fixed, Queue: Unbounded}
		for _, p := range []float64{0.9, 0.99} {
			q, err := s.WaitQuantile(p)
			if err != nil || q <= 0 {
				t.Fatalf("c=%d p=%g: %v, %v", c, p, q, err)
			}
			v, _ := s.WaitOver(q)
			if math.Abs(v-(1-p)) > 1e-6 {
				t.Errorf("c=%d: P(W > p%g = %.6g) = %.9g, want %g", c, 100*p, q, v, 1-p)
			}
		}
	}
}
