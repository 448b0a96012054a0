package aws

import (
	"fmt"
	"github.com/boxes-project/boxes/policy"
	"math"
	"time"
)

// This file holds what the AWS scalers share: the metrics they can scale on
// and the CloudWatch side (datapoints of one metric period, published late,
// and alarms that count breaching datapoints). The kinds are in
// aws_target.go (target tracking), aws_step.go (step and simple scaling) and
// aws_predictive.go (the predictive-scaling stand-in).
//
// Sources (read 2026-12-04 from the stored copies the search tool serves):
//
//	[tt]   Application Auto Scaling User Guide, "Target tracking scaling policies"
//	       https://docs.aws.amazon.com/autoscaling/application/userguide/application-auto-scaling-target-tracking.html
//	[ttc]  Application Auto Scaling API Reference, TargetTrackingScalingPolicyConfiguration
//	       (API version 2016-02-06): ScaleInCooldown, ScaleOutCooldown, DisableScaleIn
//	       http://docs.aws.amazon.com/ApplicationAutoScaling/latest/APIReference/API_TargetTrackingScalingPolicyConfiguration.html
//	[cdk]  AWS CDK v2 aws_applicationautoscaling BasicTargetTrackingScalingPolicyProps:
//	       cooldown defaults of 300 s (ECS, Spot Fleet, EMR, AppStream, Aurora, SageMaker,
//	       custom resources) and 0 s (DynamoDB, Comprehend, Lambda provisioned concurrency, ...)
//	[psp]  AWS CLI v2 reference, application-autoscaling put-scaling-policy: "precedence to
//	       the policy that provides the largest capacity for both scale out and scale in"
//	[ec2]  EC2 Auto Scaling User Guide: as-scaling-target-tracking.md, as-scaling-simple-step.md,
//	       Cooldown.md, ec2-auto-scaling-predictive-scaling.md (awsdocs/amazon-ec2-auto-scaling-user-guide)
//
// What AWS does not publish, and boxes assumes (each is a setting):
//   - the alarms target tracking creates: 3 of 3 datapoints above the target
//     to scale out, 15 of 15 below 90% of it to scale in. AWS's guides give
//     no number; these are the alarms `aws cloudwatch describe-alarms` shows
//     for Application Auto Scaling policies in public output (AWS Copilot's
//     docs print "> 70.00 for 3 datapoints within 3 minutes" and "< 63.00 for
//     15 datapoints within 15 minutes"). EC2 Auto Scaling groups have been
//     seen with a lower scale-in threshold (about 0.7 × target).
//   - how late a datapoint is published: one metric period by default.
//   - that an alarm in ALARM invokes its policy once per metric period, at
//     each new datapoint, for as long as it stays in ALARM.

// AWSMetric names what an AWS scaler measures.
type AWSMetric string

const (
	// AWSCPU is average CPU utilization in percent (ASGAverageCPUUtilization,
	// ECSServiceAverageCPUUtilization): 100 × policy.Metrics.BusyFraction.
	AWSCPU AWSMetric = "cpu"
	// AWSRequestsPerTarget is ALBRequestCountPerTarget: requests per target
	// per metric period (the Sum statistic), JobRate × period / Ready.
	AWSRequestsPerTarget AWSMetric = "alb_requests_per_target"
	// AWSBacklogPerInstance is the SQS backlog per instance AWS recommends
	// for queue consumers: messages waiting over running instances,
	// Queued / Ready.
	AWSBacklogPerInstance AWSMetric = "sqs_backlog_per_instance"
)

// valid reports whether m names a metric.
func (m AWSMetric) valid() bool {
	switch m {
	case AWSCPU, AWSRequestsPerTarget, AWSBacklogPerInstance:
		return true
	}
	return false
}

// value is the metric's datapoint for window averages w over a period of
// p seconds; ok is false when the metric has no datapoint (no ready box for
// cpu: CloudWatch has no instance to average). With no ready box the
// per-target metrics count the whole load against one target.
func (m AWSMetric) value(w policy.Metrics, p float64) (v float64, ok bool) {
	ready := w.Ready
	switch m {
	case AWSCPU:
		if ready <= 0 {
			return 0, false
		}
		return 100 * w.BusyFraction(), true
	case AWSRequestsPerTarget:
		return w.JobRate * p / math.Max(ready, 1), true
	case AWSBacklogPerInstance:
		return w.Queued / math.Max(ready, 1), true
	}
	return 0, false
}

// perBoxLoad is what one box contributes to the metric at full load for a
// workload of rate jobs/s with latency s per job: the capacity a target
// needs is the load over the target (used for warm starts).
func (m AWSMetric) boxesFor(rate, latency, target, period float64) int {
	var need float64
	switch m {
	case AWSCPU:
		need = rate * latency * 100 / target
	case AWSRequestsPerTarget:
		need = rate * period / target
	default:
		return 0 // a backlog needs no boxes until it builds
	}
	return ceilGuard(need)
}

// ceilGuard rounds up, forgiving float noise of 1e-9 relative (3.0000000001
// is 3), and saturates at a large count.
func ceilGuard(x float64) int {
	if !(x > 0) {
		return 0
	}
	c := math.Ceil(x - 1e-9*math.Max(1, x))
	if c > 1e9 {
		return 1e9
	}
	return int(c)
}

// Comparison is a CloudWatch alarm's ComparisonOperator.
type Comparison string

const (
	GreaterOrEqual Comparison = "GreaterThanOrEqualToThreshold"
	Greater        Comparison = "GreaterThanThreshold"
	Less           Comparison = "LessThanThreshold"
	LessOrEqual    Comparison = "LessThanOrEqualToThreshold"
)

func (c Comparison) breaches(v, threshold float64) bool {
	switch c {
	case GreaterOrEqual:
		return v >= threshold
	case Greater:
		return v > threshold
	case Less:
		return v < threshold
	case LessOrEqual:
		return v <= threshold
	}
	return false
}

func (c Comparison) valid() bool {
	switch c {
	case GreaterOrEqual, Greater, Less, LessOrEqual:
		return true
	}
	return false
}

// scalesOut reports whether the comparison watches for a high metric.
func (c Comparison) scalesOut() bool { return c == GreaterOrEqual || c == Greater }

// Alarm is a CloudWatch metric alarm on the policy's metric: it is in ALARM
// when at least DatapointsToAlarm of the last EvaluationPeriods datapoints
// breach the Threshold ("M out of N"). A missing datapoint does not breach
// (TreatMissingData "missing" keeps the alarm from firing on no data).
type Alarm struct {
	Threshold         float64    `yaml:"threshold" doc:"value the metric is compared with"`
	Comparison        Comparison `yaml:"comparison" default:"GreaterThanOrEqualToThreshold" enum:"GreaterThanOrEqualToThreshold,GreaterThanThreshold,LessThanThreshold,LessThanOrEqualToThreshold" doc:"CloudWatch ComparisonOperator"`
	EvaluationPeriods int        `yaml:"evaluation_periods" default:"1" min:"1" max:"1440" doc:"N: datapoints the alarm looks at"`
	DatapointsToAlarm int        `yaml:"datapoints_to_alarm" default:"0" min:"0" max:"1440" doc:"M: breaching datapoints that put it in ALARM; 0 means N"`
}

func (a Alarm) validate(where string) error {
	switch {
	case math.IsNaN(a.Threshold) || math.IsInf(a.Threshold, 0):
		return fmt.Errorf("%s.threshold %g must be finite", where, a.Threshold)
	case !a.Comparison.valid():
		return fmt.Errorf("%s.comparison %.40q must be GreaterThanOrEqualToThreshold, GreaterThanThreshold, LessThanThreshold or LessThanOrEqualToThreshold", where, a.Comparison)
	case a.EvaluationPeriods < 1 || a.EvaluationPeriods > 1440:
		return fmt.Errorf("%s.evaluation_periods %d must be in [1, 1440]", where, a.EvaluationPeriods)
	case a.DatapointsToAlarm < 0 || a.DatapointsToAlarm > a.EvaluationPeriods:
		return fmt.Errorf("%s.datapoints_to_alarm %d must be in [0, evaluation_periods %d]", where, a.DatapointsToAlarm, a.EvaluationPeriods)
	}
	return nil
}

func (a Alarm) m() int {
	if a.DatapointsToAlarm == 0 {
		return a.EvaluationPeriods
	}
	return a.DatapointsToAlarm
}

// cloudwatch is the datapoint record of one metric: datapoint k averages
// [kP, (k+1)P) and is published at (k+1)P + delay.
type cloudwatch struct {
	metric AWSMetric
	period float64 // P, seconds
	delay  float64 // publication delay, seconds
	next   int     // index of the next datapoint to read
	vals   []float64
	ok     []bool
	ready  []float64 // mean ready boxes over each datapoint's period
	size   int       // ring length: the longest alarm's N
}

func newCloudwatch(m AWSMetric, period, delay float64, keep int) *cloudwatch {
	keep = max(keep, 1)
	return &cloudwatch{metric: m, period: period, delay: delay, size: keep,
		vals: make([]float64, keep), ok: make([]bool, keep), ready: make([]float64, keep)}
}

// reads are the windows update reads: the datapoints' periods.
func (c *cloudwatch) reads() []policy.Read {
	return []policy.Read{{Length: c.period, Aligned: true}}
}

// update reads every datapoint published by o.Time and reports how many
// were new.
func (c *cloudwatch) update(o *policy.Observation) int {
	newest := int(math.Floor((o.Time-c.delay)/c.period+1e-9)) - 1
	n := 0
	for ; c.next <= newest; c.next++ {
		k := c.next
		end := float64(k+1) * c.period
		i := k % c.size
		w, ok := o.Metrics(c.period, o.Time-end)
		v := 0.0
		if ok {
			v, ok = c.metric.value(w, c.period)
		}
		c.vals[i], c.ok[i], c.ready[i] = v, ok, w.Ready
		n++
	}
	return n
}

// inAlarm reports whether at least m of the last n datapoints satisfy
// breach. Datapoints before the first are missing.
func (c *cloudwatch) inAlarm(m, n int, breach func(float64) bool) bool {
	hits := 0
	for j := 1; j <= n && j <= c.size; j++ {
		k := c.next - j
		if k < 0 {
			break
		}
		i := k % c.size
		if c.ok[i] && breach(c.vals[i]) {
			hits++
		}
	}
	return hits >= m
}

// last is the newest datapoint.
func (c *cloudwatch) last() (v, ready float64, ok bool) {
	if c.next == 0 {
		return 0, 0, false
	}
	i := (c.next - 1) % c.size
	return c.vals[i], c.ready[i], c.ok[i]
}

// runPeriod is how often a policy on a CloudWatch metric of period p and
// delay d needs to be asked so as to see each datapoint as it is published:
// the greatest common divisor of the two in whole seconds (at least 1).
func runPeriod(p, d time.Duration) float64 {
	a, b := int64(p/time.Second), int64(d/time.Second)
	if p%time.Second != 0 || d%time.Second != 0 {
		return 1
	}
	for b != 0 {
		a, b = b, a%b
	}
	return float64(max(a, 1))
}

// capacityRange checks min and max capacities: 0 ≤ min, max 0 (no bound)
// or at least min.
func capacityRange(kind string, lo, hi int) error {
	if lo < 0 {
		return fmt.Errorf("policy: %s: min_capacity %d must not be negative", kind, lo)
	}
	if hi < 0 || (hi > 0 && hi < lo) {
		return fmt.Errorf("policy: %s: max_capacity %d must be 0 (no bound) or at least min_capacity %d", kind, hi, lo)
	}
	return nil
}

// metricTiming checks a metric, its period and publication delay.
func metricTiming(kind string, m AWSMetric, period, delay time.Duration) error {
	if !m.valid() {
		return fmt.Errorf("policy: %s: metric %.40q must be %q, %q or %q", kind, m, AWSCPU, AWSRequestsPerTarget, AWSBacklogPerInstance)
	}
	if period < time.Second || period > time.Hour {
		return fmt.Errorf("policy: %s: period %v must be in [1s, 1h]", kind, period)
	}
	if delay < 0 || delay > time.Hour {
		return fmt.Errorf("policy: %s: publication_delay %v must be in [0s, 1h]", kind, delay)
	}
	return nil
}

// checkEnv refuses an policy.Env a warm start cannot use.
func checkEnv(kind string, env policy.Env) error {
	if !(env.InitialRate >= 0) || math.IsInf(env.InitialRate, 0) {
		return fmt.Errorf("policy: %s: env initial rate %g jobs/s must be finite and non-negative", kind, env.InitialRate)
	}
	if !(env.Latency >= 0) || math.IsInf(env.Latency, 0) {
		return fmt.Errorf("policy: %s: env latency %g s must be finite and non-negative", kind, env.Latency)
	}
	return nil
}

// clamp bounds n to [lo, hi]; hi ≤ 0 means no upper bound (as policy's).
func clamp(n, lo, hi int) int {
	if hi > 0 && n > hi {
		n = hi
	}
	return max(n, lo)
}
