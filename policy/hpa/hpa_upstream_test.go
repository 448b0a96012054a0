package hpa

import (
	"math"
	"testing"
	"time"

	"github.com/boxes-project/boxes/policy"
	"github.com/boxes-project/boxes/policy/internal/policytest"
)

// The Kubernetes controller's own test cases, ported as rows: every case of
// kubernetes v1.35.0 pkg/controller/podautoscaler replica_calculator_test.go
// and horizontal_test.go that boxes can express, each named after its
// upstream test (and subtest), with the upstream expected value. No
// upstream code is copied: each row restates the case in boxes' terms.
//
// The translation. A pod is a box. Upstream CPU levels and requests become
// a window whose Busy is the sampled pods' usage in requests' worth (every
// box requests 1 core and a busy box uses all of it, so Busy/Ready is the
// utilization); Pods, Object and External levels (milli-units) become
// JobRate in units (20000m → 20). A pod with a metric is a box the window
// saw ready ("sampled"); an unready pod (condition False, or Pending) is a
// booting box; a hot-CPU pod (started within the initialization period,
// sample before readiness) is a box that became ready since the window
// began ("late", with the default 5 min initialization period); a ready pod
// with no metric is a late box with CPUInitializationPeriod 0 (or, for a
// Pods metric, any late box). Heterogeneous requests map to uniform ones
// where only the totals matter (every row below).
//
// Mapped: 201 of the 261 upstream cases (a case is a top-level test or a
// table subtest). The rows: 62 replica-calculator rows (61 cases; the
// computed-tolerance test runs twice), 62 reconcile rows (61 cases), 8
// groupPods rows, 42 ScalingWithRules rows, 5 NormalizeDesiredReplicas, 11
// NormalizeDesiredReplicasWithBehavior, 5 ConvertDesiredReplicasWithRules,
// the two limit tests and 6 StoreScaleEvents cases run in both directions.
// upstreamUnmapped lists the 60 cases left out, by family, and why.

// upstreamUnmapped lists the upstream case families boxes cannot express,
// with the reason; TestUpstreamCount prints their counts.
var upstreamUnmapped = []struct {
	family string
	n      int
	why    string
}{
	{"failed and terminating pods (…IgnoresFailedPods, …IgnoresDeletionPods, …_StillRunning, …MissingContainerMetric…IgnoresFailedPods; groupPods' deletion and failed rows)", 9 + 4 + 2, "boxes has no failed or terminating pods: a drained box leaves the count at once"},
	{"Pods-metric samples from unready pods (ReplicaCalcScaleUpCMUnreadyHotCpuNoLessScale, …ScaleWouldScaleDown, ScaleUpCMUnreadyAndHotCpuNoLessScale, ScaleUpCMUnreadyandCpuHot, ScaleUpHotCpuNoScaleWouldScaleDown)", 5, "a booting box serves no jobs, so it has no custom-metric sample; a box ready since the window began has none either"},
	{"more pods than the spec, or spec without pods (DuringRollingUpdateWithMaxSurge, …CM, MoreReplicasThanSpecNoScale, MissingReports, ScaleUpFromZeroOneMetricInvalid, AvoidUnnecessaryUpdates)", 6, "boxes' count is its boxes: no surge, no spec apart from the boxes"},
	{"per-pod requests (ReplicaCalcMissingMetricsScaleDownTargetOver100, ReplicaCalcEmptyCPURequest, EmptyCPURequest, ReplicaCalcDisjointResourcesMetrics, CalculateRequests ×9, CalculatePodRequestsFromContainers_NonExistentContainer)", 14, "every box has the same cpu request, and metrics always belong to boxes"},
	{"groupPods states boxes do not have (memory, an unready pod that was ready, a ready pod past the initialization period with a boot-time sample, several pods)", 4, "no memory signal; boxes never turn unready; boxes has no boot-time cpu sample (a departure: such a box is missing); the mixed row needs per-pod start times"},
	{"minReplicas 0 with only a cpu metric (ZeroMinReplicasDesiredZero)", 1, "the API accepts minReplicas 0 only with an Object or External metric, and so does boxes"},
	{"feature gate off (ConfigurableTolerance: gate disabled)", 1, "boxes follows v1.35, where HPAConfigurableTolerance is on"},
	{"StoreScaleEvents without behavior", 2, "the legacy path stores no events in boxes either; there is no log to inspect"},
	{"controller plumbing: selectors, conditions, events, API errors, status updates, conflicts, many HPAs, quantities (ConditionInvalidSelector×2, Condition…Selector×3, ConditionFailedGetMetrics, ConditionInvalidSourceType, ConditionFailedGetScale, ConditionFailedUpdateScale, MultipleHPAs, HPARescaleWithSuccessfulConflictRetry, BuildQuantity)", 12, "no API server, selectors or status in a simulation"},
}

// win is a window in which ready boxes were seen ready, with busy boxes'
// worth of cpu and rate jobs/s (the Pods/Object/External value).
func win(ready, busy, rate float64) policy.Metrics {
	return policy.Metrics{Ready: ready, Busy: busy, JobRate: rate, Served: rate, Demand: busy}
}

func cpuU(pct int) HPAMetric {
	return HPAMetric{Type: SourceResource, Signal: MetricCPU, TargetType: TargetUtilization, Target: float64(pct) / 100}
}
func ctrU(pct int) HPAMetric {
	m := cpuU(pct)
	m.Type = SourceContainerResource
	return m
}
func podsM(v float64) HPAMetric {
	return HPAMetric{Type: SourcePods, Signal: MetricJobRate, TargetType: TargetAverageValue, Target: v}
}
func objV(v float64) HPAMetric {
	return HPAMetric{Type: SourceObject, Signal: MetricJobRate, TargetType: TargetValue, Target: v}
}
func objA(v float64) HPAMetric {
	return HPAMetric{Type: SourceObject, Signal: MetricJobRate, TargetType: TargetAverageValue, Target: v}
}
func extV(v float64) HPAMetric {
	return HPAMetric{Type: SourceExternal, Signal: MetricJobRate, TargetType: TargetValue, Target: v}
}
func extA(v float64) HPAMetric {
	return HPAMetric{Type: SourceExternal, Signal: MetricJobRate, TargetType: TargetAverageValue, Target: v}
}

// bogus is a metric the controller cannot read: the stand-in for the
// upstream "CheddarCheese" source type and for an External metric whose
// fetch fails.
var bogus = HPAMetric{Type: "CheddarCheese", Signal: MetricJobRate, TargetType: TargetValue, Target: 1}

const maxInt64 = float64(math.MaxInt64) / 1000 // an int64 milli-value's largest value in units

// upstreamTolerance is the controller's default tolerance, 0.1
// (--horizontal-pod-autoscaler-tolerance; defaultTestingTolerance in
// replica_calculator_test.go).
const upstreamTolerance = 0.1

// upstreamHPA is the HPA the upstream tests reconcile: no behavior (the
// legacy path) unless given, a 5 min downscale window, tolerance 0.1, the
// testing cpu initialization period; metrics read over 15 s, 15 s late.
func upstreamHPA(min, max int, ms ...HPAMetric) HPA {
	return HPA{
		MinReplicas: min, MaxReplicas: max,
		SyncPeriod: 15 * time.Second, Window: 15 * time.Second, Delay: 15 * time.Second,
		ScaleUp:   ScalingRules{Tolerance: upstreamTolerance},
		ScaleDown: ScalingRules{Tolerance: upstreamTolerance, Stabilization: 5 * time.Minute},
		Legacy:    true,
		HPAOptions: HPAOptions{
			Metrics:                 ms,
			CPUInitializationPeriod: 2 * time.Minute, // defaultTestingCPUInitializationPeriod
			InitialReadinessDelay:   10 * time.Second,
			CPURequest:              1,
		},
	}
}

// startUnchecked starts h as the controller would, without Validate (the
// rows with bogus metrics need it), and with the tests' scaleUpLimitFactor
// of 8 (horizontal_test.go's init).
func startUnchecked(t *testing.T, h HPA) *hpaRun {
	t.Helper()
	_, c, err := h.start(policy.Env{Latency: 1, Step: 1})
	if err != nil {
		t.Fatal(err)
	}
	c.upFactor = 8
	return c
}

// noWindow is a history with nothing recorded.
type noWindow struct{}

func (noWindow) Window(from, to float64, m *policy.Metrics) bool { return false }

func TestUpstreamReplicaCalculator(t *testing.T) {
	type tol struct{ down, up float64 }
	dflt := tol{0.1, 0.1}
	rows := []struct {
		name                   string
		m                      HPAMetric
		tol                    tol
		missing                bool // late boxes have no sample (CPUInitializationPeriod 0)
		current                int
		sampled, late, booting int
		busy, rate             float64 // the sampled boxes' totals; rate is the object's value
		want                   int     // -1: no proposal (an error upstream)
	}{
		// 300, 500, 700 of 1.0 at 30%: 50% → ceil(5/3 × 3) = 5.
		{"TestReplicaCalcScaleUp", cpuU(30), dflt, false, 3, 3, 0, 0, 1.5, 0, 5},
		{"TestReplicaCalcContainerScaleUp", ctrU(30), dflt, false, 3, 3, 0, 0, 1.5, 0, 5},
		// one unready: 500, 700 → 60% → 2; recount at 0% over 3: 40% → 4.
		{"TestReplicaCalcScaleUpUnreadyLessScale", cpuU(30), dflt, false, 3, 2, 0, 1, 1.2, 0, 4},
		{"TestReplicaCalcScaleUpOverflow", objV(0.001), dflt, false, 3, 3, 0, 0, 0, maxInt64, math.MaxInt32},
		{"TestReplicaCalcScaleUpContainerHotCpuLessScale", ctrU(30), dflt, false, 3, 2, 1, 0, 1.2, 0, 4},
		{"TestReplicaCalcScaleUpHotCpuLessScale", cpuU(30), dflt, false, 3, 2, 1, 0, 1.2, 0, 4},
		// 400 alone is 40%, 1.33; over 3 it is 13%: the direction reverses.
		{"TestReplicaCalcScaleUpUnreadyNoScale", cpuU(30), dflt, false, 3, 1, 0, 2, 0.4, 0, 3},
		{"TestExternalPerPodMetricReplicaOverflow", extA(0.001), dflt, false, 1, 1, 0, 0, 0, maxInt64, math.MaxInt32},
		{"TestExternalPerPodMetricUsageOverflow", extA(maxInt64), dflt, false, 1, 1, 0, 0, 0, maxInt64, 1},
		{"TestReplicaCalcScaleHotCpuNoScale", cpuU(30), dflt, false, 3, 1, 0, 2, 0.4, 0, 3},
		// 20, 10, 30 against 15: ceil(20/15 × 3) = 4.
		{"TestReplicaCalcScaleUpCM", podsM(15), dflt, false, 3, 3, 0, 0, 0, 60, 4},
		{"TestReplicaCalcScaleUpCMObject", objV(15), dflt, false, 3, 3, 0, 0, 0, 20, 4},
		{"TestReplicaCalcScaleUpCMPerPodObject", objA(5), dflt, false, 3, 3, 0, 0, 0, 20, 4},
		// 50/10 × 1 ready pod = 5 (15 if the unready counted).
		{"TestReplicaCalcScaleUpCMObjectIgnoresUnreadyPods", objV(10), dflt, false, 3, 1, 0, 2, 0, 50, 5},
		{"TestReplicaCalcScaleUpCMExternal", podsM(4.4), dflt, false, 1, 1, 0, 0, 0, 8.6, 2},
		{"TestReplicaCalcScaleUpCMExternalIgnoresUnreadyPods", extV(4.4), dflt, false, 3, 1, 0, 2, 0, 8.6, 2},
		{"TestReplicaCalcScaleUpCMExternalNoLabels", podsM(4.4), dflt, false, 1, 1, 0, 0, 0, 8.6, 2},
		{"TestReplicaCalcScaleUpPerPodCMExternal", extA(2.15), dflt, false, 3, 3, 0, 0, 0, 8.6, 4},
		// 100, 300, 500, 250, 250 at 50%: 28% → ceil(0.56 × 5) = 3.
		{"TestReplicaCalcScaleDown", cpuU(50), dflt, false, 5, 5, 0, 0, 1.4, 0, 3},
		{"TestReplicaCalcContainerScaleDown", ctrU(50), dflt, false, 5, 5, 0, 0, 1.4, 0, 3},
		{"TestReplicaCalcScaleDownCM", podsM(20), dflt, false, 5, 5, 0, 0, 0, 60, 3},
		{"TestReplicaCalcScaleDownPerPodCMObject", objA(2), dflt, false, 5, 5, 0, 0, 0, 6, 3},
		{"TestReplicaCalcScaleDownCMObject", objV(20), dflt, false, 5, 5, 0, 0, 0, 12, 3},
		{"TestReplicaCalcScaleDownCMExternal", extV(14.334), dflt, false, 5, 5, 0, 0, 0, 8.6, 3},
		{"TestReplicaCalcScaleDownPerPodCMExternal", extA(2.867), dflt, false, 5, 5, 0, 0, 0, 8.6, 3},
		// the two unready are left out of a scale down: 30% of 3 → 2.
		{"TestReplicaCalcScaleDownExcludeUnreadyPods", cpuU(50), dflt, false, 5, 3, 0, 2, 0.9, 0, 2},
		{"TestReplicaCalcScaleDownContainerExcludeUnreadyPods", ctrU(50), dflt, false, 5, 3, 0, 2, 0.9, 0, 2},
		{"TestReplicaCalcScaleDownExcludeUnscheduledPods", cpuU(50), dflt, false, 5, 1, 0, 4, 0.1, 0, 1},
		{"TestReplicaCalcScaleDownContainerExcludeUnscheduledPods", ctrU(50), dflt, false, 5, 1, 0, 4, 0.1, 0, 1},
		// issue 13: the hot pods are left out, 30% of 3 → 2 (boxes gave 5).
		{"TestReplicaCalcScaleDownIgnoreHotCpuPods", cpuU(50), dflt, false, 5, 3, 2, 0, 0.9, 0, 2},
		{"TestReplicaCalcScaleDownContainerIgnoreHotCpuPods", ctrU(50), dflt, false, 5, 3, 2, 0, 0.9, 0, 2},
		// 3060m of 3000m requested: 102%, within 10%.
		{"TestReplicaCalcTolerance", cpuU(100), dflt, false, 3, 3, 0, 0, 3.06, 0, 3},
		{"TestReplicaCalcToleranceCM", podsM(20), dflt, false, 3, 3, 0, 0, 0, 62, 3},
		{"TestReplicaCalcToleranceCMObject", objV(20), dflt, false, 3, 3, 0, 0, 0, 20.666, 3},
		{"TestReplicaCalcTolerancePerPodCMObject", objA(5), dflt, false, 4, 4, 0, 0, 0, 20.166, 4},
		{"TestReplicaCalcToleranceCMExternal", extV(8.888), dflt, false, 3, 3, 0, 0, 0, 8.6, 3},
		{"TestReplicaCalcTolerancePerPodCMExternal", extA(2.9), dflt, false, 3, 3, 0, 0, 0, 8.6, 3},
		{"TestReplicaCalcConfigurableTolerance/#00 (0, 0: 101%)", cpuU(100), tol{0, 0}, false, 3, 3, 0, 0, 3.03, 0, 4},
		{"TestReplicaCalcConfigurableTolerance/#01 (up 2: 190%)", cpuU(100), tol{0.1, 2}, false, 3, 3, 0, 0, 5.7, 0, 3},
		{"TestReplicaCalcConfigurableTolerance/#02 (up 0.08: 109%)", cpuU(100), tol{2, 0.08}, false, 3, 3, 0, 0, 3.27, 0, 4},
		{"TestReplicaCalcConfigurableTolerance/#03 (down 0.36: 65%)", cpuU(100), tol{0.36, 0.1}, false, 3, 3, 0, 0, 1.95, 0, 3},
		{"TestReplicaCalcConfigurableTolerance/#04 (down 0.34: 65%)", cpuU(100), tol{0.34, 0.1}, false, 3, 3, 0, 0, 1.95, 0, 2},
		{"TestReplicaCalcConfigurableToleranceCM", podsM(20), tol{0.1, 0.01}, false, 3, 3, 0, 0, 0, 62, 4},
		{"TestReplicaCalcConfigurableToleranceCMObject", objV(20), tol{0.1, 0.01}, false, 3, 3, 0, 0, 0, 20.666, 4},
		{"TestReplicaCalcConfigurableTolerancePerPodCMObject", objA(5), tol{0.1, 0.01}, false, 4, 4, 0, 0, 0, 20.208, 5},
		{"TestReplicaCalcConfigurableToleranceCMExternal", extV(8.8), tol{0.1, 0.01}, false, 3, 3, 0, 0, 0, 8.9, 4},
		{"TestReplicaCalcConfigurableTolerancePerPodCMExternal", extA(2.8), tol{0.1, 0.01}, false, 3, 3, 0, 0, 0, 8.6, 4},
		// 4000 + 9500 + 3000 + 7000 over 4 pods (the extra metrics belong to no pod): 587% → 24.
		{"TestReplicaCalcSuperfluousMetrics", cpuU(100), dflt, false, 4, 4, 0, 0, 23.5, 0, 24},
		// 400 + 95 → 24%; the two missing at 100%: 62% → ceil(2.48) = 3.
		{"TestReplicaCalcMissingMetrics", cpuU(100), dflt, true, 4, 2, 2, 0, 0.495, 0, 3},
		{"TestReplicaCalcEmptyMetrics", cpuU(100), dflt, false, 4, -1, 0, 0, 0, 0, -1},
		{"TestPlainMetricReplicaCalcMissingMetricsNoChangeEq", podsM(20), dflt, false, 5, 3, 2, 0, 0, 60, 5},
		{"TestReplicaCalcMissingMetricsNoChangeEq", cpuU(100), dflt, true, 2, 1, 1, 0, 1.0, 0, 2},
		{"TestReplicaCalcMissingMetricsNoChangeGt", cpuU(100), dflt, true, 2, 1, 1, 0, 1.9, 0, 2},
		{"TestReplicaCalcMissingMetricsNoChangeLt", cpuU(100), dflt, true, 2, 1, 1, 0, 0.6, 0, 2},
		{"TestReplicaCalcMissingMetricsUnreadyChange", cpuU(50), dflt, true, 3, 1, 1, 1, 0.45, 0, 3},
		// the hot pod is an unready box.
		{"TestReplicaCalcMissingMetricsHotCpuNoChange", cpuU(50), dflt, true, 3, 1, 1, 1, 0.45, 0, 3},
		{"TestReplicaCalcMissingMetricsUnreadyScaleUp", cpuU(50), dflt, true, 3, 1, 1, 1, 2.0, 0, 4},
		{"TestReplicaCalcMissingMetricsHotCpuScaleUp", cpuU(50), dflt, true, 3, 1, 1, 1, 2.0, 0, 4},
		{"TestReplicaCalcMissingMetricsUnreadyScaleDown", cpuU(50), dflt, true, 4, 2, 1, 1, 0.2, 0, 3},
		// 10 pods at 50% of their requests; targets 56% and 55%.
		{"TestReplicaCalcComputedToleranceAlgImplementation (target 56%)", cpuU(56), dflt, false, 10, 10, 0, 0, 5, 0, 9},
		{"TestReplicaCalcComputedToleranceAlgImplementation (target 55%)", cpuU(55), dflt, false, 10, 10, 0, 0, 5, 0, 10},
		{"TestReplicaCalcExternalMetricUsageOverflow", extV(maxInt64), dflt, false, 3, 3, 0, 0, 0, maxInt64, 3},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			h := upstreamHPA(1, 0, r.m)
			h.ScaleUp.Tolerance, h.ScaleDown.Tolerance = r.tol.up, r.tol.down
			if r.missing {
				h.CPUInitializationPeriod = 0
			}
			c := startUnchecked(t, h)
			o := &policy.Observation{Time: 100, Ready: max(r.sampled, 0) + r.late, Booting: r.booting, Latency: 1}
			if r.sampled < 0 {
				o.History = noWindow{}
			} else {
				o.History = policytest.ConstHistory(win(float64(r.sampled), r.busy, r.rate))
			}
			got, ok := c.proposals(o, r.current)
			if !ok {
				got = -1
			}
			if got != r.want {
				t.Errorf("got %d replicas, want %d", got, r.want)
			}
		})
	}
}

// ScalingRules as the upstream helper generateScalingRules builds them:
// a Pods policy and a Percent policy when their values are not 0,
// selectPolicy Max.
func gen(pods, podsPeriod, percent, percentPeriod, stab int) *ScalingRules {
	r := &ScalingRules{Select: SelectMax, Stabilization: time.Duration(stab) * time.Second, Tolerance: upstreamTolerance}
	if pods != 0 {
		r.Policies = append(r.Policies, ScalingPolicy{Type: PolicyPods, Value: pods, Period: time.Duration(podsPeriod) * time.Second})
	}
	if percent != 0 {
		r.Policies = append(r.Policies, ScalingPolicy{Type: PolicyPercent, Value: percent, Period: time.Duration(percentPeriod) * time.Second})
	}
	return r
}

// behavior gives h a behavior field: up and down, or where nil the API's
// defaults (GenerateHPAScaleUpRules, GenerateHPAScaleDownRules, with the
// controller's 5 min downscale window), keeping h's tolerances.
func behavior(h HPA, up, down *ScalingRules) HPA {
	d := DefaultHPA()
	h.Legacy = false
	tu, td := h.ScaleUp.Tolerance, h.ScaleDown.Tolerance
	h.ScaleUp, h.ScaleDown = d.ScaleUp, d.ScaleDown
	if up != nil {
		h.ScaleUp = *up
	}
	if down != nil {
		h.ScaleDown = *down
	}
	h.ScaleUp.Tolerance, h.ScaleDown.Tolerance = tu, td
	return h
}

// ago is a recorded count age seconds before the rows' now (100 s).
type ago struct {
	age float64
	n   int
}

const rowNow = 1000.0

func TestUpstreamReconcile(t *testing.T) {
	withTol := func(h HPA, up, down float64) HPA {
		h.ScaleUp.Tolerance, h.ScaleDown.Tolerance = up, down
		return h
	}
	zero := func(h HPA) HPA { h.ScaleToZero = true; return h }
	cpuNoInit := func(h HPA) HPA { h.CPUInitializationPeriod = 0; return h }
	none := []ago{} // recommendations: []timestampedRecommendation{}
	rows := []struct {
		name       string
		h          HPA
		recs       []ago // nil: a fresh controller records its initial recommendation
		ready      int
		seen       float64 // ready boxes the window saw; -1: no metrics at all
		booting    int
		busy, rate float64
		want       int
	}{
		{"TestScaleUp", upstreamHPA(2, 6, cpuU(30)), nil, 3, 3, 0, 1.5, 0, 5},
		{"TestScaleUpContainer", upstreamHPA(2, 6, ctrU(30)), nil, 3, 3, 0, 1.5, 0, 5},
		{"TestScaleUpUnreadyLessScale", upstreamHPA(2, 6, cpuU(30)), nil, 2, 2, 1, 1.2, 0, 4},
		{"TestScaleUpHotCpuLessScale", upstreamHPA(2, 6, cpuU(30)), nil, 3, 2, 0, 1.2, 0, 4},
		{"TestScaleUpUnreadyNoScale", upstreamHPA(2, 6, cpuU(30)), nil, 1, 1, 2, 0.4, 0, 3},
		{"TestScaleUpHotCpuNoScale", upstreamHPA(2, 6, cpuU(30)), nil, 1, 1, 2, 0.4, 0, 3},
		// the scale target's kind does not matter to boxes.
		{"TestScaleUpDeployment", upstreamHPA(2, 6, cpuU(30)), nil, 3, 3, 0, 1.5, 0, 5},
		{"TestScaleUpReplicaSet", upstreamHPA(2, 6, cpuU(30)), nil, 3, 3, 0, 1.5, 0, 5},
		{"TestScaleUpCM", upstreamHPA(2, 6, podsM(15)), nil, 3, 3, 0, 0, 60, 4},
		{"TestScaleUpCMObject", upstreamHPA(2, 6, objV(15)), nil, 3, 3, 0, 0, 20, 4},
		// HPAScaleToZero: from 0, ceil(20/15) = 2, and ceil(1/1) = 1 with no tolerance.
		{"TestScaleUpFromZeroCMObject", zero(upstreamHPA(0, 6, objV(15))), nil, 0, 0, 0, 0, 20, 2},
		{"TestScaleUpFromZeroIgnoresToleranceCMObject", zero(upstreamHPA(0, 6, objV(1))), nil, 0, 0, 0, 0, 1, 1},
		{"TestScaleUpPerPodCMObject", upstreamHPA(2, 6, objA(10)), nil, 3, 3, 0, 0, 40, 4},
		{"TestScaleUpCMExternal", upstreamHPA(2, 6, extV(6.666)), nil, 3, 3, 0, 0, 8.6, 4},
		{"TestScaleUpPerPodCMExternal", upstreamHPA(2, 6, extA(2.222)), nil, 3, 3, 0, 0, 8.6, 4},
		{"TestScaleDown", upstreamHPA(2, 6, cpuU(50)), none, 5, 5, 0, 1.4, 0, 3},
		{"TestScaleDownContainerResource", upstreamHPA(2, 6, ctrU(50)), none, 5, 5, 0, 1.4, 0, 3},
		{"TestScaleDownWithScalingRules", behavior(upstreamHPA(2, 6, cpuU(50)), gen(0, 0, 100, 15, 30), nil), none, 5, 5, 0, 1.4, 0, 3},
		// an invalid metric beside a valid scale up: the valid one wins.
		{"TestScaleUpOneMetricInvalid", upstreamHPA(2, 6, cpuU(30), bogus), nil, 3, 3, 0, 1.2, 0, 4},
		{"TestScaleUpBothMetricsEmpty", upstreamHPA(2, 6, bogus), nil, 3, 3, 0, 0, 0, 3},
		// the initial recommendation (5) holds the scale down.
		{"TestScaleDownStabilizeInitialSize", upstreamHPA(2, 6, cpuU(50)), nil, 5, 5, 0, 1.4, 0, 5},
		{"TestScaleDownCM", upstreamHPA(2, 6, podsM(20)), none, 5, 5, 0, 0, 60, 3},
		{"TestScaleDownCMObject", upstreamHPA(2, 6, objV(20)), none, 5, 5, 0, 0, 12, 3},
		{"TestScaleDownToZeroCMObject", zero(upstreamHPA(0, 6, objV(20))), none, 5, 5, 0, 0, 0, 0},
		{"TestScaleDownPerPodCMObject", upstreamHPA(2, 6, objA(20)), none, 5, 5, 0, 0, 60, 3},
		{"TestScaleDownCMExternal", upstreamHPA(2, 6, extV(14.4)), none, 5, 5, 0, 0, 8.6, 3},
		{"TestScaleDownToZeroCMExternal", zero(upstreamHPA(0, 6, extV(14.4))), none, 5, 5, 0, 0, 0, 0},
		{"TestScaleDownPerPodCMExternal", upstreamHPA(2, 6, extA(3)), none, 5, 5, 0, 0, 8.6, 3},
		{"TestScaleDownIncludeUnreadyPods", upstreamHPA(2, 6, cpuU(50)), none, 3, 3, 2, 0.9, 0, 2},
		// issue 13's case: Kubernetes 2, boxes 5 before it followed groupPods.
		{"TestScaleDownIgnoreHotCpuPods", upstreamHPA(2, 6, cpuU(50)), none, 5, 3, 0, 0.9, 0, 2},
		{"TestTolerance", upstreamHPA(1, 5, cpuU(100)), nil, 3, 3, 0, 3.06, 0, 3},
		{"TestConfigurableTolerance/Scaling up because of a 1% configurable tolerance", behavior(withTol(upstreamHPA(1, 5, cpuU(100)), 0.01, 0.1), nil, nil), nil, 3, 3, 0, 3.06, 0, 4},
		{"TestConfigurableTolerance/No scale-down because of a 90% configurable tolerance", behavior(withTol(upstreamHPA(1, 5, cpuU(100)), 0.1, 0.9), nil, nil), nil, 3, 3, 0, 0.9, 0, 3},
		{"TestConfigurableTolerance/No scaling because of the large default tolerance", upstreamHPA(1, 5, cpuU(100)), nil, 3, 3, 0, 3.06, 0, 3},
		{"TestToleranceCM", upstreamHPA(1, 5, podsM(20)), nil, 3, 3, 0, 0, 61.001, 3},
		{"TestToleranceCMObject", upstreamHPA(1, 5, objV(20)), nil, 3, 3, 0, 0, 20.05, 3},
		{"TestToleranceCMExternal", upstreamHPA(2, 6, extV(8.666)), nil, 4, 4, 0, 0, 8.6, 4},
		{"TestTolerancePerPodCMObject", upstreamHPA(2, 6, objA(2.2)), nil, 4, 4, 0, 0, 8.6, 4},
		{"TestTolerancePerPodCMExternal", upstreamHPA(2, 6, extA(2.2)), nil, 4, 4, 0, 0, 8.6, 4},
		// 115m of 3000m: 3% → 1, held at minReplicas 2.
		{"TestMinReplicas", upstreamHPA(2, 5, cpuU(90)), none, 3, 3, 0, 0.115, 0, 2},
		{"TestMinReplicasDesiredZero", upstreamHPA(2, 5, cpuU(90)), none, 3, 3, 0, 0, 0, 2},
		{"TestZeroReplicas", upstreamHPA(3, 5, cpuU(90)), nil, 0, -1, 0, 0, 0, 0},
		{"TestTooFewReplicas", upstreamHPA(3, 5, cpuU(90)), nil, 2, -1, 0, 0, 0, 3},
		{"TestTooManyReplicas", upstreamHPA(3, 5, cpuU(90)), nil, 10, -1, 0, 0, 0, 5},
		{"TestMaxReplicas", upstreamHPA(2, 5, cpuU(90)), nil, 3, 3, 0, 18.5, 0, 5},
		{"TestSuperfluousMetrics", upstreamHPA(2, 6, cpuU(100)), nil, 4, 4, 0, 23.5, 0, 6},
		{"TestMissingMetrics", cpuNoInit(upstreamHPA(2, 6, cpuU(100))), none, 4, 2, 0, 0.495, 0, 3},
		{"TestEmptyMetrics", upstreamHPA(2, 6, cpuU(100)), nil, 4, -1, 0, 0, 0, 4},
		// 200m of a 200m request: 100% → 2.
		{"TestEventCreated", upstreamHPA(1, 5, cpuU(50)), nil, 1, 1, 0, 1, 0, 2},
		{"TestEventNotCreated", upstreamHPA(1, 5, cpuU(50)), nil, 2, 2, 0, 1, 0, 2},
		// 600m of 300m requested against 10%: 60, capped by Percent 700 per 60 s at 24.
		{"TestUpscaleCap", behavior(upstreamHPA(1, 100, cpuU(10)), gen(0, 0, 700, 60, 0), nil), nil, 3, 3, 0, 6, 0, 24},
		{"TestUpscaleCapGreaterThanMaxReplicas", behavior(upstreamHPA(1, 20, cpuU(10)), gen(0, 0, 700, 60, 0), nil), nil, 3, 3, 0, 6, 0, 20},
		{"TestNoBackoffUpscaleCM", upstreamHPA(1, 5, podsM(15)), nil, 3, 3, 0, 0, 60, 4},
		// cpu at 2000% of 10% asks for 600; the largest proposal wins, capped at 5.
		{"TestNoBackoffUpscaleCMNoBackoffCpu", upstreamHPA(1, 5, cpuU(10), podsM(15)), nil, 3, 3, 0, 60, 60, 5},
		// upstream has 3 pods under a spec of 4 at 50%; 4 boxes at 50%
		// propose the same 2, held at 4 by the recommendation of a minute ago.
		{"TestStabilizeDownscale", upstreamHPA(1, 5, cpuU(100)), []ago{{600, 10}, {60, 4}}, 4, 4, 0, 2, 0, 4},
		// minReplicas 0 upstream (with cpu alone, which boxes refuses); it does not bind.
		{"TestComputedToleranceAlgImplementation (target 56%)", upstreamHPA(1, 1000, cpuU(56)), none, 10, 10, 0, 5, 0, 9},
		{"TestComputedToleranceAlgImplementation (target 55%)", upstreamHPA(1, 1000, cpuU(55)), none, 10, 10, 0, 5, 0, 10},
		{"TestScaleUpRCImmediately", upstreamHPA(2, 6, cpuU(80)), nil, 1, 1, 0, 0, 0, 2},
		{"TestScaleDownRCImmediately", upstreamHPA(2, 5, cpuU(50)), nil, 6, 6, 0, 18.5, 0, 5},
		{"TestScaleUpOneMetricEmpty", upstreamHPA(2, 6, cpuU(30), bogus), nil, 3, 3, 0, 1.2, 0, 4},
		// an invalid metric and a valid scale down: no action.
		{"TestNoScaleDownOneMetricInvalid", upstreamHPA(2, 6, cpuU(50), bogus), none, 5, 5, 0, 1.4, 0, 5},
		{"TestNoScaleDownOneMetricEmpty", upstreamHPA(2, 6, cpuU(50), bogus), none, 5, 5, 0, 1.4, 0, 5},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			c := startUnchecked(t, r.h)
			if r.recs != nil {
				c.started = true
				for _, a := range r.recs {
					c.recs.add(math.Inf(-1), stamped{rowNow - a.age, a.n})
				}
			}
			o := &policy.Observation{Time: rowNow, Ready: r.ready, Booting: r.booting, Latency: 1}
			if r.seen < 0 {
				o.History = noWindow{}
			} else {
				o.History = policytest.ConstHistory(win(r.seen, r.busy, r.rate))
			}
			if got := c.Desired(o); got != r.want {
				t.Errorf("got %d replicas, want %d", got, r.want)
			}
		})
	}
}

// uniform is upstream's generateEventsUniformDistribution: raw events
// spread over period, the i-th trunc(period − seg × (i + 1) + seg / 2)
// seconds old, where seg = period / len(raw).
func uniform(raw []int, period int) []ago {
	seg := float64(period) / float64(len(raw))
	out := make([]ago, len(raw))
	for i, n := range raw {
		out[i] = ago{math.Trunc(float64(period) - seg*float64(i+1) + seg/2), n}
	}
	return out
}

// normalizer is a controller with the given rules (the API's defaults
// where nil), bounds and scale events, for the normalization rows.
func normalizer(t *testing.T, min, max int, up, down *ScalingRules, upEv, downEv []ago) *hpaRun {
	h := behavior(upstreamHPA(1, 0, cpuU(50)), up, down)
	c := startUnchecked(t, h)
	c.min, c.max = min, max
	for _, e := range upEv {
		c.upEvents.ev = append(c.upEvents.ev, stamped{rowNow - e.age, e.n})
	}
	for _, e := range downEv {
		c.downEvents.ev = append(c.downEvents.ev, stamped{rowNow - e.age, e.n})
	}
	return c
}

func TestUpstreamScalingWithRules(t *testing.T) {
	rows := []struct {
		name                   string
		upEv, downEv           []ago
		min, max               int
		up, down               *ScalingRules
		current, desired, want int
	}{
		{"prenormalized desired replicas within range", nil, nil, 3, 8, nil, nil, 5, 7, 7},
		{"prenormalized desired replicas < minReplicas", nil, nil, 2, 8, nil, nil, 3, 1, 2},
		{"prenormalized desired replicas within range when minReplicas is 0", nil, nil, 0, 10, nil, nil, 1, 0, 0},
		{"maxReplicas is the limit because maxReplicas < scaleUpLimit", nil, nil, 1, 10, nil, nil, 20, 1000, 10},
		{"desired replica count is more than the maximum replica count", nil, nil, 100, 150, nil, nil, 100, 1000, 150},
		{"scaleUpLimit is the limit because scaleUpLimit < maxReplicas with user policies", nil, nil, 1, 2000, gen(0, 0, 1, 60, 0), nil, 3, 1000, 4},
		// upstream skips this row (testThis); it holds all the same
		{"scaleDownLimit is the limit because scaleDownLimit > minReplicas with user defined policies", nil, nil, 3, 2000, nil, gen(20, 60, 0, 0, 0), 1000, 3, 980},
		{"scaleUp with default behavior", nil, nil, 1, 1000, nil, nil, 10, 50, 20},
		{"scaleUp with pods policy larger than percent policy", nil, nil, 1, 1000, gen(100, 60, 100, 60, 0), nil, 10, 500, 110},
		{"scaleUp with percent policy larger than pods policy", nil, nil, 1, 1000, gen(2, 60, 100, 60, 0), nil, 10, 500, 20},
		{"scaleUp with spec MaxReplicas limitation with large pod policy", nil, nil, 1, 1000, gen(100, 60, 0, 0, 0), nil, 10, 50, 50},
		{"scaleUp with spec MaxReplicas limitation with large percent policy", nil, nil, 1, 1000, gen(10000, 60, 0, 0, 0), nil, 10, 50, 50},
		{"scaleUp with pod policy limitation", nil, nil, 1, 1000, gen(30, 60, 0, 0, 0), nil, 10, 50, 40},
		{"scaleUp with percent policy limitation", nil, nil, 1, 1000, gen(0, 0, 200, 60, 0), nil, 10, 50, 30},
		{"scaleDown with percent policy larger than pod policy", nil, nil, 1, 1000, nil, gen(20, 60, 1, 60, 300), 100, 2, 80},
		{"scaleDown with pod policy larger than percent policy", nil, nil, 1, 1000, nil, gen(2, 60, 1, 60, 300), 100, 2, 98},
		{"scaleDown with spec MinReplicas=nil limitation with large pod policy", nil, nil, 1, 1000, nil, gen(100, 60, 0, 0, 300), 10, 0, 1},
		{"scaleDown with spec MinReplicas limitation with large pod policy", nil, nil, 1, 1000, nil, gen(100, 60, 0, 0, 300), 10, 0, 1},
		{"scaleDown with spec MinReplicas limitation with large percent policy", nil, nil, 5, 1000, nil, gen(0, 0, 100, 60, 300), 10, 2, 5},
		{"scaleDown with pod policy limitation", nil, nil, 1, 1000, nil, gen(5, 60, 0, 0, 300), 10, 2, 5},
		{"scaleDown with percent policy limitation", nil, nil, 1, 1000, nil, gen(0, 0, 50, 60, 300), 10, 5, 5},
		{"scaleUp with spec MaxReplicas limitation with large pod policy and events", uniform([]int{1, 5, 9}, 120), nil, 1, 200, gen(300, 60, 0, 0, 0), nil, 100, 500, 200},
		{"scaleUp with spec MaxReplicas limitation with large percent policy and events", uniform([]int{1, 5, 9}, 120), nil, 1, 200, gen(0, 0, 10000, 60, 0), nil, 100, 500, 200},
		{"scaleUp with currentReplicas limitation with rate.PeriodSeconds with a lot of recent scale up events", uniform([]int{1, 5, 9}, 120), nil, 1, 1000, gen(5, 120, 0, 0, 0), nil, 100, 500, 100},
		{"scaleUp with pod policy and previous scale up events", uniform([]int{1, 5, 9}, 120), nil, 1, 1000, gen(150, 120, 0, 0, 0), nil, 100, 500, 235},
		{"scaleUp with percent policy and previous scale up events", uniform([]int{1, 5, 9}, 120), nil, 1, 1000, gen(0, 0, 200, 120, 0), nil, 100, 500, 255},
		{"scaleUp with percent policy and previous scale up and down events", uniform([]int{4}, 120), uniform([]int{2}, 120), 1, 1000, gen(0, 0, 300, 300, 0), nil, 6, 24, 16},
		{"scaleDown with default policy and previous events", nil, uniform([]int{1, 5, 9}, 120), 1, 1000, nil, nil, 10, 5, 5},
		{"scaleDown with spec MinReplicas=nil limitation with large pod policy and previous events", nil, uniform([]int{1, 5, 9}, 120), 1, 1000, nil, gen(115, 120, 0, 0, 300), 100, 0, 1},
		{"scaleDown with spec MinReplicas limitation with large pod policy and previous events", nil, uniform([]int{1, 5, 9}, 120), 5, 1000, nil, gen(130, 120, 0, 0, 300), 100, 0, 5},
		{"scaleDown with spec MinReplicas limitation with large percent policy and previous events", nil, uniform([]int{1, 5, 9}, 120), 5, 1000, nil, gen(0, 0, 100, 120, 300), 100, 2, 5},
		{"scaleDown with pod policy limitation and previous events", nil, uniform([]int{1, 5, 9}, 120), 1, 1000, nil, gen(5, 120, 0, 0, 300), 100, 2, 100},
		{"scaleDown with percent policy limitation and previous events", nil, uniform([]int{2, 4, 6}, 120), 1, 1000, nil, gen(0, 0, 50, 120, 300), 100, 0, 56},
		{"scaleDown with percent policy and previous scale up and down events", uniform([]int{2}, 120), uniform([]int{4}, 120), 1, 1000, nil, gen(0, 0, 50, 180, 0), 10, 1, 6},
		{"scaleDown with previous events preventing further scale down", nil, uniform([]int{10, 10, 10}, 120), 1, 1000, nil, gen(0, 0, 10, 120, 300), 100, 0, 100},
		{"scaleDown with with previous events still allowing more scale down", nil, uniform([]int{10, 10, 10}, 120), 1, 1000, nil, gen(0, 0, 1000, 120, 300), 10, 5, 5},
		{"check 'outdated' flag for events for one behavior for up", uniform([]int{8, 12, 9, 11}, 120), nil, 1, 1000, gen(1000, 60, 0, 0, 0), nil, 100, 200, 200},
		{"check that events were not marked 'outdated' for two different policies in the behavior for up", uniform([]int{8, 12, 9, 11}, 120), nil, 1, 1000, gen(1000, 120, 100, 60, 0), nil, 100, 200, 200},
		{"check that events were marked 'outdated' for two different policies in the behavior for up", uniform([]int{8, 12, 9, 11}, 120), nil, 1, 1000, gen(1000, 30, 100, 60, 0), nil, 100, 200, 200},
		{"check 'outdated' flag for events for one behavior for down", nil, uniform([]int{8, 12, 9, 11}, 120), 1, 1000, nil, gen(1000, 60, 0, 0, 300), 100, 5, 5},
		{"check that events were not marked 'outdated' for two different policies in the behavior for down", nil, uniform([]int{8, 12, 9, 11}, 120), 1, 1000, nil, gen(1000, 120, 100, 60, 300), 100, 5, 5},
		{"check that events were marked 'outdated' for two different policies in the behavior for down", nil, uniform([]int{8, 12, 9, 11}, 120), 1, 1000, nil, gen(1000, 30, 100, 60, 300), 100, 5, 5},
	}
	for _, r := range rows {
		t.Run("TestScalingWithRules/"+r.name, func(t *testing.T) {
			c := normalizer(t, r.min, r.max, r.up, r.down, r.upEv, r.downEv)
			if got := c.rate(rowNow, r.current, r.desired); got != r.want {
				t.Errorf("got %d replicas, want %d", got, r.want)
			}
		})
	}
}

func TestUpstreamNormalize(t *testing.T) {
	// TestNormalizeDesiredReplicas: the legacy path's 5 min downscale
	// window (stabilizeRecommendation), from a current count the rules do
	// not bind.
	legacyRows := []struct {
		name     string
		recs     []ago
		proposal int
		want     int
	}{
		{"empty log", nil, 5, 5},
		{"stabilize", []ago{{120, 4}, {60, 5}}, 3, 5},
		{"no stabilize", []ago{{120, 1}, {60, 2}}, 3, 3},
		{"no stabilize - old recommendations", []ago{{600, 10}, {540, 9}}, 3, 3},
		{"stabilize - old recommendations", []ago{{600, 10}, {60, 4}, {120, 5}, {540, 9}}, 3, 5},
	}
	for _, r := range legacyRows {
		t.Run("TestNormalizeDesiredReplicas/"+r.name, func(t *testing.T) {
			c := startUnchecked(t, upstreamHPA(1, 0, cpuU(50)))
			c.started = true
			for _, a := range r.recs {
				c.recs.add(math.Inf(-1), stamped{rowNow - a.age, a.n})
			}
			if got := c.normalizeLegacy(rowNow, 100, r.proposal); got != r.want {
				t.Errorf("got %d, want %d", got, r.want)
			}
		})
	}

	// TestNormalizeDesiredReplicasWithBehavior:
	// stabilizeRecommendationWithBehaviors with the given windows (0 where
	// the row sets none).
	stabRows := []struct {
		name              string
		recs              []ago
		current, proposal int
		upStab, downStab  int // seconds
		want              int
	}{
		{"empty recommendations for scaling down", nil, 100, 5, 0, 0, 5},
		{"simple scale down stabilization", []ago{{120, 4}, {60, 5}}, 100, 3, 0, 180, 5},
		{"simple scale up stabilization", []ago{{120, 4}, {60, 5}}, 1, 7, 300, 0, 4},
		{"no scale down stabilization", []ago{{120, 1}, {60, 2}}, 100, 3, 300, 0, 3},
		{"no scale up stabilization", []ago{{120, 4}, {60, 5}}, 1, 3, 0, 300, 3},
		{"no scale down stabilization, reuse recommendation element", []ago{{600, 10}, {540, 9}}, 100, 3, 0, 0, 3},
		{"no scale up stabilization, reuse recommendation element", []ago{{600, 10}, {540, 9}}, 1, 100, 0, 0, 100},
		{"scale down stabilization, reuse one of obsolete recommendation element", []ago{{600, 10}, {60, 4}, {120, 5}, {540, 9}}, 100, 3, 0, 180, 5},
		{"scale up stabilization, reuse one of obsolete recommendation element", []ago{{6000, 10}, {60, 6}, {120, 5}, {180, 9}}, 1, 100, 300, 0, 5},
		{"scale up and down stabilization, do not scale up when prenormalized rec goes down", []ago{{6000, 2}, {180, 3}}, 2, 1, 300, 300, 2},
		{"scale up and down stabilization, do not scale down when prenormalized rec goes up", []ago{{6000, 2}, {180, 1}}, 2, 3, 300, 300, 2},
	}
	for _, r := range stabRows {
		t.Run("TestNormalizeDesiredReplicasWithBehavior/"+r.name, func(t *testing.T) {
			up := gen(0, 0, 0, 0, r.upStab)
			down := gen(0, 0, 0, 0, r.downStab)
			c := normalizer(t, 1, 0, up, down, nil, nil)
			c.started = true
			for _, a := range r.recs {
				c.recs.add(math.Inf(-1), stamped{rowNow - a.age, a.n})
			}
			if got := c.stabilize(rowNow, r.current, r.proposal); got != r.want {
				t.Errorf("got %d, want %d", got, r.want)
			}
		})
	}

	// TestConvertDesiredReplicasWithRules: the legacy path's bounds, with
	// the tests' scaleUpLimitFactor of 8 (calculateScaleUpLimit(3) = 24).
	convRows := []struct {
		name                             string
		current, desired, min, max, want int
	}{
		{"prenormalized desired replicas within range", 5, 7, 3, 8, 7},
		{"prenormalized desired replicas < minReplicas", 3, 1, 2, 8, 2},
		{"prenormalized desired zeroed replicas within range", 1, 0, 0, 10, 0},
		{"maxReplicas is the limit because maxReplicas < scaleUpLimit", 20, 1000, 1, 10, 10},
		{"scaleUpLimit is the limit because scaleUpLimit < maxReplicas", 3, 1000, 1, 2000, 24},
	}
	for _, r := range convRows {
		t.Run("TestConvertDesiredReplicasWithRules/"+r.name, func(t *testing.T) {
			h := upstreamHPA(1, 0, cpuU(50))
			h.ScaleDown.Stabilization = 0
			c := startUnchecked(t, h)
			c.started = true
			c.min, c.max = r.min, r.max
			if got := c.normalizeLegacy(rowNow, r.current, r.desired); got != r.want {
				t.Errorf("got %d, want %d", got, r.want)
			}
		})
	}

	// TestCalculateScaleUpLimitWithScalingRules and
	// TestCalculateScaleDownLimitWithBehaviors: selectPolicy Min over Pods 2
	// and Percent 50 per 60 s: from 1, min(3, ceil(1.5)) = 2; from 5,
	// max(3, trunc(2.5)) = 3.
	both := &ScalingRules{Select: SelectMin, Stabilization: 300 * time.Second, Policies: []ScalingPolicy{
		{Type: PolicyPods, Value: 2, Period: time.Minute}, {Type: PolicyPercent, Value: 50, Period: time.Minute}}}
	t.Run("TestCalculateScaleUpLimitWithScalingRules", func(t *testing.T) {
		if got := normalizer(t, 1, 0, both, nil, nil, nil).upLimit(rowNow, 1); got != 2 {
			t.Errorf("got %d, want 2", got)
		}
	})
	t.Run("TestCalculateScaleDownLimitWithBehaviors", func(t *testing.T) {
		if got := normalizer(t, 1, 0, nil, both, nil, nil).downLimit(rowNow, 5); got != 3 {
			t.Errorf("got %d, want 3", got)
		}
	})
}

// TestUpstreamStoreScaleEvents: TestStoreScaleEvents' rows with a behavior,
// for both directions: the change counted within 60 s before the store,
// and the log after storing a change of 5 at 10 replicas.
func TestUpstreamStoreScaleEvents(t *testing.T) {
	type ev struct {
		n        int
		outdated bool
	}
	rows := []struct {
		name       string
		prev       []ago
		rules      *ScalingRules
		wantChange int
		wantLog    []ev
	}{
		{"empty entries with two-policy-behavior", nil, gen(10, 60, 100, 60, 0), 0, []ev{{5, false}}},
		{"one outdated entry to be replaced with behavior", []ago{{61, 7}}, gen(10, 60, 100, 60, 0), 0, []ev{{5, false}}},
		{"one actual entry to be not touched with behavior", []ago{{58, 7}}, gen(10, 60, 100, 60, 0), 7, []ev{{7, false}, {5, false}}},
		{"two entries, one of them to be replaced", []ago{{61, 7}, {59, 6}}, gen(10, 60, 0, 0, 0), 6, []ev{{5, false}, {6, false}}},
		{"replace one entry, use policies with different periods", []ago{{29, 8}, {59, 6}, {61, 7}, {61, 9}}, gen(10, 60, 100, 30, 0), 14, []ev{{8, false}, {6, false}, {7, true}, {5, false}}},
		{"two entries, both actual", []ago{{58, 7}, {59, 6}}, gen(10, 120, 100, 30, 0), 13, []ev{{7, false}, {6, false}, {5, false}}},
	}
	for _, r := range rows {
		for _, dir := range []string{"up", "down"} {
			t.Run("TestStoreScaleEvents/"+r.name+"/"+dir, func(t *testing.T) {
				var c *hpaRun
				var log *eventLog
				var longest float64
				if dir == "up" {
					c = normalizer(t, 1, 0, r.rules, nil, r.prev, nil)
					log, longest = &c.upEvents, c.up.longest
				} else {
					c = normalizer(t, 1, 0, nil, r.rules, nil, r.prev)
					log, longest = &c.downEvents, c.down.longest
				}
				// getReplicasChangePerPeriod(60): what periodStart takes off.
				change := 10 - c.periodStart(rowNow, 10, 60)
				if dir == "down" {
					change = -change
				}
				if change != r.wantChange {
					t.Errorf("change within 60 s: got %d, want %d", change, r.wantChange)
				}
				log.add(rowNow, longest, 5)
				if len(log.ev) != len(r.wantLog) {
					t.Fatalf("log has %d events, want %d", len(log.ev), len(r.wantLog))
				}
				for i, e := range log.ev {
					w := r.wantLog[i]
					if e.n != w.n || (e.t < rowNow-longest) != w.outdated {
						t.Errorf("event %d: got %d (outdated %v), want %d (outdated %v)", i, e.n, e.t < rowNow-longest, w.n, w.outdated)
					}
				}
			})
		}
	}
}

// TestUpstreamGroupPods: TestGroupPods' rows whose pods are boxes.
func TestUpstreamGroupPods(t *testing.T) {
	rows := []struct {
		name                     string
		boot                     float64 // seconds a box boots
		init                     time.Duration
		ready, booting           int
		seen                     float64
		sampled, unready, missed int
	}{
		{"void", 0, 2 * time.Minute, 0, 0, 0, 0, 0, 0},
		{"unready a pod without ready condition - CPU", 0, 2 * time.Minute, 0, 1, 0, 0, 1, 0},
		{"count in a ready pod with fresh metrics during initialization period - CPU", 0, 2 * time.Minute, 1, 0, 1, 1, 0, 0},
		{"unready a ready pod without fresh metrics during initialization period - CPU", 0, 2 * time.Minute, 1, 0, 0, 0, 1, 0},
		{"unready an unready pod during initialization period - CPU", 0, 2 * time.Minute, 0, 1, 0, 0, 1, 0},
		// booting longer than the period, with a readiness delay of 10 s.
		{"unready pod that has never been ready after initialization period - CPU", 180, 2 * time.Minute, 0, 1, 0, 0, 1, 0},
		{"a missing pod", 0, 0, 1, 0, 0, 0, 0, 1},
		{"pending pods are unreadied", 0, 2 * time.Minute, 0, 1, 0, 0, 1, 0},
	}
	for _, r := range rows {
		t.Run("TestGroupPods/"+r.name, func(t *testing.T) {
			h := upstreamHPA(1, 0, cpuU(50))
			h.CPUInitializationPeriod = r.init
			_, c, err := h.start(policy.Env{Latency: 1, Step: 1, Boot: r.boot})
			if err != nil {
				t.Fatal(err)
			}
			g := c.group(true, r.ready, r.booting, r.seen)
			if g.sampled != r.sampled || g.unready != r.unready || g.missing != r.missed {
				t.Errorf("got ready %d, unready %d, missing %d; want %d, %d, %d", g.sampled, g.unready, g.missing, r.sampled, r.unready, r.missed)
			}
		})
	}
}

// TestUpstreamCount reports the mapped cases and the families left out;
// the mapped count is every subtest of the TestUpstream tests.
func TestUpstreamCount(t *testing.T) {
	n := 0
	for _, f := range upstreamUnmapped {
		n += f.n
		t.Logf("unmapped: %d × %s: %s", f.n, f.family, f.why)
	}
	t.Logf("unmapped cases: %d", n)
}
