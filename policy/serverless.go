package policy

import (
	"errors"
	"fmt"
	"math"
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
	// refills at ScaleUpRate per second: "for each function, your
	// concurrency scaling rate is 1,000 execution environment instances
	// every 10 seconds", refilled continuously and not accumulated
	// (https://docs.aws.amazon.com/lambda/latest/dg/scaling-behavior.html,
	// read 2026-12-04): burst 1,000, rate 100/s.
	ScaleUpBurst int        `yaml:"scale_up_burst" default:"1000" min:"1" max:"100000000" doc:"environments that may be added at once"`
	ScaleUpRate  boxes.Rate `yaml:"scale_up_rate" default:"100/s" min:"0/s" exclusive:"min" doc:"how fast the scale-up allowance refills"`
	// ColdStart is the time a new environment takes to initialize before
	// its first job; the job waits for it. A few hundred ms for interpreted
	// runtimes.
	ColdStart time.Duration `yaml:"cold_start" default:"300ms" min:"0s" max:"1h" doc:"a new environment's initialization; its first job waits for it"`
	// BillColdStart charges the initialization as run time, as Lambda does
	// for on-demand functions since 1 August 2025 ("Effective August 1,
	// 2025, AWS will standardize billing for the initialization (INIT)
	// phase ... on-demand invocations of Lambda functions packaged as ZIP
	// files that use managed runtimes, for which the INIT phase duration
	// was previously unbilled": AWS Compute Blog, "AWS Lambda standardizes
	// billing for INIT Phase", https://aws.amazon.com/blogs/compute/aws-lambda-standardizes-billing-for-init-phase,
	// read 2026-12-04). It is billed at the on-demand duration price.
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

	// ReservedConcurrency is the function's reserved concurrency: the most
	// environments it may have at once, provisioned ones included (jobs
	// beyond it are throttled). 0 means none: ConcurrencyLimit, the
	// account's, applies.
	ReservedConcurrency int `yaml:"reserved_concurrency" default:"0" min:"0" doc:"concurrency reserved for the function, also its cap; 0 means none (the account limit applies)"`
	// Throttle is what happens to a throttled job (HTTP 429): "miss" (or
	// empty) counts it missed; "retry" has the caller send it again after RetryDelay, up
	// to RetryAttempts times, and counts it missed only after the last.
	Throttle      string        `yaml:"throttle" default:"miss" enum:"miss,retry" doc:"a throttled job is missed, or retried by its caller"`
	RetryDelay    time.Duration `yaml:"retry_delay" default:"1s" min:"1ms" max:"6h" doc:"how long a caller waits before retrying a throttled job"`
	RetryAttempts int           `yaml:"retry_attempts" default:"2" min:"0" max:"10" doc:"retries of a throttled job before it is missed"`

	// ProvisionedConcurrency is the number of environments kept initialized
	// (no cold start), billed per GB-second configured whether used or not,
	// at ProvisionedPrice, rounded up to five minutes each time it is
	// enabled; jobs they run pay ProvisionedDurationPrice for their run
	// time instead of the on-demand rate, and jobs beyond them spill over
	// to on-demand environments (https://aws.amazon.com/lambda/pricing/,
	// "Provisioned Concurrency Pricing", read 2026-12-04).
	ProvisionedConcurrency int `yaml:"provisioned_concurrency" default:"0" min:"0" doc:"environments kept initialized, billed whether used or not"`
	// ProvisionedSchedule sets the provisioned concurrency by the calendar
	// (Application Auto Scaling scheduled actions on the function's
	// alias): the first window that contains the moment gives it, as in
	// the scheduled policy; outside every window it is
	// ProvisionedConcurrency.
	ProvisionedSchedule []Window `yaml:"provisioned_schedule" doc:"windows of provisioned concurrency; outside them provisioned_concurrency"`
	// ProvisionedTarget turns on Application Auto Scaling target tracking
	// on LambdaProvisionedConcurrencyUtilization (in use / provisioned, a
	// one-minute datapoint) with this target; 0.7 is typical. It runs as
	// TargetTracking does (3 datapoints above target to scale out, 15 below
	// 90% of it to scale in) with Lambda's cooldowns, which default to 0 s
	// (AWS CDK aws_applicationautoscaling BasicTargetTrackingScalingPolicyProps).
	// The schedule and ProvisionedConcurrency are then floors. 0 is off.
	ProvisionedTarget float64 `yaml:"provisioned_target" default:"0" min:"0" max:"1" doc:"target utilization of provisioned concurrency for target tracking (0.7 typical); 0 is off"`
	// ProvisionedMin and ProvisionedMax bound the target tracking (the
	// scalable target's MinCapacity and MaxCapacity); max 0 means up to the
	// concurrency limit.
	ProvisionedMin int `yaml:"provisioned_min" default:"0" min:"0" doc:"fewest provisioned environments under target tracking"`
	ProvisionedMax int `yaml:"provisioned_max" default:"0" min:"0" doc:"most provisioned environments under target tracking; 0 means the concurrency limit"`
	// ProvisionedScaleOutCooldown and ProvisionedScaleInCooldown are the
	// target tracking policy's cooldowns (0 s by default for Lambda).
	ProvisionedScaleOutCooldown time.Duration `yaml:"provisioned_scale_out_cooldown" default:"0s" min:"0s" max:"24h" doc:"target tracking scale-out cooldown"`
	ProvisionedScaleInCooldown  time.Duration `yaml:"provisioned_scale_in_cooldown" default:"0s" min:"0s" max:"24h" doc:"target tracking scale-in cooldown"`
	// ProvisionedPrice is per GB-second of provisioned concurrency
	// configured; ProvisionedDurationPrice per GB-second a job runs on it.
	// Defaults: us-east-1 x86, $0.0000041667 and $0.0000097222
	// (aws.amazon.com/lambda/pricing, Provisioned Concurrency, x86 price,
	// US East (N. Virginia)).
	ProvisionedPrice         boxes.Price `yaml:"provisioned_price" default:"$0.0000041667/GB-s" min:"$0/GB-s" doc:"price per GB-second of provisioned concurrency configured"`
	ProvisionedDurationPrice boxes.Price `yaml:"provisioned_duration_price" default:"$0.0000097222/GB-s" min:"$0/GB-s" doc:"price per GB-second of run time on provisioned concurrency"`

	// CPUBound is the share of a job's Latency (its time on one full
	// vCPU, a Box) that is CPU work. Lambda gives a function CPU in
	// proportion to its memory, one full vCPU at 1,769 MB (AWS Lambda
	// Developer Guide, "Configuring function memory"); below that the
	// CPU-bound share runs 1,769 MB / memory times slower, above it no
	// faster for a single-threaded job. The rest (waiting on I/O) takes as
	// long at any size.
	CPUBound float64 `yaml:"cpu_bound" default:"1" min:"0" max:"1" doc:"share of a job that is CPU work (slower below 1,769 MB)"`
	// Timeout is the function's timeout; a job that would run longer is an
	// error. Lambda allows at most 15 minutes (its default is 3 s; boxes
	// defaults to the maximum, as does a zero Timeout).
	Timeout time.Duration `yaml:"timeout" default:"15m" min:"1ms" max:"15m" doc:"function timeout, at most 15 minutes"`
}

// Lambda's bounds (AWS Lambda Developer Guide, "Lambda quotas": memory 128
// MB to 10,240 MB, timeout 900 seconds) and the memory of one full vCPU.
const (
	LambdaMinMemoryMB   = 128
	LambdaMaxMemoryMB   = 10240
	LambdaMaxTimeout    = 15 * time.Minute
	LambdaFullVCPUMB    = 1769
	maxProvisionWindows = 1000
)

// JobDuration is how long a job of latency d (on one full vCPU) runs at
// the function's memory: the CPU-bound share scaled by
// max(1, 1,769 MB / memory), the rest unchanged.
func (s Serverless) JobDuration(d time.Duration) time.Duration {
	return boxes.LambdaDuration(d, s.Price.MemoryGB, s.CPUBound)
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
// it with engine.Serverless. It makes Serverless a Config, so that a scenario's
// policies are one list.
func (s Serverless) Start(Env) (Run, error) {
	return Run{}, errors.New("policy: serverless is run by its own engine (engine.Serverless), not as a box policy")
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
	if mb := s.Price.MemoryGB * 1024; !(mb >= LambdaMinMemoryMB-1e-9 && mb <= LambdaMaxMemoryMB+1e-9) {
		return fmt.Errorf("policy: serverless: memory %g MB must be in [128 MB, 10240 MB], Lambda's range", mb)
	}
	switch {
	case s.ReservedConcurrency < 0:
		return fmt.Errorf("policy: serverless: reserved_concurrency %d must not be negative", s.ReservedConcurrency)
	case s.Throttle != "" && s.Throttle != "miss" && s.Throttle != "retry":
		return fmt.Errorf("policy: serverless: throttle %.40q must be miss or retry", s.Throttle)
	case s.Throttle == "retry" && (s.RetryDelay < time.Millisecond || s.RetryDelay > 6*time.Hour):
		return fmt.Errorf("policy: serverless: retry_delay %v must be in [1ms, 6h]", s.RetryDelay)
	case s.RetryAttempts < 0 || s.RetryAttempts > 10:
		return fmt.Errorf("policy: serverless: retry_attempts %d must be in [0, 10]", s.RetryAttempts)
	case s.ProvisionedConcurrency < 0:
		return fmt.Errorf("policy: serverless: provisioned_concurrency %d must not be negative", s.ProvisionedConcurrency)
	case len(s.ProvisionedSchedule) > maxProvisionWindows:
		return fmt.Errorf("policy: serverless: provisioned_schedule has %d windows, more than %d", len(s.ProvisionedSchedule), maxProvisionWindows)
	case !(s.ProvisionedTarget >= 0 && s.ProvisionedTarget <= 1):
		return fmt.Errorf("policy: serverless: provisioned_target %g must be in [0, 1] (0 is off)", s.ProvisionedTarget)
	case s.ProvisionedMin < 0 || s.ProvisionedMax < 0 || (s.ProvisionedMax > 0 && s.ProvisionedMax < s.ProvisionedMin):
		return fmt.Errorf("policy: serverless: provisioned_min %d and provisioned_max %d must be non-negative with max 0 or at least min", s.ProvisionedMin, s.ProvisionedMax)
	case s.ProvisionedScaleOutCooldown < 0 || s.ProvisionedScaleOutCooldown > 24*time.Hour ||
		s.ProvisionedScaleInCooldown < 0 || s.ProvisionedScaleInCooldown > 24*time.Hour:
		return fmt.Errorf("policy: serverless: provisioned cooldowns %v and %v must be in [0s, 24h]", s.ProvisionedScaleOutCooldown, s.ProvisionedScaleInCooldown)
	case s.ProvisionedPrice.Unit != boxes.PerGBSecond || !(s.ProvisionedPrice.Amount >= 0) || math.IsInf(s.ProvisionedPrice.Amount, 0):
		return fmt.Errorf("policy: serverless: provisioned_price %v must be a non-negative price per GB-second", s.ProvisionedPrice)
	case s.ProvisionedDurationPrice.Unit != boxes.PerGBSecond || !(s.ProvisionedDurationPrice.Amount >= 0) || math.IsInf(s.ProvisionedDurationPrice.Amount, 0):
		return fmt.Errorf("policy: serverless: provisioned_duration_price %v must be a non-negative price per GB-second", s.ProvisionedDurationPrice)
	case !(s.CPUBound >= 0 && s.CPUBound <= 1):
		return fmt.Errorf("policy: serverless: cpu_bound %g must be in [0, 1]", s.CPUBound)
	case s.Timeout < 0 || s.Timeout > LambdaMaxTimeout:
		return fmt.Errorf("policy: serverless: timeout %v must be in (0s, 15m], Lambda's limit (0 means 15m)", s.Timeout)
	}
	limit := s.ConcurrencyLimit
	if s.ReservedConcurrency > 0 {
		if s.ReservedConcurrency > s.ConcurrencyLimit {
			return fmt.Errorf("policy: serverless: reserved_concurrency %d must not exceed the concurrency limit %d", s.ReservedConcurrency, s.ConcurrencyLimit)
		}
		limit = s.ReservedConcurrency
	}
	if s.ProvisionedConcurrency > limit {
		return fmt.Errorf("policy: serverless: provisioned_concurrency %d is over the function's concurrency %d", s.ProvisionedConcurrency, limit)
	}
	if err := (Scheduled{Windows: s.ProvisionedSchedule}).Validate(); err != nil {
		return fmt.Errorf("policy: serverless: provisioned_schedule: %w", err)
	}
	for i, w := range s.ProvisionedSchedule {
		if w.Capacity > limit {
			return fmt.Errorf("policy: serverless: provisioned_schedule[%d].capacity %d is over the function's concurrency %d", i, w.Capacity, limit)
		}
	}
	return nil
}

// ProvisionedBreakEven is the utilization above which provisioned
// concurrency costs less than on-demand environments for the same work.
// One environment-second of provisioned concurrency busy a share u of the
// time costs memory × (ProvisionedPrice + u × ProvisionedDurationPrice);
// the same u seconds of jobs on demand cost memory × u × GBSecond × (1 +
// init), where init is the INIT time billed per second of on-demand run
// time (cold starts provisioned concurrency avoids). Requests cost the same
// either way. They are equal at
//
//	u = ProvisionedPrice / (GBSecond × (1 + init) − ProvisionedDurationPrice)
//
// With us-east-1 x86 prices and no INIT, 0.0000041667 / (0.0000166667 −
// 0.0000097222) = 0.600. It returns 0 when provisioned concurrency is never
// cheaper (its duration price at or above the on-demand one).
func (s Serverless) ProvisionedBreakEven(init float64) float64 {
	den := s.Price.GBSecond.Amount*(1+math.Max(0, init)) - s.ProvisionedDurationPrice.Amount
	if !(den > 0) {
		return 0
	}
	return s.ProvisionedPrice.Amount / den
}
