package web

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/boxes-project/boxes/scenario"
)

// checkCost refuses, with 422 naming the limit and the boxes serve flag
// that raises it, a scenario whose time series or estimated cost
// (scenario.Cost: memory held, work) is over this server's budget, before
// anything is allocated for its run. A request's run uses one worker.
func (h *Handler) checkCost(sc *scenario.Scenario) error {
	if p := sc.Setup.Points; p > h.opt.MaxPoints {
		return &apiError{http.StatusUnprocessableEntity, fmt.Sprintf(
			"over the simulation budget: points %d is more than the %d points this server draws per series (boxes serve --max-points raises it)", p, h.opt.MaxPoints)}
	}
	b := scenario.Budget{Memory: h.opt.MaxMemory, Work: h.opt.MaxWork}
	err := b.Check(sc.Cost(1))
	var be *scenario.BudgetError
	if !errors.As(err, &be) {
		return err
	}
	flag := map[string]string{"memory": "--max-memory", "work": "--max-work"}[be.Limit]
	hint := "; shorten the horizon, lengthen the step, bound the queue (jobs.queue capacity or deadline) or use the fluid engine"
	return &apiError{http.StatusUnprocessableEntity, fmt.Sprintf("over the simulation budget: %s (boxes serve %s raises it)%s",
		strings.TrimPrefix(strings.TrimPrefix(be.Error(), "scenario: "), "over the "), flag, hint)}
}
