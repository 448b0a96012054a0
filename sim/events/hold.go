package events

import (
	"math"

	"github.com/boxes-project/boxes/policy"
)

// applyHold sets up the run's buffering proxy (policy.Run.Hold): a job that
// finds no ready box (or, unless ColdOnly, no free one) waits even when the
// engine has no queue or a full one, and the proxy's timeout caps the
// deadline. A proxy that holds whenever no box is free makes the queue
// unbounded. A timeout sends the run down the per-job path (the fast path
// knows no deadline); a hold while cold only changes what happens with no
// ready box, which the fast path never sees.
func (e *events) applyHold(h *policy.Hold) {
	if h == nil {
		return
	}
	e.hold = h
	if !h.ColdOnly {
		e.capQ = math.MaxInt
	}
	if h.Timeout > 0 {
		e.deadline = math.Min(e.deadline, h.Timeout)
		e.fast = false
	}
}
