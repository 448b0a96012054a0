package report

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/boxes-project/boxes/scenario"
	"github.com/boxes-project/boxes/sim"
)

// SimulationJSON is the JSON form of a scenario's outcome (`boxes simulate
// --format json`). Times are in seconds, rates in jobs per second, money in
// dollars. Results hold the oracle first, then each policy in the
// scenario's order.
type SimulationJSON struct {
	Scenario ScenarioJSON `json:"scenario"`
	Workload WorkloadJSON `json:"workload"`
	Results  []ResultJSON `json:"results"`
}

// ScenarioJSON describes the run's setup.
type ScenarioJSON struct {
	Name         string `json:"name,omitempty"`
	Source       string `json:"source,omitempty"`
	Horizon      Float  `json:"horizon"`
	Step         Float  `json:"step"`
	Seed         uint64 `json:"seed"`
	Start        string `json:"start"`
	Latency      Float  `json:"latency"`
	PricePerHour Float  `json:"price_per_hour"`
	Boot         Float  `json:"boot"`
	Drain        Float  `json:"drain"`
	Billing      struct {
		Increment Float `json:"increment"`
		Minimum   Float `json:"minimum"`
	} `json:"billing"`
	OracleUtilization Float `json:"oracle_utilization"`
}

// WorkloadJSON summarises the load over the horizon.
type WorkloadJSON struct {
	Jobs        Float `json:"jobs"`
	MeanRate    Float `json:"mean_rate"`
	PeakRate    Float `json:"peak_rate"`
	InitialRate Float `json:"initial_rate"`
}

// ResultJSON is one run.
type ResultJSON struct {
	Policy              string   `json:"policy"`
	Kind                string   `json:"kind"`
	Cost                Float    `json:"cost"`
	OracleCost          Float    `json:"oracle_cost"`
	CostVsOracle        Float    `json:"cost_vs_oracle"`
	Efficiency          Float    `json:"efficiency"`
	IdleCost            Float    `json:"idle_cost"`
	CostPerMillion      Float    `json:"cost_per_million"`
	Jobs                JobsJSON `json:"jobs"`
	Utilization         DistJSON `json:"utilization"`
	BusyFraction        Float    `json:"busy_fraction"`
	SecondsOverCapacity Float    `json:"seconds_over_capacity"`
	BoxHours            Float    `json:"box_hours"`
	BoxStarts           int      `json:"box_starts"`
	PeakBoxes           int      `json:"peak_boxes"`
	// ColdStartDelay is, on a serverless platform, the mean seconds a
	// served job waited for its environment to start.
	ColdStartDelay Float       `json:"cold_start_delay,omitempty"`
	Series         *SeriesJSON `json:"series,omitempty"`
}

// JobsJSON counts jobs; arrived = served + missed.
type JobsJSON struct {
	Arrived        Float `json:"arrived"`
	Served         Float `json:"served"`
	Missed         Float `json:"missed"`
	MissedFraction Float `json:"missed_fraction"`
}

// DistJSON is a time-weighted distribution.
type DistJSON struct {
	Mean Float `json:"mean"`
	P50  Float `json:"p50"`
	P95  Float `json:"p95"`
	Max  Float `json:"max"`
}

// SeriesJSON is a run's time series in columns: point i covers
// [time[i], time[i] + interval).
type SeriesJSON struct {
	Interval    Float   `json:"interval"`
	Time        []Float `json:"time"`
	JobRate     []Float `json:"job_rate"`
	Throughput  []Float `json:"throughput"`
	Served      []Float `json:"served"`
	Missed      []Float `json:"missed"`
	Ready       []Float `json:"ready"`
	Booting     []Float `json:"booting"`
	Utilization []Float `json:"utilization"`
	Cost        []Float `json:"cost"`
}

// NewSimulationJSON converts an outcome; series are included when asked.
func NewSimulationJSON(out *scenario.Outcome, series bool) SimulationJSON {
	sc := out.Scenario
	s := sc.Setup
	var j SimulationJSON
	j.Scenario = ScenarioJSON{
		Name: sc.Name, Source: sc.Source,
		Horizon: Float(s.Horizon.Seconds()), Step: Float(s.Step.Seconds()), Seed: sc.Seed,
		Start:   s.Start.Format(time.RFC3339),
		Latency: Float(s.Box.Latency.Seconds()), PricePerHour: Float(s.Box.Price.PerHour()),
		Boot: Float(s.Boot.Seconds()), Drain: Float(s.Drain.Seconds()),
		OracleUtilization: Float(sc.Oracle),
	}
	j.Scenario.Billing.Increment = Float(s.Billing.Increment.Seconds())
	j.Scenario.Billing.Minimum = Float(s.Billing.Minimum.Seconds())
	j.Workload = WorkloadJSON{Jobs: Float(out.Stats.Jobs), MeanRate: Float(out.Stats.Mean), PeakRate: Float(out.Stats.Peak), InitialRate: Float(out.Stats.Initial)}
	latency := s.Box.Latency.Seconds()
	j.Results = append(j.Results, newResultJSON("oracle", "oracle", out.Oracle, latency, series))
	for _, r := range out.Runs {
		j.Results = append(j.Results, newResultJSON(r.Policy.Name, r.Policy.Kind, r.Result, latency, series))
	}
	return j
}

func newResultJSON(name, kind string, r *sim.Result, latency float64, series bool) ResultJSON {
	j := ResultJSON{
		Policy: name, Kind: kind,
		Cost: Float(r.Cost), OracleCost: Float(r.OracleCost), Efficiency: Float(r.Efficiency()),
		IdleCost: Float(r.IdleCost), CostPerMillion: Float(r.CostPerMillion()),
		Jobs: JobsJSON{
			Arrived: Float(r.Jobs.Arrived), Served: Float(r.Jobs.Served), Missed: Float(r.Jobs.Missed),
			MissedFraction: Float(r.Jobs.MissedFraction()),
		},
		Utilization:         DistJSON{Mean: Float(r.Utilization.Mean), P50: Float(r.Utilization.P50), P95: Float(r.Utilization.P95), Max: Float(r.Utilization.Max)},
		BusyFraction:        Float(r.BusyFraction),
		SecondsOverCapacity: Float(r.SecondsOverCapacity),
		BoxHours:            Float(r.BoxHours),
		BoxStarts:           r.BoxStarts,
		PeakBoxes:           r.PeakBoxes,
		ColdStartDelay:      Float(r.ColdStartDelay),
	}
	if r.OracleCost > 0 {
		j.CostVsOracle = Float(r.Cost / r.OracleCost)
	}
	if series {
		j.Series = newSeriesJSON(&r.Series, latency)
	}
	return j
}

func floats(xs []float64) []Float {
	out := make([]Float, len(xs))
	for i, x := range xs {
		out[i] = Float(x)
	}
	return out
}

func newSeriesJSON(s *sim.Series, latency float64) *SeriesJSON {
	th := make([]Float, len(s.Ready))
	for i, r := range s.Ready {
		th[i] = Float(r / latency)
	}
	return &SeriesJSON{
		Interval: Float(s.Interval), Time: floats(s.Time), JobRate: floats(s.JobRate), Throughput: th,
		Served: floats(s.Served), Missed: floats(s.Missed), Ready: floats(s.Ready), Booting: floats(s.Booting),
		Utilization: floats(s.Utilization), Cost: floats(s.Cost),
	}
}

// WriteSimulationJSON writes the outcome as indented JSON.
func WriteSimulationJSON(w io.Writer, out *scenario.Outcome, series bool) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(NewSimulationJSON(out, series))
}

// ReadSimulationJSON reads what WriteSimulationJSON writes.
func ReadSimulationJSON(r io.Reader) (*SimulationJSON, error) {
	var j SimulationJSON
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&j); err != nil {
		return nil, fmt.Errorf("report: reading a simulation result: %w", err)
	}
	if len(j.Results) == 0 {
		return nil, fmt.Errorf("report: the simulation result has no results")
	}
	return &j, nil
}

// WriteSimulation writes the outcome as a table a person reads at a glance:
// one row per policy, the oracle first.
func WriteSimulation(w io.Writer, out *scenario.Outcome) error {
	return WriteSimulationTable(w, NewSimulationJSON(out, false))
}

// WriteSimulationTable writes the table from the JSON form, so that a saved
// result prints the same as a fresh one.
func WriteSimulationTable(w io.Writer, j SimulationJSON) error {
	sc := j.Scenario
	title := sc.Name
	if title == "" {
		title = "scenario"
	}
	fmt.Fprintf(w, "%s: %s in %s steps; jobs take %s on a box at %s/h, boot %s, %s billing\n",
		title, Seconds(float64(sc.Horizon)), Seconds(float64(sc.Step)), Seconds(float64(sc.Latency)),
		Money(float64(sc.PricePerHour)), Seconds(float64(sc.Boot)), billingName(float64(sc.Billing.Increment), float64(sc.Billing.Minimum)))
	fmt.Fprintf(w, "%s jobs arrived: %s on average, %s at the peak\n\n",
		Count(float64(j.Workload.Jobs)), JobsPerSecond(float64(j.Workload.MeanRate)), JobsPerSecond(float64(j.Workload.PeakRate)))
	// Right-aligned numbers; names padded by hand so they stay on the left.
	width := len("policy")
	for _, r := range j.Results {
		width = max(width, len(r.Policy))
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "%-*s\tcost\tvs oracle\tmissed jobs\tmissed\tutilization\tp95\tover capacity\tbox-hours\t\n", width, "policy")
	for _, r := range j.Results {
		vs := "×" + strconv.FormatFloat(float64(r.CostVsOracle), 'f', 2, 64)
		if r.CostVsOracle == 0 {
			vs = "n/a"
		}
		fmt.Fprintf(tw, "%-*s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n",
			width, r.Policy, Money(float64(r.Cost)), vs, Count(float64(r.Jobs.Missed)), Percent(float64(r.Jobs.MissedFraction)),
			Ratio(float64(r.Utilization.Mean)), Ratio(float64(r.Utilization.P95)),
			Seconds(float64(r.SecondsOverCapacity)), strconv.FormatFloat(float64(r.BoxHours), 'f', 1, 64))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nThe oracle boots exactly the boxes each second needs at utilization %s, just in time: no way\nof scaling boxes that misses no job costs less (serverless bills per job, not per box).\nUtilization is job rate / throughput of the ready boxes (environments for serverless), over time.\n",
		Ratio(float64(sc.OracleUtilization)))
	return nil
}

func billingName(increment, minimum float64) string {
	var b strings.Builder
	switch increment {
	case 0:
		b.WriteString("exact")
	case 1:
		b.WriteString("per-second")
	case 3600:
		b.WriteString("per-hour")
	default:
		b.WriteString("per-" + Seconds(increment))
	}
	if minimum > 0 {
		b.WriteString(", " + Seconds(minimum) + " minimum,")
	}
	return b.String()
}

var csvHeader = []string{"policy", "kind", "cost", "oracle_cost", "cost_vs_oracle", "efficiency", "idle_cost",
	"cost_per_million", "arrived", "served", "missed", "missed_fraction", "utilization_mean",
	"utilization_p50", "utilization_p95", "utilization_max", "busy_fraction", "seconds_over_capacity",
	"box_hours", "box_starts", "peak_boxes"}

// WriteSimulationCSV writes one row per run with the summary fields; with
// series, it writes the time series instead, one row per run and point.
func WriteSimulationCSV(w io.Writer, out *scenario.Outcome, series bool) error {
	j := NewSimulationJSON(out, series)
	cw := csv.NewWriter(w)
	f := func(x Float) string { b, _ := x.MarshalJSON(); return strings.Trim(string(b), `"`) }
	if series {
		cw.Write([]string{"policy", "time", "job_rate", "throughput", "served", "missed", "ready", "booting", "utilization", "cost"})
		for _, r := range j.Results {
			s := r.Series
			for i := range s.Time {
				cw.Write([]string{r.Policy, f(s.Time[i]), f(s.JobRate[i]), f(s.Throughput[i]), f(s.Served[i]), f(s.Missed[i]),
					f(s.Ready[i]), f(s.Booting[i]), f(s.Utilization[i]), f(s.Cost[i])})
			}
		}
	} else {
		cw.Write(csvHeader)
		for _, r := range j.Results {
			cw.Write([]string{r.Policy, r.Kind, f(r.Cost), f(r.OracleCost), f(r.CostVsOracle), f(r.Efficiency), f(r.IdleCost),
				f(r.CostPerMillion), f(r.Jobs.Arrived), f(r.Jobs.Served), f(r.Jobs.Missed), f(r.Jobs.MissedFraction),
				f(r.Utilization.Mean), f(r.Utilization.P50), f(r.Utilization.P95), f(r.Utilization.Max),
				f(r.BusyFraction), f(r.SecondsOverCapacity), f(r.BoxHours), strconv.Itoa(r.BoxStarts), strconv.Itoa(r.PeakBoxes)})
		}
	}
	cw.Flush()
	return cw.Error()
}
