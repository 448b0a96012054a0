package hpa

import (
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/boxes-project/boxes"
	"github.com/boxes-project/boxes/policy"
	"github.com/boxes-project/boxes/schema"
)

// HPASpec is an HPA as a scenario writes it: the settings of a
// HorizontalPodAutoscaler spec and of its controller, with Kubernetes' own
// field names inside behavior so that a spec's behavior can be pasted in.
// Its defaults are Kubernetes' (DefaultHPA cites them); HPA converts it to
// the controller's config. A spec without behavior takes the path
// Kubernetes takes without one (HPA.Legacy).
type HPASpec struct {
	// Metric and Target: with no spec.metrics the API defaults to a cpu
	// Resource metric at averageUtilization 80.
	Metric Metric    `yaml:"metric" default:"cpu" enum:"cpu,utilization,jobrate" doc:"what it scales on: cpu (busy share, capped at 100%), utilization (demand over ready boxes) or jobrate (jobs/s per box)"`
	Target HPATarget `yaml:"target" default:"0.8" doc:"per-box target: a fraction for cpu and utilization (0.7 or 70%), a rate for jobrate (40/s)"`
	// Min is minReplicas, whose API default is 1; Max is maxReplicas.
	Min int `yaml:"min" default:"1" min:"0" max:"1000000" doc:"minReplicas: fewest boxes (0 means 1)"`
	Max int `yaml:"max" default:"0" min:"0" max:"1000000" doc:"maxReplicas: most boxes; 0 for no bound"`
	// SyncPeriod is --horizontal-pod-autoscaler-sync-period (15s).
	SyncPeriod time.Duration `yaml:"sync_period" default:"15s" min:"0s" max:"1h" doc:"time between two reconciliations; 0s for every engine step"`
	// Window is metrics-server's --metric-resolution (15s in its upstream
	// manifests).
	Window time.Duration `yaml:"window" default:"15s" min:"0s" max:"1h" doc:"how long the metric is averaged over (metrics-server's resolution)"`
	// Delay is one scrape interval (15s).
	Delay time.Duration `yaml:"delay" default:"15s" min:"0s" max:"1h" doc:"how old the newest metric is when read (one scrape interval)"`
	// Tolerance is --horizontal-pod-autoscaler-tolerance (0.1), both ways.
	Tolerance float64   `yaml:"tolerance" default:"0.1" min:"0" max:"10" doc:"how far the metric's ratio to the target may be from 1 before the count changes"`
	Behavior  *Behavior `yaml:"behavior" doc:"the spec's behavior; leave it out for the path Kubernetes takes with no behavior field"`
	// HPAOptions are spec.metrics, scale to zero and the controller's cpu
	// and rounding settings, declared once in HPAOptions.
	HPAOptions `yaml:",inline"`
}

// HPATarget is a target that is a fraction (cpu, utilization) or a rate
// (jobrate).
type HPATarget struct {
	Value float64
	Rate  bool // Value is jobs per second per box
}

// UnmarshalText reads "0.7", "70%" or "40/s".
func (t *HPATarget) UnmarshalText(b []byte) error {
	s := strings.TrimSpace(string(b))
	if strings.Contains(s, "/") {
		r, err := boxes.ParseRate(s)
		*t = HPATarget{Value: float64(r), Rate: true}
		return err
	}
	v, err := strconv.ParseFloat(strings.TrimSuffix(s, "%"), 64)
	if err != nil {
		return fmt.Errorf("%s is not a number or a rate", schema.Quote(s))
	}
	if strings.HasSuffix(s, "%") {
		v /= 100
	}
	*t = HPATarget{Value: v}
	return nil
}

// MarshalText writes what UnmarshalText reads.
func (t HPATarget) MarshalText() ([]byte, error) {
	if t.Rate {
		return []byte(boxes.Rate(t.Value).String()), nil
	}
	return []byte(strconv.FormatFloat(t.Value, 'g', -1, 64)), nil
}

// SchemaType names the type for the reference.
func (HPATarget) SchemaType() string { return "number or rate" }

// SchemaExample says what a value looks like.
func (HPATarget) SchemaExample() string { return "a fraction like 0.7 or a rate like 40/s" }

// Behavior is the spec's behavior: scaleUp and scaleDown, each starting
// from Kubernetes' defaults for its direction.
type Behavior struct {
	ScaleUp   Rules `yaml:"scaleUp" doc:"how it scales up"`
	ScaleDown Rules `yaml:"scaleDown" doc:"how it scales down"`
}

// Rules is one direction's HPAScalingRules.
type Rules struct {
	StabilizationWindowSeconds int           `yaml:"stabilizationWindowSeconds" min:"0" max:"3600" doc:"scale-up takes the lowest proposal of this many seconds, scale-down the highest"`
	SelectPolicy               Select        `yaml:"selectPolicy" enum:"Max,Min,Disabled" doc:"which policy wins: the one allowing the most change, the least, or none"`
	Policies                   []RulesPolicy `yaml:"policies" doc:"limits on the change per period; empty for none"`
	Tolerance                  *float64      `yaml:"tolerance" min:"0" max:"10" doc:"this direction's tolerance; default: the HPA's"`
}

// RulesPolicy is one HPAScalingPolicy.
type RulesPolicy struct {
	Type          PolicyType `yaml:"type,required" enum:"Pods,Percent" doc:"Pods or Percent"`
	Value         int        `yaml:"value,required" min:"1" max:"1000000" doc:"pods, or percent of the count at the start of the period"`
	PeriodSeconds int        `yaml:"periodSeconds,required" min:"1" max:"1800" doc:"the period, seconds"`
}

// defaultBehavior is Kubernetes v1.35's default behavior, the values of
// the autoscaling/v2 defaulting code (pkg/apis/autoscaling/v2/defaults.go,
// GenerateHPAScaleUpRules and GenerateHPAScaleDownRules) and of the docs'
// "Default behavior": scale up by 100% or 4 pods per 15 s, whichever is
// more, at once; scale down by 100% per 15 s after 300 s of stabilization.
func defaultBehavior() Behavior {
	return Behavior{
		ScaleUp: Rules{SelectPolicy: SelectMax, Policies: []RulesPolicy{
			{Type: PolicyPercent, Value: 100, PeriodSeconds: 15},
			{Type: PolicyPods, Value: 4, PeriodSeconds: 15},
		}},
		ScaleDown: Rules{StabilizationWindowSeconds: int(DefaultDownStabilization / time.Second), SelectPolicy: SelectMax, Policies: []RulesPolicy{
			{Type: PolicyPercent, Value: 100, PeriodSeconds: 15},
		}},
	}
}

func rulesOf(r ScalingRules) Rules {
	out := Rules{StabilizationWindowSeconds: int(r.Stabilization / time.Second), SelectPolicy: r.Select}
	for _, p := range r.Policies {
		out.Policies = append(out.Policies, RulesPolicy{Type: p.Type, Value: p.Value, PeriodSeconds: int(p.Period / time.Second)})
	}
	return out
}

func (r Rules) scalingRules(tolerance float64) ScalingRules {
	out := ScalingRules{Stabilization: time.Duration(r.StabilizationWindowSeconds) * time.Second, Select: r.SelectPolicy, Tolerance: tolerance}
	if r.Tolerance != nil {
		out.Tolerance = *r.Tolerance
	}
	for _, p := range r.Policies {
		out.Policies = append(out.Policies, ScalingPolicy{Type: p.Type, Value: p.Value, Period: time.Duration(p.PeriodSeconds) * time.Second})
	}
	return out
}

// UnmarshalSchema reads a behavior on top of Kubernetes' defaults: a
// direction or a field left out keeps its default, as the API server fills
// them.
func (b *Behavior) UnmarshalSchema(d *schema.Decoder, n *yaml.Node, path string) error {
	*b = defaultBehavior()
	type plain Behavior
	return d.Decode(n, (*plain)(b), path)
}

// ListSchema lists the behavior's settings with Kubernetes' defaults.
func (b *Behavior) ListSchema(prefix string) []schema.Setting {
	type plain Behavior
	p := plain(defaultBehavior())
	return schema.ListValue(&p, prefix, "")
}

// HPA is the controller's config. A spec without behavior takes the legacy
// path, whose rules are the default behavior's where it reads them.
func (s HPASpec) HPA() HPA {
	h := HPA{Metric: s.Metric, MinReplicas: s.Min, MaxReplicas: s.Max,
		SyncPeriod: s.SyncPeriod, Window: s.Window, Delay: s.Delay, HPAOptions: s.HPAOptions}
	if s.Target.Rate {
		h.TargetRate = boxes.Rate(s.Target.Value)
	} else {
		h.Target = s.Target.Value
	}
	b := defaultBehavior()
	if s.Behavior == nil {
		h.Legacy = true
	} else {
		b = *s.Behavior
	}
	h.ScaleUp = b.ScaleUp.scalingRules(s.Tolerance)
	h.ScaleDown = b.ScaleDown.scalingRules(s.Tolerance)
	return h
}

// Validate checks that the target's form suits the metric, then the
// controller's rules.
func (s HPASpec) Validate() error {
	if s.Target.Rate != (s.Metric == MetricJobRate) {
		if s.Target.Rate {
			return fmt.Errorf("policy: hpa: target %s is a rate; metric %s takes a fraction like 0.7 (or use metric jobrate)", boxes.Rate(s.Target.Value), s.Metric)
		}
		return errors.New("policy: hpa: metric jobrate takes a target rate like 40/s (jobs per second per box)")
	}
	return s.HPA().Validate()
}

// Start starts the controller.
func (s HPASpec) Start(env policy.Env) (policy.Run, error) { return s.HPA().Start(env) }

// SpecOf writes a controller config h (what a manifest reader makes) as a
// scenario's hpa; ok is false when the spec cannot say all of h, so that
// running the spec would not run h.
func SpecOf(h HPA) (s HPASpec, ok bool) {
	s = HPASpec{Metric: h.Metric, Min: h.MinReplicas, Max: h.MaxReplicas,
		SyncPeriod: h.SyncPeriod, Window: h.Window, Delay: h.Delay,
		Tolerance: h.ScaleUp.Tolerance, HPAOptions: h.HPAOptions}
	s.Target = HPATarget{Value: h.Target}
	if h.Metric == MetricJobRate {
		s.Target = HPATarget{Value: float64(h.TargetRate), Rate: true}
	}
	if !h.Legacy {
		b := Behavior{ScaleUp: rulesOf(h.ScaleUp), ScaleDown: rulesOf(h.ScaleDown)}
		if t := h.ScaleDown.Tolerance; t != s.Tolerance {
			b.ScaleDown.Tolerance = &t
		}
		s.Behavior = &b
	}
	return s, reflect.DeepEqual(s.HPA(), h)
}
