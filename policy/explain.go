package policy

// Decision is what a policy's last call to Desired asked for and what held
// it back, in the order a controller applies them: the count its metric
// alone asked for, that count after the stabilization window, the bounds,
// and the count it returned (after the scale-rate limits and the bounds).
// Reports read it to name the cause of missed jobs from what happened, not
// from a guess.
type Decision struct {
	Wanted     int // what the metric alone asked for
	Stabilized int // after the stabilization window
	Min, Max   int // bounds; Max 0 is none
	Desired    int // what it returned
}

// Explainer is a Policy that says why it returned its last count. ok is
// false when the last call computed no recommendation (no metrics yet, or
// the count was only brought within the bounds). d points into the policy
// and holds until its next call to Desired: read it, do not keep it. (A
// pointer, not a copy: a five-word struct returned by value goes through
// memory twice a decision, read back 16 bytes at a time from fields just
// written one by one, which stalls; sim.DecisionLog asks at every decision.)
type Explainer interface {
	LastDecision() (d *Decision, ok bool)
}
