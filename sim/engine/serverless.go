package engine

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"time"

	"github.com/boxes-project/boxes/policy/aws"
	"github.com/boxes-project/boxes/sim"
	"github.com/boxes-project/boxes/sim/internal/series"

	"github.com/boxes-project/boxes"
	"github.com/boxes-project/boxes/policy"
	"github.com/boxes-project/boxes/workload"
)

// Serverless runs the workload on a serverless platform (AWS Lambda), one
// step at a time. A job runs for the function's duration,
// policy.Serverless.JobDuration of the Box's Latency (slower below 1,769 MB
// for its CPU-bound share), which must be within the timeout. A step's jobs
// need
//
//	busy = arrivals × duration / step
//
// environments. Provisioned concurrency (fixed, by schedule, or by target
// tracking on its utilization) serves first, up to the number provisioned;
// the rest spills over to on-demand environments. Those used in the last
// KeepAlive stay warm; more than that are cold-started, each initializing
// for ColdStart (billed when BillColdStart is set), no more than the
// scale-up allowance (a token bucket of ScaleUpBurst refilled at
// ScaleUpRate) and never beyond the function's concurrency (its reserved
// concurrency, or the account's ConcurrencyLimit) less the provisioned
// environments. Jobs beyond what the environments can serve are throttled:
// missed, or (Throttle "retry") sent again RetryDelay later up to
// RetryAttempts times; retries still pending at the horizon count as
// missed. Billing is per request and per GB-second of run time, each
// rounded up to the millisecond, at the provisioned-concurrency duration
// price for jobs run on it; provisioned concurrency itself is billed per
// GB-second configured, each stretch it is on rounded up to five minutes.
// Utilization is demand over the environments in existence (warm, new or
// provisioned).
//
// Only the Box's Latency, the Horizon, Step, Start and Points of the setup
// are used: the platform has no boxes of yours to boot, drain or bill.
//
// Departures: provisioned concurrency is ready the moment it is configured
// (Lambda takes a while to initialize new provisioned environments), and
// the INIT of provisioned environments (run when they are allocated and
// when Lambda recycles them) is not billed apart from their hourly price.
func Serverless(ctx context.Context, s sim.Setup, w workload.Curve, p policy.Serverless) (*sim.Result, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	job := p.JobDuration(s.Box.Latency)
	if timeout := cmp.Or(p.Timeout, policy.LambdaMaxTimeout); job > timeout {
		return nil, fmt.Errorf("sim: serverless: a job runs %v at %g MB (latency %v, cpu_bound %g), over the function's timeout %v",
			job, p.Price.MemoryGB*1024, s.Box.Latency, p.CPUBound, timeout)
	}
	e := &serverless{
		dt:      s.Step.Seconds(),
		n:       s.Steps(),
		latency: job.Seconds(),
		job:     job,
		p:       p,
	}
	e.series = series.NewSeriesBuilder(e.n, e.dt, e.latency, s.PointCount())
	if err := e.provisioning(s, w); err != nil {
		return nil, err
	}
	if err := e.simulate(ctx, s, workload.NewSampler(w, 0, e.dt)); err != nil {
		err = workload.NameCurve(err, w)
		return nil, err
	}
	return e.result(), nil
}

type serverless struct {
	dt      float64
	n       int
	latency float64       // seconds a job runs
	job     time.Duration // the same, as billed
	p       policy.Serverless

	arrived, served, missed float64
	odServed                float64 // served by on-demand environments
	envSteps                float64 // environments in existence summed over steps
	initArea                float64 // environment-seconds spent initializing
	coldStarts              int
	peak                    int
	over                    int
	cost                    float64 // dollars so far, before the free tier
	util                    series.UtilizationHistogram
	series                  series.SeriesBuilder

	// Throttling and retries.
	throttled, retried float64
	retries            [][]float64 // retries[j][slot]: attempt j+1 arriving at a step
	retryDelay         int         // steps

	// Provisioned concurrency.
	limit                int           // the function's concurrency
	schedule             policy.Policy // nil without a schedule
	tracking             policy.Policy // nil without target tracking
	trackPeriod          float64
	nextTrack            float64
	pcHist               *pcHistory
	trackPC              int     // the target tracking's desired provisioned concurrency
	pcLast               int     // provisioned in the last step
	pcArea, pcBusyArea   float64 // environment-seconds provisioned and busy
	pcBilledExtra        float64 // environment-seconds added by five-minute rounding
	pcOnSince            float64 // start of the current stretch with some provisioned; -1 when off
	pcPeak               int
	pcServed             float64
	pcCost, pcConfigCost float64
}

// provisioning sets up the schedule and the target tracking.
func (e *serverless) provisioning(s sim.Setup, w workload.Curve) error {
	p := e.p
	e.limit = p.ConcurrencyLimit
	if p.ReservedConcurrency > 0 {
		e.limit = p.ReservedConcurrency
	}
	e.pcOnSince = -1
	if len(p.ProvisionedSchedule) > 0 {
		run, err := policy.Scheduled{Default: p.ProvisionedConcurrency, Windows: p.ProvisionedSchedule}.Start(policy.Env{Start: s.Start})
		if err != nil {
			return err
		}
		e.schedule = run.Policy
	}
	if p.ProvisionedTarget > 0 {
		hi := p.ProvisionedMax
		if hi == 0 || hi > e.limit {
			hi = e.limit
		}
		tt := aws.DefaultTargetTracking()
		tt.Metric, tt.Target = aws.AWSCPU, p.ProvisionedTarget*100
		tt.MinCapacity, tt.MaxCapacity = min(p.ProvisionedMin, hi), hi
		tt.ScaleOutCooldown, tt.ScaleInCooldown = p.ProvisionedScaleOutCooldown, p.ProvisionedScaleInCooldown
		run, err := tt.Start(policy.Env{Latency: e.latency, Step: e.dt, InitialRate: w.Rate(0), Start: s.Start})
		if err != nil {
			return err
		}
		e.tracking, e.trackPeriod = run.Policy, run.Period
		e.pcHist = newPCHistory(e.dt, run.Lookback)
		e.trackPC = run.Initial
	}
	if p.Throttle == "retry" && p.RetryAttempts > 0 {
		e.retryDelay = max(1, int(math.Ceil(p.RetryDelay.Seconds()/e.dt-1e-9)))
		e.retries = make([][]float64, p.RetryAttempts)
		for j := range e.retries {
			e.retries[j] = make([]float64, e.retryDelay+1)
		}
	}
	return nil
}

// provisioned is the provisioned concurrency at step k (time t).
func (e *serverless) provisioned(k int, t float64) int {
	n := e.p.ProvisionedConcurrency
	if e.schedule != nil {
		n = e.schedule.Desired(&policy.Observation{Time: t})
	}
	if e.tracking != nil {
		if t >= e.nextTrack-1e-9 {
			e.trackPC = e.tracking.Desired(&policy.Observation{Time: t, Ready: e.pcLast, Latency: e.latency, History: e.pcHist})
			e.nextTrack = t + e.trackPeriod
		}
		n = max(n, e.trackPC)
	}
	return min(n, e.limit)
}

// setProvisioned records the provisioned concurrency from time t on, and
// bills the five-minute rounding of a stretch with some provisioned when it
// ends.
func (e *serverless) setProvisioned(pc int, t float64) {
	const round = 300.0 // provisioned concurrency is billed in five-minute units
	if e.pcLast > 0 && pc == 0 && e.pcOnSince >= 0 {
		span := t - e.pcOnSince
		extra := math.Ceil(span/round-1e-9)*round - span
		e.pcBilledExtra += extra * float64(e.pcLast)
		c := extra * float64(e.pcLast) * e.p.ProvisionedPrice.Amount * e.p.Price.MemoryGB
		e.cost += c
		e.pcCost += c
		e.pcConfigCost += c
		e.pcOnSince = -1
	}
	if pc > 0 && e.pcOnSince < 0 {
		e.pcOnSince = t
	}
	e.pcLast = pc
}

func (e *serverless) simulate(ctx context.Context, s sim.Setup, sampler *workload.Sampler) error {
	p := e.p
	gb := p.Price.MemoryGB
	perJob := p.Price.Request.Amount + p.Price.GBSecond.Amount*gb*boxes.BilledSeconds(e.job)
	perPCJob := p.Price.Request.Amount + p.ProvisionedDurationPrice.Amount*gb*boxes.BilledSeconds(e.job)
	pcPerStep := p.ProvisionedPrice.Amount * gb * e.dt
	initSeconds := 0.0
	if p.BillColdStart {
		initSeconds = boxes.BilledSeconds(p.ColdStart)
	}
	perInit := p.Price.GBSecond.Amount * gb * initSeconds
	coldStart := p.ColdStart.Seconds()
	init := math.Min(coldStart, e.dt) // start-up within the step it begins in
	keep := max(1, int(math.Ceil(p.KeepAlive.Seconds()/e.dt-1e-9)))
	warm := newSlidingMax(keep)
	tokens := float64(p.ScaleUpBurst)
	refill := float64(p.ScaleUpRate) * e.dt
	attempts := len(e.retries)
	var due [11]float64 // retries arriving this step, by attempt (1-based)

	var arr [BlockSize]float64
	nextBucket := 0
	for k0 := 0; k0 < e.n; k0 += BlockSize {
		if err := ctx.Err(); err != nil {
			return err
		}
		if s.Progress != nil {
			s.Progress(float64(k0)*e.dt, float64(e.n)*e.dt)
		}
		m := min(BlockSize, e.n-k0)
		sampler.Next(arr[:m])
		if err := workload.CheckJobs(arr[:m], k0, e.dt); err != nil {
			return err
		}
		for i, fresh0 := range arr[:m] {
			k := k0 + i
			t := float64(k) * e.dt
			if k >= nextBucket {
				e.series.Close(k, e)
				nextBucket = e.series.Next
			}
			a := fresh0
			for j := 0; j < attempts; j++ {
				slot := k % len(e.retries[j])
				due[j+1] = e.retries[j][slot]
				e.retries[j][slot] = 0
				a += due[j+1]
			}
			pc := e.provisioned(k, t)
			e.setProvisioned(pc, t)
			demand := a * e.latency / e.dt // environments busy on average

			// Provisioned concurrency first.
			pcBusy := math.Min(demand, float64(pc))
			aPC := 0.0
			if demand > 0 {
				aPC = a * pcBusy / demand
			}
			aOD, dOD := a-aPC, demand-pcBusy

			pool := warm.max(k) // on-demand environments still warm
			tokens = math.Min(float64(p.ScaleUpBurst), tokens+refill)
			limit := min(max(0, e.limit-pc), pool+int(tokens))
			// A new environment spends its start-up (up to the whole step)
			// before its first job, so the platform starts enough to cover
			// the jobs and the start-ups: used environments with
			// used − pool of them new serve for used × step − (used − pool)
			// × start-up, which must reach demand × step.
			need := ceilCount(dOD)
			if need > pool && init > 0 {
				if init < e.dt {
					need = max(need, ceilCount((dOD*e.dt-float64(pool)*init)/(e.dt-init)))
				} // else new environments serve nothing this step: start what the load needs
			}
			used := min(need, limit)
			fresh := max(0, used-pool)
			tokens -= float64(fresh)
			warm.push(k, used)
			initBusy := float64(fresh) * init // environment-seconds of start-up this step

			sv := aOD
			// Within float noise of the capacity (1e-9 relative) is served.
			if capacity := (float64(used)*e.dt - initBusy) / e.latency; aOD > capacity*(1+1e-9) {
				sv = math.Max(0, capacity)
			}
			if thr := aOD - sv; thr > 0 {
				e.over++
				e.throttled += thr
				// Each source loses the same share; a retry is sent again
				// RetryDelay later until its attempts are spent.
				share := thr / a
				lost := fresh0 * share
				if attempts > 0 {
					e.retries[0][(k+e.retryDelay)%len(e.retries[0])] += lost
					e.retried += lost
					lost = 0
				}
				for j := 1; j <= attempts; j++ {
					x := due[j] * share
					if j < attempts {
						e.retries[j][(k+e.retryDelay)%len(e.retries[j])] += x
						e.retried += x
					} else {
						lost += x
					}
				}
				e.missed += lost
			}
			e.arrived += fresh0
			e.served += aPC + sv
			e.odServed += sv
			e.pcServed += aPC
			envs := max(pool, used) + pc
			e.envSteps += float64(envs)
			e.peak = max(e.peak, envs)
			e.pcPeak = max(e.pcPeak, pc)
			e.coldStarts += fresh
			e.initArea += float64(fresh) * coldStart
			e.pcArea += float64(pc) * e.dt
			e.pcBusyArea += pcBusy * e.dt
			if e.pcHist != nil {
				e.pcHist.push(float64(pc), pcBusy)
			}
			pcStep := aPC*perPCJob + float64(pc)*pcPerStep
			e.pcCost += pcStep
			e.pcConfigCost += float64(pc) * pcPerStep
			e.cost += sv*perJob + float64(fresh)*perInit + pcStep
			switch {
			case envs > 0:
				e.util.Add((demand + initBusy/e.dt) / float64(envs))
			case a > 0:
				e.util.Add(math.Inf(1))
			default:
				e.util.Add(0)
			}
		}
	}
	// Retries still pending at the horizon are missed; an open stretch of
	// provisioned concurrency is billed to its five-minute end.
	for j := range e.retries {
		for _, x := range e.retries[j] {
			e.missed += x
		}
	}
	e.setProvisioned(0, float64(e.n)*e.dt)
	e.series.Close(e.n, e)
	return nil
}

// ceilCount rounds a fluid count of busy environments up to whole ones,
// forgiving float noise (3.0000000001 is 3).
func ceilCount(x float64) int {
	c := math.Ceil(x - 1e-9*math.Max(1, x))
	if c <= 0 {
		return 0
	}
	return int(math.Min(c, MaxBoxes))
}

func (e *serverless) Cumulative(t float64) series.Cumulative {
	return series.Cumulative{Arrived: e.arrived, Served: e.served, ReadySteps: e.envSteps, BootArea: e.initArea, Cost: e.cost}
}

func (e *serverless) result() *sim.Result {
	p := e.p
	gb := p.Price.MemoryGB
	horizon := float64(e.n) * e.dt
	billedRun := e.odServed * boxes.BilledSeconds(e.job)
	initBilled := 0.0
	if p.BillColdStart {
		initBilled = float64(e.coldStarts) * boxes.BilledSeconds(p.ColdStart)
	}
	cost := e.cost
	if p.FreeTier {
		// The one free-tier model, the root package's, prorated to the
		// run; it does not apply to provisioned concurrency.
		free := p.Price.WithLambdaFreeTier()
		months := horizon / boxes.Month.Seconds()
		gbs := (billedRun + initBilled) * gb
		cost -= math.Min(e.odServed, free.FreeRequests*months) * p.Price.Request.Amount
		cost -= math.Min(gbs, free.FreeGBSeconds*months) * p.Price.GBSecond.Amount
		cost = math.Max(0, cost)
	}
	pcBilled := e.pcArea + e.pcBilledExtra
	idle := p.Price.GBSecond.Amount*gb*initBilled + p.ProvisionedPrice.Amount*gb*(pcBilled-e.pcBusyArea)
	r := &sim.Result{
		Engine:              "serverless",
		Jobs:                sim.Jobs{Arrived: e.arrived, Served: e.served, Missed: e.missed},
		Utilization:         e.util.Distribution(),
		SecondsOverCapacity: float64(e.over) * e.dt,
		BoxHours:            (billedRun + initBilled + pcBilled) / 3600,
		BoxStarts:           e.coldStarts,
		PeakBoxes:           e.peak,
		Cost:                cost,
		IdleCost:            math.Min(idle, cost),
	}
	if e.envSteps > 0 {
		r.BusyFraction = math.Min(1, e.served*e.latency/(e.envSteps*e.dt))
	}
	if e.served > 0 {
		// Each cold start delays the job that started it by the start-up.
		r.ColdStartDelay = float64(e.coldStarts) * coldStartOf(p) / e.served
	}
	l := &sim.Lambda{
		Throttled: e.throttled, Retried: e.retried,
		ProvisionedPeak:       e.pcPeak,
		ProvisionedGBSeconds:  pcBilled * gb,
		ProvisionedCost:       e.pcCost,
		OnDemandServed:        e.odServed,
		ProvisionedServed:     e.pcServed,
		FunctionDuration:      e.latency,
		ProvisionedConfigCost: e.pcConfigCost,
	}
	if e.pcArea > 0 {
		l.ProvisionedUtilization = e.pcBusyArea / e.pcArea
	}
	initShare := 0.0
	if billedRun > 0 {
		initShare = initBilled / billedRun
	}
	l.ProvisionedBreakEvenUtilization = p.ProvisionedBreakEven(initShare)
	r.Lambda = l
	r.Series = e.series.Finish(cost)
	if cost != e.cost && e.cost > 0 {
		// The free tier comes off the whole run: the cumulative cost is
		// scaled to end at the bill, so that it never falls.
		c := r.Series.Cost
		for i := range c[:max(0, len(c)-1)] {
			c[i] = math.Min(c[i]*cost/e.cost, cost)
		}
	}
	return r
}

func coldStartOf(p policy.Serverless) float64 { return p.ColdStart.Seconds() }

// pcHistory is the record of provisioned concurrency the target tracking
// reads as its metric: Ready is the provisioned environments, Busy those in
// use, so BusyFraction is LambdaProvisionedConcurrencyUtilization. Running
// sums in a ring long enough for the policy's lookback.
type pcHistory struct {
	dt   float64
	ring [][2]float64 // sums of provisioned and busy over the first j steps
	mask int
	n    int
}

func newPCHistory(dt, lookback float64) *pcHistory {
	need := int(math.Ceil(lookback/dt)) + 2
	size := 2
	for size < need {
		size *= 2
	}
	return &pcHistory{dt: dt, ring: make([][2]float64, size), mask: size - 1}
}

func (h *pcHistory) push(pc, busy float64) {
	prev := h.ring[h.n&h.mask]
	h.n++
	h.ring[h.n&h.mask] = [2]float64{prev[0] + pc, prev[1] + busy}
}

// Window averages the steps in [from, to) still in the ring.
func (h *pcHistory) Window(from, to float64, m *policy.Metrics) bool {
	lo := max(0, int(math.Ceil(from/h.dt-1e-9)), h.n-h.mask)
	hi := min(h.n, int(math.Ceil(to/h.dt-1e-9)))
	if hi <= lo {
		return false
	}
	a, b := h.ring[lo&h.mask], h.ring[hi&h.mask]
	steps := float64(hi - lo)
	*m = policy.Metrics{Ready: (b[0] - a[0]) / steps, Busy: (b[1] - a[1]) / steps}
	return true
}

// slidingMax is the maximum of the values pushed in the last w steps: a
// monotone deque in a ring, so each step costs O(1) amortized. The ring
// grows as the deque does (never past w + 1 entries), so memory follows
// the values, not the window's length in steps.
type slidingMax struct {
	w          int
	steps      []int
	vals       []int
	head, size int
}

func newSlidingMax(w int) *slidingMax {
	n := min(w+1, 64)
	return &slidingMax{w: w, steps: make([]int, n), vals: make([]int, n)}
}

// max is the largest value pushed at steps in [k−w, k).
func (s *slidingMax) max(k int) int {
	for s.size > 0 && s.steps[s.head] < k-s.w {
		s.head = (s.head + 1) % len(s.steps)
		s.size--
	}
	if s.size == 0 {
		return 0
	}
	return s.vals[s.head]
}

// push records value v at step k; steps must increase.
func (s *slidingMax) push(k, v int) {
	for s.size > 0 {
		last := (s.head + s.size - 1) % len(s.steps)
		if s.vals[last] > v {
			break
		}
		s.size--
	}
	if s.size == len(s.steps) {
		// Full: unroll into a ring twice as long.
		n := 2 * len(s.steps)
		steps, vals := make([]int, n), make([]int, n)
		for i := range s.size {
			j := (s.head + i) % len(s.steps)
			steps[i], vals[i] = s.steps[j], s.vals[j]
		}
		s.steps, s.vals, s.head = steps, vals, 0
	}
	i := (s.head + s.size) % len(s.steps)
	s.steps[i], s.vals[i] = k, v
	s.size++
}
