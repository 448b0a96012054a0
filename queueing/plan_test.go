package queueing

import (
	"math"
	"strings"
	"testing"
)

func TestSmallestErlangTable(t *testing.T) {
	// The Erlang B table: 8.108 erlangs at 1% loss need 15 boxes.
	s := System{JobRate: 8.108, Latency: 1}
	c, err := Smallest(s, Targets{MaxMiss: 0.01})
	if err != nil || c != 15 {
		t.Fatalf("Smallest = %d, %v; want 15", c, err)
	}
	// 8.109 erlangs need 16.
	s.JobRate = 8.109
	if c, _ := Smallest(s, Targets{MaxMiss: 0.01}); c != 16 {
		t.Errorf("8.109 erlangs: %d boxes, want 16", c)
	}
}

func TestSmallestSimple(t *testing.T) {
	tests := []struct {
		name string
		s    System
		t    Targets
		want int
	}{
		// Utilization alone is the articles' CapacityFor: ceil(40 × 0.2 / 0.8) = 10.
		{"utilization", System{JobRate: 40, Latency: 0.2}, Targets{MaxUtilization: 0.8}, 10},
		// ceil(0.6/0.6) = 1, not 2: rounding is guarded.
		{"utilization exact", System{JobRate: 3, Latency: 0.2}, Targets{MaxUtilization: 0.6}, 1},
		// M/M/1 at a = 0.5 waits with probability 0.5; M/M/2 with a²/(2 + a) = 0.1.
		{"erlang C", System{JobRate: 0.5, Latency: 1, Service: Exponential, Queue: Unbounded}, Targets{MaxWaitProb: 0.2}, 2},
		// No load needs no box.
		{"no load", System{JobRate: 0, Latency: 1}, Targets{MaxMiss: 0.01}, 0},
		// A queue needs more boxes than the load to be stable: a = 3 needs 4.
		{"stability", System{JobRate: 3, Latency: 1, Queue: Unbounded}, Targets{MaxMeanWait: 1e9}, 4},
	}
	for _, tc := range tests {
		got, err := Smallest(tc.s, tc.t)
		if err != nil || got != tc.want {
			t.Errorf("%s: %d, %v; want %d", tc.name, got, err, tc.want)
		}
	}
}

// Property: the answer meets every target and one box fewer misses one,
// across models, loads from tiny to 100,000 erlangs, and every kind of
// target.
func TestSmallestIsSmallest(t *testing.T) {
	targets := []Targets{
		{MaxMiss: 0.01},
		{MaxMiss: 1e-6},
		{MaxMiss: 0.2, MaxUtilization: 0.9},
		{MaxWaitProb: 0.05},
		{MaxWaitProb: 1e-4},
		{MaxMeanWait: 0.01},
		{Deadline: 0.05, MaxWaitOver: 0.01},
		{Deadline: 0.5, MaxWaitOver: 1e-3},
		{MaxWaitProb: 0.5, MaxMeanWait: 0.002, MaxUtilization: 0.95},
	}
	for _, rate := range []float64{0.3, 7, 95, 2000, 1e6} {
		for _, svc := range []Service{Fixed, Exponential} {
			for _, tg := range targets {
				s := System{JobRate: rate, Latency: 0.1, Service: svc}
				if tg.MaxMiss == 0 {
					s.Queue = Unbounded
				}
				c, err := Smallest(s, tg)
				if err != nil {
					t.Errorf("rate %g %v %+v: %v", rate, svc, tg, err)
					continue
				}
				s.Boxes = c
				p, err := Evaluate(s, tg)
				if err != nil || !p.Met {
					t.Errorf("rate %g %v %+v: %d boxes do not meet it (%v)", rate, svc, tg, c, err)
				}
				if c == 0 {
					continue
				}
				s.Boxes = c - 1
				p, err = Evaluate(s, tg)
				if err != nil || p.Met {
					t.Errorf("rate %g %v %+v: %d boxes meet it too (%v)", rate, svc, tg, c-1, err)
				}
			}
		}
	}
}

func TestEvaluate(t *testing.T) {
	s := System{Boxes: 2, JobRate: 1, Latency: 1, Service: Exponential, Queue: Unbounded}
	p, err := Evaluate(s, Targets{Deadline: 1, MaxWaitOver: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	// M/M/2 at a = 1: C = 1/3, mean wait C·L/(c − a) = 1/3 s, P(W > 1) = e^{−1}/3.
	checks := []struct {
		name      string
		got, want float64
	}{
		{"offered load", p.OfferedLoad, 1},
		{"utilization", p.Utilization, 0.5},
		{"P(wait)", p.PWait, 1.0 / 3},
		{"mean wait", p.MeanWait, 1.0 / 3},
		{"P(W > 1)", p.PWaitOver, math.Exp(-1) / 3},
		{"P(miss)", p.PMiss, 0},
	}
	for _, c := range checks {
		if !close(c.got, c.want, 1e-14) {
			t.Errorf("%s = %.16g, want %.16g", c.name, c.got, c.want)
		}
	}
	if math.IsNaN(p.PTimeout) || !p.Met || !p.HasDeadline {
		t.Errorf("timeout %g, met %v, deadline %v", p.PTimeout, p.Met, p.HasDeadline)
	}
	// No queue: the boxes are busy with the carried load a(1 − B)/c; the
	// articles' utilization a/c counts the missed jobs too. B(2, 1) = 1/5.
	p, _ = Evaluate(System{Boxes: 2, JobRate: 1, Latency: 1}, Targets{})
	if !close(p.Busy, 0.5*(1-0.2), 1e-15) || p.Utilization != 0.5 {
		t.Errorf("no queue: busy %g, utilization %g", p.Busy, p.Utilization)
	}
	// An unstable queue waits forever.
	s.JobRate = 2
	p, _ = Evaluate(s, Targets{})
	if !math.IsInf(p.MeanWait, 1) || p.PWait != 1 || s.Stable() || p.Busy != 1 {
		t.Errorf("unstable: mean wait %g, P(wait) %g", p.MeanWait, p.PWait)
	}
}

func TestBadInput(t *testing.T) {
	good := System{Boxes: 1, JobRate: 1, Latency: 1}
	tests := []struct {
		s    System
		t    Targets
		want string
	}{
		{System{Boxes: -1, JobRate: 1, Latency: 1}, Targets{}, "boxes -1"},
		{System{JobRate: -1, Latency: 1}, Targets{}, "job rate -1"},
		{System{JobRate: math.NaN(), Latency: 1}, Targets{}, "job rate NaN"},
		{System{JobRate: 1, Latency: 0}, Targets{}, "latency 0"},
		{System{JobRate: 1, Latency: 1, Service: "pareto"}, Targets{}, "service"},
		{good, Targets{MaxMiss: 1.5}, "max miss 1.5"},
		{good, Targets{MaxWaitProb: 0.1}, "waiting targets need a queue"},
		{System{JobRate: 1, Latency: 1, Queue: Unbounded}, Targets{MaxMiss: 0.1}, "miss target needs no queue"},
		{good, Targets{MaxMeanWait: -1}, "max mean wait -1"},
		{good, Targets{Deadline: -1, MaxWaitOver: 0.1}, "deadline -1"},
	}
	for _, tc := range tests {
		_, err := Evaluate(tc.s, tc.t)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "queueing: ") {
			t.Errorf("%+v %+v: error %v, want one naming %q", tc.s, tc.t, err, tc.want)
		}
	}
	if _, err := Smallest(good, Targets{}); err == nil {
		t.Error("Smallest with no target: no error")
	}
	if _, err := ParseService("slow"); err == nil {
		t.Error("ParseService(slow): no error")
	}
	if _, err := ParseQueue("lifo"); err == nil {
		t.Error("ParseQueue(lifo): no error")
	}
	if _, err := (System{Boxes: 1, JobRate: 1, Latency: 1, Queue: Unbounded}).TimeoutProbability(1); err == nil {
		t.Error("timeout with fixed latency: no error")
	}
}
