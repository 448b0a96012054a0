package scaletozero

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/boxes-project/boxes/policy"
)

// KPA is the Knative Pod Autoscaler as knative/serving runs it (commit
// 98e5ef9 and later: pkg/autoscaler/scaling/autoscaler.go Scale,
// pkg/autoscaler/config/config.go defaultConfig, the KPA reconciler's
// scale-to-zero rules), one revision at a time. Every Tick (2 s) the
// decider reads the revision's total in-flight requests (or requests per
// second) over the StableWindow and over the panic window
// (PanicWindowPercentage of it) and computes, with
//
//	total  = Target, or ContainerConcurrency, or 100 (200 for rps)
//	target = max(0.01, total × TargetUtilization)      (TargetValue)
//	ready  = max(1, ready pods)
//	maxUp  = ceil(MaxScaleUpRate × ready)
//	maxDn  = floor(ready / MaxScaleDownRate)
//	dspc   = ceil(stable / target), dppc = ceil(panic / target)
//
// the stable and panic pod counts, each clamped to [maxDn, maxUp]. Panic
// starts (or is extended) when dppc / ready ≥ PanicThresholdPercentage/100
// and ends once a whole stable window has passed with no crossing; in panic
// the decider takes the larger of the two counts and never goes below the
// highest count of this panic. A ScaleDownDelay holds the highest count of
// that window. MinScale and MaxScale bound the result.
//
// Scale to zero: the count reaches 0 only when the stable window saw no
// request (dspc = 0 at one ready pod, where maxDn = floor(1/2) = 0); the
// last pod then stays ScaleToZeroPodRetention longer, and, when the
// activator was out of the request path (TargetBurstCapacity 0), at least
// ScaleToZeroGracePeriod. With scale to zero disabled, or MinScale > 0, it
// stays at 1 (or MinScale). From zero the activator pokes the decider as
// soon as a request arrives, without waiting for the tick.
//
// Requests are never turned away for want of a free box: at zero, and
// while the excess burst capacity floor(ready pods × total −
// TargetBurstCapacity − panic) is negative, the activator buffers them;
// otherwise each pod's queue-proxy queues what is beyond
// containerConcurrency ("it will queue them locally", knative/serving
// docs/scaling/SYSTEM.md). Both are one policy.Hold here, holding a request
// up to RequestTimeout (the revision's timeoutSeconds); TargetBurstCapacity
// decides only the grace period below. Buffered requests count as in
// flight, as they do in Knative (correction 5 of the project's autoscaler
// reference).
//
// The metric: concurrency is the mean number of jobs in flight, in service
// or waiting, and never less than JobRate × Latency (see the package doc);
// rps is the JobRate. A pod is max(1, ContainerConcurrency) boxes.
//
// Departures: the revision's "active for a stable
// window" condition before scale to zero is implied by the empty stable
// window and not tracked; ActivationScale and the weighted-exponential
// window are not modelled; the first request from zero records its
// in-flight count as the window saw it, not exactly 1.
type KPA struct {
	// Metric is what the decider scales on (autoscaling.knative.dev/metric).
	Metric string `yaml:"metric" default:"concurrency" enum:"concurrency,rps" doc:"metric the decider scales on: in-flight requests or requests per second"`
	// Target is the per-pod total (autoscaling.knative.dev/target); zero
	// takes ContainerConcurrency when set, else 100 in flight
	// (container-concurrency-target-default) or 200 per second
	// (requests-per-second-target-default).
	Target float64 `yaml:"target" default:"0" min:"0" doc:"per-pod total before target_utilization (0: container_concurrency, else 100 in flight or 200 rps)"`
	// TargetUtilization is container-concurrency-target-percentage / 100
	// (autoscaling.knative.dev/target-utilization-percentage).
	TargetUtilization float64 `yaml:"target_utilization" default:"0.7" min:"0.01" max:"1" doc:"share of the per-pod total the decider aims at"`
	// ContainerConcurrency is the revision's containerConcurrency: the most
	// requests a pod serves at once; 0 is no limit. A pod is
	// max(1, ContainerConcurrency) boxes.
	ContainerConcurrency int `yaml:"container_concurrency" default:"0" min:"0" max:"1000" doc:"most requests one pod serves at once (0: no limit); a pod is that many boxes"`
	// StableWindow is stable-window (autoscaling.knative.dev/window).
	StableWindow time.Duration `yaml:"stable_window" default:"60s" min:"6s" max:"1h" doc:"window the stable mode averages over"`
	// PanicWindowPercentage is panic-window-percentage: the panic window as
	// a percentage of the stable window.
	PanicWindowPercentage float64 `yaml:"panic_window_percentage" default:"10" min:"1" max:"100" doc:"panic window as a percentage of the stable window"`
	// PanicThresholdPercentage is panic-threshold-percentage.
	PanicThresholdPercentage float64 `yaml:"panic_threshold_percentage" default:"200" min:"110" max:"1000" doc:"panic when the panic window asks for this percentage of the ready pods"`
	// MaxScaleUpRate and MaxScaleDownRate are max-scale-up-rate and
	// max-scale-down-rate: per tick, at most ceil(rate × ready) pods, at
	// least floor(ready / rate).
	MaxScaleUpRate   float64 `yaml:"max_scale_up_rate" default:"1000" min:"1" exclusive:"min" doc:"most pods per tick as a multiple of the ready pods"`
	MaxScaleDownRate float64 `yaml:"max_scale_down_rate" default:"2" min:"1" exclusive:"min" doc:"fewest pods per tick as a fraction 1/rate of the ready pods"`
	// TargetBurstCapacity is target-burst-capacity: -1 keeps the activator
	// always in the path, 0 only at zero (then the last pod waits the
	// grace period before it goes).
	TargetBurstCapacity float64 `yaml:"target_burst_capacity" default:"211" min:"-1" doc:"burst the activator covers: -1 always in the path, 0 only while cold"`
	// EnableScaleToZero is enable-scale-to-zero.
	EnableScaleToZero bool `yaml:"enable_scale_to_zero" default:"true" doc:"let the revision scale to zero pods"`
	// ScaleToZeroGracePeriod is scale-to-zero-grace-period.
	ScaleToZeroGracePeriod time.Duration `yaml:"scale_to_zero_grace_period" default:"30s" min:"6s" max:"1h" doc:"least time the activator is in the path before the last pod goes"`
	// ScaleToZeroPodRetention is scale-to-zero-pod-retention-period
	// (autoscaling.knative.dev/scale-to-zero-pod-retention-period).
	ScaleToZeroPodRetention time.Duration `yaml:"scale_to_zero_pod_retention_period" default:"0s" min:"0s" max:"1h" doc:"least time the last pod stays once the decider says zero"`
	// ScaleDownDelay is scale-down-delay: the count is the highest of
	// this long.
	ScaleDownDelay time.Duration `yaml:"scale_down_delay" default:"0s" min:"0s" max:"1h" doc:"scale down only to the highest count of this window"`
	// InitialScale is initial-scale: the pods at time 0, as a new revision
	// gets them; -1 starts warm, at what the load at time 0 needs.
	InitialScale int `yaml:"initial_scale" default:"-1" min:"-1" doc:"pods at time 0 (-1: what the load at time 0 needs)"`
	// MinScale and MaxScale bound the pods (0: no upper bound).
	MinScale int `yaml:"min_scale" default:"0" min:"0" doc:"fewest pods"`
	MaxScale int `yaml:"max_scale" default:"0" min:"0" doc:"most pods (0: no limit)"`
	// Tick is the decider's period (the multiscaler's tickInterval).
	Tick time.Duration `yaml:"tick" default:"2s" min:"100ms" max:"1m" doc:"time between two decisions"`
	// RequestTimeout is the revision's timeoutSeconds: the longest the
	// activator holds a request.
	RequestTimeout time.Duration `yaml:"request_timeout" default:"300s" min:"0s" doc:"longest a request is held by the activator (0: no limit)"`
}

// DefaultKPA is Knative's defaults: the config-autoscaler ConfigMap as
// defaultConfig() sets it and a revision timeout of 300 s.
func DefaultKPA() KPA {
	return KPA{
		Metric:                   "concurrency",
		TargetUtilization:        0.7,
		StableWindow:             60 * time.Second,
		PanicWindowPercentage:    10,
		PanicThresholdPercentage: 200,
		MaxScaleUpRate:           1000,
		MaxScaleDownRate:         2,
		TargetBurstCapacity:      211,
		EnableScaleToZero:        true,
		ScaleToZeroGracePeriod:   30 * time.Second,
		InitialScale:             -1,
		Tick:                     2 * time.Second,
		RequestTimeout:           300 * time.Second,
	}
}

// Validate checks each setting against its tags, then the rules that
// span settings.
func (k KPA) Validate() error {
	if err := checkTags("knative", k); err != nil {
		return err
	}
	switch {
	case k.MaxScale > 0 && k.MinScale > k.MaxScale:
		return fmt.Errorf("policy: knative: min_scale %d is above max_scale %d", k.MinScale, k.MaxScale)
	case k.MaxScale > 0 && k.InitialScale > k.MaxScale:
		return fmt.Errorf("policy: knative: initial_scale %d is above max_scale %d", k.InitialScale, k.MaxScale)
	case k.ContainerConcurrency > 0 && k.Target > float64(k.ContainerConcurrency):
		return fmt.Errorf("policy: knative: target %g is above container_concurrency %d", k.Target, k.ContainerConcurrency)
	}
	return nil
}

// total is the per-pod total the utilization applies to.
func (k KPA) total() float64 {
	switch {
	case k.Target > 0:
		return k.Target
	case k.Metric == "rps":
		return 200
	case k.ContainerConcurrency > 0:
		return float64(k.ContainerConcurrency)
	}
	return 100
}

// TargetValue is what the decider aims at per pod: max(0.01, total ×
// TargetUtilization), in requests in flight or per second
// (resources.MakeDecider).
func (k KPA) TargetValue() float64 { return math.Max(0.01, k.total()*k.TargetUtilization) }

// Start makes a fresh decider.
func (k KPA) Start(env policy.Env) (policy.Run, error) {
	if err := k.Validate(); err != nil {
		return policy.Run{}, err
	}
	if err := checkEnv("knative", env); err != nil {
		return policy.Run{}, err
	}
	d := &kpaRun{
		cfg:      k,
		slots:    max(1, k.ContainerConcurrency),
		target:   k.TargetValue(),
		stable:   seconds(k.StableWindow),
		panic:    seconds(k.StableWindow) * k.PanicWindowPercentage / 100,
		tick:     seconds(k.Tick),
		step:     stepOf(env),
		zeroFrom: math.Inf(1),
		lastTick: math.Inf(-1),
		panicAt:  math.Inf(-1),
	}
	if k.ScaleDownDelay > 0 {
		d.delay = &maxWindow{span: seconds(k.ScaleDownDelay)}
	}
	pods := k.InitialScale
	if pods < 0 {
		load := env.InitialRate // rps
		if k.Metric != "rps" {
			load = env.InitialRate * env.Latency
		}
		pods = ceilInstances(load / d.target)
		if !k.EnableScaleToZero {
			pods = max(pods, 1)
		}
	}
	pods = d.bound(pods)
	d.last = pods
	hold := &policy.Hold{Timeout: seconds(k.RequestTimeout)}
	return policy.Run{
		Policy:   d,
		Initial:  pods * d.slots,
		Period:   0, // every engine step: ticks, and the activator's pokes
		Lookback: d.stable + d.step,
		Hold:     hold,
	}, nil
}

// kpaRun is one decider and the reconciler's scale-to-zero rules.
type kpaRun struct {
	cfg          KPA
	slots        int
	target       float64
	stable       float64 // seconds
	panic        float64 // seconds
	tick, step   float64 // seconds
	lastTick     float64
	panicAt      float64 // last crossing of the panic threshold; -Inf when not panicking
	maxPanicPods int
	delay        *maxWindow
	zeroFrom     float64 // when the decider first said zero in this stretch; +Inf when not
	last         int     // pods last asked for
	wanted       int     // pods the last tick's metric asked for, before the scale rates
	decision     policy.Decision
	decided      bool
}

// bound applies min-scale, max-scale and enable-scale-to-zero.
func (d *kpaRun) bound(pods int) int {
	lo := d.cfg.MinScale
	if !d.cfg.EnableScaleToZero {
		lo = max(lo, 1)
	}
	pods = max(pods, lo)
	if d.cfg.MaxScale > 0 {
		pods = min(pods, d.cfg.MaxScale)
	}
	return pods
}

func (d *kpaRun) value(m policy.Metrics) float64 {
	if d.cfg.Metric == "rps" {
		return m.JobRate
	}
	return inFlight(m)
}

// Desired runs the decider at its tick, or at once when a request reaches
// a revision at zero.
func (d *kpaRun) Desired(o *policy.Observation) int {
	now := o.Time
	current := o.Ready + o.Booting
	poke := false
	if current == 0 {
		if m, ok := window(o, d.step, 0); ok && (m.JobRate > 0 || m.Queued > 0) {
			poke = true
		}
	}
	if !poke && now < d.lastTick+d.tick-1e-9 {
		return d.last * d.slots
	}
	d.lastTick = now
	d.wanted = d.last // no data: the decider keeps the count
	pods := d.decide(o)
	if poke {
		pods = max(pods, 1)
		d.wanted = max(d.wanted, 1)
	}
	limited := pods
	pods = d.bound(pods)
	pods = d.toZero(now, pods, o)
	d.last = pods
	d.decision = policy.Decision{Wanted: max(d.wanted, limited), Min: d.lowest(), Max: d.cfg.MaxScale, Desired: pods}
	d.decision.Stabilized = d.decision.Wanted
	d.decided = true
	return pods * d.slots
}

// lowest is the fewest pods bound allows.
func (d *kpaRun) lowest() int {
	if !d.cfg.EnableScaleToZero {
		return max(d.cfg.MinScale, 1)
	}
	return d.cfg.MinScale
}

// decide is autoscaler.Scale: the decider's pod count, or the current one
// when there is no data.
func (d *kpaRun) decide(o *policy.Observation) int {
	now := o.Time
	readyPods := instances(o.Ready, d.slots)
	ms, ok := window(o, d.stable, 0)
	if !ok {
		return d.last
	}
	stable := d.value(ms)
	mp, _ := window(o, d.panic, 0)
	panicV := d.value(mp)
	ready := math.Max(1, float64(readyPods))
	maxUp := math.Ceil(d.cfg.MaxScaleUpRate * ready)
	maxDown := math.Floor(ready / d.cfg.MaxScaleDownRate)
	dspc := math.Ceil(stable/d.target - 1e-9*stable/d.target)
	dppc := math.Ceil(panicV/d.target - 1e-9*panicV/d.target)
	stablePods := int(math.Min(math.Max(dspc, maxDown), maxUp))
	panicPods := int(math.Min(math.Max(dppc, maxDown), maxUp))
	over := dppc/ready >= d.cfg.PanicThresholdPercentage/100
	switch {
	case over:
		d.panicAt = now
	case d.panicAt > math.Inf(-1) && d.panicAt+d.stable < now:
		d.panicAt, d.maxPanicPods = math.Inf(-1), 0
	}
	pods := stablePods
	wanted := dspc // the mode's count before the scale rates
	if d.panicAt > math.Inf(-1) {
		pods = max(pods, panicPods)
		wanted = math.Max(wanted, dppc)
		d.maxPanicPods = max(d.maxPanicPods, pods)
		pods = d.maxPanicPods
	}
	if d.delay != nil {
		pods = d.delay.record(now, pods)
	}
	// What the metric asked for, held up (never down) by panic mode and
	// the scale-down delay, but not held back by max-scale-up-rate: the
	// decision LastDecision explains.
	d.wanted = max(pods, int(math.Min(wanted, 1e7)))
	return pods
}

// toZero holds the last pod for the retention period (and the grace period
// when the activator was out of the path) once the decider says zero.
func (d *kpaRun) toZero(now float64, pods int, o *policy.Observation) int {
	if pods > 0 || o.Ready+o.Booting == 0 {
		d.zeroFrom = math.Inf(1)
		return pods
	}
	if d.zeroFrom == math.Inf(1) {
		d.zeroFrom = now
	}
	wait := seconds(d.cfg.ScaleToZeroPodRetention)
	if d.cfg.TargetBurstCapacity == 0 {
		wait = math.Max(wait, seconds(d.cfg.ScaleToZeroGracePeriod))
	}
	if now-d.zeroFrom < wait-1e-9 {
		return 1
	}
	return 0
}

// stepOf is the engine's step, or one second when unknown.
func stepOf(env policy.Env) float64 {
	if env.Step > 0 && !math.IsInf(env.Step, 0) {
		return env.Step
	}
	return 1
}

// checkEnv refuses an environment a scaler cannot size from.
func checkEnv(kind string, env policy.Env) error {
	switch {
	case !(env.InitialRate >= 0) || math.IsInf(env.InitialRate, 0):
		return fmt.Errorf("policy: %s: env initial rate %g jobs/s must be finite and non-negative", kind, env.InitialRate)
	case !(env.Latency > 0) || math.IsInf(env.Latency, 0):
		return fmt.Errorf("policy: %s: env latency %g s must be positive and finite", kind, env.Latency)
	}
	return nil
}

var errNoTrigger = errors.New("policy: keda: at least one trigger is needed")
