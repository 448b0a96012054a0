package scenario

import (
	"fmt"
	"math"
	"runtime"

	"github.com/boxes-project/boxes/policy"
	"github.com/boxes-project/boxes/policy/hpa"
	"github.com/boxes-project/boxes/sim"
	"github.com/boxes-project/boxes/workload"
)

// Cost is what a run of a scenario will hold and do, estimated from the
// built scenario before anything is allocated for it: the resource model
// that the CLI's and the server's budgets are checked against. It reads
// the scenario (its steps, boxes, queue bound, lookbacks and expected
// jobs), never the engines' internals, so it stays an estimate: each term
// is an upper bound on what the engine holds for it, within a small factor.
type Cost struct {
	// Steps is Horizon / Step, the steps of one run.
	Steps int64
	// Runs is how many engine runs the scenario makes: each policy once per
	// replication, and the oracle.
	Runs int
	// Jobs is the number of jobs the per-job engine draws over every run
	// and replication (0 on the fluid engine).
	Jobs float64
	// Queue is the most jobs one run may hold waiting: 0 without a queue,
	// a bounded queue's capacity, and for an unbounded one the backlog the
	// fluid workload builds against the policy's smallest fleet (a
	// deadline or a crash length bounds it further).
	Queue float64
	// History is the most steps of history one run keeps for its policy
	// (the policy's lookback / Step; a serverless platform's keep-alive /
	// Step).
	History float64
	// Memory is the peak bytes held: the largest run's history, queue and
	// fleet times the runs at once, plus every run's time series and a job
	// log's arrival times and latencies.
	Memory float64
	// Work is the work units of the whole scenario: one per step of each
	// run plus one per job of the per-job engine. About 20 million take a
	// second of one core.
	Work float64
}

// Bytes per item the engines hold, rounded up, with room for a slice's
// doubling (the old and the new array at the moment it grows).
const (
	bytesPerQueued = 3 * 32 // sim's pending job (arrival, resolution, latency, kind) in a ring of a power of two, with the smaller rings it outgrew not yet collected
	bytesPerSlot   = 2 * 40 // sim's history ring slot, rounded up to a power of two
	bytesPerBox    = 3 * 16 // a box's free time and its place in the ready heap
	bytesPerPoint  = 2 * 8 * 8
	// sim's serverless warm pool: a step and a count per slot of the
	// keep-alive window.
	bytesPerKeepAlive = 2 * 8
	bytesPerRunBase   = 64 << 10
)

// Cost estimates what a run of the scenario takes with the given number
// of workers (0: one per core, as Options.Workers). On the per-job engine
// it walks the workload once for its jobs and once per distinct smallest
// fleet among the policies with an unbounded queue (O(Steps) passes, like
// Measure), on the fluid engine not at all; a scenario whose steps exceed sim.MaxSteps is refused by
// Build before it gets here.
func (sc *Scenario) Cost(workers int) Cost {
	s := sc.Setup
	c := Cost{Steps: int64(s.Horizon / s.Step)}
	reps := sc.reps()
	// The per-job engine's terms need the jobs and the peak rate; the
	// fluid engine's need only what a policy starts from (its lookback),
	// which the first step gives (a fixed fleet sized from the peak has
	// no lookback).
	st := sc.initialStats()
	if sc.Engine == EngineEvents {
		st = sc.Measure()
	}
	env := sc.Env(st)
	points := s.Points
	if points <= 0 {
		points = 1000
	}
	dt := s.Step.Seconds()
	latency := s.Box.Latency.Seconds()
	perRun := 0.0
	backlogs := map[int]float64{}
	for _, p := range sc.Policies {
		runs := 1
		if p.Serverless() == nil {
			runs = reps
		}
		c.Runs += runs
		mem := float64(bytesPerRunBase)
		if sl := p.Serverless(); sl != nil {
			// The platform's warm pool is a sliding maximum over the
			// keep-alive: two ints a step of it.
			keep := math.Ceil(sl.KeepAlive.Seconds()/dt) + 1
			c.History = math.Max(c.History, keep)
			perRun = math.Max(perRun, mem+keep*bytesPerKeepAlive)
			continue
		}
		lookback, fleet := 0.0, 0.0
		if run, err := p.Config.Start(env); err == nil {
			lookback = run.Lookback
			fleet = float64(run.Initial)
		}
		hist := math.Ceil(lookback/dt) + 2
		c.History = math.Max(c.History, hist)
		mem += math.Exp2(math.Ceil(math.Log2(hist))) * bytesPerSlot
		if sc.Engine == EngineEvents {
			c.Jobs += st.Jobs * float64(runs)
			if len(sc.Jobs.Arrivals) > 0 {
				c.Jobs += float64(len(sc.Jobs.Arrivals)*runs) - st.Jobs*float64(runs)
			}
			smallest := minFleet(p.Config, int(fleet))
			q, ok := backlogs[smallest]
			if !ok {
				q = sc.queueBound(st, smallest)
				backlogs[smallest] = q
			}
			c.Queue = math.Max(c.Queue, q)
			mem += math.Exp2(math.Ceil(math.Log2(q+1))) * bytesPerQueued
			mem += math.Max(fleet, st.Peak*latency) * bytesPerBox
		}
		perRun = math.Max(perRun, mem)
	}
	c.Runs++ // the oracle
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	// A job log's arrival times and latencies, which every run reads.
	trace := 8 * float64(len(sc.Jobs.Arrivals)+len(sc.Jobs.Latency.Samples))
	c.Memory = perRun*float64(min(workers, c.Runs)) + float64(c.Runs)*float64(points)*bytesPerPoint + trace + runOverhead
	c.Memory += sc.sharedBytes() // the workload Run reads once for every run (samples.go)
	c.Work = float64(c.Steps)*float64(c.Runs) + c.Jobs
	return c
}

// runOverhead is an allowance for what any run holds besides the terms
// Cost counts: its engine's and policy's fixed state, the result and its
// JSON, and garbage not yet collected, so that a small run's estimate
// bounds it too (TestCostBoundsTheRun's history case peaked 0.3 MiB above
// the terms alone).
const runOverhead = 4 << 20

// minFleet is the fewest boxes a policy may run: its min, a fixed fleet's
// size, a schedule's smallest window; 0 when the kind does not say.
func minFleet(cfg policy.Config, initial int) int {
	switch c := cfg.(type) {
	case *policy.Fixed:
		return initial
	case *hpa.HPASpec:
		return c.Min
	case *hpa.Target:
		return c.Min
	case *policy.Scheduled:
		n := c.Default
		for _, w := range c.Windows {
			n = min(n, w.Capacity)
		}
		return n
	}
	return 0
}

// queueBound is the most jobs waiting at once on the per-job engine with
// a fleet of at least boxes: the queue's capacity when bounded; for an
// unbounded one, the fluid backlog Q(k) = max(0, Q(k−1) + a(k) − boxes ×
// Step / Latency) of the workload's arrivals a(k) against that fleet
// (Lindley's recursion), with 10% and 1,024 jobs of room for Poisson
// noise; a deadline D bounds it by the peak JobRate × D, a crash length by
// itself.
func (sc *Scenario) queueBound(st Stats, boxes int) float64 {
	q := sc.Jobs.Queue
	var bound float64
	switch q.Kind {
	case sim.NoQueue, "":
		return 0
	case sim.Bounded:
		bound = float64(q.Capacity)
	default:
		s := sc.Setup
		dt := s.Step.Seconds()
		serve := float64(boxes) * dt / s.Box.Latency.Seconds()
		n := int(s.Horizon / s.Step)
		sampler := workload.NewSampler(sc.Workload, 0, dt)
		buf := make([]float64, 4096)
		backlog, peak := 0.0, 0.0
		for k := 0; k < n; k += len(buf) {
			m := min(len(buf), n-k)
			sampler.Next(buf[:m])
			for _, a := range buf[:m] {
				backlog = math.Max(0, backlog+a-serve)
				peak = math.Max(peak, backlog)
			}
		}
		bound = peak*1.1 + 1024
		if len(sc.Jobs.Arrivals) > 0 {
			bound = math.Max(bound, float64(len(sc.Jobs.Arrivals)))
		}
	}
	if q.Deadline > 0 {
		bound = math.Min(bound, st.Peak*q.Deadline.Seconds()*1.1+1024)
	}
	if q.Crash.Length > 0 {
		bound = math.Min(bound, float64(q.Crash.Length))
	}
	return math.Min(bound, math.Max(st.Jobs, float64(len(sc.Jobs.Arrivals)))*1.1+1024)
}

// Budget is what one run may take. A zero field is no limit.
type Budget struct {
	Memory int64   // peak bytes (Cost.Memory)
	Work   float64 // work units (Cost.Work)
}

// BudgetError is a scenario refused before it ran because its Cost is
// over a Budget: Limit names the limit ("memory" or "work").
type BudgetError struct {
	Limit      string
	Need, Have float64
	Cost       Cost
}

func (e *BudgetError) Error() string {
	if e.Limit == "memory" {
		return fmt.Sprintf("scenario: over the memory budget: the run would hold about %s (%s steps of history, %s jobs queued, over %d runs), more than the limit of %s",
			bytesWord(e.Need), count(e.Cost.History), count(e.Cost.Queue), e.Cost.Runs, bytesWord(e.Have))
	}
	return fmt.Sprintf("scenario: over the work budget: the run is about %s work units (%s steps × %d runs + %s jobs), more than the limit of %s",
		count(e.Need), count(float64(e.Cost.Steps)), e.Cost.Runs, count(e.Cost.Jobs), count(e.Have))
}

// Check refuses a cost over the budget.
func (b Budget) Check(c Cost) error {
	if b.Memory > 0 && c.Memory > float64(b.Memory) {
		return &BudgetError{Limit: "memory", Need: c.Memory, Have: float64(b.Memory), Cost: c}
	}
	if b.Work > 0 && c.Work > b.Work {
		return &BudgetError{Limit: "work", Need: c.Work, Have: b.Work, Cost: c}
	}
	return nil
}

// bytesWord is a size in binary units: "1.5 GiB".
func bytesWord(n float64) string {
	for _, u := range []struct {
		unit string
		size float64
	}{{"TiB", 1 << 40}, {"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		if n >= u.size {
			return fmt.Sprintf("%.3g %s", n/u.size, u.unit)
		}
	}
	return fmt.Sprintf("%.0f bytes", n)
}

// count is a large number in short form: "3.2e+11" reads worse than
// "320 billion".
func count(x float64) string {
	for _, u := range []struct {
		word string
		size float64
	}{{"trillion", 1e12}, {"billion", 1e9}, {"million", 1e6}} {
		if x >= u.size {
			return fmt.Sprintf("%.3g %s", x/u.size, u.word)
		}
	}
	return fmt.Sprintf("%.0f", x)
}
