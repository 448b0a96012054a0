package hpa

import "github.com/boxes-project/boxes/policy"

// Target is the article's plain scaler, "hold Utilization at a target", as a
// scenario writes it: an HPA with every knob turned off (HoldUtilization),
// within [Min, Max] boxes.
type Target struct {
	Utilization float64 `yaml:"utilization,required" min:"0" exclusive:"min" max:"1" doc:"the utilization to hold, every step"`
	Min         int     `yaml:"min" default:"1" min:"0" max:"1000000" doc:"fewest boxes"`
	Max         int     `yaml:"max" default:"0" min:"0" max:"1000000" doc:"most boxes; 0 for no bound"`
}

// HPA is the controller Target runs.
func (t Target) HPA() HPA {
	h := HoldUtilization(t.Utilization)
	h.MinReplicas, h.MaxReplicas = t.Min, t.Max
	return h
}

// Validate checks the target and the bounds.
func (t Target) Validate() error { return t.HPA().Validate() }

// Start starts the controller.
func (t Target) Start(env policy.Env) (policy.Run, error) { return t.HPA().Start(env) }
