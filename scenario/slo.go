package scenario

import "github.com/boxes-project/boxes/sim"

// sloJobs makes the events engine count late jobs by the SLO's late_after
// when the queue sets no threshold of its own; two different thresholds are
// an error, since a job is late by one measure only.
func sloJobs(file string, doc Doc, jc *sim.JobsConfig) error {
	la := doc.SLO.LateAfter
	if la == nil {
		return nil
	}
	switch q := doc.Jobs.Queue.LateAfter; {
	case q == 0:
		jc.Queue.LateAfter = *la
	case q != *la:
		return fieldError(file, "slo.late_after", "%v differs from jobs.queue.late_after %v: give one of them (a job is late by one measure)", *la, q)
	}
	return nil
}
