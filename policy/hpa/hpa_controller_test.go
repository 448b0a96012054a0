package hpa

import (
	"strings"
	"testing"
	"time"

	"github.com/boxes-project/boxes/policy"
	"github.com/boxes-project/boxes/policy/internal/policytest"
)

// The departures issue 13 names, each against the controller's source
// (kubernetes v1.35 pkg/controller/podautoscaler, [hz] horizontal.go and
// [rc] replica_calculator.go), derived by hand below each test.

// TestHPAScaleEventsOtherDirection: [hz] storeScaleEvent never deletes an
// event; markScaleEventsOutdated only lets a new event of the same
// direction take an outdated one's place, so scale-up events older than
// the scale-up policies' 30 s still count within the scale-down policy's
// 300 s (getReplicasChangePerPeriod filters by each policy's own period).
//
// Scale up Pods 10 per 30 s, scale down Pods 1 per 300 s, no windows, a
// jobrate target of 0.1 per box, from 1 box:
//
//	15 s: asks 21; limit 1 + 10 = 11                      → 11 (event +10 at 15)
//	30 s: asks 21; the 15 s event is within 30 s: 1 + 10  → 11
//	45 s: asks 21; 15 is not after 45 − 30: 11 + 10       → 21 (event +10 at 45)
//	60 s: asks 1; start of the 300 s period = 21 − 20 = 1, limit 1 − 1 = 0 → 1
//
// Dropping the 15 s event once it was 30 s old (as boxes did) gave a
// period start of 11 and 10 boxes at 60 s.
func TestHPAScaleEventsOtherDirection(t *testing.T) {
	h := bare(MetricJobRate, 0.1)
	h.ScaleUp.Policies = []ScalingPolicy{{Type: PolicyPods, Value: 10, Period: 30 * time.Second}}
	h.ScaleDown.Policies = []ScalingPolicy{{Type: PolicyPods, Value: 1, Period: 300 * time.Second}}
	wants := func(t float64, current int) policy.Metrics {
		if t < 60 {
			return toward(21)(t, current)
		}
		return toward(1)(t, current)
	}
	got := sequence(t, h, 1, 6, wants)
	want := []int{11, 11, 21, 1, 1, 1}
	if !equalInts(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

// TestHPARoundsUpWithoutGuard: [rc] int32(math.Ceil(usageRatio ×
// readyPodCount)) with usageRatio = 90 / 70 (whole percents):
// 1.2857142857142858 × 21 = 27.000000000000004 → 28. A CeilGuard of 1e-9
// forgives the noise and gives 27.
func TestHPARoundsUpWithoutGuard(t *testing.T) {
	h := bare(MetricCPU, 0.7)
	if got := once(t, h, perBox(MetricCPU, 0.9, 21), 21, 0); got != 28 {
		t.Errorf("no guard: got %d, want 28 as the controller", got)
	}
	h.CeilGuard = 1e-9
	if got := once(t, h, perBox(MetricCPU, 0.9, 21), 21, 0); got != 27 {
		t.Errorf("guard 1e-9: got %d, want 27", got)
	}
}

// TestHPAFirstReconcileZeroWindow: [hz] recordInitialRecommendation stores
// the current count a moment before stabilization reads it, so with a 0 s
// downscale window the first reconciliation can scale down (5 boxes at 20%
// of a 50% target: ceil(0.4 × 5) = 2), on both paths; with the default
// 300 s window the initial recommendation holds it at 5.
func TestHPAFirstReconcileZeroWindow(t *testing.T) {
	for _, legacy := range []bool{false, true} {
		h := bare(MetricCPU, 0.5)
		h.Legacy = legacy
		if got := once(t, h, perBox(MetricCPU, 0.2, 5), 5, 0); got != 2 {
			t.Errorf("legacy %v, 0 s window: got %d, want 2", legacy, got)
		}
		h.ScaleDown.Stabilization = DefaultDownStabilization
		if got := once(t, h, perBox(MetricCPU, 0.2, 5), 5, 0); got != 5 {
			t.Errorf("legacy %v, 300 s window: got %d, want 5", legacy, got)
		}
	}
}

// TestHPAScaleToZero: minReplicas 0 with an Object metric (HPAScaleToZero).
// A jobrate Value target of 10 jobs/s, no downscale window, the default
// policies, from 2 boxes:
//
//	15 s: 0 jobs/s: ratio 0, ceil(0 × 2) = 0; Percent 100 allows 0  → 0
//	30 s: 0 boxes, 0 jobs/s: [rc] getUsageRatioReplicaCount at 0
//	      replicas is ceil(ratio) = 0                               → 0
//	45 s: 5 jobs/s: ceil(0.5) = 1; from 0, Pods 4 allows 4            → 1
//	60 s: 25 jobs/s on 1 ready box: ceil(2.5 × 1) = 3                 → 3
func TestHPAScaleToZero(t *testing.T) {
	h := DefaultHPA()
	h.MinReplicas, h.ScaleToZero = 0, true
	h.ScaleDown.Stabilization = 0
	h.Metrics = []HPAMetric{{Type: SourceObject, Signal: MetricJobRate, TargetType: TargetValue, Target: 10, Name: "requests"}}
	rates := map[float64]float64{15: 0, 30: 0, 45: 5, 60: 25}
	got := sequence(t, h, 2, 4, func(t float64, current int) policy.Metrics {
		return policy.Metrics{JobRate: rates[t], Ready: float64(current)}
	})
	if want := []int{0, 0, 1, 3}; !equalInts(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	// Without ScaleToZero the count 0 disables scaling, and min 0 is refused
	// with only a Pods metric.
	bad := DefaultHPA()
	bad.MinReplicas, bad.ScaleToZero = 0, true
	if err := bad.Validate(); err == nil {
		t.Error("scale_to_zero with a cpu metric: no error")
	}
}

// TestHPACPUPerJob: a job of 200 ms latency that uses 20 ms of cpu on a pod
// requesting 0.5 cores: a busy box uses 0.02 / 0.2 = 0.1 cores, 20% of its
// request. Ten boxes all busy against a 50% target: ceil(0.4 × 10) = 4.
func TestHPACPUPerJob(t *testing.T) {
	h := bare(MetricCPU, 0.5)
	h.CPURequest, h.CPUPerJob = 0.5, 20*time.Millisecond
	run, err := h.Start(policy.Env{Latency: 0.2})
	if err != nil {
		t.Fatal(err)
	}
	m := policy.Metrics{Ready: 10, Busy: 10, JobRate: 50, Demand: 10}
	if got := run.Policy.Desired(&policy.Observation{Time: 15, Ready: 10, Latency: 0.2, History: policytest.ConstHistory(m)}); got != 4 {
		t.Errorf("got %d, want 4", got)
	}
}

// TestHPAMetricsValidate: the combinations of spec.metrics the API
// refuses, and the new settings' bounds.
func TestHPAMetricsValidate(t *testing.T) {
	with := func(f func(*HPA)) HPA { h := DefaultHPA(); f(&h); return h }
	m := func(typ MetricSource, sig Metric, tt TargetType, v float64) func(*HPA) {
		return func(h *HPA) { h.Metrics = []HPAMetric{{Type: typ, Signal: sig, TargetType: tt, Target: v, Name: "m"}} }
	}
	tests := []struct {
		name string
		h    HPA
		want string // "" for valid
	}{
		{"cpu utilization", with(m(SourceResource, MetricCPU, TargetUtilization, 0.65)), ""},
		{"cpu cores", with(m(SourceContainerResource, MetricCPU, TargetAverageValue, 0.3)), ""},
		{"object value", with(m(SourceObject, MetricJobRate, TargetValue, 100)), ""},
		{"external queue per box", with(m(SourceExternal, MetricQueue, TargetAverageValue, 5)), ""},
		{"resource on jobrate", with(m(SourceResource, MetricJobRate, TargetAverageValue, 1)), "reads cpu"},
		{"cpu in tenths of a percent", with(m(SourceResource, MetricCPU, TargetUtilization, 0.655)), "whole percent"},
		{"pods with a Value target", with(m(SourcePods, MetricJobRate, TargetValue, 1)), "cannot be"},
		{"pods on cpu", with(m(SourcePods, MetricCPU, TargetAverageValue, 1)), "signal is"},
		{"no target", with(m(SourceObject, MetricJobRate, TargetValue, 0)), "positive"},
		{"unknown type", with(m("Memory", MetricJobRate, TargetValue, 1)), "type"},
		{"scale to zero with min 1", with(func(h *HPA) { m(SourceObject, MetricJobRate, TargetValue, 1)(h); h.ScaleToZero = true }), "needs minReplicas 0"},
		{"ceil guard too large", with(func(h *HPA) { h.CeilGuard = 0.01 }), "ceil_guard"},
		{"negative request", with(func(h *HPA) { h.CPURequest = -1 }), "cpu_request"},
		{"negative cpu per job", with(func(h *HPA) { h.CPUPerJob = -time.Second }), "cpu_per_job"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.h.Validate()
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("unexpected error %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("got %v, want an error with %q", err, tt.want)
			}
		})
	}
}
