package report

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/boxes-project/boxes/sim"
)

// SimulationJSON is the JSON form of a scenario's outcome (`boxes simulate
// --format json`). Times are in seconds, rates in jobs per second, money in
// dollars. Results hold the oracle first, then each policy in the
// scenario's order.
type SimulationJSON struct {
	// Document is the complete, normalized scenario (every setting, the
	// defaults filled in): `boxes simulate result.json` runs it again.
	Document json.RawMessage `json:"document,omitempty"`
	// Verdict names the cheapest policy that meets the scenario's
	// objective; absent from results saved by older versions.
	Verdict  *VerdictJSON `json:"verdict,omitempty"`
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
	// The events engine's settings; absent for the fluid engine.
	Engine       string       `json:"engine,omitempty"`
	Replications int          `json:"replications,omitempty"`
	Warmup       *Float       `json:"warmup,omitempty"`
	Jobs         *JobsSetJSON `json:"jobs,omitempty"`
}

// JobsSetJSON is the events engine's jobs block: how latencies are drawn,
// the queue and the value function. Durations in seconds; zero is unset.
type JobsSetJSON struct {
	Latency       string `json:"latency"`                  // fixed, exponential, lognormal or empirical
	Sigma         Float  `json:"sigma,omitempty"`          // lognormal
	Arrivals      string `json:"arrivals"`                 // poisson or trace
	Queue         string `json:"queue"`                    // none, bounded or unbounded
	Capacity      int    `json:"capacity,omitempty"`       // bounded
	Deadline      Float  `json:"deadline,omitempty"`       // seconds a job waits at most
	LateAfter     Float  `json:"late_after,omitempty"`     // response time beyond which a job is late
	CrashLength   int    `json:"crash_length,omitempty"`   // jobs waiting that crash the queue
	CrashRecovery Float  `json:"crash_recovery,omitempty"` // seconds down
	Value         string `json:"value,omitempty"`          // linear, exponential or step
	ValueTime     Float  `json:"value_time,omitempty"`     // its horizon, half-life or deadline
}

// WorkloadJSON summarises the load over the horizon.
type WorkloadJSON struct {
	Jobs        Float `json:"jobs"`
	MeanRate    Float `json:"mean_rate"`
	PeakRate    Float `json:"peak_rate"`
	InitialRate Float `json:"initial_rate"`
	// Source is what was read for the workload: the traffic report of a
	// trace or a live query.
	Source any `json:"source,omitempty"`
}

// ResultJSON is one run.
type ResultJSON struct {
	Policy string `json:"policy"`
	Kind   string `json:"kind"`
	// Engine is the engine that computed the row: "fluid" (time steps)
	// or "events" (every job). EngineNote says why a row of an events
	// run is fluid.
	Engine              string   `json:"engine"`
	EngineNote          string   `json:"engine_note,omitempty"`
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
	ColdStartDelay Float `json:"cold_start_delay,omitempty"`
	// Lambda is, on a serverless platform, its throttles and provisioned
	// concurrency, with the break-even utilization of the latter.
	Lambda *LambdaJSON `json:"lambda,omitempty"`
	// SLO is how the run fares against the scenario's objective.
	SLO *SLOJSON `json:"slo,omitempty"`
	// A box policy's: the seconds it wanted more boxes than its max
	// allowed (time_at_max) or fewer than its min (time_at_min), and what
	// its missed jobs were missed to.
	TimeAtMax *Float      `json:"time_at_max,omitempty"`
	TimeAtMin *Float      `json:"time_at_min,omitempty"`
	Causes    *CausesJSON `json:"causes,omitempty"`
	Series    *SeriesJSON `json:"series,omitempty"`
	// The events engine's: waits and response times of served jobs, the
	// queue, the value delivered, and with replications the number of runs
	// averaged and the 95% confidence half-widths of the means.
	Wait         *TimesJSON `json:"wait,omitempty"`
	Response     *TimesJSON `json:"response,omitempty"`
	Queue        *QueueJSON `json:"queue,omitempty"`
	Value        *ValueJSON `json:"value,omitempty"`
	Replications int        `json:"replications,omitempty"`
	CI95         *CIJSON    `json:"ci95,omitempty"`
}

// LambdaJSON is sim.Lambda: throttles, retries and provisioned concurrency.
type LambdaJSON struct {
	Throttled         Float `json:"throttled"`          // invocations throttled, each attempt
	Retried           Float `json:"retried"`            // throttled invocations sent again
	FunctionDuration  Float `json:"function_duration"`  // seconds a job runs at the function's memory
	OnDemandServed    Float `json:"on_demand_served"`   // jobs run on on-demand environments
	ProvisionedServed Float `json:"provisioned_served"` // jobs run on provisioned concurrency
	ProvisionedPeak   int   `json:"provisioned_peak"`   // most provisioned environments at once
	// ProvisionedGBSeconds is the provisioned concurrency billed and
	// ProvisionedCost its price with the jobs it ran.
	ProvisionedGBSeconds Float `json:"provisioned_gb_seconds"`
	ProvisionedCost      Float `json:"provisioned_cost"`
	// ProvisionedUtilization is the measured share of provisioned time in
	// use; above ProvisionedBreakEvenUtilization it is cheaper than on
	// demand for the same work.
	ProvisionedUtilization          Float `json:"provisioned_utilization"`
	ProvisionedBreakEvenUtilization Float `json:"provisioned_break_even_utilization"`
}

// TimesJSON summarises durations in seconds: the mean, and quantiles within
// 0.4% relative.
type TimesJSON struct {
	Mean Float `json:"mean"`
	P50  Float `json:"p50"`
	P90  Float `json:"p90"`
	P99  Float `json:"p99"`
	P999 Float `json:"p999"`
}

// QueueJSON is how the queue behaved.
type QueueJSON struct {
	WaitProbability Float `json:"wait_probability"` // share of served jobs that waited
	MeanQueued      Float `json:"mean_queued"`      // time-average jobs waiting
	Crashes         *int  `json:"crashes,omitempty"`
	DownSeconds     Float `json:"down_seconds,omitempty"`
}

// ValueJSON is the worth delivered: the sum over served jobs of each one's
// value (in [0, 1], by its response time), and that over the jobs arrived.
type ValueJSON struct {
	Total    Float `json:"total"`
	Fraction Float `json:"fraction"`
}

// CIJSON holds the 95% confidence half-widths of a replicated result's
// means, under the names of the fields they go with.
type CIJSON struct {
	Cost                Float     `json:"cost"`
	IdleCost            Float     `json:"idle_cost"`
	BoxHours            Float     `json:"box_hours"`
	Arrived             Float     `json:"arrived"`
	Served              Float     `json:"served"`
	Missed              Float     `json:"missed"`
	TimedOut            *Float    `json:"timed_out,omitempty"`
	Lost                *Float    `json:"lost,omitempty"`
	Queued              *Float    `json:"queued,omitempty"`
	Late                *Float    `json:"late,omitempty"`
	BusyFraction        Float     `json:"busy_fraction"`
	Utilization         Float     `json:"utilization_mean"`
	SecondsOverCapacity Float     `json:"seconds_over_capacity"`
	Wait                TimesJSON `json:"wait"`
	Response            TimesJSON `json:"response"`
	WaitProbability     Float     `json:"wait_probability"`
	MeanQueued          Float     `json:"mean_queued"`
	Value               *Float    `json:"value,omitempty"`
}

// JobsJSON counts jobs; arrived = served + missed.
type JobsJSON struct {
	Arrived        Float `json:"arrived"`
	Served         Float `json:"served"`
	Missed         Float `json:"missed"`
	MissedFraction Float `json:"missed_fraction"`
	// The events engine's other fates, each present when it can happen:
	// arrived = served + missed + timed_out + lost + queued; late counts
	// served jobs.
	TimedOut *Float `json:"timed_out,omitempty"`
	Lost     *Float `json:"lost,omitempty"`
	Queued   *Float `json:"queued,omitempty"`
	Late     *Float `json:"late,omitempty"`
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
	// The events engine's: mean boxes at work and jobs waiting.
	Busy   []Float `json:"busy,omitempty"`
	Queued []Float `json:"queued,omitempty"`
	// The events engine's wait percentiles of the jobs started in each
	// point, in seconds ("NaN" for a point in which none started).
	WaitP50 []Float `json:"wait_p50,omitempty"`
	WaitP95 []Float `json:"wait_p95,omitempty"`
	WaitP99 []Float `json:"wait_p99,omitempty"`
}

// NewSimulationJSON converts an outcome; series are included when asked.
func NewSimulationJSON(out *sim.Outcome, series bool) SimulationJSON {
	sc := out
	s := sc.Setup
	var j SimulationJSON
	if out.Document != nil {
		if b, err := out.Document.MarshalJSON(); err == nil {
			j.Document = b
		}
	}
	j.Scenario = ScenarioJSON{
		Name: sc.Name, Source: sc.Source,
		Horizon: Float(s.Horizon.Seconds()), Step: Float(s.Step.Seconds()), Seed: sc.Seed,
		Start:   s.Start.Format(time.RFC3339),
		Latency: Float(s.Box.Latency.Seconds()), PricePerHour: Float(s.Box.Price.PerHour()),
		Boot: Float(s.Boot.Seconds()), Drain: Float(s.Drain.Seconds()),
		OracleUtilization: Float(sc.OracleUtilization),
	}
	j.Scenario.Billing.Increment = Float(s.Billing.Increment.Seconds())
	j.Scenario.Billing.Minimum = Float(s.Billing.Minimum.Seconds())
	j.Workload = WorkloadJSON{Jobs: Float(out.Stats.Jobs), MeanRate: Float(out.Stats.Mean), PeakRate: Float(out.Stats.Peak), InitialRate: Float(out.Stats.Initial), Source: out.WorkloadSource}
	latency := s.Box.Latency.Seconds()
	if sc.Engine == EngineEvents {
		j.Scenario.Engine = sc.Engine
		j.Scenario.Replications = max(1, sc.Replications)
		w := Float(sc.Jobs.Warmup.Seconds())
		j.Scenario.Warmup = &w
		j.Scenario.Jobs = newJobsSetJSON(sc.Jobs)
	}
	j.Results = append(j.Results, newResultJSON("oracle", "oracle", out.Oracle, latency, series))
	for _, r := range out.Runs {
		rj := newResultJSON(r.Name, r.Kind, r.Result, latency, series)
		addLimits(&rj, r.Limits)
		if r.Result.Queueing == nil && sc.Engine == EngineEvents {
			rj.EngineNote = fluidNote(r.Kind)
		}
		if r.Result.Queueing != nil {
			addEventsJSON(&rj, r.Result, sc.Jobs)
		}
		j.Results = append(j.Results, rj)
	}
	if sc.Engine == EngineEvents {
		j.Results[0].EngineNote = fluidNote("oracle")
	}
	addVerdict(&j, out)
	return j
}

func newJobsSetJSON(c sim.JobsConfig) *JobsSetJSON {
	j := &JobsSetJSON{Latency: string(c.Latency.Distribution), Sigma: Float(c.Latency.Sigma), Arrivals: "poisson",
		Queue: string(c.Queue.Kind), Capacity: c.Queue.Capacity,
		Deadline: Float(c.Queue.Deadline.Seconds()), LateAfter: Float(c.Queue.LateAfter.Seconds()),
		CrashLength: c.Queue.Crash.Length, CrashRecovery: Float(c.Queue.Crash.Recovery.Seconds()),
		Value: string(c.Value.Kind), ValueTime: Float((c.Value.Horizon + c.Value.HalfLife + c.Value.Deadline).Seconds()),
	}
	if j.Latency == "" {
		j.Latency = string(sim.Fixed)
	}
	if j.Queue == "" {
		j.Queue = string(sim.NoQueue)
	}
	if c.Arrivals != nil {
		j.Arrivals = "trace"
	}
	return j
}

func float(x float64) *Float { f := Float(x); return &f }

func timesJSON(t sim.Times) TimesJSON {
	return TimesJSON{Mean: Float(t.Mean), P50: Float(t.P50), P90: Float(t.P90), P99: Float(t.P99), P999: Float(t.P999)}
}

// addEventsJSON adds what the events engine measured, each field when its
// setting makes it apply.
func addEventsJSON(j *ResultJSON, r *sim.Result, c sim.JobsConfig) {
	q := r.Queueing
	hasQueue := c.Queue.Kind == sim.Bounded || c.Queue.Kind == sim.Unbounded
	if c.Queue.Deadline > 0 {
		j.Jobs.TimedOut = float(r.Jobs.TimedOut)
	}
	if c.Queue.Crash.Length > 0 {
		j.Jobs.Lost = float(r.Jobs.Lost)
	}
	if hasQueue {
		j.Jobs.Queued = float(r.Jobs.Queued)
	}
	if c.Queue.LateAfter > 0 {
		j.Jobs.Late = float(r.Jobs.Late)
	}
	w, rt := timesJSON(q.Wait), timesJSON(q.Response)
	j.Wait, j.Response = &w, &rt
	j.Queue = &QueueJSON{WaitProbability: Float(q.WaitProbability), MeanQueued: Float(q.MeanQueued)}
	if c.Queue.Crash.Length > 0 {
		crashes := q.Crashes
		j.Queue.Crashes, j.Queue.DownSeconds = &crashes, Float(q.DownSeconds)
	}
	if c.Value.Kind != sim.NoValue {
		j.Value = &ValueJSON{Total: Float(q.Value), Fraction: Float(q.ValueFraction)}
	}
	if r.Replications > 1 && r.CI != nil {
		ci := r.CI
		j.Replications = r.Replications
		j.CI95 = &CIJSON{
			Cost: Float(ci.Cost), IdleCost: Float(ci.IdleCost), BoxHours: Float(ci.BoxHours),
			Arrived: Float(ci.Arrived), Served: Float(ci.Served), Missed: Float(ci.Missed),
			BusyFraction: Float(ci.BusyFraction), Utilization: Float(ci.Utilization),
			SecondsOverCapacity: Float(ci.SecondsOverCapacity),
			Wait:                timesJSON(ci.Wait), Response: timesJSON(ci.Response),
			WaitProbability: Float(ci.WaitProbability), MeanQueued: Float(ci.MeanQueued),
		}
		if j.Jobs.TimedOut != nil {
			j.CI95.TimedOut = float(ci.TimedOut)
		}
		if j.Jobs.Lost != nil {
			j.CI95.Lost = float(ci.Lost)
		}
		if j.Jobs.Queued != nil {
			j.CI95.Queued = float(ci.Queued)
		}
		if j.Jobs.Late != nil {
			j.CI95.Late = float(ci.Late)
		}
		if j.Value != nil {
			j.CI95.Value = float(ci.Value)
		}
	}
}

func newResultJSON(name, kind string, r *sim.Result, latency float64, series bool) ResultJSON {
	engine := EngineFluid
	if r.Engine == EngineEvents {
		engine = EngineEvents
	}
	j := ResultJSON{
		Policy: name, Kind: kind, Engine: engine,
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
	if l := r.Lambda; l != nil {
		j.Lambda = &LambdaJSON{
			Throttled: Float(l.Throttled), Retried: Float(l.Retried), FunctionDuration: Float(l.FunctionDuration),
			OnDemandServed: Float(l.OnDemandServed), ProvisionedServed: Float(l.ProvisionedServed), ProvisionedPeak: l.ProvisionedPeak,
			ProvisionedGBSeconds: Float(l.ProvisionedGBSeconds), ProvisionedCost: Float(l.ProvisionedCost),
			ProvisionedUtilization: Float(l.ProvisionedUtilization), ProvisionedBreakEvenUtilization: Float(l.ProvisionedBreakEvenUtilization),
		}
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
	j := &SeriesJSON{
		Interval: Float(s.Interval), Time: floats(s.Time), JobRate: floats(s.JobRate), Throughput: th,
		Served: floats(s.Served), Missed: floats(s.Missed), Ready: floats(s.Ready), Booting: floats(s.Booting),
		Utilization: floats(s.Utilization), Cost: floats(s.Cost),
	}
	if s.Busy != nil {
		j.Busy, j.Queued = floats(s.Busy), floats(s.Queued)
	}
	if s.WaitP50 != nil {
		j.WaitP50, j.WaitP95, j.WaitP99 = floats(s.WaitP50), floats(s.WaitP95), floats(s.WaitP99)
	}
	return j
}

// WriteSimulationJSON writes the outcome as indented JSON.
func WriteSimulationJSON(w io.Writer, out *sim.Outcome, series bool) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(NewSimulationJSON(out, series))
}

// EngineEvents is the name of the per-job engine in a result.
const EngineEvents = "events"

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
func WriteSimulation(w io.Writer, out *sim.Outcome) error {
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
	if j.Verdict != nil {
		fmt.Fprintf(w, "%s\n\n", j.Verdict.Text)
	}
	fmt.Fprintf(w, "%s: %s in %s steps; jobs take %s on a box at %s/h, boot %s, %s billing\n",
		title, Seconds(float64(sc.Horizon)), Seconds(float64(sc.Step)), Seconds(float64(sc.Latency)),
		Money(float64(sc.PricePerHour)), Seconds(float64(sc.Boot)), BillingName(float64(sc.Billing.Increment), float64(sc.Billing.Minimum)))
	fmt.Fprintf(w, "%s jobs arrived: %s on average, %s at the peak\n\n",
		Count(float64(j.Workload.Jobs)), JobsPerSecond(float64(j.Workload.MeanRate)), JobsPerSecond(float64(j.Workload.PeakRate)))
	// Right-aligned numbers; names padded by hand so they stay on the left.
	width := len("policy")
	for _, r := range j.Results {
		width = max(width, len(r.Policy))
	}
	if sc.Jobs != nil {
		fmt.Fprintf(w, "%s\n\n", eventsLine(sc))
	}
	// The events engine's columns, each when some run has it.
	cols := optionalColumns(&j)
	var head strings.Builder
	for _, c := range cols {
		head.WriteString(c.name + "\t")
	}
	extra := func(r ResultJSON) string {
		var b strings.Builder
		for _, c := range cols {
			b.WriteString(c.cell(r) + "\t")
		}
		return b.String()
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "%-*s\tengine\tobjective\tcost\tvs oracle\tmissed jobs\tmissed\t%sutilization\tp95\tover capacity\tbox-hours\t\n", width, "policy", head.String())
	for _, i := range rowOrder(&j) {
		r := j.Results[i]
		fmt.Fprintf(tw, "%-*s\t%s\t%s\t%s\t%s\t%s\t%s\t%s%s\t%s\t%s\t%s\t\n",
			width, r.Policy, engineOf(r), objectiveCell(r), Money(float64(r.Cost)), vsOracleCell(r), Count(float64(r.Jobs.Missed)), Percent(float64(r.Jobs.MissedFraction)),
			extra(r), Ratio(float64(r.Utilization.Mean)), Ratio(float64(r.Utilization.P95)),
			Seconds(float64(r.SecondsOverCapacity)), strconv.FormatFloat(float64(r.BoxHours), 'f', 1, 64))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "\n%s\n", oracleLine(float64(sc.OracleUtilization)))
	if line := serverlessLine(&j); line != "" {
		fmt.Fprintln(w, line)
	}
	if line := unmeasuredLine(&j); line != "" {
		fmt.Fprintln(w, line)
	}
	fmt.Fprintln(w, "Utilization is job rate / throughput of the ready boxes (environments for serverless), over time.")
	if line := engineNotes(&j); line != "" {
		fmt.Fprintln(w, line)
	}
	if sc.Replications > 1 {
		fmt.Fprintf(w, "Each policy's numbers are means of %d replications; --format json has their 95%% confidence intervals.\n", sc.Replications)
	}
	return nil
}

// optionalColumn is a column of the comparison table that only some runs
// have (the events engine's): its heading and a run's cell ("-" for a run
// without it).
type optionalColumn struct {
	name string
	cell func(r ResultJSON) string
}

// optionalColumns are the columns the runs of j call for: timed out, lost,
// p99 wait and value, each only when some run has it.
func optionalColumns(j *SimulationJSON) []optionalColumn {
	var timedOut, lost, wait, value bool
	for _, r := range j.Results {
		timedOut = timedOut || r.Jobs.TimedOut != nil
		lost = lost || r.Jobs.Lost != nil
		wait = wait || r.Wait != nil
		value = value || r.Value != nil
	}
	frac := func(r ResultJSON, x *Float) string {
		if x == nil || r.Jobs.Arrived <= 0 {
			return "-"
		}
		return Percent(float64(*x) / float64(r.Jobs.Arrived))
	}
	var cols []optionalColumn
	if timedOut {
		cols = append(cols, optionalColumn{"timed out", func(r ResultJSON) string { return frac(r, r.Jobs.TimedOut) }})
	}
	if lost {
		cols = append(cols, optionalColumn{"lost", func(r ResultJSON) string { return frac(r, r.Jobs.Lost) }})
	}
	if wait {
		// Beside the wait, the share of jobs that waited: a row never
		// reads "missed 0%" beside a long wait without saying so.
		cols = append(cols, optionalColumn{"waited", func(r ResultJSON) string {
			if r.Queue == nil {
				return "-"
			}
			return Percent(float64(r.Queue.WaitProbability))
		}})
		cols = append(cols, optionalColumn{"p99 wait", func(r ResultJSON) string {
			if r.Wait == nil {
				return "-"
			}
			return Seconds(float64(r.Wait.P99))
		}})
	}
	if value {
		cols = append(cols, optionalColumn{"value", func(r ResultJSON) string {
			if r.Value == nil {
				return "-"
			}
			return Percent(float64(r.Value.Fraction))
		}})
	}
	return cols
}

// eventsLine describes the events engine's settings in a sentence.
func eventsLine(sc ScenarioJSON) string {
	j := sc.Jobs
	var b strings.Builder
	b.WriteString("per-job engine: ")
	if j.Arrivals == "trace" {
		b.WriteString("arrivals from the trace, ")
	} else {
		b.WriteString("Poisson arrivals, ")
	}
	b.WriteString(j.Latency + " latency, ")
	switch j.Queue {
	case "none":
		b.WriteString("no queue")
	case "bounded":
		fmt.Fprintf(&b, "a queue of %d", j.Capacity)
	default:
		b.WriteString("an unbounded queue")
	}
	if j.Deadline > 0 {
		b.WriteString(", deadline " + Seconds(float64(j.Deadline)))
	}
	if j.LateAfter > 0 {
		b.WriteString(", late after " + Seconds(float64(j.LateAfter)))
	}
	if j.CrashLength > 0 {
		fmt.Fprintf(&b, ", crashing at %d waiting for %s", j.CrashLength, Seconds(float64(j.CrashRecovery)))
	}
	if j.Value != "" {
		fmt.Fprintf(&b, ", %s value over %s", j.Value, Seconds(float64(j.ValueTime)))
	}
	if sc.Warmup != nil && *sc.Warmup > 0 {
		b.WriteString("; warm-up " + Seconds(float64(*sc.Warmup)))
	}
	if sc.Replications > 1 {
		fmt.Fprintf(&b, "; %d replications", sc.Replications)
	}
	return b.String()
}

// BillingName says in words how a scenario's billing rounds a box's time
// ("per-second", "per-hour", "exact"), with its minimum.
func BillingName(increment, minimum float64) string {
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

// csvEventsHeader are the columns the events engine adds to the summary.
var csvEventsHeader = []string{"timed_out", "lost", "queued", "late",
	"wait_mean", "wait_p50", "wait_p90", "wait_p99", "wait_p999",
	"response_mean", "response_p50", "response_p90", "response_p99", "response_p999",
	"wait_probability", "mean_queued", "value", "value_fraction", "replications"}

// WriteSimulationCSV writes one row per run with the summary fields; with
// series, it writes the time series instead, one row per run and point.
func WriteSimulationCSV(w io.Writer, out *sim.Outcome, series bool) error {
	j := NewSimulationJSON(out, series)
	cw := csv.NewWriter(w)
	// A number that is not finite is an empty cell (never "NaN", "+Inf" or
	// JSON's null).
	f := func(x Float) string {
		if b, _ := x.MarshalJSON(); string(b) != "null" {
			return string(b)
		}
		return ""
	}
	// The events engine adds columns at the end; runs it did not make
	// (the oracle, serverless) leave them empty.
	events := j.Scenario.Engine == EngineEvents
	opt := func(x *Float) string {
		if x == nil {
			return ""
		}
		return f(*x)
	}
	if series {
		head := []string{"policy", "time", "job_rate", "throughput", "served", "missed", "ready", "booting", "utilization", "cost"}
		if events {
			head = append(head, "busy", "queued")
		}
		cw.Write(head)
		for _, r := range j.Results {
			s := r.Series
			for i := range s.Time {
				row := []string{r.Policy, f(s.Time[i]), f(s.JobRate[i]), f(s.Throughput[i]), f(s.Served[i]), f(s.Missed[i]),
					f(s.Ready[i]), f(s.Booting[i]), f(s.Utilization[i]), f(s.Cost[i])}
				if events {
					busy, queued := "", ""
					if s.Busy != nil {
						busy, queued = f(s.Busy[i]), f(s.Queued[i])
					}
					row = append(row, busy, queued)
				}
				cw.Write(row)
			}
		}
	} else {
		head := csvHeader
		if events {
			head = append(slices.Clone(csvHeader), csvEventsHeader...)
		}
		cw.Write(head)
		for _, r := range j.Results {
			row := []string{r.Policy, r.Kind, f(r.Cost), f(r.OracleCost), f(r.CostVsOracle), f(r.Efficiency), f(r.IdleCost),
				f(r.CostPerMillion), f(r.Jobs.Arrived), f(r.Jobs.Served), f(r.Jobs.Missed), f(r.Jobs.MissedFraction),
				f(r.Utilization.Mean), f(r.Utilization.P50), f(r.Utilization.P95), f(r.Utilization.Max),
				f(r.BusyFraction), f(r.SecondsOverCapacity), f(r.BoxHours), strconv.Itoa(r.BoxStarts), strconv.Itoa(r.PeakBoxes)}
			if events {
				ev := make([]string, len(csvEventsHeader))
				if r.Wait != nil {
					ev = []string{opt(r.Jobs.TimedOut), opt(r.Jobs.Lost), opt(r.Jobs.Queued), opt(r.Jobs.Late),
						f(r.Wait.Mean), f(r.Wait.P50), f(r.Wait.P90), f(r.Wait.P99), f(r.Wait.P999),
						f(r.Response.Mean), f(r.Response.P50), f(r.Response.P90), f(r.Response.P99), f(r.Response.P999),
						f(r.Queue.WaitProbability), f(r.Queue.MeanQueued), "", "", strconv.Itoa(max(1, r.Replications))}
					if r.Value != nil {
						ev[16], ev[17] = f(r.Value.Total), f(r.Value.Fraction)
					}
				}
				row = append(row, ev...)
			}
			cw.Write(row)
		}
	}
	cw.Flush()
	return cw.Error()
}

// Check reports a series whose columns are not all as long as its times,
// which a hand-edited or truncated result may have; nil is fine (no
// series).
func (s *SeriesJSON) Check() error {
	if s == nil {
		return nil
	}
	n := len(s.Time)
	for _, c := range []struct {
		name string
		col  []Float
	}{{"job_rate", s.JobRate}, {"throughput", s.Throughput}, {"served", s.Served}, {"missed", s.Missed},
		{"ready", s.Ready}, {"booting", s.Booting}, {"utilization", s.Utilization}, {"cost", s.Cost}} {
		if len(c.col) != n {
			return fmt.Errorf("series %s has %d values for %d times", c.name, len(c.col), n)
		}
	}
	if n > 0 && !(s.Interval > 0) {
		return fmt.Errorf("series interval %g must be positive", float64(s.Interval))
	}
	return nil
}
