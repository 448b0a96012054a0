package sim

import "math"

// BillActive re-bills a run as a platform that charges an instance only
// while it processes at least one job, and while it starts (Cloud Run's
// request-based billing: "instances are only charged when they process
// requests, when they start, and when they shut down",
// cloud.google.com/run/docs/configuring/billing-settings), at perSecond
// dollars an instance-second, plus perJob dollars a job served. An
// instance is k boxes (its concurrency).
//
// At each point of r's series, of length I (the last one ends at the
// horizon, in seconds), with B busy boxes (the events
// engine counts them; on the fluid engine B = Served × latency), R ready
// and S booting boxes on average, the instance-seconds billed are
//
//	(min(B, R / k) + S / k) × I
//
// B ≤ R, so with k = 1 this is the busy and booting box time, exactly. With
// k > 1 the instances at work lie between B / k (jobs packed onto as few
// instances as they fill) and min(B, R / k) (spread one a box, as far as
// the instances go); boxes bills the latter, an upper bound, and takes it
// over the series' points rather than each step, which can only raise it
// (min is concave). The rounding up to 100 ms of each stretch of activity
// is not applied, and a shutdown is not billed (the engines' drain is the
// job in hand, already busy).
//
// It sets r.Cost, r.IdleCost (the billed time with no job, over the busy
// time's share) and r.Series.Cost; the series must be of the run.
func BillActive(r *Result, latency, horizon float64, k int, perSecond, perJob float64) {
	s := &r.Series
	if k < 1 {
		k = 1
	}
	inst, busyInst := 0.0, 0.0 // instance-seconds billed, and busy box-seconds over k
	for p := range s.Time {
		var busy float64
		if p < len(s.Busy) {
			busy = s.Busy[p]
		} else {
			busy = s.Served[p] * latency
		}
		ready, booting := s.Ready[p], s.Booting[p]
		active := math.Min(busy, ready/float64(k))
		dur := s.PointLength(p, horizon)
		inst += (math.Max(0, active) + math.Max(0, booting)/float64(k)) * dur
		busyInst += math.Max(0, busy) / float64(k) * dur
		if p < len(s.Cost) {
			// Jobs served so far, from the series' rates.
			s.Cost[p] = perSecond * inst
		}
	}
	served := 0.0
	for p := range s.Cost {
		if p < len(s.Served) {
			served += s.Served[p] * s.PointLength(p, horizon)
		}
		s.Cost[p] += perJob * served
	}
	fee := perJob * r.Jobs.Served
	r.Cost = perSecond*inst + fee
	if n := len(s.Cost); n > 0 {
		s.Cost[n-1] = r.Cost
	}
	r.IdleCost = math.Max(0, perSecond*(inst-busyInst))
}
