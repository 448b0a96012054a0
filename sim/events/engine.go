package events

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/boxes-project/boxes/policy"
	"github.com/boxes-project/boxes/sim"
	"github.com/boxes-project/boxes/sim/engine"
	"github.com/boxes-project/boxes/sim/internal/fleet"
	"github.com/boxes-project/boxes/sim/internal/rng"
	"github.com/boxes-project/boxes/sim/internal/series"
	"github.com/boxes-project/boxes/workload"
)

// The events engine dispatches each job when it arrives: first come, first
// served on c boxes is the Kiefer–Wolfowitz recursion (1955), where a job
// arriving at a starts at s = max(a, earliest free time of a box) and that
// box is then free at s + latency. With a fixed latency the free times,
// read from head, stay sorted (the new one is the largest), so the
// earliest is free[head] and the update writes the same slot: O(1) a job.
// With a random latency they are a radix heap: O(1) amortized.
//
// A dispatch is final once the job starts. Until then it may be undone: a
// job that waits is kept in a FIFO of pending jobs (with the time it starts
// or times out), and when the fleet changes, or the queue crashes, the
// pending jobs' dispatches are undone in reverse order and done again on the
// new fleet. Pending jobs resolve in order: the times they start or time
// out never decrease along the FIFO (FIFO service makes starts monotone, and
// a job that times out at a + d was due to start after a + d, no earlier
// than any job before it started). So the queue's length at any time is the
// FIFO's length once the jobs due by then are resolved.

// pendKind says what a pending job is waiting for.
type pendKind uint8

const (
	pendStart   pendKind = iota // dispatched: starts at r
	pendTimeout                 // will time out at r = a + deadline unless the fleet changes
	pendNoBox                   // no box at all: waits for one (r = +Inf)
)

type pending struct {
	a, r, l float64 // arrival, resolution time, latency
	kind    pendKind
}

type events struct {
	// err is the first workload block out of range (workload.CheckJobs):
	// the run stops at the step it was read in.
	err error

	s       sim.Setup
	run     policy.Run
	cfg     sim.JobsConfig
	dt      float64 // seconds per step
	n       int     // steps
	horizon float64
	warmup  float64 // seconds
	latency float64 // mean latency
	fixed   bool    // every job takes exactly latency
	price   float64

	// arrival and latency streams
	arrRNG, latRNG rng.Rand
	mu, sigma      float64 // lognormal
	samples        []float64
	sampler        *workload.Sampler
	stepJobs       [engine.BlockSize]float64 // expected jobs of steps [stepBase, stepBase+blockSize)
	stepBase       int
	// gaps are unit-rate exponential gaps drawn ahead, in blocks, so the
	// loops that use them make no call; gaps[gi] is the distance in Λ to
	// the next arrival (less what earlier segments used of it).
	gaps [engine.BlockSize]float64
	gi   int
	// lats are random latencies drawn ahead in blocks, over latScale
	// (exponential ones have mean 1 and latScale the mean latency, others
	// are the latencies and latScale 1, which multiplies exactly);
	// latScale × lats[li] is the next job's.
	lats     [engine.BlockSize]float64
	li       int
	latScale float64
	// fast: the articles' model (no queue or an unbounded one, no deadline,
	// crash, late threshold or value, Poisson arrivals) runs through
	// fastArrivals (fixed latency) or fastArrivalsRandom.
	fast  bool
	until float64 // the fast paths start at once the jobs that start by until
	// span holds, for each step of a span but the last, the counts of
	// the span's jobs up to its end (see simulate).
	span []spanCount
	// cursor is the step the fast paths are in (in memory, not in the
	// registers their loops need).
	cursor struct {
		k, first, end     int // the step, the span's first, and the step after its last
		nextRate, nextInv float64
	}
	log    []float64
	logIdx int

	// boxes
	f      *fleet.Fleet
	free   []float64 // fixed latency: ready boxes' free times, sorted in cyclic order from head
	rh     radixHeap // random latency: ready boxes' free times
	head   int
	drains []float64 // ends of the jobs removed boxes still hold

	// queue
	pend      []pending // ring of pending jobs
	ph, pn    int       // head and count
	pendSumA  float64   // sum of the pending jobs' arrival times
	deadline  float64   // +Inf without
	lateAfter float64   // +Inf without
	capQ      int       // most jobs waiting: 0 no queue, MaxInt unbounded
	crashLen  int       // MaxInt without
	recovery  float64
	down      bool
	downUntil float64
	crashes   int
	downTime  float64

	// counts
	tally    jobTally // jobs arrived since the cut
	carry    jobTally // counts of jobs that arrived before the cut (the warm-up)
	cut      float64  // jobs arriving before cut belong to carry
	work     float64  // box-seconds of every job dispatched
	readyAcc float64  // ready box-seconds up to lastT
	lastT    float64
	bad      int64 // jobs missed, timed out or lost, all of them
	lastBad  int64
	over     int // steps with a bad job
	warmAt   cumState

	hist *eventHistory
	// edges are, for a policy that declares the windows it reads
	// (policy.Run.Reads, at a period), where those windows start and end;
	// edge is the earliest of their steps not yet closed (MaxInt: every
	// step's sums are exact, or none are needed). Only there, and at the
	// series' points, does a step cost a pass over the boxes.
	edges  []windowEdge
	edge   int
	util   series.UtilizationHistogram
	series series.SeriesBuilder
	// waitMark is the wait histogram as it was when the last series point
	// closed.
	waitMark timeHistogram
	cum      series.Cumulative // at the last step closed
	obs      policy.Observation

	// The value function: its kind, and 1/horizon, 1/half-life or the
	// deadline, in seconds.
	valueKind sim.ValueKind
	valueK    float64

	// hold is the run's buffering proxy (policy.Run.Hold), or nil.
	hold *policy.Hold

	// trace, when set (tests), sees every job start and fleet change.
	trace eventTracer
}

// windowEdge is one end of a window a policy reads at each decision: the
// step it falls on at the policy's i-th decision; or, for aligned windows,
// the i-th of their edges, every steps steps.
type windowEdge struct {
	read  policy.Read
	start bool // the window's first step, or the step after its last
	steps int  // aligned: the window's length in steps
	i     int
	step  int
}

// windowEdges are the edges of the windows a policy declares, or nil
// (every step's sums) when one of them is aligned on a grid the steps and
// decisions do not fall on exactly: whole seconds, the window and the
// policy's period whole numbers of steps, where the arithmetic of the
// windows' ends is exact.
func (e *events) windowEdges(reads []policy.Read) []windowEdge {
	var edges []windowEdge
	whole := func(x float64) bool { return x == math.Trunc(x) && x < 1<<31 }
	for _, r := range reads {
		if !r.Aligned {
			edges = append(edges, windowEdge{read: r, start: true}, windowEdge{read: r})
			continue
		}
		if !whole(e.dt) || !whole(r.Length) || !whole(e.run.Period) || r.Length < e.dt ||
			int64(r.Length)%int64(e.dt) != 0 || int64(e.run.Period)%int64(e.dt) != 0 {
			return nil
		}
		edges = append(edges, windowEdge{read: r, steps: int(r.Length / e.dt)})
	}
	return edges
}

// spanCount is the tally's arrived and served jobs at the end of a step of
// a span, and e.bad.
type spanCount struct{ arrived, served, bad int64 }

// maxSpan is the most steps a span takes: the run checks for cancellation
// and reports progress every maxSpan steps.
const maxSpan = 256

// eventTracer watches a run (for tests).
type eventTracer interface {
	started(a, s, l float64)
	Fleet(t float64, ready int)
	removed(t, jobEnd float64)
}

// cumState is what has happened up to a time, all jobs included.
type cumState struct {
	t      float64
	ready  float64 // box-seconds
	busy   float64 // box-seconds
	queued float64 // job-seconds
}

func newEvents(s sim.Setup, w workload.Curve, run policy.Run, cfg sim.JobsConfig) (*events, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if err := engine.CheckRun(run); err != nil {
		return nil, err
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Warmup >= s.Horizon {
		return nil, fmt.Errorf("sim: warmup %v must be shorter than the horizon %v", cfg.Warmup, s.Horizon)
	}
	size, err := engine.HistorySize(run.Lookback, s.Step.Seconds(), s.Steps())
	if err != nil {
		return nil, err
	}
	e := &events{
		s: s, run: run, cfg: cfg,
		dt:      s.Step.Seconds(),
		n:       s.Steps(),
		horizon: s.Horizon.Seconds(),
		warmup:  cfg.Warmup.Seconds(),
		price:   s.Box.Price.Amount,
		f:       fleet.NewFleet(s),
		cut:     math.Inf(-1),
	}
	e.latency = cfg.Latency.Mean(s.Box.Latency.Seconds())
	switch cfg.Latency.Distribution {
	case "", sim.Fixed:
		e.fixed = true
	case sim.LogNormal:
		e.sigma = cfg.Latency.Sigma
		e.mu = math.Log(e.latency) - e.sigma*e.sigma/2
	case sim.Empirical:
		e.samples = cfg.Latency.Samples
	}
	q := cfg.Queue
	e.deadline, e.lateAfter = math.Inf(1), math.Inf(1)
	if q.Deadline > 0 {
		e.deadline = q.Deadline.Seconds()
	}
	if q.LateAfter > 0 {
		e.lateAfter = q.LateAfter.Seconds()
	}
	switch q.Kind {
	case sim.Bounded:
		e.capQ = q.Capacity
	case sim.Unbounded:
		e.capQ = math.MaxInt
	}
	switch v := cfg.Value; v.Kind {
	case sim.Linear:
		e.valueKind, e.valueK = sim.Linear, 1/v.Horizon.Seconds()
	case sim.Decay:
		e.valueKind, e.valueK = sim.Decay, 1/v.HalfLife.Seconds()
	case sim.StepValue:
		e.valueKind, e.valueK = sim.StepValue, v.Deadline.Seconds()
	}
	e.crashLen = math.MaxInt
	if q.Crash.Length > 0 {
		e.crashLen = q.Crash.Length
		e.recovery = q.Crash.Recovery.Seconds()
	}
	e.arrRNG = rng.New(cfg.Seed, 0x6a09e667f3bcc908)
	e.latRNG = rng.New(cfg.Seed, 0xbb67ae8584caa73b)
	if cfg.Arrivals != nil {
		e.log = cfg.Arrivals
	} else {
		if p, ok := w.(workload.Poisson); ok {
			w = p.Curve
		}
		e.sampler = workload.NewSampler(w, 0, e.dt)
		e.stepBase = -engine.BlockSize
		e.refillGaps()
	}
	if !e.fixed {
		e.latScale = 1
		if e.samples == nil && e.sigma == 0 {
			e.latScale = e.latency
		}
		e.refillLats()
	}
	e.fast = e.log == nil && (q.Kind == "" || q.Kind == sim.NoQueue || q.Kind == sim.Unbounded) &&
		q.Deadline == 0 && q.LateAfter == 0 && q.Crash.Length == 0 && cfg.Value.Kind == sim.NoValue
	e.applyHold(run.Hold)
	e.pend = make([]pending, 64)
	e.hist = newEventHistory(e.dt, e.latency, size)
	e.edge = math.MaxInt
	if run.Lookback > 0 && run.Reads != nil && run.Period >= e.dt {
		e.edges = e.windowEdges(run.Reads)
		e.passEdges(0)
	}
	e.obs = policy.Observation{Latency: e.latency, History: e.hist}
	e.series = series.NewSeriesBuilder(e.n, e.dt, e.latency, s.PointCount())
	e.series.Events = true
	e.f.Warm(0, run.Initial)
	if e.fixed {
		e.free = make([]float64, run.Initial, max(run.Initial, 16))
	} else {
		e.rh.reset(make([]float64, run.Initial))
	}
	return e, nil
}

// passEdges moves each window edge to the first decision whose edge falls
// after step k (< e.n), and edge to the earliest of them. Decisions come at
// least a step apart, so each later one's edges are a step or so further.
func (e *events) passEdges(k int) {
	e.edge = math.MaxInt
	for i := range e.edges {
		w := &e.edges[i]
		for w.step = e.edgeStep(w); w.step <= k; w.step = e.edgeStep(w) {
			w.i++
		}
		e.edge = min(e.edge, w.step)
	}
}

// edgeStep is the step edge w falls on at the decision w.i: the sums the
// policy's window reads then, as eventHistory.Window works them out at the
// decision's time t (o.Time), with the steps closed by t. An aligned
// window's i-th edge is step i·steps.
func (e *events) edgeStep(w *windowEdge) int {
	if w.read.Aligned {
		return w.i * w.steps
	}
	t := e.decisionTime(w.i)
	n := min(int(t/e.dt), e.n)
	for n < e.n && float64(n+1)*e.dt <= t {
		n++
	}
	for n > 0 && float64(n)*e.dt > t {
		n--
	}
	to := t - w.read.Delay
	j0, j1 := e.hist.steps(to-w.read.Length, to, n)
	if w.start {
		return j0
	}
	return j1
}

// decisionTime is when the policy acts for the i-th time.
func (e *events) decisionTime(i int) float64 {
	if e.run.Period <= 0 {
		return float64(i) * e.dt
	}
	return float64(i) * e.run.Period
}

func (e *events) simulate(ctx context.Context) error {
	warmup := e.warmup
	nextWarm := math.Inf(1)
	if warmup > 0 && warmup < e.horizon {
		nextWarm = warmup
	}
	decisions := 0
	nextDecision := 0.0
	e.series.Close(0, e)
	t := 0.0
	k := 0
	nextStep := e.dt
	for {
		// Events at time t, in order: boots that end, recovery, warm-up,
		// the policy.
		if r := e.f.NextReady(); r <= t+1e-9 {
			e.promote(t)
		}
		if e.down && e.downUntil <= t {
			e.down = false
		}
		if t >= nextWarm {
			e.startStatistics(t)
			nextWarm = math.Inf(1)
		}
		if t >= nextDecision {
			if e.decide(t); e.err != nil {
				return e.err
			}
			decisions++
			nextDecision = e.decisionTime(decisions)
		}
		next := min(nextStep, e.f.NextReady(), nextDecision, nextWarm)
		if e.down {
			next = min(next, e.downUntil)
		}
		// The fast paths start a job at once, rather than leave it pending,
		// when it starts before anything could undo its dispatch (a fleet
		// change) or read the counts (a policy that reads every step's, or
		// a window's edge, a series point, the horizon): no one sees the
		// difference, and a step costs no pending jobs.
		e.until = next
		if e.run.Lookback <= 0 || e.edges != nil {
			e.until = min(nextDecision, e.f.NextReady(), nextWarm, float64(min(e.series.Next, e.edge))*e.dt, e.horizon)
		}
		if end := e.spanEnd(k, t, min(nextDecision, e.f.NextReady(), nextWarm)); end > k+1 {
			// Steps with nothing in them but arrivals: one loop over
			// their jobs, then their closes.
			e.fastSpan(k, end)
			if e.err != nil {
				return e.err
			}
			e.closeSpan(k, end)
			next, k = float64(end)*e.dt, end-1
		} else {
			e.arrivals(k, t, next)
			if e.err != nil {
				return e.err
			}
		}
		e.advance(next)
		t = next
		if t < nextStep {
			continue
		}
		k++
		e.closeStep(k)
		if k == e.n {
			break
		}
		if k%maxSpan == 0 { // a step holds many jobs: report often
			if err := ctx.Err(); err != nil {
				return err
			}
			if e.s.Progress != nil {
				e.s.Progress(t, e.horizon)
			}
		}
		nextStep = float64(k+1) * e.dt
	}
	return nil
}

// stepRate is the expected number of jobs per second in step k.
func (e *events) stepRate(k int) float64 {
	if k >= e.stepBase+engine.BlockSize {
		e.stepBase = k - k%engine.BlockSize
		block := e.stepJobs[:min(engine.BlockSize, e.n-e.stepBase)]
		e.sampler.Next(block)
		if err := workload.CheckJobs(block, e.stepBase, e.dt); err != nil {
			clear(block) // no arrivals from numbers out of range
			if e.err == nil {
				e.err = err
			}
		}
	}
	return e.stepJobs[k-e.stepBase] / e.dt
}

// spanEnd is where a span that starts step k at t may end (the step after
// its last), or k + 1 for no span. A span is steps in which nothing happens
// but the arrivals of the fast paths, so that one loop takes their jobs
// through the step ends: the fast path applies (a fleet of ready boxes, no
// job pending from before, no policy that reads each step's counts), and no
// event (at or after next, the earliest of the policy's next decision, a
// boot's end and the warm-up's), series point, window edge, cancellation
// check or the horizon falls inside it. Its jobs meet the same numbers in
// the same order as they would step by step.
func (e *events) spanEnd(k int, t, next float64) int {
	if !e.fast || e.down || e.trace != nil || e.log != nil || e.run.Lookback > 0 && e.edges == nil || e.pn > 0 ||
		e.boxes() == 0 || t != float64(k)*e.dt {
		return k + 1
	}
	end := min(e.n, e.series.Next, e.edge, (k/maxSpan+1)*maxSpan)
	j := k + 1
	for j < end && float64(j+1)*e.dt <= next {
		j++
	}
	return j
}

// rateAhead works out the rate of the step after the fast path's current
// one, and its inverse, if the span goes on to it: as the step begins, so
// that the two divisions are done by the time its jobs are, instead of
// holding up the next step's first arrival.
func (e *events) rateAhead() {
	if c := &e.cursor; c.k+1 < c.end {
		c.nextRate = e.stepRate(c.k + 1)
		c.nextInv = 1 / c.nextRate
	}
}

// addStep adds what a fast path counted in a step (or the part of one it
// took) to the tally.
func (e *events) addStep(arrived, served, missed int64, sumWait, sumResponse, work float64) {
	t := &e.tally
	t.arrived += arrived
	t.served += served
	t.missed += missed
	e.bad += missed
	t.sumWait += sumWait
	t.sumResponse += sumResponse
	e.work += work
}

// nextStep ends the fast path's current step, whose counts are in the
// tally: it returns the next step's end, rate and inverse rate, or false
// at the end of the span.
func (e *events) nextStep() (t1, rate, inv float64, ok bool) {
	c := &e.cursor
	if c.k++; c.k == c.end {
		return 0, 0, 0, false
	}
	e.span[c.k-c.first-1] = spanCount{e.tally.arrived, e.tally.served, e.bad}
	return float64(c.k+1) * e.dt, c.nextRate, c.nextInv, true
}

// fastSpan admits the jobs that arrive in steps [k, end) on the fast paths,
// and keeps in e.span their counts at the end of each step but the last.
func (e *events) fastSpan(k, end int) {
	if cap(e.span) < maxSpan {
		e.span = make([]spanCount, maxSpan)
	}
	t0, t1, rate := float64(k)*e.dt, float64(k+1)*e.dt, e.stepRate(k)
	if e.fixed {
		e.fastArrivals(k, t0, t1, rate, end)
	} else {
		e.fastArrivalsRandom(k, t0, t1, rate, end)
	}
}

// arrivals admits the jobs that arrive in [t0, t1), within step k.
func (e *events) arrivals(k int, t0, t1 float64) {
	if e.log != nil {
		for e.logIdx < len(e.log) && e.log[e.logIdx] < t1 {
			e.admit(e.log[e.logIdx], e.draw())
			e.logIdx++
		}
		return
	}
	rate := e.stepRate(k)
	if !(rate > 0) {
		return
	}
	if e.fast && !e.down && e.trace == nil {
		switch {
		case e.fixed && len(e.free) > 0:
			e.fastArrivals(k, t0, t1, rate, k+1)
			return
		case !e.fixed && e.rh.n > 0:
			e.fastArrivalsRandom(k, t0, t1, rate, k+1)
			return
		}
	}
	if e.fixed && !e.down && e.trace == nil && e.crashLen == math.MaxInt && len(e.free) > 0 {
		e.queueArrivals(t0, t1, rate)
		return
	}
	e.arrivalsRate(t0, t1, rate)
}

// arrivalsRate admits the jobs that arrive in [t0, t1) at a constant rate,
// one by one.
func (e *events) arrivalsRate(t0, t1, rate float64) {
	inv := 1 / rate
	x := t0
	for {
		a := x + e.gaps[e.gi]*inv
		if a >= t1 {
			e.gaps[e.gi] -= (t1 - x) * rate
			return
		}
		x = a
		if e.gi++; e.gi == engine.BlockSize {
			e.refillGaps()
		}
		e.admit(a, e.draw())
	}
}

// refillGaps draws the next block of unit-rate exponential gaps.
func (e *events) refillGaps() {
	e.arrRNG.FillExp(e.gaps[:])
	e.gi = 0
}

// fastArrivals is arrivals and admit for the articles' model, in one loop with
// its counts in locals and no call: the Kiefer–Wolfowitz recursion on the
// sorted ring of free times, each wait into the histogram. It takes the jobs
// arriving in [t0, t1), within step k, at rate, and then those of the steps
// after k up to end, if any (a span: see spanEnd), adding each step's counts
// and sums into the tally at the step's end, as a call a step would. A job
// that would start after e.until is left pending (the fleet may change
// then, or the counts be read).
func (e *events) fastArrivals(k int, t0, t1, rate float64, end int) {
	e.cursor.k, e.cursor.first, e.cursor.end = k, k, end
	until := e.until
	free := e.free
	c := len(free)
	head := e.head
	d := e.latency
	queue := e.capQ > 0
	bins := &e.tally.wait.bins
	x := t0
	inv := 1 / rate
	for {
		e.rateAhead()
		var arrived, served, missed int64
		sumWait := 0.0
		for rate > 0 {
			gaps := e.gaps[e.gi:]
			i := 0
			for ; i < len(gaps); i++ {
				a := x + gaps[i]*inv
				if a >= t1 {
					break
				}
				x = a
				arrived++
				m := free[head]
				if !queue && m > a { // the loop-invariant test first: m > a is a coin toss
					missed++
					continue
				}
				// Times are never negative or NaN, so their bits order as
				// they do: an integer max, with no NaN fix-ups.
				s := math.Float64frombits(max(math.Float64bits(a), math.Float64bits(m)))
				free[head] = s + d
				// head+1, or 0 at c, without a branch: (head+1−c)>>63 is
				// all ones below c and 0 at c.
				head++
				head &= (head - c) >> 63
				if s > until {
					e.pendFast(a, s)
					continue
				}
				w := s - a
				served++
				sumWait += w
				bins[min(max(int(math.Float64bits(w)>>histShift)-histLow+1, 0), histMaxBin)]++
			}
			if e.gi += i; e.gi < engine.BlockSize {
				e.gaps[e.gi] -= (t1 - x) * rate
				break
			}
			e.refillGaps()
		}
		e.addStep(arrived, served, missed, sumWait, sumWait+float64(served)*d, float64(served)*d)
		x = t1
		var more bool
		if t1, rate, inv, more = e.nextStep(); !more {
			break
		}
	}
	e.head = head
}

// fastArrivalsRandom is fastArrivals for random latencies: the same
// recursion on the radix heap of free times, each wait and response time
// into its histogram.
func (e *events) fastArrivalsRandom(k int, t0, t1, rate float64, end int) {
	e.cursor.k, e.cursor.first, e.cursor.end = k, k, end
	until := e.until
	h := &e.rh
	small, v := h.isSmall, h.small // a small fleet's sorted times, handled here
	// mb is a small fleet's earliest free time's bits, kept in a register:
	// the next job's start waits on it (and would, in memory, on a store).
	var mb uint64
	if small {
		mb = v[0]
	}
	queue := e.capQ > 0
	scale := e.latScale
	wbins, rbins := &e.tally.wait.bins, &e.tally.response.bins
	// The block indexes stay in registers (an increment in memory a job
	// would chain each job to the last).
	gi, li := e.gi, e.li
	x := t0
	inv := 1 / rate
	for {
		e.rateAhead()
		var arrived, served, missed int64
		sumWait, sumResponse, work := 0.0, 0.0, 0.0
		for rate > 0 {
			a := x + e.gaps[gi]*inv
			if a >= t1 {
				e.gaps[gi] -= (t1 - x) * rate
				break
			}
			x = a
			if gi++; gi == engine.BlockSize {
				e.arrRNG.FillExp(e.gaps[:])
				gi = 0
			}
			l := scale * e.lats[li]
			if li++; li == engine.BlockSize {
				e.refillLats()
				li = 0
			}
			arrived++
			ab := math.Float64bits(a)
			s := a
			// A large fleet first looks for any box free by a (takeAtMost),
			// and orders its times only when it finds none.
			if small || !h.takeAtMost(ab, math.Float64bits(a+l)) {
				if !small {
					mb = math.Float64bits(h.min())
				}
				if !queue && mb > ab {
					missed++
					continue
				}
				s = math.Float64frombits(max(ab, mb))
				if small {
					mb = replaceSmallest(v, math.Float64bits(s+l))
				} else {
					h.replaceMin(s + l)
				}
				if s > until {
					e.work += l
					e.push(pending{a: a, r: s, l: l, kind: pendStart})
					continue
				}
			}
			w := s - a
			r := w + l
			served++
			sumWait += w
			sumResponse += r
			work += l
			wbins[min(max(int(math.Float64bits(w)>>histShift)-histLow+1, 0), histMaxBin)]++
			rbins[min(max(int(math.Float64bits(r)>>histShift)-histLow+1, 0), histMaxBin)]++
		}
		e.addStep(arrived, served, missed, sumWait, sumResponse, work)
		x = t1
		var more bool
		if t1, rate, inv, more = e.nextStep(); !more {
			break
		}
	}
	e.gi, e.li = gi, li
}

// queueArrivals is arrivalsRate and admit for fixed latencies with any
// queue, deadline, late threshold or value (no crash): a job that finds a
// box free starts in the loop, with its counts in locals (its wait is 0
// and its response the latency, so its value and lateness are worked out
// once); the others go through the pending FIFO as admit sends them.
func (e *events) queueArrivals(t0, t1, rate float64) {
	inv := 1 / rate
	free := e.free
	c := len(free)
	d := e.latency
	late := int64(0)
	if d > e.lateAfter {
		late = 1
	}
	value := 0.0
	switch e.valueKind {
	case sim.Linear:
		value = max(0, 1-d*e.valueK)
	case sim.Decay:
		value = math.Exp2(-d * e.valueK)
	case sim.StepValue:
		if d <= e.valueK {
			value = 1
		}
	}
	var arrived, started int64
	t := &e.tally
	x := t0
	for {
		a := x + e.gaps[e.gi]*inv
		if a >= t1 {
			e.gaps[e.gi] -= (t1 - x) * rate
			break
		}
		x = a
		if e.gi++; e.gi == engine.BlockSize {
			e.refillGaps()
		}
		arrived++
		for e.pn > 0 && e.pend[e.ph].r <= a {
			e.resolveHead()
		}
		head := e.head
		m := free[head]
		if m <= a { // a box is free: the job starts now
			free[head] = a + d
			head++
			head &= (head - c) >> 63
			e.head = head
			started++
			continue
		}
		q := e.pn
		switch {
		case q >= e.capQ:
			t.missed++
			e.bad++
		case m-a > e.deadline:
			e.push(pending{a: a, r: a + e.deadline, l: d, kind: pendTimeout})
		default:
			e.assign(m, d)
			e.push(pending{a: a, r: m, l: d, kind: pendStart})
		}
	}
	t.arrived += arrived
	t.served += started
	t.sumResponse += float64(started) * d
	t.wait.bins[0] += started
	t.late += late * started
	t.value += value * float64(started)
	e.work += float64(started) * d
}

// pendFast leaves a job of the fast path pending: it starts at s, after
// the segment ends.
func (e *events) pendFast(a, s float64) {
	e.work += e.latency
	e.push(pending{a: a, r: s, l: e.latency, kind: pendStart})
}

// draw is the latency of the next job.
func (e *events) draw() float64 {
	if e.fixed {
		return e.latency
	}
	l := e.latScale * e.lats[e.li]
	if e.li++; e.li == engine.BlockSize {
		e.refillLats()
		e.li = 0
	}
	return l
}

// refillLats draws the next block of random latencies, in the order draw
// hands them out.
func (e *events) refillLats() {
	switch {
	case e.samples != nil:
		for i := range e.lats {
			e.lats[i] = e.samples[e.latRNG.IntN(len(e.samples))]
		}
	case e.sigma > 0:
		for i := range e.lats {
			e.lats[i] = math.Exp(e.mu + e.sigma*e.latRNG.NormFloat64())
		}
	default:
		e.latRNG.FillExp(e.lats[:])
	}
}

// admit takes the job arriving at a with latency l.
func (e *events) admit(a, l float64) {
	t := &e.tally
	t.arrived++
	if e.down {
		t.missed++
		e.bad++
		return
	}
	for e.pn > 0 && e.pend[e.ph].r <= a {
		e.resolveHead()
	}
	q := e.pn
	if q >= e.crashLen {
		e.crash(a)
		return
	}
	if e.boxes() == 0 {
		if q >= e.capQ && e.hold == nil {
			t.missed++
			e.bad++
			return
		}
		p := pending{a: a, r: math.Inf(1), l: l, kind: pendNoBox}
		if e.deadline < math.Inf(1) {
			p.r, p.kind = a+e.deadline, pendTimeout
		}
		e.push(p)
		return
	}
	if !e.fixed && e.rh.takeAtMost(math.Float64bits(a), math.Float64bits(a+l)) {
		e.work += l // a box free by a: any will do
		e.record(a, a, l)
		return
	}
	m := e.minFree()
	if m <= a {
		e.assign(a, l)
		e.record(a, a, l)
		return
	}
	if q >= e.capQ && (e.hold == nil || e.hold.ColdOnly) {
		t.missed++
		e.bad++
		return
	}
	if m-a > e.deadline {
		e.push(pending{a: a, r: a + e.deadline, l: l, kind: pendTimeout})
		return
	}
	e.assign(m, l)
	e.push(pending{a: a, r: m, l: l, kind: pendStart})
}

// boxes is the number of ready boxes.
func (e *events) boxes() int {
	if e.fixed {
		return len(e.free)
	}
	return e.rh.n
}

// minFree is the earliest time a ready box is free; there is one.
func (e *events) minFree() float64 {
	if e.fixed {
		return e.free[e.head]
	}
	return e.rh.min()
}

// assign gives the box free first the job starting at s for l seconds.
func (e *events) assign(s, l float64) {
	e.work += l
	if e.fixed {
		e.free[e.head] = s + l
		if e.head++; e.head == len(e.free) {
			e.head = 0
		}
		return
	}
	e.rh.replaceMin(s + l)
}

// record counts a job that arrived at a and starts at s for l seconds.
func (e *events) record(a, s, l float64) {
	t := &e.tally
	if a < e.cut {
		t = &e.carry
	}
	w := s - a
	r := w + l
	t.served++
	t.sumWait += w
	t.sumResponse += r
	t.wait.add(w)
	if !e.fixed {
		t.response.add(r)
	}
	if r > e.lateAfter {
		t.late++
	}
	switch e.valueKind {
	case sim.Linear:
		t.value += max(0, 1-r*e.valueK)
	case sim.Decay:
		t.value += math.Exp2(-r * e.valueK)
	case sim.StepValue:
		if r <= e.valueK {
			t.value++
		}
	}
	if e.trace != nil {
		e.trace.started(a, s, l)
	}
}

func (e *events) push(p pending) {
	if e.pn == len(e.pend) {
		// Grow the ring, unrolled from its head.
		bigger := make([]pending, 2*len(e.pend))
		for i := range e.pn {
			bigger[i] = e.pend[(e.ph+i)&(len(e.pend)-1)]
		}
		e.pend, e.ph = bigger, 0
	}
	e.pend[(e.ph+e.pn)&(len(e.pend)-1)] = p
	e.pn++
	e.pendSumA += p.a
}

// resolveHead settles the first pending job: it starts or times out.
func (e *events) resolveHead() {
	p := e.pend[e.ph]
	e.ph = (e.ph + 1) & (len(e.pend) - 1)
	e.pn--
	e.pendSumA -= p.a
	if e.pn == 0 {
		e.pendSumA = 0
	}
	if p.kind == pendStart {
		e.record(p.a, p.r, p.l)
		return
	}
	t := &e.tally
	if p.a < e.cut {
		t = &e.carry
	}
	t.timedOut++
	e.bad++
}

// advance brings the ready-box time and the pending jobs up to t, before
// the events at t: a job due to start by t starts, and one whose deadline
// is before t times out. One whose deadline is t itself waits for the
// events at t (a box ready at t may start it just in time, as a job that
// starts exactly at its deadline is served).
func (e *events) advance(t float64) {
	e.readyAcc += float64(e.f.Ready) * (t - e.lastT)
	e.lastT = t
	for e.pn > 0 {
		p := &e.pend[e.ph]
		if p.r > t || p.r == t && p.kind != pendStart {
			break
		}
		e.resolveHead()
	}
}

// undo takes back the dispatch of every pending job, latest first, so that
// the free times are those of the jobs in hand.
func (e *events) undo() {
	if e.fixed {
		for i := e.pn - 1; i >= 0; i-- {
			p := &e.pend[(e.ph+i)&(len(e.pend)-1)]
			if p.kind != pendStart {
				continue
			}
			// The dispatch took the earliest free time, p.r (the job waited),
			// and left p.r + p.l in its slot.
			if e.head--; e.head < 0 {
				e.head = len(e.free) - 1
			}
			e.free[e.head] = p.r
			e.work -= p.l
		}
		return
	}
	// For a heap, take the multiset view: each dispatch replaced the
	// earliest free time p.r (the job waited) by p.r + p.l. Undone together,
	// the free times are the current ones plus every p.r less every
	// p.r + p.l; an end may be the start of a later pending job, so the
	// starts go in before the ends come out.
	var ends []float64
	vals := e.rh.values(nil)
	for i := range e.pn {
		p := &e.pend[(e.ph+i)&(len(e.pend)-1)]
		if p.kind == pendStart {
			ends = append(ends, p.r+p.l)
			vals = append(vals, p.r)
			e.work -= p.l
		}
	}
	if len(ends) == 0 {
		return
	}
	slices.Sort(ends)
	slices.Sort(vals)
	kept := vals[:0]
	j := 0
	for _, v := range vals {
		if j < len(ends) && v == ends[j] {
			j++
			continue
		}
		kept = append(kept, v)
	}
	e.rh.reset(kept)
}

// redo dispatches the pending jobs again, in order, on the current fleet at
// time t.
func (e *events) redo(t float64) {
	for i := range e.pn {
		p := &e.pend[(e.ph+i)&(len(e.pend)-1)]
		switch {
		case e.boxes() == 0:
			p.r, p.kind = math.Inf(1), pendNoBox
			if e.deadline < math.Inf(1) {
				p.r, p.kind = p.a+e.deadline, pendTimeout
			}
		default:
			m := max(e.minFree(), t)
			if m-p.a > e.deadline {
				p.r, p.kind = p.a+e.deadline, pendTimeout
				continue
			}
			e.assign(m, p.l)
			p.r, p.kind = m, pendStart
		}
	}
	for e.pn > 0 && e.pend[e.ph].r <= t {
		e.resolveHead()
	}
}

// sortedFree returns the free times in ascending order, as a new slice.
func (e *events) sortedFree() []float64 {
	v := make([]float64, 0, e.boxes()+8)
	if e.fixed {
		v = append(v, e.free[e.head:]...)
		v = append(v, e.free[:e.head]...)
		return v
	}
	v = e.rh.values(v)
	slices.Sort(v)
	return v
}

// setFree makes the ascending times the ready boxes' free times.
func (e *events) setFree(sorted []float64) {
	if e.fixed {
		e.free, e.head = sorted, 0
		return
	}
	e.rh.reset(sorted)
}

// promote makes the boxes whose boot is over by t ready.
func (e *events) promote(t float64) {
	before := e.f.Ready
	e.f.Promote(t)
	if e.f.Ready == before {
		return
	}
	e.undo()
	v := e.sortedFree()
	for range e.f.Ready - before {
		v = append(v, t)
	}
	slices.Sort(v)
	e.setFree(v)
	e.redo(t)
	if e.trace != nil {
		e.trace.Fleet(t, e.f.Ready)
	}
}

// decide asks the policy for a capacity at time t and resizes the fleet.
// A policy that reads a window it did not declare (policy.Run.Reads) stops
// the run with an error rather than act on sums that were not worked out.
func (e *events) decide(t float64) {
	e.obs.Time = t
	e.obs.Ready = e.f.Ready
	e.obs.Booting = e.f.NBoot
	want := max(0, min(e.run.Policy.Desired(&e.obs), engine.MaxBoxes))
	if e.hist.undeclared {
		e.err = fmt.Errorf("sim: at %gs the policy read a window other than the ones it declares (policy.Run.Reads %v): a defect of the policy", t, e.run.Reads)
		return
	}
	size := e.f.Size()
	if want == size {
		return
	}
	if want > size {
		e.f.Resize(t, want)
		if e.f.Ready > e.boxes() { // no boot: ready at once
			e.undo()
			v := e.sortedFree()
			for range e.f.Ready - len(v) {
				v = append(v, t)
			}
			slices.Sort(v)
			e.setFree(v)
			e.redo(t)
		}
	} else {
		// Booting boxes go first; the ready boxes that leave are those
		// free first (idle, or about to finish), each finishing its job.
		readyOut := max(0, size-want-e.f.NBoot)
		var ends []float64
		if readyOut > 0 {
			e.undo()
			v := e.sortedFree()
			ends = v[:readyOut]
			for _, end := range ends {
				if end > t {
					e.drains = append(e.drains, end)
				}
				if e.trace != nil {
					e.trace.removed(t, end)
				}
			}
			e.setFree(slices.Clone(v[readyOut:]))
		}
		e.f.RemoveFinishing(t, size-want, ends)
		if readyOut > 0 {
			e.redo(t)
		}
	}
	if e.trace != nil {
		e.trace.Fleet(t, e.f.Ready)
	}
}

// crash takes the system down at a: every pending job and the arrival
// are lost.
func (e *events) crash(a float64) {
	e.undo()
	for e.pn > 0 {
		p := e.pend[e.ph]
		e.ph = (e.ph + 1) & (len(e.pend) - 1)
		e.pn--
		t := &e.tally
		if p.a < e.cut {
			t = &e.carry
		}
		t.lost++
		t.lostWait += a - p.a
		e.bad++
	}
	e.pendSumA = 0
	e.tally.lost++
	e.bad++
	e.crashes++
	e.down, e.downUntil = true, a+e.recovery
	e.downTime += min(e.horizon, e.downUntil) - a
}

// state is what has happened up to t (which advance reached).
func (e *events) state(t float64) cumState {
	over := 0.0
	if e.fixed {
		// Sorted from head: the boxes still at work at t are the last ones.
		for i, n := e.head, len(e.free); n > 0; n-- {
			if i--; i < 0 {
				i = len(e.free) - 1
			}
			f := e.free[i]
			if f <= t {
				break
			}
			over += f - t
		}
	} else {
		e.rh.each(func(f float64) { over += max(0, f-t) })
	}
	kept := e.drains[:0]
	for _, d := range e.drains {
		if d > t {
			over += d - t
			kept = append(kept, d)
		}
	}
	e.drains = kept
	c, y := &e.carry, &e.tally
	queued := c.sumWait + y.sumWait + float64(c.timedOut+y.timedOut)*e.finiteDeadline() + c.lostWait + y.lostWait
	queued += float64(e.pn)*t - e.pendSumA
	return cumState{t: t, ready: e.readyAcc, busy: e.work - over, queued: queued}
}

func (e *events) finiteDeadline() float64 {
	if e.deadline < math.Inf(1) {
		return e.deadline
	}
	return 0
}

// startStatistics ends the warm-up at t.
func (e *events) startStatistics(t float64) {
	e.carry.addCounts(&e.tally)
	e.tally = jobTally{}
	e.waitMark = timeHistogram{}
	e.cut = t
	e.warmAt = e.state(t)
}

// closeStep records the sums at the end of step k − 1 (time k·dt).
func (e *events) closeStep(k int) {
	e.closeStepCounts(k, spanCount{e.tally.arrived, e.tally.served, e.bad})
}

// closeStepCounts is closeStep with the tally's arrived and served jobs and
// e.bad as they were at the end of step k − 1: a span's steps are closed
// after all its jobs are in (the series points and the counts a policy
// reads are never inside a span).
func (e *events) closeStepCounts(k int, n spanCount) {
	t := float64(k) * e.dt
	c, y := &e.carry, &e.tally
	h := e.hist
	// Field by field into the ring (see closeSpan).
	prev, sums := &h.ring[(k-1)&h.mask], &h.ring[k&h.mask]
	arrived0, ready0 := prev.arrived, prev.ready
	sums.arrived = float64(c.arrived + n.arrived)
	sums.served = float64(c.served + n.served)
	sums.ready = e.readyAcc / e.dt
	// The box-seconds at work and the jobs waiting cost a pass over the
	// boxes at work: a policy that reads windows (Lookback > 0) needs them
	// every step, or at its windows' edges if it declares them, the series
	// at its points. Elsewhere they are NaN, which a window that reads
	// them reports (eventHistory.undeclared).
	point := k >= e.series.Next
	var st cumState
	sums.busy, sums.queued = math.NaN(), math.NaN()
	if point || e.run.Lookback > 0 && (e.edges == nil || k >= e.edge) {
		st = e.state(t)
		sums.busy, sums.queued = st.busy, st.queued
	}
	if k >= e.edge && k < e.n {
		e.passEdges(k)
	}
	h.n = k
	if t-e.dt >= e.warmup-1e-9 { // a step after the warm-up
		e.countStep(sums.arrived-arrived0, sums.ready-ready0, n.bad)
	}
	e.lastBad = n.bad
	if point {
		e.cum = series.Cumulative{
			Arrived: sums.arrived, Served: sums.served, ReadySteps: sums.ready,
			BootArea: e.f.BootArea + float64(e.f.NBoot)*(t-e.f.LastBoot),
			Cost:     e.price * e.f.BilledAt(t),
			Missed:   float64(c.missed + y.missed + c.timedOut + y.timedOut + c.lost + y.lost),
			Busy:     st.busy, Queued: st.queued,
		}
		e.series.Close(k, e)
	}
}

// countStep counts a step after the warm-up: its utilization, from the
// jobs that arrived in it and the box-steps ready, and whether it had a bad
// job (e.bad at its end is above lastBad).
func (e *events) countStep(jobs, readySteps float64, bad int64) {
	switch {
	case readySteps > 0:
		e.util.Add(jobs * e.latency / (readySteps * e.dt))
	case jobs > 0:
		e.util.Add(math.Inf(1))
	default:
		e.util.Add(0)
	}
	if bad > e.lastBad {
		e.over++
	}
}

// closeSpan closes the steps of a span [k, end) but its last, as advance
// and closeStepCounts would one by one, with what a span keeps the same
// worked out once: the ready boxes, and no pending job to resolve, series
// point or window edge (see spanEnd; a job the span left pending starts
// after its end).
func (e *events) closeSpan(k, end int) {
	ready := float64(e.f.Ready)
	h := e.hist
	c := &e.carry
	// The sums go into the ring field by field: a struct built on the
	// stack and copied would be read back 16 bytes at a time from its
	// 8-byte stores, which the processor cannot forward (a stall a step).
	prev := &h.ring[k&h.mask]
	arrived0, ready0 := prev.arrived, prev.ready
	for j, n := range e.span[:end-k-1] {
		i := k + j + 1
		t := float64(i) * e.dt
		e.readyAcc += ready * (t - e.lastT)
		e.lastT = t
		arrived, readySteps := float64(c.arrived+n.arrived), e.readyAcc/e.dt
		r := &h.ring[i&h.mask]
		r.arrived, r.served, r.ready = arrived, float64(c.served+n.served), readySteps
		r.busy, r.queued = math.NaN(), math.NaN()
		if t-e.dt >= e.warmup-1e-9 {
			e.countStep(arrived-arrived0, readySteps-ready0, n.bad)
		}
		e.lastBad = n.bad
		arrived0, ready0 = arrived, readySteps
	}
	h.n = end - 1
}

// cumulative implements seriesSource: the sums at the last step closed.
func (e *events) Cumulative(float64) series.Cumulative { return e.cum }

// pointWaits implements waitSource: the wait percentiles of the jobs
// started since the last point, from the difference of the wait histogram
// and its copy at that point (no cost per job).
func (e *events) PointWaits() (p50, p95, p99 float64) {
	var q [3]float64
	e.tally.wait.quantilesSince(&e.waitMark, []float64{0.5, 0.95, 0.99}, q[:])
	e.waitMark = e.tally.wait
	return q[0], q[1], q[2]
}

func (e *events) result() *sim.Result {
	h := e.horizon
	end := e.state(h)
	// Jobs still waiting at the horizon.
	queued := 0.0
	for i := range e.pn {
		if e.pend[(e.ph+i)&(len(e.pend)-1)].a >= e.cut {
			queued++
		}
	}
	billed, lived := e.f.Close(h)
	t := &e.tally
	r := &sim.Result{
		Engine: "events",
		Jobs: sim.Jobs{
			Arrived: float64(t.arrived), Served: float64(t.served), Missed: float64(t.missed),
			TimedOut: float64(t.timedOut), Lost: float64(t.lost), Queued: queued, Late: float64(t.late),
		},
		Utilization:         e.util.Distribution(),
		SecondsOverCapacity: float64(e.over) * e.dt,
		BoxHours:            lived / 3600,
		BoxStarts:           e.f.Started,
		PeakBoxes:           e.f.Peak,
		Cost:                e.price * billed,
		IdleCost:            e.price * math.Max(0, billed-end.busy),
	}
	start := cumState{}
	if e.cut > math.Inf(-1) {
		start = e.warmAt
	}
	if ready := end.ready - start.ready; ready > 0 {
		// A removed box finishing its job is at work but no longer ready:
		// the cap keeps that sliver from pushing the share past 1.
		r.BusyFraction = math.Min(1, (end.busy-start.busy)/ready)
	}
	q := &sim.Queueing{}
	if t.served > 0 {
		n := t.served
		q.Wait = times(&t.wait, t.sumWait, n, 0)
		if e.fixed {
			q.Response = times(&t.wait, t.sumResponse, n, e.latency)
		} else {
			q.Response = times(&t.response, t.sumResponse, n, 0)
		}
		q.WaitProbability = 1 - float64(t.wait.bins[0])/float64(n)
	}
	if span := h - start.t; span > 0 {
		q.MeanQueued = (end.queued - start.queued) / span
	}
	if e.cfg.Value.Kind != sim.NoValue {
		q.Value = t.value
		if t.arrived > 0 {
			q.ValueFraction = t.value / float64(t.arrived)
		}
	}
	q.Crashes, q.DownSeconds = e.crashes, e.downTime
	r.Queueing = q
	r.Series = e.series.Finish(r.Cost)
	return r
}

// times summarises a histogram of n values whose sum is sum, each shifted
// by shift seconds (the response times of fixed-latency jobs are their waits
// plus the latency).
func times(h *timeHistogram, sum float64, n int64, shift float64) sim.Times {
	return sim.Times{
		Mean: sum / float64(n),
		P50:  h.quantile(0.5, n) + shift,
		P90:  h.quantile(0.9, n) + shift,
		P99:  h.quantile(0.99, n) + shift,
		P999: h.quantile(0.999, n) + shift,
	}
}
