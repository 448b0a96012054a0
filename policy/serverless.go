package policy

import (
	"fmt"
	"time"

	"github.com/boxes-project/boxes"
)

// Serverless is a platform that scales for you (the first seed's "buying
// scalability"): every job gets an execution environment of its own, up to
// a concurrency limit, and you pay per request and per GB-second of run
// time instead of per box. The defaults follow AWS Lambda as documented in
// 2025 (https://docs.aws.amazon.com/lambda/latest/dg/lambda-concurrency.html,
// .../scaling-behavior.html, https://aws.amazon.com/lambda/pricing/).
//
// It is not a Policy: nothing decides a capacity, the platform follows
// demand. The engines in package sim run it directly.
type Serverless struct {
	// ConcurrencyLimit is the most environments running at once; jobs
	// beyond it are throttled (missed). Lambda's default account limit is
	// 1,000.
	ConcurrencyLimit int
	// ScaleUpBurst environments may be added at once, and the allowance
	// refills at ScaleUpRate per second: Lambda adds up to 1,000
	// environments every 10 seconds per function (burst 1,000, rate 100/s).
	ScaleUpBurst int
	ScaleUpRate  boxes.Rate
	// ColdStart is the time a new environment takes to initialize before
	// its first job; the job waits for it. A few hundred ms for interpreted
	// runtimes.
	ColdStart time.Duration
	// BillColdStart charges the initialization as run time, as Lambda does
	// for on-demand functions since 1 August 2025.
	BillColdStart bool
	// KeepAlive is how long an idle environment stays warm before the
	// platform reclaims it. Lambda does not document it; 5 to 15 minutes is
	// what is observed, and 10 is the default here.
	KeepAlive time.Duration
	// Price is the per-request and per-GB-second price and the memory size.
	Price boxes.ServerlessPrice
	// FreeTier subtracts Lambda's monthly free tier (1 million requests and
	// 400,000 GB-seconds a month), prorated to the run's length. Off unless
	// asked.
	FreeTier bool
}

// DefaultServerless is AWS Lambda's defaults and x86 list prices.
func DefaultServerless() Serverless {
	return Serverless{
		ConcurrencyLimit: 1000,
		ScaleUpBurst:     1000,
		ScaleUpRate:      100,
		ColdStart:        300 * time.Millisecond,
		BillColdStart:    true,
		KeepAlive:        10 * time.Minute,
		Price:            boxes.DefaultServerlessPrice(),
	}
}

// Lambda's monthly free tier.
const (
	FreeRequestsPerMonth  = 1e6
	FreeGBSecondsPerMonth = 400_000
)

// Validate reports the first setting out of range.
func (s Serverless) Validate() error {
	switch {
	case s.ConcurrencyLimit <= 0:
		return fmt.Errorf("policy: serverless: concurrency limit %d must be positive", s.ConcurrencyLimit)
	case s.ScaleUpBurst <= 0:
		return fmt.Errorf("policy: serverless: scale-up burst %d must be positive", s.ScaleUpBurst)
	case !(s.ScaleUpRate > 0):
		return fmt.Errorf("policy: serverless: scale-up rate %g/s must be positive", float64(s.ScaleUpRate))
	case s.ColdStart < 0:
		return fmt.Errorf("policy: serverless: cold start %v must not be negative", s.ColdStart)
	case s.KeepAlive < 0:
		return fmt.Errorf("policy: serverless: keep-alive %v must not be negative", s.KeepAlive)
	}
	if err := s.Price.Validate(); err != nil {
		return fmt.Errorf("policy: serverless: %w", err)
	}
	return nil
}
