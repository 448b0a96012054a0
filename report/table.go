package report

import (
	"strconv"
	"strings"

	"github.com/boxes-project/boxes/report/chart"
)

// rowOrder is the order the comparison tables list the results in: the
// oracle first, the yardstick, then the verdict's ranking (the policies
// that meet the objective cheapest first, then those that fail it), so that
// no row that fails is listed above one that meets it. Without a verdict
// (a result saved by an older version), the results' own order.
func rowOrder(j *SimulationJSON) []int {
	var order []int
	seen := make([]bool, len(j.Results))
	add := func(i int) {
		if !seen[i] {
			seen[i] = true
			order = append(order, i)
		}
	}
	for i, r := range j.Results {
		if r.Kind == "oracle" {
			add(i)
		}
	}
	if j.Verdict != nil {
		for _, name := range j.Verdict.Ranking {
			for i, r := range j.Results {
				if r.Policy == name && r.Kind != "oracle" {
					add(i)
				}
			}
		}
	}
	for i := range j.Results {
		add(i)
	}
	return order
}

// vsOracleCell is the cost against the oracle's; a run that fails the
// objective is not compared ("fails"): being cheaper than the cheapest
// fleet that misses no job means it missed jobs.
func vsOracleCell(r ResultJSON) string {
	if r.SLO != nil && !r.SLO.Met {
		return "fails"
	}
	if r.CostVsOracle == 0 {
		return "n/a"
	}
	return "×" + strconv.FormatFloat(float64(r.CostVsOracle), 'f', 2, 64)
}

// objectiveCell says whether the run meets the objective: "met", "fails",
// or "met*" when a clause was not measured by its engine.
func objectiveCell(r ResultJSON) string {
	switch {
	case r.SLO == nil:
		return "-"
	case !r.SLO.Met:
		return "fails"
	case len(r.SLO.Unmeasured) > 0:
		return "met*"
	}
	return "met"
}

// engineOf is the engine a result row names: events when the per-job
// engine made it, fluid otherwise.
func engineOf(r ResultJSON) string {
	if r.Engine == "" {
		return EngineFluid
	}
	return r.Engine
}

// EngineFluid is the name of the time-stepped engine in a result.
const EngineFluid = "fluid"

// oracleLine says what the oracle is, truly.
func oracleLine(utilization float64) string {
	return "The oracle is the cheapest box fleet that misses no job at its utilization (" + Ratio(utilization) +
		"): it boots exactly the boxes each second needs, just in time."
}

// serverlessLine says, only when a serverless platform is compared, that
// it is billed another way; "" otherwise.
func serverlessLine(j *SimulationJSON) string {
	for _, r := range j.Results {
		if r.Kind == "serverless" {
			return "Serverless is billed per job, not per box: a different billing model, which may cost less than the oracle's fleet without contradicting it."
		}
	}
	return ""
}

// unmeasuredLine explains "met*" when some row has a clause its engine
// could not judge; "" otherwise.
func unmeasuredLine(j *SimulationJSON) string {
	for _, r := range j.Results {
		if r.SLO != nil && len(r.SLO.Unmeasured) > 0 {
			return "met*: met on what the fluid engine measures; it does not time jobs, so the objective's late and wait clauses need --engine events."
		}
	}
	return ""
}

// TableNotes are the lines under the HTML comparison table: what the
// oracle is, serverless's billing (only when it is compared), what met*
// means (only when some row has it).
func TableNotes(j *SimulationJSON) []string {
	notes := []string{oracleLine(float64(j.Scenario.OracleUtilization))}
	if l := serverlessLine(j); l != "" {
		notes = append(notes, l)
	}
	if l := unmeasuredLine(j); l != "" {
		notes = append(notes, l)
	}
	return append(notes, "Utilization is JobRate / Throughput of the ready boxes over time; missed jobs arrived when the JobRate was above the Throughput; idle cost paid for box time that served no job.")
}

// fluidNote says why a row of an events run ran on the fluid engine.
func fluidNote(kind string) string {
	if kind == "oracle" {
		return "the oracle sizes its fleet from the workload's rate with perfect foresight, a fluid computation: the events engine has no oracle"
	}
	return "a serverless platform is modelled by its rate of requests (concurrency, cold starts, per-request billing) on the fluid engine; the events engine runs box policies only"
}

// engineNotes says, under a table of an events run, which rows ran on the
// fluid engine and why; "" when none did.
func engineNotes(j *SimulationJSON) string {
	var lines []string
	seen := map[string]bool{}
	for _, r := range j.Results {
		if r.EngineNote != "" && !seen[r.EngineNote] {
			seen[r.EngineNote] = true
			lines = append(lines, r.Policy+" ran on the fluid engine: "+r.EngineNote+".")
		}
	}
	return strings.Join(lines, "\n")
}

// SimulationTable is the comparison table of a simulation, as the text
// report prints it, with each policy's colour.
func SimulationTable(j *SimulationJSON) HTMLTable {
	cols := optionalColumns(j)
	t := HTMLTable{Head: []string{"policy", "engine", "objective", "cost", "vs oracle", "missed jobs", "missed"}}
	for _, c := range cols {
		t.Head = append(t.Head, c.name)
	}
	t.Head = append(t.Head, "utilization", "p95", "over capacity", "box-hours", "idle cost")
	t.Right = make([]bool, len(t.Head))
	for i := 3; i < len(t.Right); i++ {
		t.Right[i] = true
	}
	for _, i := range rowOrder(j) {
		r := j.Results[i]
		cells := []string{r.Policy, engineOf(r), objectiveCell(r), Money(float64(r.Cost)), vsOracleCell(r), Count(float64(r.Jobs.Missed)), Percent(float64(r.Jobs.MissedFraction))}
		for _, c := range cols {
			cells = append(cells, c.cell(r))
		}
		cells = append(cells, Ratio(float64(r.Utilization.Mean)), Ratio(float64(r.Utilization.P95)), Seconds(float64(r.SecondsOverCapacity)),
			strconv.FormatFloat(float64(r.BoxHours), 'f', 1, 64), Money(float64(r.IdleCost)))
		t.Rows = append(t.Rows, HTMLRow{Color: ResultColor(j, i), Cells: cells})
	}
	return t
}

// ResultColor is the colour of result i: the oracle's grey, or the
// policy's place among the others.
func ResultColor(j *SimulationJSON, i int) string {
	if j.Results[i].Kind == "oracle" {
		return chart.ColorOracle
	}
	k := 0
	for _, r := range j.Results[:i] {
		if r.Kind != "oracle" {
			k++
		}
	}
	return chart.PolicyColor(k)
}
