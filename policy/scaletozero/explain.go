package scaletozero

import "github.com/boxes-project/boxes/policy"

// LastDecision is the last decision of the HPA KEDA drives: KEDA's own
// bounds are the HPA's.
func (r *kedaRun) LastDecision() (policy.Decision, bool) {
	if e, ok := r.hpa.(policy.Explainer); ok {
		return e.LastDecision()
	}
	return policy.Decision{}, false
}
