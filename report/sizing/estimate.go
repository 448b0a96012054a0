package sizing

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/boxes-project/boxes"
	"github.com/boxes-project/boxes/report"
)

// EstimateJSON is the JSON form of a boxes.Estimate (`boxes calc --format
// json`). Times are in seconds, rates in jobs per second, money in dollars.
type EstimateJSON struct {
	Latency                      report.Float `json:"latency"`
	Capacity                     int          `json:"capacity"`
	JobRate                      report.Float `json:"job_rate"`
	Throughput                   report.Float `json:"throughput"`
	Utilization                  report.Float `json:"utilization"`
	MissedRate                   report.Float `json:"missed_rate"`
	FullUse                      bool         `json:"full_use,omitempty"`
	TargetUtilization            report.Float `json:"target_utilization,omitempty"`
	CapacityNeeded               int          `json:"capacity_needed,omitempty"`
	CostPerHour                  report.Float `json:"cost_per_hour"`
	CostPerMillionJobs           report.Float `json:"cost_per_million_jobs"`
	ServerlessCostPerMillionJobs report.Float `json:"serverless_cost_per_million_jobs"`
	ServerlessMarkup             report.Float `json:"serverless_markup"`
	BreakEvenUtilization         report.Float `json:"break_even_utilization"`
}

// NewEstimateJSON converts e to its JSON form.
func NewEstimateJSON(e boxes.Estimate) EstimateJSON {
	return EstimateJSON{
		Latency:                      report.Float(e.Latency),
		Capacity:                     e.Capacity,
		JobRate:                      report.Float(e.JobRate),
		Throughput:                   report.Float(e.Throughput),
		Utilization:                  report.Float(e.Utilization),
		MissedRate:                   report.Float(e.Missed),
		FullUse:                      e.FullUse,
		TargetUtilization:            report.Float(e.Target),
		CapacityNeeded:               e.CapacityNeeded,
		CostPerHour:                  report.Float(e.CostPerHour),
		CostPerMillionJobs:           report.Float(e.CostPerMillionJobs),
		ServerlessCostPerMillionJobs: report.Float(e.ServerlessCostPerMillionJobs),
		ServerlessMarkup:             report.Float(e.ServerlessMarkup),
		BreakEvenUtilization:         report.Float(e.BreakEvenUtilization),
	}
}

// WriteEstimateJSON writes e as one indented JSON object.
func WriteEstimateJSON(w io.Writer, e boxes.Estimate) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(NewEstimateJSON(e))
}

// WriteEstimate writes e as lines a person reads at a glance.
func WriteEstimate(w io.Writer, e boxes.Estimate) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	row := func(name, value, note string) { fmt.Fprintf(tw, "%s\t%s\t%s\n", name, value, note) }
	row("latency", report.Seconds(e.Latency), "one job on one box")
	row("capacity", boxCount(e.Capacity), "")
	row("throughput", report.JobsPerSecond(e.Throughput), "capacity / latency")
	if e.FullUse {
		row("job rate", report.JobsPerSecond(e.JobRate), "none given: the most the boxes serve, every box busy")
	} else {
		row("job rate", report.JobsPerSecond(e.JobRate), "")
	}
	note := "job rate / throughput"
	switch {
	case e.Utilization > 1:
		note += fmt.Sprintf("; over 1: %s missed", report.JobsPerSecond(e.Missed))
	case e.Utilization < 1:
		note += fmt.Sprintf("; %.0f%% of the boxes' time is idle", 100*(1-e.Utilization))
	}
	row("utilization", report.Ratio(e.Utilization), note)
	if e.Target > 0 {
		row("capacity needed", boxCount(e.CapacityNeeded), "for utilization "+report.Ratio(e.Target))
	}
	row("cost", report.Money(e.CostPerHour)+"/h", report.Money(e.CostPerHour*730)+" per month of 730 hours")
	row("cost per million jobs", report.Money(e.CostPerMillionJobs), "jobs served")
	row("serverless, same jobs", report.Money(e.ServerlessCostPerMillionJobs), "per million jobs")
	row("serverless markup", fmt.Sprintf("×%.3g", e.ServerlessMarkup), "per job, against a box that is never idle")
	be := "boxes are cheaper above it, serverless below"
	if e.BreakEvenUtilization > 1 {
		be = "above 1: serverless is cheaper even for boxes that are never idle"
	}
	row("break-even utilization", report.Ratio(e.BreakEvenUtilization), be)
	return tw.Flush()
}

// boxCount is "1 box" or "N boxes".
func boxCount(n int) string {
	if n == 1 {
		return "1 box"
	}
	return fmt.Sprintf("%d boxes", n)
}
