package scenario

import (
	"time"

	"github.com/boxes-project/boxes/policy"
	"github.com/boxes-project/boxes/policy/aws"
	"github.com/boxes-project/boxes/policy/hpa"
	"github.com/boxes-project/boxes/policy/scaletozero"
	"github.com/boxes-project/boxes/schema"
	"github.com/boxes-project/boxes/sim"
)

// PolicyKinds are the policy kinds a scenario names, each with its config
// type's constructor; the config's tags declare its settings. A new kind
// is a config type (with Validate and Start) in a file of its own and one
// line here. The table lives here, not in package policy, so that it can
// name kinds of policy's subpackages (which import policy).
func PolicyKinds() schema.Family {
	return schema.Family{
		{Name: "fixed", Doc: "a capacity that never changes, given or sized from the workload", New: func() any { c := policy.DefaultFixed(); return &c }},
		{Name: "target", Doc: "the article's plain scaler: hold utilization at a target every step", New: func() any { return &hpa.Target{} }},
		{Name: "hpa", Doc: "Kubernetes' HorizontalPodAutoscaler (autoscaling/v2) as its controller runs it", New: func() any { return &hpa.HPASpec{} }},
		{Name: "scheduled", Doc: "capacity by the calendar: time of day and day of week", New: func() any { return &policy.Scheduled{} }},
		{Name: "serverless", Doc: "a platform that scales for you, billed per request and GB-second (AWS Lambda's defaults)", New: func() any { c := policy.DefaultServerless(); return &c }},
		{Name: "knative", Doc: "the Knative Pod Autoscaler (KPA): stable and panic windows, the activator, scale to zero", New: func() any { c := scaletozero.DefaultKPA(); return &c }},
		{Name: "keda-scaledjob", Doc: "a KEDA ScaledJob: a job pod per queued job, created at each poll by its scaling strategy", New: func() any { c := scaletozero.DefaultScaledJob(); return &c }},
		{Name: "keda", Doc: "a KEDA ScaledObject: triggers, activation 0↔1, the HPA it creates for 1↔N", New: func() any { c := scaletozero.DefaultKEDA(); return &c }},
		{Name: "aws-target-tracking", Doc: "AWS target tracking: CloudWatch alarms (3 of 3 above, 15 of 15 below 90%), cooldowns, instance warm-up", New: func() any { c := aws.DefaultTargetTracking(); return &c }},
		{Name: "aws-step-scaling", Doc: "AWS step scaling: alarms with step adjustments and Application Auto Scaling's cooldown arithmetic", New: func() any { c := aws.DefaultStepScaling(); return &c }},
		{Name: "aws-simple-scaling", Doc: "AWS simple scaling: one adjustment per alarm, then a cooldown", New: func() any { c := aws.DefaultSimpleScaling(); return &c }},
		{Name: "aws-predictive", Doc: "AWS predictive scaling, a stand-in: the same hour of past days, ahead of the hour, never scaling in", New: func() any { c := aws.DefaultPredictive(); return &c }},
		{Name: "cloudrun", Doc: "Google Cloud Run: concurrency and cpu targets, min/max instances, request-based or instance-based billing", New: func() any { c := scaletozero.DefaultCloudRun(); return &c }},
	}
}

// billOwn re-bills a run of a policy whose platform bills other than by
// box lifetime: Cloud Run's request-based billing charges an instance only
// while it serves at least one request or starts, plus a fee per request
// (sim.BillActive, at the request-based rates of scaletozero.CloudRunPrice).
func billOwn(c policy.Config, s sim.Setup, r *sim.Result) {
	if cr, ok := c.(*scaletozero.CloudRun); ok && cr.Price.Billing == "request" {
		sim.BillActive(r, s.Box.Latency.Seconds(), s.Horizon.Seconds(), cr.MaxConcurrency, cr.Price.InstanceSecond(), cr.Price.PerMillion/1e6)
	}
}

// ownBilling sets the box price and billing of a policy that brings its
// own (Cloud Run: an instance's price over its concurrency, billed per
// 100 ms); other policies keep the scenario's box and billing.
func ownBilling(c policy.Config, s *sim.Setup) {
	if cr, ok := c.(*scaletozero.CloudRun); ok {
		s.Box.Price = cr.BoxPrice()
		s.Billing = sim.Billing{Increment: 100 * time.Millisecond}
	}
}
