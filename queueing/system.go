package queueing

import (
	"fmt"
	"math"

	"github.com/boxes-project/boxes"
)

// Service is how long one job takes on one box: the root package's
// latency kinds, of which the closed forms know FixedLatency and
// ExponentialLatency. The empty Service is Fixed.
type Service = boxes.LatencyKind

const (
	// Fixed: every job takes exactly Latency, as in the article.
	Fixed = boxes.FixedLatency
	// Exponential: latency is random, exponential with mean Latency.
	Exponential = boxes.ExponentialLatency
)

// ParseService reads "fixed" (also "deterministic", "D") or "exponential"
// (also "exp", "M").
func ParseService(s string) (Service, error) {
	switch s {
	case "fixed", "deterministic", "D":
		return Fixed, nil
	case "exponential", "exp", "M":
		return Exponential, nil
	}
	return "", fmt.Errorf("queueing: unknown service %q (want fixed or exponential)", s)
}

// Queue is what happens to a job that finds every box busy: the root
// package's queue kinds, of which the closed forms know NoQueue and
// Unbounded. The empty Queue is NoQueue.
type Queue = boxes.QueueKind

const (
	// NoQueue: the job is missed, as in the article ("we're not going to
	// model any queues").
	NoQueue = boxes.NoQueue
	// Unbounded: the job waits in one first-come-first-served queue until a
	// box is free, however long that takes.
	Unbounded = boxes.UnboundedQueue
)

// ParseQueue reads "none" or "unbounded".
func ParseQueue(s string) (Queue, error) {
	switch s {
	case "none", "no":
		return NoQueue, nil
	case "unbounded", "fifo", "fcfs":
		return Unbounded, nil
	}
	return "", fmt.Errorf("queueing: unknown queue %q (want none or unbounded)", s)
}

// System is a fleet of identical boxes under random (Poisson) arrivals, in
// the articles' words. The zero Service and Queue are the first article's: fixed
// latency, no queue. A System is a plain value, safe for concurrent use.
//
// Which queueing model a System is:
//
//	Queue      Service      model    functions
//	NoQueue    any          M/G/c/c  ErlangB (insensitive to the latency's distribution)
//	Unbounded  Fixed        M/D/c    MDcWaitProbability, MDcMeanWait, MDcWaitOver
//	Unbounded  Exponential  M/M/c    ErlangC, MMcMeanWait, MMcWaitOver; MMcDTimeout with a deadline
//
// The functions take the offered load a and give times in units of the
// latency; System's methods take and give seconds.
type System struct {
	Boxes   int     // Capacity: the number of boxes, ≥ 0
	JobRate float64 // jobs arriving per second, ≥ 0
	Latency float64 // seconds one job takes on one box (the mean, if Exponential), > 0
	Service Service
	Queue   Queue
}

// Validate reports the first field of s that the models cannot use.
func (s System) Validate() error {
	switch {
	case s.Boxes < 0:
		return fmt.Errorf("queueing: boxes %d must not be negative", s.Boxes)
	case !(s.JobRate >= 0) || math.IsInf(s.JobRate, 0):
		return fmt.Errorf("queueing: job rate %g must be finite and not negative", s.JobRate)
	case !(s.Latency > 0) || math.IsInf(s.Latency, 0):
		return fmt.Errorf("queueing: latency %g must be positive and finite", s.Latency)
	case s.Service.Norm() != Fixed && s.Service.Norm() != Exponential:
		return fmt.Errorf("queueing: unknown service %v", s.Service)
	case s.Queue.Norm() != NoQueue && s.Queue.Norm() != Unbounded:
		return fmt.Errorf("queueing: unknown queue %v", s.Queue)
	}
	return nil
}

// OfferedLoad is JobRate × Latency: the mean number of busy boxes the jobs
// need, in erlangs.
func (s System) OfferedLoad() float64 { return s.JobRate * s.Latency }

// Utilization is the first article's JobRate / Throughput = OfferedLoad /
// Boxes. With no queue the boxes are busy a fraction (1 − MissProbability)
// of that, since missed jobs take no box time. No boxes and no jobs is 0; no
// boxes and some jobs is +Inf.
func (s System) Utilization() float64 {
	a := s.OfferedLoad()
	if s.Boxes == 0 {
		if a == 0 {
			return 0
		}
		return math.Inf(1)
	}
	return a / float64(s.Boxes)
}

// Stable reports whether the system settles: always with no queue; with an
// unbounded queue only when OfferedLoad < Boxes (utilization below 1),
// otherwise the queue and the wait grow without bound.
func (s System) Stable() bool {
	return s.Queue.Norm() == NoQueue || s.OfferedLoad() < float64(s.Boxes) || s.OfferedLoad() == 0
}

// MissProbability is the probability that a job is missed: Erlang B with no
// queue, 0 with an unbounded queue (jobs wait instead).
func (s System) MissProbability() float64 {
	if s.Queue.Norm() == Unbounded {
		return 0
	}
	return ErlangB(s.Boxes, s.OfferedLoad())
}

// WaitProbability is the probability that a job finds every box busy and
// waits: 0 with no queue, Erlang C for exponential latency, the exact M/D/c
// value for fixed latency, 1 when unstable.
func (s System) WaitProbability() float64 {
	if s.Queue.Norm() == NoQueue {
		return 0
	}
	if s.Service.Norm() == Exponential {
		return ErlangC(s.Boxes, s.OfferedLoad())
	}
	return MDcWaitProbability(s.Boxes, s.OfferedLoad())
}

// MeanWait is the mean time in seconds a job waits before a box starts it,
// over all jobs (those that do not wait count as 0): 0 with no queue;
// C·L/(c − a) for exponential latency; the exact M/D/c value for fixed
// latency (Pollaczek–Khinchine ρL/(2(1−ρ)) for one box); +Inf when unstable.
func (s System) MeanWait() float64 {
	if s.Queue.Norm() == NoQueue {
		return 0
	}
	a, c := s.OfferedLoad(), s.Boxes
	if a == 0 {
		return 0
	}
	if a >= float64(c) {
		return math.Inf(1)
	}
	if s.Service.Norm() == Exponential {
		return MMcMeanWait(c, a) * s.Latency
	}
	return MDcMeanWait(c, a) * s.Latency
}

// WaitOver is P(W > t), the probability that a job waits longer than t
// seconds in the plain queue (jobs never leave it): 0 with no queue; the
// closed form C·exp(−(c − a)t/L) for exponential latency; the exact M/D/c
// tail (MDcWaitOver) for fixed latency, which returns ErrTooLarge when the
// computation would need more than 2^23 points; 1 when unstable.
func (s System) WaitOver(t float64) (float64, error) {
	if math.IsNaN(t) || t < 0 {
		return math.NaN(), fmt.Errorf("queueing: wait %g must not be negative", t)
	}
	if s.Queue.Norm() == NoQueue {
		return 0, nil
	}
	a, c := s.OfferedLoad(), s.Boxes
	if s.Service.Norm() == Exponential {
		return MMcWaitOver(c, a, t/s.Latency), nil
	}
	return MDcWaitOver(c, a, t/s.Latency)
}

// TimeoutProbability is the probability that a job times out when jobs that
// have not started within deadline seconds leave the queue (the first
// article's "worth is constant until the deadline, after which it drops to 0").
// It is the M/M/c+D model (MMcDTimeout) and needs exponential latency: with
// fixed latency there is no exact form here and it returns an error (the
// plain queue's WaitOver(deadline) is then an upper bound, since jobs that
// leave only shorten the wait of those behind them). With no queue it is 0:
// jobs are missed, not timed out.
func (s System) TimeoutProbability(deadline float64) (float64, error) {
	if math.IsNaN(deadline) || deadline < 0 {
		return math.NaN(), fmt.Errorf("queueing: deadline %g must not be negative", deadline)
	}
	if s.Queue.Norm() == NoQueue {
		return 0, nil
	}
	if s.Service.Norm() != Exponential {
		return math.NaN(), fmt.Errorf("queueing: the timeout probability needs exponential latency (M/M/c+D)")
	}
	return MMcDTimeout(s.Boxes, s.OfferedLoad(), deadline/s.Latency), nil
}
