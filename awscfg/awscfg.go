// Package awscfg reads AWS scaling policies as the AWS CLI prints them into
// boxes policy kinds: the JSON of
//
//	aws application-autoscaling describe-scaling-policies   (Application Auto Scaling)
//	aws autoscaling describe-policies                       (EC2 Auto Scaling)
//
// optionally merged into one object with the outputs that carry what a
// policy does not (jq -s add a.json b.json ...):
//
//	aws application-autoscaling describe-scalable-targets   (MinCapacity, MaxCapacity)
//	aws autoscaling describe-auto-scaling-groups            (MinSize, MaxSize, DefaultCooldown, DefaultInstanceWarmup)
//	aws cloudwatch describe-alarms                          (the alarms: thresholds and datapoints)
//
// Shapes follow the API references (Application Auto Scaling API version
// 2016-02-06: ScalingPolicy, TargetTrackingScalingPolicyConfiguration,
// StepScalingPolicyConfiguration, PredictiveScalingPolicyConfiguration,
// ScalableTarget; EC2 Auto Scaling API version 2011-01-01: ScalingPolicy,
// TargetTrackingConfiguration, PredictiveScalingConfiguration,
// AutoScalingGroup; CloudWatch: MetricAlarm). Every documented field is
// accepted, those boxes does not model are ignored; a field the API does not
// document is refused, naming its JSON path.
//
// Policies on the same scalable target (or group) act together as AWS runs
// them: step scaling policies become one aws.StepScaling, simple scaling
// ones one aws.SimpleScaling, and target tracking ones one
// aws.TargetTracking, or, with a predictive policy or several target
// tracking policies, one aws.Predictive whose Dynamic list holds them
// (Mode ForecastOnly when there is no predictive policy: the largest
// capacity of the target tracking policies wins, "scale out if any, in only
// if all"). Min and max capacity come from the scalable target or group
// when the file has it, else from Options.
package awscfg

import (
	"encoding/json"
	"fmt"
	"github.com/boxes-project/boxes/policy/aws"
	"strings"
	"time"

	"github.com/boxes-project/boxes/policy"
)

// Named is one policy read from the file, named after the AWS policy (or
// policies) it came from.
type Named struct {
	Name   string
	Config policy.Config
}

// Options supply what the file may not.
type Options struct {
	// MinCapacity and MaxCapacity bound a target whose scalable target or
	// group is not in the file; MaxCapacity 0 means no bound.
	MinCapacity, MaxCapacity int
}

// MaxBytes is the largest file Read accepts.
const MaxBytes = 16 << 20

// Read reads the policies in data (from file, for errors) with at least one
// box and no maximum where the file does not say.
func Read(data []byte, file string) ([]Named, error) {
	return ReadOptions(data, file, Options{MinCapacity: 1})
}

// Known fields of each object, from the API references.
var (
	topFields = []string{"ScalingPolicies", "NextToken", "ScalableTargets", "AutoScalingGroups", "MetricAlarms", "CompositeAlarms"}
	appPolicy = []string{"PolicyARN", "PolicyName", "ServiceNamespace", "ResourceId", "ScalableDimension", "PolicyType",
		"StepScalingPolicyConfiguration", "TargetTrackingScalingPolicyConfiguration", "PredictiveScalingPolicyConfiguration", "Alarms", "CreationTime"}
	ec2Policy = []string{"AutoScalingGroupName", "PolicyName", "PolicyARN", "PolicyType", "AdjustmentType", "MinAdjustmentStep",
		"MinAdjustmentMagnitude", "ScalingAdjustment", "Cooldown", "StepAdjustments", "MetricAggregationType",
		"EstimatedInstanceWarmup", "Alarms", "TargetTrackingConfiguration", "Enabled", "PredictiveScalingConfiguration"}
	alarmRef       = []string{"AlarmName", "AlarmARN"}
	ttFields       = []string{"TargetValue", "PredefinedMetricSpecification", "CustomizedMetricSpecification", "ScaleOutCooldown", "ScaleInCooldown", "DisableScaleIn"}
	predefFields   = []string{"PredefinedMetricType", "ResourceLabel"}
	customFields   = []string{"MetricName", "Namespace", "Dimensions", "Statistic", "Unit", "Metrics", "Period"}
	queryFields    = []string{"Expression", "Id", "Label", "MetricStat", "ReturnData", "Period"}
	statFields     = []string{"Metric", "Stat", "Unit", "Period"}
	metricFields   = []string{"MetricName", "Namespace", "Dimensions"}
	stepFields     = []string{"AdjustmentType", "StepAdjustments", "MinAdjustmentMagnitude", "Cooldown", "MetricAggregationType"}
	adjFields      = []string{"MetricIntervalLowerBound", "MetricIntervalUpperBound", "ScalingAdjustment"}
	predFields     = []string{"MetricSpecifications", "Mode", "SchedulingBufferTime", "MaxCapacityBreachBehavior", "MaxCapacityBuffer"}
	predSpecFields = []string{"TargetValue", "PredefinedMetricPairSpecification", "PredefinedScalingMetricSpecification", "PredefinedLoadMetricSpecification",
		"CustomizedScalingMetricSpecification", "CustomizedLoadMetricSpecification", "CustomizedCapacityMetricSpecification"}
	targetFields = []string{"ServiceNamespace", "ResourceId", "ScalableDimension", "MinCapacity", "MaxCapacity", "RoleARN", "CreationTime",
		"SuspendedState", "ScalableTargetARN", "PredictedCapacity"}
	asgFields = []string{"AutoScalingGroupName", "AutoScalingGroupARN", "LaunchConfigurationName", "LaunchTemplate", "MixedInstancesPolicy",
		"MinSize", "MaxSize", "DesiredCapacity", "PredictedCapacity", "DefaultCooldown", "AvailabilityZones", "LoadBalancerNames",
		"TargetGroupARNs", "HealthCheckType", "HealthCheckGracePeriod", "Instances", "CreatedTime", "SuspendedProcesses", "PlacementGroup",
		"VPCZoneIdentifier", "EnabledMetrics", "Status", "Tags", "TerminationPolicies", "NewInstancesProtectedFromScaleIn",
		"ServiceLinkedRoleARN", "MaxInstanceLifetime", "CapacityRebalance", "WarmPoolConfiguration", "WarmPoolSize", "Context",
		"DesiredCapacityType", "DefaultInstanceWarmup", "TrafficSources", "InstanceMaintenancePolicy", "AvailabilityZoneDistribution",
		"AvailabilityZoneImpairmentPolicy", "CapacityReservationSpecification", "InstanceLifecyclePolicy"}
	alarmFields = []string{"AlarmName", "AlarmArn", "AlarmDescription", "AlarmConfigurationUpdatedTimestamp", "ActionsEnabled", "OKActions",
		"AlarmActions", "InsufficientDataActions", "StateValue", "StateReason", "StateReasonData", "StateUpdatedTimestamp", "MetricName",
		"Namespace", "Statistic", "ExtendedStatistic", "Dimensions", "Period", "Unit", "EvaluationPeriods", "DatapointsToAlarm", "Threshold",
		"ComparisonOperator", "TreatMissingData", "EvaluateLowSampleCountPercentile", "Metrics", "ThresholdMetricId", "EvaluationState",
		"StateTransitionedTimestamp"}
)

// bounds is what a scalable target or group says about a target.
type bounds struct {
	min, max      int
	cooldown      time.Duration // the group's DefaultCooldown
	warmup        time.Duration // the group's DefaultInstanceWarmup
	hasC, hasWarm bool
}

// alarm is the part of a CloudWatch MetricAlarm boxes uses.
type alarm struct {
	path        string
	metric      string
	period      time.Duration
	threshold   float64
	comparison  string
	evaluations int
	datapoints  int
}

// group is the policies on one scalable target or group.
type group struct {
	key      string
	ec2      bool
	tt       []named[aws.TargetTracking]
	step     []named[aws.StepPolicy]
	simple   []named[aws.SimplePolicy]
	pred     *named[aws.Predictive]
	metric   aws.AWSMetric // of the step or simple alarms
	period   time.Duration
	metricAt string // path of the alarm that set metric
}

type named[T any] struct {
	name string
	c    T
}

// ReadOptions is Read with the bounds to use where the file has none.
func ReadOptions(data []byte, file string, opt Options) ([]Named, error) {
	if len(data) > MaxBytes {
		return nil, fmt.Errorf("awscfg: %s: %d bytes is over the limit of %d", file, len(data), MaxBytes)
	}
	var raw json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, syntax(data, file, err)
	}
	top, err := decodeObject(raw, file, "$", topFields)
	if err != nil {
		return nil, err
	}
	if !top.has("ScalingPolicies") {
		return nil, errorf(file, "$", "no ScalingPolicies: want the output of describe-scaling-policies or describe-policies")
	}
	targets, err := readBounds(top)
	if err != nil {
		return nil, err
	}
	alarms, err := readAlarms(top)
	if err != nil {
		return nil, err
	}
	items, err := top.array("ScalingPolicies")
	if err != nil {
		return nil, err
	}
	groups := map[string]*group{}
	var order []string
	for i, it := range items {
		path := fmt.Sprintf("$.ScalingPolicies[%d]", i)
		if err := readPolicy(it, file, path, alarms, targets, groups, &order); err != nil {
			return nil, err
		}
	}
	if len(order) == 0 {
		return nil, errorf(file, "$.ScalingPolicies", "no policies")
	}
	var out []Named
	for _, k := range order {
		g := groups[k]
		b, ok := targets[k]
		if !ok {
			b = bounds{min: opt.MinCapacity, max: opt.MaxCapacity}
		}
		ns, err := g.configs(file, b)
		if err != nil {
			return nil, err
		}
		out = append(out, ns...)
	}
	for _, n := range out {
		if err := n.Config.Validate(); err != nil {
			return nil, fmt.Errorf("awscfg: %s: policy %s: %w", file, quote(n.Name), err)
		}
	}
	return out, nil
}

// readBounds reads ScalableTargets and AutoScalingGroups by their key.
func readBounds(top object) (map[string]bounds, error) {
	out := map[string]bounds{}
	ts, err := top.array("ScalableTargets")
	if err != nil {
		return nil, err
	}
	for i, raw := range ts {
		o, err := decodeObject(raw, top.file, fmt.Sprintf("$.ScalableTargets[%d]", i), targetFields)
		if err != nil {
			return nil, err
		}
		key, err := appKey(o)
		if err != nil {
			return nil, err
		}
		lo, _, err := o.integer("MinCapacity")
		if err != nil {
			return nil, err
		}
		hi, _, err := o.integer("MaxCapacity")
		if err != nil {
			return nil, err
		}
		out[key] = bounds{min: lo, max: hi}
	}
	gs, err := top.array("AutoScalingGroups")
	if err != nil {
		return nil, err
	}
	for i, raw := range gs {
		o, err := decodeObject(raw, top.file, fmt.Sprintf("$.AutoScalingGroups[%d]", i), asgFields)
		if err != nil {
			return nil, err
		}
		name, err := o.str("AutoScalingGroupName")
		if err != nil {
			return nil, err
		}
		var b bounds
		if b.min, _, err = o.integer("MinSize"); err != nil {
			return nil, err
		}
		if b.max, _, err = o.integer("MaxSize"); err != nil {
			return nil, err
		}
		c, ok, err := o.integer("DefaultCooldown")
		if err != nil {
			return nil, err
		}
		b.cooldown, b.hasC = time.Duration(c)*time.Second, ok
		w, ok, err := o.integer("DefaultInstanceWarmup")
		if err != nil {
			return nil, err
		}
		b.warmup, b.hasWarm = time.Duration(w)*time.Second, ok
		out["asg/"+name] = b
	}
	return out, nil
}

func appKey(o object) (string, error) {
	ns, err := o.str("ServiceNamespace")
	if err != nil {
		return "", err
	}
	id, err := o.str("ResourceId")
	if err != nil {
		return "", err
	}
	dim, err := o.str("ScalableDimension")
	if err != nil {
		return "", err
	}
	return ns + "/" + id + "/" + dim, nil
}

// readAlarms reads MetricAlarms by name.
func readAlarms(top object) (map[string]alarm, error) {
	out := map[string]alarm{}
	as, err := top.array("MetricAlarms")
	if err != nil {
		return nil, err
	}
	for i, raw := range as {
		path := fmt.Sprintf("$.MetricAlarms[%d]", i)
		o, err := decodeObject(raw, top.file, path, alarmFields)
		if err != nil {
			return nil, err
		}
		var a alarm
		a.path = path
		name, err := o.str("AlarmName")
		if err != nil {
			return nil, err
		}
		if a.metric, err = o.str("MetricName"); err != nil {
			return nil, err
		}
		p, _, err := o.integer("Period")
		if err != nil {
			return nil, err
		}
		a.period = time.Duration(p) * time.Second
		if a.threshold, _, err = o.num("Threshold"); err != nil {
			return nil, err
		}
		if a.comparison, err = o.str("ComparisonOperator"); err != nil {
			return nil, err
		}
		if a.evaluations, _, err = o.integer("EvaluationPeriods"); err != nil {
			return nil, err
		}
		if a.datapoints, _, err = o.integer("DatapointsToAlarm"); err != nil {
			return nil, err
		}
		out[name] = a
	}
	return out, nil
}

// alarmNames reads a policy's Alarms list.
func alarmNames(o object) ([]string, error) {
	as, err := o.array("Alarms")
	if err != nil {
		return nil, err
	}
	var names []string
	for i, raw := range as {
		a, err := decodeObject(raw, o.file, fmt.Sprintf("%s.Alarms[%d]", o.path, i), alarmRef)
		if err != nil {
			return nil, err
		}
		n, err := a.str("AlarmName")
		if err != nil {
			return nil, err
		}
		names = append(names, n)
	}
	return names, nil
}

func readPolicy(raw json.RawMessage, file, path string, alarms map[string]alarm, targets map[string]bounds, groups map[string]*group, order *[]string) error {
	// Application Auto Scaling policies have a ServiceNamespace; EC2 Auto
	// Scaling ones an AutoScalingGroupName.
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(raw, &probe); err != nil {
		return errorf(file, path, "want an object")
	}
	_, isEC2 := probe["AutoScalingGroupName"]
	fields := appPolicy
	if isEC2 {
		fields = ec2Policy
	}
	o, err := decodeObject(raw, file, path, fields)
	if err != nil {
		return err
	}
	name, err := o.str("PolicyName")
	if err != nil {
		return err
	}
	if name == "" {
		return errorf(file, o.at("PolicyName"), "missing")
	}
	var key string
	if isEC2 {
		asg, err := o.str("AutoScalingGroupName")
		if err != nil {
			return err
		}
		key = "asg/" + asg
		if o.has("Enabled") {
			on, err := o.boolean("Enabled")
			if err != nil {
				return err
			}
			if !on {
				return nil // a disabled policy does nothing
			}
		}
	} else {
		if key, err = appKey(o); err != nil {
			return err
		}
		if ns, _ := o.str("ServiceNamespace"); ns == "lambda" {
			return errorf(file, path, "a Lambda provisioned concurrency policy is a serverless setting (provisioned_target), not a box policy")
		}
	}
	g := groups[key]
	if g == nil {
		g = &group{key: key, ec2: isEC2}
		groups[key] = g
		*order = append(*order, key)
	}
	typ, err := o.str("PolicyType")
	if err != nil {
		return err
	}
	names, err := alarmNames(o)
	if err != nil {
		return err
	}
	b := targets[key]
	switch typ {
	case "TargetTrackingScaling":
		tt, err := readTargetTracking(o, isEC2, names, alarms, b)
		if err != nil {
			return err
		}
		g.tt = append(g.tt, named[aws.TargetTracking]{name, tt})
	case "StepScaling", "SimpleScaling":
		if err := readStepOrSimple(o, typ, isEC2, name, names, alarms, b, g); err != nil {
			return err
		}
	case "PredictiveScaling":
		if g.pred != nil {
			return errorf(file, path, "a second predictive scaling policy for %s", quote(key))
		}
		p, err := readPredictive(o, isEC2)
		if err != nil {
			return err
		}
		g.pred = &named[aws.Predictive]{name, p}
	default:
		return errorf(file, o.at("PolicyType"), "%s is not one of %s", quote(typ), list("TargetTrackingScaling", "StepScaling", "SimpleScaling", "PredictiveScaling"))
	}
	return nil
}

// metricOf maps a predefined metric type or a CloudWatch metric name to the
// metric boxes measures.
func metricOf(name string) (aws.AWSMetric, bool) {
	switch name {
	case "ECSServiceAverageCPUUtilization", "ASGAverageCPUUtilization", "EC2SpotFleetRequestAverageCPUUtilization",
		"CPUUtilization", "ECSServiceAverageCPUUtilizationHighResolution":
		return aws.AWSCPU, true
	case "ALBRequestCountPerTarget", "RequestCountPerTarget":
		return aws.AWSRequestsPerTarget, true
	}
	return "", false
}

const modelled = "boxes models CPU utilization, ALBRequestCountPerTarget and an SQS backlog per instance"

func readTargetTracking(o object, ec2 bool, names []string, alarms map[string]alarm, b bounds) (aws.TargetTracking, error) {
	c := aws.DefaultTargetTracking()
	key := "TargetTrackingScalingPolicyConfiguration"
	fields := ttFields
	if ec2 {
		key = "TargetTrackingConfiguration"
		fields = []string{"PredefinedMetricSpecification", "CustomizedMetricSpecification", "TargetValue", "DisableScaleIn"}
	}
	t, ok, err := o.sub(key, fields)
	if err != nil {
		return c, err
	}
	if !ok {
		return c, errorf(o.file, o.at(key), "missing for a TargetTrackingScaling policy")
	}
	v, ok, err := t.num("TargetValue")
	if err != nil {
		return c, err
	}
	if !ok {
		return c, errorf(o.file, t.at("TargetValue"), "missing")
	}
	c.Target = v
	if c.DisableScaleIn, err = t.boolean("DisableScaleIn"); err != nil {
		return c, err
	}
	switch {
	case t.has("PredefinedMetricSpecification"):
		p, _, err := t.sub("PredefinedMetricSpecification", predefFields)
		if err != nil {
			return c, err
		}
		typ, err := p.str("PredefinedMetricType")
		if err != nil {
			return c, err
		}
		m, ok := metricOf(typ)
		if !ok {
			return c, errorf(o.file, p.at("PredefinedMetricType"), "%s: %s", quote(typ), modelled)
		}
		c.Metric = m
		if strings.HasSuffix(typ, "HighResolution") {
			c.Period = 20 * time.Second
		}
	case t.has("CustomizedMetricSpecification"):
		m, err := customMetric(t)
		if err != nil {
			return c, err
		}
		c.Metric = m
	default:
		return c, errorf(o.file, t.path, "no PredefinedMetricSpecification or CustomizedMetricSpecification")
	}
	if !ec2 {
		// Application Auto Scaling's cooldowns; absent, the defaults of the
		// target (300 s for ECS and most; 0 s for some [cdk], see policy).
		for _, cd := range []struct {
			k string
			d *time.Duration
		}{{"ScaleOutCooldown", &c.ScaleOutCooldown}, {"ScaleInCooldown", &c.ScaleInCooldown}} {
			s, ok, err := t.integer(cd.k)
			if err != nil {
				return c, err
			}
			if ok {
				*cd.d = time.Duration(s) * time.Second
			}
		}
	} else {
		// EC2 Auto Scaling target tracking has no cooldowns of its own; the
		// warm-up is the policy's, else the group's default, else 300 s
		// (the group's default cooldown).
		c.ScaleOutCooldown, c.ScaleInCooldown = 0, 0
		w, ok, err := o.integer("EstimatedInstanceWarmup")
		if err != nil {
			return c, err
		}
		switch {
		case ok:
			c.InstanceWarmup = time.Duration(w) * time.Second
		case b.hasWarm:
			c.InstanceWarmup = b.warmup
		case b.hasC:
			c.InstanceWarmup = b.cooldown
		default:
			c.InstanceWarmup = 300 * time.Second
		}
		c.ScaleInRatio = 0.7 // EC2 groups' scale-in alarms observed at about 0.7 × target (see policy/aws.go)
	}
	// The managed alarms, when the file has them, say their shape.
	for _, n := range names {
		a, ok := alarms[n]
		if !ok {
			continue
		}
		dp := a.datapoints
		if dp == 0 {
			dp = a.evaluations
		}
		if a.period > 0 {
			c.Period = a.period
		}
		switch {
		case strings.Contains(n, "AlarmHigh") && dp > 0:
			c.ScaleOutDatapoints = dp
		case strings.Contains(n, "AlarmLow") && dp > 0:
			c.ScaleInDatapoints = dp
			if c.Target > 0 && a.threshold > 0 && a.threshold <= c.Target {
				c.ScaleInRatio = a.threshold / c.Target
			}
		}
	}
	return c, nil
}

// customMetric maps a CustomizedMetricSpecification: CPUUtilization, or an
// SQS backlog per instance (ApproximateNumberOfMessagesVisible divided by
// the running capacity with metric math, as AWS's guide for scaling on SQS
// does).
func customMetric(t object) (aws.AWSMetric, error) {
	c, _, err := t.sub("CustomizedMetricSpecification", customFields)
	if err != nil {
		return "", err
	}
	name, err := c.str("MetricName")
	if err != nil {
		return "", err
	}
	if m, ok := metricOf(name); ok {
		return m, nil
	}
	qs, err := c.array("Metrics")
	if err != nil {
		return "", err
	}
	sqs, divided := name == "ApproximateNumberOfMessagesVisible", false
	for i, raw := range qs {
		q, err := decodeObject(raw, c.file, fmt.Sprintf("%s.Metrics[%d]", c.path, i), queryFields)
		if err != nil {
			return "", err
		}
		if e, _ := q.str("Expression"); strings.Contains(e, "/") {
			divided = true
		}
		if s, ok, err := q.sub("MetricStat", statFields); err != nil {
			return "", err
		} else if ok {
			m, ok, err := s.sub("Metric", metricFields)
			if err != nil {
				return "", err
			}
			if ok {
				if n, _ := m.str("MetricName"); n == "ApproximateNumberOfMessagesVisible" {
					sqs = true
				}
			}
		}
	}
	if sqs && (divided || strings.Contains(strings.ToLower(name), "backlog")) || strings.Contains(strings.ToLower(name), "backlogperinstance") {
		return aws.AWSBacklogPerInstance, nil
	}
	return "", errorf(c.file, c.path, "custom metric %s: %s (a backlog per instance is ApproximateNumberOfMessagesVisible divided by the capacity)", quote(name), modelled)
}

func readStepOrSimple(o object, typ string, ec2 bool, name string, names []string, alarms map[string]alarm, b bounds, g *group) error {
	// The alarm says what is watched and when the policy runs.
	var a alarm
	found := false
	for _, n := range names {
		if x, ok := alarms[n]; ok {
			a, found = x, true
			break
		}
	}
	if !found {
		return errorf(o.file, o.at("Alarms"), "policy %s: its alarm is not in the file; merge in the output of `aws cloudwatch describe-alarms --alarm-names %s`", quote(name), strings.Join(names, " "))
	}
	m, ok := metricOf(a.metric)
	if !ok {
		return errorf(o.file, a.path+".MetricName", "%s: %s", quote(a.metric), modelled)
	}
	if g.metric != "" && (g.metric != m || g.period != a.period) {
		return errorf(o.file, a.path, "alarms of one target on different metrics or periods (%s and %s): boxes runs one metric per target", g.metricAt, a.path)
	}
	g.metric, g.period, g.metricAt = m, a.period, a.path
	al := aws.Alarm{Threshold: a.threshold, Comparison: aws.Comparison(a.comparison), EvaluationPeriods: a.evaluations, DatapointsToAlarm: a.datapoints}

	src := o
	if !ec2 {
		s, ok, err := o.sub("StepScalingPolicyConfiguration", stepFields)
		if err != nil {
			return err
		}
		if !ok {
			return errorf(o.file, o.at("StepScalingPolicyConfiguration"), "missing for a StepScaling policy")
		}
		src = s
	}
	adjType, err := src.str("AdjustmentType")
	if err != nil {
		return err
	}
	mag, _, err := src.integer("MinAdjustmentMagnitude")
	if err != nil {
		return err
	}
	if agg, err := src.str("MetricAggregationType"); err != nil {
		return err
	} else if agg != "" && agg != "Average" {
		return errorf(o.file, src.at("MetricAggregationType"), "%s: boxes has average datapoints only", quote(agg))
	}
	cool := 300 * time.Second // Application Auto Scaling's and the group's default
	if ec2 && b.hasC {
		cool = b.cooldown
	}
	if s, ok, err := src.integer("Cooldown"); err != nil {
		return err
	} else if ok {
		cool = time.Duration(s) * time.Second
	}
	if ec2 && typ == "StepScaling" {
		// EC2 step policies have a warm-up, not a cooldown; boxes applies
		// Application Auto Scaling's cooldown arithmetic with the warm-up.
		if w, ok, err := o.integer("EstimatedInstanceWarmup"); err != nil {
			return err
		} else if ok {
			cool = time.Duration(w) * time.Second
		} else if b.hasWarm {
			cool = b.warmup
		}
	}
	if typ == "SimpleScaling" {
		adj, ok, err := o.integer("ScalingAdjustment")
		if err != nil {
			return err
		}
		if !ok {
			return errorf(o.file, o.at("ScalingAdjustment"), "missing for a SimpleScaling policy")
		}
		g.simple = append(g.simple, named[aws.SimplePolicy]{name, aws.SimplePolicy{Alarm: al, AdjustmentType: adjType,
			Adjustment: adj, MinAdjustmentMagnitude: mag, Cooldown: cool}})
		return nil
	}
	steps, err := src.array("StepAdjustments")
	if err != nil {
		return err
	}
	p := aws.StepPolicy{Alarm: al, AdjustmentType: adjType, MinAdjustmentMagnitude: mag, Cooldown: cool}
	for i, raw := range steps {
		s, err := decodeObject(raw, o.file, fmt.Sprintf("%s.StepAdjustments[%d]", src.path, i), adjFields)
		if err != nil {
			return err
		}
		var st aws.StepAdjustment
		var lo, hi bool
		if st.Lower, lo, err = s.num("MetricIntervalLowerBound"); err != nil {
			return err
		}
		if st.Upper, hi, err = s.num("MetricIntervalUpperBound"); err != nil {
			return err
		}
		switch {
		case !lo && !hi:
			st.Unbounded = "both"
		case !lo:
			st.Unbounded = "lower"
		case !hi:
			st.Unbounded = "upper"
		default:
			st.Unbounded = "none"
		}
		adj, ok, err := s.integer("ScalingAdjustment")
		if err != nil {
			return err
		}
		if !ok {
			return errorf(o.file, s.at("ScalingAdjustment"), "missing")
		}
		st.Adjustment = adj
		p.Steps = append(p.Steps, st)
	}
	g.step = append(g.step, named[aws.StepPolicy]{name, p})
	return nil
}

func readPredictive(o object, ec2 bool) (aws.Predictive, error) {
	p := aws.Predictive{MinCapacity: 1, Mode: "ForecastOnly", LookbackDays: 14, MaxCapacityBreach: "HonorMaxCapacity"}
	key := "PredictiveScalingPolicyConfiguration"
	if ec2 {
		key = "PredictiveScalingConfiguration"
	}
	c, ok, err := o.sub(key, predFields)
	if err != nil {
		return p, err
	}
	if !ok {
		return p, errorf(o.file, o.at(key), "missing for a PredictiveScaling policy")
	}
	if mode, err := c.str("Mode"); err != nil {
		return p, err
	} else if mode != "" {
		p.Mode = mode // the API's default is ForecastOnly
	}
	if s, ok, err := c.integer("SchedulingBufferTime"); err != nil {
		return p, err
	} else if ok {
		p.SchedulingBuffer = time.Duration(s) * time.Second
	} else if !ec2 {
		p.SchedulingBuffer = 300 * time.Second // Application Auto Scaling's default when unspecified
	}
	if b, err := c.str("MaxCapacityBreachBehavior"); err != nil {
		return p, err
	} else if b != "" {
		p.MaxCapacityBreach = b
	}
	if p.MaxCapacityBuffer, _, err = c.integer("MaxCapacityBuffer"); err != nil {
		return p, err
	}
	specs, err := c.array("MetricSpecifications")
	if err != nil {
		return p, err
	}
	if len(specs) != 1 {
		return p, errorf(o.file, c.at("MetricSpecifications"), "want exactly one metric specification, got %d", len(specs))
	}
	s, err := decodeObject(specs[0], o.file, c.at("MetricSpecifications[0]"), predSpecFields)
	if err != nil {
		return p, err
	}
	if p.Target, _, err = s.num("TargetValue"); err != nil {
		return p, err
	}
	pair, ok, err := s.sub("PredefinedMetricPairSpecification", predefFields)
	if err != nil {
		return p, err
	}
	if !ok {
		return p, errorf(o.file, s.path, "boxes reads predictive policies with a PredefinedMetricPairSpecification only")
	}
	typ, err := pair.str("PredefinedMetricType")
	if err != nil {
		return p, err
	}
	switch typ {
	case "ASGCPUUtilization", "ECSServiceCPUUtilization":
		p.Metric = aws.AWSCPU
	case "ALBRequestCount":
		p.Metric = aws.AWSRequestsPerTarget
	default:
		return p, errorf(o.file, pair.at("PredefinedMetricType"), "%s: boxes forecasts CPU (ASGCPUUtilization, ECSServiceCPUUtilization) or ALBRequestCount", quote(typ))
	}
	return p, nil
}

// configs turns a target's policies into boxes policies.
func (g *group) configs(file string, b bounds) ([]Named, error) {
	var out []Named
	names := func(xs []string) string { return strings.Join(xs, "+") }
	var tts []aws.TargetTracking
	var ttNames []string
	for _, t := range g.tt {
		t.c.MinCapacity, t.c.MaxCapacity = b.min, b.max
		tts = append(tts, t.c)
		ttNames = append(ttNames, t.name)
	}
	switch {
	case g.pred != nil:
		p := g.pred.c
		p.MinCapacity, p.MaxCapacity, p.Dynamic = b.min, b.max, tts
		out = append(out, Named{Name: names(append([]string{g.pred.name}, ttNames...)), Config: p})
	case len(tts) == 1:
		out = append(out, Named{Name: ttNames[0], Config: tts[0]})
	case len(tts) > 1:
		out = append(out, Named{Name: names(ttNames), Config: aws.Predictive{
			Metric: tts[0].Metric, Target: 50, MinCapacity: b.min, MaxCapacity: b.max, Mode: "ForecastOnly",
			LookbackDays: 14, MaxCapacityBreach: "HonorMaxCapacity", Dynamic: tts}})
	}
	if len(g.step) > 0 {
		s := aws.StepScaling{Metric: g.metric, MinCapacity: b.min, MaxCapacity: b.max, Period: g.period, PublicationDelay: time.Minute}
		var ns []string
		for _, p := range g.step {
			s.Policies = append(s.Policies, p.c)
			ns = append(ns, p.name)
		}
		if s.Period == 0 {
			s.Period = time.Minute
		}
		out = append(out, Named{Name: names(ns), Config: s})
	}
	if len(g.simple) > 0 {
		s := aws.SimpleScaling{Metric: g.metric, MinCapacity: b.min, MaxCapacity: b.max, Period: g.period, PublicationDelay: time.Minute}
		var ns []string
		for _, p := range g.simple {
			s.Policies = append(s.Policies, p.c)
			ns = append(ns, p.name)
		}
		if s.Period == 0 {
			s.Period = time.Minute
		}
		out = append(out, Named{Name: names(ns), Config: s})
	}
	return out, nil
}
