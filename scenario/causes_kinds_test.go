package scenario

import (
	"context"
	"fmt"
	"testing"

	"github.com/boxes-project/boxes/sim"
)

// kindsAtMax: causesScenario's step (20 jobs/s, 100/s from 00:20 to 00:40,
// 200 ms jobs: 4 boxes, then 20) under every scaler that explains its
// decisions, each capped at 10 boxes (50 jobs/s). Requests held by a
// proxy (Knative's activator, Cloud Run's queue) time out after 1 s, so
// that the backlog stays about 50 jobs/s × 1 s and the windows empty soon
// after the step ends.
const kindsAtMax = `
horizon: 1h
engine: %s
box: {latency: 200ms, boot: 30s}
workload: {steps: {initial: 20/s, steps: [{at: 20m, rate: 100/s}, {at: 40m, rate: 20/s}]}}
policies:
  - {name: knative, knative: {container_concurrency: 1, max_scale: 10, request_timeout: 1s}}
  - {name: cloudrun, cloudrun: {max_concurrency: 1, max_instances: 10, request_timeout: 1s}}
  - {name: keda, keda: {max_replica_count: 10, triggers: [{metric: jobrate, target: 4}]}}
  - {name: aws-tt, aws-target-tracking: {max_capacity: 10}}
  - name: aws-step
    aws-step-scaling:
      min_capacity: 5
      max_capacity: 10
      policies:
        - alarm: {threshold: 70, comparison: GreaterThanOrEqualToThreshold}
          steps: [{unbounded: upper, adjustment: 2}]
  - name: aws-simple
    aws-simple-scaling:
      min_capacity: 5
      max_capacity: 10
      policies:
        - {alarm: {threshold: 70, comparison: GreaterThanOrEqualToThreshold}, adjustment: 2}
  - {name: aws-predictive, aws-predictive: {max_capacity: 10, dynamic: [{max_capacity: 10}]}}
`

// TestCauseMaxEveryKind: each scaler wants more than 10 boxes from its
// first reaction to the step until its windows forget it, and says so:
// time_at_max within the bounds derived below, and max the dominant cause
// of the jobs missed. On both engines.
//
// The bounds, by hand from each scaler's rules (source in its doc
// comment):
//
//   - knative: 6 pods before the step (ceil(4 in flight / 0.7)); the tick
//     at 1202 s sees 2 s of the step in the 6 s panic window, asks for at
//     least 14 pods (dppc ≥ 2 × ready: panic) and panic mode holds its
//     highest count until a stable window (60 s) after the last tick with
//     dppc ≥ 20, a few seconds after 2400 s: from 1202 to about 2466,
//     1,264 s, bounded here by [1200, 1280].
//   - cloudrun: the on-demand start at 1201 s asks for the ~60 in flight;
//     it wants more than 10 until the one-minute window's mean in flight
//     falls to 6 (10 × 0.6), 58–59 s after the step, and the 5 s
//     evaluation that sees it, 2460 s: about 1,259 s, in [1200, 1270].
//   - keda: the HPA syncs every 15 s on a one-step jobrate; the sync at
//     1215 s sees 100/s (25 replicas of 4/s), the one at 2415 s sees 20/s:
//     1,200 s exactly (±1 sync, 15 s, for Poisson noise on the events
//     engine).
//   - aws-tt: 8 boxes at 50% before; the datapoints of [20m, 21m),
//     [21m, 22m) and [22m, 23m) are at 100% and the third is published at
//     24m (one-minute delay): the alarm proposes ceil(8 × 100 / 50) = 16;
//     the datapoint of [40m, 41m), at 40% and published at 42m, ends it:
//     18 min = 1,080 s (±1 datapoint).
//   - aws-step: 5 boxes at 80% go to 7 at 2m (4 of 7 busy: 57%, below the
//     alarm); the datapoint of [20m, 21m) at 22m adds 2 (9), the 300 s
//     cooldown applies later steps to 7, so 9 again, until 27m, whose
//     step on 9 asks for 11 > 10 until the datapoint published at 42m:
//     15 min = 900 s (±1 datapoint).
//   - aws-simple: as aws-step to 9 at 22m; the cooldown runs from the
//     boxes' readiness (22m30s) for 300 s, and the alarm it leaves
//     unanswered at 23m asks for 9 + 2 = 11 > 10: from 23m to 42m,
//     1,140 s (±1 datapoint).
//   - aws-predictive: no history in one hour, so no forecast; its dynamic
//     target tracking policy is aws-tt: 1,080 s.
//
// The events engine's arrivals are random and its boxes have no queue
// here, which changes three of them:
//
//   - knative: Poisson noise at 6 pods sends the 6 s panic window over
//     twice the ready pods now and then (dppc 12 > 10), and panic holds
//     12 pods for a stable window: up to a few minutes more, [1200, 1400].
//   - aws-step: 5 boxes offered 4 erlangs lose B(5, 4) = 19.9% of the jobs
//     (Erlang B), so the CPU is 64%, under the alarm: no scale-out before
//     the step. It adds 2 at 22m (7), 2 at 27m when the cooldown ends (9),
//     and asks for 11 > 10 from 32m to 42m: 600 s. The two cooldowns
//     (reaction) miss more jobs than the max.
//   - aws-simple: 7 at 22m, cooldown until 27m30s, 9 at 28m, and the alarm
//     unanswered from 29m asks for 11 > 10 until 42m: 780 s. Its cooldown
//     holds a scale-up back (rate) for 5 minutes before that.
func TestCauseMaxEveryKind(t *testing.T) {
	type want struct {
		lo, hi   float64 // time at max, seconds
		dominant string
	}
	wants := map[string]map[string]want{
		EngineFluid: {
			"knative":        {1200, 1280, sim.CauseMax},
			"cloudrun":       {1200, 1270, sim.CauseMax},
			"keda":           {1200 - 15, 1200 + 15, sim.CauseMax},
			"aws-tt":         {1080 - 60, 1080 + 60, sim.CauseMax},
			"aws-step":       {900 - 60, 900 + 60, sim.CauseMax},
			"aws-simple":     {1140 - 60, 1140 + 60, sim.CauseMax},
			"aws-predictive": {1080 - 60, 1080 + 60, sim.CauseMax},
		},
		EngineEvents: {
			"knative":        {1200, 1400, sim.CauseMax},
			"cloudrun":       {1200, 1270, sim.CauseMax},
			"keda":           {1200 - 15, 1200 + 15, sim.CauseMax},
			"aws-tt":         {1080 - 60, 1080 + 60, sim.CauseMax},
			"aws-step":       {600 - 60, 600 + 60, sim.CauseReaction},
			"aws-simple":     {780 - 60, 780 + 60, sim.CauseMax},
			"aws-predictive": {1080 - 60, 1080 + 60, sim.CauseMax},
		},
	}
	for _, engine := range []string{EngineFluid, EngineEvents} {
		t.Run(engine, func(t *testing.T) {
			sc, err := Parse(fmt.Appendf(nil, kindsAtMax, engine), "kinds.yaml")
			if err != nil {
				t.Fatal(err)
			}
			out, err := sc.Run(context.Background(), Options{Workers: 1})
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range out.Runs {
				l := r.Limits
				w, ok := wants[engine][r.Name]
				if !ok {
					t.Fatalf("no expectation for %s", r.Name)
				}
				if l == nil || !l.Explained {
					t.Errorf("%s: limits %+v, want explained", r.Name, l)
					continue
				}
				if l.TimeAtMax < w.lo || l.TimeAtMax > w.hi {
					t.Errorf("%s: time at max %g s, want in [%g, %g]", r.Name, l.TimeAtMax, w.lo, w.hi)
				}
				if l.Dominant != w.dominant {
					t.Errorf("%s: dominant cause %q (missed %v), want %s", r.Name, l.Dominant, l.Missed, w.dominant)
				}
				if l.Missed[sim.CauseMax] <= 0 {
					t.Errorf("%s: no job missed at max (missed %v)", r.Name, l.Missed)
				}
				if l.TimeAtMin != 0 {
					t.Errorf("%s: time at min %g s, want 0", r.Name, l.TimeAtMin)
				}
				t.Logf("%s: time at max %g s, missed by cause %v", r.Name, l.TimeAtMax, l.Missed)
			}
		})
	}
}

// TestCauseRateKnative: with max-scale-up-rate 2 and no max, the decider
// at 6 ready pods may ask for at most ceil(2 × 6) = 12 pods a tick while
// the step's in-flight load asks for ceil(20 / 0.7) = 29 or more; the 30 s
// boot keeps the ready pods at 6, then 12 (limit 24), so the rate limit
// holds the scale-up back for about a minute, and the jobs missed then
// are the rate's. Nothing is at a max.
func TestCauseRateKnative(t *testing.T) {
	const doc = `
horizon: 1h
engine: %s
box: {latency: 200ms, boot: 30s}
workload: {steps: {initial: 20/s, steps: [{at: 20m, rate: 100/s}, {at: 40m, rate: 20/s}]}}
policies:
  - {name: knative, knative: {container_concurrency: 1, max_scale_up_rate: 2, request_timeout: 1s}}
`
	for _, engine := range []string{EngineFluid, EngineEvents} {
		sc, err := Parse(fmt.Appendf(nil, doc, engine), "rate.yaml")
		if err != nil {
			t.Fatal(err)
		}
		out, err := sc.Run(context.Background(), Options{Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		l := out.Runs[0].Limits
		if l == nil || !l.Explained || l.TimeAtMax != 0 || !(l.Missed[sim.CauseRate] > 0) {
			t.Errorf("%s: limits %+v, want jobs missed while the rate held and no time at max", engine, l)
		}
		t.Logf("%s: missed by cause %v", engine, l.Missed)
	}
}

// TestScaledJobManifest: a KEDA ScaledJob read from its native manifest
// ({manifest: FILE}) runs as the keda-scaledjob kind on both engines. The
// file's SQS trigger asks for one pod per 2 waiting jobs, 40 pods at most,
// 1 kept running, with the custom strategy (deduct 1 and half the running
// pods). 4 jobs/s of 2 s jobs, each pod living boot + latency = 12 s for
// one job: about 4 × 12 = 48 pods alive in the steady state, which the
// custom strategy lets past 40 (it deducts only half the running pods
// from min(queue / 2, 39)). The queue keeps every job: none is missed.
func TestScaledJobManifest(t *testing.T) {
	const doc = `
horizon: 30m
engine: %s
box: {latency: 2s, boot: 10s}
workload: {constant: 4/s}
policies:
  - {manifest: ../nativecfg/testdata/keda-scaledjob.yaml}
`
	for _, engine := range []string{EngineFluid, EngineEvents} {
		sc, err := Parse(fmt.Appendf(nil, doc, engine), "scaledjob.yaml")
		if err != nil {
			t.Fatal(err)
		}
		if k := sc.Policies[0].Kind; k != "keda-scaledjob" {
			t.Fatalf("kind %q, want keda-scaledjob", k)
		}
		out, err := sc.Run(context.Background(), Options{Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		r := out.Runs[0]
		j := r.Result.Jobs
		if j.Missed+j.TimedOut+j.Lost != 0 || j.Served < 0.8*j.Arrived {
			t.Errorf("%s: jobs %+v: want none missed and most served", engine, j)
		}
		if r.Result.PeakBoxes <= 40 || r.Limits == nil || !r.Limits.Explained {
			t.Errorf("%s: peak %d, limits %+v: want past 40, explained", engine, r.Result.PeakBoxes, r.Limits)
		}
		t.Logf("%s: peak %d, jobs %+v, time at max %g s, cost $%.4f", engine, r.Result.PeakBoxes, j, r.Limits.TimeAtMax, r.Result.Cost)
	}
}
