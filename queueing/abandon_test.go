package queueing

import (
	"math"
	"testing"
)

func TestMMcDTimeoutIdentities(t *testing.T) {
	// d = 0: every job that would wait leaves, which is Erlang's loss
	// system: P(timeout) = B(c, a).
	for _, c := range []int{1, 2, 5, 20, 100} {
		for _, a := range []float64{0.5, 3, 18, 120} {
			if got, want := MMcDTimeout(c, a, 0), ErlangB(c, a); !close(got, want, 1e-13) {
				t.Errorf("c=%d a=%g d=0: %.15g, Erlang B %.15g", c, a, got, want)
			}
		}
	}
	// One box (M/M/1+D): Barrer, "Queuing with impatient customers and
	// ordered service", Operations Research 5 (1957):
	// P(timeout) = ρ(1−ρ)e^{−(1−ρ)d} / (1 − ρ²e^{−(1−ρ)d}), d in mean latencies.
	for _, rho := range []float64{0.3, 0.8, 1.5} {
		for _, d := range []float64{0.1, 1, 4} {
			e := math.Exp(-(1 - rho) * d)
			want := rho * (1 - rho) * e / (1 - rho*rho*e)
			if got := MMcDTimeout(1, rho, d); !close(got, want, 1e-12) {
				t.Errorf("M/M/1+D ρ=%g d=%g: %.15g, Barrer %.15g", rho, d, got, want)
			}
		}
	}
	// The longer the deadline, the fewer time out; stable loads go to 0,
	// overloads to the excess 1 − c/a.
	prev := 1.0
	for _, d := range []float64{0, 0.1, 1, 10, 100, 1000} {
		p := MMcDTimeout(10, 9, d)
		if p > prev {
			t.Errorf("d=%g: %g above %g at a shorter deadline", d, p, prev)
		}
		prev = p
	}
	if p := MMcDTimeout(10, 9, 1000); p > 1e-100 {
		t.Errorf("stable load, long deadline: %g", p)
	}
	if p := MMcDTimeout(10, 12, 1e6); !close(p, 1-10.0/12, 1e-9) {
		t.Errorf("overload, long deadline: %g, want %g", p, 1-10.0/12)
	}
}

// mmcdSim holds P(timeout) from a simulation of 4,000,000 jobs (Python's
// random, seed 1): python3 queueing/testdata/mmcd_sim.py. Columns: c, a, d
// (in mean latencies), P(timeout), its standard error.
var mmcdSim = []struct{ c, a, d, p, se float64 }{
	{1, 0.8, 1.0, 0.275589, 2.2e-04},
	{3, 2.5, 0.5, 0.167155, 1.9e-04},
	{10, 11.0, 0.2, 0.193883, 2.0e-04}, // overloaded: only abandonment keeps it stable
	{20, 18.0, 0.05, 0.090471, 1.4e-04},
}

func TestMMcDTimeoutAgainstSimulation(t *testing.T) {
	for _, r := range mmcdSim {
		got := MMcDTimeout(int(r.c), r.a, r.d)
		// Four standard errors: a 1-in-15,000 chance of a false alarm.
		if math.Abs(got-r.p) > 4*r.se {
			t.Errorf("c=%g a=%g d=%g: %.6f, simulation %.6f ± %.1e", r.c, r.a, r.d, got, r.p, r.se)
		}
	}
}
