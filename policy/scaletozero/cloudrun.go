package scaletozero

import (
	"fmt"
	"math"
	"time"

	"github.com/boxes-project/boxes"
	"github.com/boxes-project/boxes/policy"
)

// CloudRun is a Google Cloud Run service's instance autoscaling as its
// documentation describes it (cloud.google.com/run/docs/about-instance-autoscaling,
// .../about-concurrency, .../configuring/scaling-controls; read 2026-12):
// an instance serves up to MaxConcurrency requests at once, so it is
// MaxConcurrency boxes (see the package doc). Every Period (the autoscaler
// "evaluates these every 5 seconds") it computes two drivers over the last
// Window (one minute) and takes the larger, within [MinInstances,
// MaxInstances]:
//
//	cpu         = ceil((busy boxes / MaxConcurrency) / CPUTarget)
//	concurrency = ceil(in flight / (MaxConcurrency × ConcurrencyTarget))
//
// where busy boxes / MaxConcurrency is the CPU-seconds per second the
// instances use in units of one instance (a box busy is one request
// holding its share of the instance's CPU), and in flight counts the
// requests in service and waiting (never less than JobRate × Latency). A
// target of 0 turns its driver off (Cloud Run lets either be disabled, not
// both). Between evaluations the faster on-demand mechanism starts an
// instance at once for requests that find none with room: when the jobs in
// flight over the last engine step exceed the boxes of the instances
// running and starting, it asks for ceil(in flight / MaxConcurrency)
// instances. A revision with no request in the window goes to zero (or
// MinInstances); ScaleInDelay keeps the highest count of that long first
// (Cloud Run keeps idle instances a while; ~15 minutes is observed, not
// documented, so the default is 0).
//
// Requests that find no instance with room wait (policy.Hold): while an
// instance starts, up to the request timeout (timeoutSeconds, 300 s by
// default), and at MaxInstances for 10 s (60 s in older revisions of the
// page), after which Cloud Run answers 429. The events engine has one
// timeout per proxy, so boxes holds both up to RequestTimeout (a
// departure: at MaxInstances Cloud Run gives up sooner; set
// request_timeout to 10s to model that case instead of cold starts). A
// request that waits it out is counted as timed out.
//
// Start-up time is the engine's boot time (Setup.Boot): with startup CPU
// boost, set it to the boosted start-up time; the boost's CPU is billed
// (see CloudRunPrice). Billing is in CloudRunPrice.
type CloudRun struct {
	MaxConcurrency    int           `yaml:"max_concurrency" default:"80" min:"1" max:"1000" doc:"most requests one instance serves at once; an instance is that many boxes"`
	CPUTarget         float64       `yaml:"cpu_target" default:"0.6" min:"0" max:"0.9" doc:"CPU utilization the instances aim at (0: driver off; else at least 0.1)"`
	ConcurrencyTarget float64       `yaml:"concurrency_target" default:"0.6" min:"0" max:"0.95" doc:"share of max_concurrency each instance aims at (0: driver off; else at least 0.1)"`
	MinInstances      int           `yaml:"min_instances" default:"0" min:"0" doc:"fewest instances, kept warm"`
	MaxInstances      int           `yaml:"max_instances" default:"100" min:"1" doc:"most instances"`
	Window            time.Duration `yaml:"window" default:"1m" min:"1s" max:"1h" doc:"window the drivers average over"`
	Period            time.Duration `yaml:"period" default:"5s" min:"1s" max:"5m" doc:"time between two evaluations"`
	RequestTimeout    time.Duration `yaml:"request_timeout" default:"300s" min:"0s" max:"1h" doc:"longest a request waits for an instance with room (timeoutSeconds; 0: no limit)"`
	ScaleInDelay      time.Duration `yaml:"scale_in_delay" default:"0s" min:"0s" max:"1h" doc:"scale in only to the highest count of this window"`
	// StartupCPUBoost is run.googleapis.com/startup-cpu-boost: more CPU
	// while an instance starts and for 10 s after, billed (the start-up
	// time itself is the engine's boot time).
	StartupCPUBoost bool `yaml:"startup_cpu_boost" default:"false" doc:"extra CPU during start-up, billed; set boot to the boosted start-up time"`
	// Price is how the service is billed; a box costs
	// Price.InstanceSecond() / MaxConcurrency per second of its life.
	Price CloudRunPrice `yaml:"price" doc:"billing setting and Tier 1 list prices"`
}

// DefaultCloudRun is a new service's defaults as the console sets them: 80
// concurrent requests, CPU and concurrency targets of 60%, no minimum and
// a maximum of 100 instances (REST RevisionScaling.maxInstanceCount's
// server default).
func DefaultCloudRun() CloudRun {
	return CloudRun{
		MaxConcurrency:    80,
		CPUTarget:         0.6,
		ConcurrencyTarget: 0.6,
		MaxInstances:      100,
		Window:            time.Minute,
		Period:            5 * time.Second,
		RequestTimeout:    300 * time.Second,
		Price:             DefaultCloudRunPrice(),
	}
}

// Validate checks each setting against its tags, then the rules that span
// settings.
func (c CloudRun) Validate() error {
	if err := checkTags("cloudrun", c); err != nil {
		return err
	}
	switch {
	case c.CPUTarget == 0 && c.ConcurrencyTarget == 0:
		return fmt.Errorf("policy: cloudrun: cpu_target and concurrency_target cannot both be off")
	case c.CPUTarget != 0 && c.CPUTarget < 0.1:
		return fmt.Errorf("policy: cloudrun: cpu_target %g must be 0 or in [0.1, 0.9]", c.CPUTarget)
	case c.ConcurrencyTarget != 0 && c.ConcurrencyTarget < 0.1:
		return fmt.Errorf("policy: cloudrun: concurrency_target %g must be 0 or in [0.1, 0.95]", c.ConcurrencyTarget)
	case c.MinInstances > c.MaxInstances:
		return fmt.Errorf("policy: cloudrun: min_instances %d is above max_instances %d", c.MinInstances, c.MaxInstances)
	}
	return nil
}

// Start makes a fresh autoscaler. It starts warm: the instances the load
// of time 0 needs by the two drivers.
func (c CloudRun) Start(env policy.Env) (policy.Run, error) {
	if err := c.Validate(); err != nil {
		return policy.Run{}, err
	}
	if err := checkEnv("cloudrun", env); err != nil {
		return policy.Run{}, err
	}
	r := &cloudRunRun{cfg: c, k: c.MaxConcurrency, step: stepOf(env), window: seconds(c.Window), period: seconds(c.Period), nextEval: 0}
	if c.ScaleInDelay > 0 {
		r.hold = &maxWindow{span: seconds(c.ScaleInDelay)}
	}
	load := env.InitialRate * env.Latency // boxes busy, jobs in flight
	r.wanted = r.drivers(load, load)
	r.last = r.bound(r.wanted)
	return policy.Run{
		Policy:   r,
		Initial:  r.last * r.k,
		Period:   0, // every engine step: evaluations, and on-demand starts
		Lookback: math.Max(r.window, r.step) + r.step,
		Hold:     &policy.Hold{Timeout: seconds(c.RequestTimeout)},
	}, nil
}

type cloudRunRun struct {
	cfg                  CloudRun
	k                    int
	step, window, period float64
	nextEval             float64
	hold                 *maxWindow
	last                 int             // instances last asked for
	wanted               int             // what the drivers and on-demand starts asked for, before the bounds
	dec                  policy.Decision // LastDecision's
}

func (r *cloudRunRun) bound(n int) int { return min(max(n, r.cfg.MinInstances), r.cfg.MaxInstances) }

// drivers is the larger of the cpu and concurrency drivers, in instances,
// for busy boxes and jobs in flight.
func (r *cloudRunRun) drivers(busy, flight float64) int {
	n := 0
	if t := r.cfg.CPUTarget; t > 0 {
		n = max(n, ceilInstances(busy/float64(r.k)/t))
	}
	if t := r.cfg.ConcurrencyTarget; t > 0 {
		n = max(n, ceilInstances(flight/(float64(r.k)*t)))
	}
	return n
}

// Desired evaluates at the period, and starts instances on demand between.
func (r *cloudRunRun) Desired(o *policy.Observation) int {
	now := o.Time
	current := instances(o.Ready+o.Booting, r.k)
	if now >= r.nextEval-1e-9 {
		r.nextEval = now + r.period
		if m, ok := window(o, r.window, 0); ok {
			n := r.drivers(m.Busy, inFlight(m))
			if r.hold != nil {
				n = r.hold.record(now, n)
			}
			r.wanted = n
			r.last = r.bound(n)
		}
	}
	if m, ok := window(o, r.step, 0); ok {
		if f := inFlight(m); f > float64(current*r.k)*(1+1e-9) || current == 0 && m.JobRate > 0 {
			n := max(r.last, ceilInstances(f/float64(r.k)), 1)
			r.wanted = max(r.wanted, n)
			r.last = r.bound(n)
		}
	}
	return r.last * r.k
}

// LastDecision explains the instances last asked for: what the drivers
// (and the on-demand starts since the last evaluation) wanted, and the
// bounds. Cloud Run has no rate limit or stabilization of its own: only
// MaxInstances holds it back.
func (r *cloudRunRun) LastDecision() (*policy.Decision, bool) {
	w := r.wanted
	r.dec = policy.Decision{Wanted: w, Stabilized: w, Min: r.cfg.MinInstances, Max: r.cfg.MaxInstances, Desired: r.last}
	return &r.dec, true
}

// CloudRunPrice is Cloud Run's list price for services in Tier 1 regions
// (cloud.google.com/run/pricing, read 2026-12-04; the billing settings at
// cloud.google.com/run/docs/configuring/billing-settings): resources are
// billed per vCPU-second and GiB-second, rounded up to 100 ms.
//
//   - Request-based billing (the default): an instance is billed only while
//     it processes at least one request, starts or shuts down, at
//     $0.000024 per vCPU-second and $0.0000025 per GiB-second, plus $0.40
//     per million requests.
//   - Instance-based billing: the whole life of every instance, at
//     $0.000018 per vCPU-second, no per-request fee. The instance-based
//     memory rate was not read from the page (the project's reference
//     gives ≈ $0.000002, unverified); InstanceGiBSecond defaults to the
//     request-based rate, an upper bound, until it is.
//
// The free tier (180,000 vCPU-seconds, 360,000 GiB-seconds and 2 million
// requests a month, request-based) is not subtracted.
type CloudRunPrice struct {
	Billing            string  `yaml:"billing" default:"request" enum:"request,instance" doc:"request-based or instance-based billing"`
	VCPU               float64 `yaml:"vcpu" default:"1" min:"0.08" max:"8" doc:"vCPUs per instance"`
	MemoryGiB          float64 `yaml:"memory_gib" default:"0.5" min:"0.125" max:"32" doc:"memory per instance, GiB"`
	RequestVCPUSecond  float64 `yaml:"request_vcpu_second" default:"0.000024" min:"0" doc:"request-based $ per vCPU-second"`
	RequestGiBSecond   float64 `yaml:"request_gib_second" default:"0.0000025" min:"0" doc:"request-based $ per GiB-second"`
	PerMillion         float64 `yaml:"per_million_requests" default:"0.40" min:"0" doc:"request-based $ per million requests"`
	InstanceVCPUSecond float64 `yaml:"instance_vcpu_second" default:"0.000018" min:"0" doc:"instance-based $ per vCPU-second"`
	InstanceGiBSecond  float64 `yaml:"instance_gib_second" default:"0.0000025" min:"0" doc:"instance-based $ per GiB-second (the request-based rate until read)"`
}

// DefaultCloudRunPrice is a 1 vCPU, 512 MiB instance at Tier 1 list prices,
// billed per request.
func DefaultCloudRunPrice() CloudRunPrice {
	return CloudRunPrice{
		Billing: "request", VCPU: 1, MemoryGiB: 0.5,
		RequestVCPUSecond: 0.000024, RequestGiBSecond: 0.0000025, PerMillion: 0.40,
		InstanceVCPUSecond: 0.000018, InstanceGiBSecond: 0.0000025,
	}
}

// Validate checks each setting against its tags.
func (p CloudRunPrice) Validate() error { return checkTags("cloudrun", p) }

// InstanceSecond is the price of one instance-second under the billing
// setting, in dollars: what a box costs per second is this divided by
// max_concurrency (an instance is that many boxes).
func (p CloudRunPrice) InstanceSecond() float64 {
	if p.Billing == "instance" {
		return p.VCPU*p.InstanceVCPUSecond + p.MemoryGiB*p.InstanceGiBSecond
	}
	return p.VCPU*p.RequestVCPUSecond + p.MemoryGiB*p.RequestGiBSecond
}

// BoxPrice is what one box costs per second of its life: an instance is
// MaxConcurrency boxes, so the instance-second price divided by them
// (Setup.Box.Price; bill in increments of 100 ms). The engines bill boxes
// for their whole life, which is instance-based billing; a scenario
// re-bills a run under request-based billing from the time its instances
// served at least one request or started, plus the per-request fee
// (sim.BillActive; Price.Cost is the same arithmetic on totals).
func (c CloudRun) BoxPrice() boxes.Price {
	return boxes.Price{Amount: c.Price.InstanceSecond() / float64(c.MaxConcurrency), Unit: boxes.PerSecond}
}

// Cost is the bill for a run: under instance-based billing the instances'
// lives, under request-based billing their active time (processing a
// request, starting or stopping) plus the per-request fee. Both times are
// in instance-seconds, already rounded up to 100 ms per instance.
func (p CloudRunPrice) Cost(lifeSeconds, activeSeconds, requests float64) float64 {
	if p.Billing == "instance" {
		return lifeSeconds * p.InstanceSecond()
	}
	return activeSeconds*p.InstanceSecond() + requests*p.PerMillion/1e6
}
