package sim

import (
	"errors"
	"fmt"
	"time"

	"github.com/boxes-project/boxes"
)

// JobsConfig is the per-job (discrete-event) engine's view of the jobs: how their
// latencies are drawn, what the queue does with those that find every box
// busy, and what a job is worth as it waits. The zero value is the first
// article's base model under random arrivals: a fixed latency and no queue (a
// job that finds every box busy is missed).
type JobsConfig struct {
	Latency Latency
	Queue   Queue
	Value   Value
	// Warmup is how long the run goes before its statistics start: jobs
	// that arrive earlier are left out of every count, wait and value, and
	// time averages (busy fraction, queue length, utilization) start then.
	// Cost and box counts cover the whole run.
	Warmup time.Duration
	// Seed seeds the arrival and latency streams (the workload curve keeps
	// its own seeds): the same seed gives the same bytes.
	Seed uint64
	// Arrivals, when set, are the jobs' arrival times in seconds from the
	// start of the run (a job log's timestamps, never decreasing), replayed
	// instead of drawing Poisson arrivals from the workload curve. Times at
	// or after the horizon are ignored.
	Arrivals []float64
}

// LatencyKind names a latency distribution: the root package's words,
// shared with package queueing.
type LatencyKind = boxes.LatencyKind

const (
	// Fixed: every job takes the mean (the article's model).
	Fixed = boxes.FixedLatency
	// Exponential: the latency is exponential with the given mean (the M
	// in M/M/c).
	Exponential = boxes.ExponentialLatency
	// LogNormal: exp(μ + σZ), μ = ln(mean) − σ²/2 so the mean is as given.
	LogNormal = boxes.LogNormalLatency
	// Empirical: drawn uniformly from Samples (a trace's latency column).
	Empirical = boxes.EmpiricalLatency
)

// Latency is the distribution of a job's time on a box. Its mean is the
// Setup's Box.Latency, except for Empirical, whose mean is the samples'.
type Latency struct {
	Distribution LatencyKind // "" is Fixed
	// Sigma is the standard deviation of ln(latency) for LogNormal; the
	// coefficient of variation is sqrt(exp(σ²) − 1).
	Sigma float64
	// Samples are the latencies, in seconds, Empirical draws from.
	Samples []float64
}

// Mean is the distribution's mean for a box whose mean latency is mean:
// mean itself, or the samples' mean for Empirical.
func (l Latency) Mean(mean float64) float64 {
	if l.Distribution != Empirical || len(l.Samples) == 0 {
		return mean
	}
	s := 0.0
	for _, x := range l.Samples {
		s += x
	}
	return s / float64(len(l.Samples))
}

// QueueKind is what happens to a job that finds every box busy: the root
// package's words, shared with package queueing.
type QueueKind = boxes.QueueKind

const (
	// NoQueue: the job is missed (the article's base model; Erlang's loss
	// system).
	NoQueue = boxes.NoQueue
	// Bounded: the job waits first come, first served, unless Capacity
	// jobs already wait: then it is missed.
	Bounded = boxes.BoundedQueue
	// Unbounded: the job waits, first come, first served.
	Unbounded = boxes.UnboundedQueue
)

// Queue is the waiting room and the fates of the jobs in it.
type Queue struct {
	Kind     QueueKind `yaml:"kind,short" default:"none" enum:"none,bounded,unbounded" doc:"what a job that finds every box busy does: missed (none), waits in a bounded or an unbounded queue"` // "" is NoQueue
	Capacity int       `yaml:"capacity" default:"0" min:"0" max:"100000000" doc:"most jobs waiting, for a bounded queue"`
	// Deadline, when positive, is how long a job waits at most: one not
	// started within it leaves, timed out (it never takes a box).
	Deadline time.Duration `yaml:"deadline" default:"0s" min:"0s" doc:"a job not started within it leaves, timed out; 0s for none"`
	// LateAfter, when positive, counts a served job whose response time
	// (wait plus latency) exceeds it as late; it is still served.
	LateAfter time.Duration `yaml:"late_after" default:"0s" min:"0s" doc:"a served job whose response time exceeds it counts as late; 0s for none"`
	// Crash, when its Length is positive, takes the system down when a job
	// arrives to find Length jobs already waiting: those jobs and the
	// arrival are lost, boxes finish the jobs in hand, and every arrival
	// during Recovery is missed.
	Crash Crash `yaml:"crash"`
}

// Crash is the third fate of the first article: a queue so long that the
// infrastructure holding it falls over.
type Crash struct {
	Length   int           `yaml:"length" default:"0" min:"0" max:"100000000" doc:"jobs waiting that bring the system down; 0 for never"`
	Recovery time.Duration `yaml:"recovery" default:"0s" min:"0s" doc:"how long it stays down"`
}

// ValueKind names how a job's value decays with its response time.
type ValueKind string

const (
	NoValue ValueKind = ""
	// Linear: 1 − R/Horizon, down to 0 at Horizon.
	Linear ValueKind = "linear"
	// Decay: 2^(−R/HalfLife).
	Decay ValueKind = "exponential"
	// StepValue: 1 when R ≤ Deadline, else 0.
	StepValue ValueKind = "step"
)

// Value is what a served job is worth as a function of its response time R
// (wait plus latency), between 0 and 1; jobs not served are worth 0. The
// run reports the total: jobs' worth delivered.
type Value struct {
	Kind     ValueKind     `yaml:"kind,short" default:"" enum:"linear,exponential,step" doc:"how a job's worth falls with its response time; empty for not counted"`
	Horizon  time.Duration `yaml:"horizon" default:"0s" min:"0s" doc:"linear: worth 0 from this response time on"`
	HalfLife time.Duration `yaml:"half_life" default:"0s" min:"0s" doc:"exponential: the response time that halves the worth"`
	Deadline time.Duration `yaml:"deadline" default:"0s" min:"0s" doc:"step: worth 1 up to this response time, 0 after"`
}

// MaxQueueCapacity bounds a bounded queue and a crash length: 100 million
// jobs waiting.
const MaxQueueCapacity = 100_000_000

// Validate reports the first setting out of range, naming it.
func (c JobsConfig) Validate() error {
	switch c.Latency.Distribution {
	case "", Fixed, Exponential:
	case LogNormal:
		if !(c.Latency.Sigma > 0 && c.Latency.Sigma <= 5) {
			return fmt.Errorf("sim: lognormal latency sigma %g must be in (0, 5]", c.Latency.Sigma)
		}
	case Empirical:
		if len(c.Latency.Samples) == 0 {
			return errors.New("sim: empirical latency needs samples")
		}
		pos := false
		for _, x := range c.Latency.Samples {
			if !(x >= 0) || x > 86400*365 {
				return fmt.Errorf("sim: empirical latency %g s must be in [0, 1 year]", x)
			}
			pos = pos || x > 0
		}
		if !pos {
			return errors.New("sim: empirical latencies are all zero")
		}
	default:
		return fmt.Errorf("sim: unknown latency distribution %q (want fixed, exponential, lognormal or empirical)", c.Latency.Distribution)
	}
	q := c.Queue
	switch q.Kind {
	case "", NoQueue:
		if q.Capacity != 0 || q.Deadline != 0 || q.Crash.Length != 0 {
			return errors.New("sim: capacity, deadline and crash need a queue (bounded or unbounded)")
		}
	case Bounded:
		if q.Capacity < 1 || q.Capacity > MaxQueueCapacity {
			return fmt.Errorf("sim: bounded queue capacity %d must be in [1, %d]", q.Capacity, MaxQueueCapacity)
		}
		if q.Crash.Length >= q.Capacity {
			return fmt.Errorf("sim: crash length %d must be below the queue's capacity %d, or it never crashes", q.Crash.Length, q.Capacity)
		}
	case Unbounded:
		if q.Capacity != 0 {
			return errors.New("sim: an unbounded queue has no capacity")
		}
	default:
		return fmt.Errorf("sim: unknown queue kind %q (want none, bounded or unbounded)", q.Kind)
	}
	switch {
	case q.Deadline < 0 || q.LateAfter < 0:
		return errors.New("sim: deadline and late_after must not be negative")
	case q.Crash.Length < 0 || q.Crash.Length > MaxQueueCapacity:
		return fmt.Errorf("sim: crash length %d must be in [0, %d]", q.Crash.Length, MaxQueueCapacity)
	case q.Crash.Recovery < 0:
		return errors.New("sim: crash recovery must not be negative")
	case q.Crash.Length == 0 && q.Crash.Recovery != 0:
		return errors.New("sim: crash recovery needs a crash length")
	case c.Warmup < 0:
		return errors.New("sim: warmup must not be negative")
	}
	v := c.Value
	switch v.Kind {
	case NoValue:
	case Linear:
		if v.Horizon <= 0 {
			return errors.New("sim: linear value needs a positive horizon")
		}
	case Decay:
		if v.HalfLife <= 0 {
			return errors.New("sim: exponential value needs a positive half-life")
		}
	case StepValue:
		if v.Deadline <= 0 {
			return errors.New("sim: step value needs a positive deadline")
		}
	default:
		return fmt.Errorf("sim: unknown value kind %q (want linear, exponential or step)", v.Kind)
	}
	for i := 1; i < len(c.Arrivals); i++ {
		if !(c.Arrivals[i] >= c.Arrivals[i-1]) {
			return fmt.Errorf("sim: arrival %d (%gs) is before the one before it", i+1, c.Arrivals[i])
		}
	}
	if len(c.Arrivals) > 0 && !(c.Arrivals[0] >= 0) {
		return fmt.Errorf("sim: arrival times must not be negative")
	}
	return nil
}
