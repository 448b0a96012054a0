package sim

import (
	"math"
	"sort"

	"github.com/boxes-project/boxes/policy"
)

// Causes of missed jobs, as results name them.
const (
	CauseMax           = "max"           // the policy wanted more boxes than its max allowed
	CauseBoot          = "boot"          // boxes were asked for and still booting
	CauseReaction      = "reaction"      // the policy had not yet asked for enough: metric window, scrape and sync delay
	CauseStabilization = "stabilization" // the stabilization window held a scale-up back
	CauseRate          = "rate"          // the scale-up rate limits held it back (HPA policies, Knative's max scale-up rate, a simple scaling cooldown)
)

// CauseNames lists the causes in the order reports give them.
var CauseNames = []string{CauseMax, CauseBoot, CauseReaction, CauseStabilization, CauseRate}

// Limits is what held a box policy's capacity back over a run, measured
// from its decisions (policy.Explainer) and its series: how long it wanted
// more boxes than its max, or fewer than its min, and the jobs missed
// while each cause held.
type Limits struct {
	// Explained is false when the policy does not say why it chose its
	// counts (fixed and scheduled capacity, for which only boot and
	// reaction apply: there is nothing else to hold them back).
	Explained bool
	// TimeAtMax is the seconds the policy wanted more boxes than its max
	// allowed; TimeAtMin the seconds it wanted fewer than its min.
	TimeAtMax, TimeAtMin float64
	// Missed is the jobs missed (missed, timed out or lost) while each
	// cause held, by cause name.
	Missed map[string]float64
	// Dominant is the cause under which most jobs were missed, "" when
	// none was.
	Dominant string
}

// state is what held a policy back after one decision.
type state uint8

const (
	stateFree state = iota
	stateMax
	stateMin
	stateStabilization
	stateRate
)

// span is a state from time T on.
type span struct {
	t float64
	s state
}

// DecisionLog wraps a policy to record why it chose each count, for
// Limits. It changes nothing the policy does.
type DecisionLog struct {
	inner   policy.Policy
	ex      policy.Explainer
	spans   []span
	explain bool
}

// NewDecisionLog wraps p; a policy that is not a policy.Explainer is
// recorded as never held back.
func NewDecisionLog(p policy.Policy) *DecisionLog {
	ex, ok := p.(policy.Explainer)
	return &DecisionLog{inner: p, ex: ex, explain: ok}
}

// Desired calls the policy and records its decision.
func (d *DecisionLog) Desired(o *policy.Observation) int {
	n := d.inner.Desired(o)
	if d.ex == nil {
		return n
	}
	s := stateFree
	if dec, ok := d.ex.LastDecision(); ok {
		s = classify(dec)
	}
	if len(d.spans) == 0 || d.spans[len(d.spans)-1].s != s {
		d.spans = append(d.spans, span{o.Time, s})
	}
	return n
}

// classify names what held a decision back, the bounds first: a policy
// pinned at its max is held there whatever its other limits say.
func classify(d *policy.Decision) state {
	allowed := d.Wanted
	if d.Max > 0 {
		allowed = min(allowed, d.Max)
	}
	switch {
	case d.Max > 0 && d.Wanted > d.Max:
		return stateMax
	case d.Wanted < d.Min:
		return stateMin
	case d.Stabilized < allowed && d.Desired < allowed:
		return stateStabilization
	case d.Desired < min(d.Stabilized, allowed):
		return stateRate
	}
	return stateFree
}

// at is the state at time t.
func (d *DecisionLog) at(t float64) state {
	i := sort.Search(len(d.spans), func(i int) bool { return d.spans[i].t > t })
	if i == 0 {
		return stateFree
	}
	return d.spans[i-1].s
}

// Limits measures what held the policy back over r's run: the time in each
// bound from the decisions, and for each point of r's series with jobs
// missed, the cause that held then. A point's cause is the policy's state
// at its middle when that is a bound or a limit; otherwise boot when boxes
// were booting (asked for, not yet ready), else reaction (it had not asked
// for them yet). horizon ends the last decision's span.
func (d *DecisionLog) Limits(r *Result, horizon float64) Limits {
	l := Limits{Explained: d.explain, Missed: map[string]float64{}}
	for i, sp := range d.spans {
		end := horizon
		if i+1 < len(d.spans) {
			end = d.spans[i+1].t
		}
		switch sp.s {
		case stateMax:
			l.TimeAtMax += math.Max(0, end-sp.t)
		case stateMin:
			l.TimeAtMin += math.Max(0, end-sp.t)
		}
	}
	s := &r.Series
	for k := range s.Time {
		if k >= len(s.Missed) || !(s.Missed[k] > 0) || !(s.Missed[k] > 1e-6*s.JobRate[k]) {
			continue
		}
		jobs := s.Missed[k] * s.PointLength(k, horizon)
		cause := CauseReaction
		switch d.at(s.Time[k] + s.Interval/2) {
		case stateMax:
			cause = CauseMax
		case stateStabilization:
			cause = CauseStabilization
		case stateRate:
			cause = CauseRate
		default:
			if k < len(s.Booting) && s.Booting[k] > 0 {
				cause = CauseBoot
			}
		}
		l.Missed[cause] += jobs
	}
	l.Dominant = dominant(l.Missed)
	return l
}

// dominant is the cause with the most jobs, ties in CauseNames order.
func dominant(m map[string]float64) string {
	best, most := "", 0.0
	for _, c := range CauseNames {
		if m[c] > most {
			best, most = c, m[c]
		}
	}
	return best
}

// CombineLimits averages the limits of replications.
func CombineLimits(ls []Limits) Limits {
	if len(ls) == 1 {
		return ls[0]
	}
	out := Limits{Missed: map[string]float64{}}
	n := float64(len(ls))
	for _, l := range ls {
		out.Explained = out.Explained || l.Explained
		out.TimeAtMax += l.TimeAtMax / n
		out.TimeAtMin += l.TimeAtMin / n
		for c, x := range l.Missed {
			out.Missed[c] += x / n
		}
	}
	out.Dominant = dominant(out.Missed)
	return out
}
