package events

import (
	"context"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/boxes-project/boxes/policy"
	"github.com/boxes-project/boxes/policy/aws"
	"github.com/boxes-project/boxes/policy/hpa"
	"github.com/boxes-project/boxes/sim"
	"github.com/boxes-project/boxes/sim/internal/simtest"
	"github.com/boxes-project/boxes/workload"
)

// TestEventsDeclaredReads checks that a policy that declares the windows
// it reads (the HPA: one window at each sync; AWS's policies: CloudWatch's
// aligned datapoints) gets the run it would get if the engine worked out
// every step's sums: the busy and queued sums only at its windows' edges,
// and spans and jobs started at once between them, change nothing it sees.
// On the general path (a bounded queue) the results are the same bit for
// bit; on the fast paths the sums add in another order (sameRun). Steps of
// 1 s, and of 10 s, where a 15 s sync falls inside a step and the window's
// edges round to its ends.
func TestEventsDeclaredReads(t *testing.T) {
	for _, c := range []struct {
		name   string
		dist   sim.LatencyKind
		q      sim.QueueKind
		step   time.Duration
		window time.Duration
		delay  time.Duration
		warmup time.Duration
	}{
		{"fixed, unbounded", sim.Fixed, sim.Unbounded, time.Second, 0, 0, 0},
		{"fixed, no queue, 30 s window, 5 s delay", sim.Fixed, sim.NoQueue, time.Second, 30 * time.Second, 5 * time.Second, 0},
		{"exponential, unbounded, 60 s window, warm-up", sim.Exponential, sim.Unbounded, time.Second, time.Minute, 0, 10 * time.Minute},
		{"exponential, unbounded, 10 s steps", sim.Exponential, sim.Unbounded, 10 * time.Second, 20 * time.Second, 3 * time.Second, 0},
		{"lognormal, no queue, 10 s steps", sim.LogNormal, sim.NoQueue, 10 * time.Second, 0, 0, 0},
		{"fixed, bounded, deadline, value", sim.Fixed, sim.Bounded, time.Second, 45 * time.Second, 2 * time.Second, 0},
	} {
		t.Run("hpa/"+c.name, func(t *testing.T) {
			h := hpa.DefaultHPA()
			h.Target, h.MinReplicas, h.MaxReplicas = 0.7, 2, 50
			h.Window, h.Delay = c.window, c.delay
			env := policy.Env{Latency: 0.5, Step: c.step.Seconds(), Boot: 30, Horizon: 7200, InitialRate: 20}
			sameWithEveryStep(t, c.step, c.dist, c.q, c.warmup, h, env)
		})
	}
	target := aws.DefaultTargetTracking()
	target.Target, target.MinCapacity, target.MaxCapacity = 60, 2, 60
	target.ScaleOutCooldown, target.ScaleInCooldown = time.Minute, 2*time.Minute
	step := aws.DefaultStepScaling()
	step.MinCapacity, step.MaxCapacity, step.Period, step.PublicationDelay = 2, 60, 30*time.Second, 15*time.Second
	up, down := aws.DefaultStepPolicy(), aws.DefaultStepPolicy()
	up.Alarm.Threshold, up.Steps = 70, []aws.StepAdjustment{{Unbounded: "upper", Adjustment: 3}}
	down.Alarm.Comparison, down.Alarm.Threshold = aws.LessOrEqual, 40
	down.Steps = []aws.StepAdjustment{{Unbounded: "lower", Adjustment: -1}}
	step.Policies = []aws.StepPolicy{up, down}
	pred := aws.DefaultPredictive()
	slow := target
	slow.Period = 90 * time.Second // edges apart from the forecast's 60 s samples
	pred.MaxCapacity, pred.Dynamic = 60, []aws.TargetTracking{slow}
	for _, c := range []struct {
		name string
		dist sim.LatencyKind
		q    sim.QueueKind
		cfg  policy.Config
	}{
		{"predictive and target tracking, fixed, unbounded", sim.Fixed, sim.Unbounded, pred},
		{"target tracking, fixed, unbounded", sim.Fixed, sim.Unbounded, target},
		{"target tracking, exponential, bounded", sim.Exponential, sim.Bounded, target},
		{"step scaling, fixed, unbounded", sim.Fixed, sim.Unbounded, step},
		{"step scaling, lognormal, no queue", sim.LogNormal, sim.NoQueue, step},
	} {
		t.Run("aws/"+c.name, func(t *testing.T) {
			env := policy.Env{Latency: 0.5, Step: 1, Boot: 30, Horizon: 7200, InitialRate: 20}
			sameWithEveryStep(t, time.Second, c.dist, c.q, 0, c.cfg, env)
		})
	}
}

// sameWithEveryStep runs a policy that declares its windows twice over two
// hours of a daily load, once with its declaration and once with every
// step's sums, and checks the runs and what the policy saw at each decision
// agree.
func sameWithEveryStep(t *testing.T, step time.Duration, dist sim.LatencyKind, q sim.QueueKind, warmup time.Duration, pc policy.Config, env policy.Env) {
	t.Helper()
	daily := workload.Sum{workload.Daily{Mean: 20, Ratio: 4, Period: 3600, Peak: 1800}, workload.Constant(5)}
	s := simtest.RoundSetup(2 * time.Hour)
	s.Step = step
	s.Box.Latency = 500 * time.Millisecond
	s.Boot = 30 * time.Second
	cfg := sim.JobsConfig{Seed: 11, Warmup: warmup, Latency: sim.Latency{Distribution: dist, Sigma: 0.5}, Queue: sim.Queue{Kind: q}}
	if q == sim.Bounded {
		cfg.Queue.Capacity = 20
		cfg.Queue.Deadline = 700 * time.Millisecond
		cfg.Value = sim.Value{Kind: sim.Linear, Horizon: 2 * time.Second}
	}
	var rs [2]*sim.Result
	var seen [2][]policy.Metrics
	for i := range rs {
		run, err := pc.Start(env)
		if err != nil {
			t.Fatal(err)
		}
		if len(run.Reads) == 0 {
			t.Fatalf("the policy declares no window (%v)", run.Reads)
		}
		// What the policy sees at each decision, read again (the first of
		// its windows, as its own first read would see it).
		p, r := run.Policy, run.Reads[0]
		run.Policy = policy.Func(func(o *policy.Observation) int {
			var m policy.Metrics
			if r.Aligned {
				end := math.Floor(o.Time/r.Length) * r.Length
				m, _ = o.Metrics(r.Length, o.Time-end)
			} else {
				m, _ = o.Metrics(r.Length, r.Delay)
			}
			seen[i] = append(seen[i], m)
			return p.Desired(o)
		})
		e, err := newEvents(s, daily, run, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if i == 1 {
			e.edges, e.edge = nil, int(^uint(0)>>1) // every step's sums
		} else if e.edges == nil {
			t.Fatal("the engine does not take the declared windows")
		}
		if err := e.simulate(context.Background()); err != nil {
			t.Fatal(err)
		}
		rs[i] = e.result()
	}
	if rs[0].BoxStarts < 3 {
		t.Fatalf("the policy started %d boxes: the run does not exercise its decisions", rs[0].BoxStarts)
	}
	if len(seen[0]) != len(seen[1]) {
		t.Fatalf("%d decisions, against %d", len(seen[0]), len(seen[1]))
	}
	queued := 0.0
	for j, m := range seen[0] {
		w := seen[1][j]
		if m.JobRate != w.JobRate || m.Ready != w.Ready || m.Served != w.Served ||
			math.Abs(m.Busy-w.Busy) > 1e-9*math.Max(1, w.Busy) || math.Abs(m.Queued-w.Queued) > 1e-9*math.Max(1, w.Queued) {
			t.Fatalf("decision %d sees %+v; with every step's sums %+v", j, m, w)
		}
		queued = max(queued, w.Queued)
	}
	if q == sim.Unbounded && queued < 0.1 {
		t.Fatalf("no window saw jobs waiting (at most %g): the run does not exercise jobs that start after a window's end", queued)
	}
	if q == sim.Bounded {
		if !reflect.DeepEqual(rs[0], rs[1]) {
			t.Fatalf("general path: declared %+v, every step %+v", rs[0], rs[1])
		}
		return
	}
	sameRun(t, rs[0], rs[1])
}

// TestEventsUndeclaredRead checks that a policy that reads a window other
// than the ones it declares stops the run with an error that says so, rather
// than acting on sums the engine did not work out.
func TestEventsUndeclaredRead(t *testing.T) {
	s := simtest.RoundSetup(time.Hour)
	reads := 0
	p := policy.Func(func(o *policy.Observation) int {
		if _, ok := o.Metrics(60, 0); ok {
			reads++
		}
		if o.Time >= 600 {
			o.Metrics(37, 0) // not declared: starts between two edges
		}
		return 4
	})
	run := policy.Run{Policy: p, Initial: 4, Period: 15, Lookback: 60, Reads: []policy.Read{{Length: 60}}}
	_, err := Events(context.Background(), s, workload.Constant(2), run, sim.JobsConfig{Seed: 1})
	if err == nil || !strings.Contains(err.Error(), "declares") {
		t.Fatalf("err = %v; want the undeclared window named", err)
	}
	if reads < 30 {
		t.Fatalf("%d declared reads before the undeclared one; want the run to get that far", reads)
	}
}
