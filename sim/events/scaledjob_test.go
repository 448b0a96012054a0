package events

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/boxes-project/boxes/policy"
	"github.com/boxes-project/boxes/policy/scaletozero"
	"github.com/boxes-project/boxes/sim"
	"github.com/boxes-project/boxes/sim/engine"
	"github.com/boxes-project/boxes/sim/internal/simtest"
	"github.com/boxes-project/boxes/workload"
)

// TestScaledJob follows a KEDA ScaledJob by hand on both engines: 30 jobs
// of 1 s, 3 a second from t=100 (a burst on the fluid engine, the same
// times replayed on the events engine), job pods that boot in 10 s, and
// KEDA's defaults (poll every 30 s, the default strategy, one job per pod
// of the waiting jobs).
//
//   - max 100: the poll at 120 sees 30 waiting (scaleTo = maxScale = 30,
//     running 0: 30 − 0) and creates 30 pods; they are ready at 130, take
//     one job each and leave at 131. Pod-time 30 × 11 s = 330 s, and the
//     queue asked for no more than the max.
//   - max 10: maxScale = min(30, 10) = 10, so 10 pods at 120, 150 and 180
//     (20 and then 10 still waiting), each done 11 s later; pod-time the
//     same 330 s. The queue asked for 30 and then 20 pods, more than 10,
//     from the poll at 120 to the one at 180: 60 s at max.
//   - max 10 on the events engine: a box takes the next waiting job the
//     moment its job ends, before the step at which its pod leaves, and
//     finishes it as it goes (a drained box, billed to the job's end): the
//     10 pods of 120 serve 20 jobs and live 12 s each, the 10 of 150 serve
//     the last 10 in 11 s: 230 s of pods, and 30 s at max (the poll at 150
//     sees 10 waiting, within the max). The package doc of scaletozero
//     names this departure.
func TestScaledJob(t *testing.T) {
	s := simtest.RoundSetup(400 * time.Second)
	s.Boot = 10 * time.Second
	arrivals := make([]float64, 30)
	for i := range arrivals {
		arrivals[i] = 100 + float64(i)/3
	}
	for _, c := range []struct {
		engine    string
		max       int
		peak      int
		starts    []float64 // the polls that create pods
		podTime   float64   // seconds
		timeAtMax float64
	}{
		{"fluid", 100, 30, []float64{120}, 330, 0},
		{"events", 100, 30, []float64{120}, 330, 0},
		{"fluid", 10, 10, []float64{120, 150, 180}, 330, 60},
		{"events", 10, 10, []float64{120, 150}, 230, 30},
	} {
		eng := c.engine
		t.Run(fmt.Sprintf("%s max %d", eng, c.max), func(t *testing.T) {
			cfg := scaletozero.DefaultScaledJob()
			cfg.MaxReplicaCount = c.max
			run, err := cfg.Start(policy.Env{Latency: 1, Step: 1, Boot: 10, Horizon: 400})
			if err != nil {
				t.Fatal(err)
			}
			log := sim.NewDecisionLog(run.Policy)
			var created []float64
			last := 0
			run.Policy = policy.Func(func(o *policy.Observation) int {
				n := log.Desired(o)
				if n > last {
					created = append(created, o.Time)
				}
				last = n
				return n
			})
			var r *sim.Result
			if eng == "fluid" {
				r, err = engine.Fluid(context.Background(), s, workload.Burst{Start: 100, Duration: 10, Height: 3}, run)
			} else {
				r, err = Events(context.Background(), s, workload.Constant(0), run, sim.JobsConfig{Seed: 1, Arrivals: arrivals})
			}
			if err != nil {
				t.Fatal(err)
			}
			if j := r.Jobs; j.Arrived != 30 || j.Served != 30 {
				t.Errorf("max %d, %s: jobs %+v, want all 30 served", c.max, eng, j)
			}
			if r.PeakBoxes != c.peak || len(created) != len(c.starts) {
				t.Errorf("max %d, %s: peak %d, pods created at %v; want %d at %v", c.max, eng, r.PeakBoxes, created, c.peak, c.starts)
			} else {
				for i := range created {
					if created[i] != c.starts[i] {
						t.Errorf("max %d, %s: pods created at %v, want %v", c.max, eng, created, c.starts)
						break
					}
				}
			}
			if got := r.BoxHours * 3600; got < c.podTime-1e-6 || got > c.podTime+1e-6 {
				t.Errorf("max %d, %s: pod-time %g s, want %g s", c.max, eng, got, c.podTime)
			}
			if l := log.Limits(r, 400); l.TimeAtMax != c.timeAtMax {
				t.Errorf("max %d, %s: time at max %g s, want %g", c.max, eng, l.TimeAtMax, c.timeAtMax)
			}
		})
	}
}
