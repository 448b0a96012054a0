package scenario

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/boxes-project/boxes/sim"
)

const eventsScenario = `
horizon: 1h
engine: events
replications: 5
warmup: 10m
box: {latency: 200ms}
jobs:
  latency: {distribution: lognormal, cv: 1}
  queue: {kind: bounded, capacity: 100, deadline: 2s, late_after: 1s, crash: {length: 50, recovery: 5m}}
  value: {kind: exponential, half_life: 1s}
workload: {constant: 40/s}
policies: [{fixed: {capacity: 10}}]
`

func TestParseEvents(t *testing.T) {
	sc, err := Parse([]byte(eventsScenario), "ev.yaml")
	if err != nil {
		t.Fatal(err)
	}
	j := sc.Jobs
	if sc.Engine != EngineEvents || sc.Replications != 5 || j.Warmup != 10*time.Minute || j.Seed != 1 {
		t.Errorf("engine %q, replications %d, warmup %v, seed %d", sc.Engine, sc.Replications, j.Warmup, j.Seed)
	}
	// cv² = exp(σ²) − 1: cv 1 is σ = √ln 2.
	if j.Latency.Distribution != sim.LogNormal || math.Abs(j.Latency.Sigma-math.Sqrt(math.Ln2)) > 1e-15 {
		t.Errorf("latency %+v, want lognormal with sigma √ln 2", j.Latency)
	}
	want := sim.Queue{Kind: sim.Bounded, Capacity: 100, Deadline: 2 * time.Second, LateAfter: time.Second,
		Crash: sim.Crash{Length: 50, Recovery: 5 * time.Minute}}
	if j.Queue != want {
		t.Errorf("queue %+v, want %+v", j.Queue, want)
	}
	if j.Value != (sim.Value{Kind: sim.Decay, HalfLife: time.Second}) {
		t.Errorf("value %+v", j.Value)
	}
	// Short forms.
	sc, err = Parse([]byte("engine: events\njobs: {latency: exponential, queue: unbounded}\nworkload: {constant: 1/s}\npolicies: [{fixed: {capacity: 1}}]\n"), "short.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if sc.Jobs.Latency.Distribution != sim.Exponential || sc.Jobs.Queue.Kind != sim.Unbounded || sc.Replications != 1 {
		t.Errorf("short forms: %+v", sc.Jobs)
	}
}

// TestParseEventsErrors checks that each bad setting of the events engine
// is refused naming the file, line and column, and the field.
func TestParseEventsErrors(t *testing.T) {
	const tail = "workload: {constant: 1/s}\npolicies: [{fixed: {capacity: 1}}]\n"
	tests := []struct {
		name, yaml string
		want       []string
	}{
		{"unknown engine", "engine: quantum\n" + tail, []string{"bad.yaml:1:9", "engine", `"quantum": want one of fluid, events`}},
		{"zero replications", "engine: events\nreplications: 0\n" + tail, []string{"bad.yaml:2:15", "replications", "[1, 10000]"}},
		{"warmup past the horizon", "horizon: 1h\nengine: events\nwarmup: 2h\n" + tail, []string{"bad.yaml:3:9", "warmup"}},
		{"jobs with the fluid engine", "jobs: {queue: unbounded}\n" + tail, []string{"bad.yaml:1:7", "jobs", "need the events engine"}},
		{"replications with the fluid engine", "replications: 3\n" + tail, []string{"bad.yaml:1:15", "replications", "need the events engine"}},
		{"unknown jobs field", "engine: events\njobs: {queues: unbounded}\n" + tail, []string{"bad.yaml:2:8", "jobs.queues", "unknown field"}},
		{"unknown distribution", "engine: events\njobs: {latency: pareto}\n" + tail, []string{"bad.yaml:2:17", "jobs.latency.distribution", `"pareto"`}},
		{"lognormal without sigma", "engine: events\njobs: {latency: {distribution: lognormal}}\n" + tail, []string{"bad.yaml:2:17", "jobs.latency", "sigma or cv"}},
		{"lognormal with both", "engine: events\njobs: {latency: {distribution: lognormal, sigma: 1, cv: 1}}\n" + tail, []string{"jobs.latency", "sigma or cv"}},
		{"sigma on exponential", "engine: events\njobs: {latency: {distribution: exponential, sigma: 1}}\n" + tail, []string{"bad.yaml:2:52", "jobs.latency.sigma", "does not apply"}},
		{"negative sigma", "engine: events\njobs: {latency: {distribution: lognormal, sigma: -1}}\n" + tail, []string{"jobs.latency.sigma", "[0, 5]"}},
		{"trace latency without file", "engine: events\njobs: {latency: {distribution: trace}}\n" + tail, []string{"jobs.latency.file", "missing"}},
		{"trace latency file missing", "engine: events\njobs: {latency: {distribution: trace, file: nope.csv}}\n" + tail, []string{"bad.yaml:2:45", "jobs.latency.file", "no such file"}},
		{"unknown queue", "engine: events\njobs: {queue: stack}\n" + tail, []string{"bad.yaml:2:15", "jobs.queue.kind", `"stack"`}},
		{"bounded without capacity", "engine: events\njobs: {queue: bounded}\n" + tail, []string{"jobs.queue", "needs a capacity"}},
		{"zero capacity", "engine: events\njobs: {queue: {kind: bounded, capacity: 0}}\n" + tail, []string{"bad.yaml:2:41", "jobs.queue.capacity"}},
		{"capacity unbounded", "engine: events\njobs: {queue: {kind: unbounded, capacity: 5}}\n" + tail, []string{"jobs.queue.capacity", "only a bounded queue"}},
		{"deadline without queue", "engine: events\njobs: {queue: {kind: none, deadline: 1s}}\n" + tail, []string{"jobs.queue.deadline", "needs a queue"}},
		{"negative deadline", "engine: events\njobs: {queue: {kind: unbounded, deadline: -1s}}\n" + tail, []string{"jobs.queue.deadline", "at least 0s"}},
		{"crash at capacity", "engine: events\njobs: {queue: {kind: bounded, capacity: 5, crash: {length: 5}}}\n" + tail, []string{"jobs.queue.crash.length", "below the queue's capacity"}},
		{"crash without length", "engine: events\njobs: {queue: {kind: unbounded, crash: {recovery: 1m}}}\n" + tail, []string{"jobs.queue.crash.length", "missing"}},
		{"crash without queue", "engine: events\njobs: {queue: {kind: none, crash: {length: 3}}}\n" + tail, []string{"jobs.queue.crash", "needs a queue"}},
		{"unknown value", "engine: events\njobs: {value: {kind: hyperbolic, horizon: 1s}}\n" + tail, []string{"jobs.value.kind", `"hyperbolic"`}},
		{"value without its time", "engine: events\njobs: {value: {kind: linear}}\n" + tail, []string{"jobs.value.horizon", "missing"}},
		{"value with the wrong time", "engine: events\njobs: {value: {kind: linear, half_life: 1s}}\n" + tail, []string{"jobs.value.half_life", "takes horizon"}},
		{"value zero", "engine: events\njobs: {value: {kind: step, deadline: 0s}}\n" + tail, []string{"jobs.value.deadline", "positive"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.yaml), "bad.yaml")
			if err == nil {
				t.Fatal("accepted")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}
