package sim

import (
	"math"

	"github.com/boxes-project/boxes/policy"
)

// applyHold sets up the run's buffering proxy (policy.Run.Hold): a job that
// finds no ready box (or, unless ColdOnly, no free one) waits even when the
// engine has no queue or a full one, and the proxy's timeout caps the
// deadline. Held jobs take the per-job path, not fastArrivals: the fast
// path knows neither deadlines nor holds.
func (e *events) applyHold(h *policy.Hold) {
	if h == nil {
		return
	}
	e.hold = h
	e.fast = false
	if h.Timeout > 0 {
		e.deadline = math.Min(e.deadline, h.Timeout)
	}
}
