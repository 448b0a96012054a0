package nativecfg

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/boxes-project/boxes/policy"
	"github.com/boxes-project/boxes/policy/scaletozero"
)

// ScaledObject mirrors KEDA's ScaledObject (keda.sh/v1alpha1,
// apis/keda/v1alpha1/scaledobject_types.go).
type ScaledObject struct {
	APIVersion string           `yaml:"apiVersion"`
	Kind       string           `yaml:"kind"`
	Metadata   ObjectMeta       `yaml:"metadata"`
	Spec       ScaledObjectSpec `yaml:"spec"`
	Status     yaml.Node        `yaml:"status"`
}

// ScaledObjectSpec mirrors ScaledObjectSpec.
type ScaledObjectSpec struct {
	ScaleTargetRef        yaml.Node      `yaml:"scaleTargetRef"`
	PollingInterval       yaml.Node      `yaml:"pollingInterval"`
	CooldownPeriod        yaml.Node      `yaml:"cooldownPeriod"`
	InitialCooldownPeriod yaml.Node      `yaml:"initialCooldownPeriod"`
	IdleReplicaCount      yaml.Node      `yaml:"idleReplicaCount"`
	MinReplicaCount       yaml.Node      `yaml:"minReplicaCount"`
	MaxReplicaCount       yaml.Node      `yaml:"maxReplicaCount"`
	Advanced              *Advanced      `yaml:"advanced"`
	Triggers              []ScaleTrigger `yaml:"triggers"`
	Fallback              *KEDAFallback  `yaml:"fallback"`
}

// Advanced mirrors AdvancedConfig.
type Advanced struct {
	HorizontalPodAutoscalerConfig *HPAConfig `yaml:"horizontalPodAutoscalerConfig"`
	RestoreToOriginalReplicaCount yaml.Node  `yaml:"restoreToOriginalReplicaCount"`
	ScalingModifiers              yaml.Node  `yaml:"scalingModifiers"`
}

// HPAConfig mirrors HorizontalPodAutoscalerConfig.
type HPAConfig struct {
	Name     yaml.Node    `yaml:"name"`
	Behavior *K8sBehavior `yaml:"behavior"`
}

// K8sBehavior mirrors autoscaling/v2 HorizontalPodAutoscalerBehavior.
type K8sBehavior struct {
	ScaleUp   *K8sRules `yaml:"scaleUp"`
	ScaleDown *K8sRules `yaml:"scaleDown"`
}

// K8sRules mirrors HPAScalingRules.
type K8sRules struct {
	StabilizationWindowSeconds *int        `yaml:"stabilizationWindowSeconds"`
	SelectPolicy               string      `yaml:"selectPolicy"`
	Policies                   []K8sPolicy `yaml:"policies"`
	Tolerance                  yaml.Node   `yaml:"tolerance"`
}

// K8sPolicy mirrors HPAScalingPolicy.
type K8sPolicy struct {
	Type          string `yaml:"type"`
	Value         int    `yaml:"value"`
	PeriodSeconds int    `yaml:"periodSeconds"`
}

// ScaleTrigger mirrors ScaleTriggers.
type ScaleTrigger struct {
	Type              string               `yaml:"type"`
	Name              string               `yaml:"name"`
	MetricType        string               `yaml:"metricType"`
	UseCachedMetrics  yaml.Node            `yaml:"useCachedMetrics"`
	Metadata          map[string]yaml.Node `yaml:"metadata"`
	AuthenticationRef yaml.Node            `yaml:"authenticationRef"`
}

// KEDAFallback mirrors Fallback.
type KEDAFallback struct {
	FailureThreshold yaml.Node `yaml:"failureThreshold"`
	Replicas         yaml.Node `yaml:"replicas"`
	Behavior         yaml.Node `yaml:"behavior"`
}

// queueScalers maps a queue or stream scaler to its target and activation
// metadata keys (keda.sh/docs/latest/scalers). Their targets have
// defaults in KEDA; boxes asks for them to be written out.
var queueScalers = map[string][2]string{
	"rabbitmq":         {"value", "activationValue"},
	"aws-sqs-queue":    {"queueLength", "activationQueueLength"},
	"azure-queue":      {"queueLength", "activationQueueLength"},
	"azure-servicebus": {"messageCount", "activationMessageCount"},
	"redis":            {"listLength", "activationListLength"},
	"kafka":            {"lagThreshold", "activationLagThreshold"},
	"nats-jetstream":   {"lagThreshold", "activationLagThreshold"},
	"gcp-pubsub":       {"value", "activationValue"},
}

// ReadScaledObject reads a KEDA ScaledObject into a KEDA scaler (kind
// "keda"): pollingInterval, cooldownPeriod, initialCooldownPeriod,
// min/max/idleReplicaCount, fallback, the HPA's behavior, and the triggers
// boxes can measure:
//
//   - cpu (Utilization): metadata.value percent of the busy boxes;
//   - prometheus: metadata.threshold and activationThreshold; the query
//     is read as a request rate (jobrate) when it takes rate(), irate() or
//     increase(), else as a count in flight (concurrency); metadata
//     boxesMetric (jobrate, concurrency or queue) overrides the guess;
//   - the queue and stream scalers (rabbitmq, aws-sqs-queue, azure-queue,
//     azure-servicebus, redis, kafka, nats-jetstream, gcp-pubsub): the
//     events engine's queue, with the scaler's own target and activation
//     keys, the target written out.
//
// Other trigger types, memory, scalingModifiers and AverageValue cpu are
// refused.
func ReadScaledObject(data []byte, file string) (string, policy.Config, error) {
	var so ScaledObject
	if err := decode(data, file, &so); err != nil {
		return "", nil, err
	}
	if err := checkHeader(file, so.APIVersion, so.Kind, so.Metadata.Name, "keda.sh", "v1alpha1", "ScaledObject"); err != nil {
		return "", nil, err
	}
	k := scaletozero.DefaultKEDA()
	sp := so.Spec
	for _, f := range []struct {
		n    yaml.Node
		name string
		set  func(int)
	}{
		{sp.PollingInterval, "pollingInterval", func(x int) { k.PollingInterval = seconds(x) }},
		{sp.CooldownPeriod, "cooldownPeriod", func(x int) { k.CooldownPeriod = seconds(x) }},
		{sp.InitialCooldownPeriod, "initialCooldownPeriod", func(x int) { k.InitialCooldownPeriod = seconds(x) }},
		{sp.IdleReplicaCount, "idleReplicaCount", func(x int) { k.IdleReplicaCount = x }},
		{sp.MinReplicaCount, "minReplicaCount", func(x int) { k.MinReplicaCount = x }},
		{sp.MaxReplicaCount, "maxReplicaCount", func(x int) { k.MaxReplicaCount = x }},
	} {
		x, ok, err := nodeInt(f.n, file, "spec."+f.name)
		if err != nil {
			return "", nil, err
		}
		if ok {
			f.set(x)
		}
	}
	if fb := sp.Fallback; fb != nil {
		for _, f := range []struct {
			n    yaml.Node
			name string
			p    *int
		}{{fb.FailureThreshold, "failureThreshold", &k.Fallback.FailureThreshold}, {fb.Replicas, "replicas", &k.Fallback.Replicas}} {
			x, ok, err := nodeInt(f.n, file, "spec.fallback."+f.name)
			if err != nil {
				return "", nil, err
			}
			if ok {
				*f.p = x
			}
		}
	}
	if adv := sp.Advanced; adv != nil {
		if adv.ScalingModifiers.Kind != 0 {
			return "", nil, fmt.Errorf("nativecfg: %s:%d: spec.advanced.scalingModifiers is not modelled", file, adv.ScalingModifiers.Line)
		}
		if h := adv.HorizontalPodAutoscalerConfig; h != nil && h.Behavior != nil {
			k.Behavior.ScaleUp = rules(h.Behavior.ScaleUp)
			k.Behavior.ScaleDown = rules(h.Behavior.ScaleDown)
			if !k.Behavior.Set() {
				// An empty behavior is still a behavior: Kubernetes' defaults.
				k.Behavior.ScaleDown.StabilizationWindowSeconds = 300
			}
		}
	}
	k.Triggers = nil
	for i, t := range sp.Triggers {
		tr, err := trigger(t, i, file)
		if err != nil {
			return "", nil, err
		}
		k.Triggers = append(k.Triggers, tr)
	}
	if err := k.Validate(); err != nil {
		return "", nil, fmt.Errorf("nativecfg: %s: %w", file, err)
	}
	return so.Metadata.Name, k, nil
}

func rules(r *K8sRules) scaletozero.HPARules {
	out := scaletozero.HPARules{StabilizationWindowSeconds: -1}
	if r == nil {
		return out
	}
	if r.StabilizationWindowSeconds != nil {
		out.StabilizationWindowSeconds = *r.StabilizationWindowSeconds
	}
	out.SelectPolicy = r.SelectPolicy
	for _, p := range r.Policies {
		out.Policies = append(out.Policies, scaletozero.HPAPolicy{Type: p.Type, Value: p.Value, PeriodSeconds: p.PeriodSeconds})
	}
	return out
}

// trigger maps one KEDA trigger to a metric boxes measures.
func trigger(t ScaleTrigger, i int, file string) (scaletozero.Trigger, error) {
	where := fmt.Sprintf("spec.triggers[%d]", i)
	md := t.Metadata
	get := func(key string) (value, bool) {
		n, ok := md[key]
		return value{key: where + ".metadata." + key, text: n.Value, line: n.Line}, ok
	}
	num := func(key string, need bool) (float64, error) {
		v, ok := get(key)
		if !ok {
			if need {
				return 0, fmt.Errorf("nativecfg: %s: %s.metadata.%s is needed (boxes does not assume the scaler's default)", file, where, key)
			}
			return 0, nil
		}
		return v.float(file)
	}
	var tr scaletozero.Trigger
	var err error
	switch {
	case t.Type == "cpu":
		if t.MetricType != "" && t.MetricType != "Utilization" {
			return tr, fmt.Errorf("nativecfg: %s: %s cpu metricType %s is not modelled (only Utilization)", file, where, quote(t.MetricType))
		}
		tr.Metric = "cpu"
		var pct float64
		if pct, err = num("value", true); err != nil {
			return tr, err
		}
		tr.Target = pct / 100
	case t.Type == "prometheus":
		tr.Metric = "concurrency"
		if q, ok := get("query"); ok && (strings.Contains(q.text, "rate(") || strings.Contains(q.text, "increase(")) {
			tr.Metric = "jobrate"
		}
		if v, ok := get("boxesMetric"); ok {
			if v.text != "jobrate" && v.text != "concurrency" && v.text != "queue" {
				return tr, v.err(file, "%s is not jobrate, concurrency or queue", quote(v.text))
			}
			tr.Metric = v.text
		}
		if tr.Target, err = num("threshold", true); err != nil {
			return tr, err
		}
		if tr.ActivationTarget, err = num("activationThreshold", false); err != nil {
			return tr, err
		}
	default:
		keys, ok := queueScalers[t.Type]
		if !ok {
			known := append(slices.Sorted(maps.Keys(queueScalers)), "cpu", "prometheus")
			return tr, fmt.Errorf("nativecfg: %s: %s type %s is not one boxes can measure (%s)", file, where, quote(t.Type), strings.Join(known, ", "))
		}
		tr.Metric = "queue"
		if m, ok := get("mode"); ok && t.Type == "rabbitmq" && m.text == "MessageRate" {
			tr.Metric = "jobrate"
		}
		if tr.Target, err = num(keys[0], true); err != nil {
			return tr, err
		}
		if tr.ActivationTarget, err = num(keys[1], false); err != nil {
			return tr, err
		}
	}
	return tr, nil
}
