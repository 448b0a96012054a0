package sim

import (
	"context"
	"math"
	"time"

	"github.com/boxes-project/boxes"
	"github.com/boxes-project/boxes/policy"
	"github.com/boxes-project/boxes/workload"
)

// Serverless runs the workload on a serverless platform, one step at a time.
// Concurrency follows demand: a step's jobs need
//
//	busy = ceil(arrivals × Latency / step)
//
// environments. Environments used in the last KeepAlive stay warm; more
// than that are cold-started, each initializing for ColdStart (billed when
// BillColdStart is set), no more than the scale-up allowance (a token
// bucket of ScaleUpBurst refilled at ScaleUpRate) and never beyond
// ConcurrencyLimit in all. Jobs beyond what the environments can serve are
// throttled: missed. Billing is per request and per GB-second of run time,
// each rounded up to the millisecond. Utilization is demand over the
// environments in existence (warm or new).
//
// Only the Box's Latency, the Horizon, Step and Points of the setup are used:
// the platform has no boxes of yours to boot, drain or bill.
func Serverless(ctx context.Context, s Setup, w workload.Curve, p policy.Serverless) (*Result, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if err := checkWorkload(s, w); err != nil {
		return nil, err
	}
	e := &serverless{
		dt:      s.Step.Seconds(),
		n:       s.steps(),
		latency: s.Box.Latency.Seconds(),
		job:     s.Box.Latency,
		p:       p,
	}
	e.series = newSeriesBuilder(e.n, e.dt, e.latency, s.points())
	if err := e.simulate(ctx, s, workload.NewSampler(w, 0, e.dt)); err != nil {
		return nil, err
	}
	return e.result(), nil
}

type serverless struct {
	dt      float64
	n       int
	latency float64
	job     time.Duration // latency, as billed
	p       policy.Serverless

	arrived, served, missed float64
	envSteps                float64 // environments in existence summed over steps
	initArea                float64 // environment-seconds spent initializing
	coldStarts              int
	peak                    int
	over                    int
	cost                    float64 // dollars so far, before the free tier
	util                    utilizationHistogram
	series                  seriesBuilder
}

func (e *serverless) simulate(ctx context.Context, s Setup, sampler *workload.Sampler) error {
	perJob := e.p.Price.CostPerJob(s.Box.Latency)
	initSeconds := 0.0
	if e.p.BillColdStart {
		initSeconds = boxes.BilledSeconds(e.p.ColdStart)
	}
	perInit := e.p.Price.GBSecond.Amount * e.p.Price.MemoryGB * initSeconds
	coldStart := e.p.ColdStart.Seconds()
	init := math.Min(coldStart, e.dt) // start-up within the step it begins in
	keep := max(1, int(math.Ceil(e.p.KeepAlive.Seconds()/e.dt-1e-9)))
	warm := newSlidingMax(keep)
	tokens := float64(e.p.ScaleUpBurst)
	refill := float64(e.p.ScaleUpRate) * e.dt

	var arr [blockSize]float64
	nextBucket := 0
	for k0 := 0; k0 < e.n; k0 += blockSize {
		if err := ctx.Err(); err != nil {
			return err
		}
		if s.Progress != nil {
			s.Progress(float64(k0)*e.dt, float64(e.n)*e.dt)
		}
		m := min(blockSize, e.n-k0)
		sampler.Next(arr[:m])
		for i, a := range arr[:m] {
			k := k0 + i
			if k >= nextBucket {
				e.series.close(k, e)
				nextBucket = e.series.next
			}
			demand := a * e.latency / e.dt // environments busy on average
			pool := warm.max(k)            // environments still warm
			tokens = math.Min(float64(e.p.ScaleUpBurst), tokens+refill)
			limit := min(e.p.ConcurrencyLimit, pool+int(tokens))
			// A new environment spends its start-up (up to the whole step)
			// before its first job, so the platform starts enough to cover
			// the jobs and the start-ups: used environments with
			// used − pool of them new serve for used × step − (used − pool)
			// × start-up, which must reach demand × step.
			need := ceilCount(demand)
			if need > pool && init > 0 {
				if init < e.dt {
					need = max(need, ceilCount((demand*e.dt-float64(pool)*init)/(e.dt-init)))
				} // else new environments serve nothing this step: start what the load needs
			}
			used := min(need, limit)
			fresh := max(0, used-pool)
			tokens -= float64(fresh)
			warm.push(k, used)
			initBusy := float64(fresh) * init // environment-seconds of start-up this step

			sv := a
			// Within float noise of the capacity (1e-9 relative) is served.
			if capacity := (float64(used)*e.dt - initBusy) / e.latency; a > capacity*(1+1e-9) {
				sv = capacity
			}
			if sv < a {
				e.missed += a - sv
				e.over++
			}
			e.arrived += a
			e.served += sv
			envs := max(pool, used)
			e.envSteps += float64(envs)
			e.peak = max(e.peak, envs)
			e.coldStarts += fresh
			e.initArea += float64(fresh) * coldStart
			e.cost += sv*perJob + float64(fresh)*perInit
			switch {
			case envs > 0:
				e.util.add((demand + initBusy/e.dt) / float64(envs))
			case a > 0:
				e.util.add(math.Inf(1))
			default:
				e.util.add(0)
			}
		}
	}
	e.series.close(e.n, e)
	return nil
}

// ceilCount rounds a fluid count of busy environments up to whole ones,
// forgiving float noise (3.0000000001 is 3).
func ceilCount(x float64) int {
	c := math.Ceil(x - 1e-9*math.Max(1, x))
	if c <= 0 {
		return 0
	}
	return int(math.Min(c, MaxBoxes))
}

func (e *serverless) cumulative(t float64) cumulative {
	return cumulative{arrived: e.arrived, served: e.served, readySteps: e.envSteps, bootArea: e.initArea, cost: e.cost}
}

func (e *serverless) result() *Result {
	horizon := float64(e.n) * e.dt
	billedRun := e.served * boxes.BilledSeconds(e.job)
	initBilled := 0.0
	if e.p.BillColdStart {
		initBilled = float64(e.coldStarts) * boxes.BilledSeconds(e.p.ColdStart)
	}
	cost := e.cost
	if e.p.FreeTier {
		months := horizon / (730 * 3600)
		gbs := (billedRun + initBilled) * e.p.Price.MemoryGB
		cost -= math.Min(e.served, policy.FreeRequestsPerMonth*months) * e.p.Price.Request.Amount
		cost -= math.Min(gbs, policy.FreeGBSecondsPerMonth*months) * e.p.Price.GBSecond.Amount
		cost = math.Max(0, cost)
	}
	r := &Result{
		Engine:              "serverless",
		Jobs:                Jobs{Arrived: e.arrived, Served: e.served, Missed: e.missed},
		Utilization:         e.util.distribution(),
		SecondsOverCapacity: float64(e.over) * e.dt,
		BoxHours:            (billedRun + initBilled) / 3600,
		BoxStarts:           e.coldStarts,
		PeakBoxes:           e.peak,
		Cost:                cost,
		IdleCost:            e.p.Price.GBSecond.Amount * e.p.Price.MemoryGB * initBilled,
	}
	if e.envSteps > 0 {
		r.BusyFraction = e.served * e.latency / (e.envSteps * e.dt)
	}
	if e.served > 0 {
		// Each cold start delays the job that started it by the start-up.
		r.ColdStartDelay = float64(e.coldStarts) * coldStartOf(e.p) / e.served
	}
	r.Series = e.series.finish(cost)
	return r
}

func coldStartOf(p policy.Serverless) float64 { return p.ColdStart.Seconds() }

// slidingMax is the maximum of the values pushed in the last w steps: a
// monotone deque in a ring, so each step costs O(1) amortized and the
// memory is bounded by w.
type slidingMax struct {
	w          int
	steps      []int
	vals       []int
	head, size int
}

func newSlidingMax(w int) *slidingMax {
	return &slidingMax{w: w, steps: make([]int, w+1), vals: make([]int, w+1)}
}

// max is the largest value pushed at steps in [k−w, k).
func (s *slidingMax) max(k int) int {
	for s.size > 0 && s.steps[s.head] < k-s.w {
		s.head = (s.head + 1) % len(s.steps)
		s.size--
	}
	if s.size == 0 {
		return 0
	}
	return s.vals[s.head]
}

// push records value v at step k; steps must increase.
func (s *slidingMax) push(k, v int) {
	for s.size > 0 {
		last := (s.head + s.size - 1) % len(s.steps)
		if s.vals[last] > v {
			break
		}
		s.size--
	}
	i := (s.head + s.size) % len(s.steps)
	s.steps[i], s.vals[i] = k, v
	s.size++
}
