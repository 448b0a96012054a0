package hpa

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/boxes-project/boxes"
	"github.com/boxes-project/boxes/policy"
	"github.com/boxes-project/boxes/policy/internal/policytest"
)

// Sources cited below:
//
//	[algo]   https://kubernetes.io/docs/concepts/workloads/autoscaling/horizontal-pod-autoscale/#algorithm-details
//	[pol]    same page, #scaling-policies
//	[stab]   same page, #stabilization-window
//	[tol]    same page, #tolerance
//	[def]    same page, #default-behavior
//	[ex]     same page, "Example: limit scale down rate" and "Example: disable scale down"
//	[api]    k8s.io/api autoscaling/v2 types.go, HPAScalingRules.tolerance (the API reference)
//	[blog]   https://kubernetes.io/blog/2025/04/28/kubernetes-v1-33-hpa-configurable-tolerance/
//	[kep]    KEP-4951 "Configurable tolerance for HPA", Summary
//	[rc]     kubernetes v1.35 pkg/controller/podautoscaler/replica_calculator.go
//	[hz]     kubernetes v1.35 pkg/controller/podautoscaler/horizontal.go

// funcHistory reports what f says for the window [from, to).
type funcHistory func(from, to float64) (policy.Metrics, bool)

func (f funcHistory) Window(from, to float64, m *policy.Metrics) bool {
	v, ok := f(from, to)
	if ok {
		*m = v
	}
	return ok
}

// perBox is the window averages of n ready boxes each reading v on metric
// m: jobs/s for jobrate, the articles' utilization, or the busy fraction for
// cpu. The job latency is 1 s.
func perBox(m Metric, v, n float64) policy.Metrics {
	switch m {
	case MetricJobRate:
		return policy.Metrics{JobRate: v * n, Ready: n, Demand: v * n, Busy: math.Min(v*n, n)}
	case MetricUtilization:
		return policy.Metrics{JobRate: v * n, Ready: n, Demand: v * n, Busy: math.Min(v*n, n)}
	}
	return policy.Metrics{JobRate: v * n, Ready: n, Demand: v * n, Busy: v * n}
}

// bare is an HPA whose behavior neither stabilizes nor limits the rate, so
// that a single reconciliation shows the replica calculator alone.
func bare(m Metric, target float64) HPA {
	h := HPA{Metric: m, MinReplicas: 1, SyncPeriod: 15 * time.Second, Window: 15 * time.Second, Delay: 15 * time.Second}
	if m == MetricJobRate {
		h.TargetRate = boxes.Rate(target)
	} else {
		h.Target = target
	}
	h.ScaleUp.Tolerance, h.ScaleDown.Tolerance = upstreamTolerance, upstreamTolerance
	return h
}

// once starts h and runs one reconciliation at 15 s, with ready and booting
// boxes and the window averages m.
func once(t *testing.T, h HPA, m policy.Metrics, ready, booting int) int {
	t.Helper()
	run, err := h.Start(policy.Env{Latency: 1})
	if err != nil {
		t.Fatal(err)
	}
	return run.Policy.Desired(&policy.Observation{Time: 15, Ready: ready, Booting: booting, Latency: 1, History: policytest.ConstHistory(m)})
}

// TestHPADocExamples runs the worked examples of the Kubernetes
// documentation through one reconciliation each. The Pods metric examples
// in milli-units ("200m") use jobrate with a target of 0.1 jobs/s per box.
func TestHPADocExamples(t *testing.T) {
	withTol := func(h HPA, up, down float64) HPA {
		h.ScaleUp.Tolerance, h.ScaleDown.Tolerance = up, down
		return h
	}
	tests := []struct {
		name    string
		h       HPA
		value   float64 // per ready box
		ready   int
		booting int
		sampled float64 // ready boxes the window saw; 0 means all
		want    int
	}{
		// [algo] "if the current metric value is 200m, and the desired
		// value is 100m, the number of replicas will be doubled, since
		// 200.0 / 100.0 == 2.0"
		{"[algo] 200m over 100m doubles 3", bare(MetricJobRate, 0.1), 0.2, 3, 0, 0, 6},
		{"[algo] 200m over 100m doubles 10", bare(MetricJobRate, 0.1), 0.2, 10, 0, 0, 20},
		// [algo] "If the current value is instead 50m, you'll halve the
		// number of replicas, since 50.0 / 100.0 == 0.5"
		{"[algo] 50m over 100m halves 6", bare(MetricJobRate, 0.1), 0.05, 6, 0, 0, 3},
		// [algo] "The control plane skips any scaling action if the ratio is
		// sufficiently close to 1.0 (within a configurable tolerance, 0.1 by
		// default)": 105m is a ratio of 1.05, 92m of 0.92.
		{"[algo] 105m: within 0.1, 10 stay (formula alone: 11)", bare(MetricJobRate, 0.1), 0.105, 10, 0, 0, 10},
		{"[algo] 92m: within 0.1, 20 stay (formula alone: 19)", bare(MetricJobRate, 0.1), 0.092, 20, 0, 0, 20},
		{"[algo] 89m: outside 0.1, ceil(0.89 × 20) = 18", bare(MetricJobRate, 0.1), 0.089, 20, 0, 0, 18},
		// [blog] "50 replicas ... target of 75% utilization ... current CPU
		// utilization across all replicas is 90% ... 50 × (90/75) = 60 ...
		// 20% above target, exceeding the 10% tolerance"
		{"[blog] cpu 90% over 75%: 50 → 60", bare(MetricCPU, 0.75), 0.90, 50, 0, 0, 60},
		// [kep] "a workload with 100 currentReplicas and a usage ratio ...
		// of 1.07, the calculated desiredReplicas would be 107 (100 * 1.07)",
		// which the default 10% tolerance skips; a 5% scale-up tolerance
		// lets it through.
		{"[kep] ratio 1.07, tolerance 0.1: 100 stay", bare(MetricJobRate, 100), 107, 100, 0, 0, 100},
		{"[kep] ratio 1.07, scale-up tolerance 0.05: 107", withTol(bare(MetricJobRate, 100), 0.05, 0.1), 107, 100, 0, 0, 107},
		// [tol] "target memory consumption of 100MiB and a scale-up
		// tolerance of 5% ... will only consider scaling up if the memory
		// consumption is higher than 105MiB"
		{"[tol] 105 of 100 with up 5%: no change", withTol(bare(MetricJobRate, 100), 0.05, 0.1), 105, 50, 0, 0, 50},
		{"[tol] 106 of 100 with up 5%: ceil(1.06 × 50) = 53", withTol(bare(MetricJobRate, 100), 0.05, 0.1), 106, 50, 0, 0, 53},
		// [api] "target of 100Mi, and scale-down and scale-up tolerances of
		// 5% and 1% respectively, scaling will be triggered when the actual
		// consumption falls below 95Mi or exceeds 101Mi" (the bounds are
		// inclusive: [rc] isWithin is (1-down) <= ratio <= (1+up))
		{"[api] 95 of 100, down 5%: no change", withTol(bare(MetricJobRate, 100), 0.01, 0.05), 95, 100, 0, 0, 100},
		{"[api] 94 of 100, down 5%: 94", withTol(bare(MetricJobRate, 100), 0.01, 0.05), 94, 100, 0, 0, 94},
		{"[api] 101 of 100, up 1%: no change", withTol(bare(MetricJobRate, 100), 0.01, 0.05), 101, 100, 0, 0, 100},
		{"[api] 102 of 100, up 1%: 102", withTol(bare(MetricJobRate, 100), 0.01, 0.05), 102, 100, 0, 0, 102},
		// [rc] GetResourceUtilizationRatio truncates to a whole percent:
		// 88.5% reads as 88, and 88/80 = 1.1 is within the tolerance
		// (88.5/80 = 1.106 would not be).
		{"[rc] cpu 88.5% reads 88%: within 10% of 80%", bare(MetricCPU, 0.8), 0.885, 10, 0, 0, 10},
		{"[rc] cpu 89% of 80%: ceil(1.1125 × 10) = 12", bare(MetricCPU, 0.8), 0.89, 10, 0, 0, 12},
		// [algo] "if any not-yet-ready pods were present, and the workload
		// would have scaled up ..., the controller conservatively assumes
		// that the not-yet-ready pods are consuming 0% of the desired
		// metric ... If the new ratio reverses the scale direction, or is
		// within the tolerance, the controller doesn't take any scaling
		// action." 8 ready at 131.25m, 2 booting: the ratio 1.3125 says
		// ceil(10.5) = 11, but 8 × 131.25 / 10 = 105m is within tolerance,
		// so the 10 stay.
		{"[algo] booting at 0%: 105m after recount, 10 stay", bare(MetricJobRate, 0.1), 0.13125, 8, 2, 0, 10},
		// ... and outside the tolerance the recount decides: 8 ready at
		// 200m, 2 booting: 1600m over 10 boxes is 160m, ceil(1.6 × 10) = 16.
		{"[algo] booting at 0%: 160m after recount, 16", bare(MetricJobRate, 0.1), 0.2, 8, 2, 0, 16},
		// On a scale down booting boxes are left out: 8 ready at 50m, 2
		// booting: ceil(0.5 × 8) = 4.
		{"[rc] scale down ignores booting boxes", bare(MetricJobRate, 0.1), 0.05, 8, 2, 0, 4},
		// ... and a recount that reverses the direction keeps the count: 4
		// ready at 120m, 4 booting: 480m over 8 is 60m, a scale down.
		{"[algo] recount reverses direction: 8 stay", bare(MetricJobRate, 0.1), 0.12, 4, 4, 0, 8},
		// [algo] "If there were any missing metrics, the control plane
		// recomputes the average more conservatively, assuming those pods
		// were consuming 100% of the desired value in case of a scale down,
		// and 0% in case of a scale up." 10 ready, the window saw 8 at 50m:
		// (8 × 50 + 2 × 100) / 10 = 60m, ceil(0.6 × 10) = 6 (not 5).
		{"[algo] missing at 100% on a scale down", bare(MetricJobRate, 0.1), 0.05, 10, 0, 8, 6},
		// 10 ready, the window saw 8 at 200m: 1600m / 10 = 160m → 16 (not 20).
		{"[algo] missing at 0% on a scale up", bare(MetricJobRate, 0.1), 0.2, 10, 0, 8, 16},
		// [rc] for cpu a missing pod on a scale down uses 100% of its
		// request: 8 at 25%, 2 missing, target 50%: (200 + 200) / 10 = 40%,
		// ceil(0.8 × 10) = 8.
		{"[rc] cpu missing at 100% of request on a scale down", bare(MetricCPU, 0.5), 0.25, 10, 0, 8, 8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sampled := tt.sampled
			if sampled == 0 {
				sampled = float64(tt.ready)
			}
			m := tt.h.Metric
			if m == "" {
				m = MetricCPU
			}
			got := once(t, tt.h, perBox(m, tt.value, sampled), tt.ready, tt.booting)
			if got != tt.want {
				t.Errorf("got %d replicas, want %d", got, tt.want)
			}
		})
	}
}

// TestHPACPUSaturates: busy time cannot exceed 100%, so however far behind
// an overloaded system is, one reconciliation scales cpu by at most
// 1/target. 4 boxes facing 40 boxes' worth of jobs read 100%: 100/80 =
// 1.25, ceil(1.25 × 4) = 5. The utilization metric sees the whole 10×.
func TestHPACPUSaturates(t *testing.T) {
	m := policy.Metrics{JobRate: 40, Ready: 4, Busy: 4, Demand: 40}
	if got := once(t, bare(MetricCPU, 0.8), m, 4, 0); got != 5 {
		t.Errorf("cpu: got %d, want 5", got)
	}
	if got := once(t, bare(MetricUtilization, 0.8), m, 4, 0); got != 50 {
		t.Errorf("utilization: got %d, want ceil(40/0.8) = 50", got)
	}
}

// TestHPAReconcileGuards: the checks of reconcileAutoscaler [hz] before any
// metric is read, and no action without metrics.
func TestHPAReconcileGuards(t *testing.T) {
	h := bare(MetricJobRate, 0.1)
	h.MinReplicas, h.MaxReplicas = 2, 6
	high := perBox(MetricJobRate, 0.5, 4) // asks for 20
	tests := []struct {
		name           string
		hist           policy.History
		ready, booting int
		want           int
	}{
		{"above maxReplicas: max, whatever the metric", policytest.ConstHistory(perBox(MetricJobRate, 0.01, 9)), 9, 0, 6},
		{"below minReplicas: min", policytest.ConstHistory(high), 1, 0, 2},
		{"no replicas: scaling disabled, stays 0", policytest.ConstHistory(high), 0, 0, 0},
		{"the metric asks for 20: capped at max 6", policytest.ConstHistory(high), 4, 0, 6},
		{"no history: no action", nil, 4, 0, 4},
		{"no window recorded yet: no action", funcHistory(func(_, _ float64) (policy.Metrics, bool) { return policy.Metrics{}, false }), 4, 1, 5},
		{"no ready box: no metrics, no action", policytest.ConstHistory(policy.Metrics{}), 0, 3, 3},
	}
	for _, tt := range tests {
		run, err := h.Start(policy.Env{})
		if err != nil {
			t.Fatal(err)
		}
		o := &policy.Observation{Time: 15, Ready: tt.ready, Booting: tt.booting, History: tt.hist}
		if got := run.Policy.Desired(o); got != tt.want {
			t.Errorf("%s: got %d, want %d", tt.name, got, tt.want)
		}
	}
}

// sequence runs one started policy through reconciliations every 15 s from
// 15 s, the count following its own decisions (boxes ready at once), on the
// window averages hist(t) gives at each. It returns the decisions.
func sequence(t *testing.T, h HPA, initial, steps int, hist func(t float64, current int) policy.Metrics) []int {
	t.Helper()
	run, err := h.Start(policy.Env{Latency: 1})
	if err != nil {
		t.Fatal(err)
	}
	current := initial
	var got []int
	for i := 1; i <= steps; i++ {
		now := 15 * float64(i)
		m := hist(now, current)
		current = run.Policy.Desired(&policy.Observation{Time: now, Ready: current, Latency: 1, History: policytest.ConstHistory(m)})
		got = append(got, current)
	}
	return got
}

// toward gives window averages that make the jobrate metric (target 0.1)
// ask for exactly n boxes, whatever the current count: a total of n × 0.1
// jobs/s spread over the current boxes.
func toward(n int) func(float64, int) policy.Metrics {
	return func(_ float64, current int) policy.Metrics {
		return policy.Metrics{JobRate: float64(n) * 0.1, Ready: float64(current)}
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestHPAScaleDownPolicies is the example of [pol]: Pods 4 and Percent 10
// per 60 s, the larger change selected. "if there are 80 replicas and the
// target has to be scaled down to 10 replicas then during the first step 8
// replicas will be reduced. In the next iteration when the number of
// replicas is 72, 10% of the pods is 7.2 but the number is rounded up to 8.
// ... When the number of replicas falls below 40 the first policy (Pods) is
// applied and 4 replicas will be reduced at a time." The stabilization
// window is set to 0 to show the policies alone.
//
// Derivation ([hz] calculateScaleDownLimitWithBehaviors, a reconciliation
// every 15 s): the removals of the last 60 s count against the period, so
// after a step nothing moves until its event is 60 s old (an event exactly
// 60 s old no longer counts). Each step takes the lower of periodStart − 4
// and trunc(periodStart × 0.9):
//
//	t=15  80 → min(76, 72) = 72
//	t=75  72 → min(68, 64) = 64      (7.2 rounded up to 8, as quoted)
//	t=135 64 → min(60, 57) = 57
//	t=195 57 → min(53, 51) = 51
//	t=255 51 → min(47, 45) = 45
//	t=315 45 → min(41, 40) = 40
//	t=375 40 → min(36, 36) = 36      (from here Pods: 4 at a time)
//	t=435 32, t=495 28, t=555 24, t=615 20, t=675 16, t=735 12
//	t=795 12 → min(8, 10) but not below the proposal 10 → 10
func TestHPAScaleDownPolicies(t *testing.T) {
	h := bare(MetricJobRate, 0.1)
	h.ScaleDown.Policies = []ScalingPolicy{
		{Type: PolicyPods, Value: 4, Period: 60 * time.Second},
		{Type: PolicyPercent, Value: 10, Period: 60 * time.Second},
	}
	got := sequence(t, h, 80, 56, toward(10))
	var want []int
	for _, s := range []struct{ until, n int }{
		{4, 72}, {8, 64}, {12, 57}, {16, 51}, {20, 45}, {24, 40}, {28, 36},
		{32, 32}, {36, 28}, {40, 24}, {44, 20}, {48, 16}, {52, 12}, {56, 10},
	} {
		for len(want) < s.until {
			want = append(want, s.n)
		}
	}
	if !equalInts(got, want) {
		t.Errorf("trajectory\n got %v\nwant %v", got, want)
	}
}

// TestHPASelectMin is [ex] "To ensure that no more than 5 Pods are removed
// per minute, you can add a second scale-down policy with a fixed size of 5,
// and set selectPolicy to minimum": Percent 10 and Pods 5 per 60 s, Min.
// From 80: max(trunc(72), 75) = 75, five removed; from 30: max(27, 25) = 27,
// three (10%) removed.
func TestHPASelectMin(t *testing.T) {
	h := bare(MetricJobRate, 0.1)
	h.ScaleDown.Select = SelectMin
	h.ScaleDown.Policies = []ScalingPolicy{
		{Type: PolicyPercent, Value: 10, Period: 60 * time.Second},
		{Type: PolicyPods, Value: 5, Period: 60 * time.Second},
	}
	if got := sequence(t, h, 80, 1, toward(10)); got[0] != 75 {
		t.Errorf("from 80: got %d, want 75", got[0])
	}
	if got := sequence(t, h, 30, 1, toward(10)); got[0] != 27 {
		t.Errorf("from 30: got %d, want 27", got[0])
	}
	// The same policies with the default selectPolicy, Max: the larger
	// change, 8 of 80.
	h.ScaleDown.Select = SelectMax
	if got := sequence(t, h, 80, 1, toward(10)); got[0] != 72 {
		t.Errorf("Max from 80: got %d, want 72", got[0])
	}
}

// TestHPADisabled is [ex] "The selectPolicy value of Disabled turns off
// scaling the given direction": scale down disabled, scale up still works.
func TestHPADisabled(t *testing.T) {
	h := bare(MetricJobRate, 0.1)
	h.ScaleDown.Select = SelectDisabled
	if got := sequence(t, h, 20, 3, toward(5)); !equalInts(got, []int{20, 20, 20}) {
		t.Errorf("scale down disabled: got %v, want 20 throughout", got)
	}
	if got := sequence(t, h, 5, 1, toward(20)); got[0] != 20 {
		t.Errorf("scale up: got %d, want 20", got[0])
	}
	h.ScaleUp.Select = SelectDisabled
	if got := sequence(t, h, 5, 2, toward(20)); !equalInts(got, []int{5, 5}) {
		t.Errorf("scale up disabled: got %v, want 5, 5", got)
	}
}

// TestHPADefaultScaleUp is [def]: "There are 2 policies where 4 pods or a
// 100% of the currently running replicas may at most be added every 15
// seconds till the HPA reaches its steady state." Reconciling every 15 s,
// each step starts a fresh period: from 1 box, max(1 + 4, 2 × 1) = 5, then
// max(9, 10) = 10, then 20, 40, and the proposal 50.
func TestHPADefaultScaleUp(t *testing.T) {
	h := DefaultHPA()
	h.Metric, h.TargetRate = MetricJobRate, 0.1
	got := sequence(t, h, 1, 6, toward(50))
	if want := []int{5, 10, 20, 40, 50, 50}; !equalInts(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

// TestHPADefaultScaleDown is [stab] and [def]: "When the metrics indicate
// that the target should be scaled down the algorithm looks into previously
// computed desired states, and uses the highest value from the specified
// interval ... all desired states from the past 5 minutes", and the single
// default policy "allows a 100% of the currently running replicas to be
// removed". The proposal is 10 at 15 s and 4 from 30 s; the 10 of 15 s
// counts while it is newer than the cutoff now − 300 s, so through 300 s,
// and at 315 s the count drops straight to 4.
func TestHPADefaultScaleDown(t *testing.T) {
	h := DefaultHPA()
	h.Metric, h.TargetRate = MetricJobRate, 0.1
	got := sequence(t, h, 10, 22, func(now float64, current int) policy.Metrics {
		if now == 15 {
			return toward(10)(now, current)
		}
		return toward(4)(now, current)
	})
	want := make([]int, 22)
	for i := range want {
		want[i] = 10
		if 15*(i+1) >= 315 {
			want[i] = 4
		}
	}
	if !equalInts(got, want) {
		t.Errorf("got  %v\nwant %v", got, want)
	}
}

// TestHPAPeriodStart follows periodStartReplicas [hz] over several periods:
// a scale-up policy of 4 pods per 60 s climbs 1, 5, 9, 13, 17, 20, moving
// only when the previous step's event is 60 s old.
func TestHPAPeriodStart(t *testing.T) {
	h := bare(MetricJobRate, 0.1)
	h.ScaleUp.Policies = []ScalingPolicy{{Type: PolicyPods, Value: 4, Period: 60 * time.Second}}
	got := sequence(t, h, 1, 21, toward(20))
	want := []int{
		5, 5, 5, 5, // t=15..60: the +4 of 15 s counts until 75 s
		9, 9, 9, 9, // t=75
		13, 13, 13, 13, // t=135
		17, 17, 17, 17, // t=195
		20, 20, 20, 20, 20, // t=255: the proposal, below the limit 21
	}
	if !equalInts(got, want) {
		t.Errorf("got  %v\nwant %v", got, want)
	}
}

// TestHPAPeriodStartCountsRemovals: periodStart = current − added + removed
// within the period ([hz] calculateScaleUpLimitWithScalingRules), so a
// scale down gives back room to scale up. From 10 the count drops to 6 at
// 15 s (no scale-down limit); at 30 s the proposal is 12, and with a
// scale-up limit of 2 pods per 60 s periodStart is 6 + 4 = 10, so 12 is
// allowed (counting from 6 would allow only 8).
func TestHPAPeriodStartCountsRemovals(t *testing.T) {
	h := bare(MetricJobRate, 0.1)
	h.ScaleUp.Policies = []ScalingPolicy{{Type: PolicyPods, Value: 2, Period: 60 * time.Second}}
	got := sequence(t, h, 10, 2, func(now float64, current int) policy.Metrics {
		if now == 15 {
			return toward(6)(now, current)
		}
		return toward(12)(now, current)
	})
	if want := []int{6, 12}; !equalInts(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

// TestHPAPercentRoundsUp: a Percent scale-up proposal is rounded up ([hz]:
// "the proposal has to be rounded up because the proposed change might not
// increase the replica count"): 10% of 3 boxes is 0.3, ceil(3.3) = 4.
func TestHPAPercentRoundsUp(t *testing.T) {
	h := bare(MetricJobRate, 0.1)
	h.ScaleUp.Policies = []ScalingPolicy{{Type: PolicyPercent, Value: 10, Period: 60 * time.Second}}
	if got := sequence(t, h, 3, 1, toward(30)); got[0] != 4 {
		t.Errorf("got %d, want 4", got[0])
	}
}

// TestHPAScaleUpStabilization: with a scale-up window the lowest proposal
// of the window caps a scale up ([hz] stabilizeRecommendationWithBehaviors,
// upRecommendation = min). Window 60 s, reconciling every 15 s from 4
// boxes (the initial recommendation is 4 at 15 s): the proposal is 20 from
// 15 s on, but the 4s recorded at 15 s count until 75 s.
func TestHPAScaleUpStabilization(t *testing.T) {
	h := bare(MetricJobRate, 0.1)
	h.ScaleUp.Stabilization = 60 * time.Second
	got := sequence(t, h, 4, 6, toward(20))
	if want := []int{4, 4, 4, 4, 20, 20}; !equalInts(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

// TestHPALegacy is the path of an HPA without a behavior field ([hz]
// normalizeDesiredReplicas, calculateScaleUpLimit): at most max(2 × current,
// 4) per reconciliation, and the highest proposal of the downscale window.
// From 1 box with a proposal of 50: 4, 8, 16, 32, 50; where the default
// behavior allows 1 + 4 = 5 from 1. Then the proposal falls to 10 at 90 s
// and the 50 of 75 s holds the count until 75 + 300 = 375 s, inclusive.
func TestHPALegacy(t *testing.T) {
	h := DefaultHPA()
	h.Metric, h.TargetRate, h.Legacy = MetricJobRate, 0.1, true
	got := sequence(t, h, 1, 26, func(now float64, current int) policy.Metrics {
		if now <= 75 {
			return toward(50)(now, current)
		}
		return toward(10)(now, current)
	})
	want := []int{4, 8, 16, 32, 50}
	for now := 90.0; now <= 390; now += 15 {
		if now <= 375 {
			want = append(want, 50)
		} else {
			want = append(want, 10)
		}
	}
	if !equalInts(got, want) {
		t.Errorf("got  %v\nwant %v", got, want)
	}
}

// TestHPAStepTrajectory runs the default behavior on the utilization metric
// (target 0.5, latency 1 s) through a step of load from 2 to 20 jobs/s at
// 60 s and back at 600 s, with boxes that are ready at once and metrics
// without delay (Window 15 s, Delay 0), and checks every reconciliation
// against this derivation from [algo], [def] and [hz]:
//
//	start: ceil(2 × 1 / 0.5) = 4 boxes. At 0 s nothing is recorded: no
//	action. Up to 60 s each window shows utilization 2/4 = 0.5: ratio 1.
//	75 s: window [60, 75): 20 jobs/s on 4 boxes, utilization 5, ratio 10,
//	      proposal ceil(10 × 4) = 40; limit max(4 + 4, ceil(4 × 2)) = 8 → 8
//	90 s: [75, 90) on 8: ratio 5, proposal 40; the +4 of 75 s is exactly
//	      15 s old and no longer counts: max(12, 16) → 16
//	105 s: on 16: ratio 2.5 → 40; max(20, 32) → 32
//	120 s: on 32: ratio 1.25 (outside 0.1) → ceil(1.25 × 32) = 40 → 40
//	135 s to 600 s: on 40: ratio 1 → 40
//	615 s: [600, 615): 2 jobs/s on 40, ratio 0.1, proposal 4; but the 40s
//	      proposed up to 600 s are within the 300 s stabilization window
//	900 s: the last 40 (at 600 s) is no longer newer than 900 − 300; all
//	      proposals since are 4, and 100% may go at once → 4
func TestHPAStepTrajectory(t *testing.T) {
	h := DefaultHPA()
	h.Metric, h.Target, h.Delay = MetricUtilization, 0.5, 0
	run, err := h.Start(policy.Env{Latency: 1, InitialRate: 2})
	if err != nil {
		t.Fatal(err)
	}
	if run.Initial != 4 || run.Period != 15 || run.Lookback != 15 {
		t.Fatalf("Start: Initial %d, Period %g, Lookback %g; want 4, 15, 15", run.Initial, run.Period, run.Lookback)
	}
	w := &policytest.World{Latency: 1, Rate: policytest.StepLoad}
	steps := w.Run(run.Policy, run.Initial, run.Period, 1200)
	policytest.CheckTrajectory(t, steps, [][2]float64{{0, 4}, {75, 8}, {90, 16}, {105, 32}, {120, 40}, {900, 4}})
}

// TestHPAStepTrajectoryBooting is the same step with the defaults of the
// metric pipeline (Window 15 s, Delay 15 s: the window at t is
// [t − 30, t − 15)) and boxes that boot for 30 s. Booting boxes count as 0
// on a scale up, and ready boxes that the window has not seen count as 0
// too ([algo]). Derivation:
//
//	90 s: [60, 75) on 4 ready: ratio 10, proposal 40, limit 8 → 8
//	      (4 booting until 120 s)
//	105 s: [75, 90) still 4 boxes at utilization 5; 4 ready, 4 booting:
//	      recount 4 × 5 / 8 = 2.5, ratio 5, ceil(5 × 8) = 40; the +4 of
//	      90 s no longer counts: limit max(12, 16) → 16 (8 more booting)
//	120 s: 8 ready (4 of them unseen), 8 booting; [90, 105) saw 4 at 5:
//	      recount 20 / (4 + 4 + 8) = 1.25, ratio 2.5, ceil(2.5 × 16) = 40;
//	      limit max(20, 32) → 32
//	135 s: 16 ready (12 unseen), 16 booting; [105, 120) saw 4 at 5:
//	      20 / 32 = 0.625, ratio 1.25, ceil(1.25 × 32) = 40 → 40
//	150 s: 32 ready, 8 booting; [120, 135) saw 8 at 2.5: 20 / 40 = 0.5,
//	      ratio 1: within the tolerance, 40 stay
//	165 s on: all 40 ready; the recounts give ratio 1 → 40
//	630 s: [600, 615) shows 2 jobs/s on 40: proposal 4, held by the
//	      stabilization window until the last 40 (at 615 s, whose window
//	      [585, 600) was before the drop) is 300 s old: 4 at 915 s
func TestHPAStepTrajectoryBooting(t *testing.T) {
	h := DefaultHPA()
	h.Metric, h.Target = MetricUtilization, 0.5
	run, err := h.Start(policy.Env{Latency: 1, InitialRate: 2, Boot: 30})
	if err != nil {
		t.Fatal(err)
	}
	w := &policytest.World{Latency: 1, Boot: 30, Rate: policytest.StepLoad}
	steps := w.Run(run.Policy, run.Initial, run.Period, 1200)
	policytest.CheckTrajectory(t, steps, [][2]float64{{0, 4}, {90, 8}, {105, 16}, {120, 32}, {135, 40}, {915, 4}})
	for _, s := range steps {
		var ready, booting int
		switch s.T {
		case 105:
			ready, booting = 4, 12
		case 120:
			ready, booting = 8, 24
		case 135:
			ready, booting = 16, 24
		case 150:
			ready, booting = 32, 8
		case 165:
			ready, booting = 40, 0
		default:
			continue
		}
		if s.Ready != ready || s.Booting != booting {
			t.Errorf("t=%g: %d ready and %d booting, want %d and %d", s.T, s.Ready, s.Booting, ready, booting)
		}
	}
}

// TestHoldUtilization: the articles' plain scaler is the HPA with its knobs
// off, and asks every second for boxes.CapacityFor of the last second's
// JobRate (at least one box).
func TestHoldUtilization(t *testing.T) {
	const latency, target = 0.25, 0.6
	rate := func(t float64) float64 {
		if t >= 200 && t < 230 {
			return 0
		}
		return 46 + 35*math.Sin(t/17) + 10*math.Sin(t/3.1) // at least 1 job/s
	}
	h := HoldUtilization(target)
	run, err := h.Start(policy.Env{Latency: latency, Step: 1, InitialRate: rate(0)})
	if err != nil {
		t.Fatal(err)
	}
	if run.Period != 0 || run.Lookback != 1 {
		t.Errorf("Period %g, Lookback %g; want 0 (every step) and 1", run.Period, run.Lookback)
	}
	capacity := func(lam float64) int {
		return max(1, boxes.CapacityFor(boxes.Rate(lam), 250*time.Millisecond, target))
	}
	if run.Initial != capacity(rate(0)) {
		t.Errorf("Initial %d, want %d", run.Initial, capacity(rate(0)))
	}
	w := &policytest.World{Latency: latency, Rate: rate}
	steps := w.Run(run.Policy, run.Initial, run.Period, 600)
	for _, s := range steps[1:] {
		if want := capacity(rate(s.T - 1)); s.Desired != want {
			t.Errorf("t=%g: %d boxes, want ceil(%.4g × %g / %g) = %d", s.T, s.Desired, rate(s.T-1), latency, target, want)
		}
	}
}

func TestHPAStart(t *testing.T) {
	tests := []struct {
		name string
		h    HPA
		env  policy.Env
		want int
	}{
		{"cpu 80%: ceil(30 × 0.1 / 0.8) = 4", DefaultHPA(), policy.Env{Latency: 0.1, InitialRate: 30}, 4},
		{"no load: minReplicas", DefaultHPA(), policy.Env{Latency: 0.1}, 1},
		{"jobrate: ceil(30 / 7) = 5", func() HPA { h := DefaultHPA(); h.Metric, h.TargetRate = MetricJobRate, 7; return h }(), policy.Env{InitialRate: 30}, 5},
		{"clamped to maxReplicas", func() HPA { h := DefaultHPA(); h.MaxReplicas = 3; return h }(), policy.Env{Latency: 1, InitialRate: 30}, 3},
		{"clamped to minReplicas", func() HPA { h := DefaultHPA(); h.MinReplicas = 6; return h }(), policy.Env{Latency: 1, InitialRate: 1}, 6},
	}
	for _, tt := range tests {
		run, err := tt.h.Start(tt.env)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if run.Initial != tt.want {
			t.Errorf("%s: Initial %d, want %d", tt.name, run.Initial, tt.want)
		}
	}
	run, _ := DefaultHPA().Start(policy.Env{Latency: 1})
	if run.Period != 15 || run.Lookback != 30 {
		t.Errorf("DefaultHPA: Period %g, Lookback %g; want 15 and 30 (window 15 + delay 15)", run.Period, run.Lookback)
	}
	if _, err := DefaultHPA().Start(policy.Env{InitialRate: 3}); err == nil || !strings.Contains(err.Error(), "env latency") {
		t.Errorf("no latency: got %v", err)
	}
	if _, err := DefaultHPA().Start(policy.Env{Latency: 1, InitialRate: math.Inf(1)}); err == nil {
		t.Errorf("infinite initial rate accepted")
	}
}

func TestHPAValidate(t *testing.T) {
	mod := func(f func(*HPA)) HPA {
		h := DefaultHPA()
		f(&h)
		return h
	}
	tests := []struct {
		h    HPA
		want string
	}{
		{HPA{}, "target 0 must be in (0, 1]"},
		{mod(func(h *HPA) { h.Target = 1.5 }), "policy: hpa: target 1.5 must be in (0, 1]"},
		{mod(func(h *HPA) { h.Target = 0.805 }), "target 0.805 must be a whole percent for metric cpu"},
		{mod(func(h *HPA) { h.Metric = "memory" }), `metric "memory" must be`},
		{mod(func(h *HPA) { h.Metric = MetricJobRate }), "targetRate 0 jobs/s must be positive"},
		{mod(func(h *HPA) { h.MinReplicas = -1 }), "minReplicas -1"},
		{mod(func(h *HPA) { h.MaxReplicas = -1 }), "maxReplicas -1"},
		{mod(func(h *HPA) { h.MinReplicas, h.MaxReplicas = 5, 4 }), "maxReplicas 4 must be at least minReplicas 5"},
		{mod(func(h *HPA) { h.SyncPeriod = -time.Second }), "syncPeriod -1s"},
		{mod(func(h *HPA) { h.Window = -time.Second }), "window -1s"},
		{mod(func(h *HPA) { h.Delay = -time.Second }), "delay -1s"},
		{mod(func(h *HPA) { h.ScaleUp.Stabilization = 2 * time.Hour }), "scaleUp.stabilization 2h0m0s must be in [0s, 1h]"},
		{mod(func(h *HPA) { h.ScaleDown.Select = "Fastest" }), `scaleDown.select "Fastest"`},
		{mod(func(h *HPA) { h.ScaleDown.Tolerance = -0.1 }), "scaleDown.tolerance -0.1"},
		{mod(func(h *HPA) { h.ScaleUp.Tolerance = math.NaN() }), "scaleUp.tolerance NaN"},
		{mod(func(h *HPA) { h.ScaleUp.Policies[1].Type = "Boxes" }), `scaleUp.policies[1].type "Boxes"`},
		{mod(func(h *HPA) { h.ScaleUp.Policies[0].Value = 0 }), "scaleUp.policies[0].value 0 must be positive"},
		{mod(func(h *HPA) { h.ScaleDown.Policies[0].Period = 31 * time.Minute }), "scaleDown.policies[0].period 31m0s must be in (0s, 30m0s]"},
		{mod(func(h *HPA) { h.ScaleDown.Policies[0].Period = 0 }), "scaleDown.policies[0].period 0s"},
	}
	for _, tt := range tests {
		err := tt.h.Validate()
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "policy: hpa: ") {
			t.Errorf("got %v, want an error with %q", err, tt.want)
		}
		if _, err := tt.h.Start(policy.Env{Latency: 1}); err == nil {
			t.Errorf("Start accepted what Validate refuses (%q)", tt.want)
		}
	}
	for name, h := range map[string]HPA{
		"DefaultHPA":            DefaultHPA(),
		"HoldUtilization(0.5)":  HoldUtilization(0.5),
		"HoldUtilization(1)":    HoldUtilization(1),
		"cpu 35%":               mod(func(h *HPA) { h.Target = 0.35 }),
		"the zero Metric (cpu)": mod(func(h *HPA) { h.Metric = "" }),
		"utilization 0.805":     mod(func(h *HPA) { h.Metric, h.Target = MetricUtilization, 0.805 }),
	} {
		if err := h.Validate(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestHPADesiredAllocs: once warm, a reconciliation allocates nothing, in
// a steady state and while scaling up and down.
func TestHPADesiredAllocs(t *testing.T) {
	for name, hist := range benchHistories() {
		run, err := DefaultHPA().Start(policy.Env{Latency: 1, InitialRate: 8})
		if err != nil {
			t.Fatal(err)
		}
		o := &policy.Observation{Ready: 10, History: hist}
		for range 100 { // warm up: fill the stabilization window
			o.Time += 15
			o.Ready = max(1, run.Policy.Desired(o))
		}
		if a := testing.AllocsPerRun(1000, func() {
			o.Time += 15
			o.Ready = max(1, run.Policy.Desired(o))
		}); a != 0 {
			t.Errorf("%s: %g allocations per reconciliation, want 0", name, a)
		}
	}
}

// benchHistories are the metric streams of the benchmarks: steady at the
// target, and swinging between a tenth and ten times the target every
// reconciliation so that every limit and window is exercised.
func benchHistories() map[string]policy.History {
	swing := 0
	return map[string]policy.History{
		"steady": policytest.ConstHistory(policy.Metrics{JobRate: 8, Ready: 10, Busy: 8, Demand: 8}),
		"swing": funcHistory(func(_, _ float64) (policy.Metrics, bool) {
			swing++
			if swing%2 == 0 {
				return policy.Metrics{JobRate: 1, Ready: 10, Busy: 1, Demand: 1}, true
			}
			return policy.Metrics{JobRate: 10, Ready: 10, Busy: 10, Demand: 10}, true
		}),
	}
}

// BenchmarkHPADesired is one reconciliation of DefaultHPA (cpu at 80%), as
// the engine runs it every 15 simulated seconds.
func BenchmarkHPADesired(b *testing.B) {
	for name, hist := range benchHistories() {
		b.Run(name, func(b *testing.B) {
			run, err := DefaultHPA().Start(policy.Env{Latency: 1, InitialRate: 8})
			if err != nil {
				b.Fatal(err)
			}
			o := &policy.Observation{Ready: 10, History: hist}
			b.ReportAllocs()
			for b.Loop() {
				o.Time += 15
				o.Ready = max(1, run.Policy.Desired(o))
			}
		})
	}
}

// FuzzHPADesired feeds a controller arbitrary observations (NaN and
// infinite metrics, no ready boxes, windows that saw more or fewer boxes
// than are ready) and checks what must hold whatever the metrics say: the
// answer is never negative, 0 stays 0, and a count that starts within
// [minReplicas, maxReplicas] stays within.
func FuzzHPADesired(f *testing.F) {
	f.Add(uint8(0), []byte{10, 0, 200, 10, 30, 0, 50, 10})
	f.Add(uint8(1), []byte{4, 4, 255, 2, 0, 0, 0, 0, 1, 0})
	f.Add(uint8(0x5f), []byte{1, 0, 255, 255, 3, 9, 7, 1})
	f.Add(uint8(0x40), []byte{10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 50, 30})
	f.Fuzz(func(t *testing.T, knobs uint8, data []byte) {
		h := DefaultHPA()
		h.Metric = []Metric{MetricCPU, MetricUtilization, MetricJobRate, MetricCPU}[knobs&3]
		h.TargetRate = 0.5
		h.Legacy = knobs&4 != 0
		h.ScaleDown.Select = []Select{SelectMax, SelectMin, SelectDisabled, SelectMax}[knobs>>3&3]
		h.MinReplicas, h.MaxReplicas = 2, 30
		if knobs&32 != 0 {
			h.ScaleUp.Policies, h.ScaleDown.Policies = nil, nil
			h.ScaleDown.Stabilization = 0
		}
		lo := 2
		zero := knobs&64 != 0
		if zero { // several metrics, scale to zero
			h.Metrics = []HPAMetric{
				{Type: SourceObject, Signal: MetricJobRate, TargetType: TargetValue, Target: 2},
				{Type: SourceExternal, Signal: MetricQueue, TargetType: TargetAverageValue, Target: 1},
				{Type: SourceResource, Signal: MetricCPU, TargetType: TargetUtilization, Target: 0.8},
			}
			h.MinReplicas, h.ScaleToZero, lo = 0, true, 0
		}
		run, err := h.Start(policy.Env{Latency: 1, InitialRate: 3})
		if err != nil {
			t.Fatal(err)
		}
		special := []float64{0, math.NaN(), math.Inf(1), -1, 1e-300, 1e300}
		val := func(b byte) float64 {
			if b >= 250 {
				return special[b-250]
			}
			return float64(b) / 10
		}
		current := run.Initial
		for i := 0; i+4 <= len(data); i += 4 {
			m := policy.Metrics{Ready: val(data[i+2]), Busy: val(data[i+3]), Demand: val(data[i+3]), JobRate: val(data[i+3]), Queued: val(data[i+3])}
			ready := min(current, int(data[i]))
			booting := current - ready
			o := &policy.Observation{Time: 15 * float64(i/4+1), Ready: ready, Booting: booting, History: policytest.ConstHistory(m)}
			if data[i+1]&1 != 0 {
				o.History = nil
			}
			got := run.Policy.Desired(o)
			switch {
			case got < 0:
				t.Fatalf("step %d: negative count %d", i/4, got)
			case current == 0 && got != 0 && !zero:
				t.Fatalf("step %d: 0 replicas became %d", i/4, got)
			case current >= lo && current <= 30 && (got < lo || got > 30):
				t.Fatalf("step %d: %d left [%d, 30] from %d (metrics %+v)", i/4, got, lo, current, m)
			}
			current = got
		}
	})
}

// TestHPALegacyUpUsesWindowMax: the legacy path takes the highest proposal
// of the stabilization window in both directions. From 1 box the proposal
// is 50 at 15 s and 6 at 30 s. Legacy: 4 (the cap max(2, 4)), then
// max(50, 6) = 50 capped at max(8, 4) = 8. Default behavior: 5 (1 + 4),
// then the latest proposal, 6.
func TestHPALegacyUpUsesWindowMax(t *testing.T) {
	hist := func(now float64, current int) policy.Metrics {
		if now == 15 {
			return toward(50)(now, current)
		}
		return toward(6)(now, current)
	}
	h := DefaultHPA()
	h.Metric, h.TargetRate = MetricJobRate, 0.1
	if got := sequence(t, h, 1, 2, hist); !equalInts(got, []int{5, 6}) {
		t.Errorf("default behavior: got %v, want [5 6]", got)
	}
	h.Legacy = true
	if got := sequence(t, h, 1, 2, hist); !equalInts(got, []int{4, 8}) {
		t.Errorf("legacy: got %v, want [4 8]", got)
	}
}
