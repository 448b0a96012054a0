package boxes

import (
	"errors"
	"fmt"
	"math"
)

// Question is what a person knows about a system: the box, and the Capacity
// alone or any two of Capacity, JobRate and a target Utilization (unknowns
// are nil). The rest is derived with the equations of "Scalability is not
// performance". When all three are given, the
// target is compared with the utilization of Capacity at JobRate.
type Question struct {
	Box         Box
	Capacity    *int     // boxes, ≥ 0
	JobRate     *Rate    // jobs per second, finite and ≥ 0
	Utilization *float64 // the target, in (0, 1]: above 1 is the articles' fail state
	Serverless  ServerlessPrice
	// CPUBound is the share of a job that is CPU work, in [0, 1], for the
	// serverless side: below 1,769 MB that share runs slower
	// (LambdaDuration). Nil means 1, a CPU-bound job.
	CPUBound *float64
}

// Estimate is the first article's equations worked out for one Question. Costs
// are in dollars, times in seconds, rates in jobs per second.
// CostPerMillionJobs is +Inf when no job is served.
type Estimate struct {
	Latency     float64 // seconds per job
	Capacity    int     // boxes
	JobRate     float64 // jobs per second
	Throughput  float64 // Capacity / Latency, jobs per second
	Utilization float64 // JobRate / Throughput
	Missed      float64 // jobs per second above Throughput, missed
	// FullUse is set when only the Capacity was given: JobRate is then the
	// Throughput, every box busy (Utilization 1), which is what the fleet
	// can do at most.
	FullUse bool

	// Target is the target utilization and CapacityNeeded the fewest boxes
	// that hold JobRate at or below it; both zero when no target was given.
	Target         float64
	CapacityNeeded int

	CostPerHour        float64 // Price × Capacity
	CostPerMillionJobs float64 // per million jobs served

	// ServerlessCostPerMillionJobs is what the same jobs cost on the
	// serverless platform: CostPerJob(Latency) per job, or with a free tier
	// the month's mean, MeanCostPerJob(JobRate, Latency).
	ServerlessCostPerMillionJobs float64
	// ServerlessMarkup is serverless cost per job over a fully busy box's
	// cost per job: the articles' "steep markup" for the same Throughput.
	ServerlessMarkup     float64
	BreakEvenUtilization float64
}

// Estimate derives the unknown of q and the costs.
func (q Question) Estimate() (Estimate, error) {
	if err := q.Box.Validate(); err != nil {
		return Estimate{}, err
	}
	if err := q.Serverless.Validate(); err != nil {
		return Estimate{}, err
	}
	known := 0
	if q.Capacity != nil {
		known++
		if *q.Capacity < 0 {
			return Estimate{}, fmt.Errorf("boxes: capacity %d must not be negative", *q.Capacity)
		}
	}
	if q.JobRate != nil {
		known++
		if r := float64(*q.JobRate); !(r >= 0) || math.IsInf(r, 0) {
			return Estimate{}, fmt.Errorf("boxes: job rate %g must be finite and not negative", r)
		}
	}
	if q.Utilization != nil {
		known++
		if u := *q.Utilization; !(u > 0 && u <= 1) {
			return Estimate{}, fmt.Errorf("boxes: target utilization %g must be in (0, 1]: above 1 jobs are missed", u)
		}
	}
	fullUse := known == 1 && q.Capacity != nil
	if q.CPUBound != nil && !(*q.CPUBound >= 0 && *q.CPUBound <= 1) {
		return Estimate{}, fmt.Errorf("boxes: cpu-bound share %g must be in [0, 1]", *q.CPUBound)
	}
	if known < 2 && !fullUse {
		return Estimate{}, errors.New("boxes: give the capacity, or two of capacity, job rate and utilization")
	}
	e := Estimate{Latency: q.Box.Latency.Seconds(), FullUse: fullUse}
	switch {
	case fullUse: // "Scalability is not performance": the fleet's Throughput, every box busy
		e.Capacity = *q.Capacity
		e.JobRate = float64(q.Box.Throughput(float64(e.Capacity)))
	case q.Capacity != nil && q.JobRate != nil:
		e.Capacity, e.JobRate = *q.Capacity, float64(*q.JobRate)
	case q.Capacity != nil: // and a utilization: the rate this fleet carries at it
		e.Capacity = *q.Capacity
		e.JobRate = *q.Utilization * float64(q.Box.Throughput(float64(e.Capacity)))
	default: // a rate and a utilization: the capacity they need
		e.JobRate = float64(*q.JobRate)
	}
	if q.Utilization != nil {
		e.Target = *q.Utilization
		if need := OfferedLoad(Rate(e.JobRate), q.Box.Latency) / e.Target; need >= math.MaxInt {
			return Estimate{}, fmt.Errorf("boxes: job rate %v at latency %v needs %g boxes, too many to count",
				Rate(e.JobRate), q.Box.Latency, need)
		}
		e.CapacityNeeded = q.Box.CapacityFor(Rate(e.JobRate), e.Target)
		if q.Capacity == nil {
			e.Capacity = e.CapacityNeeded
		}
	}
	e.Throughput = float64(q.Box.Throughput(float64(e.Capacity)))
	e.Utilization = Utilization(Rate(e.JobRate), Rate(e.Throughput))
	served := math.Min(e.JobRate, e.Throughput)
	e.Missed = e.JobRate - served
	e.CostPerHour = q.Box.Price.PerHour() * float64(e.Capacity)
	if served > 0 {
		e.CostPerMillionJobs = e.CostPerHour / (served * 3600) * 1e6
	} else {
		e.CostPerMillionJobs = math.Inf(1)
	}
	cpu := 1.0
	if q.CPUBound != nil {
		cpu = *q.CPUBound
	}
	perJob := q.Serverless.MeanCostPerRun(Rate(e.JobRate), LambdaDuration(q.Box.Latency, q.Serverless.MemoryGB, cpu))
	e.ServerlessCostPerMillionJobs = perJob * 1e6
	// Break-even: a box's Price × Latency / U per job equals perJob
	// (BreakEvenUtilization, with the free tier counted at this rate).
	boxPerBusyJob := q.Box.CostPerJob(1)
	e.BreakEvenUtilization = boxPerBusyJob / perJob
	e.ServerlessMarkup = perJob / boxPerBusyJob
	return e, nil
}
