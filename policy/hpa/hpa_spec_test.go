package hpa

import (
	"reflect"
	"testing"
	"time"

	"github.com/boxes-project/boxes/policy"
	"github.com/boxes-project/boxes/schema"
)

// TestDefaultHPA: DefaultHPA, made from HPASpec's tags and the default
// behavior, is what Kubernetes v1.35 defaults, each value from its source:
// the autoscaling/v2 API's defaults (cpu at averageUtilization 80,
// minReplicas 1) and defaulting code (pkg/apis/autoscaling/v2/defaults.go:
// scale up 100% or 4 pods per 15 s, selectPolicy Max, no stabilization;
// scale down 100% per 15 s after 300 s), kube-controller-manager's flags
// (--horizontal-pod-autoscaler-sync-period 15s, -tolerance 0.1,
// -cpu-initialization-period 5m, -initial-readiness-delay 30s) and
// metrics-server's upstream manifests (--metric-resolution 15s, read one
// 15 s scrape late). A spec without behavior is the same HPA on the legacy
// path.
func TestDefaultHPA(t *testing.T) {
	want := HPA{
		Metric:      MetricCPU,
		Target:      0.8,
		MinReplicas: 1,
		SyncPeriod:  15 * time.Second,
		Window:      15 * time.Second,
		Delay:       15 * time.Second,
		ScaleUp: ScalingRules{
			Policies: []ScalingPolicy{
				{Type: PolicyPercent, Value: 100, Period: 15 * time.Second},
				{Type: PolicyPods, Value: 4, Period: 15 * time.Second},
			},
			Select:    SelectMax,
			Tolerance: 0.1,
		},
		ScaleDown: ScalingRules{
			Stabilization: 300 * time.Second,
			Policies:      []ScalingPolicy{{Type: PolicyPercent, Value: 100, Period: 15 * time.Second}},
			Select:        SelectMax,
			Tolerance:     0.1,
		},
		HPAOptions: HPAOptions{
			CPUInitializationPeriod: 5 * time.Minute,
			InitialReadinessDelay:   30 * time.Second,
			CPURequest:              1,
		},
	}
	if got := DefaultHPA(); !reflect.DeepEqual(got, want) {
		t.Errorf("DefaultHPA:\n got %+v\nwant %+v", got, want)
	}
	var s HPASpec
	if err := schema.SetDefaults(&s); err != nil {
		t.Fatal(err)
	}
	legacy := want
	legacy.Legacy = true
	if got := s.HPA(); !reflect.DeepEqual(got, legacy) {
		t.Errorf("without behavior:\n got %+v\nwant %+v", got, legacy)
	}
	b := defaultBehavior()
	s.Behavior = &b
	if got := s.HPA(); !reflect.DeepEqual(got, want) {
		t.Errorf("with behavior: {}:\n got %+v\nwant %+v", got, want)
	}
	// Fixed's and Serverless's defaults are their tags' (DefaultFixed and
	// DefaultServerless read them); Target needs its utilization.
	if f := policy.DefaultFixed(); f != (policy.Fixed{Utilization: 0.8, At: policy.Peak}) {
		t.Errorf("DefaultFixed %+v", f)
	}
}

// TestSpecOf: a controller config a manifest reader makes is written as a
// scenario's hpa that runs the same controller, or refused.
func TestSpecOf(t *testing.T) {
	withBehavior := DefaultHPA()
	withBehavior.ScaleDown.Tolerance = 0.05 // a direction's own tolerance
	withBehavior.ScaleUp.Stabilization = 30 * time.Second
	legacy := DefaultHPA()
	legacy.Legacy = true
	metrics := DefaultHPA()
	metrics.MinReplicas, metrics.ScaleToZero = 0, true
	metrics.Metrics = []HPAMetric{{Type: SourceExternal, Signal: MetricQueue, TargetType: TargetAverageValue, Target: 20, Name: "backlog"}}
	metrics.CPURequest, metrics.CPUPerJob = 0.5, 30*time.Millisecond
	rate := DefaultHPA()
	rate.Metric, rate.Target, rate.TargetRate = MetricJobRate, 0, 40
	odd := DefaultHPA()
	odd.ScaleUp.Policies = nil
	odd.Legacy = true
	odd.ScaleUp.Stabilization = time.Minute // unused on the legacy path, and not writable
	for name, c := range map[string]struct {
		h  HPA
		ok bool
	}{
		"the defaults with behavior":  {DefaultHPA(), true},
		"a direction's own tolerance": {withBehavior, true},
		"no behavior (legacy)":        {legacy, true},
		"metrics, scale to zero, cpu": {metrics, true},
		"a jobrate target":            {rate, true},
		"a setting a spec cannot say": {odd, false},
	} {
		s, ok := SpecOf(c.h)
		if ok != c.ok {
			t.Errorf("%s: ok %v, want %v", name, ok, c.ok)
		}
		if ok && !reflect.DeepEqual(s.HPA(), c.h) {
			t.Errorf("%s: the spec runs %+v, not %+v", name, s.HPA(), c.h)
		}
	}
}
