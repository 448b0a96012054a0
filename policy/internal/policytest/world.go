// Package policytest is the policies' test world: a small time-stepped
// system (a load, boxes that start and become ready, metrics read from
// what happened) that drives a policy.Policy for trajectory tests, shared
// by the HPA's and the AWS policies' tests.
package policytest

import (
	"math"
	"testing"

	"github.com/boxes-project/boxes/policy"
)

// World is a small time-stepped system for trajectory tests: one-second
// steps, boxes that boot for boot seconds, jobs of latency seconds arriving
// at rate(t), and a per-second record that it serves as the History.
type World struct {
	Latency, Boot float64
	Rate          func(t float64) float64
	ready         int
	booting       []float64        // when each booting box becomes ready, ascending
	secs          []policy.Metrics // secs[i] covers [i, i+1)
}

// Window averages the recorded seconds in [from, to).
func (w *World) Window(from, to float64, out *policy.Metrics) bool {
	lo := max(0, int(math.Ceil(from)))
	hi := min(len(w.secs), int(math.Ceil(to)))
	if hi <= lo {
		return false
	}
	var m policy.Metrics
	for _, s := range w.secs[lo:hi] {
		m.JobRate += s.JobRate
		m.Served += s.Served
		m.Ready += s.Ready
		m.Busy += s.Busy
		m.Demand += s.Demand
	}
	n := float64(hi - lo)
	m.JobRate /= n
	m.Served /= n
	m.Ready /= n
	m.Busy /= n
	m.Demand /= n
	*out = m
	return true
}

// Step is what the world looked like at a reconciliation, after it.
type Step struct {
	T                       float64
	Desired, Ready, Booting int
}

// Run drives p from 0 to until seconds, reconciling every period seconds (0
// means every second), and returns every reconciliation.
func (w *World) Run(p policy.Policy, initial int, period, until float64) []Step {
	w.ready = initial
	var steps []Step
	for t := 0.0; t < until; t++ {
		for len(w.booting) > 0 && w.booting[0] <= t {
			w.booting = w.booting[1:]
			w.ready++
		}
		if period == 0 || math.Mod(t, period) == 0 {
			d := p.Desired(&policy.Observation{Time: t, Ready: w.ready, Booting: len(w.booting), Latency: w.Latency, History: w})
			for cur := w.ready + len(w.booting); cur < d; cur++ {
				if w.Boot == 0 {
					w.ready++
				} else {
					w.booting = append(w.booting, t+w.Boot)
				}
			}
			for cur := w.ready + len(w.booting); cur > d; cur-- {
				if n := len(w.booting); n > 0 {
					w.booting = w.booting[:n-1]
				} else {
					w.ready--
				}
			}
			steps = append(steps, Step{t, d, w.ready, len(w.booting)})
		}
		lam := w.Rate(t)
		demand := lam * w.Latency
		r := float64(w.ready)
		w.secs = append(w.secs, policy.Metrics{
			JobRate: lam,
			Served:  math.Min(lam, r/w.Latency),
			Ready:   r,
			Busy:    math.Min(demand, r),
			Demand:  demand,
		})
	}
	return steps
}

// StepLoad is 2 jobs/s, 20 jobs/s from 60 s, and 2 again from 600 s.
func StepLoad(t float64) float64 {
	if t >= 60 && t < 600 {
		return 20
	}
	return 2
}

// CheckTrajectory compares the decisions with want, a list of (time from
// which, count) pairs.
func CheckTrajectory(t testing.TB, steps []Step, want [][2]float64) {
	t.Helper()
	for _, s := range steps {
		exp := -1
		for _, w := range want {
			if s.T >= w[0] {
				exp = int(w[1])
			}
		}
		if s.Desired != exp {
			t.Errorf("t=%g: desired %d, want %d (ready %d, booting %d)", s.T, s.Desired, exp, s.Ready, s.Booting)
		}
	}
}

// ConstHistory reports the same window averages for every window.
type ConstHistory policy.Metrics

func (h ConstHistory) Window(from, to float64, m *policy.Metrics) bool {
	*m = policy.Metrics(h)
	return true
}
