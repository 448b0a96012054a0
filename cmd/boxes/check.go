package main

import (
	"github.com/boxes-project/boxes/report"
	"github.com/boxes-project/boxes/scenario"
)

// checkVerdict is `simulate --check`: an unmetError (exit 1) when no policy
// meets the scenario's objective, nil when the verdict names one.
func checkVerdict(out *scenario.Outcome) error {
	v := report.NewSimulationJSON(out, false).Verdict
	if v == nil || v.Met {
		return nil
	}
	return unmetError{errorf("simulate --check: %s", v.Text)}
}
