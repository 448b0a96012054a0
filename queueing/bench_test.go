package queueing

import (
	"fmt"
	"testing"
)

// BenchmarkPlan times Smallest for fleets of about 100, 10,000 and 100,000
// boxes (jobs at 99% of the boxes' throughput, latency 100 ms) and each
// kind of target. The bound: under 10 ms at 100,000 boxes.
func BenchmarkPlan(b *testing.B) {
	cases := []struct {
		name string
		svc  Service
		q    Queue
		t    Targets
	}{
		{"miss", Fixed, NoQueue, Targets{MaxMiss: 0.01}},
		{"wait-prob/fixed", Fixed, Unbounded, Targets{MaxWaitProb: 0.01}},
		{"wait-prob/exponential", Exponential, Unbounded, Targets{MaxWaitProb: 0.01}},
		{"mean-wait/fixed", Fixed, Unbounded, Targets{MaxMeanWait: 0.001}},
		{"deadline/fixed", Fixed, Unbounded, Targets{Deadline: 0.05, MaxWaitOver: 0.01}},
		{"deadline/exponential", Exponential, Unbounded, Targets{Deadline: 0.05, MaxWaitOver: 0.01}},
	}
	for _, n := range []int{100, 10000, 100000} {
		for _, tc := range cases {
			s := System{JobRate: 0.99 * float64(n) / 0.1, Latency: 0.1, Service: tc.svc, Queue: tc.q}
			b.Run(fmt.Sprintf("%s/boxes=%d", tc.name, n), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := Smallest(s, tc.t); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

func BenchmarkErlangB(b *testing.B) {
	for _, n := range []int{100, 100000} {
		b.Run(fmt.Sprintf("boxes=%d", n), func(b *testing.B) {
			for b.Loop() {
				ErlangB(n, 0.99*float64(n))
			}
		})
	}
}

func BenchmarkMDcWaitProbability(b *testing.B) {
	for _, n := range []int{1, 100, 100000} {
		b.Run(fmt.Sprintf("boxes=%d", n), func(b *testing.B) {
			for b.Loop() {
				MDcWaitProbability(n, 0.9*float64(n))
			}
		})
	}
}
