package aws

import (
	"fmt"
	"math"
	"time"

	"github.com/boxes-project/boxes/policy"
)

// TargetTracking is an AWS target tracking scaling policy (Application Auto
// Scaling for ECS services and other scalable targets; EC2 Auto Scaling for
// groups) as boxes models it from the CloudWatch alarms AWS creates for it
// (sources and assumptions: aws.go).
//
// The metric is averaged over each Period into a datapoint, published
// PublicationDelay after its period ends. At each new datapoint:
//
//   - the scale-out alarm is in ALARM when the last ScaleOutDatapoints
//     datapoints are all above hpa.Target; the policy then proposes
//     desired = ceil(R × metric / hpa.Target), with R the mean number of ready
//     boxes over the newest datapoint's period (AWS "scales out
//     proportionally to the metric" and rounds up: +1.5 becomes +2 [ec2]),
//     and raises the capacity to it if it is higher. The capacity a
//     scale-out added counts toward the next one, so boxes still booting
//     are not asked for twice [ttc];
//   - the scale-in alarm is in ALARM when the last ScaleInDatapoints are all
//     below ScaleInRatio × hpa.Target; the policy then lowers the capacity to
//     the same proposal (−1.5 becomes −1: ceil again) unless DisableScaleIn
//     is set, the scale-out alarm is also in ALARM, a scale-in happened
//     within ScaleInCooldown, or a box is still booting or warming up
//     (InstanceWarmup after it became ready: "a scale-in cannot start during
//     a scale-out" [ec2]). A scale-out is never blocked by the scale-in
//     cooldown [ttc].
//
// Missing datapoints (no ready box for cpu) breach neither alarm, so the
// policy does not scale in on no data. The capacity stays within
// [MinCapacity, MaxCapacity] (the scalable target's or the group's).
//
// ScaleOutCooldown is kept for fidelity to the API: since the proposal is an
// absolute capacity and added capacity counts as present, a scale-out during
// the cooldown happens exactly when the proposal exceeds the current
// desired capacity, as it would outside it.
type TargetTracking struct {
	Metric           AWSMetric     `yaml:"metric" default:"cpu" enum:"cpu,alb_requests_per_target,sqs_backlog_per_instance" doc:"what to track: average CPU percent, ALB requests per target per period, or SQS backlog per instance"`
	Target           float64       `yaml:"target" default:"50" min:"0" exclusive:"min" doc:"target value of the metric (percent for cpu)"`
	MinCapacity      int           `yaml:"min_capacity" default:"1" min:"0" doc:"fewest boxes (the scalable target's or group's MinCapacity)"`
	MaxCapacity      int           `yaml:"max_capacity" default:"0" min:"0" doc:"most boxes; 0 means no bound"`
	Period           time.Duration `yaml:"period" default:"60s" min:"1s" max:"1h" doc:"CloudWatch metric period of one datapoint"`
	PublicationDelay time.Duration `yaml:"publication_delay" default:"60s" min:"0s" max:"1h" doc:"how late a datapoint is published after its period ends"`
	// The alarm shapes AWS creates (not documented by AWS; see aws.go).
	ScaleOutDatapoints int           `yaml:"scale_out_datapoints" default:"3" min:"1" max:"1440" doc:"datapoints in a row above target that trigger a scale-out"`
	ScaleInDatapoints  int           `yaml:"scale_in_datapoints" default:"15" min:"1" max:"1440" doc:"datapoints in a row below scale_in_ratio × target that trigger a scale-in"`
	ScaleInRatio       float64       `yaml:"scale_in_ratio" default:"0.9" min:"0" max:"1" exclusive:"min" doc:"scale-in alarm threshold as a share of the target"`
	ScaleOutCooldown   time.Duration `yaml:"scale_out_cooldown" default:"300s" min:"0s" max:"24h" doc:"after a scale-out, added capacity counts toward the next one"`
	ScaleInCooldown    time.Duration `yaml:"scale_in_cooldown" default:"300s" min:"0s" max:"24h" doc:"after a scale-in, no other scale-in"`
	InstanceWarmup     time.Duration `yaml:"instance_warmup" default:"0s" min:"0s" max:"24h" doc:"after a new box is ready, time before it counts (no scale-in meanwhile)"`
	DisableScaleIn     bool          `yaml:"disable_scale_in" default:"false" doc:"never remove capacity"`
}

// DefaultTargetTracking is CPU at 50% with the alarm shapes above, one-minute
// datapoints published a minute late, and Application Auto Scaling's
// cooldowns for ECS services (300 s each [cdk]).
func DefaultTargetTracking() TargetTracking {
	return TargetTracking{
		Metric: AWSCPU, Target: 50, MinCapacity: 1,
		Period: time.Minute, PublicationDelay: time.Minute,
		ScaleOutDatapoints: 3, ScaleInDatapoints: 15, ScaleInRatio: 0.9,
		ScaleOutCooldown: 300 * time.Second, ScaleInCooldown: 300 * time.Second,
	}
}

// Validate reports the first setting out of range.
func (c TargetTracking) Validate() error {
	const kind = "aws-target-tracking"
	if err := metricTiming(kind, c.Metric, c.Period, c.PublicationDelay); err != nil {
		return err
	}
	if !(c.Target > 0) || math.IsInf(c.Target, 0) {
		return fmt.Errorf("policy: %s: target %g must be positive and finite", kind, c.Target)
	}
	if c.Metric == AWSCPU && c.Target > 100 {
		return fmt.Errorf("policy: %s: target %g must be at most 100 (percent) for metric cpu", kind, c.Target)
	}
	if err := capacityRange(kind, c.MinCapacity, c.MaxCapacity); err != nil {
		return err
	}
	switch {
	case c.ScaleOutDatapoints < 1 || c.ScaleOutDatapoints > 1440:
		return fmt.Errorf("policy: %s: scale_out_datapoints %d must be in [1, 1440]", kind, c.ScaleOutDatapoints)
	case c.ScaleInDatapoints < 1 || c.ScaleInDatapoints > 1440:
		return fmt.Errorf("policy: %s: scale_in_datapoints %d must be in [1, 1440]", kind, c.ScaleInDatapoints)
	case !(c.ScaleInRatio > 0 && c.ScaleInRatio <= 1):
		return fmt.Errorf("policy: %s: scale_in_ratio %g must be in (0, 1]", kind, c.ScaleInRatio)
	}
	for _, d := range []struct {
		name string
		d    time.Duration
	}{{"scale_out_cooldown", c.ScaleOutCooldown}, {"scale_in_cooldown", c.ScaleInCooldown}, {"instance_warmup", c.InstanceWarmup}} {
		if d.d < 0 || d.d > 24*time.Hour {
			return fmt.Errorf("policy: %s: %s %v must be in [0s, 24h]", kind, d.name, d.d)
		}
	}
	return nil
}

// Start makes a fresh policy. It starts warm at the capacity the target
// asks for at policy.Env.InitialRate (MinCapacity for a backlog metric).
func (c TargetTracking) Start(env policy.Env) (policy.Run, error) {
	if err := c.Validate(); err != nil {
		return policy.Run{}, err
	}
	if err := checkEnv("aws-target-tracking", env); err != nil {
		return policy.Run{}, err
	}
	r := c.newRun(env)
	return policy.Run{Policy: r, Initial: r.desired, Period: runPeriod(c.Period, c.PublicationDelay),
		Lookback: (c.Period + c.PublicationDelay).Seconds() + runPeriod(c.Period, c.PublicationDelay), Reads: r.cw.reads()}, nil
}

func (c TargetTracking) newRun(env policy.Env) *targetRun {
	p := c.Period.Seconds()
	r := &targetRun{
		c:       c,
		cw:      newCloudwatch(c.Metric, p, c.PublicationDelay.Seconds(), max(c.ScaleOutDatapoints, c.ScaleInDatapoints)),
		boot:    env.Boot,
		warm:    c.InstanceWarmup.Seconds(),
		lastIn:  math.Inf(-1),
		lastOut: math.Inf(-1),
	}
	r.desired = clamp(c.Metric.boxesFor(env.InitialRate, env.Latency, c.Target, p), c.MinCapacity, c.MaxCapacity)
	return r
}

type launch struct {
	t float64
	n int
}

type targetRun struct {
	c               TargetTracking
	cw              *cloudwatch
	boot, warm      float64
	desired         int
	lastIn, lastOut float64
	launches        []launch // scale-outs younger than boot + warm-up
	dec             policy.Decision
	decided         bool
}

// warming is the number of boxes launched within the last boot + warm-up.
func (r *targetRun) warming(t float64) int {
	i := 0
	for i < len(r.launches) && r.launches[i].t <= t-r.boot-r.warm {
		i++
	}
	r.launches = r.launches[:copy(r.launches, r.launches[i:])]
	n := 0
	for _, l := range r.launches {
		n += l.n
	}
	return n
}

func (r *targetRun) Desired(o *policy.Observation) int {
	if r.cw.update(o) > 0 {
		r.decide(o)
	}
	r.desired = clamp(r.desired, r.c.MinCapacity, r.c.MaxCapacity)
	r.dec.Desired = r.desired
	return r.desired
}

// LastDecision explains the capacity at the newest datapoint: what the
// alarm in ALARM proposed before the capacity bounds (the capacity itself
// when neither alarm was), and the bounds. Target tracking has no rate
// limit on a scale-out (the cooldown only counts added capacity as
// present), so only MaxCapacity holds it back; a scale-in held by a
// cooldown or warm-up asks for fewer boxes and is not a cause of misses.
func (r *targetRun) LastDecision() (*policy.Decision, bool) { return &r.dec, r.decided }

// proposal is ceil(R × metric / target) for the newest datapoint, or -1
// with none.
func (r *targetRun) proposal() (int, bool) {
	v, ready, ok := r.cw.last()
	if !ok {
		return 0, false
	}
	if r.c.Metric != AWSCPU {
		ready = math.Max(ready, 1)
	}
	return ceilGuard(ready * v / r.c.Target), true
}

func (r *targetRun) decide(o *policy.Observation) {
	target := r.c.Target
	out := r.cw.inAlarm(r.c.ScaleOutDatapoints, r.c.ScaleOutDatapoints, func(v float64) bool { return v > target })
	low := r.c.ScaleInRatio * target
	in := r.cw.inAlarm(r.c.ScaleInDatapoints, r.c.ScaleInDatapoints, func(v float64) bool { return v < low })
	want, ok := r.proposal()
	if !ok {
		return
	}
	wanted := r.desired // neither alarm: the capacity is what it wants
	if out && want > r.desired || in && !out && !r.c.DisableScaleIn && want < r.desired {
		wanted = want
	}
	r.dec = policy.Decision{Wanted: wanted, Stabilized: wanted, Min: r.c.MinCapacity, Max: r.c.MaxCapacity}
	r.decided = true
	want = clamp(want, r.c.MinCapacity, r.c.MaxCapacity)
	switch {
	case out && want > r.desired:
		r.launches = append(r.launches, launch{t: o.Time, n: want - r.desired})
		r.desired = want
		r.lastOut = o.Time
	case in && !out && !r.c.DisableScaleIn && want < r.desired &&
		o.Time >= r.lastIn+r.c.ScaleInCooldown.Seconds() && o.Booting == 0 && r.warming(o.Time) == 0:
		r.desired = want
		r.lastIn = o.Time
	}
}
