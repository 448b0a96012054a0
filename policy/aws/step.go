package aws

import (
	"fmt"
	"github.com/boxes-project/boxes/policy"
	"math"
	"sort"
	"time"
)

// Adjustment types of step and simple scaling policies.
const (
	ChangeInCapacity        = "ChangeInCapacity"
	PercentChangeInCapacity = "PercentChangeInCapacity"
	ExactCapacity           = "ExactCapacity"
)

// adjust applies a scaling adjustment to capacity c [ec2, as-scaling-simple-step.md]:
// ChangeInCapacity adds adj; ExactCapacity sets it; PercentChangeInCapacity
// adds c × adj / 100 rounded as AWS rounds it — values above 1 round down,
// between 0 and 1 become 1, between 0 and −1 become −1, below −1 round up
// (toward zero) — and then at least MinAdjustmentMagnitude in size.
func adjust(c int, typ string, adj, minMag int) int {
	switch typ {
	case ExactCapacity:
		return adj
	case PercentChangeInCapacity:
		d := float64(c) * float64(adj) / 100
		var n int
		switch {
		case d >= 1:
			n = int(math.Floor(d + 1e-9))
		case d > 0:
			n = 1
		case d <= -1:
			n = int(math.Ceil(d - 1e-9))
		case d < 0:
			n = -1
		}
		if n > 0 && n < minMag {
			n = minMag
		} else if n < 0 && -n < minMag {
			n = -minMag
		}
		return c + n
	}
	return c + adj
}

func validAdjustmentType(where, typ string, minMag int) error {
	switch typ {
	case ChangeInCapacity, PercentChangeInCapacity, ExactCapacity:
	default:
		return fmt.Errorf("%s.adjustment_type %.40q must be ChangeInCapacity, PercentChangeInCapacity or ExactCapacity", where, typ)
	}
	if minMag < 0 {
		return fmt.Errorf("%s.min_adjustment_magnitude %d must not be negative", where, minMag)
	}
	if minMag > 0 && typ != PercentChangeInCapacity {
		return fmt.Errorf("%s.min_adjustment_magnitude is only for PercentChangeInCapacity, not %s", where, typ)
	}
	return nil
}

// StepAdjustment is one step of a step scaling policy: it applies when the
// breach, metric − threshold, lies between Lower and Upper. Above the
// threshold the lower bound is inclusive and the upper exclusive; below it,
// the lower is exclusive and the upper inclusive [ec2]. Unbounded names a
// bound that is absent (the API's null MetricIntervalLowerBound or
// MetricIntervalUpperBound): it is then minus or plus infinity.
type StepAdjustment struct {
	Lower      float64 `yaml:"lower" default:"0" doc:"MetricIntervalLowerBound, relative to the alarm threshold"`
	Upper      float64 `yaml:"upper" default:"0" doc:"MetricIntervalUpperBound, relative to the alarm threshold"`
	Unbounded  string  `yaml:"unbounded" default:"none" enum:"none,lower,upper,both" doc:"which bound is absent (infinite)"`
	Adjustment int     `yaml:"adjustment" doc:"ScalingAdjustment: boxes, percent or exact capacity per adjustment_type"`
}

func (s StepAdjustment) bounds() (lo, hi float64) {
	lo, hi = s.Lower, s.Upper
	if s.Unbounded == "lower" || s.Unbounded == "both" {
		lo = math.Inf(-1)
	}
	if s.Unbounded == "upper" || s.Unbounded == "both" {
		hi = math.Inf(1)
	}
	return lo, hi
}

// StepPolicy is one step scaling policy and the alarm that invokes it.
type StepPolicy struct {
	Alarm                  Alarm            `yaml:"alarm" doc:"the CloudWatch alarm that invokes the policy"`
	AdjustmentType         string           `yaml:"adjustment_type" default:"ChangeInCapacity" enum:"ChangeInCapacity,PercentChangeInCapacity,ExactCapacity" doc:"how adjustments are read"`
	MinAdjustmentMagnitude int              `yaml:"min_adjustment_magnitude" default:"0" min:"0" doc:"smallest change a PercentChangeInCapacity step makes"`
	Cooldown               time.Duration    `yaml:"cooldown" default:"300s" min:"0s" max:"24h" doc:"time after an activity during which a larger step adds only the difference and scale-in waits"`
	Steps                  []StepAdjustment `yaml:"steps" doc:"step adjustments, neither overlapping nor leaving gaps"`
}

func (p StepPolicy) validate(where string) error {
	if err := p.Alarm.validate(where + ".alarm"); err != nil {
		return err
	}
	if err := validAdjustmentType(where, p.AdjustmentType, p.MinAdjustmentMagnitude); err != nil {
		return err
	}
	if p.Cooldown < 0 || p.Cooldown > 24*time.Hour {
		return fmt.Errorf("%s.cooldown %v must be in [0s, 24h]", where, p.Cooldown)
	}
	if len(p.Steps) == 0 {
		return fmt.Errorf("%s.steps: at least one step adjustment is needed", where)
	}
	type iv struct {
		lo, hi float64
		i      int
	}
	ivs := make([]iv, len(p.Steps))
	for i, s := range p.Steps {
		switch s.Unbounded {
		case "", "none", "lower", "upper", "both":
		default:
			return fmt.Errorf("%s.steps[%d].unbounded %.40q must be none, lower, upper or both", where, i, s.Unbounded)
		}
		if math.IsNaN(s.Lower) || math.IsInf(s.Lower, 0) || math.IsNaN(s.Upper) || math.IsInf(s.Upper, 0) {
			return fmt.Errorf("%s.steps[%d]: bounds must be finite (say unbounded instead)", where, i)
		}
		lo, hi := s.bounds()
		if !(lo < hi) {
			return fmt.Errorf("%s.steps[%d]: lower bound %g must be below upper bound %g", where, i, lo, hi)
		}
		if p.AdjustmentType == ExactCapacity && s.Adjustment < 0 {
			return fmt.Errorf("%s.steps[%d].adjustment %d must not be negative for ExactCapacity", where, i, s.Adjustment)
		}
		ivs[i] = iv{lo, hi, i}
	}
	sort.Slice(ivs, func(a, b int) bool { return ivs[a].lo < ivs[b].lo })
	for k := 1; k < len(ivs); k++ {
		if ivs[k].lo != ivs[k-1].hi {
			return fmt.Errorf("%s.steps[%d] and steps[%d] overlap or leave a gap (%g vs %g)", where, ivs[k-1].i, ivs[k].i, ivs[k-1].hi, ivs[k].lo)
		}
	}
	return nil
}

// step returns the step that applies to breach b, if any. For an alarm on a
// high metric the breach is above the threshold, and a step's lower bound is
// inclusive and its upper exclusive; for one on a low metric, the other way
// round [ec2].
func (p StepPolicy) step(b float64) (StepAdjustment, bool) {
	up := p.Alarm.Comparison.scalesOut()
	for _, s := range p.Steps {
		lo, hi := s.bounds()
		if up && lo <= b && b < hi || !up && lo < b && b <= hi {
			return s, true
		}
	}
	return StepAdjustment{}, false
}

// StepScaling is AWS step scaling (Application Auto Scaling's
// StepScalingPolicyConfiguration; EC2 Auto Scaling's StepScaling policy
// type): CloudWatch alarms on one metric, each invoking a policy whose step
// adjustments depend on how far the metric breaches the alarm's threshold.
//
// At each new datapoint every policy whose alarm is in ALARM proposes a
// capacity: its step for breach = metric − threshold applied to the current
// desired capacity. The largest proposal wins, for scale-out and scale-in
// alike [psp]. After an activity, the policy's Cooldown starts, and within
// it (Application Auto Scaling's arithmetic, [ttc]'s StepScaling
// counterpart): a scale-out step is applied to the capacity at the start of
// the cooldown, so a larger step adds only the difference (2 added, then a
// step of 3 adds 1 more) and a step no larger adds nothing; scale-in waits
// for the cooldown to end; a scale-out during a scale-in cooldown goes ahead
// at once. The cooldown is kept per scalable target, as the last activity's
// policy set it. EC2 Auto Scaling's instance warm-up instead of a cooldown
// is not modelled apart from it.
type StepScaling struct {
	Metric           AWSMetric     `yaml:"metric" default:"cpu" enum:"cpu,alb_requests_per_target,sqs_backlog_per_instance" doc:"what the alarms watch"`
	MinCapacity      int           `yaml:"min_capacity" default:"1" min:"0" doc:"fewest boxes"`
	MaxCapacity      int           `yaml:"max_capacity" default:"0" min:"0" doc:"most boxes; 0 means no bound"`
	Period           time.Duration `yaml:"period" default:"60s" min:"1s" max:"1h" doc:"CloudWatch metric period of one datapoint"`
	PublicationDelay time.Duration `yaml:"publication_delay" default:"60s" min:"0s" max:"1h" doc:"how late a datapoint is published after its period ends"`
	Policies         []StepPolicy  `yaml:"policies" doc:"the step scaling policies and their alarms"`
}

// Validate reports the first setting out of range.
func (c StepScaling) Validate() error {
	const kind = "aws-step-scaling"
	if err := metricTiming(kind, c.Metric, c.Period, c.PublicationDelay); err != nil {
		return err
	}
	if err := capacityRange(kind, c.MinCapacity, c.MaxCapacity); err != nil {
		return err
	}
	if len(c.Policies) == 0 {
		return fmt.Errorf("policy: %s: policies: at least one policy is needed", kind)
	}
	for i, p := range c.Policies {
		if err := p.validate(fmt.Sprintf("policy: %s: policies[%d]", kind, i)); err != nil {
			return err
		}
	}
	return nil
}

// Start makes a fresh policy, starting at MinCapacity: a step policy has no
// target to size a warm start by.
func (c StepScaling) Start(env policy.Env) (policy.Run, error) {
	if err := c.Validate(); err != nil {
		return policy.Run{}, err
	}
	keep := 1
	for _, p := range c.Policies {
		keep = max(keep, p.Alarm.EvaluationPeriods)
	}
	r := &stepRun{c: c, cw: newCloudwatch(c.Metric, c.Period.Seconds(), c.PublicationDelay.Seconds(), keep),
		until: math.Inf(-1)}
	r.desired = clamp(c.MinCapacity, c.MinCapacity, c.MaxCapacity)
	per := runPeriod(c.Period, c.PublicationDelay)
	return policy.Run{Policy: r, Initial: r.desired, Period: per, Lookback: (c.Period + c.PublicationDelay).Seconds() + per, Reads: r.cw.reads()}, nil
}

type stepRun struct {
	c       StepScaling
	cw      *cloudwatch
	desired int
	until   float64 // end of the cooldown
	base    int     // capacity when the cooldown began
	outCool bool    // the cooldown follows a scale-out
	dec     policy.Decision
	decided bool
}

func (r *stepRun) Desired(o *policy.Observation) int {
	if r.cw.update(o) > 0 {
		r.decide(o.Time)
	}
	r.desired = clamp(r.desired, r.c.MinCapacity, r.c.MaxCapacity)
	r.dec.Desired = r.desired
	return r.desired
}

// LastDecision explains the capacity at the newest datapoint: the largest
// capacity the policies whose alarms were in ALARM proposed, before the
// capacity bounds (the capacity itself with none in ALARM). Within a
// scale-out cooldown a step applies to the capacity the cooldown began
// with, so a step no larger than the last adds nothing: that is the
// proposal, not a limit on it. Only MaxCapacity holds a scale-out back.
func (r *stepRun) LastDecision() (*policy.Decision, bool) { return &r.dec, r.decided }

func (r *stepRun) decide(t float64) {
	v, _, ok := r.cw.last()
	if !ok {
		return
	}
	cooling := t < r.until
	best, found, wanted := 0, false, 0
	var bestCool time.Duration
	for _, p := range r.c.Policies {
		a := p.Alarm
		if !r.cw.inAlarm(a.m(), a.EvaluationPeriods, func(x float64) bool { return a.Comparison.breaches(x, a.Threshold) }) {
			continue
		}
		s, ok := p.step(v - a.Threshold)
		if !ok {
			continue
		}
		from := r.desired
		if cooling && r.outCool {
			from = r.base
		}
		raw := adjust(from, p.AdjustmentType, s.Adjustment, p.MinAdjustmentMagnitude)
		n := clamp(raw, r.c.MinCapacity, r.c.MaxCapacity)
		if !found || raw > wanted {
			wanted = raw
		}
		if !found || n > best {
			best, found, bestCool = n, true, p.Cooldown
		}
	}
	if !found {
		wanted = r.desired // no alarm: the capacity is what it wants
	}
	r.dec = policy.Decision{Wanted: wanted, Stabilized: wanted, Min: r.c.MinCapacity, Max: r.c.MaxCapacity}
	r.decided = true
	switch {
	case !found || best == r.desired:
	case best > r.desired:
		if !(cooling && r.outCool) {
			r.base, r.outCool, r.until = r.desired, true, t+bestCool.Seconds()
		}
		r.desired = best
	case !cooling: // scale-in waits for any cooldown
		r.base, r.outCool, r.until = r.desired, false, t+bestCool.Seconds()
		r.desired = best
	}
}

// SimplePolicy is one simple scaling policy and the alarm that invokes it.
type SimplePolicy struct {
	Alarm                  Alarm         `yaml:"alarm" doc:"the CloudWatch alarm that invokes the policy"`
	AdjustmentType         string        `yaml:"adjustment_type" default:"ChangeInCapacity" enum:"ChangeInCapacity,PercentChangeInCapacity,ExactCapacity" doc:"how the adjustment is read"`
	Adjustment             int           `yaml:"adjustment" doc:"ScalingAdjustment: boxes, percent or exact capacity"`
	MinAdjustmentMagnitude int           `yaml:"min_adjustment_magnitude" default:"0" min:"0" doc:"smallest change a PercentChangeInCapacity adjustment makes"`
	Cooldown               time.Duration `yaml:"cooldown" default:"300s" min:"0s" max:"24h" doc:"after an activity completes, no other simple scaling activity (the group's default cooldown is 300 s)"`
}

// SimpleScaling is EC2 Auto Scaling's simple scaling: an alarm invokes a
// policy that changes the capacity by one adjustment, and then the group
// waits for the cooldown to end before it answers any further alarm
// [ec2 Cooldown.md; AWS recommends step scaling instead]. The cooldown
// starts when the activity completes: when the boxes it launched are ready
// (after policy.Env.Boot) for a scale-out, at once for a scale-in. When several
// alarms are in ALARM at once, the largest resulting capacity wins.
type SimpleScaling struct {
	Metric           AWSMetric      `yaml:"metric" default:"cpu" enum:"cpu,alb_requests_per_target,sqs_backlog_per_instance" doc:"what the alarms watch"`
	MinCapacity      int            `yaml:"min_capacity" default:"1" min:"0" doc:"fewest boxes"`
	MaxCapacity      int            `yaml:"max_capacity" default:"0" min:"0" doc:"most boxes; 0 means no bound"`
	Period           time.Duration  `yaml:"period" default:"60s" min:"1s" max:"1h" doc:"CloudWatch metric period of one datapoint"`
	PublicationDelay time.Duration  `yaml:"publication_delay" default:"60s" min:"0s" max:"1h" doc:"how late a datapoint is published after its period ends"`
	Policies         []SimplePolicy `yaml:"policies" doc:"the simple scaling policies and their alarms"`
}

// Validate reports the first setting out of range.
func (c SimpleScaling) Validate() error {
	const kind = "aws-simple-scaling"
	if err := metricTiming(kind, c.Metric, c.Period, c.PublicationDelay); err != nil {
		return err
	}
	if err := capacityRange(kind, c.MinCapacity, c.MaxCapacity); err != nil {
		return err
	}
	if len(c.Policies) == 0 {
		return fmt.Errorf("policy: %s: policies: at least one policy is needed", kind)
	}
	for i, p := range c.Policies {
		where := fmt.Sprintf("policy: %s: policies[%d]", kind, i)
		if err := p.Alarm.validate(where + ".alarm"); err != nil {
			return err
		}
		if err := validAdjustmentType(where, p.AdjustmentType, p.MinAdjustmentMagnitude); err != nil {
			return err
		}
		if p.AdjustmentType == ExactCapacity && p.Adjustment < 0 {
			return fmt.Errorf("%s.adjustment %d must not be negative for ExactCapacity", where, p.Adjustment)
		}
		if p.Cooldown < 0 || p.Cooldown > 24*time.Hour {
			return fmt.Errorf("%s.cooldown %v must be in [0s, 24h]", where, p.Cooldown)
		}
	}
	return nil
}

// Start makes a fresh policy at MinCapacity.
func (c SimpleScaling) Start(env policy.Env) (policy.Run, error) {
	if err := c.Validate(); err != nil {
		return policy.Run{}, err
	}
	if !(env.Boot >= 0) || math.IsInf(env.Boot, 0) {
		return policy.Run{}, fmt.Errorf("policy: aws-simple-scaling: env boot %g s must be finite and non-negative", env.Boot)
	}
	keep := 1
	for _, p := range c.Policies {
		keep = max(keep, p.Alarm.EvaluationPeriods)
	}
	r := &simpleRun{c: c, boot: env.Boot, until: math.Inf(-1),
		cw: newCloudwatch(c.Metric, c.Period.Seconds(), c.PublicationDelay.Seconds(), keep)}
	r.desired = clamp(c.MinCapacity, c.MinCapacity, c.MaxCapacity)
	per := runPeriod(c.Period, c.PublicationDelay)
	return policy.Run{Policy: r, Initial: r.desired, Period: per, Lookback: (c.Period + c.PublicationDelay).Seconds() + per, Reads: r.cw.reads()}, nil
}

type simpleRun struct {
	c       SimpleScaling
	cw      *cloudwatch
	boot    float64
	desired int
	until   float64
	dec     policy.Decision
	decided bool
}

func (r *simpleRun) Desired(o *policy.Observation) int {
	if r.cw.update(o) > 0 {
		best, found, wanted := 0, false, 0
		var cool time.Duration
		for _, p := range r.c.Policies {
			a := p.Alarm
			if !r.cw.inAlarm(a.m(), a.EvaluationPeriods, func(x float64) bool { return a.Comparison.breaches(x, a.Threshold) }) {
				continue
			}
			raw := adjust(r.desired, p.AdjustmentType, p.Adjustment, p.MinAdjustmentMagnitude)
			n := clamp(raw, r.c.MinCapacity, r.c.MaxCapacity)
			if !found || raw > wanted {
				wanted = raw
			}
			if !found || n > best {
				best, found, cool = n, true, p.Cooldown
			}
		}
		if !found {
			wanted = r.desired
		}
		// During the cooldown the alarm goes unanswered: what it asked
		// for is held back by the cooldown, a limit on the scaling rate.
		r.dec = policy.Decision{Wanted: wanted, Stabilized: wanted, Min: r.c.MinCapacity, Max: r.c.MaxCapacity}
		r.decided = true
		if o.Time < r.until {
			found = false
		}
		if found && best != r.desired {
			end := o.Time
			if best > r.desired {
				end += r.boot
			}
			r.until = end + cool.Seconds()
			r.desired = best
		}
	}
	r.desired = clamp(r.desired, r.c.MinCapacity, r.c.MaxCapacity)
	r.dec.Desired = r.desired
	return r.desired
}

// LastDecision explains the capacity at the newest datapoint: the largest
// capacity the policies whose alarms were in ALARM asked for, before the
// bounds, and what the group kept. An alarm unanswered during the
// cooldown is held back by it (a rate limit); above MaxCapacity, by the
// max.
func (r *simpleRun) LastDecision() (*policy.Decision, bool) { return &r.dec, r.decided }

// DefaultStepScaling is a step scaling policy on CPU with no policies yet
// (the settings' defaults; add Policies before use).
func DefaultStepScaling() StepScaling {
	return StepScaling{Metric: AWSCPU, MinCapacity: 1, Period: time.Minute, PublicationDelay: time.Minute}
}

// DefaultSimpleScaling is a simple scaling policy on CPU with no policies
// yet (the settings' defaults; add Policies before use).
func DefaultSimpleScaling() SimpleScaling {
	return SimpleScaling{Metric: AWSCPU, MinCapacity: 1, Period: time.Minute, PublicationDelay: time.Minute}
}

// DefaultStepPolicy is a StepPolicy's defaults: one datapoint at or above
// a threshold of 0, ChangeInCapacity, a 300 s cooldown, no steps.
func DefaultStepPolicy() StepPolicy {
	return StepPolicy{Alarm: DefaultAlarm(), AdjustmentType: ChangeInCapacity, Cooldown: 300 * time.Second}
}

// DefaultSimplePolicy is a SimplePolicy's defaults.
func DefaultSimplePolicy() SimplePolicy {
	return SimplePolicy{Alarm: DefaultAlarm(), AdjustmentType: ChangeInCapacity, Cooldown: 300 * time.Second}
}

// DefaultAlarm is an Alarm's defaults: at or above the threshold for one
// datapoint of one.
func DefaultAlarm() Alarm {
	return Alarm{Comparison: GreaterOrEqual, EvaluationPeriods: 1}
}
