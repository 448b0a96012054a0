package events

import (
	"context"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/boxes-project/boxes/policy"
	"github.com/boxes-project/boxes/policy/hpa"
	"github.com/boxes-project/boxes/sim"
	"github.com/boxes-project/boxes/sim/engine"
	"github.com/boxes-project/boxes/sim/internal/simtest"
	"github.com/boxes-project/boxes/workload"
)

// allocated is the bytes f allocates on the heap (runtime.MemStats'
// TotalAlloc before and after).
func allocated(f func()) uint64 {
	var m0, m1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m0)
	f()
	runtime.ReadMemStats(&m1)
	return m1.TotalAlloc - m0.TotalAlloc
}

// TestHistoryBounded is issue 11's F1: a week of nanoseconds
// ({"horizon":"604800ns","step":"1ns","policy":{"kind":"hpa",...}}) under
// the HPA, whose 30 s lookback is 3×10¹⁰ steps of 1 ns. Sizing the
// policy's history from the lookback asked for 768 GiB (events) and
// 1.25 TiB at once and killed the process; the ring is now no longer than the
// run (604,800 steps), so each engine allocates a few tens of MiB.
func TestHistoryBounded(t *testing.T) {
	s := simtest.DefaultSetup()
	s.Horizon, s.Step, s.Boot, s.Drain = 604800, 1, 0, 0
	h := hpa.DefaultHPA()
	h.Target, h.MinReplicas, h.MaxReplicas = 0.7, 1, 100
	env := policy.Env{Latency: 0.2, Step: 1e-9, Horizon: s.Horizon.Seconds(), Start: s.Start, InitialRate: 10}
	const limit = 100 << 20 // bytes; a 2²⁰-slot ring of the events engine is 40 MiB
	for _, eng := range []string{"fluid", "events"} {
		var err error
		n := allocated(func() {
			run, e := h.Start(env)
			if e != nil {
				err = e
				return
			}
			if eng == "fluid" {
				_, err = engine.Fluid(context.Background(), s, workload.Constant(10), run)
			} else {
				_, err = Events(context.Background(), s, workload.Constant(10), run, sim.JobsConfig{Seed: 1})
			}
		})
		if err != nil {
			t.Fatalf("%s: %v", eng, err)
		}
		if n > limit {
			t.Errorf("%s: allocated %d MiB, more than %d MiB", eng, n>>20, limit>>20)
		}
	}
}

// TestHistoryTooLong: a lookback over more steps than MaxHistorySteps (in
// a run that has that many) is refused, naming the limit, before the ring is
// allocated.
func TestHistoryTooLong(t *testing.T) {
	s := simtest.DefaultSetup()
	s.Horizon = 365 * 24 * time.Hour
	run := policy.Run{Policy: policy.Func(func(*policy.Observation) int { return 1 }), Initial: 1, Lookback: 400 * 86400}
	var errs [2]error
	n := allocated(func() {
		_, errs[0] = engine.Fluid(context.Background(), s, workload.Constant(10), run)
		_, errs[1] = Events(context.Background(), s, workload.Constant(10), run, sim.JobsConfig{Seed: 1})
	})
	for i, err := range errs {
		if err == nil || !strings.Contains(err.Error(), "steps of history") {
			t.Errorf("engine %d: got %v, want the history limit", i, err)
		}
	}
	if n > 1<<20 {
		t.Errorf("allocated %d bytes before refusing", n)
	}
}
