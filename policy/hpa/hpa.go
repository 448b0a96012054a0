package hpa

import (
	"fmt"
	"math"
	"time"

	"github.com/boxes-project/boxes"
	"github.com/boxes-project/boxes/policy"
	"github.com/boxes-project/boxes/schema"
)

// KubernetesVersion is the Kubernetes release whose HorizontalPodAutoscaler
// controller HPA follows.
const KubernetesVersion = "v1.35"

// HPA is the Kubernetes HorizontalPodAutoscaler (autoscaling/v2) as its
// controller in Kubernetes v1.35 runs it (pkg/controller/podautoscaler:
// horizontal.go and replica_calculator.go; the algorithm is described at
// https://kubernetes.io/docs/concepts/workloads/autoscaling/horizontal-pod-autoscale/).
// Boxes are pods; ready boxes are Ready pods and booting boxes are pods that
// are not yet ready. The scale's spec, currentReplicas, is Ready + Booting.
//
// Every SyncPeriod the controller
//
//  1. leaves the count alone if it is 0 and MinReplicas is not
//     ("implicit maintenance-mode deactivation"), sets it to MaxReplicas
//     if above, to MinReplicas if below, and otherwise:
//  2. reads each metric (see Metric and HPAMetric) over the Window that
//     ended Delay ago: a Resource or Pods metric's total over the ready
//     boxes divided by the mean number of ready boxes the window saw, an
//     Object or External metric's total; and the usage ratio to the
//     target, ratio = currentMetricValue / desiredMetricValue;
//  3. proposes, for a Resource or Pods metric, desired = ceil(sampled ×
//     ratio), or keeps currentReplicas when 1 − ScaleDown.Tolerance ≤
//     ratio ≤ 1 + ScaleUp.Tolerance. Unready boxes (below) count as using
//     0 of the metric when the ratio says scale up (and are left out
//     otherwise); missing boxes count as 0 on a scale up and as the target
//     (max(100%, target) for cpu) on a scale down. If that recount lands
//     within the tolerance or reverses the direction, the count stays. An
//     Object or External Value metric proposes ceil(ratio × ready) (at 0
//     replicas ceil(ratio), with no tolerance); an AverageValue one
//     ceil(value / target) outside the tolerance. The largest proposal
//     wins;
//  4. stabilizes: the result is currentReplicas brought within
//     [min of the proposals of the last ScaleUp.Stabilization,
//     max of the proposals of the last ScaleDown.Stabilization];
//  5. limits the rate: a scale up may reach at most the Max (or Min, per
//     ScaleUp.Select) over its policies of periodStart + Value (Pods) or
//     ceil(periodStart × (1 + Value/100)) (Percent), where periodStart is
//     currentReplicas less the boxes added and plus those removed within
//     the policy's Period; a scale down may reach at least the Min (or Max)
//     of periodStart − Value or trunc(periodStart × (1 − Value/100)); and
//     the result stays within [MinReplicas, MaxReplicas].
//
// With Legacy set, steps 4 and 5 are those of an HPA without a behavior
// field instead: the highest proposal of the last ScaleDown.Stabilization
// (including the window's first instant), capped at max(2 × current, 4).
//
// Several metrics (Metrics) each propose a count and the largest wins; a
// metric the controller could not read (no window yet, no sampled box) is
// left out, and when every metric is invalid, or some are and the rest
// would scale down, the controller takes no action
// (computeReplicasForMetrics).
//
// Boxes are grouped as groupPods does. A booting box is an unready pod. A
// box ready now that the window did not see ready throughout (it became
// ready since the window began) is, for cpu, unready when it started within
// CPUInitializationPeriod (its sample predates its readiness; with the
// defaults every such box) and otherwise missing; for the other metrics it
// is missing. A booting box older than CPUInitializationPeriod with
// InitialReadinessDelay 0 is missing for cpu too (the controller would use
// its boot-time sample, which boxes does not have).
//
// Metric values are counted as the controller counts them: Pods, Object
// and External values in whole milli-units (averages truncated, targets
// rounded up), cpu utilization truncated to a whole percent, and replica
// counts ceil(ratio × replicas) with no guard (CeilGuard adds one, off by
// default). Departures from the controller, each small: every box has the
// same cpu request; a box has no cpu sample from its boot, nor a custom
// metric sample before it is ready; and an empty Policies list means no
// rate limit, where Kubernetes requires at least one policy.
// policy/hpa/hpa_upstream_test.go runs the controller's own test cases.
//
// The zero value is not valid (Target is 0); start from DefaultHPA or
// HoldUtilization. Zero values that are valid mean what they say: no
// tolerance, no stabilization, a sync every engine step.
type HPA struct {
	// Metric is what the HPA scales on; the zero value is MetricCPU.
	Metric Metric
	// Target is the desired per-box value of MetricCPU (averageUtilization
	// / 100, a whole percent) or MetricUtilization, in (0, 1].
	Target float64
	// TargetRate is the desired jobs per second per box for MetricJobRate
	// (an AverageValue target); ignored by the other metrics.
	TargetRate boxes.Rate
	// MinReplicas is the fewest boxes; zero means 1, the API's default
	// (there is no scale to zero).
	MinReplicas int
	// MaxReplicas is the most boxes; zero means no bound.
	MaxReplicas int
	// SyncPeriod is the time between two reconciliations
	// (--horizontal-pod-autoscaler-sync-period, 15 s). Zero means every
	// engine step.
	SyncPeriod time.Duration
	// Window is how long the metric is averaged over: metrics-server's
	// --metric-resolution, 15 s in its upstream manifests. Zero means one
	// engine step (one second on engines without steps).
	Window time.Duration
	// Delay is how old the newest metric is when the controller reads it:
	// one scrape interval (15 s) by default.
	Delay time.Duration
	// ScaleUp and ScaleDown are the spec's behavior.scaleUp and
	// behavior.scaleDown, tolerances included.
	ScaleUp, ScaleDown ScalingRules
	// Legacy runs the controller's path for an HPA with no behavior field:
	// ScaleUp's policies, stabilization and Select are then unused, and
	// ScaleDown.Stabilization plays --horizontal-pod-autoscaler-downscale-stabilization.
	Legacy bool

	// HPAOptions are the settings a scenario's hpa shares with the
	// controller (HPASpec embeds them): spec.metrics, scale to zero, the
	// controller's cpu flags and rounding.
	HPAOptions

	// exact is HoldUtilization's arithmetic: metric values are not counted
	// in whole milli-units, so that the count is boxes.CapacityFor's.
	exact bool
}

// HPAOptions are the HPA's settings that a scenario writes as they are:
// declared once here, embedded in HPA and inlined in HPASpec.
type HPAOptions struct {
	// Metrics, when not empty, are the spec's metrics and replace Metric,
	// Target and TargetRate: each proposes a count and the largest wins.
	Metrics []HPAMetric `yaml:"metrics" doc:"the HPA's metrics (spec.metrics), each proposing a count, the largest winning; empty means metric and target"`
	// ScaleToZero is minReplicas: 0 (the HPAScaleToZero feature gate,
	// alpha and off in v1.35, beta and on from v1.37): MinReplicas must
	// then be 0 and means 0, not 1, which the API allows only with an
	// Object or External metric. At 0 replicas those metrics still
	// propose a count, ceil(value / target), so the controller also scales
	// up from zero.
	ScaleToZero bool `yaml:"scale_to_zero" default:"false" doc:"minReplicas 0 with an Object or External metric (HPAScaleToZero): scale to zero and back"`
	// CPUInitializationPeriod is --horizontal-pod-autoscaler-cpu-initialization-period:
	// a box that started within it and whose cpu sample predates its
	// readiness is left out of a scale down and counted at 0% on a scale up.
	CPUInitializationPeriod time.Duration `yaml:"cpu_initialization_period" default:"5m" min:"0s" max:"1h" doc:"after a box starts, cpu samples taken before it was ready are left out (--horizontal-pod-autoscaler-cpu-initialization-period)"`
	// InitialReadinessDelay is --horizontal-pod-autoscaler-initial-readiness-delay:
	// after the initialization period, a not-ready box that has never been
	// ready within this long of its start is still left out (see the type's
	// doc for what boxes makes of it).
	InitialReadinessDelay time.Duration `yaml:"initial_readiness_delay" default:"30s" min:"0s" max:"1h" doc:"readiness changes this soon after a box starts count as initial readiness (--horizontal-pod-autoscaler-initial-readiness-delay)"`
	// CPURequest is the pod's cpu request in cores; zero means 1.
	CPURequest float64 `yaml:"cpu_request" default:"1" min:"0" exclusive:"min" unit:"cores" doc:"the pod's cpu request, the denominator of cpu utilization"`
	// CPUPerJob is the cpu time one job uses (core-seconds). A busy box
	// uses CPUPerJob / Latency cores; zero means it uses its whole request,
	// so that cpu utilization is the busy fraction.
	CPUPerJob time.Duration `yaml:"cpu_per_job" default:"0s" min:"0s" doc:"cpu time one job uses; 0 means a busy box uses its whole cpu request"`
	// CeilGuard forgives float noise of this much (relative) when rounding
	// ratio × replicas up. Zero, the default, rounds as the controller does.
	CeilGuard float64 `yaml:"ceil_guard" default:"0" min:"0" max:"0.001" doc:"relative slack forgiven when rounding ratio × replicas up; 0 rounds as the controller does"`
}

// HPAMetric is one entry of spec.metrics as boxes reads it: the source
// type, what boxes measures for it (the signal) and the target.
type HPAMetric struct {
	// Type is the metric source: Resource, ContainerResource, Pods, Object
	// or External.
	Type MetricSource `yaml:"type" enum:"Resource,ContainerResource,Pods,Object,External" doc:"the metric source type, as in spec.metrics[].type"`
	// Signal is what boxes measures: cpu for Resource and
	// ContainerResource; utilization, jobrate, concurrency or queue for the
	// others.
	Signal Metric `yaml:"signal" enum:"cpu,utilization,jobrate,concurrency,queue" doc:"what boxes measures for this metric"`
	// TargetType is Utilization (Resource only), AverageValue or Value
	// (Object and External only).
	TargetType TargetType `yaml:"target_type" enum:"Utilization,AverageValue,Value" doc:"the target's type, as in target.type"`
	// Target is the target: a fraction of the request for Utilization
	// (0.7 for averageUtilization 70), per box for AverageValue and in
	// total for Value, in the signal's unit (cores for cpu, jobs/s for
	// jobrate, jobs for concurrency and queue, boxes for utilization).
	Target float64 `yaml:"target,required" min:"0" exclusive:"min" doc:"the target value in the signal's unit (a fraction of the request for Utilization)"`
	// Name is the metric's name in the manifest, for messages.
	Name string `yaml:"name" doc:"the metric's name in the manifest"`
}

// MetricSource is a metric's source type (MetricSourceType).
type MetricSource string

const (
	SourceResource          MetricSource = "Resource"
	SourceContainerResource MetricSource = "ContainerResource"
	SourcePods              MetricSource = "Pods"
	SourceObject            MetricSource = "Object"
	SourceExternal          MetricSource = "External"
)

// TargetType is a metric target's type (MetricTargetType).
type TargetType string

const (
	TargetUtilization  TargetType = "Utilization"
	TargetAverageValue TargetType = "AverageValue"
	TargetValue        TargetType = "Value"
)

// Metric names what an HPA scales on.
type Metric string

const (
	// MetricCPU is a Resource metric (cpu) with an averageUtilization
	// target: the share of each ready box's time spent on jobs,
	// Metrics.BusyFraction, which cannot exceed 100%. An overloaded system
	// shows 100% however far behind it is, so one sync scales by at most
	// 1/Target.
	MetricCPU Metric = "cpu"
	// MetricUtilization is the first article's Utilization per ready box,
	// JobRate × Latency / Ready (Metrics.Utilization), as a Pods metric with
	// an AverageValue target. It is not capped: at 3 it asks for three
	// times the boxes.
	MetricUtilization Metric = "utilization"
	// MetricJobRate is jobs arriving per second per ready box
	// (JobRate / Ready), as a Pods metric with an AverageValue target in
	// jobs/s: what an ingress or load balancer counts. It is
	// MetricUtilization in other units: TargetRate = Target / Latency.
	MetricJobRate Metric = "jobrate"
	// MetricConcurrency is jobs in the system, in service or waiting
	// (Metrics.Concurrency): in-flight requests.
	MetricConcurrency Metric = "concurrency"
	// MetricQueue is jobs waiting for a box (Metrics.Queued): a backlog.
	MetricQueue Metric = "queue"
)

// ScalingRules is one direction of an HPA's behavior (HPAScalingRules).
type ScalingRules struct {
	// Stabilization is stabilizationWindowSeconds, in [0, 1h]: scale-up
	// takes the lowest proposal of this long, scale-down the highest.
	Stabilization time.Duration
	// Policies limit how fast the count changes; empty means no limit.
	Policies []ScalingPolicy
	// Select picks among the policies: SelectMax (the zero value), SelectMin
	// or SelectDisabled.
	Select Select
	// Tolerance is the metric ratio's allowed distance from 1 in this
	// direction before the count changes (0.1 is 10%); at least 0.
	Tolerance float64
}

// ScalingPolicy is one HPAScalingPolicy: at most Value pods, or Value
// percent of the count at the start of the period, per Period.
type ScalingPolicy struct {
	Type   PolicyType
	Value  int           // > 0
	Period time.Duration // periodSeconds, in (0, 30 min]
}

// PolicyType is Pods or Percent.
type PolicyType string

const (
	PolicyPods    PolicyType = "Pods"
	PolicyPercent PolicyType = "Percent"
)

// Select is selectPolicy.
type Select string

const (
	// SelectMax picks the policy that allows the largest change.
	SelectMax Select = "Max"
	// SelectMin picks the policy that allows the smallest change.
	SelectMin Select = "Min"
	// SelectDisabled forbids any change in this direction.
	SelectDisabled Select = "Disabled"
)

// DefaultDownStabilization is Kubernetes' scale-down stabilization window:
// the default behavior's scaleDown.stabilizationWindowSeconds and
// --horizontal-pod-autoscaler-downscale-stabilization, the legacy path's.
const DefaultDownStabilization = 300 * time.Second

// DefaultHPA is an HPA as Kubernetes v1.35 defaults it, made from HPASpec's
// tags (the one declaration of each default, with its source beside it)
// and the default behavior (defaultBehavior): cpu at 80%, at least one box
// and no maximum, a 15 s sync, a tolerance of 0.1 both ways, and
//
//	scaleDown: stabilizationWindowSeconds 300, Percent 100 per 15 s
//	scaleUp:   stabilizationWindowSeconds 0, Percent 100 and Pods 4 per 15 s, selectPolicy Max
//
// (These are the values of the v2 defaulting code and of the docs' "Default
// behavior"; the API reference's field comment says 4 pods or 100% "per 60
// seconds", which the code does not do.) Kubernetes applies them when the
// spec has a behavior field; an HPA without one takes the legacy path (set
// Legacy), which allows max(2 × current, 4) per sync where the default
// behavior allows max(2 × current, current + 4) (they differ below 4
// replicas), and which takes the highest proposal of the stabilization
// window on the way up too, where the default behavior takes the latest.
func DefaultHPA() HPA {
	var s HPASpec
	if err := schema.SetDefaults(&s); err != nil {
		panic(err) // the tags are constants that TestDefaultHPA reads
	}
	b := defaultBehavior()
	s.Behavior = &b
	return s.HPA()
}

// HoldUtilization is the first article's plain scaler, "hold Utilization at a
// target", as an HPA with its knobs turned off: the utilization metric of
// the last engine step with no delay, a decision every step, no tolerance,
// no stabilization and no rate limit. With every box ready it asks for
//
//	Capacity = ceil(JobRate × Latency / target)
//
// boxes (at least one), as boxes.CapacityFor does: on floats rather than
// the controller's milli-units, and with CeilGuard 1e-9 against the
// noise of averaging.
func HoldUtilization(target float64) HPA {
	return HPA{Metric: MetricUtilization, Target: target, MinReplicas: 1, HPAOptions: HPAOptions{CeilGuard: 1e-9}, exact: true}
}

// Validate reports the first knob out of range, naming it.
func (h HPA) Validate() error {
	if len(h.Metrics) == 0 {
		switch h.Metric {
		case "", MetricCPU, MetricUtilization:
			if !(h.Target > 0 && h.Target <= 1) {
				return fmt.Errorf("policy: hpa: target %g must be in (0, 1]", h.Target)
			}
			if h.Metric != MetricUtilization {
				if pct := h.Target * 100; math.Abs(pct-math.Round(pct)) > 1e-9 {
					return fmt.Errorf("policy: hpa: target %g must be a whole percent for metric cpu (averageUtilization is an integer)", h.Target)
				}
			}
		case MetricJobRate:
			if !(h.TargetRate > 0) || math.IsInf(float64(h.TargetRate), 0) {
				return fmt.Errorf("policy: hpa: targetRate %g jobs/s must be positive and finite for metric jobrate", float64(h.TargetRate))
			}
		default:
			return fmt.Errorf("policy: hpa: metric %q must be %q, %q or %q", h.Metric, MetricCPU, MetricUtilization, MetricJobRate)
		}
	}
	scaleToZeroOK := false
	for i, m := range h.Metrics {
		if err := m.validate(); err != nil {
			return fmt.Errorf("policy: hpa: metrics[%d]: %w", i, err)
		}
		if m.Type == SourceObject || m.Type == SourceExternal {
			scaleToZeroOK = true
		}
	}
	if h.MinReplicas < 0 {
		return fmt.Errorf("policy: hpa: minReplicas %d must not be negative", h.MinReplicas)
	}
	if h.ScaleToZero {
		if h.MinReplicas != 0 {
			return fmt.Errorf("policy: hpa: scale_to_zero needs minReplicas 0, not %d", h.MinReplicas)
		}
		if !scaleToZeroOK {
			return fmt.Errorf("policy: hpa: scale_to_zero (minReplicas 0) needs an Object or External metric, as the API requires")
		}
	}
	if h.MaxReplicas < 0 {
		return fmt.Errorf("policy: hpa: maxReplicas %d must not be negative (0 means no bound)", h.MaxReplicas)
	}
	if h.MaxReplicas > 0 && h.MaxReplicas < h.minReplicas() {
		return fmt.Errorf("policy: hpa: maxReplicas %d must be at least minReplicas %d", h.MaxReplicas, h.minReplicas())
	}
	for _, d := range []struct {
		name string
		d    time.Duration
	}{{"syncPeriod", h.SyncPeriod}, {"window", h.Window}, {"delay", h.Delay},
		{"cpu_initialization_period", h.CPUInitializationPeriod}, {"initial_readiness_delay", h.InitialReadinessDelay}, {"cpu_per_job", h.CPUPerJob}} {
		if d.d < 0 {
			return fmt.Errorf("policy: hpa: %s %v must not be negative", d.name, d.d)
		}
	}
	if !(h.CPURequest >= 0) || math.IsInf(h.CPURequest, 0) {
		return fmt.Errorf("policy: hpa: cpu_request %g cores must be finite and not negative (0 means 1)", h.CPURequest)
	}
	if !(h.CeilGuard >= 0 && h.CeilGuard <= 1e-3) {
		return fmt.Errorf("policy: hpa: ceil_guard %g must be in [0, 0.001]", h.CeilGuard)
	}
	if err := h.ScaleUp.validate("scaleUp"); err != nil {
		return err
	}
	return h.ScaleDown.validate("scaleDown")
}

// minReplicas is the fewest boxes the controller keeps.
func (h HPA) minReplicas() int {
	if h.ScaleToZero {
		return 0
	}
	return max(h.MinReplicas, 1)
}

// validate checks the combinations the API accepts.
func (m HPAMetric) validate() error {
	name := m.Name
	if name == "" {
		name = string(m.Signal)
	}
	if !(m.Target > 0) || math.IsInf(m.Target, 0) {
		return fmt.Errorf("metric %q: target %g must be positive and finite", name, m.Target)
	}
	switch m.Type {
	case SourceResource, SourceContainerResource:
		if m.Signal != MetricCPU {
			return fmt.Errorf("metric %q: a %s metric reads cpu, not %q", name, m.Type, m.Signal)
		}
		switch m.TargetType {
		case TargetUtilization:
			if pct := m.Target * 100; math.Abs(pct-math.Round(pct)) > 1e-9 {
				return fmt.Errorf("metric %q: utilization %g must be a whole percent (averageUtilization is an integer)", name, m.Target)
			}
		case TargetAverageValue:
		default:
			return fmt.Errorf("metric %q: a %s target is Utilization or AverageValue, not %q", name, m.Type, m.TargetType)
		}
	case SourcePods, SourceObject, SourceExternal:
		switch m.Signal {
		case MetricUtilization, MetricJobRate, MetricConcurrency, MetricQueue:
		default:
			return fmt.Errorf("metric %q: a %s metric's signal is utilization, jobrate, concurrency or queue, not %q", name, m.Type, m.Signal)
		}
		switch {
		case m.TargetType == TargetAverageValue:
		case m.TargetType == TargetValue && m.Type != SourcePods:
		default:
			return fmt.Errorf("metric %q: a %s target cannot be %q", name, m.Type, m.TargetType)
		}
	default:
		return fmt.Errorf("metric %q: type %q must be Resource, ContainerResource, Pods, Object or External", name, m.Type)
	}
	return nil
}

func (r ScalingRules) validate(dir string) error {
	if r.Stabilization < 0 || r.Stabilization > time.Hour {
		return fmt.Errorf("policy: hpa: %s.stabilization %v must be in [0s, 1h]", dir, r.Stabilization)
	}
	switch r.Select {
	case "", SelectMax, SelectMin, SelectDisabled:
	default:
		return fmt.Errorf("policy: hpa: %s.select %q must be %q, %q or %q", dir, r.Select, SelectMax, SelectMin, SelectDisabled)
	}
	if !(r.Tolerance >= 0) || math.IsInf(r.Tolerance, 0) {
		return fmt.Errorf("policy: hpa: %s.tolerance %g must be finite and at least 0", dir, r.Tolerance)
	}
	for i, p := range r.Policies {
		switch p.Type {
		case PolicyPods, PolicyPercent:
		default:
			return fmt.Errorf("policy: hpa: %s.policies[%d].type %q must be %q or %q", dir, i, p.Type, PolicyPods, PolicyPercent)
		}
		if p.Value <= 0 {
			return fmt.Errorf("policy: hpa: %s.policies[%d].value %d must be positive", dir, i, p.Value)
		}
		if p.Period <= 0 || p.Period > 30*time.Minute {
			return fmt.Errorf("policy: hpa: %s.policies[%d].period %v must be in (0s, 30m0s]", dir, i, p.Period)
		}
	}
	return nil
}

// Start makes a fresh controller. Its initial capacity is what it would
// settle on for Env.InitialRate with every box ready: for each metric the
// count that puts it at its target (ceil(InitialRate × Latency / Target)
// for the utilization of a box that is busy when serving), the largest,
// within [MinReplicas, MaxReplicas]. An Object or External Value metric
// asks for ceil(value / target), what it proposes from zero replicas; a
// queue asks for none.
func (h HPA) Start(env policy.Env) (policy.Run, error) {
	if err := h.Validate(); err != nil {
		return policy.Run{}, err
	}
	run, _, err := h.start(env)
	return run, err
}

// start is Start on a validated HPA, also returning the controller.
func (h HPA) start(env policy.Env) (policy.Run, *hpaRun, error) {
	if !(env.InitialRate >= 0) || math.IsInf(env.InitialRate, 0) {
		return policy.Run{}, nil, fmt.Errorf("policy: hpa: env initial rate %g jobs/s must be finite and non-negative", env.InitialRate)
	}
	c := &hpaRun{
		min:      h.minReplicas(),
		max:      h.MaxReplicas,
		window:   h.Window.Seconds(),
		delay:    h.Delay.Seconds(),
		tolUp:    h.ScaleUp.Tolerance,
		tolDown:  h.ScaleDown.Tolerance,
		up:       newRules(h.ScaleUp),
		down:     newRules(h.ScaleDown),
		legacy:   h.Legacy,
		guard:    h.CeilGuard,
		upFactor: 2,
		request:  h.CPURequest,
		cpuJob:   h.CPUPerJob.Seconds(),
		exact:    h.exact,
	}
	if c.request == 0 {
		c.request = 1
	}
	c.metrics = h.Metrics
	if len(c.metrics) == 0 {
		c.metrics = []HPAMetric{h.legacyMetric()}
	}
	// groupPods, for cpu: a box that became ready since the window began
	// started at most Boot + Window + Delay ago; it is within the
	// initialization period (unready) when that is shorter.
	if c.window == 0 {
		c.window = env.Step
		if !(c.window > 0) {
			c.window = 1
		}
	}
	c.lateUnready = env.Boot+c.window+c.delay < h.CPUInitializationPeriod.Seconds()
	c.bootingMissing = env.Boot > h.CPUInitializationPeriod.Seconds() && h.InitialReadinessDelay == 0

	initial := 0
	if env.InitialRate > 0 {
		for _, m := range c.metrics {
			n, err := c.steady(m, env)
			if err != nil {
				return policy.Run{}, nil, err
			}
			initial = max(initial, n)
		}
	}
	initial = clamp(initial, c.min, c.max)

	// Room for the history a steady run keeps, so that Desired does not
	// allocate once warm.
	period := h.SyncPeriod.Seconds()
	if period == 0 {
		period = env.Step
	}
	c.recs = newStampLog(capFor(max(h.ScaleUp.Stabilization, h.ScaleDown.Stabilization).Seconds(), period))
	c.upEvents = newEventLog(capFor(c.up.longest, period))
	c.downEvents = newEventLog(capFor(c.down.longest, period))
	return policy.Run{
		Policy:   c,
		Initial:  initial,
		Period:   h.SyncPeriod.Seconds(),
		Lookback: c.window + c.delay,
		Reads:    []policy.Read{{Length: c.window, Delay: c.delay}}, // proposals' one window
	}, c, nil
}

// legacyMetric is Metric, Target and TargetRate as one HPAMetric: cpu is a
// Resource metric with a Utilization target, utilization and jobrate are
// Pods metrics with AverageValue targets.
func (h HPA) legacyMetric() HPAMetric {
	switch h.Metric {
	case MetricUtilization:
		return HPAMetric{Type: SourcePods, Signal: MetricUtilization, TargetType: TargetAverageValue, Target: h.Target}
	case MetricJobRate:
		return HPAMetric{Type: SourcePods, Signal: MetricJobRate, TargetType: TargetAverageValue, Target: float64(h.TargetRate)}
	}
	return HPAMetric{Type: SourceResource, Signal: MetricCPU, TargetType: TargetUtilization, Target: h.Target}
}

// steady is the count at which metric m reads its target at env's initial
// rate, every box ready and serving without a queue.
func (c *hpaRun) steady(m HPAMetric, env policy.Env) (int, error) {
	rate := env.InitialRate
	var total float64 // the signal summed over the boxes
	switch m.Signal {
	case MetricJobRate:
		total = rate
	case MetricQueue:
		return 0, nil
	default:
		if !(env.Latency > 0) || math.IsInf(env.Latency, 0) {
			return 0, fmt.Errorf("policy: hpa: env latency %g s must be positive", env.Latency)
		}
		total = rate * env.Latency // busy boxes
		if m.Signal == MetricCPU {
			total *= c.coresPerBusy(env.Latency) // cores
			if m.TargetType == TargetUtilization {
				total /= c.request // requests' worth
			}
		}
	}
	// A Value target proposes ceil(total / target) from zero replicas
	// (getUsageRatioReplicaCount): its warm start too.
	x := total / m.Target
	n := math.Ceil(x - 1e-9*max(1, x))
	if !(n < math.MaxInt32) {
		return math.MaxInt32, nil
	}
	return int(n), nil
}

// capFor is the number of samples of one per period that fit in span, plus
// slack; small when either is unknown.
func capFor(span, period float64) int {
	if !(period > 0) || !(span > 0) {
		return 4
	}
	return 2 * (int(math.Min(span/period, 1<<16)) + 2)
}

// rules is ScalingRules resolved for the controller.
type rules struct {
	stab     float64 // seconds
	policies []policyRule
	sel      Select
	longest  float64 // the longest policy period, seconds
}

type policyRule struct {
	percent bool
	value   int
	period  float64 // seconds
}

func newRules(s ScalingRules) rules {
	r := rules{stab: s.Stabilization.Seconds(), sel: s.Select}
	if r.sel == "" {
		r.sel = SelectMax
	}
	for _, p := range s.Policies {
		r.policies = append(r.policies, policyRule{percent: p.Type == PolicyPercent, value: p.Value, period: p.Period.Seconds()})
		r.longest = math.Max(r.longest, p.Period.Seconds())
	}
	return r
}

// stamped is a replica count with the time it was recorded: a
// recommendation, or the size of a scale event.
type stamped struct {
	t float64
	n int
}

// hpaRun is one HPA controller for one run.
type hpaRun struct {
	metrics        []HPAMetric
	min, max       int
	window, delay  float64 // seconds
	tolUp, tolDown float64
	up, down       rules
	legacy         bool
	guard          float64 // CeilGuard
	upFactor       int     // scaleUpLimitFactor of the legacy path, 2
	request        float64 // cores
	cpuJob         float64 // core-seconds per job; 0: a busy box uses its request
	exact          bool    // HPA.exact
	lateUnready    bool    // cpu: boxes ready since the window began are unready
	bootingMissing bool    // cpu: booting boxes are missing rather than unready
	started        bool
	recs           stampLog        // unstabilized recommendations
	upEvents       eventLog        // boxes added by each scale up
	downEvents     eventLog        // boxes removed by each scale down
	last           policy.Decision // the last reconciliation, for LastDecision
	lastOK         bool
}

// initialAge is how long before the first reconciliation's own time its
// initial recommendation counts as recorded: the controller records it
// (recordInitialRecommendation) a moment before it stabilizes, so a 0 s
// window does not see it.
const initialAge = 1e-6

// Desired runs one reconciliation (reconcileAutoscaler) at o.Time.
func (c *hpaRun) Desired(o *policy.Observation) int {
	now := o.Time
	current := o.Ready + o.Booting
	if !c.started { // recordInitialRecommendation
		c.started = true
		c.recs.add(math.Inf(-1), stamped{now - initialAge, current})
	}
	var desired int
	c.lastOK = false
	switch {
	case current == 0 && c.min != 0:
		// Scaling is disabled while the target has no replicas.
		return 0
	case c.max > 0 && current > c.max:
		desired = c.max
	case current < c.min:
		desired = c.min
	default:
		proposal, ok := c.proposals(o, current)
		if !ok {
			return current // no valid metrics: no action
		}
		c.last = policy.Decision{Wanted: proposal, Stabilized: proposal, Min: c.min, Max: c.max}
		if c.legacy {
			desired = c.normalizeLegacy(now, current, proposal)
		} else {
			desired = c.normalize(now, current, proposal)
		}
		c.last.Desired, c.lastOK = desired, true
	}
	if desired != current && !c.legacy { // storeScaleEvent
		if desired > current {
			c.upEvents.add(now, c.up.longest, desired-current)
		} else {
			c.downEvents.add(now, c.down.longest, current-desired)
		}
	}
	return desired
}

// proposals is computeReplicasForMetrics: the largest of the metrics'
// proposals; ok is false (no action) when every metric is invalid, or
// some are and the largest valid proposal is below current.
func (c *hpaRun) proposals(o *policy.Observation, current int) (int, bool) {
	m, ok := o.Metrics(c.window, c.delay)
	replicas, invalid := 0, 0
	for i := range c.metrics {
		p, valid := c.proposal(&c.metrics[i], &m, ok, o, current)
		if !valid {
			invalid++
			continue
		}
		if replicas == 0 || p > replicas {
			replicas = p
		}
	}
	if invalid >= len(c.metrics) || invalid > 0 && replicas < current {
		return 0, false
	}
	return replicas, true
}

// proposal is one metric's count (computeReplicasForMetric), or valid
// false when the controller could not compute one.
func (c *hpaRun) proposal(mt *HPAMetric, m *policy.Metrics, ok bool, o *policy.Observation, current int) (int, bool) {
	if !ok {
		return 0, false
	}
	switch mt.Type {
	case SourceObject, SourceExternal:
		t := total(mt.Signal, m)
		if !(t >= 0) || math.IsInf(t, 0) {
			return 0, false
		}
		usage, target := milli(t), milliTarget(mt.Target)
		if mt.TargetType == TargetValue {
			return c.usageRatioCount(current, usage/target, o.Ready)
		}
		// GetObjectPerPodMetricReplicas, GetExternalPerPodMetricReplicas:
		// statusReplicas is every pod, ready or not.
		ratio := usage / (target * float64(current))
		if c.within(ratio) {
			return current, true
		}
		return c.ceilCount(usage / target), true
	case SourceResource, SourceContainerResource, SourcePods:
		return c.podsProposal(mt, m, o, current)
	}
	return 0, false // an unknown source type (the API refuses it)
}

// usageRatioCount is getUsageRatioReplicaCount: at 0 replicas
// ceil(ratio), which lets an Object or External metric scale from zero;
// otherwise the current count within the tolerance, else
// ceil(ratio × ready pods).
func (c *hpaRun) usageRatioCount(current int, ratio float64, ready int) (int, bool) {
	if current == 0 {
		return c.ceilCount(ratio), true
	}
	if c.within(ratio) {
		return current, true
	}
	return c.ceilCount(ratio * float64(ready)), true
}

// total is a signal summed over the boxes, for Object and External
// metrics.
func total(s Metric, m *policy.Metrics) float64 {
	switch s {
	case MetricJobRate:
		return m.JobRate
	case MetricConcurrency:
		return m.Busy + m.Queued
	case MetricQueue:
		return m.Queued
	}
	return m.Demand
}

// coresPerBusy is the cores a busy box uses.
func (c *hpaRun) coresPerBusy(latency float64) float64 {
	if c.cpuJob > 0 && latency > 0 {
		return c.cpuJob / latency
	}
	return c.request
}

// podsProposal is GetResourceReplicas (a cpu Utilization target) and
// calcPlainMetricReplicas (Pods metrics and cpu AverageValue) over the boxes
// grouped as groupPods does.
func (c *hpaRun) podsProposal(mt *HPAMetric, m *policy.Metrics, o *policy.Observation, current int) (int, bool) {
	if o.Ready+o.Booting <= 0 || !(m.Ready > 0) {
		return 0, false // no pods, or none with a sample
	}
	cpu := mt.Signal == MetricCPU
	var avg float64 // per sampled box, in the target's unit
	switch mt.Signal {
	case MetricCPU:
		avg = m.Busy / m.Ready * c.coresPerBusy(o.Latency)
		if mt.TargetType == TargetUtilization {
			avg /= c.request
		}
	default:
		avg = total(mt.Signal, m) / m.Ready
	}
	if !(avg >= 0) || math.IsInf(avg, 0) {
		return 0, false
	}
	g := c.group(cpu, o.Ready, o.Booting, m.Ready)
	if g.sampled <= 0 {
		return 0, false // did not receive metrics for targeted pods
	}
	g.avg = avg
	if cpu && mt.TargetType == TargetUtilization {
		return c.resourceReplicas(current, g, mt.Target*100), true
	}
	return c.plainReplicas(current, g, mt.Target), true
}

// group is groupPods in counts: of ready boxes, those the window saw ready
// throughout (seen, its mean ready count) have a sample; the others became
// ready since it began, unready for cpu within the initialization period and
// missing otherwise; booting boxes are unready (missing for cpu when older
// than the initialization period with no initial readiness delay).
func (c *hpaRun) group(cpu bool, ready, booting int, seen float64) podGroups {
	sampled := min(ready, int(math.Floor(seen+1e-9)))
	late := ready - sampled
	g := podGroups{sampled: sampled, unready: booting, missing: late}
	if cpu {
		if c.lateUnready {
			g.unready, g.missing = g.unready+late, 0
		}
		if c.bootingMissing {
			g.unready, g.missing = g.unready-booting, g.missing+booting
		}
	}
	return g
}

// podGroups is the outcome of groupPods in counts: pods with a sample and
// their mean, unready pods and ready pods with no sample.
type podGroups struct {
	sampled          int
	avg              float64
	unready, missing int
}

// resourceReplicas is GetResourceReplicas for a utilization target of
// targetPct percent; g.avg is the sampled boxes' mean usage as a fraction
// of their request. Utilization is truncated to a whole percent
// (GetResourceUtilizationRatio).
func (c *hpaRun) resourceReplicas(current int, g podGroups, targetPct float64) int {
	util := floorPct(g.avg * 100)
	ratio := util / targetPct
	upWithUnready := g.unready > 0 && ratio > 1
	if !upWithUnready && g.missing == 0 {
		if c.within(ratio) {
			return current
		}
		return c.ceilCount(ratio * float64(g.sampled))
	}
	sum, n := g.avg*100*float64(g.sampled), g.sampled
	if g.missing > 0 {
		switch {
		case ratio < 1: // fallbackUtilization: max(100, target) percent
			sum += float64(g.missing) * math.Max(100, targetPct)
			n += g.missing
		case ratio > 1:
			n += g.missing
		}
	}
	if upWithUnready {
		n += g.unready
	}
	newRatio := floorPct(sum/float64(n)) / targetPct
	return c.recount(current, ratio, newRatio, n)
}

// plainReplicas is calcPlainMetricReplicas for a per-box target, in
// milli-units as the controller counts them: the sampled boxes' total is a
// whole number of milli-units and their mean is truncated
// (GetMetricUsageRatio); the target is its MilliValue.
func (c *hpaRun) plainReplicas(current int, g podGroups, targetValue float64) int {
	if c.exact {
		return c.plainReplicasExact(current, g, targetValue)
	}
	target := milliTarget(targetValue)
	sum := milli(g.avg * float64(g.sampled))
	ratio := math.Floor(sum/float64(g.sampled)) / target
	upWithUnready := g.unready > 0 && ratio > 1
	if !upWithUnready && g.missing == 0 {
		if c.within(ratio) {
			return current
		}
		return c.ceilCount(ratio * float64(g.sampled))
	}
	n := g.sampled
	if g.missing > 0 {
		switch {
		case ratio < 1: // missing pods use exactly the target
			sum += float64(g.missing) * target
			n += g.missing
		case ratio > 1:
			n += g.missing
		}
	}
	if upWithUnready {
		n += g.unready
	}
	return c.recount(current, ratio, math.Floor(sum/float64(n))/target, n)
}

// plainReplicasExact is plainReplicas on floats (HoldUtilization).
func (c *hpaRun) plainReplicasExact(current int, g podGroups, target float64) int {
	ratio := g.avg / target
	upWithUnready := g.unready > 0 && ratio > 1
	if !upWithUnready && g.missing == 0 {
		if c.within(ratio) {
			return current
		}
		return c.ceilCount(ratio * float64(g.sampled))
	}
	sum, n := g.avg*float64(g.sampled), g.sampled
	if g.missing > 0 {
		switch {
		case ratio < 1:
			sum += float64(g.missing) * target
			n += g.missing
		case ratio > 1:
			n += g.missing
		}
	}
	if upWithUnready {
		n += g.unready
	}
	return c.recount(current, ratio, sum/float64(n)/target, n)
}

// milli is a value in whole milli-units, as a metric's int64 milli-value,
// forgiving float noise of 1e-9 relative.
func milli(v float64) float64 {
	x := v * 1000
	return math.Floor(x + 1e-9*max(1, x))
}

// milliTarget is a target's MilliValue, which rounds up, forgiving float
// noise of 1e-9 relative; at least 1.
func milliTarget(v float64) float64 {
	x := v * 1000
	return math.Max(1, math.Ceil(x-1e-9*max(1, x)))
}

// recount is the end of both replica calculators: no change when the
// recounted ratio is within the tolerance or reverses the direction, or
// when the count would move against it.
func (c *hpaRun) recount(current int, ratio, newRatio float64, n int) int {
	if c.within(newRatio) || ratio < 1 && newRatio > 1 || ratio > 1 && newRatio < 1 {
		return current
	}
	replicas := c.ceilCount(newRatio * float64(n))
	if newRatio < 1 && replicas > current || newRatio > 1 && replicas < current {
		return current
	}
	return replicas
}

// floorPct truncates a utilization in percent to a whole percent, as
// int32(total × 100 / requests) does, forgiving float noise of 1e-9.
func floorPct(pct float64) float64 {
	return math.Floor(pct + 1e-9*max(1, pct))
}

// within is Tolerances.isWithin: (1 − down) ≤ ratio ≤ (1 + up).
func (c *hpaRun) within(ratio float64) bool {
	return 1-c.tolDown <= ratio && ratio <= 1+c.tolUp
}

// ceilCount rounds a replica count up as the controller does,
// int32(math.Ceil(x)), forgiving c.guard relative (0 by default), and
// keeps it within an int32.
func (c *hpaRun) ceilCount(x float64) int {
	r := math.Ceil(x - c.guard*max(1, x))
	switch {
	case !(r > 0):
		return 0
	case r >= math.MaxInt32:
		return math.MaxInt32
	}
	return int(r)
}

// normalize is normalizeDesiredReplicasWithBehaviors: stabilize, then limit
// the rate and clamp to [min, max].
func (c *hpaRun) normalize(now float64, current, proposal int) int {
	rec := c.stabilize(now, current, proposal)
	c.last.Stabilized = rec
	return c.rate(now, current, rec)
}

// stabilize is stabilizeRecommendationWithBehaviors: it records proposal
// and returns the stabilized recommendation.
func (c *hpaRun) stabilize(now float64, current, proposal int) int {
	// stabilizeRecommendationWithBehaviors: the count is current brought
	// within [upRec, downRec], the min and max of the proposals strictly
	// newer than each cutoff, this one included. Only one bound can bind:
	// upRec ≤ proposal ≤ downRec, so for proposal ≥ current downRec does
	// not, and for proposal ≤ current upRec does not.
	upCut, downCut := now-c.up.stab, now-c.down.stab
	rec := current
	switch {
	case proposal > current:
		upRec := proposal
		for _, r := range c.recs.live() {
			if r.t > upCut {
				upRec = min(upRec, r.n)
			}
		}
		rec = max(current, upRec)
	case proposal < current:
		downRec := proposal
		for _, r := range c.recs.live() {
			if r.t > downCut {
				downRec = max(downRec, r.n)
			}
		}
		rec = min(current, downRec)
	}
	c.recs.add(min(upCut, downCut), stamped{now, proposal})
	return rec
}

// rate is convertDesiredReplicasWithBehaviorRate: rec limited by the
// scaling policies and clamped to [min, max].
func (c *hpaRun) rate(now float64, current, rec int) int {
	// convertDesiredReplicasWithBehaviorRate.
	switch {
	case rec > current:
		limit := c.upLimit(now, current)
		if limit < current {
			limit = current
		}
		allowed := limit
		if c.max > 0 && c.max < limit {
			allowed = c.max
		}
		return min(rec, allowed)
	case rec < current:
		limit := c.downLimit(now, current)
		if limit > current {
			limit = current
		}
		return max(rec, c.min, limit)
	}
	return rec
}

// periodStart is the count at the start of a policy's period: the current
// count less what was added within it and plus what was removed.
func (c *hpaRun) periodStart(now float64, current int, period float64) int {
	cut := now - period
	start := current
	for _, e := range c.upEvents.ev {
		if e.t > cut {
			start -= e.n
		}
	}
	for _, e := range c.downEvents.ev {
		if e.t > cut {
			start += e.n
		}
	}
	return start
}

// upLimit is calculateScaleUpLimitWithScalingRules: the most boxes the
// scale-up policies allow now.
func (c *hpaRun) upLimit(now float64, current int) int {
	if c.up.sel == SelectDisabled {
		return current
	}
	if len(c.up.policies) == 0 {
		return math.MaxInt32
	}
	result := math.MinInt32
	if c.up.sel == SelectMin {
		result = math.MaxInt32
	}
	for _, p := range c.up.policies {
		start := c.periodStart(now, current, p.period)
		var proposed int
		if p.percent {
			// Rounded up, so that a small percentage still adds a box.
			proposed = int(math.Ceil(float64(start) * (1 + float64(p.value)/100)))
		} else {
			proposed = start + p.value
		}
		if c.up.sel == SelectMin {
			result = min(result, proposed)
		} else {
			result = max(result, proposed)
		}
	}
	return result
}

// downLimit is calculateScaleDownLimitWithBehaviors: the fewest boxes the
// scale-down policies allow now.
func (c *hpaRun) downLimit(now float64, current int) int {
	if c.down.sel == SelectDisabled {
		return current
	}
	if len(c.down.policies) == 0 {
		return 0
	}
	result := math.MaxInt32
	if c.down.sel == SelectMin {
		result = math.MinInt32
	}
	for _, p := range c.down.policies {
		start := c.periodStart(now, current, p.period)
		var proposed int
		if p.percent {
			// Truncated: the change is rounded up.
			proposed = int(float64(start) * (1 - float64(p.value)/100))
		} else {
			proposed = start - p.value
		}
		if c.down.sel == SelectMin {
			result = max(result, proposed)
		} else {
			result = min(result, proposed)
		}
	}
	return result
}

// normalizeLegacy is normalizeDesiredReplicas, the path of an HPA without a
// behavior field: the highest proposal of the downscale stabilization window
// (stabilizeRecommendation, which counts proposals at or after the cutoff),
// then convertDesiredReplicasWithRules.
func (c *hpaRun) normalizeLegacy(now float64, current, proposal int) int {
	cut := now - c.down.stab
	rec := proposal
	for _, r := range c.recs.live() {
		if r.t >= cut {
			rec = max(rec, r.n)
		}
	}
	c.recs.add(math.Nextafter(cut, math.Inf(-1)), stamped{now, proposal})
	c.last.Stabilized = rec
	// calculateScaleUpLimit: max(2 × current, 4).
	allowed := max(c.upFactor*current, 4)
	if c.max > 0 && c.max < allowed {
		allowed = c.max
	}
	switch {
	case rec < c.min:
		return c.min
	case rec > allowed:
		return allowed
	}
	return rec
}

// eventLog is the controller's scale-event log of one direction
// (storeScaleEvent): an event older than the direction's longest policy
// period is outdated, and a new event takes the place of the last outdated
// one, or is appended when none is. Outdated events stay until replaced and
// still count for the other direction's policies when their periods are
// longer (a scale down within 300 s of a scale up counts it even when the
// scale-up policies look back 30 s only). The log holds at most one event
// per sync within the longest period, plus one.
type eventLog struct {
	ev []stamped
}

func newEventLog(n int) eventLog { return eventLog{ev: make([]stamped, 0, n)} }

// add records n boxes changed at now (markScaleEventsOutdated, then the
// replacement or append of storeScaleEvent).
func (l *eventLog) add(now, longest float64, n int) {
	cut := now - longest
	last := -1
	for i, e := range l.ev {
		if e.t < cut {
			last = i
		}
	}
	if last >= 0 {
		l.ev[last] = stamped{now, n}
		return
	}
	l.ev = append(l.ev, stamped{now, n})
}

// stampLog is a time-ordered record that forgets its oldest entries
// without copying on every call: live entries are s[head:], and the slice
// is compacted only when it is full.
type stampLog struct {
	s    []stamped
	head int
}

func newStampLog(n int) stampLog { return stampLog{s: make([]stamped, 0, n)} }

// live is the entries kept, oldest first.
func (l *stampLog) live() []stamped { return l.s[l.head:] }

// add forgets the entries at or before cut (they can no longer count:
// cutoffs only move forward) and appends e.
func (l *stampLog) add(cut float64, e stamped) {
	for l.head < len(l.s) && l.s[l.head].t <= cut {
		l.head++
	}
	if len(l.s) == cap(l.s) && l.head > 0 {
		l.s = l.s[:copy(l.s, l.s[l.head:])]
		l.head = 0
	}
	l.s = append(l.s, e)
}

// LastDecision is the HPA's last reconciliation, explained.
func (c *hpaRun) LastDecision() (*policy.Decision, bool) { return &c.last, c.lastOK }

// clamp bounds n to [lo, hi]; hi ≤ 0 means no upper bound.
func clamp(n, lo, hi int) int {
	if hi > 0 && n > hi {
		n = hi
	}
	if n < lo {
		n = lo
	}
	return n
}
