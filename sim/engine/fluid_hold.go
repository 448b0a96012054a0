package engine

import (
	"math"

	"github.com/boxes-project/boxes/policy"
)

// fluidHold is a buffering proxy (policy.Run.Hold) on the fluid engine: the
// jobs a step brings that its ready boxes cannot serve wait in a backlog,
// first come first served, instead of being missed, when the proxy holds
// them (always, or only while no box is ready with ColdOnly). In each step
// the ready boxes serve the backlog, oldest first, then the step's new
// jobs, up to ready × step / Latency in all; a part of the backlog older
// than the timeout leaves, timed out. The backlog is kept as one amount per
// step of arrival, so its memory is the timeout (or the longest wait) in
// steps.
//
// Jobs then add up as Arrived = Served + Missed + TimedOut + Queued, where
// Queued is the backlog at the horizon. The policy reads the backlog as
// Metrics.Queued, the mean over its window of the backlog at the end of
// each step (what waits into the next step), as it reads the events
// engine's queue: a KEDA queue trigger scales on it, and the in-flight
// count Knative and Cloud Run read includes it.
type fluidHold struct {
	coldOnly bool
	timeout  float64 // steps; +Inf for none
	step     []int   // backlog: step of arrival, oldest first
	amount   []float64
	head     int
	total    float64 // jobs in the backlog
	timedOut float64
	queued   float64 // the backlog at the end of each step, summed over the steps
}

func newFluidHold(h *policy.Hold, dt float64) *fluidHold {
	f := &fluidHold{coldOnly: h.ColdOnly, timeout: math.Inf(1)}
	if h.Timeout > 0 {
		f.timeout = h.Timeout / dt
	}
	return f
}

// serve runs the steps of arr, the first of which is step k, on capacity
// c, as tally.serve does, with the backlog served first. It is the slow
// path: one step at a time, every utilization through the histogram's add.
func (f *fluidHold) serve(t *tally, arr []float64, k int, h *history, c *capacity) {
	invCap := c.invCap
	if invCap == 0 {
		invCap = math.Inf(1)
	}
	for i, a := range arr {
		now := k + i
		// Expire what has waited longer than the timeout.
		for f.head < len(f.step) && float64(now-f.step[f.head]) > f.timeout {
			f.timedOut += f.amount[f.head]
			f.total -= f.amount[f.head]
			f.head++
		}
		room := c.capJobs
		served := 0.0
		for f.head < len(f.step) && room > 0 {
			x := math.Min(room, f.amount[f.head])
			served += x
			room -= x
			f.total -= x
			if f.amount[f.head] -= x; f.amount[f.head] <= 0 {
				f.head++
			}
		}
		sv := math.Min(a, math.Max(0, room))
		served += sv
		if rest := a - sv; rest > 0 {
			// Float noise (1e-9 of the capacity, the guard tally.serve
			// uses) is not a step over capacity, but it is still held or
			// missed, so that the jobs add up.
			if rest > 1e-9*c.capJobs {
				t.over++
			}
			if !f.coldOnly || c.ready == 0 {
				f.step = append(f.step, now)
				f.amount = append(f.amount, rest)
				f.total += rest
			} else {
				t.missed += rest
			}
		}
		t.arrived += a
		t.served += served
		t.readySteps += c.ready
		h.ring[(now+1)&h.mask] = sums{t.arrived, t.served, t.readySteps}
		if f.head < len(f.step) { // an empty backlog is 0, not float noise
			f.queued += math.Max(0, f.total)
		}
		if h.queued != nil {
			h.queued[(now+1)&h.mask] = f.queued
		}
		h.util.AddSlow(a, invCap)
		if f.head > 64 && f.head*2 > len(f.step) { // compact the ring's front
			n := copy(f.step, f.step[f.head:])
			copy(f.amount, f.amount[f.head:])
			f.step, f.amount, f.head = f.step[:n], f.amount[:n], 0
		}
	}
	if f.head == len(f.step) {
		f.step, f.amount, f.head, f.total = f.step[:0], f.amount[:0], 0, 0
	}
}

// timedOutJobs and queuedJobs are the jobs that waited the timeout out and
// those still waiting; 0 without a hold.
func (f *fluidHold) timedOutJobs() float64 {
	if f == nil {
		return 0
	}
	return f.timedOut
}

func (f *fluidHold) queuedJobs() float64 {
	if f == nil {
		return 0
	}
	return math.Max(0, f.total)
}
