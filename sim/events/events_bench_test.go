package events

import (
	"context"
	"testing"
	"time"

	"github.com/boxes-project/boxes/policy"
	"github.com/boxes-project/boxes/policy/hpa"
	"github.com/boxes-project/boxes/sim"
	"github.com/boxes-project/boxes/sim/internal/simtest"
	"github.com/boxes-project/boxes/workload"
)

// BenchmarkEventsMDc runs the M/D/c queue with statistics: c boxes of the
// articles' 200 ms jobs at ρ = 0.8 (4c jobs a second), fixed capacity, an
// unbounded queue, each wait into the histogram, ten million jobs a run,
// reporting jobs per second of wall time. The target is 100 million a
// second on one core.
//
//	go test ./sim/events -run '^$' -bench EventsMDc -benchmem -count 6 -cpu 1
//
// Memory stays flat in the number of jobs (TestEventsMemoryFlat checks the
// allocations); a billion jobs, measured on the command line:
//
//	cat > billion.yaml <<'END'
//	horizon: 7h
//	engine: events
//	box: {latency: 20ms, price: $0.10/h, boot: 60s}
//	jobs: {queue: unbounded}
//	workload: {constant: 40000/s}
//	policies: [{fixed: {capacity: 1000}}]
//	END
//	go build -o boxes ./cmd/boxes && /usr/bin/time -v ./boxes simulate billion.yaml
//
// (1.008 × 10⁹ jobs at ρ = 0.8 on 1,000 boxes; "Maximum resident set size".)
func BenchmarkEventsMDc(b *testing.B) {
	for _, c := range []int{10, 100, 1000} {
		b.Run("boxes="+simtest.Itoa(c), func(b *testing.B) {
			a := 0.8 * float64(c)
			s := simtest.RoundSetup(time.Duration(1e7/(a*5)) * time.Second) // 10 million jobs
			s.Box.Latency = 200 * time.Millisecond
			a *= 5 // jobs/s
			cfg := sim.JobsConfig{Seed: 1, Queue: sim.Queue{Kind: sim.Unbounded}}
			b.ReportAllocs()
			jobs := 0.0
			for b.Loop() {
				r, err := Events(context.Background(), s, workload.Constant(a), simtest.FixedRun(c), cfg)
				if err != nil {
					b.Fatal(err)
				}
				jobs += r.Jobs.Arrived
			}
			b.ReportMetric(jobs/b.Elapsed().Seconds(), "jobs/s")
		})
	}
}

// BenchmarkEventsScaling runs six hours of the default workload scaled to
// about 6,000 jobs a second under Kubernetes' HPA (cpu at 70%, 15 s sync,
// 90 s boot; some 1,700 to 3,000 boxes), with a bounded queue, a deadline,
// late jobs, a value function and percentile statistics, for the articles'
// fixed latency and for an exponential one (whose free times need the radix
// heap). The target is 30 million jobs a second on one core.
//
//	go test ./sim/events -run '^$' -bench EventsScaling -benchmem -count 6 -cpu 1
func BenchmarkEventsScaling(b *testing.B) {
	for _, dist := range []sim.LatencyKind{sim.Fixed, sim.Exponential} {
		b.Run(string(dist), func(b *testing.B) {
			s := simtest.DefaultSetup()
			s.Horizon = 6 * time.Hour
			s.Boot = 90 * time.Second
			w := workload.Product{simtest.DefaultYear, workload.Constant(100)}
			h := hpa.DefaultHPA()
			h.Target, h.MinReplicas, h.MaxReplicas = 0.7, 2, 10000
			env := policy.Env{Latency: 0.2, Step: 1, Boot: 90, Horizon: s.Horizon.Seconds(), Start: s.Start, InitialRate: 3000}
			cfg := sim.JobsConfig{Seed: 1, Latency: sim.Latency{Distribution: dist},
				Queue: sim.Queue{Kind: sim.Bounded, Capacity: 5000, Deadline: time.Second, LateAfter: 500 * time.Millisecond},
				Value: sim.Value{Kind: sim.Linear, Horizon: 2 * time.Second}}
			b.ReportAllocs()
			jobs := 0.0
			for b.Loop() {
				run, err := h.Start(env)
				if err != nil {
					b.Fatal(err)
				}
				r, err := Events(context.Background(), s, w, run, cfg)
				if err != nil {
					b.Fatal(err)
				}
				jobs += r.Jobs.Arrived
			}
			b.ReportMetric(jobs/b.Elapsed().Seconds(), "jobs/s")
		})
	}
}
