package sizing

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/boxes-project/boxes/queueing"
	"github.com/boxes-project/boxes/report"
)

// PlanRow is one fleet of `boxes plan`: the queueing.Plan and, when the box
// has a price, what the fleet costs per hour (Price × Boxes).
type PlanRow struct {
	queueing.Plan
	Priced      bool
	CostPerHour float64 // dollars per hour, when Priced
}

// PlanJSON is the JSON form of a PlanRow. Times are in seconds, rates in
// jobs per second, money in dollars; probabilities in [0, 1]. Fields that do
// not apply are left out: p_wait_over without a deadline, p_timeout unless
// the latency is exponential, cost_per_hour without a price. An unstable
// queue's mean_wait is null (it grows without bound).
type PlanJSON struct {
	Boxes       int             `json:"boxes"`
	JobRate     report.Float    `json:"job_rate"`
	Latency     report.Float    `json:"latency"`
	Service     string          `json:"service"`
	Queue       string          `json:"queue"`
	Model       string          `json:"model"`
	OfferedLoad report.Float    `json:"offered_load"`
	Utilization report.Float    `json:"utilization"`
	Busy        report.Float    `json:"busy"`
	PMiss       report.Float    `json:"p_miss"`
	PWait       report.Float    `json:"p_wait"`
	MeanWait    report.Float    `json:"mean_wait"`
	Deadline    *report.Float   `json:"deadline,omitempty"`
	PWaitOver   *report.Float   `json:"p_wait_over,omitempty"`
	PTimeout    *report.Float   `json:"p_timeout,omitempty"`
	CostPerHour *report.Float   `json:"cost_per_hour,omitempty"`
	Targets     PlanTargetsJSON `json:"targets"`
	// Waits are wait percentiles in seconds by name ("p50", "p99", "p99.9");
	// null for an unstable queue; absent with no queue.
	Waits map[string]report.Float `json:"waits,omitempty"`
	Met   bool                    `json:"met"`
}

// PlanTargetsJSON are the targets a plan was held to; absent ones are left
// out.
type PlanTargetsJSON struct {
	MaxMiss        report.Float `json:"max_miss,omitempty"`
	MaxWaitProb    report.Float `json:"max_wait_prob,omitempty"`
	MaxMeanWait    report.Float `json:"max_mean_wait,omitempty"`
	MaxWaitOver    report.Float `json:"max_wait_over,omitempty"`
	MaxUtilization report.Float `json:"max_utilization,omitempty"`
}

// Model names the queueing model of s in Kendall's notation.
func Model(s queueing.System) string {
	switch {
	case s.Queue.Norm() == queueing.NoQueue && s.Service.Norm() == queueing.Fixed:
		return "M/D/c/c"
	case s.Queue.Norm() == queueing.NoQueue:
		return "M/M/c/c"
	case s.Service.Norm() == queueing.Fixed:
		return "M/D/c"
	}
	return "M/M/c"
}

func ptr(x float64) *report.Float { f := report.Float(x); return &f }

// NewPlanJSON converts r to its JSON form.
func NewPlanJSON(r PlanRow) PlanJSON {
	p := r.Plan
	j := PlanJSON{
		Boxes:       p.Boxes,
		JobRate:     report.Float(p.JobRate),
		Latency:     report.Float(p.Latency),
		Service:     p.Service.String(),
		Queue:       p.Queue.String(),
		Model:       Model(p.System),
		OfferedLoad: report.Float(p.OfferedLoad),
		Utilization: report.Float(p.Utilization),
		Busy:        report.Float(p.Busy),
		PMiss:       report.Float(p.PMiss),
		PWait:       report.Float(p.PWait),
		MeanWait:    report.Float(p.MeanWait),
		Targets: PlanTargetsJSON{
			MaxMiss:        report.Float(p.Targets.MaxMiss),
			MaxWaitProb:    report.Float(p.Targets.MaxWaitProb),
			MaxMeanWait:    report.Float(p.Targets.MaxMeanWait),
			MaxWaitOver:    report.Float(p.Targets.MaxWaitOver),
			MaxUtilization: report.Float(p.Targets.MaxUtilization),
		},
		Met: p.Met,
	}
	if p.HasDeadline {
		j.Deadline, j.PWaitOver = ptr(p.Deadline), ptr(p.PWaitOver)
		if !math.IsNaN(p.PTimeout) {
			j.PTimeout = ptr(p.PTimeout)
		}
	}
	if r.Priced {
		j.CostPerHour = ptr(r.CostPerHour)
	}
	for _, q := range p.Waits {
		if j.Waits == nil {
			j.Waits = map[string]report.Float{}
		}
		j.Waits[percentileName(q.Percentile)] = report.Float(q.Wait)
	}
	return j
}

// WritePlanJSON writes r as one indented JSON object.
func WritePlanJSON(w io.Writer, r PlanRow) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(NewPlanJSON(r))
}

// HeadroomJSON is the JSON form of a headroom table: one plan per job rate,
// in the order given, and whether the share of box time the targets allow
// to be busy rises (the headroom, 1 − busy, shrinks) at every step to a
// higher rate.
type HeadroomJSON struct {
	Headroom        []PlanJSON `json:"headroom"`
	HeadroomShrinks bool       `json:"headroom_shrinks"`
}

// WriteHeadroomJSON writes rows as one indented JSON object.
func WriteHeadroomJSON(w io.Writer, rows []PlanRow) error {
	h := HeadroomJSON{Headroom: make([]PlanJSON, len(rows)), HeadroomShrinks: HeadroomShrinks(rows)}
	for i, r := range rows {
		h.Headroom[i] = NewPlanJSON(r)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(h)
}

// HeadroomShrinks reports whether, ordered by job rate, every row at a
// higher rate keeps its boxes at least as busy as the one before and the
// last busier than the first: the fleet that meets the same targets for
// more jobs keeps less of itself idle. Busy is the utilization with a
// queue, and the carried share with none.
func HeadroomShrinks(rows []PlanRow) bool {
	if len(rows) < 2 {
		return false
	}
	sorted := sortedByRate(rows)
	for i := 1; i < len(sorted); i++ {
		if sorted[i].Busy < sorted[i-1].Busy {
			return false
		}
	}
	return sorted[len(sorted)-1].Busy > sorted[0].Busy
}

func sortedByRate(rows []PlanRow) []PlanRow {
	s := append([]PlanRow(nil), rows...)
	for i := 1; i < len(s); i++ { // insertion sort: a handful of rows
		for j := i; j > 0 && s[j].JobRate < s[j-1].JobRate; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
	return s
}

// WritePlan writes r as lines a person reads at a glance.
func WritePlan(w io.Writer, r PlanRow) error {
	p := r.Plan
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	row := func(name, value string, notes ...string) {
		var keep []string
		for _, n := range notes {
			if n != "" {
				keep = append(keep, n)
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", name, value, strings.Join(keep, "; "))
	}
	if !p.Targets.Empty() {
		// The verdict first, on a line of its own.
		verdict := "Met: "
		if !p.Met {
			verdict = "NOT MET: "
		}
		fmt.Fprintf(w, "%s%s with %s.\n", verdict, targetsText(p.Targets), pluralBoxes(p.Boxes))
	}
	row("model", Model(p.System), modelNote(p.System))
	row("job rate", report.JobsPerSecond(p.JobRate), "")
	row("latency", report.Seconds(p.Latency), p.Service.String())
	row("offered load", load(p.OfferedLoad), "job rate × latency: boxes busy on average")
	row("boxes", report.Count(float64(p.Boxes)), "")
	row("utilization", report.Ratio(p.Utilization), "offered load / boxes", target(p.Utilization <= p.Targets.MaxUtilization*(1+1e-12), p.Targets.MaxUtilization, report.Ratio))
	if p.Queue.Norm() == queueing.NoQueue {
		row("busy", report.Ratio(p.Busy), "share of box time spent on jobs: missed jobs take none")
	}
	if p.Queue.Norm() == queueing.NoQueue {
		row("P(miss)", report.Percent(p.PMiss), "a job that finds every box busy is missed", target(p.PMiss <= p.Targets.MaxMiss, p.Targets.MaxMiss, report.Percent))
	} else {
		row("P(wait)", report.Percent(p.PWait), "a job finds every box busy", target(p.PWait <= p.Targets.MaxWaitProb, p.Targets.MaxWaitProb, report.Percent))
		unstable := ""
		if math.IsInf(p.MeanWait, 1) {
			unstable = "unstable: utilization ≥ 1, the queue grows without bound"
		}
		row("mean wait", wait(p.MeanWait), unstable, target(p.MeanWait <= p.Targets.MaxMeanWait, p.Targets.MaxMeanWait, report.Seconds))
		for _, q := range p.Waits {
			row(percentileName(q.Percentile)+" wait", wait(q.Wait), "of the jobs wait at most this long")
		}
		if p.HasDeadline {
			row("P(wait > "+report.Seconds(p.Deadline)+")", report.Percent(p.PWaitOver), target(p.PWaitOver <= p.Targets.MaxWaitOver, p.Targets.MaxWaitOver, report.Percent))
			if !math.IsNaN(p.PTimeout) {
				row("P(timeout)", report.Percent(p.PTimeout), "if jobs left the queue at "+report.Seconds(p.Deadline)+" (M/M/c+D)")
			}
		}
	}
	if r.Priced {
		row("cost", report.Money(r.CostPerHour)+"/h", report.Money(r.CostPerHour*24*30)+" per 30 days")
	}
	return tw.Flush()
}

// WriteHeadroom writes one row per job rate, and one line that says, from
// the numbers, whether headroom shrinks as the fleet grows.
func WriteHeadroom(w io.Writer, rows []PlanRow) error {
	if len(rows) == 0 {
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	first := rows[0].Plan
	cols := []string{"job rate", "offered load", "boxes", "utilization", "headroom"}
	if first.Queue.Norm() == queueing.NoQueue {
		cols = []string{"job rate", "offered load", "boxes", "utilization", "busy", "headroom", "P(miss)"}
	} else {
		cols = append(cols, "P(wait)", "mean wait")
		if first.HasDeadline {
			cols = append(cols, "P(wait > "+report.Seconds(first.Deadline)+")")
		}
	}
	if rows[0].Priced {
		cols = append(cols, "cost/h")
	}
	fmt.Fprintf(w, "%s, %s latency %s; targets: %s\n", Model(first.System), first.Service, report.Seconds(first.Latency), targetsText(first.Targets))
	fmt.Fprintln(tw, strings.Join(cols, "\t")+"\t")
	for _, r := range rows {
		p := r.Plan
		cells := []string{report.JobsPerSecond(p.JobRate), load(p.OfferedLoad), report.Count(float64(p.Boxes)), report.Ratio(p.Utilization), report.Percent(1 - p.Busy)}
		if p.Queue.Norm() == queueing.NoQueue {
			cells = []string{report.JobsPerSecond(p.JobRate), load(p.OfferedLoad), report.Count(float64(p.Boxes)), report.Ratio(p.Utilization), report.Ratio(p.Busy), report.Percent(1 - p.Busy), report.Percent(p.PMiss)}
		} else {
			cells = append(cells, report.Percent(p.PWait), wait(p.MeanWait))
			if p.HasDeadline {
				cells = append(cells, report.Percent(p.PWaitOver))
			}
		}
		if r.Priced {
			cells = append(cells, report.Money(r.CostPerHour))
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t")+"\t")
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintln(w, headroomSentence(rows))
	return err
}

// headroomSentence says what the rows show about headroom, from the numbers.
func headroomSentence(rows []PlanRow) string {
	s := sortedByRate(rows)
	lo, hi := s[0].Plan, s[len(s)-1].Plan
	span := fmt.Sprintf("%s idle at %s, %s at %s", report.Percent(1-lo.Busy), report.JobsPerSecond(lo.JobRate), report.Percent(1-hi.Busy), report.JobsPerSecond(hi.JobRate))
	switch {
	case len(s) < 2:
		return fmt.Sprintf("Headroom: %s idle at %s.", report.Percent(1-lo.Busy), report.JobsPerSecond(lo.JobRate))
	case HeadroomShrinks(rows):
		return "Headroom shrinks as the fleet grows: " + span + "."
	}
	return "Headroom does not shrink steadily over these rates: " + span + "."
}

func targetsText(t queueing.Targets) string {
	var parts []string
	if t.MaxMiss != 0 {
		parts = append(parts, "P(miss) ≤ "+report.Percent(t.MaxMiss))
	}
	if t.MaxWaitProb != 0 {
		parts = append(parts, "P(wait) ≤ "+report.Percent(t.MaxWaitProb))
	}
	if t.MaxMeanWait != 0 {
		parts = append(parts, "mean wait ≤ "+report.Seconds(t.MaxMeanWait))
	}
	if t.MaxWaitOver != 0 {
		// "P(wait > D) ≤ 1%" is "p99 wait ≤ D": say it as people do.
		parts = append(parts, percentileName(100*(1-t.MaxWaitOver))+" wait ≤ "+report.Seconds(t.Deadline))
	}
	if t.MaxUtilization != 0 {
		parts = append(parts, "utilization ≤ "+report.Ratio(t.MaxUtilization))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

func modelNote(s queueing.System) string {
	lat := "fixed latency"
	if s.Service.Norm() == queueing.Exponential {
		lat = "exponential latency"
	}
	if s.Queue.Norm() == queueing.NoQueue {
		return "random arrivals, " + lat + ", no queue (Erlang B)"
	}
	if s.Service.Norm() == queueing.Exponential {
		return "random arrivals, " + lat + ", one unbounded queue (Erlang C)"
	}
	return "random arrivals, " + lat + ", one unbounded queue (exact M/D/c)"
}

// target notes a target and whether it is met; "" when there is none.
func target(ok bool, limit float64, format func(float64) string) string {
	if limit == 0 {
		return ""
	}
	if ok {
		return "target ≤ " + format(limit) + " met"
	}
	return "target ≤ " + format(limit) + " MISSED"
}

// load formats erlangs: "0.8", "12.5", "100,000".
func load(a float64) string {
	if a >= 1000 {
		return report.Count(a)
	}
	return fmt.Sprintf("%.3g", a)
}

// wait formats a mean wait: a duration, or "∞" for an unstable queue.
func wait(s float64) string {
	if math.IsInf(s, 1) {
		return "∞"
	}
	return report.Seconds(s)
}

// percentileName is "p99", "p99.9": the percentile as people write it.
func percentileName(q float64) string {
	return "p" + strconv.FormatFloat(q, 'f', -1, 64)
}

func pluralBoxes(n int) string {
	if n == 1 {
		return "1 box"
	}
	return report.Count(float64(n)) + " boxes"
}
