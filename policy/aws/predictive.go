package aws

import (
	"fmt"
	"math"
	"time"

	"github.com/boxes-project/boxes/policy"
)

// Predictive is a STAND-IN for AWS predictive scaling, not AWS's model. AWS
// forecasts with an unpublished machine-learning model; what it documents
// [ec2, ec2-auto-scaling-predictive-scaling.md] is the frame boxes keeps: at
// least 24 hours of history and up to 14 days of it, an hourly forecast,
// capacity raised to the forecast at the start of each hour (earlier by the
// SchedulingBuffer), never lowered by the forecast (scale-in is left to the
// dynamic policies), ForecastOnly and ForecastAndScale modes, and
// HonorMaxCapacity or IncreaseMaxCapacity with a MaxCapacityBuffer in
// percent. When dynamic policies run beside it, the largest capacity wins.
//
// The forecast itself is seasonal-naive: the load of an hour is the mean of
// the load the policy itself observed in the same clock hour on each of the
// previous LookbackDays days (days with no observation are left out; with
// none there is no forecast for that hour). The load is the metric pair's
// load metric: the total CPU of the boxes in box units (policy.Metrics.Busy) for
// cpu, requests per minute (JobRate × 60) for alb_requests_per_target. The
// capacity for it is ceil(load / per-box target): Busy / (hpa.Target / 100), or
// requests per minute / hpa.Target. AWS computes its forecast once a day for the
// next 48 hours; the stand-in computes each hour's when it applies it, from
// everything seen by then, which is the same on whole days of history.
type Predictive struct {
	Metric            AWSMetric        `yaml:"metric" default:"cpu" enum:"cpu,alb_requests_per_target" doc:"metric pair: total CPU against an average CPU target, or ALB requests against requests per target"`
	Target            float64          `yaml:"target" default:"50" min:"0" exclusive:"min" doc:"target per box: CPU percent, or requests per target per minute"`
	MinCapacity       int              `yaml:"min_capacity" default:"1" min:"0" doc:"fewest boxes"`
	MaxCapacity       int              `yaml:"max_capacity" default:"0" min:"0" doc:"most boxes; 0 means no bound"`
	Mode              string           `yaml:"mode" default:"ForecastAndScale" enum:"ForecastAndScale,ForecastOnly" doc:"ForecastOnly forecasts without scaling (AWS's API default); boxes defaults to scaling"`
	SchedulingBuffer  time.Duration    `yaml:"scheduling_buffer" default:"300s" min:"0s" max:"1h" doc:"how long before the hour its forecast capacity is applied"`
	LookbackDays      int              `yaml:"lookback_days" default:"14" min:"1" max:"14" doc:"days of history the forecast averages (AWS uses up to 14)"`
	MaxCapacityBreach string           `yaml:"max_capacity_breach" default:"HonorMaxCapacity" enum:"HonorMaxCapacity,IncreaseMaxCapacity" doc:"whether a forecast may exceed max_capacity"`
	MaxCapacityBuffer int              `yaml:"max_capacity_buffer" default:"0" min:"0" max:"100" doc:"with IncreaseMaxCapacity, the maximum becomes the forecast plus this percent of it"`
	Dynamic           []TargetTracking `yaml:"dynamic" doc:"target tracking policies running beside the forecast; the largest capacity wins"`
}

// Validate reports the first setting out of range.
func (c Predictive) Validate() error {
	const kind = "aws-predictive"
	switch c.Metric {
	case AWSCPU, AWSRequestsPerTarget:
	default:
		return fmt.Errorf("policy: %s: metric %.40q must be %q or %q (AWS predictive scaling has no queue metric pair)", kind, c.Metric, AWSCPU, AWSRequestsPerTarget)
	}
	if !(c.Target > 0) || math.IsInf(c.Target, 0) || (c.Metric == AWSCPU && c.Target > 100) {
		return fmt.Errorf("policy: %s: target %g must be positive and finite (at most 100 for cpu)", kind, c.Target)
	}
	if err := capacityRange(kind, c.MinCapacity, c.MaxCapacity); err != nil {
		return err
	}
	switch {
	case c.Mode != "ForecastAndScale" && c.Mode != "ForecastOnly":
		return fmt.Errorf("policy: %s: mode %.40q must be ForecastAndScale or ForecastOnly", kind, c.Mode)
	case c.SchedulingBuffer < 0 || c.SchedulingBuffer > time.Hour:
		return fmt.Errorf("policy: %s: scheduling_buffer %v must be in [0s, 1h]", kind, c.SchedulingBuffer)
	case c.LookbackDays < 1 || c.LookbackDays > 14:
		return fmt.Errorf("policy: %s: lookback_days %d must be in [1, 14]", kind, c.LookbackDays)
	case c.MaxCapacityBreach != "HonorMaxCapacity" && c.MaxCapacityBreach != "IncreaseMaxCapacity":
		return fmt.Errorf("policy: %s: max_capacity_breach %.40q must be HonorMaxCapacity or IncreaseMaxCapacity", kind, c.MaxCapacityBreach)
	case c.MaxCapacityBuffer < 0 || c.MaxCapacityBuffer > 100:
		return fmt.Errorf("policy: %s: max_capacity_buffer %d must be in [0, 100]", kind, c.MaxCapacityBuffer)
	}
	for i, d := range c.Dynamic {
		if err := d.Validate(); err != nil {
			return fmt.Errorf("policy: %s: dynamic[%d]: %w", kind, i, err)
		}
	}
	return nil
}

// predictiveSample is how often the stand-in records the load, seconds.
const predictiveSample = 60

// Start makes a fresh policy. Its initial capacity is the largest of
// MinCapacity and its dynamic policies' warm starts.
func (c Predictive) Start(env policy.Env) (policy.Run, error) {
	if err := c.Validate(); err != nil {
		return policy.Run{}, err
	}
	if err := checkEnv("aws-predictive", env); err != nil {
		return policy.Run{}, err
	}
	r := &predictiveRun{c: c, start: env.Start, hours: make([]hourLoad, 24*(c.LookbackDays+2))}
	_, off := env.Start.Zone()
	r.offset = math.Mod(float64(env.Start.Unix()+int64(off)), 3600)
	if r.offset < 0 {
		r.offset += 3600
	}
	period := int64(predictiveSample)
	lookback := float64(predictiveSample)
	initial := clamp(c.MinCapacity, c.MinCapacity, c.MaxCapacity)
	reads := []policy.Read{{Length: predictiveSample, Aligned: true}} // record's samples
	for _, d := range c.Dynamic {
		run := d.newRun(env)
		r.dynamic = append(r.dynamic, run)
		reads = append(reads, run.cw.reads()...)
		period = gcd(period, int64(runPeriod(d.Period, d.PublicationDelay)))
		lookback = math.Max(lookback, (d.Period+d.PublicationDelay).Seconds()+runPeriod(d.Period, d.PublicationDelay))
		initial = max(initial, run.desired)
	}
	r.per = float64(period)
	r.desired = initial
	for _, d := range r.dynamic {
		d.desired = initial
	}
	return policy.Run{Policy: r, Initial: initial, Period: r.per, Lookback: lookback + r.per, Reads: reads}, nil
}

func gcd(a, b int64) int64 {
	for b != 0 {
		a, b = b, a%b
	}
	return max(a, 1)
}

// hourLoad is the load observed in one clock hour.
type hourLoad struct {
	hour     int64   // index of the hour since time 0's hour; -1 unused
	sum, dur float64 // load × seconds, and seconds observed
}

type predictiveRun struct {
	c       Predictive
	start   time.Time
	offset  float64 // seconds past the clock hour at time 0
	per     float64
	hours   []hourLoad // ring by hour index
	dynamic []*targetRun
	desired int
	seen    float64 // time up to which the load is recorded
	dec     policy.Decision
}

// LastDecision explains the capacity: the larger of the forecast (before
// HonorMaxCapacity caps it) and what the dynamic policies asked for
// before their bounds, and the effective maximum (raised by
// IncreaseMaxCapacity). A forecast capped at max_capacity is the max
// holding it back, as is a dynamic policy's proposal above it.
func (r *predictiveRun) LastDecision() (*policy.Decision, bool) { return &r.dec, true }

func (r *predictiveRun) hourOf(t float64) int64 { return int64(math.Floor((t + r.offset) / 3600)) }

// record adds the load over [r.seen, t) to its hours.
func (r *predictiveRun) record(o *policy.Observation) {
	for r.seen+predictiveSample <= o.Time+1e-9 {
		from := r.seen
		w, ok := o.Metrics(predictiveSample, o.Time-from-predictiveSample)
		r.seen += predictiveSample
		if !ok {
			continue
		}
		load := w.Busy
		if r.c.Metric == AWSRequestsPerTarget {
			load = w.JobRate * 60
		}
		h := r.hourOf(from)
		i := int(h % int64(len(r.hours)))
		if r.hours[i].hour != h {
			r.hours[i] = hourLoad{hour: h}
		}
		r.hours[i].sum += load * predictiveSample
		r.hours[i].dur += predictiveSample
	}
}

// forecast is the capacity the stand-in forecasts for hour h, or 0 with no
// history for it.
func (r *predictiveRun) forecast(h int64) int {
	sum, n := 0.0, 0
	for d := 1; d <= r.c.LookbackDays; d++ {
		p := h - 24*int64(d)
		if p < 0 {
			break
		}
		hl := r.hours[int(p%int64(len(r.hours)))]
		if hl.hour == p && hl.dur > 0 {
			sum += hl.sum / hl.dur
			n++
		}
	}
	if n == 0 {
		return 0
	}
	load := sum / float64(n)
	perBox := r.c.Target
	if r.c.Metric == AWSCPU {
		perBox = r.c.Target / 100
	}
	return ceilGuard(load / perBox)
}

// Forecast is the stand-in's capacity for the clock hour that contains
// time t (seconds since the run's start), from what it has seen so far.
func (r *predictiveRun) Forecast(t float64) int { return r.forecast(r.hourOf(t)) }

func (r *predictiveRun) Desired(o *policy.Observation) int {
	r.record(o)
	dyn := -1
	for _, d := range r.dynamic {
		dyn = max(dyn, d.Desired(o))
	}
	floor := 0
	if r.c.Mode == "ForecastAndScale" {
		floor = max(r.forecast(r.hourOf(o.Time)), r.forecast(r.hourOf(o.Time+r.c.SchedulingBuffer.Seconds())))
	}
	// HonorMaxCapacity caps the forecast at max_capacity.
	// IncreaseMaxCapacity lets it through and raises the maximum to the
	// forecast plus MaxCapacityBuffer percent of it ("if the buffer is 10
	// ... the forecast capacity is 50, and the maximum capacity is 40, then
	// the effective maximum capacity is 55" [CloudFormation
	// AWS::ApplicationAutoScaling::hpa.ScalingPolicy
	// PredictiveScalingPolicyConfiguration, MaxCapacityBuffer]).
	wanted := floor // what the forecast asked for, before HonorMaxCapacity
	hi := r.c.MaxCapacity
	if hi > 0 && floor > hi {
		if r.c.MaxCapacityBreach == "IncreaseMaxCapacity" {
			hi = ceilGuard(float64(floor) * (1 + float64(r.c.MaxCapacityBuffer)/100))
		} else {
			floor = hi
		}
	}
	want := r.desired // no dynamic policy: the forecast alone never scales in
	if dyn >= 0 {
		want = dyn
	}
	wanted = max(wanted, want)
	for _, d := range r.dynamic {
		if dec, ok := d.LastDecision(); ok {
			wanted = max(wanted, dec.Wanted)
		}
	}
	want = max(clamp(want, r.c.MinCapacity, hi), floor)
	r.dec = policy.Decision{Wanted: wanted, Stabilized: wanted, Min: r.c.MinCapacity, Max: hi, Desired: want}
	r.desired = want
	for _, d := range r.dynamic {
		d.desired = want // one desired capacity, shared by every policy
	}
	return want
}

// DefaultPredictive is the stand-in's defaults: CPU at 50%, at least one
// box, ForecastAndScale, a scheduling buffer of 300 s and HonorMaxCapacity
// (Application Auto Scaling's defaults when unspecified, per the
// CloudFormation reference for PredictiveScalingPolicyConfiguration), 14
// days of history, no dynamic policy.
func DefaultPredictive() Predictive {
	return Predictive{Metric: AWSCPU, Target: 50, MinCapacity: 1, Mode: "ForecastAndScale", SchedulingBuffer: 300 * time.Second,
		LookbackDays: 14, MaxCapacityBreach: "HonorMaxCapacity"}
}
