package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/boxes-project/boxes/sim"
)

// SLOJSON is how one result fares against the scenario's objective (its
// `slo:` block). Measures are upper 95% bounds when bound is "upper95"
// (events engine with replications), the run's own values ("mean")
// otherwise. Late and p99_wait are absent when the engine does not time
// each job; the clauses it cannot judge are listed in unmeasured.
type SLOJSON struct {
	Met        bool     `json:"met"`
	Missed     Float    `json:"missed"`             // share of arrived jobs unserved: missed, timed out or lost
	Late       *Float   `json:"late,omitempty"`     // share of served jobs late
	P99Wait    *Float   `json:"p99_wait,omitempty"` // seconds
	Failed     []string `json:"failed"`             // clauses not met: max_missed, max_late, max_p99_wait
	Unmeasured []string `json:"unmeasured,omitempty"`
	Bound      string   `json:"bound"`
	// JobCost is what the unserved and late jobs cost at the objective's
	// prices; TotalCost adds the infrastructure's cost.
	JobCost   Float `json:"job_cost"`
	TotalCost Float `json:"total_cost"`
}

// ObjectiveJSON is the objective itself: shares in [0, 1], seconds, and
// dollars per job.
type ObjectiveJSON struct {
	MaxMissed     Float  `json:"max_missed"`
	MaxLate       *Float `json:"max_late,omitempty"`
	LateAfter     *Float `json:"late_after,omitempty"`
	MaxP99Wait    *Float `json:"max_p99_wait,omitempty"`
	MissedJobCost Float  `json:"missed_job_cost"`
	LateJobCost   Float  `json:"late_job_cost"`
}

// VerdictJSON is the answer: the cheapest policy (infrastructure plus the
// jobs' cost) meeting the objective, "" when none does. The oracle is the
// yardstick, never a candidate. Ranking lists the policies that meet the
// objective cheapest first, then those that fail it: a failing policy is
// never ranked above one that meets it, nor cheaper than the oracle.
type VerdictJSON struct {
	Policy       string        `json:"policy"`
	Met          bool          `json:"met"`
	Objective    ObjectiveJSON `json:"objective"`
	Cost         Float         `json:"cost,omitempty"`
	OracleCost   Float         `json:"oracle_cost"`
	CostVsOracle Float         `json:"cost_vs_oracle,omitempty"`
	Ranking      []string      `json:"ranking"`
	// Text is the verdict in one sentence: the first line of every view.
	Text string `json:"text"`
}

func newSLOJSON(s sim.SLOResult) *SLOJSON {
	j := &SLOJSON{Met: s.Met, Missed: Float(s.Missed), Failed: s.Failed, Unmeasured: s.Unmeasured,
		Bound: "mean", JobCost: Float(s.JobCost), TotalCost: Float(s.TotalCost)}
	if j.Failed == nil {
		j.Failed = []string{}
	}
	if s.Upper95 {
		j.Bound = "upper95"
	}
	if !math.IsNaN(s.Late) {
		j.Late = float(s.Late)
	}
	if !math.IsNaN(s.P99Wait) {
		j.P99Wait = float(s.P99Wait)
	}
	return j
}

func newObjectiveJSON(o sim.SLO) ObjectiveJSON {
	j := ObjectiveJSON{MaxMissed: Float(o.MaxMissed), MissedJobCost: Float(o.MissedJobCost.Amount), LateJobCost: Float(o.LateJobCost.Amount)}
	if o.MaxLate != nil {
		j.MaxLate, j.LateAfter = float(*o.MaxLate), float(o.LateAfter.Seconds())
	}
	if o.MaxP99Wait != nil {
		j.MaxP99Wait = float(o.MaxP99Wait.Seconds())
	}
	return j
}

// addVerdict judges the outcome into j: each row's slo and the verdict.
func addVerdict(j *SimulationJSON, out *sim.Outcome) {
	v := sim.Judge(out)
	j.Results[0].SLO = newSLOJSON(sim.Evaluate(out.Oracle, out.SLO))
	for _, r := range v.Ranking {
		for i := range j.Results[1:] {
			if row := &j.Results[1+i]; row.Policy == r.Name {
				row.SLO = newSLOJSON(r.SLO)
			}
		}
	}
	vj := &VerdictJSON{Policy: v.Policy, Met: v.Policy != "", Objective: newObjectiveJSON(out.SLO),
		OracleCost: Float(out.Oracle.Cost), Ranking: []string{}}
	for _, r := range v.Ranking {
		vj.Ranking = append(vj.Ranking, r.Name)
	}
	if vj.Met {
		row := j.result(v.Policy)
		vj.Cost, vj.CostVsOracle = row.Cost, row.CostVsOracle
	}
	j.Verdict = vj
	vj.Text = verdictText(j)
}

// result is the row of the named policy (nil when there is none).
func (j *SimulationJSON) result(name string) *ResultJSON {
	for i := range j.Results[1:] {
		if j.Results[1+i].Policy == name {
			return &j.Results[1+i]
		}
	}
	return nil
}

// objectiveText says the objective in words: "at most 0.1% of jobs unserved".
func objectiveText(o ObjectiveJSON) string {
	parts := []string{"at most " + Percent(float64(o.MaxMissed)) + " of jobs unserved"}
	if o.MaxLate != nil {
		parts = append(parts, fmt.Sprintf("at most %s late (over %s)", Percent(float64(*o.MaxLate)), Seconds(float64(*o.LateAfter))))
	}
	if o.MaxP99Wait != nil {
		parts = append(parts, "p99 wait at most "+Seconds(float64(*o.MaxP99Wait)))
	}
	return strings.Join(parts, ", ")
}

// failText says what a row fails: "41% unserved", "p99 wait 4m35s".
func failText(r *ResultJSON) string {
	s := r.SLO
	var parts []string
	for _, c := range s.Failed {
		switch c {
		case sim.ClauseMissed:
			parts = append(parts, Percent(float64(s.Missed))+" unserved")
		case sim.ClauseLate:
			parts = append(parts, Percent(float64(*s.Late))+" late")
		case sim.ClauseP99Wait:
			parts = append(parts, "p99 wait "+Seconds(float64(*s.P99Wait)))
		}
	}
	return strings.Join(parts, " and ")
}

// verdictText is the verdict in one sentence, from the JSON so that a
// saved result says the same as a fresh one.
func verdictText(j *SimulationJSON) string {
	v := j.Verdict
	if v == nil {
		return ""
	}
	var b strings.Builder
	obj := objectiveText(v.Objective)
	if v.Met {
		row := j.result(v.Policy)
		fmt.Fprintf(&b, "Verdict: %s is the cheapest policy meeting the objective (%s): %s, %s the oracle's %s",
			v.Policy, obj, Money(float64(row.Cost)), times(float64(row.CostVsOracle)), Money(float64(v.OracleCost)))
		if row.SLO.JobCost > 0 {
			fmt.Fprintf(&b, " (+%s for the jobs it misses)", Money(float64(row.SLO.JobCost)))
		}
		if len(row.SLO.Unmeasured) > 0 {
			fmt.Fprintf(&b, " (met on what the %s engine measures: %s not judged)", row.Engine, strings.Join(row.SLO.Unmeasured, " and "))
		}
	} else {
		fmt.Fprintf(&b, "Verdict: no policy meets the objective (%s)", obj)
	}
	var others []string
	for _, name := range v.Ranking {
		if name == v.Policy {
			continue
		}
		r := j.result(name)
		if r == nil || r.SLO == nil {
			continue
		}
		if !r.SLO.Met {
			why := failText(r)
			if r.Causes != nil && r.Causes.Dominant != "" {
				why += ", mostly " + causeWords[r.Causes.Dominant]
			}
			others = append(others, name+" fails ("+why+")")
		} else if best := j.result(v.Policy); best != nil {
			others = append(others, fmt.Sprintf("%s meets it for %s more", name, Money(float64(r.SLO.TotalCost-best.SLO.TotalCost))))
		} else {
			others = append(others, name+" meets it at "+Money(float64(r.SLO.TotalCost)))
		}
	}
	if len(others) > 0 {
		b.WriteString("; " + strings.Join(others, "; "))
	}
	b.WriteString(".")
	return b.String()
}

// times formats a ratio as ×1.35.
func times(x float64) string {
	if x <= 0 || math.IsInf(x, 0) || math.IsNaN(x) {
		return "n/a"
	}
	return "×" + strconv.FormatFloat(x, 'f', 2, 64)
}
