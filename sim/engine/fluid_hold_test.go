package engine

import (
	"context"
	"testing"
	"time"

	"github.com/boxes-project/boxes/policy"
	"github.com/boxes-project/boxes/policy/scaletozero"
	"github.com/boxes-project/boxes/sim"
	"github.com/boxes-project/boxes/sim/internal/simtest"
	"github.com/boxes-project/boxes/workload"
)

// TestFluidHold follows the fluid engine's hold by hand: 0.5 jobs/s of 1 s
// jobs for 10 s, no box at first, one asked for at 0 and ready at 5, so
// steps 0–4 find no box and from step 5 one box serves 1 job a step.
func TestFluidHold(t *testing.T) {
	s := simtest.RoundSetup(10 * time.Second)
	s.Boot = 5 * time.Second
	for _, c := range []struct {
		name string
		hold *policy.Hold
		want sim.Jobs
	}{
		// No hold: steps 0–4 miss their 0.5 each; then every job is served.
		{"none", nil, sim.Jobs{Arrived: 5, Served: 2.5, Missed: 2.5}},
		// Held always: the backlog is 2.5 at step 5 and shrinks by 0.5 a
		// step (1 served, 0.5 arriving) to 0 at step 9: all 5 served.
		{"always", &policy.Hold{}, sim.Jobs{Arrived: 5, Served: 5}},
		// Held while cold: steps 5 and 6 serve 1 of the backlog each and
		// miss their own 0.5 (a box is ready); step 7 serves the last 0.5
		// of the backlog and its own; 8 and 9 their own.
		{"cold only", &policy.Hold{ColdOnly: true}, sim.Jobs{Arrived: 5, Served: 4, Missed: 1}},
		// Held 3 s at most: step 0's jobs leave at step 4, step 1's at
		// step 5 (waited 4 > 3); steps 5 and 6 serve 1 of the rest each,
		// and from step 7 the box keeps up.
		{"always, 3 s", &policy.Hold{Timeout: 3}, sim.Jobs{Arrived: 5, Served: 4, TimedOut: 1}},
	} {
		t.Run(c.name, func(t *testing.T) {
			run := simtest.ConstRun(0, 1, 3600)
			run.Hold = c.hold
			r, err := Fluid(context.Background(), s, workload.Constant(0.5), run)
			if err != nil {
				t.Fatal(err)
			}
			j := r.Jobs
			for _, f := range []struct {
				name      string
				got, want float64
			}{{"arrived", j.Arrived, c.want.Arrived}, {"served", j.Served, c.want.Served}, {"missed", j.Missed, c.want.Missed},
				{"timed out", j.TimedOut, c.want.TimedOut}, {"queued", j.Queued, c.want.Queued}} {
				simtest.Check(t, f.name, f.got, f.want, 1e-9)
			}
			simtest.CheckInvariants(t, c.name, s, r)
			missed := 0.0
			for _, m := range r.Series.Missed {
				missed += m * r.Series.Interval
			}
			simtest.Check(t, "missed in the series", missed, j.Missed+j.TimedOut, 1e-9)
		})
	}
}

// TestFluidHoldQueuedKEDA: a KEDA queue consumer scales from 0 on the
// fluid engine's backlog (Metrics.Queued). 3 jobs/s of 1 s jobs from
// t=100 to t=200, boxes boot in 10 s; KEDA's defaults (poll 30 s, HPA
// sync 15 s on its legacy path, cooldown 300 s) and one queue trigger of
// 5 jobs per replica over one step. By hand, the backlog at the end of
// step k is what arrived (3 a step from 100) less what the ready boxes
// served (one job a box a step):
//
//	t=120 poll: backlog 60 > 0, active: from 0 to max(min, 1) = 1, ready at 130
//	t=135 sync: backlog 105 − 5 = 100, ceil(100/5) = 20, legacy limit max(2×1, 4) = 4
//	t=150 sync: backlog 150 − (20 + 3×5) = 115, 23, limit max(2×4, 4) = 8
//	t=165 sync: backlog 195 − (35 + 3×20 + 4×5) = 80, 16, limit 16: 16
//	t=180 sync: the backlog emptied at step 177 (−5 a step from 165, −13 from
//	            175): 0, inactive; the legacy path keeps the highest
//	            recommendation of the last 300 s, the 23 of t=150 (it records
//	            them before the rate limit), within max(2×16, 4): 23
//	t=450 poll: 300 s after the last active poll (150): 0.
func TestFluidHoldQueuedKEDA(t *testing.T) {
	s := simtest.RoundSetup(600 * time.Second)
	s.Boot = 10 * time.Second
	keda := scaletozero.DefaultKEDA()
	keda.Triggers = []scaletozero.Trigger{{Metric: "queue", Target: 5}}
	run, err := keda.Start(policy.Env{Latency: 1, Step: 1, Boot: 10, Horizon: 600})
	if err != nil {
		t.Fatal(err)
	}
	if run.Hold == nil || run.Hold.ColdOnly || run.Hold.Timeout != 0 {
		t.Fatalf("hold %+v, want every job held, no timeout", run.Hold)
	}
	got := map[float64]int{}
	inner := run.Policy
	run.Policy = policy.Func(func(o *policy.Observation) int {
		n := inner.Desired(o)
		got[o.Time] = n
		return n
	})
	r, err := Fluid(context.Background(), s, workload.Burst{Start: 100, Duration: 100, Height: 3}, run)
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range []struct {
		t    float64
		want int
	}{{119, 0}, {120, 1}, {134, 1}, {135, 4}, {149, 4}, {150, 8}, {165, 16}, {180, 23}, {449, 23}, {450, 0}} {
		if got[row.t] != row.want {
			t.Errorf("t=%g: %d replicas, want %d", row.t, got[row.t], row.want)
		}
	}
	if j := r.Jobs; j.Served != 300 || j.Missed+j.TimedOut+j.Queued != 0 {
		t.Errorf("jobs %+v: want all 300 served", j)
	}
}
