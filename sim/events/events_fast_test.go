package events

import (
	"context"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/boxes-project/boxes/policy"
	"github.com/boxes-project/boxes/policy/hpa"
	"github.com/boxes-project/boxes/sim"
	"github.com/boxes-project/boxes/sim/internal/simtest"
	"github.com/boxes-project/boxes/workload"
)

// quietTracer watches nothing; setting it turns the fast paths off.
type quietTracer struct{}

func (quietTracer) started(a, s, l float64)   {}
func (quietTracer) Fleet(t float64, r int)    {}
func (quietTracer) removed(t, jobEnd float64) {}

// TestEventsFastPaths checks that the fast paths (fastArrivals,
// fastArrivalsRandom, queueArrivals, starting jobs at once up to the next time
// anything reads the counts, and spans of steps with nothing in them but
// arrivals) give what the general path gives job by job
// (admit, pending jobs, record): the same counts, histograms and series,
// and sums within float rounding (they add in another order).
func TestEventsFastPaths(t *testing.T) {
	hpa := func() policy.Run {
		return startHPA(t, 0.7, 2, 50, policy.Env{Latency: 0.5, Step: 1, Boot: 30, Horizon: 7200, InitialRate: 20})
	}
	daily := workload.Sum{workload.Daily{Mean: 20, Ratio: 4, Period: 3600, Peak: 1800}, workload.Constant(5)}
	for _, c := range []struct {
		name string
		dist sim.LatencyKind
		q    sim.QueueKind
		run  func() policy.Run
	}{
		{"M/D/8 unbounded, fixed fleet", sim.Fixed, sim.Unbounded, func() policy.Run { return simtest.FixedRun(8) }},
		{"M/D/8 no queue, fixed fleet", sim.Fixed, sim.NoQueue, func() policy.Run { return simtest.FixedRun(8) }},
		{"M/M/8 unbounded, fixed fleet", sim.Exponential, sim.Unbounded, func() policy.Run { return simtest.FixedRun(8) }},
		{"M/M/40 unbounded (radix heap)", sim.Exponential, sim.Unbounded, func() policy.Run { return simtest.FixedRun(40) }},
		// Drops in the fast path: each dropped job has drawn its latency
		// (TestEventsCommonRandomNumbers checks the general path).
		{"M/M/8 no queue, fixed fleet", sim.Exponential, sim.NoQueue, func() policy.Run { return simtest.FixedRun(8) }},
		{"lognormal, HPA, no queue", sim.LogNormal, sim.NoQueue, hpa},
		{"lognormal, HPA", sim.LogNormal, sim.Unbounded, hpa},
		{"fixed, HPA, no queue", sim.Fixed, sim.NoQueue, hpa},
		{"exponential, HPA", sim.Exponential, sim.Unbounded, hpa},
		// queueArrivals: fixed latencies with a bounded queue, a deadline,
		// late jobs and a value.
		{"M/D/8 bounded, deadline, value, fixed fleet", sim.Fixed, sim.Bounded, func() policy.Run { return simtest.FixedRun(8) }},
		{"fixed, bounded, deadline, value, HPA", sim.Fixed, sim.Bounded, hpa},
		{"fixed, unbounded, deadline, value, HPA", sim.Fixed, sim.Unbounded, hpa},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := simtest.RoundSetup(2 * time.Hour)
			s.Box.Latency = 500 * time.Millisecond
			s.Boot = 30 * time.Second
			cfg := sim.JobsConfig{Seed: 7, Latency: sim.Latency{Distribution: c.dist, Sigma: 0.5}, Queue: sim.Queue{Kind: c.q}}
			if c.q == sim.Bounded || strings.Contains(c.name, "deadline") {
				if c.q == sim.Bounded {
					cfg.Queue.Capacity = 20
				}
				cfg.Queue.Deadline = 700 * time.Millisecond
				cfg.Queue.LateAfter = 900 * time.Millisecond
				cfg.Value = sim.Value{Kind: sim.Linear, Horizon: 2 * time.Second}
			}
			var rs [2]*sim.Result
			for i := range rs {
				e, err := newEvents(s, daily, c.run(), cfg)
				if err != nil {
					t.Fatal(err)
				}
				if i == 1 {
					e.trace = quietTracer{}
				}
				if err := e.simulate(context.Background()); err != nil {
					t.Fatal(err)
				}
				rs[i] = e.result()
			}
			sameRun(t, rs[0], rs[1])
		})
	}
}

// startHPA starts Kubernetes' HPA on cpu at target, between lo and hi
// boxes, for env.
func startHPA(t *testing.T, target float64, lo, hi int, env policy.Env) policy.Run {
	t.Helper()
	h := hpa.DefaultHPA()
	h.Target, h.MinReplicas, h.MaxReplicas = target, lo, hi
	run, err := h.Start(env)
	if err != nil {
		t.Fatal(err)
	}
	return run
}

// sameRun fails unless two runs of the same jobs (one by a fast path, one
// by the general path, say) agree: the same counts, histograms and series,
// and sums within float rounding (they may add in another order).
func sameRun(t *testing.T, fast, slow *sim.Result) {
	t.Helper()
	t.Logf("%+v, value %.6g", fast.Jobs, fast.Queueing.Value)
	if fast.Queueing.Value != slow.Queueing.Value && math.Abs(fast.Queueing.Value-slow.Queueing.Value) > 1e-9*slow.Queueing.Value {
		t.Fatalf("value: fast %g, general %g", fast.Queueing.Value, slow.Queueing.Value)
	}
	if fast.Jobs != slow.Jobs {
		t.Fatalf("jobs: fast %+v, general %+v", fast.Jobs, slow.Jobs)
	}
	if fast.BoxStarts != slow.BoxStarts || fast.PeakBoxes != slow.PeakBoxes {
		t.Fatalf("fleet: fast %d starts, peak %d; general %d, %d", fast.BoxStarts, fast.PeakBoxes, slow.BoxStarts, slow.PeakBoxes)
	}
	// Per step: the spans' closes (see spanEnd) count each step's
	// jobs and misses as the general path does.
	if fast.SecondsOverCapacity != slow.SecondsOverCapacity || !reflect.DeepEqual(fast.Utilization, slow.Utilization) {
		t.Fatalf("per step: fast %g s over capacity, utilization %+v; general %g s, %+v",
			fast.SecondsOverCapacity, fast.Utilization, slow.SecondsOverCapacity, slow.Utilization)
	}
	fq, sq := fast.Queueing, slow.Queueing
	if fq.Wait.P50 != sq.Wait.P50 || fq.Wait.P99 != sq.Wait.P99 || fq.Response.P999 != sq.Response.P999 || fq.WaitProbability != sq.WaitProbability {
		t.Fatalf("percentiles: fast %+v, general %+v", fq, sq)
	}
	for _, p := range [][2]float64{{fq.Wait.Mean, sq.Wait.Mean}, {fq.Response.Mean, sq.Response.Mean}, {fq.MeanQueued, sq.MeanQueued}, {fast.BusyFraction, slow.BusyFraction}, {fast.Cost, slow.Cost}} {
		if math.Abs(p[0]-p[1]) > 1e-9*math.Max(1, math.Abs(p[1])) {
			t.Fatalf("sums: fast %v, general %v", p[0], p[1])
		}
	}
	fs, ss := fast.Series, slow.Series
	for i := range fs.Served {
		if fs.Served[i] != ss.Served[i] || fs.WaitP99[i] != ss.WaitP99[i] || fs.Ready[i] != ss.Ready[i] ||
			math.Abs(fs.Queued[i]-ss.Queued[i]) > 1e-9*math.Max(1, ss.Queued[i]) {
			t.Fatalf("series point %d: fast served %g p99 %g ready %g queued %g, general %g %g %g %g", i,
				fs.Served[i], fs.WaitP99[i], fs.Ready[i], fs.Queued[i], ss.Served[i], ss.WaitP99[i], ss.Ready[i], ss.Queued[i])
		}
	}
}
