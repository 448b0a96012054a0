package policy

import (
	"fmt"
	"math"
	"time"

	"github.com/boxes-project/boxes"
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
//  1. leaves the count alone if it is 0 ("implicit maintenance-mode
//     deactivation"), sets it to MaxReplicas if above, to MinReplicas if
//     below, and otherwise:
//  2. reads the metric (see Metric) over the Window that ended Delay ago:
//     its total over the ready boxes divided by the mean number of ready
//     boxes the window saw, and the usage ratio to the target,
//     ratio = currentMetricValue / desiredMetricValue;
//  3. proposes desired = ceil(ready × ratio), or keeps currentReplicas when
//     1 − ScaleDown.Tolerance ≤ ratio ≤ 1 + ScaleUp.Tolerance. Booting boxes
//     count as using 0 of the metric when the ratio says scale up (and are
//     left out otherwise); ready boxes that have no sample yet (they became
//     ready after the window) count as 0 on a scale up and as the target
//     (100% for cpu) on a scale down. If that recount lands within the
//     tolerance or reverses the direction, the count stays;
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
// Departures from the controller, each small: one metric per HPA (the
// controller takes the largest proposal of several); Pods metrics are kept
// as floats, where the controller rounds averages to milli-units (cpu
// utilization is truncated to a whole percent, as the controller does);
// replica counts are rounded up with a guard of 1e-9 relative against float
// noise from averaging (as boxes.CapacityFor does); and an empty Policies
// list means no rate limit, where Kubernetes requires at least one policy.
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
}

// Metric names what an HPA scales on.
type Metric string

const (
	// MetricCPU is a Resource metric (cpu) with an averageUtilization
	// target: the share of each ready box's time spent on jobs,
	// Metrics.BusyFraction, which cannot exceed 100%. An overloaded system
	// shows 100% however far behind it is, so one sync scales by at most
	// 1/Target.
	MetricCPU Metric = "cpu"
	// MetricUtilization is the first seed's Utilization per ready box,
	// JobRate × Latency / Ready (Metrics.Utilization), as a Pods metric with
	// an AverageValue target. It is not capped: at 3 it asks for three
	// times the boxes.
	MetricUtilization Metric = "utilization"
	// MetricJobRate is jobs arriving per second per ready box
	// (JobRate / Ready), as a Pods metric with an AverageValue target in
	// jobs/s: what an ingress or load balancer counts. It is
	// MetricUtilization in other units: TargetRate = Target / Latency.
	MetricJobRate Metric = "jobrate"
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

// Kubernetes defaults (k8s.io/kubernetes pkg/apis/autoscaling/v2 defaults,
// kube-controller-manager flags, metrics-server's upstream manifests).
const (
	DefaultSyncPeriod        = 15 * time.Second  // --horizontal-pod-autoscaler-sync-period
	DefaultTolerance         = 0.1               // --horizontal-pod-autoscaler-tolerance
	DefaultDownStabilization = 300 * time.Second // --horizontal-pod-autoscaler-downscale-stabilization
	DefaultMetricWindow      = 15 * time.Second  // metrics-server --metric-resolution
	DefaultMetricDelay       = 15 * time.Second  // one scrape interval
	DefaultCPUTarget         = 0.8               // the API's default metric: cpu at 80%
)

// DefaultHPA is an HPA as Kubernetes v1.35 defaults it: cpu at 80%, at
// least one box and no maximum, a 15 s sync, a tolerance of 0.1 both ways,
// and the default behavior:
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
	return HPA{
		Metric:      MetricCPU,
		Target:      DefaultCPUTarget,
		MinReplicas: 1,
		SyncPeriod:  DefaultSyncPeriod,
		Window:      DefaultMetricWindow,
		Delay:       DefaultMetricDelay,
		ScaleUp: ScalingRules{
			Policies: []ScalingPolicy{
				{Type: PolicyPercent, Value: 100, Period: 15 * time.Second},
				{Type: PolicyPods, Value: 4, Period: 15 * time.Second},
			},
			Select:    SelectMax,
			Tolerance: DefaultTolerance,
		},
		ScaleDown: ScalingRules{
			Stabilization: DefaultDownStabilization,
			Policies:      []ScalingPolicy{{Type: PolicyPercent, Value: 100, Period: 15 * time.Second}},
			Select:        SelectMax,
			Tolerance:     DefaultTolerance,
		},
	}
}

// HoldUtilization is the first seed's plain scaler, "hold Utilization at a
// target", as an HPA with its knobs turned off: the utilization metric of
// the last engine step with no delay, a decision every step, no tolerance,
// no stabilization and no rate limit. With every box ready it asks for
//
//	Capacity = ceil(JobRate × Latency / target)
//
// boxes (at least one), as boxes.CapacityFor does.
func HoldUtilization(target float64) HPA {
	return HPA{Metric: MetricUtilization, Target: target, MinReplicas: 1}
}

// Validate reports the first knob out of range, naming it.
func (h HPA) Validate() error {
	switch h.Metric {
	case "", MetricCPU, MetricUtilization:
		if !(h.Target > 0 && h.Target <= 1) {
			return fmt.Errorf("policy: hpa: target %g must be in (0, 1]", h.Target)
		}
		if h.Metric != MetricUtilization {
			if p := h.Target * 100; math.Abs(p-math.Round(p)) > 1e-9 {
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
	if h.MinReplicas < 0 {
		return fmt.Errorf("policy: hpa: minReplicas %d must not be negative", h.MinReplicas)
	}
	if h.MaxReplicas < 0 {
		return fmt.Errorf("policy: hpa: maxReplicas %d must not be negative (0 means no bound)", h.MaxReplicas)
	}
	if h.MaxReplicas > 0 && h.MaxReplicas < max(h.MinReplicas, 1) {
		return fmt.Errorf("policy: hpa: maxReplicas %d must be at least minReplicas %d", h.MaxReplicas, max(h.MinReplicas, 1))
	}
	for _, d := range []struct {
		name string
		d    time.Duration
	}{{"syncPeriod", h.SyncPeriod}, {"window", h.Window}, {"delay", h.Delay}} {
		if d.d < 0 {
			return fmt.Errorf("policy: hpa: %s %v must not be negative", d.name, d.d)
		}
	}
	if err := h.ScaleUp.validate("scaleUp"); err != nil {
		return err
	}
	return h.ScaleDown.validate("scaleDown")
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
// settle on for Env.InitialRate: ceil(InitialRate × Latency / Target)
// (InitialRate / TargetRate for jobrate), within [MinReplicas, MaxReplicas].
func (h HPA) Start(env Env) (Run, error) {
	if err := h.Validate(); err != nil {
		return Run{}, err
	}
	if !(env.InitialRate >= 0) || math.IsInf(env.InitialRate, 0) {
		return Run{}, fmt.Errorf("policy: hpa: env initial rate %g jobs/s must be finite and non-negative", env.InitialRate)
	}
	c := &hpaRun{
		metric:  h.Metric,
		target:  h.Target,
		min:     max(h.MinReplicas, 1),
		max:     h.MaxReplicas,
		window:  h.Window.Seconds(),
		delay:   h.Delay.Seconds(),
		tolUp:   h.ScaleUp.Tolerance,
		tolDown: h.ScaleDown.Tolerance,
		up:      newRules(h.ScaleUp),
		down:    newRules(h.ScaleDown),
		legacy:  h.Legacy,
	}
	if c.metric == "" {
		c.metric = MetricCPU
	}
	switch c.metric {
	case MetricCPU:
		c.targetPct = math.Round(h.Target * 100)
	case MetricJobRate:
		c.target = float64(h.TargetRate)
	}
	if c.window == 0 {
		c.window = env.Step
		if !(c.window > 0) {
			c.window = 1
		}
	}
	initial := 0
	if env.InitialRate > 0 {
		if c.metric == MetricJobRate {
			// ceil(InitialRate / TargetRate): CapacityFor with a latency of
			// one second and the rate as the "utilization".
			initial = boxes.CapacityFor(boxes.Rate(env.InitialRate), time.Second, c.target)
		} else {
			if !(env.Latency > 0) || math.IsInf(env.Latency, 0) {
				return Run{}, fmt.Errorf("policy: hpa: env latency %g s must be positive", env.Latency)
			}
			initial = boxes.CapacityFor(boxes.Rate(env.InitialRate), seconds(env.Latency), h.Target)
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
	c.upEvents = newStampLog(capFor(c.up.longest, period))
	c.downEvents = newStampLog(capFor(c.down.longest, period))
	return Run{
		Policy:   c,
		Initial:  initial,
		Period:   h.SyncPeriod.Seconds(),
		Lookback: c.window + c.delay,
	}, nil
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
	metric         Metric
	target         float64 // per-box target: a fraction, or jobs/s for jobrate
	targetPct      float64 // cpu: the whole-percent target
	min, max       int
	window, delay  float64 // seconds
	tolUp, tolDown float64
	up, down       rules
	legacy         bool
	started        bool
	recs           stampLog // unstabilized recommendations
	upEvents       stampLog // boxes added by each scale up
	downEvents     stampLog // boxes removed by each scale down
}

// Desired runs one reconciliation (reconcileAutoscaler) at o.Time.
func (c *hpaRun) Desired(o *Observation) int {
	now := o.Time
	current := o.Ready + o.Booting
	if !c.started { // recordInitialRecommendation
		c.started = true
		c.recs.add(math.Inf(-1), stamped{now, current})
	}
	var desired int
	switch {
	case current == 0:
		// Scaling is disabled while the target has no replicas.
		return 0
	case c.max > 0 && current > c.max:
		desired = c.max
	case current < c.min:
		desired = c.min
	default:
		proposal, ok := c.proposal(o, current)
		if !ok {
			return current // no metrics: no action
		}
		if c.legacy {
			desired = c.normalizeLegacy(now, current, proposal)
		} else {
			desired = c.normalize(now, current, proposal)
		}
	}
	if desired != current && !c.legacy { // storeScaleEvent
		if desired > current {
			c.upEvents.add(now-c.up.longest, stamped{now, desired - current})
		} else {
			c.downEvents.add(now-c.down.longest, stamped{now, current - desired})
		}
	}
	return desired
}

// proposal is the replica calculator (GetResourceReplicas for cpu,
// calcPlainMetricReplicas for the Pods metrics): the count the metric asks
// for, or ok false when there are no metrics to act on.
func (c *hpaRun) proposal(o *Observation, current int) (int, bool) {
	m, ok := o.Metrics(c.window, c.delay)
	if !ok || !(m.Ready > 0) || o.Ready <= 0 {
		return 0, false
	}
	var avg float64 // per ready box over the window
	switch c.metric {
	case MetricCPU:
		avg = min(1, m.Busy/m.Ready)
	case MetricUtilization:
		avg = m.Demand / m.Ready
	default:
		avg = m.JobRate / m.Ready
	}
	if !(avg >= 0) {
		return 0, false
	}
	ready, booting := float64(o.Ready), float64(o.Booting)
	// Ready boxes with a sample: the window saw m.Ready boxes on average;
	// boxes ready now beyond those became ready since and have none yet.
	sampled := min(ready, m.Ready)
	missing := ready - sampled
	if missing <= 1e-9*ready {
		sampled, missing = ready, 0
	}
	ratio := c.ratio(avg)
	upWithUnready := booting > 0 && ratio > 1
	if !upWithUnready && missing == 0 {
		if c.within(ratio) {
			return current, true
		}
		return ceilCount(ratio * ready), true
	}
	sum, n := avg*sampled, sampled
	if missing > 0 {
		switch {
		case ratio < 1: // a box with no sample uses the target (100% for cpu)
			sum += missing * c.fill()
			n += missing
		case ratio > 1: // ... or nothing
			n += missing
		}
	}
	if upWithUnready {
		n += booting
	}
	newRatio := c.ratio(sum / n)
	if c.within(newRatio) || ratio < 1 && newRatio > 1 || ratio > 1 && newRatio < 1 {
		return current, true
	}
	replicas := ceilCount(newRatio * n)
	if newRatio < 1 && replicas > current || newRatio > 1 && replicas < current {
		return current, true
	}
	return replicas, true
}

// ratio is currentMetricValue / desiredMetricValue for a per-box average.
// For cpu the utilization is truncated to a whole percent first, as
// GetResourceUtilizationRatio does with int32(total × 100 / requests).
func (c *hpaRun) ratio(avg float64) float64 {
	if c.metric == MetricCPU {
		return math.Floor(avg*100+1e-9) / c.targetPct
	}
	return avg / c.target
}

// fill is the value a ready box without a sample is assumed to have on a
// scale down: the target for a Pods metric, 100% of its request for cpu.
func (c *hpaRun) fill() float64 {
	if c.metric == MetricCPU {
		// fallbackUtilization: max(100, target) percent of the request.
		return math.Max(1, c.targetPct/100)
	}
	return c.target
}

// within is Tolerances.isWithin: (1 − down) ≤ ratio ≤ (1 + up).
func (c *hpaRun) within(ratio float64) bool {
	return 1-c.tolDown <= ratio && ratio <= 1+c.tolUp
}

// ceilCount rounds a replica count up, forgiving float noise of 1e-9
// relative, and keeps it within an int32 as the controller does.
func ceilCount(x float64) int {
	c := math.Ceil(x - 1e-9*max(1, x))
	switch {
	case !(c > 0):
		return 0
	case c >= math.MaxInt32:
		return math.MaxInt32
	}
	return int(c)
}

// normalize is normalizeDesiredReplicasWithBehaviors: stabilize, then limit
// the rate and clamp to [min, max].
func (c *hpaRun) normalize(now float64, current, proposal int) int {
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
	for _, e := range c.upEvents.live() {
		if e.t > cut {
			start -= e.n
		}
	}
	for _, e := range c.downEvents.live() {
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
	// calculateScaleUpLimit: max(2 × current, 4).
	allowed := max(2*current, 4)
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
