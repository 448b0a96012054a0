package boxes

// The words for a job's latency and for what happens to a job that finds
// every box busy: one vocabulary for the engines (package sim), the closed
// forms (package queueing) and scenario files. The empty kind is the
// article's base model: fixed latency, no queue.

// LatencyKind names how a job's time on a box is distributed.
type LatencyKind string

const (
	// FixedLatency: every job takes the mean (the article's model; D in
	// Kendall's notation).
	FixedLatency LatencyKind = "fixed"
	// ExponentialLatency: exponential with the given mean (M).
	ExponentialLatency LatencyKind = "exponential"
	// LogNormalLatency: exp(μ + σZ) with the given mean.
	LogNormalLatency LatencyKind = "lognormal"
	// EmpiricalLatency: drawn from recorded latencies (a trace's).
	EmpiricalLatency LatencyKind = "empirical"
)

// Norm is k, or FixedLatency for the empty kind.
func (k LatencyKind) Norm() LatencyKind {
	if k == "" {
		return FixedLatency
	}
	return k
}

// String is the kind's word ("fixed" for the empty kind).
func (k LatencyKind) String() string { return string(k.Norm()) }

// QueueKind names what happens to a job that finds every box busy.
type QueueKind string

const (
	// NoQueue: the job is missed (the article's model; Erlang's loss
	// system).
	NoQueue QueueKind = "none"
	// BoundedQueue: the job waits, first come first served, unless the
	// queue is full: then it is missed.
	BoundedQueue QueueKind = "bounded"
	// UnboundedQueue: the job waits, first come first served.
	UnboundedQueue QueueKind = "unbounded"
)

// Norm is k, or NoQueue for the empty kind.
func (k QueueKind) Norm() QueueKind {
	if k == "" {
		return NoQueue
	}
	return k
}

// String is the kind's word ("none" for the empty kind).
func (k QueueKind) String() string { return string(k.Norm()) }
