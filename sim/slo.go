package sim

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/boxes-project/boxes"
)

// SLO is a service-level objective every result is judged against: the
// scenario's `slo:` block. A result meets it when every clause it sets
// holds. The default asks that at most 0.1% of the jobs go unserved (one
// in a thousand, the "three nines" most services promise) and sets no
// lateness or waiting clause, since the fluid engine, the default, does not
// measure per-job waits: add late_after and max_late, or max_p99_wait, and
// run the events engine for those.
type SLO struct {
	MaxMissed float64 `yaml:"max_missed" default:"0.1%" min:"0" max:"1" doc:"most of the arrived jobs that may go unserved (missed, timed out or lost)"`
	// MaxLate and LateAfter make the lateness clause, given together.
	MaxLate   *float64       `yaml:"max_late" min:"0" max:"1" doc:"most of the served jobs that may be late (response time over late_after); events engine"`
	LateAfter *time.Duration `yaml:"late_after" min:"0s" exclusive:"min" max:"24h" doc:"response time (wait + latency) beyond which a served job is late; goes with max_late"`
	// MaxP99Wait bounds the 99th percentile of the served jobs' waits.
	MaxP99Wait *time.Duration `yaml:"max_p99_wait" min:"0s" max:"24h" doc:"most the 99th percentile of the served jobs' wait (arrival to start) may be; events engine"`
	// MissedJobCost and LateJobCost turn jobs into money beside the
	// infrastructure's cost (the articles' "value of a job").
	MissedJobCost boxes.Price `yaml:"missed_job_cost" default:"$0/job" min:"$0/job" doc:"what an unserved job costs the business, counted beside the infrastructure"`
	LateJobCost   boxes.Price `yaml:"late_job_cost" default:"$0/job" min:"$0/job" doc:"what a late job costs the business, counted beside the infrastructure"`
}

// DefaultSLO is the objective a scenario without `slo:` is judged against.
func DefaultSLO() SLO { return SLO{MaxMissed: 0.001} }

// Clause names, as a scenario writes them; the JSON's "failed" lists them.
const (
	ClauseMissed  = "max_missed"
	ClauseLate    = "max_late"
	ClauseP99Wait = "max_p99_wait"
)

// Validate checks the rules that span several fields.
func (o SLO) Validate() error {
	switch {
	case (o.MaxLate == nil) != (o.LateAfter == nil):
		return errors.New("sim: slo: max_late and late_after go together (a job is late after late_after; at most max_late of them)")
	case o.MissedJobCost.Unit != boxes.PerRequest && o.MissedJobCost.Amount != 0:
		return errors.New("sim: slo: missed_job_cost is per job, like $0.01/job")
	case o.LateJobCost.Unit != boxes.PerRequest && o.LateJobCost.Amount != 0:
		return errors.New("sim: slo: late_job_cost is per job, like $0.01/job")
	case !(o.MaxMissed >= 0 && o.MaxMissed <= 1):
		return fmt.Errorf("sim: slo: max_missed %g is not a share in [0, 1]", o.MaxMissed)
	}
	return nil
}

// SLOResult is how one result fares against an SLO. With replications,
// each measured quantity is the upper end of its 95% confidence interval
// (mean + half-width): an objective is met only when it is met with 95%
// confidence on that side.
type SLOResult struct {
	Met bool
	// Missed is the share of arrived jobs that went unserved: missed,
	// timed out or lost.
	Missed float64
	// Late is the share of served jobs whose response time exceeded
	// late_after; P99Wait the 99th percentile of their waits, in seconds.
	// Both are NaN when the engine does not measure them (only the events
	// engine times each job).
	Late, P99Wait float64
	// Failed lists the clauses not met, in the order max_missed, max_late,
	// max_p99_wait; Unmeasured the clauses set that this result's engine
	// cannot judge (they do not fail it, and are said beside it).
	Failed, Unmeasured []string
	// Upper95 is true when the measures are upper 95% bounds.
	Upper95 bool
	// JobCost is what the unserved and late jobs cost at the SLO's
	// prices, in dollars (means, not bounds); TotalCost adds the
	// infrastructure's Cost.
	JobCost, TotalCost float64
}

// Measured reports whether the result's engine times each job: only then
// are the lateness and waiting clauses judged.
func Measured(r *Result) bool { return r.Queueing != nil }

// Evaluate judges one result against an SLO.
func Evaluate(r *Result, o SLO) SLOResult {
	var s SLOResult
	j := r.Jobs
	unserved := j.Missed + j.TimedOut + j.Lost
	late := j.Late
	var ci Intervals
	if r.Replications > 1 && r.CI != nil {
		ci, s.Upper95 = *r.CI, true
	}
	if j.Arrived > 0 {
		s.Missed = math.Min(1, (unserved+ci.Missed+ci.TimedOut+ci.Lost)/j.Arrived)
	}
	s.Late, s.P99Wait = math.NaN(), math.NaN()
	if Measured(r) {
		s.P99Wait = r.Queueing.Wait.P99 + ci.Wait.P99
		s.Late = 0
		if j.Served > 0 {
			s.Late = math.Min(1, (late+ci.Late)/j.Served)
		}
	}
	if s.Missed > o.MaxMissed {
		s.Failed = append(s.Failed, ClauseMissed)
	}
	if o.MaxLate != nil {
		switch {
		case math.IsNaN(s.Late):
			s.Unmeasured = append(s.Unmeasured, ClauseLate)
		case s.Late > *o.MaxLate:
			s.Failed = append(s.Failed, ClauseLate)
		}
	}
	if o.MaxP99Wait != nil {
		switch {
		case math.IsNaN(s.P99Wait):
			s.Unmeasured = append(s.Unmeasured, ClauseP99Wait)
		case s.P99Wait > o.MaxP99Wait.Seconds():
			s.Failed = append(s.Failed, ClauseP99Wait)
		}
	}
	s.Met = len(s.Failed) == 0
	s.JobCost = unserved*o.MissedJobCost.Amount + late*o.LateJobCost.Amount
	s.TotalCost = r.Cost + s.JobCost
	return s
}

// Verdict is an outcome's answer: the cheapest policy that meets the SLO
// and how every other one fares.
type Verdict struct {
	// Policy is the cheapest policy (by total cost: infrastructure plus
	// the jobs' cost) that meets the SLO; "" when none does.
	Policy string
	// Ranking lists every policy: those that meet the SLO by total cost,
	// cheapest first, then those that fail it, by total cost. A policy that
	// fails is never ranked above one that meets it.
	Ranking []Ranked
}

// Ranked is one policy's place in a verdict.
type Ranked struct {
	Name string
	SLO  SLOResult
}

// Judge evaluates every policy of an outcome against its SLO and ranks
// them. The oracle is the yardstick, not a candidate: no real scaler has
// its foresight.
func Judge(out *Outcome) Verdict {
	var v Verdict
	for _, r := range out.Runs {
		v.Ranking = append(v.Ranking, Ranked{Name: r.Name, SLO: Evaluate(r.Result, out.SLO)})
	}
	slices.SortStableFunc(v.Ranking, func(a, b Ranked) int {
		if a.SLO.Met != b.SLO.Met {
			if a.SLO.Met {
				return -1
			}
			return 1
		}
		switch {
		case a.SLO.TotalCost < b.SLO.TotalCost:
			return -1
		case a.SLO.TotalCost > b.SLO.TotalCost:
			return 1
		}
		return 0
	})
	if len(v.Ranking) > 0 && v.Ranking[0].SLO.Met {
		v.Policy = v.Ranking[0].Name
	}
	return v
}
