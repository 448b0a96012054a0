package boxes

import (
	"fmt"
	"math"
	"time"
)

// ServerlessPrice is how a serverless platform bills: per request, plus per
// GB-second of memory for the time a request runs, rounded up to the
// millisecond. The defaults are AWS Lambda's x86 list prices with no free
// tier (https://aws.amazon.com/lambda/pricing/).
type ServerlessPrice struct {
	Request  Price   // per request (Unit PerRequest); default $0.20 per million
	GBSecond Price   // per GB-second (Unit PerGBSecond); default $0.0000166667
	MemoryGB float64 // memory size in GB (1,024 MB = 1 GB); default 1769 MB
}

// DefaultMemoryGB is 1,769 MB: the size at which AWS Lambda gives a function
// the equivalent of one full vCPU, so that a serverless environment does a
// job in the same Latency as one Box (AWS Lambda developer guide, "Memory and
// computing power").
const DefaultMemoryGB = 1769.0 / 1024

// DefaultServerlessPrice is AWS Lambda x86 pricing in us-east-1: $0.20 per
// million requests and $0.0000166667 per GB-second, at 1,769 MB.
func DefaultServerlessPrice() ServerlessPrice {
	return ServerlessPrice{
		Request:  Price{Amount: 0.20 / 1e6, Unit: PerRequest},
		GBSecond: Price{Amount: 0.0000166667, Unit: PerGBSecond},
		MemoryGB: DefaultMemoryGB,
	}
}

// Validate reports a price of the wrong unit or a memory size out of range.
func (s ServerlessPrice) Validate() error {
	if s.Request.Unit != PerRequest || !(s.Request.Amount >= 0) || math.IsInf(s.Request.Amount, 0) {
		return fmt.Errorf("boxes: serverless request price %v must be a non-negative price per request", s.Request)
	}
	if s.GBSecond.Unit != PerGBSecond || !(s.GBSecond.Amount >= 0) || math.IsInf(s.GBSecond.Amount, 0) {
		return fmt.Errorf("boxes: serverless price %v must be a non-negative price per GB-second", s.GBSecond)
	}
	if !(s.MemoryGB > 0) || s.MemoryGB > 1024 {
		return fmt.Errorf("boxes: serverless memory %g GB must be in (0, 1024]", s.MemoryGB)
	}
	return nil
}

// BilledSeconds is a run time rounded up to the whole millisecond, as Lambda
// bills duration.
func BilledSeconds(d time.Duration) float64 {
	ms := math.Ceil(float64(d) / float64(time.Millisecond))
	return ms / 1000
}

// CostPerJob is the price of one request that runs for d:
// Request + GBSecond × MemoryGB × ceil_ms(d).
func (s ServerlessPrice) CostPerJob(d time.Duration) float64 {
	return s.Request.Amount + s.GBSecond.Amount*s.MemoryGB*BilledSeconds(d)
}

// BreakEvenUtilization is the Utilization at which boxes and serverless cost
// the same per job. A box costs Price × Latency / Utilization per job (see
// Box.CostPerJob), so they meet at
//
//	Utilization = Price × Latency / serverless cost per job.
//
// Below it serverless is cheaper; above it, boxes. A value above 1 means
// serverless is cheaper even for boxes that are never idle.
func BreakEvenUtilization(b Box, s ServerlessPrice) float64 {
	return b.Price.Amount * b.Latency.Seconds() / s.CostPerJob(b.Latency)
}
