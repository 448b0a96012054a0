package sim

import (
	"context"
	"testing"
	"time"

	"github.com/boxes-project/boxes/policy"
	"github.com/boxes-project/boxes/workload"
)

// TestFluidHold follows the fluid engine's hold by hand: 0.5 jobs/s of 1 s
// jobs for 10 s, no box at first, one asked for at 0 and ready at 5, so
// steps 0–4 find no box and from step 5 one box serves 1 job a step.
func TestFluidHold(t *testing.T) {
	s := testSetup(10 * time.Second)
	s.Boot = 5 * time.Second
	for _, c := range []struct {
		name string
		hold *policy.Hold
		want Jobs
	}{
		// No hold: steps 0–4 miss their 0.5 each; then every job is served.
		{"none", nil, Jobs{Arrived: 5, Served: 2.5, Missed: 2.5}},
		// Held always: the backlog is 2.5 at step 5 and shrinks by 0.5 a
		// step (1 served, 0.5 arriving) to 0 at step 9: all 5 served.
		{"always", &policy.Hold{}, Jobs{Arrived: 5, Served: 5}},
		// Held while cold: steps 5 and 6 serve 1 of the backlog each and
		// miss their own 0.5 (a box is ready); step 7 serves the last 0.5
		// of the backlog and its own; 8 and 9 their own.
		{"cold only", &policy.Hold{ColdOnly: true}, Jobs{Arrived: 5, Served: 4, Missed: 1}},
		// Held 3 s at most: step 0's jobs leave at step 4, step 1's at
		// step 5 (waited 4 > 3); steps 5 and 6 serve 1 of the rest each,
		// and from step 7 the box keeps up.
		{"always, 3 s", &policy.Hold{Timeout: 3}, Jobs{Arrived: 5, Served: 4, TimedOut: 1}},
	} {
		t.Run(c.name, func(t *testing.T) {
			run := constRun(0, 1, 3600)
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
				check(t, f.name, f.got, f.want, 1e-9)
			}
			checkInvariants(t, c.name, s, r)
			missed := 0.0
			for _, m := range r.Series.Missed {
				missed += m * r.Series.Interval
			}
			check(t, "missed in the series", missed, j.Missed+j.TimedOut, 1e-9)
		})
	}
}
