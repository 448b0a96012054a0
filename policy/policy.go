// Package policy holds the scalers: the rules that change Capacity over time
// to hold Utilization near a target as the JobRate moves. Each policy has a
// plain config struct with documented defaults and a Validate method, and
// starts a Policy for one run.
//
// A policy sees what a real autoscaler sees: metrics averaged over a window
// and delayed by a scrape interval, plus the ready and booting box counts.
// It never sees the future; the oracle, which does, lives with the engines in
// package sim. The same policy runs unchanged on every engine.
package policy

import (
	"math"
	"time"

	"github.com/boxes-project/boxes/schema"
)

// Policy decides the Capacity a system should have. A Policy may keep state
// between calls (stabilization windows, rate limits), so one value serves one
// run; it is not safe for concurrent use.
type Policy interface {
	// Desired returns the number of boxes (ready plus booting) wanted at
	// o.Time. The engine starts or removes boxes to match.
	Desired(o *Observation) int
}

// Func adapts a function to a Policy.
type Func func(o *Observation) int

// Desired calls f(o).
func (f Func) Desired(o *Observation) int { return f(o) }

// Observation is what a policy sees when it acts.
type Observation struct {
	Time    float64 // seconds since the start of the run
	Ready   int     // boxes that serve jobs
	Booting int     // boxes started and not yet ready
	Latency float64 // mean seconds per job on one box

	// History holds the metrics the engine recorded so far; nil means none.
	History History

	window Metrics // scratch for Metrics
}

// Metrics averages the recorded metrics over the window of length seconds
// that ends delay seconds before o.Time: what an autoscaler whose metric
// pipeline averages over length and lags by delay (a scrape interval) sees.
// ok is false when no part of the window has been recorded yet.
func (o *Observation) Metrics(length, delay float64) (m Metrics, ok bool) {
	if o.History == nil {
		return Metrics{}, false
	}
	// The window is read into the observation itself: a pointer to a local
	// would escape through the interface and cost an allocation a call.
	o.window = Metrics{}
	ok = o.History.Window(o.Time-delay-length, o.Time-delay, &o.window)
	return o.window, ok
}

// History is the record of metrics an engine keeps for its policy.
type History interface {
	// Window sets m to the metrics averaged over [from, to), clipped to
	// what has been recorded, and reports whether any of it has (m is left
	// alone when not). It fills m rather than returning it: engines call it
	// millions of times a simulated year.
	Window(from, to float64, m *Metrics) (ok bool)
}

// Metrics are time averages over a window.
type Metrics struct {
	JobRate float64 // jobs arriving per second
	Served  float64 // jobs completed per second
	Ready   float64 // mean number of ready boxes
	Busy    float64 // mean number of busy boxes (jobs in service)
	Queued  float64 // mean number of jobs waiting for a box (0 with no queue)
	Demand  float64 // offered load JobRate × Latency: boxes the load needs at utilization 1
}

// Utilization is the articles' JobRate / Throughput over the window:
// Demand / Ready. Above 1 the load needed more boxes than were ready.
// No ready boxes and some demand is +Inf; no demand is 0.
func (m Metrics) Utilization() float64 {
	switch {
	case m.Demand <= 0:
		return 0
	case m.Ready <= 0:
		return math.Inf(1)
	}
	return m.Demand / m.Ready
}

// BusyFraction is the share of ready box time spent on jobs, what a CPU
// utilization metric reports: Busy / Ready, never above 1.
func (m Metrics) BusyFraction() float64 {
	if m.Ready <= 0 {
		return 0
	}
	return math.Min(1, m.Busy/m.Ready)
}

// Concurrency is the mean number of jobs in the system, in service or
// waiting: what Knative and KEDA call concurrency or in-flight requests.
func (m Metrics) Concurrency() float64 { return m.Busy + m.Queued }

// Env is what a policy may know about a run before it starts.
type Env struct {
	Latency  float64   // mean seconds per job on one box
	Step     float64   // engine time step, seconds (the events engine's metric bucket)
	Boot     float64   // seconds from start to ready for a new box
	Horizon  float64   // length of the run, seconds
	Start    time.Time // calendar instant of Time 0, for schedules
	PeakRate float64   // highest JobRate of the workload over the horizon, jobs/s
	MeanRate float64   // mean JobRate over the horizon, jobs/s
	// InitialRate is the JobRate at time 0, for a warm start.
	InitialRate float64
}

// Run is one started policy and how the engine drives it.
type Run struct {
	Policy Policy
	// Initial is the number of boxes ready at time 0: runs start warm, as a
	// system that has been serving before the horizon would.
	Initial int
	// Period is the seconds between calls to Desired (a controller's sync
	// period). Zero means every engine step.
	Period float64
	// Lookback is the longest stretch of history the policy reads (window
	// plus delay), seconds; the engine keeps at least this much.
	Lookback float64
	// Reads, when set, are all the policy reads of History: at each call
	// to Desired, o.Metrics(r.Length, r.Delay) for each r, and nothing
	// else. An engine may then work out the metrics that cost it a pass
	// over the boxes (Busy, Queued) only at the steps those windows start
	// and end on, at the policy's cadence rather than every step. Nil:
	// the policy may read any window at any time.
	Reads []Read
	// Hold, when set, is a proxy in front of the boxes that holds the jobs
	// they cannot take at once (Knative's activator, the KEDA HTTP add-on's
	// interceptor, Cloud Run's request queue). Nil: the engine's own queue
	// alone decides what waits.
	Hold *Hold
}

// Read is a window a policy reads at each decision: the Length seconds
// that end Delay seconds before it, as Observation.Metrics takes them.
// Aligned windows are instead [k·Length, (k+1)·Length) for whole k, each
// read at some decision after it ends (CloudWatch's datapoints), and Delay
// is not used.
type Read struct {
	Length, Delay float64
	Aligned       bool
}

// Hold is a proxy that buffers jobs in front of the boxes. A job it holds
// waits first come, first served and is served when a box has room; past
// Timeout it leaves, counted as timed out. On the events engine held jobs
// are in the engine's queue and count in Metrics.Queued (the activator's
// and the interceptor's requests count as in flight); on the fluid engine
// they wait in a backlog of their own, which Metrics.Queued shows too.
type Hold struct {
	// ColdOnly holds jobs only while no box is ready (a scale from zero,
	// the interceptor's cold start); otherwise a job is also held while
	// every ready box is busy (an activator in the request path).
	ColdOnly bool
	// Timeout is the longest a job is held, seconds; zero is no limit. It
	// caps the engine's queue deadline too: every job passes the proxy.
	Timeout float64
}

// Config is a policy's settings: a plain struct with defaults (DefaultX
// functions) and validation. Start makes a fresh Policy for one run.
type Config interface {
	Validate() error
	Start(env Env) (Run, error)
}

// mustDefaults sets the tags' defaults of a config; the tags are constants
// that the tests read, so an error is a programming error.
func mustDefaults(v any) {
	if err := schema.SetDefaults(v); err != nil {
		panic(err)
	}
}
