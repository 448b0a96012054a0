package scaletozero

import (
	"fmt"
	"math"
	"time"

	"github.com/boxes-project/boxes/policy"
	"github.com/boxes-project/boxes/policy/hpa"
)

// KEDA is a KEDA ScaledObject (keda.sh/v1alpha1; kedacore/keda
// pkg/scaling/executor/scale_scaledobjects.go and controllers/keda/hpa.go,
// the project's autoscaler reference, corrections 1–4) on a Deployment of
// replicas of one box each. Two controllers share the replica count:
//
//   - KEDA itself, every PollingInterval, reads each trigger: a trigger is
//     active when its value is above its ActivationTarget (strictly). From
//     zero (or IdleReplicaCount), any active trigger sets the count to
//     max(MinReplicaCount, 1). With no trigger active, once CooldownPeriod
//     has passed since the last poll at which one was (and
//     InitialCooldownPeriod since the start), it sets the count from any N
//     straight to IdleReplicaCount, or to 0 when MinReplicaCount is 0.
//   - The HorizontalPodAutoscaler KEDA creates (hpa.HPA, run through its
//     public API) does 1↔N every SyncPeriod, on one AverageValue external
//     metric per trigger: desired = ceil(value / Target), the largest over
//     the triggers, with the HPA's tolerance, its behavior
//     (advanced.horizontalPodAutoscalerConfig.behavior; without one it
//     takes the controller's legacy path: at most max(2 × current, 4) per
//     sync and the highest proposal of the last 300 s), bounded by
//     [max(MinReplicaCount, 1), MaxReplicaCount]. It does nothing at 0.
//
// A trigger's value is what boxes measures (Trigger.Metric), summed over
// the Deployment: jobs arriving per second, jobs in flight, busy boxes for
// cpu (the Resource metric's utilization × ready boxes, so that the HPA's
// ceil(ready × utilization / target) is ceil(value / Target)), or jobs
// waiting (Metrics.Queued: the backlog the queue-consumer pattern scales
// on). A ScaledObject with a queue trigger reads a message queue: every
// job that finds no free replica waits in it, however long (policy.Hold,
// not cold only, no timeout: a broker keeps its messages). That is the
// events engine's queue, made unbounded, and the fluid engine's backlog.
//
// Fallback: when the metrics cannot be read for FailureThreshold polls in a
// row the count goes to Fallback.Replicas. Boxes' metrics fail only before
// anything has been recorded.
//
// The HTTP add-on (Interceptor): its interceptor holds requests while no
// replica is ready (policy.Hold, cold only) and pushes activation at once
// (every engine step here, every 200 ms there) instead of at the polling
// interval. Its request timeout is 0 (none) by default
// (keda.sh/http-add-on/1.0 operations/configure-interceptor), and it holds
// any number of requests (KEDA_HTTP_COLD_START_MAX_PENDING_REQUESTS 0).
//
// Departures: the HPA's metric is the trigger's value at the sync (KEDA's
// metrics adapter queries the scaler when the HPA asks), as a Pods metric
// per ready replica, so the controller's tolerance test uses ready replicas
// where Kubernetes uses status.replicas; scalingModifiers are
// not modelled.
type KEDA struct {
	PollingInterval       time.Duration `yaml:"polling_interval" default:"30s" min:"1s" doc:"time between two reads of the triggers by KEDA"`
	CooldownPeriod        time.Duration `yaml:"cooldown_period" default:"300s" min:"0s" doc:"time since the last active poll before scaling to zero (or idle)"`
	InitialCooldownPeriod time.Duration `yaml:"initial_cooldown_period" default:"0s" min:"0s" doc:"time from the start before the first scale to zero"`
	MinReplicaCount       int           `yaml:"min_replica_count" default:"0" min:"0" doc:"fewest replicas while active"`
	MaxReplicaCount       int           `yaml:"max_replica_count" default:"100" min:"1" doc:"most replicas"`
	// IdleReplicaCount is the count with no trigger active; -1 is unset.
	// KEDA accepts any value below MinReplicaCount, but only 0 works (the
	// HPA's minimum is max(MinReplicaCount, 1)).
	IdleReplicaCount int       `yaml:"idle_replica_count" default:"-1" min:"-1" max:"0" doc:"replicas while no trigger is active (-1: not set)"`
	Triggers         []Trigger `yaml:"triggers" doc:"what the replicas scale on; the largest proposal wins"`
	Fallback         Fallback  `yaml:"fallback" doc:"replicas to keep when the metrics cannot be read"`
	// Behavior is advanced.horizontalPodAutoscalerConfig.behavior.
	Behavior Behavior `yaml:"behavior" doc:"the HPA's behavior (none: the controller's legacy path)"`
	// SyncPeriod and Tolerance are the HPA controller's
	// (--horizontal-pod-autoscaler-sync-period, -tolerance).
	SyncPeriod time.Duration `yaml:"sync_period" default:"15s" min:"1s" doc:"time between two HPA reconciliations"`
	Tolerance  float64       `yaml:"tolerance" default:"0.1" min:"0" max:"1" doc:"HPA tolerance of the metric ratio around 1"`
	// Interceptor is the HTTP add-on in front of the replicas.
	Interceptor        bool          `yaml:"interceptor" default:"false" doc:"the HTTP add-on's interceptor holds requests while no replica is ready"`
	InterceptorTimeout time.Duration `yaml:"interceptor_timeout" default:"0s" min:"0s" doc:"longest the interceptor holds a request (0: no limit)"`
}

// Trigger is one of a ScaledObject's triggers, on a metric boxes measures.
type Trigger struct {
	Metric string `yaml:"metric" default:"jobrate" enum:"jobrate,concurrency,cpu,queue" doc:"jobs/s arriving, jobs in flight, cpu utilization or jobs waiting"`
	// Target is per replica: jobs/s, jobs in flight, a utilization in
	// (0, 1] for cpu, or jobs waiting.
	Target float64 `yaml:"target" default:"100" min:"0" exclusive:"min" doc:"value per replica the HPA aims at"`
	// ActivationTarget is activationTarget (activationThreshold for most
	// scalers): active when the value is above it.
	ActivationTarget float64 `yaml:"activation_target" default:"0" min:"0" doc:"value above which the trigger is active (0↔1)"`
	// Window is how long the value is averaged; 0 is one engine step (an
	// instantaneous reading). The HTTP add-on's rate is over 1 minute.
	Window time.Duration `yaml:"window" default:"0s" min:"0s" max:"1h" doc:"averaging window of the value (0: one engine step)"`
}

// Fallback is spec.fallback.
type Fallback struct {
	FailureThreshold int `yaml:"failure_threshold" default:"0" min:"0" doc:"failed reads in a row before the fallback (0: no fallback)"`
	Replicas         int `yaml:"replicas" default:"0" min:"0" doc:"replicas while the metrics fail"`
}

// Behavior mirrors the HPA's behavior field, with Kubernetes' names.
type Behavior struct {
	ScaleUp   HPARules `yaml:"scaleUp" doc:"rules for scaling up"`
	ScaleDown HPARules `yaml:"scaleDown" doc:"rules for scaling down"`
}

// HPARules mirrors HPAScalingRules; unset fields take Kubernetes'
// defaults (pkg/apis/autoscaling/v2/defaults.go).
type HPARules struct {
	StabilizationWindowSeconds int         `yaml:"stabilizationWindowSeconds" default:"-1" min:"-1" max:"3600" doc:"stabilization window in seconds (-1: the default)"`
	SelectPolicy               string      `yaml:"selectPolicy" default:"" enum:",Max,Min,Disabled" doc:"which policy wins (empty: Max)"`
	Policies                   []HPAPolicy `yaml:"policies" doc:"rate limits (none: the default ones)"`
}

// HPAPolicy mirrors HPAScalingPolicy.
type HPAPolicy struct {
	Type          string `yaml:"type,required" enum:"Pods,Percent" doc:"Pods or Percent"`
	Value         int    `yaml:"value,required" min:"1" doc:"pods or percent per period"`
	PeriodSeconds int    `yaml:"periodSeconds,required" min:"1" max:"1800" doc:"period in seconds"`
}

func (r HPARules) set() bool {
	return r.StabilizationWindowSeconds >= 0 || r.SelectPolicy != "" || len(r.Policies) > 0
}

// Set reports whether the ScaledObject gives a behavior.
func (b Behavior) Set() bool { return b.ScaleUp.set() || b.ScaleDown.set() }

// DefaultKEDA is a ScaledObject with KEDA's defaults
// (keda.sh/docs/latest/reference/scaledobject-spec) and one jobrate
// trigger of 100 jobs/s per replica.
func DefaultKEDA() KEDA {
	return KEDA{
		PollingInterval:  30 * time.Second,
		CooldownPeriod:   300 * time.Second,
		MaxReplicaCount:  100,
		IdleReplicaCount: -1,
		Triggers:         []Trigger{{Metric: "jobrate", Target: 100}},
		Behavior:         Behavior{ScaleUp: HPARules{StabilizationWindowSeconds: -1}, ScaleDown: HPARules{StabilizationWindowSeconds: -1}},
		SyncPeriod:       15 * time.Second,
		Tolerance:        0.1,
	}
}

// Validate checks each setting against its tags, then the rules that span
// settings.
func (k KEDA) Validate() error {
	if err := checkTags("keda", k); err != nil {
		return err
	}
	switch {
	case len(k.Triggers) == 0:
		return errNoTrigger
	case k.MaxReplicaCount < k.MinReplicaCount:
		return fmt.Errorf("policy: keda: max_replica_count %d is below min_replica_count %d", k.MaxReplicaCount, k.MinReplicaCount)
	case k.IdleReplicaCount >= 0 && k.IdleReplicaCount >= k.MinReplicaCount:
		return fmt.Errorf("policy: keda: idle_replica_count %d must be below min_replica_count %d", k.IdleReplicaCount, k.MinReplicaCount)
	case k.Fallback.FailureThreshold > 0 && k.Fallback.Replicas > k.MaxReplicaCount:
		return fmt.Errorf("policy: keda: fallback replicas %d is above max_replica_count %d", k.Fallback.Replicas, k.MaxReplicaCount)
	}
	for i, t := range k.Triggers {
		if t.Metric == "cpu" && t.Target > 1 {
			return fmt.Errorf("policy: keda: triggers[%d].target %g must be a utilization in (0, 1] for cpu", i, t.Target)
		}
	}
	return nil
}

// HPA is the HorizontalPodAutoscaler KEDA creates, in boxes' terms: an
// AverageValue metric whose value the KEDA run supplies as the largest
// value / Target over the triggers (so TargetRate is 1).
func (k KEDA) HPA() hpa.HPA {
	h := hpa.HPA{
		Metric:      hpa.MetricJobRate,
		TargetRate:  1,
		MinReplicas: max(k.MinReplicaCount, 1),
		MaxReplicas: k.MaxReplicaCount,
		SyncPeriod:  k.SyncPeriod,
		Window:      time.Nanosecond, // the adapter reads the triggers' own windows
	}
	d := hpa.DefaultHPA()
	if !k.Behavior.Set() {
		h.Legacy = true
		h.ScaleDown.Stabilization = hpa.DefaultDownStabilization
	} else {
		h.ScaleUp = k.Behavior.ScaleUp.rules(d.ScaleUp)
		h.ScaleDown = k.Behavior.ScaleDown.rules(d.ScaleDown)
	}
	h.ScaleUp.Tolerance, h.ScaleDown.Tolerance = k.Tolerance, k.Tolerance
	return h
}

// rules fills r's unset fields from Kubernetes' defaults def.
func (r HPARules) rules(def hpa.ScalingRules) hpa.ScalingRules {
	out := def
	if r.StabilizationWindowSeconds >= 0 {
		out.Stabilization = time.Duration(r.StabilizationWindowSeconds) * time.Second
	}
	if r.SelectPolicy != "" {
		out.Select = hpa.Select(r.SelectPolicy)
	}
	if len(r.Policies) > 0 {
		out.Policies = nil
		for _, p := range r.Policies {
			out.Policies = append(out.Policies, hpa.ScalingPolicy{Type: hpa.PolicyType(p.Type), Value: p.Value, Period: time.Duration(p.PeriodSeconds) * time.Second})
		}
	}
	return out
}

// Start makes a fresh KEDA operator and HPA.
func (k KEDA) Start(env policy.Env) (policy.Run, error) {
	if err := k.Validate(); err != nil {
		return policy.Run{}, err
	}
	if err := checkEnv("keda", env); err != nil {
		return policy.Run{}, err
	}
	hr, err := k.HPA().Start(policy.Env{Latency: 1, Step: env.Step, Boot: env.Boot, Horizon: env.Horizon, Start: env.Start})
	if err != nil {
		return policy.Run{}, fmt.Errorf("policy: keda: %w", err)
	}
	r := &kedaRun{cfg: k, hpa: hr.Policy, step: stepOf(env), nextPoll: 0, nextSync: 0, lastActive: math.Inf(-1)}
	r.adapter.run = r
	// Warm start: what the triggers ask for at the load of time 0.
	need, active := 0.0, false
	for _, t := range k.Triggers {
		v := 0.0
		switch t.Metric {
		case "jobrate":
			v = env.InitialRate
		case "concurrency", "cpu":
			v = env.InitialRate * env.Latency
		}
		need = math.Max(need, v/t.Target)
		active = active || v > t.ActivationTarget
	}
	initial := 0
	if active {
		initial = min(max(ceilInstances(need), k.MinReplicaCount, 1), k.MaxReplicaCount)
		r.lastActive = 0
	} else if k.IdleReplicaCount < 0 {
		initial = k.MinReplicaCount
	}
	lookback := r.step
	for _, t := range k.Triggers {
		lookback = math.Max(lookback, seconds(t.Window))
	}
	run := policy.Run{Policy: r, Initial: initial, Period: 0, Lookback: lookback + r.step}
	if k.Interceptor {
		run.Hold = &policy.Hold{ColdOnly: true, Timeout: seconds(k.InterceptorTimeout)}
	}
	for _, t := range k.Triggers {
		if t.Metric == "queue" { // the consumers' queue holds every job
			run.Hold = &policy.Hold{}
			break
		}
	}
	return run, nil
}

// kedaRun is the KEDA operator's scale loop and the HPA it created.
type kedaRun struct {
	cfg                KEDA
	hpa                policy.Policy
	step               float64
	nextPoll, nextSync float64
	lastActive         float64
	failures           int
	adapter            triggerHistory
	hobs               policy.Observation
	obs                *policy.Observation
	scratch            policy.Metrics
}

// values reads every trigger at the observation's time: the largest
// value / Target, whether any is active, and whether any could be read.
func (r *kedaRun) values(o *policy.Observation, to float64) (need float64, active, ok bool) {
	for _, t := range r.cfg.Triggers {
		w := seconds(t.Window)
		if w <= 0 {
			w = r.step
		}
		// The scratch lives in the run: a local's address would escape
		// through the interface and cost an allocation a read.
		r.scratch = policy.Metrics{}
		if !o.History.Window(to-w, to, &r.scratch) {
			continue
		}
		m := r.scratch
		ok = true
		var v float64
		switch t.Metric {
		case "jobrate":
			v = m.JobRate
		case "concurrency":
			v = inFlight(m)
		case "cpu":
			v = m.Busy
		case "queue":
			v = m.Queued
		}
		need = math.Max(need, v/t.Target)
		active = active || v > t.ActivationTarget
	}
	return need, active, ok
}

// Desired runs KEDA's poll and the HPA's sync when they are due.
func (r *kedaRun) Desired(o *policy.Observation) int {
	now := o.Time
	current := o.Ready + o.Booting
	idle := max(r.cfg.IdleReplicaCount, 0)
	if o.History == nil {
		return current
	}
	// The HPA syncs on its own clock; a sync that falls on a step where
	// KEDA changes the count sees the count before the change, which KEDA's
	// write replaces.
	sync := now >= r.nextSync-1e-9
	if sync {
		r.nextSync = now + seconds(r.cfg.SyncPeriod)
	}
	poll := now >= r.nextPoll-1e-9
	push := r.cfg.Interceptor && current <= idle
	if poll || push {
		if poll {
			r.nextPoll = now + seconds(r.cfg.PollingInterval)
		}
		_, active, ok := r.values(o, now)
		if poll {
			if ok {
				r.failures = 0
			} else {
				r.failures++
			}
			if fb := r.cfg.Fallback; fb.FailureThreshold > 0 && r.failures >= fb.FailureThreshold {
				return fb.Replicas
			}
		}
		switch {
		case active:
			r.lastActive = now
			if current <= idle {
				return max(r.cfg.MinReplicaCount, 1)
			}
		case poll && ok && current > idle && (r.cfg.MinReplicaCount == 0 || r.cfg.IdleReplicaCount >= 0) &&
			now >= seconds(r.cfg.InitialCooldownPeriod) && now-r.lastActive >= seconds(r.cfg.CooldownPeriod):
			return idle
		}
	}
	if sync {
		if current == 0 {
			return 0
		}
		r.obs = o
		r.hobs.Time, r.hobs.Ready, r.hobs.Booting, r.hobs.Latency = now, o.Ready, o.Booting, o.Latency
		r.hobs.History = &r.adapter
		return r.hpa.Desired(&r.hobs)
	}
	return current
}

// triggerHistory is what the HPA reads: the largest value / Target over
// the triggers as the metric's total (JobRate, with TargetRate 1), and the
// ready replicas now as the window's ready count, so that the HPA's
// ceil(ready × (total / ready) / 1) is ceil(value / Target).
type triggerHistory struct{ run *kedaRun }

func (h *triggerHistory) Window(from, to float64, m *policy.Metrics) bool {
	r := h.run
	need, _, ok := r.values(r.obs, to)
	if !ok || r.obs.Ready <= 0 {
		return false
	}
	*m = policy.Metrics{JobRate: need, Ready: float64(r.obs.Ready)}
	return true
}
