// Package engine holds the fluid engine (Fluid), the oracle (Oracle,
// OracleStats, FluidAndOracle) and the serverless engine (Serverless), and
// the run checks the engines share; the per-job engine is package events.
package engine

import (
	"context"
	"fmt"
	"math"

	"github.com/boxes-project/boxes/policy"
	"github.com/boxes-project/boxes/sim"
	"github.com/boxes-project/boxes/sim/internal/fleet"
	"github.com/boxes-project/boxes/sim/internal/series"
	"github.com/boxes-project/boxes/workload"
)

// blockSize is how many steps of arrivals the engines read from the
// workload at a time.
const BlockSize = 4096

// MaxBoxes bounds the capacity a policy may ask for; more is taken as a
// runaway policy and clamped.
const MaxBoxes = 10_000_000

// Fluid runs workload w under a policy in the first article's model, one step
// at a time:
//
//	arrivals = ∫ JobRate over the step           (the workload's jobs)
//	served   = min(arrivals, ready × step / Latency)
//	missed   = arrivals − served                 counted, never dropped
//
// There is no queue: what the ready boxes cannot serve in a step is missed,
// unless the run has a buffering proxy (run.Hold; see fluidHold), which
// holds it.
// At each step boundary, in order: boxes whose boot is over become ready;
// the policy, at its period, sees the ready and booting counts and the
// metrics of its window and asks for a capacity; boxes start (billed at once,
// ready Boot later) or leave (booting ones cancelled first, then ready ones
// drained, billed for Drain more). The run starts warm with run.Initial
// ready boxes.
func Fluid(ctx context.Context, s sim.Setup, w workload.Curve, run policy.Run) (*sim.Result, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if err := CheckRun(run); err != nil {
		return nil, err
	}
	size, err := HistorySize(run.Lookback, s.Step.Seconds(), s.Steps())
	if err != nil {
		return nil, err
	}
	r, err := fluidRun(ctx, s, workload.NewSampler(w, 0, s.Step.Seconds()), run, size)
	return r, workload.NameCurve(err, w)
}

// stepSampler gives the jobs of the next len(out) steps, in order (a
// workload.Sampler, or the oracle's planner, which has read them already).
type stepSampler interface {
	Next(out []float64)
}

// checkedSampler is a stepSampler whose steps workload.CheckJobs has
// passed already (the oracle's planner, which reports a bad step itself
// and gives zeros in its place).
type checkedSampler interface {
	checkedJobs()
}

// blockViewer is a stepSampler that can lend the steps of a block in
// place, without a copy: view(k0, m) is what Next would fill for the m
// steps from k0 (the next ones), valid until the next call. Blocks start
// at multiples of blockSize.
type blockViewer interface {
	view(k0, m int) []float64
}

// fluidRun is Fluid on the steps src gives, once s and run are checked.
func fluidRun(ctx context.Context, s sim.Setup, src stepSampler, run policy.Run, historySize int) (*sim.Result, error) {
	e := newFluid(s, run, historySize)
	if err := e.simulate(ctx, src); err != nil {
		return nil, err
	}
	return e.result(), nil
}

func CheckRun(run policy.Run) error {
	switch {
	case run.Policy == nil:
		return fmt.Errorf("sim: no policy")
	case run.Initial < 0 || run.Initial > MaxBoxes:
		return fmt.Errorf("sim: initial capacity %d must be in [0, %d]", run.Initial, MaxBoxes)
	case !(run.Period >= 0) || math.IsInf(run.Period, 0):
		return fmt.Errorf("sim: policy period %gs must be finite and not negative", run.Period)
	case !(run.Lookback >= 0) || run.Lookback > 400*86400:
		return fmt.Errorf("sim: policy lookback %gs must be in [0, 400 days]", run.Lookback)
	case run.Hold != nil && (!(run.Hold.Timeout >= 0) || math.IsInf(run.Hold.Timeout, 0)):
		return fmt.Errorf("sim: hold timeout %gs must be finite and not negative", run.Hold.Timeout)
	}
	return nil
}

type fluid struct {
	s       sim.Setup
	run     policy.Run
	dt      float64 // seconds per step
	n       int     // steps
	latency float64
	price   float64 // dollars per box-second

	f    *fleet.Fleet
	hist *history
	util series.UtilizationHistogram
	obs  policy.Observation

	tally tally
	// periodSteps is the policy's period in steps when it is a whole
	// number of them, else 0.
	periodSteps int

	series series.SeriesBuilder
	// held is the run's buffering proxy, or nil.
	held *fluidHold

	loop fluidLoop
	// noHistory: the policy reads no history (the oracle's replay), so
	// the steps' sums are not kept for it.
	noHistory bool
}

func newFluid(s sim.Setup, run policy.Run, historySize int) *fluid {
	e := &fluid{
		s: s, run: run,
		dt:      s.Step.Seconds(),
		n:       s.Steps(),
		latency: s.Box.Latency.Seconds(),
		price:   s.Box.Price.Amount,
		f:       fleet.NewFleet(s),
	}
	if p := run.Period / e.dt; p >= 1 && p == math.Trunc(p) {
		e.periodSteps = int(p)
	}
	e.hist = newHistory(e.dt, e.latency, historySize)
	e.hist.util = &e.util
	e.obs = policy.Observation{Latency: e.latency, History: e.hist}
	e.series = series.NewSeriesBuilder(e.n, e.dt, e.latency, s.PointCount())
	e.f.Warm(0, run.Initial)
	_, e.noHistory = run.Policy.(*oracleStream)
	if run.Hold != nil {
		e.held = newFluidHold(run.Hold, e.dt)
		e.series.ExactMissed = true
		e.hist.queued = make([]float64, len(e.hist.ring))
	}
	return e
}

// scheduledPolicy is a policy that asks at every step and knows the steps
// at which its answer changes (the oracle's replay): the fluid engine
// asks it only then.
type scheduledPolicy interface {
	nextChange(k int) int // the first step after k at which Desired changes
}

// decisionStep is the step at which the policy acts for the i-th time.
func (e *fluid) decisionStep(i int) int {
	switch {
	case e.run.Period <= e.dt:
		return i
	case e.periodSteps > 0:
		return i * e.periodSteps
	}
	return int(math.Ceil(float64(i)*e.run.Period/e.dt - 1e-9))
}

func (e *fluid) simulate(ctx context.Context, sampler stepSampler) error {
	e.begin(sampler)
	for k0 := 0; k0 < e.n; k0 += BlockSize {
		if err := e.block(ctx, sampler, k0); err != nil {
			return err
		}
	}
	e.finish()
	return nil
}

// fluidLoop is where simulate is between blocks.
type fluidLoop struct {
	arr          [BlockSize]float64
	decisions    int
	nextDecision int
	nextBucket   int
	c            capacity
	checked      bool // the sampler's steps are checked already
}

// begin readies the run to read its steps from sampler.
func (e *fluid) begin(sampler stepSampler) {
	_, e.loop.checked = sampler.(checkedSampler)
}

// block runs the block of steps from k0.
func (e *fluid) block(ctx context.Context, sampler stepSampler, k0 int) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if e.s.Progress != nil {
		e.s.Progress(float64(k0)*e.dt, float64(e.n)*e.dt)
	}
	l := &e.loop
	t := &e.tally
	m := min(BlockSize, e.n-k0)
	var arr []float64
	if v, ok := sampler.(blockViewer); ok {
		arr = v.view(k0, m)
	} else {
		arr = l.arr[:m]
		sampler.Next(arr)
	}
	if !l.checked {
		if err := workload.CheckJobs(arr[:m], k0, e.dt); err != nil {
			return err
		}
	}
	c := l.c
	// Serve the block in segments between events; the capacity is
	// constant within a segment.
	for i := 0; i < m; {
		k := k0 + i
		if k >= c.nextEvent {
			time := float64(k) * e.dt
			e.hist.n = k
			if k >= l.nextBucket {
				e.series.Close(k, e)
				l.nextBucket = e.series.Next
			}
			changed := k == 0
			if k >= c.nextReady {
				e.f.Promote(time)
				changed = true
			}
			if k >= l.nextDecision {
				changed = e.decide(time) || changed
				l.decisions++
				l.nextDecision = e.decisionStep(l.decisions)
				if sp, ok := e.run.Policy.(scheduledPolicy); ok && e.run.Period <= e.dt {
					l.nextDecision = max(l.nextDecision, min(sp.nextChange(k), e.n))
				}
			}
			if changed {
				c = e.capacity()
			}
			c.nextEvent = min(l.nextBucket, c.nextReady, l.nextDecision)
		}
		end := min(m, c.nextEvent-k0)
		switch {
		case e.held != nil:
			e.held.serve(t, arr[i:end], k, e.hist, &c)
		case e.noHistory:
			t.serveQuiet(arr[i:end], &e.util, &c)
		default:
			t.serve(arr[i:end], k, e.hist, &c)
		}
		i = end
	}
	l.c = c
	return nil
}

// finish closes the run after its last block.
func (e *fluid) finish() {
	e.hist.n = e.n
	e.tally.flush(&e.util, e.n)
	e.series.Close(e.n, e)
}

// capacity is what the hot loop needs to know about the fleet between two
// events.
type capacity struct {
	ready     float64 // ready boxes
	capJobs   float64 // jobs the ready boxes serve in a step
	invCap    float64 // 1 / capJobs, or 0 with no ready box
	nextReady int     // step at which the next boot completes
	nextEvent int     // step of the next event of any kind
}

func (e *fluid) capacity() capacity {
	c := capacity{ready: float64(e.f.Ready), nextReady: e.n}
	c.capJobs = c.ready * e.dt / e.latency
	if c.capJobs > 0 {
		c.invCap = 1 / c.capJobs
	}
	if r := e.f.NextReady(); r < math.Inf(1) {
		c.nextReady = int(math.Ceil(r/e.dt - 1e-9))
	}
	return c
}

// tally is the running count of a fluid run.
type tally struct {
	arrived, served, missed float64 // jobs
	readySteps              float64 // ready boxes summed over steps
	over                    int     // steps over capacity
	// The utilization histogram's linear bins are counted in runs: bin is
	// the bin of the current run of steps and run its length, written to
	// the histogram when the bin changes. A smooth load stays in one bin
	// for many steps, and an increment in memory every step would chain
	// each step to the last. uSum and uMax cover the steps in those bins.
	bin        int
	run        int64
	uSum, uMax float64
}

// serve runs the steps of arr, the first of which is step k, on capacity c.
// It keeps its counts in locals so that they live in registers, and leaves
// out of the loop what it can work out at the end: the utilizations it
// bins sum to invCap times the jobs of those steps, and their largest is
// invCap times the largest step.
func (t *tally) serve(arr []float64, k int, h *history, c *capacity) {
	arrived, served, missed, readySteps := t.arrived, t.served, t.missed, t.readySteps
	over, bin, run := t.over, t.bin, t.run
	capJobs, invCap, ready := c.capJobs, c.invCap, c.ready
	// Jobs within float noise of the capacity (1e-9 relative, the guard
	// boxes.CapacityFor rounds with) are served, not missed by 1e-12 jobs.
	limit := c.capJobs * (1 + 1e-9)
	ring, mask := h.ring, h.mask
	util := h.util
	start := arrived
	slowJobs, aMax := 0.0, 0.0 // jobs of the steps binned by addSlow; the largest other step
	slow := 0
	if invCap == 0 { // no ready box: every step with jobs is +Inf, every other 0
		invCap = math.Inf(1)
	}
	for i, a := range arr {
		sv := a
		if a > limit {
			sv = capJobs
			missed += a - capJobs
			over++
		}
		arrived += a
		served += sv
		readySteps += ready
		ring[(k+i+1)&mask] = sums{arrived, served, readySteps}
		// No call in the loop: a call would make the compiler spill every
		// running count to memory on every step. Steps the linear bins do
		// not take are counted here and binned after the loop.
		if u := a * invCap; u < series.LinTop {
			if b := int(u * series.LinScale); b != bin {
				util.Lin[bin] += run
				bin, run = b, 0
			}
			run++
			if a > aMax {
				aMax = a
			}
		} else {
			slow++
			slowJobs += a
		}
	}
	if slow > 0 {
		for _, a := range arr {
			if !(a*invCap < series.LinTop) {
				util.AddSlow(a, invCap)
			}
		}
	}
	t.arrived, t.served, t.missed, t.readySteps = arrived, served, missed, readySteps
	t.over, t.bin, t.run = over, bin, run
	if !math.IsInf(invCap, 1) {
		t.uSum += (arrived - start - slowJobs) * invCap
		t.uMax = math.Max(t.uMax, aMax*invCap)
	}
}

// serveQuiet is serve for a run whose policy reads no history: the same
// counts and bins, in the same order, without the history's sums.
func (t *tally) serveQuiet(arr []float64, util *series.UtilizationHistogram, c *capacity) {
	arrived, served, missed, readySteps := t.arrived, t.served, t.missed, t.readySteps
	over, bin, run := t.over, t.bin, t.run
	capJobs, invCap, ready := c.capJobs, c.invCap, c.ready
	limit := c.capJobs * (1 + 1e-9)
	start := arrived
	slowJobs, aMax := 0.0, 0.0
	slow := 0
	if invCap == 0 {
		invCap = math.Inf(1)
	}
	for _, a := range arr {
		sv := a
		if a > limit {
			sv = capJobs
			missed += a - capJobs
			over++
		}
		arrived += a
		served += sv
		readySteps += ready
		if u := a * invCap; u < series.LinTop {
			if b := int(u * series.LinScale); b != bin {
				util.Lin[bin] += run
				bin, run = b, 0
			}
			run++
			if a > aMax {
				aMax = a
			}
		} else {
			slow++
			slowJobs += a
		}
	}
	if slow > 0 {
		for _, a := range arr {
			if !(a*invCap < series.LinTop) {
				util.AddSlow(a, invCap)
			}
		}
	}
	t.arrived, t.served, t.missed, t.readySteps = arrived, served, missed, readySteps
	t.over, t.bin, t.run = over, bin, run
	if !math.IsInf(invCap, 1) {
		t.uSum += (arrived - start - slowJobs) * invCap
		t.uMax = math.Max(t.uMax, aMax*invCap)
	}
}

// flush writes the open run and the sums into the histogram of a run of n
// steps.
func (t *tally) flush(util *series.UtilizationHistogram, n int) {
	util.Lin[t.bin] += t.run
	t.run = 0
	util.Merge(t.uSum, t.uMax, n)
}

// decide asks the policy for a capacity at time t and resizes the fleet;
// it reports whether the fleet changed.
func (e *fluid) decide(t float64) bool {
	e.obs.Time = t
	e.obs.Ready = e.f.Ready
	e.obs.Booting = e.f.NBoot
	want := max(0, min(e.run.Policy.Desired(&e.obs), MaxBoxes))
	if want == e.f.Size() {
		return false
	}
	e.f.Resize(t, want)
	return true
}

// cumulative implements seriesSource.
func (e *fluid) Cumulative(t float64) series.Cumulative {
	return series.Cumulative{
		Arrived: e.tally.arrived, Served: e.tally.served, ReadySteps: e.tally.readySteps,
		BootArea: e.f.BootArea + float64(e.f.NBoot)*(t-e.f.LastBoot),
		Cost:     e.price * e.f.BilledAt(t),
		Missed:   e.tally.missed + e.held.timedOutJobs(),
	}
}

func (e *fluid) result() *sim.Result {
	horizon := float64(e.n) * e.dt
	billed, lived := e.f.Close(horizon)
	t := &e.tally
	busy := t.served * e.latency // box-seconds spent on jobs
	r := &sim.Result{
		Engine:              "fluid",
		Jobs:                sim.Jobs{Arrived: t.arrived, Served: t.served, Missed: t.missed, TimedOut: e.held.timedOutJobs(), Queued: e.held.queuedJobs()},
		Utilization:         e.util.Distribution(),
		SecondsOverCapacity: float64(t.over) * e.dt,
		BoxHours:            lived / 3600,
		BoxStarts:           e.f.Started,
		PeakBoxes:           e.f.Peak,
		Cost:                e.price * billed,
		IdleCost:            e.price * math.Max(0, billed-busy),
	}
	if t.readySteps > 0 {
		r.BusyFraction = busy / (t.readySteps * e.dt)
	}
	r.Series = e.series.Finish(r.Cost)
	return r
}
