package sim

import (
	"context"
	"fmt"
	"math"

	"github.com/boxes-project/boxes/policy"
	"github.com/boxes-project/boxes/workload"
)

// blockSize is how many steps of arrivals the engines read from the
// workload at a time.
const blockSize = 4096

// MaxBoxes bounds the capacity a policy may ask for; more is taken as a
// runaway policy and clamped.
const MaxBoxes = 10_000_000

// Fluid runs workload w under a policy in the first seed's model, one step
// at a time:
//
//	arrivals = ∫ JobRate over the step           (the workload's jobs)
//	served   = min(arrivals, ready × step / Latency)
//	missed   = arrivals − served                 counted, never dropped
//
// There is no queue: what the ready boxes cannot serve in a step is missed.
// At each step boundary, in order: boxes whose boot is over become ready;
// the policy, at its period, sees the ready and booting counts and the
// metrics of its window and asks for a capacity; boxes start (billed at once,
// ready Boot later) or leave (booting ones cancelled first, then ready ones
// drained, billed for Drain more). The run starts warm with run.Initial
// ready boxes.
func Fluid(ctx context.Context, s Setup, w workload.Curve, run policy.Run) (*Result, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if err := checkRun(run); err != nil {
		return nil, err
	}
	e := newFluid(s, run)
	if err := e.simulate(ctx, workload.NewSampler(w, 0, e.dt)); err != nil {
		return nil, err
	}
	return e.result(), nil
}

func checkRun(run policy.Run) error {
	switch {
	case run.Policy == nil:
		return fmt.Errorf("sim: no policy")
	case run.Initial < 0 || run.Initial > MaxBoxes:
		return fmt.Errorf("sim: initial capacity %d must be in [0, %d]", run.Initial, MaxBoxes)
	case !(run.Period >= 0) || math.IsInf(run.Period, 0):
		return fmt.Errorf("sim: policy period %gs must be finite and not negative", run.Period)
	case !(run.Lookback >= 0) || run.Lookback > 400*86400:
		return fmt.Errorf("sim: policy lookback %gs must be in [0, 400 days]", run.Lookback)
	}
	return nil
}

type fluid struct {
	s       Setup
	run     policy.Run
	dt      float64 // seconds per step
	n       int     // steps
	latency float64
	price   float64 // dollars per box-second

	f    *fleet
	hist *history
	util utilizationHistogram
	obs  policy.Observation

	arrived, served, missed float64
	readySteps              float64 // ready boxes summed over steps
	overSteps               int

	series seriesBuilder
}

func newFluid(s Setup, run policy.Run) *fluid {
	e := &fluid{
		s: s, run: run,
		dt:      s.Step.Seconds(),
		n:       s.steps(),
		latency: s.Box.Latency.Seconds(),
		price:   s.Box.Price.Amount,
		f:       newFleet(s),
	}
	e.hist = newHistory(e.dt, e.latency, run.Lookback)
	e.obs = policy.Observation{Latency: e.latency, History: e.hist}
	e.series = newSeriesBuilder(e.n, e.dt, e.latency, s.points())
	e.f.warm(0, run.Initial)
	return e
}

// decisionStep is the step at which the policy acts for the i-th time.
func (e *fluid) decisionStep(i int) int {
	if e.run.Period <= e.dt {
		return i
	}
	return int(math.Ceil(float64(i)*e.run.Period/e.dt - 1e-9))
}

func (e *fluid) simulate(ctx context.Context, sampler *workload.Sampler) error {
	var arr [blockSize]float64
	decisions := 0
	nextDecision := 0
	nextBucket := 0
	nextReady := e.n // step at which the next boot completes
	h := e.hist
	mask := h.mask

	// State of the hot loop, refreshed at events.
	var ready float64   // ready boxes
	var capJobs float64 // jobs the ready boxes serve in a step
	var invCap float64  // 1 / capJobs, or 0 with no ready box
	refresh := func() {
		ready = float64(e.f.ready)
		capJobs = ready * e.dt / e.latency
		invCap = 0
		if capJobs > 0 {
			invCap = 1 / capJobs
		}
		nextReady = e.n
		if r := e.f.nextReady(); r < math.Inf(1) {
			nextReady = int(math.Ceil(r/e.dt - 1e-9))
		}
	}
	refresh()
	nextEvent := 0
	arrived, served, missed, readySteps := 0.0, 0.0, 0.0, 0.0
	over := 0

	for k0 := 0; k0 < e.n; k0 += blockSize {
		if err := ctx.Err(); err != nil {
			return err
		}
		if e.s.Progress != nil {
			e.s.Progress(float64(k0)*e.dt, float64(e.n)*e.dt)
		}
		m := min(blockSize, e.n-k0)
		sampler.Next(arr[:m])
		for i, a := range arr[:m] {
			k := k0 + i
			if k >= nextEvent {
				t := float64(k) * e.dt
				h.n = k
				if k >= nextBucket {
					e.arrived, e.served, e.readySteps = arrived, served, readySteps
					e.series.close(k, e)
					nextBucket = e.series.next
				}
				if k >= nextReady {
					e.f.promote(t)
				}
				if k >= nextDecision {
					e.decide(t)
					decisions++
					nextDecision = e.decisionStep(decisions)
				}
				refresh()
				nextEvent = min(nextBucket, nextReady, nextDecision)
			}
			sv := a
			if a > capJobs {
				sv = capJobs
				missed += a - capJobs
				over++
			}
			arrived += a
			served += sv
			readySteps += ready
			j := (k + 1) & mask
			h.arrived[j] = arrived
			h.served[j] = served
			h.ready[j] = readySteps
			switch {
			case invCap > 0:
				e.util.add(a * invCap)
			case a > 0:
				e.util.add(math.Inf(1))
			default:
				e.util.add(0)
			}
		}
	}
	e.arrived, e.served, e.missed, e.readySteps, e.overSteps = arrived, served, missed, readySteps, over
	h.n = e.n
	e.series.close(e.n, e)
	return nil
}

// decide asks the policy for a capacity at time t and resizes the fleet.
func (e *fluid) decide(t float64) {
	e.obs.Time = t
	e.obs.Ready = e.f.ready
	e.obs.Booting = e.f.nBoot
	want := e.run.Policy.Desired(&e.obs)
	e.f.resize(t, max(0, min(want, MaxBoxes)))
}

// cumulative implements seriesSource.
func (e *fluid) cumulative(t float64) cumulative {
	return cumulative{
		arrived: e.arrived, served: e.served, readySteps: e.readySteps,
		bootArea: e.f.bootArea + float64(e.f.nBoot)*(t-e.f.lastBoot),
		cost:     e.price * e.f.billedAt(t),
	}
}

func (e *fluid) result() *Result {
	horizon := float64(e.n) * e.dt
	billed, lived := e.f.close(horizon)
	busy := e.served * e.latency // box-seconds spent on jobs
	r := &Result{
		Engine:              "fluid",
		Jobs:                Jobs{Arrived: e.arrived, Served: e.served, Missed: e.missed},
		Utilization:         e.util.distribution(),
		SecondsOverCapacity: float64(e.overSteps) * e.dt,
		BoxHours:            lived / 3600,
		BoxStarts:           e.f.started,
		PeakBoxes:           e.f.peak,
		Cost:                e.price * billed,
		IdleCost:            e.price * math.Max(0, billed-busy),
	}
	if e.readySteps > 0 {
		r.BusyFraction = busy / (e.readySteps * e.dt)
	}
	r.Series = e.series.finish(r.Cost)
	return r
}
