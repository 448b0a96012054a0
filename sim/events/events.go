// Package events is the per-job (discrete-event) engine: Events.
package events

import (
	"context"

	"github.com/boxes-project/boxes/policy"
	"github.com/boxes-project/boxes/sim"
	"github.com/boxes-project/boxes/workload"
)

// Events runs workload w under a policy one job at a time: the per-job
// (discrete-event) engine.
//
// Arrivals form a non-homogeneous Poisson process whose rate is the
// workload's: unit-rate Poisson epochs mapped through the inverse of the
// cumulative rate Λ(t) = ∫₀ᵗ λ (a time change; Çinlar 1975). Λ is exact at
// every step boundary (each step's jobs are the curve's Jobs over it) and
// linear within a step, so the number of arrivals in a step is Poisson with
// exactly the curve's mean, with no bias at the boundaries. A top-level
// workload.Poisson is unwrapped (its counts would be drawn twice). With
// cfg.Arrivals, the job log's timestamps arrive instead.
//
// Jobs are served first come, first served by the ready boxes, each job on
// one box for its latency; a job that finds every box busy is missed, waits,
// or times out, as cfg.Queue says. The policy acts at its period, seeing the
// same Observation as under Fluid (the metrics over its windows, now with
// Queued); new boxes take jobs once booted, and removed boxes finish the job
// in hand (billed Drain after removal, or until that job ends if later). A
// job's start is final once it happens: the jobs still waiting when the
// fleet changes are dispatched again on the new fleet, in order.
//
// Result.Jobs add up: Arrived = Served + Missed + TimedOut + Lost + Queued
// (Late counts served jobs). Memory does not grow with the number of jobs:
// only with the boxes and the jobs waiting at once.
func Events(ctx context.Context, s sim.Setup, w workload.Curve, run policy.Run, cfg sim.JobsConfig) (*sim.Result, error) {
	e, err := newEvents(s, w, run, cfg)
	if err != nil {
		return nil, err
	}
	if err := e.simulate(ctx); err != nil {
		err = workload.NameCurve(err, w)
		return nil, err
	}
	return e.result(), nil
}
