package boxes

import (
	"fmt"
	"math"
	"time"
)

// ServerlessPrice is how a serverless platform bills: per request, plus per
// GB-second of memory for the time a request runs, rounded up to the
// millisecond, less a monthly free tier. The defaults are AWS Lambda's x86
// list prices with no free tier (https://aws.amazon.com/lambda/pricing/).
type ServerlessPrice struct {
	Request  Price   `yaml:"request_price" min:"$0/request" doc:"price per request"`                                                           // Unit PerRequest; default $0.20 per million
	GBSecond Price   `yaml:"gb_second_price" min:"$0/GB-s" doc:"price per GB-second of run time"`                                              // Unit PerGBSecond; default $0.0000166667
	MemoryGB float64 `yaml:"memory" unit:"memory" min:"128MB" max:"10240MB" doc:"memory size, Lambda's 128 MB to 10,240 MB (1,024 MB = 1 GB)"` // in GB; default 1769 MB

	// FreeRequests and FreeGBSeconds are billed at nothing each month; both
	// zero by default. AWS Lambda's free tier is 1,000,000 requests and
	// 400,000 GB-seconds a month (LambdaFreeRequests, LambdaFreeGBSeconds).
	FreeRequests  float64
	FreeGBSeconds float64
}

// AWS Lambda's monthly free tier: "The monthly request price is $0.20 per 1
// million requests and the free tier provides 1M requests per month", and
// "the free tier provides 400,000 GB-s" (https://aws.amazon.com/lambda/pricing/).
const (
	LambdaFreeRequests  = 1e6
	LambdaFreeGBSeconds = 400000
)

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
	if !(s.FreeRequests >= 0) || math.IsInf(s.FreeRequests, 0) {
		return fmt.Errorf("boxes: serverless free requests %g must be finite and not negative", s.FreeRequests)
	}
	if !(s.FreeGBSeconds >= 0) || math.IsInf(s.FreeGBSeconds, 0) {
		return fmt.Errorf("boxes: serverless free GB-seconds %g must be finite and not negative", s.FreeGBSeconds)
	}
	return nil
}

// WithLambdaFreeTier is s with AWS Lambda's monthly free tier.
func (s ServerlessPrice) WithLambdaFreeTier() ServerlessPrice {
	s.FreeRequests, s.FreeGBSeconds = LambdaFreeRequests, LambdaFreeGBSeconds
	return s
}

// BilledSeconds is a run time rounded up to the whole millisecond, as Lambda
// bills duration.
func BilledSeconds(d time.Duration) float64 {
	ms := math.Ceil(float64(d) / float64(time.Millisecond))
	return ms / 1000
}

// FullVCPUMemoryGB is 1,769 MB, the memory at which AWS Lambda gives a
// function one full vCPU; CPU is allocated in proportion to memory (AWS
// Lambda Developer Guide, "Configuring function memory": "at 1,769 MB, a
// function has the equivalent of one vCPU").
const FullVCPUMemoryGB = 1769.0 / 1024

// LambdaDuration is how long a job that takes d on one full vCPU (a Box's
// Latency) runs on a Lambda function of memoryGB, when cpuBound of it (in
// [0, 1]) is CPU work: below 1,769 MB the function has that share of a vCPU
// and the CPU-bound part runs 1,769 MB / memory times slower; above it a
// single-threaded job runs no faster. The rest (waiting) is unchanged:
//
//	d × (cpuBound × max(1, 1769 MB / memory) + 1 − cpuBound)
func LambdaDuration(d time.Duration, memoryGB, cpuBound float64) time.Duration {
	if !(memoryGB > 0) || !(cpuBound > 0) {
		return d
	}
	slow := math.Max(1, FullVCPUMemoryGB/memoryGB)
	x := float64(d) * (cpuBound*slow + 1 - math.Min(1, cpuBound))
	if x >= math.MaxInt64 {
		return math.MaxInt64
	}
	return time.Duration(math.Round(x))
}

// CostPerJob is the list price of one CPU-bound request that takes d on one
// full vCPU (a Box's Latency), the free tier aside:
//
//	Request + GBSecond × MemoryGB × ceil_ms(LambdaDuration(d, MemoryGB, 1))
//
// Below 1,769 MB the job runs proportionally longer, so a smaller function
// is not cheaper per CPU-bound job: at 128 MB it runs 13.8 times as long on
// 13.8 times less memory, and the GB-seconds are the same.
func (s ServerlessPrice) CostPerJob(d time.Duration) float64 {
	return s.Request.Amount + s.GBSecond.Amount*s.MemoryGB*BilledSeconds(LambdaDuration(d, s.MemoryGB, 1))
}

// MonthlyCost is the bill for jobs requests in one month, each running for
// d, as AWS Lambda's pricing examples work it out:
//
//	requests:  Request  × max(0, jobs − FreeRequests)
//	compute:   GBSecond × max(0, jobs × ceil_ms(d) × MemoryGB − FreeGBSeconds)
//
// (AWS's Example 1: 512 MB, 3 million requests of 1 s, at $0.00001667 per
// GB-s: 1,500,000 − 400,000 = 1,100,000 GB-s, $18.34, plus 2M × $0.2/M =
// $0.40, "$18.74 per month"). Money is in dollars, not rounded to the cent.
func (s ServerlessPrice) MonthlyCost(jobs float64, d time.Duration) float64 {
	requests := math.Max(0, jobs-s.FreeRequests)
	gbSeconds := math.Max(0, jobs*BilledSeconds(d)*s.MemoryGB-s.FreeGBSeconds)
	return s.Request.Amount*requests + s.GBSecond.Amount*gbSeconds
}

// MeanCostPerJob is the mean price of a CPU-bound job that takes d on one
// full vCPU (run for LambdaDuration(d, MemoryGB, 1) at this memory; MonthlyCost
// takes the duration as run) when jobs arrive
// at jobRate for a whole month (Month, 730 hours): MonthlyCost over the
// month's jobs. With no free tier it is CostPerJob(d) whatever the rate; with
// one, it falls toward zero as the rate falls, and is zero with no jobs.
func (s ServerlessPrice) MeanCostPerJob(jobRate Rate, d time.Duration) float64 {
	return s.MeanCostPerRun(jobRate, LambdaDuration(d, s.MemoryGB, 1))
}

// MeanCostPerRun is MeanCostPerJob for jobs that run for run at this
// memory (the duration as billed, not the time on a full vCPU).
func (s ServerlessPrice) MeanCostPerRun(jobRate Rate, run time.Duration) float64 {
	if s.FreeRequests == 0 && s.FreeGBSeconds == 0 {
		return s.Request.Amount + s.GBSecond.Amount*s.MemoryGB*BilledSeconds(run)
	}
	jobs := float64(jobRate) * Month.Seconds()
	if !(jobs > 0) {
		return 0
	}
	return s.MonthlyCost(jobs, run) / jobs
}

// BreakEvenUtilization is the Utilization at which boxes and serverless cost
// the same per job. A box costs Price × Latency / Utilization per job (see
// Box.CostPerJob), so they meet at
//
//	Utilization = Price × Latency / serverless cost per job.
//
// Below it serverless is cheaper; above it, boxes. A value above 1 means
// serverless is cheaper even for boxes that are never idle. The serverless
// side is the list price, CostPerJob(Latency): a free tier is a monthly
// allowance, not a price per job (Question.Estimate counts it when the job
// rate is known, through MeanCostPerJob).
func BreakEvenUtilization(b Box, s ServerlessPrice) float64 {
	return b.Price.Amount * b.Latency.Seconds() / s.CostPerJob(b.Latency)
}
