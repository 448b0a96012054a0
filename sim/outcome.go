package sim

import "encoding/json"

// Outcome is a set of runs compared over one setup: what running a
// scenario gives and what reports draw, as plain values. Document is the
// scenario that made it, in its normalized form, carried so that a saved
// result can be audited and re-run; nil when there is none.
type Outcome struct {
	Name   string
	Source string // the scenario's file, "" for none
	// Document is the normalized scenario document, written into results.
	Document json.Marshaler
	Setup    Setup
	Seed     uint64
	// OracleUtilization is the utilization the oracle holds.
	OracleUtilization float64
	// Engine is "fluid" or "events"; Replications and Jobs are the events
	// engine's.
	Engine       string
	Replications int
	Jobs         JobsConfig
	Stats        WorkloadStats
	// SLO is the objective every run is judged against (Judge, Evaluate).
	SLO SLO
	// WorkloadSource is what was read for the workload (a traffic report:
	// rows, span, step, gaps), nil for a workload made of shapes.
	WorkloadSource any
	Oracle         *Result
	Runs           []PolicyResult
}

// PolicyResult is one policy's result.
type PolicyResult struct {
	Name   string
	Kind   string
	Result *Result
	// Limits is what held a box policy back (nil for serverless).
	Limits *Limits
}

// WorkloadStats are a workload's rates over the horizon, step by step.
type WorkloadStats struct {
	Peak    float64 // highest JobRate of a step, jobs/s
	Mean    float64 // mean JobRate, jobs/s
	Initial float64 // JobRate of the first step, jobs/s
	Jobs    float64 // jobs over the horizon
}
