package events

import (
	"context"
	"math"
	"runtime"
	"testing"
	"time"

	"github.com/boxes-project/boxes/policy"
	"github.com/boxes-project/boxes/policy/hpa"
	"github.com/boxes-project/boxes/sim"
	"github.com/boxes-project/boxes/sim/engine"
	"github.com/boxes-project/boxes/sim/internal/rng"
	"github.com/boxes-project/boxes/sim/internal/simtest"
	"github.com/boxes-project/boxes/workload"
)

// mdcLimit is the bare M/D/c loop, the limit the events engine is measured
// against: Poisson arrivals at lambda a second for horizon seconds, c boxes
// of fixed latency d, first come first served with an unbounded queue,
// by the Kiefer–Wolfowitz recursion on a ring of free times (a job
// arriving at a starts at s = max(a, earliest free time) and frees that
// box at s + d). It draws its gaps from the engine's arrival stream, in
// the engine's blocks, and keeps the engine's statistics (arrived, served,
// summed waits, each wait into the histogram), and nothing else: no steps,
// no policy, no fleet, no series.
func mdcLimit(c int, lambda, d, horizon float64, seed uint64, h *timeHistogram) (arrived int64, sumWait float64) {
	rng := newLimitRNG(seed)
	var gaps [engine.BlockSize]float64
	free := make([]float64, c)
	head := 0
	inv := 1 / lambda
	bins := &h.bins
	a := 0.0
	for {
		fillGaps(&rng, gaps[:])
		for _, g := range gaps {
			a += g * inv
			if a >= horizon {
				return arrived, sumWait
			}
			arrived++
			m := free[head]
			s := math.Float64frombits(max(math.Float64bits(a), math.Float64bits(m)))
			free[head] = s + d
			head++
			head &= (head - c) >> 63
			w := s - a
			sumWait += w
			bins[min(max(int(math.Float64bits(w)>>histShift)-histLow+1, 0), histMaxBin)]++
		}
	}
}

// mmcLimit is mdcLimit with exponential latencies of mean d, drawn from the
// engine's latency stream in its blocks: the free times are no longer
// sorted by themselves, so the loop keeps them sorted as the engine does
// for a small fleet (replaceSmallest: the earliest out, the new end in),
// and adds each response time to a second histogram. It is the M/M/c
// limit: what a per-job simulation that keeps the free times sorted costs
// with nothing else.
func mmcLimit(c int, lambda, d, horizon float64, seed uint64, wait, response *timeHistogram) (arrived int64, sumWait float64) {
	arr, lat := newLimitRNG(seed), rng.New(seed, 0xbb67ae8584caa73b)
	var gaps, lats [engine.BlockSize]float64
	free := make([]uint64, c)
	mb := uint64(0) // the earliest free time's bits
	inv := 1 / lambda
	wbins, rbins := &wait.bins, &response.bins
	a := 0.0
	for {
		fillGaps(&arr, gaps[:])
		lat.FillExp(lats[:])
		for i, g := range gaps {
			a += g * inv
			if a >= horizon {
				return arrived, sumWait
			}
			arrived++
			s := math.Float64frombits(max(math.Float64bits(a), mb))
			l := lats[i] * d
			mb = replaceSmallest(free, math.Float64bits(s+l))
			w := s - a
			sumWait += w
			wbins[min(max(int(math.Float64bits(w)>>histShift)-histLow+1, 0), histMaxBin)]++
			rbins[min(max(int(math.Float64bits(w+l)>>histShift)-histLow+1, 0), histMaxBin)]++
		}
	}
}

// BenchmarkEventsLimit runs the events engine on M/D/10 (λ = 9/s, 1 s
// jobs, ρ = 0.9, a fixed fleet, an unbounded queue; about ten million
// jobs a run) and, in the same loop, the bare M/D/c loop mdcLimit on the
// same arrivals, and reports the engine's jobs a second and its ratio to
// the limit's ("ratio", 1 is the bare loop's speed; both in CPU time of
// the benchmark's thread, so that a busy machine does not skew them), with a 1 s step and
// with a 1 h step; then M/M/10 (exponential latencies, the same λ) with
// its ratio to the same M/D/10 limit, and to the M/M/c limit mmcLimit
// ("mmc-ratio"): how much of the gap to M/D/c is keeping random free times
// in order, which no bookkeeping of the engine's can win back.
//
//	go test ./sim/events -run '^$' -bench EventsLimit -benchmem -count 6 -cpu 1
func BenchmarkEventsLimit(b *testing.B) {
	const c, lambda = 10, 9.0
	horizon := 309 * time.Hour // 10.0 million jobs; whole hours
	for _, bc := range []struct {
		name string
		step time.Duration
		dist sim.LatencyKind
	}{
		{"MD10/step=1s", time.Second, sim.Fixed},
		{"MD10/step=1h", time.Hour, sim.Fixed},
		{"MM10/step=1s", time.Second, sim.Exponential},
		{"MM10/step=1h", time.Hour, sim.Exponential},
	} {
		b.Run(bc.name, func(b *testing.B) {
			s := simtest.RoundSetup(horizon)
			s.Step = bc.step
			cfg := sim.JobsConfig{Seed: 1, Queue: sim.Queue{Kind: sim.Unbounded}, Latency: sim.Latency{Distribution: bc.dist}}
			b.ReportAllocs()
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			var jobs, limitJobs, mmcJobs float64
			var engine, limit, mmc time.Duration
			for b.Loop() {
				t0 := simtest.ThreadCPU()
				r, err := Events(context.Background(), s, workload.Constant(lambda), simtest.FixedRun(c), cfg)
				if err != nil {
					b.Fatal(err)
				}
				t1 := simtest.ThreadCPU()
				var h timeHistogram
				n, _ := mdcLimit(c, lambda, 1, horizon.Seconds(), 1, &h)
				t2 := simtest.ThreadCPU()
				limit += t2 - t1
				engine += t1 - t0
				jobs += r.Jobs.Arrived
				limitJobs += float64(n)
				if bc.dist == sim.Exponential {
					var w, rt timeHistogram
					n, _ := mmcLimit(c, lambda, 1, horizon.Seconds(), 1, &w, &rt)
					mmc += simtest.ThreadCPU() - t2
					mmcJobs += float64(n)
				}
			}
			rate, limitRate := jobs/engine.Seconds(), limitJobs/limit.Seconds()
			b.ReportMetric(rate, "jobs/cpu-s")
			b.ReportMetric(limitRate, "limit-jobs/cpu-s")
			b.ReportMetric(rate/limitRate, "ratio")
			if mmc > 0 {
				b.ReportMetric(mmcJobs/mmc.Seconds(), "mmc-limit-jobs/cpu-s")
				b.ReportMetric(rate/(mmcJobs/mmc.Seconds()), "mmc-ratio")
			}
		})
	}
}

// BenchmarkEventsHPA runs six hours of the default workload scaled to
// about 360 jobs a second (66 boxes at the peak) under Kubernetes' HPA (70%,
// 15 s sync, 90 s boot), with a bounded queue, a deadline, late jobs, a
// value function and percentile statistics, fixed 200 ms jobs: the
// engine's full bookkeeping with a few hundred jobs a step.
//
//	go test ./sim/events -run '^$' -bench EventsHPA -benchmem -count 6 -cpu 1
func BenchmarkEventsHPA(b *testing.B) {
	s := simtest.DefaultSetup()
	s.Horizon = 6 * time.Hour
	s.Boot = 90 * time.Second
	w := workload.Product{simtest.DefaultYear, workload.Constant(6)}
	h := hpa.DefaultHPA()
	h.Target, h.MinReplicas, h.MaxReplicas = 0.7, 2, 10000
	env := policy.Env{Latency: 0.2, Step: 1, Boot: 90, Horizon: s.Horizon.Seconds(), Start: s.Start, InitialRate: 180}
	cfg := sim.JobsConfig{Seed: 1,
		Queue: sim.Queue{Kind: sim.Bounded, Capacity: 5000, Deadline: time.Second, LateAfter: 500 * time.Millisecond},
		Value: sim.Value{Kind: sim.Linear, Horizon: 2 * time.Second}}
	b.ReportAllocs()
	jobs, boxes := 0.0, 0
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	t0 := simtest.ThreadCPU()
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
		boxes = r.PeakBoxes
	}
	b.ReportMetric(jobs/b.Elapsed().Seconds(), "jobs/s")
	b.ReportMetric(jobs/(simtest.ThreadCPU()-t0).Seconds(), "jobs/cpu-s")
	b.ReportMetric(float64(boxes), "peak-boxes")
}
