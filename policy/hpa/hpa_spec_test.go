package hpa

import (
	"reflect"
	"testing"
	"time"

	"github.com/boxes-project/boxes/policy"
	"github.com/boxes-project/boxes/schema"
)

// TestHPASpecDefaults: the scenario's HPA settings default to what
// DefaultHPA says Kubernetes v1.35 defaults (hpa.go cites each source),
// with a behavior block or without one (the legacy path).
func TestHPASpecDefaults(t *testing.T) {
	var s HPASpec
	if err := schema.SetDefaults(&s); err != nil {
		t.Fatal(err)
	}
	legacy := DefaultHPA()
	legacy.Legacy = true
	if got := s.HPA(); !reflect.DeepEqual(got, legacy) {
		t.Errorf("without behavior:\n got %+v\nwant %+v", got, legacy)
	}
	b := defaultBehavior()
	s.Behavior = &b
	if got := s.HPA(); !reflect.DeepEqual(got, DefaultHPA()) {
		t.Errorf("with behavior: {}:\n got %+v\nwant %+v", got, DefaultHPA())
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
