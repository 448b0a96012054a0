package scaletozero

import "github.com/boxes-project/boxes/policy"

// LastDecision is the last decision of the HPA KEDA drives: KEDA's own
// bounds are the HPA's.
func (r *kedaRun) LastDecision() (*policy.Decision, bool) {
	if e, ok := r.hpa.(policy.Explainer); ok {
		return e.LastDecision()
	}
	return nil, false
}

// LastDecision is the decider's last tick: the pods its metric asked for
// (held up by panic mode and the scale-down delay), and what it returned
// after max-scale-up-rate and the bounds. A count held below the metric's
// by max-scale-up-rate is a rate limit; above MaxScale, the max.
func (d *kpaRun) LastDecision() (*policy.Decision, bool) { return &d.decision, d.decided }
