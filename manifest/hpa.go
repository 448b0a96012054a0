package manifest

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	autoscalingv1 "k8s.io/api/autoscaling/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	autoscalingv2beta2 "k8s.io/api/autoscaling/v2beta2"
	"k8s.io/apimachinery/pkg/api/resource"
	sigsyaml "sigs.k8s.io/yaml"

	"github.com/boxes-project/boxes"
	"github.com/boxes-project/boxes/policy/hpa"
)

// The annotations a HorizontalPodAutoscaler may carry for boxes.
const (
	// AnnotationSignal names what boxes measures for every Pods, Object and
	// External metric the HPA lists: jobrate, concurrency, queue or
	// utilization.
	AnnotationSignal = annotations + "signal"
	// AnnotationSignalPrefix + a metric's name names what boxes measures
	// for that metric alone ("boxes.dev/signal.http_requests: jobrate").
	AnnotationSignalPrefix = annotations + "signal."
	// AnnotationCPURequest is the pod's cpu request ("500m", "2"), the
	// denominator of cpu utilization; 1 core when absent.
	AnnotationCPURequest = annotations + "cpu-request"
	// AnnotationCPUPerJob is the cpu time one job uses ("20ms"); absent, a
	// busy box uses its whole request.
	AnnotationCPUPerJob = annotations + "cpu-per-job"
)

// meaning says what a signal AnnotationSignal may name measures; ok is
// false for a word that is not a signal.
func meaning(s hpa.Metric) (string, bool) {
	switch s {
	case hpa.MetricJobRate:
		return "jobs arriving per second", true
	case hpa.MetricConcurrency:
		return "jobs in the system, in service or waiting", true
	case hpa.MetricQueue:
		return "jobs waiting for a box", true
	case hpa.MetricUtilization:
		return "busy boxes' worth of offered load (JobRate × Latency)", true
	}
	return "", false
}

// readHPAv2 reads an autoscaling/v2 HorizontalPodAutoscaler.
func readHPAv2(d *Document) ([]Named, error) {
	var o autoscalingv2.HorizontalPodAutoscaler
	if err := d.Decode(&o); err != nil {
		return nil, err
	}
	return fromHPA(d, o.Namespace, o.Name, o.Spec)
}

// readHPAv2beta2 reads an autoscaling/v2beta2 HorizontalPodAutoscaler
// (served until Kubernetes 1.26; many repositories still hold them): it
// decodes strictly with its own type, whose fields are v2's without
// tolerance, and reads it as v2.
func readHPAv2beta2(d *Document) ([]Named, error) {
	var o autoscalingv2beta2.HorizontalPodAutoscaler
	if err := d.Decode(&o); err != nil {
		return nil, err
	}
	b, err := sigsyaml.Marshal(o)
	if err != nil {
		return nil, d.Errorf("", "%w", err)
	}
	var v2 autoscalingv2.HorizontalPodAutoscaler
	if err := sigsyaml.Unmarshal(b, &v2); err != nil {
		return nil, d.Errorf("", "%w", err)
	}
	return fromHPA(d, v2.Namespace, v2.Name, v2.Spec)
}

// readHPAv1 reads an autoscaling/v1 HorizontalPodAutoscaler: cpu
// utilization only (targetCPUUtilizationPercentage, 80% when absent), no
// behavior.
func readHPAv1(d *Document) ([]Named, error) {
	var o autoscalingv1.HorizontalPodAutoscaler
	if err := d.Decode(&o); err != nil {
		return nil, err
	}
	spec := autoscalingv2.HorizontalPodAutoscalerSpec{
		ScaleTargetRef: autoscalingv2.CrossVersionObjectReference{
			Kind: o.Spec.ScaleTargetRef.Kind, Name: o.Spec.ScaleTargetRef.Name, APIVersion: o.Spec.ScaleTargetRef.APIVersion,
		},
		MinReplicas: o.Spec.MinReplicas,
		MaxReplicas: o.Spec.MaxReplicas,
	}
	if u := o.Spec.TargetCPUUtilizationPercentage; u != nil {
		spec.Metrics = []autoscalingv2.MetricSpec{{
			Type: autoscalingv2.ResourceMetricSourceType,
			Resource: &autoscalingv2.ResourceMetricSource{Name: "cpu", Target: autoscalingv2.MetricTarget{
				Type: autoscalingv2.UtilizationMetricType, AverageUtilization: u}},
		}}
	}
	named, err := fromHPA(d, o.Namespace, o.Name, spec)
	for i := range named {
		for j, e := range named[i].Echo {
			// v1's field for the one metric.
			if e.Field == "spec.metrics[0]" {
				named[i].Echo[j].Field = "spec.targetCPUUtilizationPercentage"
			}
		}
	}
	return named, err
}

// fromHPA maps an HPA's spec onto hpa.HPA.
func fromHPA(d *Document, namespace, name string, s autoscalingv2.HorizontalPodAutoscalerSpec) ([]Named, error) {
	if name == "" {
		return nil, d.Errorf("metadata.name", "missing: the HPA needs a name")
	}
	full := name
	if namespace != "" {
		full = namespace + "/" + name
	}
	var echo []Setting
	add := func(field, value, means string) { echo = append(echo, Setting{field, value, means}) }

	ref := s.ScaleTargetRef
	if ref.Kind == "" || ref.Name == "" {
		field := "spec.scaleTargetRef"
		if ref.Kind != "" {
			field += ".name"
		} else if ref.Name != "" {
			field += ".kind"
		}
		return nil, d.Errorf(field, "missing: the HPA must name what it scales (kind and name)")
	}
	add("spec.scaleTargetRef", ref.Kind+"/"+ref.Name, "the boxes of the scenario")

	h := hpa.DefaultHPA()
	// cpu: what a busy box uses, against its request.
	if v, ok := d.Annotations[AnnotationCPURequest]; ok {
		q, err := resource.ParseQuantity(v)
		if err != nil || q.Sign() <= 0 {
			return nil, d.Errorf("metadata.annotations."+AnnotationCPURequest, "%s is not a positive cpu quantity (as \"500m\" or \"2\")", quote(v))
		}
		h.CPURequest = q.AsApproximateFloat64()
		add("metadata.annotations."+AnnotationCPURequest, v, fmt.Sprintf("each box requests %g cores", h.CPURequest))
	}
	if v, ok := d.Annotations[AnnotationCPUPerJob]; ok {
		t, err := boxes.ParseDuration(v)
		if err != nil || t <= 0 {
			return nil, d.Errorf("metadata.annotations."+AnnotationCPUPerJob, "%s is not a positive duration (as \"20ms\")", quote(v))
		}
		h.CPUPerJob = t
		add("metadata.annotations."+AnnotationCPUPerJob, v, fmt.Sprintf("a job uses %v of cpu: a busy box uses %v / latency cores", t, t))
	}

	// min and max.
	switch {
	case s.MinReplicas == nil:
		h.MinReplicas = 1
		add("spec.minReplicas", "(default)", "at least 1 box")
	case *s.MinReplicas == 0:
		h.MinReplicas, h.ScaleToZero = 0, true
		add("spec.minReplicas", "0", "scale to zero and back (HPAScaleToZero), with an Object or External metric")
	case *s.MinReplicas < 0:
		return nil, d.Errorf("spec.minReplicas", "%d must not be negative", *s.MinReplicas)
	default:
		h.MinReplicas = int(*s.MinReplicas)
		add("spec.minReplicas", strconv.Itoa(h.MinReplicas), fmt.Sprintf("at least %d boxes", h.MinReplicas))
	}
	if s.MaxReplicas < 1 {
		return nil, d.Errorf("spec.maxReplicas", "missing or below 1: the API requires maxReplicas ≥ 1")
	}
	if int(s.MaxReplicas) < h.MinReplicas {
		return nil, d.Errorf("spec.maxReplicas", "%d is below minReplicas %d", s.MaxReplicas, h.MinReplicas)
	}
	h.MaxReplicas = int(s.MaxReplicas)
	add("spec.maxReplicas", strconv.Itoa(h.MaxReplicas), fmt.Sprintf("at most %d boxes", h.MaxReplicas))

	// metrics.
	if len(s.Metrics) == 0 {
		h.Metrics = []hpa.HPAMetric{{Type: hpa.SourceResource, Signal: hpa.MetricCPU, TargetType: hpa.TargetUtilization, Target: hpa.DefaultHPA().Target, Name: "cpu"}}
		add("spec.metrics", "(default)", "cpu at 80% of the request, the API's default")
	}
	for i, m := range s.Metrics {
		field := fmt.Sprintf("spec.metrics[%d]", i)
		hm, value, means, err := metric(d, field, m, h)
		if err != nil {
			return nil, err
		}
		h.Metrics = append(h.Metrics, hm)
		add(field, value, means)
	}

	// behavior.
	if s.Behavior == nil {
		h.Legacy = true
		add("spec.behavior", "(absent)", "the controller's path without behavior: up to max(2 × current, 4) per sync, the highest proposal of the last 300 s")
	} else {
		up, err := rules(d, "spec.behavior.scaleUp", s.Behavior.ScaleUp, h.ScaleUp, 0, add)
		if err != nil {
			return nil, err
		}
		down, err := rules(d, "spec.behavior.scaleDown", s.Behavior.ScaleDown, h.ScaleDown, hpa.DefaultDownStabilization, add)
		if err != nil {
			return nil, err
		}
		h.ScaleUp, h.ScaleDown = up, down
	}
	if err := h.Validate(); err != nil {
		return nil, d.Errorf("spec", "%w", err)
	}
	return []Named{{
		Name:   full,
		Source: fmt.Sprintf("%s:%d", d.File, d.Line),
		Kind:   d.APIVersion + " " + d.Kind,
		Config: h,
		Echo:   echo,
	}}, nil
}

// metric maps one MetricSpec.
func metric(d *Document, field string, m autoscalingv2.MetricSpec, h hpa.HPA) (hm hpa.HPAMetric, value, means string, err error) {
	switch m.Type {
	case autoscalingv2.ResourceMetricSourceType, autoscalingv2.ContainerResourceMetricSourceType:
		var res string
		var t autoscalingv2.MetricTarget
		sub := field + ".resource"
		hm.Type = hpa.SourceResource
		if m.Type == autoscalingv2.ResourceMetricSourceType {
			if m.Resource == nil {
				return hm, "", "", d.Errorf(sub, "missing for type Resource")
			}
			res, t = string(m.Resource.Name), m.Resource.Target
			value = "Resource " + res
		} else {
			sub = field + ".containerResource"
			if m.ContainerResource == nil {
				return hm, "", "", d.Errorf(sub, "missing for type ContainerResource")
			}
			hm.Type = hpa.SourceContainerResource
			res, t = string(m.ContainerResource.Name), m.ContainerResource.Target
			value = "ContainerResource " + res + " of container " + m.ContainerResource.Container
		}
		if res != "cpu" {
			return hm, "", "", d.Errorf(sub+".name", "%s: boxes models no %s use, only cpu; remove this metric, or scale on cpu or on a Pods/External metric with a %s annotation", quote(res), res, AnnotationSignal)
		}
		hm.Signal, hm.Name = hpa.MetricCPU, res
		switch t.Type {
		case autoscalingv2.UtilizationMetricType:
			if t.AverageUtilization == nil || *t.AverageUtilization <= 0 {
				return hm, "", "", d.Errorf(sub+".target.averageUtilization", "missing or not positive for a Utilization target")
			}
			hm.TargetType, hm.Target = hpa.TargetUtilization, float64(*t.AverageUtilization)/100
			value += fmt.Sprintf(" Utilization %d%%", *t.AverageUtilization)
			means = fmt.Sprintf("cpu at %d%% of a %g-core request per box, a busy box using %s", *t.AverageUtilization, cpuRequest(h), busyUse(h))
		case autoscalingv2.AverageValueMetricType:
			v, e := quantity(d, sub+".target.averageValue", t.AverageValue)
			if e != nil {
				return hm, "", "", e
			}
			hm.TargetType, hm.Target = hpa.TargetAverageValue, v
			value += " AverageValue " + t.AverageValue.String()
			means = fmt.Sprintf("%g cores per box, a busy box using %s", v, busyUse(h))
		default:
			return hm, "", "", d.Errorf(sub+".target.type", "%s: a resource target is Utilization or AverageValue", quote(string(t.Type)))
		}
		return hm, value, means, nil

	case autoscalingv2.PodsMetricSourceType, autoscalingv2.ObjectMetricSourceType, autoscalingv2.ExternalMetricSourceType:
		var name string
		var t autoscalingv2.MetricTarget
		var sub string
		switch m.Type {
		case autoscalingv2.PodsMetricSourceType:
			sub = field + ".pods"
			if m.Pods == nil {
				return hm, "", "", d.Errorf(sub, "missing for type Pods")
			}
			hm.Type, name, t = hpa.SourcePods, m.Pods.Metric.Name, m.Pods.Target
		case autoscalingv2.ObjectMetricSourceType:
			sub = field + ".object"
			if m.Object == nil {
				return hm, "", "", d.Errorf(sub, "missing for type Object")
			}
			hm.Type, name, t = hpa.SourceObject, m.Object.Metric.Name, m.Object.Target
		default:
			sub = field + ".external"
			if m.External == nil {
				return hm, "", "", d.Errorf(sub, "missing for type External")
			}
			hm.Type, name, t = hpa.SourceExternal, m.External.Metric.Name, m.External.Target
		}
		sig, how, e := signal(d, sub+".metric.name", name)
		if e != nil {
			return hm, "", "", e
		}
		hm.Signal, hm.Name = sig, name
		value = fmt.Sprintf("%s %s", m.Type, name)
		switch {
		case t.Type == autoscalingv2.AverageValueMetricType:
			v, e := quantity(d, sub+".target.averageValue", t.AverageValue)
			if e != nil {
				return hm, "", "", e
			}
			hm.TargetType, hm.Target = hpa.TargetAverageValue, v
			value += " AverageValue " + t.AverageValue.String()
			what, _ := meaning(sig)
			means = fmt.Sprintf("%g per box of %s (%s, %s)", v, sig, what, how)
		case t.Type == autoscalingv2.ValueMetricType && m.Type != autoscalingv2.PodsMetricSourceType:
			v, e := quantity(d, sub+".target.value", t.Value)
			if e != nil {
				return hm, "", "", e
			}
			hm.TargetType, hm.Target = hpa.TargetValue, v
			value += " Value " + t.Value.String()
			what, _ := meaning(sig)
			means = fmt.Sprintf("%g in total of %s (%s, %s)", v, sig, what, how)
		default:
			return hm, "", "", d.Errorf(sub+".target.type", "%s: a %s target is AverageValue%s", quote(string(t.Type)), m.Type, map[bool]string{true: "", false: " or Value"}[m.Type == autoscalingv2.PodsMetricSourceType])
		}
		return hm, value, means, nil
	}
	return hm, "", "", d.Errorf(field+".type", "%s: expected Resource, ContainerResource, Pods, Object or External", quote(string(m.Type)))
}

// signal is what boxes measures for a custom metric: the annotation for
// this metric, the annotation for all, or the metric's own name when it is
// a signal's name.
func signal(d *Document, field, name string) (hpa.Metric, string, error) {
	check := func(v, from string) (hpa.Metric, string, error) {
		s := hpa.Metric(strings.TrimSpace(v))
		if _, ok := meaning(s); !ok {
			return "", "", d.Errorf("metadata.annotations."+from, "%s: expected jobrate, concurrency, queue or utilization", quote(v))
		}
		return s, "from " + from, nil
	}
	if v, ok := d.Annotations[AnnotationSignalPrefix+name]; ok {
		return check(v, AnnotationSignalPrefix+name)
	}
	if v, ok := d.Annotations[AnnotationSignal]; ok {
		return check(v, AnnotationSignal)
	}
	if _, ok := meaning(hpa.Metric(name)); ok {
		return hpa.Metric(name), "by its name", nil
	}
	return "", "", d.Errorf(field, "%s: boxes has no signal for this metric; say what it measures with the annotation %s%s: jobrate|concurrency|queue|utilization (or %s for every custom metric)", quote(name), AnnotationSignalPrefix, name, AnnotationSignal)
}

// quantity is a positive, finite target.
func quantity(d *Document, field string, q *resource.Quantity) (float64, error) {
	if q == nil {
		return 0, d.Errorf(field, "missing")
	}
	v := q.AsApproximateFloat64()
	if !(v > 0) || math.IsInf(v, 0) {
		return 0, d.Errorf(field, "%s must be positive", quote(q.String()))
	}
	return v, nil
}

// rules maps one direction of behavior onto def (the API's defaults):
// a missing field keeps its default; stabilization defaults to
// defStab (0 up, the controller's 300 s down).
func rules(d *Document, field string, r *autoscalingv2.HPAScalingRules, def hpa.ScalingRules, defStab time.Duration, add func(field, value, means string)) (hpa.ScalingRules, error) {
	out := def
	out.Stabilization = defStab
	var given []string
	if r == nil {
		add(field, "(default)", describe(out))
		return out, nil
	}
	if r.StabilizationWindowSeconds != nil {
		s := *r.StabilizationWindowSeconds
		if s < 0 || s > 3600 {
			return out, d.Errorf(field+".stabilizationWindowSeconds", "%d must be in [0, 3600]", s)
		}
		out.Stabilization = time.Duration(s) * time.Second
		given = append(given, fmt.Sprintf("stabilizationWindowSeconds: %d", s))
	}
	if r.SelectPolicy != nil {
		switch *r.SelectPolicy {
		case autoscalingv2.MaxChangePolicySelect, autoscalingv2.MinChangePolicySelect, autoscalingv2.DisabledPolicySelect:
			out.Select = hpa.Select(*r.SelectPolicy)
			given = append(given, "selectPolicy: "+string(*r.SelectPolicy))
		default:
			return out, d.Errorf(field+".selectPolicy", "%s: expected Max, Min or Disabled", quote(string(*r.SelectPolicy)))
		}
	}
	if r.Policies != nil {
		out.Policies = nil
		for i, p := range r.Policies {
			pf := fmt.Sprintf("%s.policies[%d]", field, i)
			var t hpa.PolicyType
			switch p.Type {
			case autoscalingv2.PodsScalingPolicy:
				t = hpa.PolicyPods
			case autoscalingv2.PercentScalingPolicy:
				t = hpa.PolicyPercent
			default:
				return out, d.Errorf(pf+".type", "%s: expected Pods or Percent", quote(string(p.Type)))
			}
			if p.Value <= 0 {
				return out, d.Errorf(pf+".value", "%d must be positive", p.Value)
			}
			if p.PeriodSeconds <= 0 || p.PeriodSeconds > 1800 {
				return out, d.Errorf(pf+".periodSeconds", "%d must be in (0, 1800]", p.PeriodSeconds)
			}
			out.Policies = append(out.Policies, hpa.ScalingPolicy{Type: t, Value: int(p.Value), Period: time.Duration(p.PeriodSeconds) * time.Second})
		}
		if len(out.Policies) == 0 {
			return out, d.Errorf(field+".policies", "empty: the API requires at least one policy")
		}
		given = append(given, fmt.Sprintf("%d policies", len(out.Policies)))
	}
	if r.Tolerance != nil {
		v := r.Tolerance.AsApproximateFloat64()
		if !(v >= 0) || math.IsInf(v, 0) {
			return out, d.Errorf(field+".tolerance", "%s must be a non-negative fraction", quote(r.Tolerance.String()))
		}
		out.Tolerance = v
		given = append(given, "tolerance: "+r.Tolerance.String())
	}
	value := strings.Join(given, ", ")
	if value == "" {
		value = "{}"
	}
	add(field, value, describe(out))
	return out, nil
}

// describe says what one direction's rules do.
func describe(r hpa.ScalingRules) string {
	var ps []string
	for _, p := range r.Policies {
		if p.Type == hpa.PolicyPercent {
			ps = append(ps, fmt.Sprintf("%d%% per %v", p.Value, p.Period))
		} else {
			ps = append(ps, fmt.Sprintf("%d boxes per %v", p.Value, p.Period))
		}
	}
	sel := r.Select
	if sel == "" {
		sel = hpa.SelectMax
	}
	return fmt.Sprintf("stabilization %v, %s of [%s], tolerance %g", r.Stabilization, sel, strings.Join(ps, ", "), r.Tolerance)
}

func cpuRequest(h hpa.HPA) float64 {
	if h.CPURequest == 0 {
		return 1
	}
	return h.CPURequest
}

func busyUse(h hpa.HPA) string {
	if h.CPUPerJob > 0 {
		return fmt.Sprintf("%v of cpu per job", h.CPUPerJob)
	}
	return "its whole request"
}
