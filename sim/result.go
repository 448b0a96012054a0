package sim

import "math"

// Result is what one run of a workload under one policy did.
type Result struct {
	Engine string // "fluid", "events", "serverless" or "oracle"

	Jobs Jobs

	// Utilization is the articles' JobRate / Throughput per step, weighted by
	// time: ready boxes' throughput against the jobs that arrived. Steps
	// with load and no ready box count as +Inf.
	Utilization Distribution
	// BusyFraction is the share of ready box time spent serving jobs, over
	// the whole run (the events engine: after the warm-up, exactly): never
	// above 1.
	BusyFraction float64
	// SecondsOverCapacity is the time during which jobs arrived faster than
	// the ready boxes could serve them, so some were missed. Under the
	// events engine: the steps in which a job was missed, timed out or lost.
	SecondsOverCapacity float64

	BoxHours float64 // box lifetimes, boot and drain included, in hours
	// ColdStartDelay is, on a serverless platform, the mean time a served
	// job waited for an environment to start, in seconds.
	ColdStartDelay float64
	BoxStarts      int // boxes started during the run
	PeakBoxes      int // most boxes in existence at once

	Cost     float64 // dollars billed
	IdleCost float64 // dollars billed for box time that served no job
	// OracleCost is the oracle's cost for the same workload and setup: the
	// lower bound. Zero when it was not computed.
	OracleCost float64

	Series Series

	// Queueing is what the events engine measured about waiting; nil for
	// the other engines.
	Queueing *Queueing
	// Lambda is what the serverless engine measured about throttling and
	// provisioned concurrency; nil for the other engines.
	Lambda *Lambda

	// Replications is the number of independent runs averaged into this
	// result (0 or 1: a single run). With two or more, every number is the
	// mean over the runs and CI holds the 95% confidence half-widths.
	Replications int
	CI           *Intervals
}

// Jobs counts jobs. In the fluid engine they are a continuous quantity and
// Arrived = Served + Missed (+ TimedOut + Queued when the run's proxy holds
// jobs: policy.Run.Hold). In the events engine they are whole jobs and
// Arrived = Served + Missed + TimedOut + Lost + Queued; Late counts served
// jobs.
type Jobs struct {
	Arrived float64
	Served  float64 // started on a box (events: by the horizon)
	Missed  float64 // found no box and no room to wait, or arrived while the system was down
	// The events engine's other fates; zero elsewhere.
	TimedOut float64 // waited their deadline out and left, never started
	Lost     float64 // waiting when the queue crashed, or arriving into the crash
	Queued   float64 // still waiting at the horizon
	Late     float64 // served with a response time over the late threshold
}

// Queueing is what the events engine measures about jobs that wait.
type Queueing struct {
	Wait     Times // from arrival to start, over served jobs
	Response Times // from arrival to the end of the job: wait + latency
	// WaitProbability is the share of served jobs that waited at all.
	WaitProbability float64
	// MeanQueued is the time-average number of jobs waiting.
	MeanQueued float64
	// Value is the total worth of the jobs served (each in [0, 1] by its
	// response time); ValueFraction is Value / Arrived. Zero without a
	// value function.
	Value, ValueFraction float64
	Crashes              int     // times the queue brought the system down
	DownSeconds          float64 // time spent down
}

// Times summarises durations in seconds: the exact mean, and quantiles
// within HistogramError (0.4%) relative.
type Times struct {
	Mean, P50, P90, P99, P999 float64
}

// MissedFraction is Missed / Arrived, 0 with no arrivals.
func (j Jobs) MissedFraction() float64 {
	if j.Arrived <= 0 {
		return 0
	}
	return j.Missed / j.Arrived
}

// Distribution summarises a quantity over time.
type Distribution struct {
	Mean, P50, P95, Max float64
}

// CostPerMillion is the cost of a million served jobs; +Inf when none was
// served.
func (r *Result) CostPerMillion() float64 {
	if r.Jobs.Served <= 0 {
		return math.Inf(1)
	}
	return r.Cost / r.Jobs.Served * 1e6
}

// Efficiency is the scaling efficiency OracleCost / Cost: 1 is as cheap as
// perfect foresight allows. Zero when either cost is unknown.
func (r *Result) Efficiency() float64 {
	if r.Cost <= 0 || r.OracleCost <= 0 {
		return 0
	}
	return r.OracleCost / r.Cost
}

// Series is a run's time series, averaged over Interval-long points.
// Rates are in jobs per second, box counts are time averages, Cost is
// cumulative dollars at the end of each point.
type Series struct {
	Interval    float64   // seconds per point
	Time        []float64 // start of each point, seconds
	JobRate     []float64 // arrivals
	Served      []float64 // jobs served
	Missed      []float64 // jobs missed
	Ready       []float64 // boxes serving: Throughput = Ready / Latency
	Booting     []float64 // boxes booting
	Utilization []float64 // JobRate × Latency / Ready over the point
	Cost        []float64 // dollars billed so far
	// The events engine's: the mean number of boxes at work and of jobs
	// waiting over each point (exact time averages); nil for the others.
	// Missed there counts jobs missed, timed out and lost in crashes.
	Busy   []float64
	Queued []float64
	// WaitP50, WaitP95 and WaitP99 are, for the events engine, the
	// percentiles of the waits of the jobs that started in each point, in
	// seconds (within HistogramError), NaN for a point in which none did.
	WaitP50, WaitP95, WaitP99 []float64
}

// Len is the number of points.
func (s *Series) Len() int { return len(s.Time) }

// PointLength is how long point p lasts in a run that ends at horizon
// (seconds): Interval, but the last point ends with the run.
func (s *Series) PointLength(p int, horizon float64) float64 {
	if end := s.Time[p] + s.Interval; end > horizon && horizon > s.Time[p] {
		return horizon - s.Time[p]
	}
	return s.Interval
}

// Lambda is the serverless engine's account of throttles and provisioned
// concurrency.
type Lambda struct {
	Throttled float64 // invocations throttled, each attempt counted
	Retried   float64 // throttled invocations sent again

	FunctionDuration  float64 // seconds a job runs at the function's memory
	OnDemandServed    float64 // jobs run on on-demand environments
	ProvisionedServed float64 // jobs run on provisioned concurrency
	ProvisionedPeak   int     // most provisioned environments at once
	// ProvisionedGBSeconds is the provisioned concurrency billed (its
	// five-minute rounding included); ProvisionedConfigCost its price, and
	// ProvisionedCost that plus the requests and run time of the jobs it
	// ran.
	ProvisionedGBSeconds  float64
	ProvisionedConfigCost float64
	ProvisionedCost       float64
	// ProvisionedUtilization is the share of provisioned environment time
	// spent running jobs; ProvisionedBreakEvenUtilization the utilization
	// above which provisioned concurrency is cheaper than on-demand for the
	// same work on this run (policy.Serverless.ProvisionedBreakEven, with
	// this run's INIT time billed per second of on-demand run time).
	ProvisionedUtilization          float64
	ProvisionedBreakEvenUtilization float64
}
