package scaletozero

import (
	"fmt"
	"math"
	"time"

	"github.com/boxes-project/boxes/policy"
)

// ScaledJob is a KEDA ScaledJob (keda.sh/v1alpha1): queue consumers run as
// Kubernetes Jobs, one pod each, instead of a Deployment. "Rather than
// processing multiple events within a deployment, for each detected event
// a single Kubernetes Job is scheduled. That job will initialize, pull a
// single event from the message source, and process to completion and
// terminate" (keda.sh/docs concepts/scaling-jobs). So here a job pod is one
// box that boots (the engine's boot time), takes one job and leaves: it
// lives Boot + Latency, and that is what it costs (pod-time).
//
// Every PollingInterval KEDA reads the triggers (pkg/scaling/scaledjob
// IsScaledJobActive, CalculateQueueLengthAndMaxValue): each trigger's queue
// length q and maxValue = min(q / Target, MaxReplicaCount), combined over
// the triggers by MultipleScalersCalculation (max, min, avg, sum: of the
// active triggers); a trigger is active when q > ActivationTarget, and the
// whole is active when one is or MinReplicaCount > 0. Then, with running
// the job pods not finished and pending those not yet started (booting),
// scale_jobs.go getScalingDecision:
//
//	running < min:  create min − running
//	otherwise:      effective, scaleTo = strategy(maxScale = ceil(maxValue),
//	                running − min, pending, MaxReplicaCount, scaleTo = ceil(q))
//	                and create min(scaleTo, effective) when effective > 0
//
// with the strategies (GetEffectiveMaxScale; kedacore/keda 8b4f083), where
// MaxReplicaCount is KEDA's ScaledJob.MaxReplicaCount(), the jobs allowed
// beyond the minimum: max_replica_count − min_replica_count:
//
//	default:  maxScale − running
//	custom:   min(maxScale − deduction − floor(running × percentage), MaxReplicaCount)
//	accurate: MaxReplicaCount − running when maxScale + running − pending >
//	          MaxReplicaCount, else maxScale − pending
//	eager:    min(MaxReplicaCount − running − pending, maxScale), scaleTo = MaxReplicaCount
//
// A trigger's queue length is what boxes measures over one engine step:
// the jobs waiting (metric queue: the visible messages of SQS, Azure
// queues, Service Bus's active messages) or the jobs waiting or in service
// (metric concurrency: RabbitMQ's messages, ready plus unacknowledged).
// The default strategy assumes the second, the accurate one the first
// (keda.sh/docs reference/scaledjob-spec, scalingStrategy).
//
// Every job waits in the message queue until a pod takes it, however long
// (policy.Hold, not cold only, no timeout): the events engine's queue,
// unbounded, or the fluid engine's backlog.
//
// Departures: a pod leaves at the first engine step at or after its
// boot + latency. A pod that finds the queue empty still lives one latency
// (an upper bound on its time; real consumers exit at once). The engines
// remove the youngest booting box first when a pod's time is up, so the
// count of pods and their time are KEDA's while the jobs are served a
// little earlier than strictly one per pod. On the events engine a box
// takes the next waiting job the moment its job ends, before the step at
// which its pod leaves, and finishes it as it goes (drained): with a
// backlog a pod may serve two jobs, and its time runs to the second one's
// end (the fluid engine serves one job per pod when the latency is a whole
// number of steps). pendingPodConditions, rollout and the jobs history
// limits do not change scaling and are not modelled.
type ScaledJob struct {
	PollingInterval time.Duration `yaml:"polling_interval" default:"30s" min:"1s" doc:"time between two reads of the triggers by KEDA"`
	MinReplicaCount int           `yaml:"min_replica_count" default:"0" min:"0" doc:"job pods kept running (created again as they finish)"`
	// MaxReplicaCount bounds the pods a poll may have running, through the
	// strategy: the default and accurate ones stop at it, custom deducts
	// only a share of the running pods and may go past it.
	MaxReplicaCount int `yaml:"max_replica_count" default:"100" min:"1" doc:"most job pods, as the strategy counts them against the running ones"`
	// Strategy is scalingStrategy.strategy.
	Strategy string `yaml:"strategy" default:"default" enum:"default,custom,accurate,eager" doc:"how many job pods a poll creates (KEDA's scalingStrategy)"`
	// CustomDeduction and CustomPercentage are the custom strategy's
	// customScalingQueueLengthDeduction and
	// customScalingRunningJobPercentage; their defaults, 0 and 1, make it
	// the default strategy, as KEDA does when they are not set.
	CustomDeduction  int     `yaml:"custom_queue_length_deduction" default:"0" doc:"custom strategy: jobs taken off the queue length"`
	CustomPercentage float64 `yaml:"custom_running_job_percentage" default:"1" min:"0" max:"100" doc:"custom strategy: share of the running jobs taken off"`
	// MultipleScalersCalculation is scalingStrategy.multipleScalersCalculation.
	MultipleScalersCalculation string       `yaml:"multiple_scalers_calculation" default:"max" enum:"max,min,avg,sum" doc:"how several triggers combine"`
	Triggers                   []JobTrigger `yaml:"triggers" doc:"the queues the jobs come from"`
}

// JobTrigger is one of a ScaledJob's triggers.
type JobTrigger struct {
	Metric string `yaml:"metric" default:"queue" enum:"queue,concurrency" doc:"jobs waiting, or jobs waiting and in service, as the queue length"`
	// Target is the scaler's target per job pod (queueLength, value,
	// messageCount...): one pod per Target jobs.
	Target float64 `yaml:"target" default:"1" min:"0" exclusive:"min" doc:"jobs per job pod (the scaler's queue length target)"`
	// ActivationTarget is the scaler's activation value: active when the
	// queue length is above it.
	ActivationTarget float64 `yaml:"activation_target" default:"0" min:"0" doc:"queue length above which the trigger is active"`
}

// DefaultScaledJob is a ScaledJob with KEDA's defaults
// (keda.sh/docs/latest/reference/scaledjob-spec: pollingInterval 30,
// maxReplicaCount 100, minReplicaCount 0, the default strategy, max over
// triggers) and one trigger of one waiting job per pod.
func DefaultScaledJob() ScaledJob {
	return ScaledJob{
		PollingInterval:            30 * time.Second,
		MaxReplicaCount:            100,
		Strategy:                   "default",
		CustomPercentage:           1,
		MultipleScalersCalculation: "max",
		Triggers:                   []JobTrigger{{Metric: "queue", Target: 1}},
	}
}

// Validate checks each setting against its tags, then the rules that span
// settings.
func (k ScaledJob) Validate() error {
	if err := checkTags("keda-scaledjob", k); err != nil {
		return err
	}
	switch {
	case len(k.Triggers) == 0:
		return fmt.Errorf("policy: keda-scaledjob: at least one trigger is needed")
	case k.MaxReplicaCount < k.MinReplicaCount:
		return fmt.Errorf("policy: keda-scaledjob: max_replica_count %d is below min_replica_count %d", k.MaxReplicaCount, k.MinReplicaCount)
	}
	return nil
}

// Start makes a fresh KEDA operator for the ScaledJob. It starts with no
// job pod: the first poll, at time 0, creates what the queue asks for.
func (k ScaledJob) Start(env policy.Env) (policy.Run, error) {
	if err := k.Validate(); err != nil {
		return policy.Run{}, err
	}
	if err := checkEnv("keda-scaledjob", env); err != nil {
		return policy.Run{}, err
	}
	boot := env.Boot
	if !(boot >= 0) || math.IsInf(boot, 0) {
		return policy.Run{}, fmt.Errorf("policy: keda-scaledjob: env boot %g s must be finite and not negative", boot)
	}
	r := &scaledJobRun{cfg: k, step: stepOf(env), boot: boot, life: boot + env.Latency}
	return policy.Run{Policy: r, Period: 0, Lookback: 2 * r.step, Hold: &policy.Hold{}}, nil
}

// scaledJobRun is the KEDA operator's job loop and the pods it created.
type scaledJobRun struct {
	cfg        ScaledJob
	step       float64
	boot, life float64   // seconds from creation to ready, and to done
	nextPoll   float64   // time of the next poll
	pods       []float64 // creation times of the pods not finished, oldest first
	dec        policy.Decision
	decided    bool
}

// Desired lets the pods whose job is done leave, and creates new ones at
// a poll.
func (r *scaledJobRun) Desired(o *policy.Observation) int {
	now := o.Time
	i := 0
	for i < len(r.pods) && r.pods[i]+r.life <= now+1e-9 {
		i++
	}
	r.pods = r.pods[:copy(r.pods, r.pods[i:])]
	if now >= r.nextPoll-1e-9 {
		r.nextPoll = now + seconds(r.cfg.PollingInterval)
		r.poll(o)
	}
	r.dec.Desired = len(r.pods)
	return len(r.pods)
}

// poll reads the triggers and creates the jobs KEDA would.
func (r *scaledJobRun) poll(o *policy.Observation) {
	const unbounded = 1 << 40
	q, maxValue, active, ok := r.read(o, float64(r.cfg.maxBeyondMin()))
	if !ok {
		return
	}
	_, wantValue, _, _ := r.read(o, unbounded)
	running := int64(len(r.pods))
	pending := int64(0)
	for _, c := range r.pods {
		if c+r.boot > o.Time+1e-9 {
			pending++
		}
	}
	maxR := r.cfg.maxBeyondMin()
	scaleTo := ceil64(q)
	maxScale := ceil64(math.Min(maxValue, float64(maxR)))
	create := r.decide(running, pending, scaleTo, maxScale, maxR)
	// What the queue asked for with no max: the same arithmetic with
	// MaxReplicaCount out of the way, for LastDecision.
	wanted := r.decide(running, pending, scaleTo, ceil64(wantValue), unbounded)
	if !active && r.cfg.MinReplicaCount == 0 {
		create, wanted = 0, 0
	}
	for range create {
		r.pods = append(r.pods, o.Time)
	}
	// The max held the poll back when the queue asked for more pods than
	// it let the strategy create; then the bound is what it allowed.
	// Otherwise no bound held (the custom strategy may run more than
	// MaxReplicaCount pods: it deducts only a share of the running ones).
	hi := max(r.cfg.MaxReplicaCount, int(running+create))
	if wanted > create {
		hi = int(running + create)
	}
	r.dec = policy.Decision{Wanted: int(min(running+wanted, unbounded)), Min: r.cfg.MinReplicaCount, Max: hi}
	r.dec.Stabilized = r.dec.Wanted
	r.decided = true
}

// maxBeyondMin is KEDA's ScaledJob.MaxReplicaCount() (apis/keda/v1alpha1
// scaledjob_types.go): the jobs allowed beyond the minimum.
func (k ScaledJob) maxBeyondMin() int64 { return int64(k.MaxReplicaCount - k.MinReplicaCount) }

// decide is getScalingDecision and createJobs: the jobs to create.
func (r *scaledJobRun) decide(running, pending, scaleTo, maxScale, maxR int64) int64 {
	mn := int64(r.cfg.MinReplicaCount)
	var effective int64
	if running < mn {
		scaleTo, effective = mn-running, mn-running
	} else {
		effective, scaleTo = JobStrategy(r.cfg, maxScale, running-mn, pending, maxR, scaleTo)
	}
	if effective <= 0 {
		return 0
	}
	return min(scaleTo, effective)
}

// JobStrategy is KEDA's ScalingStrategy.GetEffectiveMaxScale for c's
// strategy (pkg/scaling/executor/scale_jobs.go): the most jobs a poll may
// create, and the scaleTo it caps.
func JobStrategy(c ScaledJob, maxScale, running, pending, maxReplicaCount, scaleTo int64) (effective, to int64) {
	switch c.Strategy {
	case "custom":
		return min(maxScale-int64(c.CustomDeduction)-int64(float64(running)*c.CustomPercentage), maxReplicaCount), scaleTo
	case "accurate":
		if maxScale+running-pending > maxReplicaCount {
			return maxReplicaCount - running, scaleTo
		}
		return maxScale - pending, scaleTo
	case "eager":
		return min(maxReplicaCount-running-pending, maxScale), maxReplicaCount
	}
	return maxScale - running, scaleTo
}

// read is IsScaledJobActive over the triggers: the combined queue length
// and maxValue, each trigger's maxValue capped at limit (MaxReplicaCount,
// as CalculateQueueLengthAndMaxValue does), and whether the ScaledJob is
// active; ok is false before anything is recorded.
func (r *scaledJobRun) read(o *policy.Observation, limit float64) (q, maxValue float64, active, ok bool) {
	m, ok := window(o, r.step, 0)
	if !ok {
		return 0, 0, false, false
	}
	n := 0.0
	for _, t := range r.cfg.Triggers {
		v := m.Queued
		if t.Metric == "concurrency" {
			v = m.Queued + m.Busy
		}
		v = math.Max(0, v)
		if !(v > t.ActivationTarget) {
			continue // KEDA combines the active triggers only
		}
		mv := math.Min(v/t.Target, limit)
		active = true
		switch r.cfg.MultipleScalersCalculation {
		case "min":
			if q == 0 || v < q {
				q, maxValue = v, mv
			}
		case "avg", "sum":
			q += v
			maxValue += mv
		default: // max: the trigger with the longest queue
			if v > q {
				q, maxValue = v, mv
			}
		}
		n++
	}
	if r.cfg.MultipleScalersCalculation == "avg" && n > 0 {
		q, maxValue = q/n, maxValue/n
	}
	if r.cfg.MinReplicaCount > 0 {
		active = true
	}
	return q, maxValue, active, true
}

// ceil64 is ceil(x) as a count, with the 1e-9 guard against float noise,
// saturating far above any replica count.
func ceil64(x float64) int64 {
	if !(x > 0) {
		return 0
	}
	return int64(math.Min(math.Ceil(x-1e-9*x), 1<<40))
}

// LastDecision explains the last poll: the job pods running plus those
// the strategy would have created with no MaxReplicaCount, against the
// pods the max let it have when it held the poll back. Between polls it
// stands, with the pods now running.
func (r *scaledJobRun) LastDecision() (*policy.Decision, bool) { return &r.dec, r.decided }
