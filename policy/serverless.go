package policy

import (
	"errors"
	"fmt"
	"time"

	"github.com/boxes-project/boxes"
)

// Serverless is a platform that scales for you (the first article's "buying
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
	ConcurrencyLimit int `yaml:"concurrency_limit" default:"1000" min:"1" max:"100000000" doc:"most environments at once; jobs beyond it are throttled (missed)"`
	// ScaleUpBurst environments may be added at once, and the allowance
	// refills at ScaleUpRate per second: Lambda adds up to 1,000
	// environments every 10 seconds per function (burst 1,000, rate 100/s).
	ScaleUpBurst int        `yaml:"scale_up_burst" default:"1000" min:"1" max:"100000000" doc:"environments that may be added at once"`
	ScaleUpRate  boxes.Rate `yaml:"scale_up_rate" default:"100/s" min:"0/s" exclusive:"min" doc:"how fast the scale-up allowance refills"`
	// ColdStart is the time a new environment takes to initialize before
	// its first job; the job waits for it. A few hundred ms for interpreted
	// runtimes.
	ColdStart time.Duration `yaml:"cold_start" default:"300ms" min:"0s" max:"1h" doc:"a new environment's initialization; its first job waits for it"`
	// BillColdStart charges the initialization as run time, as Lambda does
	// for on-demand functions since 1 August 2025.
	BillColdStart bool `yaml:"bill_cold_start" default:"true" doc:"bill the initialization as run time (Lambda on demand, since August 2025)"`
	// KeepAlive is how long an idle environment stays warm before the
	// platform reclaims it. Lambda does not document it; 5 to 15 minutes is
	// what is observed, and 10 is the default here.
	KeepAlive time.Duration `yaml:"keep_alive" default:"10m" min:"0s" max:"8760h" doc:"how long an idle environment stays warm"`
	// Price is the per-request and per-GB-second price and the memory size.
	Price boxes.ServerlessPrice `yaml:",inline"`
	// FreeTier subtracts Lambda's monthly free tier (boxes'
	// ServerlessPrice.WithLambdaFreeTier: 1 million requests and 400,000
	// GB-seconds a month), prorated to the run's length. Off unless asked.
	FreeTier bool `yaml:"free_tier" default:"false" doc:"subtract Lambda's monthly free tier, prorated to the run"`
}

// DefaultServerless is AWS Lambda's defaults (the tags') and x86 list
// prices (boxes.DefaultServerlessPrice).
func DefaultServerless() Serverless {
	var s Serverless
	mustDefaults(&s)
	s.Price = boxes.DefaultServerlessPrice()
	return s
}

// Start refuses: a serverless platform is not a box policy; the engines run
// it with sim.Serverless. It makes Serverless a Config, so that a scenario's
// policies are one list.
func (s Serverless) Start(Env) (Run, error) {
	return Run{}, errors.New("policy: serverless is run by its own engine (sim.Serverless), not as a box policy")
}

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
