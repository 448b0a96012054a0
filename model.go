package boxes

import (
	"fmt"
	"math"
	"time"
)

// Box is one server of the model: a VM, a container or a process. It does one
// Job at a time, each taking Latency, so it completes 1/Latency jobs per
// second; it costs Price for every second it exists.
type Box struct {
	Latency time.Duration // time one job takes on one box; > 0
	Price   Price         // money per box-second (Unit PerSecond); zero is free
}

// Validate reports whether b describes a box the model can use.
func (b Box) Validate() error {
	if b.Latency <= 0 {
		return fmt.Errorf("boxes: latency %v must be positive", b.Latency)
	}
	if b.Price.Unit != PerSecond {
		return fmt.Errorf("boxes: box price %v must be a price per time (like $0.10/h)", b.Price)
	}
	if b.Price.Amount < 0 || math.IsNaN(b.Price.Amount) || math.IsInf(b.Price.Amount, 0) {
		return fmt.Errorf("boxes: box price %v must be a finite, non-negative amount", b.Price)
	}
	return nil
}

// Throughput is the jobs per second that capacity boxes complete when all are
// busy:
//
//	Throughput = Capacity / Latency   (first article)
//
// With capacity 1 it is the articles' one-box equation, Throughput = 1/Latency.
func (b Box) Throughput(capacity float64) Rate {
	return Throughput(capacity, b.Latency)
}

// CapacityFor is the smallest whole number of boxes that carries jobRate at
// no more than the target utilization: ceil(JobRate × Latency / target).
func (b Box) CapacityFor(jobRate Rate, target float64) int {
	return CapacityFor(jobRate, b.Latency, target)
}

// Cost is what capacity boxes cost over d: Price × Capacity × Time.
func (b Box) Cost(capacity float64, d time.Duration) float64 {
	return b.Price.Amount * capacity * d.Seconds()
}

// CostPerJob is what one job costs when the boxes run at utilization u: each
// job occupies a box for Latency, and at utilization u every busy second
// pays for 1/u seconds of box: Price × Latency / u.
func (b Box) CostPerJob(u float64) float64 {
	return b.Price.Amount * b.Latency.Seconds() / u
}

// Throughput is Capacity / Latency in jobs per second (first article). A zero or
// negative latency gives +Inf: a job that takes no time is not a box.
func Throughput(capacity float64, latency time.Duration) Rate {
	return Rate(capacity / latency.Seconds())
}

// Utilization is JobRate / Throughput (first article): below 1 we pay for idle
// boxes, above 1 jobs are missed. No throughput and no jobs is 0; no
// throughput and some jobs is +Inf.
func Utilization(jobRate, throughput Rate) float64 {
	if throughput <= 0 {
		if jobRate <= 0 {
			return 0
		}
		return math.Inf(1)
	}
	return float64(jobRate / throughput)
}

// OfferedLoad is JobRate × Latency: the mean number of busy boxes the load
// needs, in erlangs. It is the capacity at utilization 1, before rounding up.
func OfferedLoad(jobRate Rate, latency time.Duration) float64 {
	return float64(jobRate) * latency.Seconds()
}

// CapacityFor is the smallest whole number of boxes that keeps Utilization at
// or under target for jobRate: ceil(JobRate × Latency / target). It is 0 for
// no load, and at least 1 for any load. The target should be in (0, 1]; with
// load, a target that is not positive (or NaN) is met by no number of boxes,
// and the result saturates at math.MaxInt, as does any result that does not
// fit an int.
//
// Quotients within a relative 1e-9 above a whole number round down to it, so
// that float64 noise such as 0.6 / 0.6 = 1.0000000000000002 does not cost a
// box.
func CapacityFor(jobRate Rate, latency time.Duration, target float64) int {
	load := OfferedLoad(jobRate, latency)
	switch {
	case !(load > 0):
		return 0
	case !(target > 0):
		return math.MaxInt
	}
	need := load / target
	if need >= math.MaxInt {
		return math.MaxInt
	}
	return int(math.Ceil(need * (1 - 1e-9)))
}
