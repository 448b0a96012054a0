package web

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strings"
	"time"

	"github.com/boxes-project/boxes"
	"github.com/boxes-project/boxes/policy"
	"github.com/boxes-project/boxes/report"
	"github.com/boxes-project/boxes/scenario"
	"github.com/boxes-project/boxes/sim"
	"github.com/boxes-project/boxes/workload"
)

// SimulateRequest is the body of POST /api/simulate: the page's controls.
// Durations and prices are written as people write them ("200ms",
// "$0.10/h"); empty strings take the defaults of the embedded scenario.
type SimulateRequest struct {
	Workload WorkloadRequest `json:"workload"`
	Horizon  string          `json:"horizon"` // default "24h"
	Step     string          `json:"step"`    // default "1s"
	Latency  string          `json:"latency"` // default "200ms"
	Price    string          `json:"price"`   // default "$0.10/h"
	Boot     string          `json:"boot"`    // default "90s"
	Policy   PolicyRequest   `json:"policy"`
	// Engine is "fluid" (the default: the seed's model in steps) or
	// "events" (every job, with random arrivals). For events, JobLatency is
	// "fixed" (default) or "exponential", Queue "none" (default) or
	// "unbounded", and Deadline, when set, the longest wait in the queue.
	Engine     string `json:"engine"`
	JobLatency string `json:"job_latency"`
	Queue      string `json:"queue"`
	Deadline   string `json:"deadline"`
}

// WorkloadRequest is a preset by name, or a trace CSV's text (which wins),
// repeated to fill the horizon.
type WorkloadRequest struct {
	Preset    string `json:"preset"`
	Seed      uint64 `json:"seed"`
	Trace     string `json:"trace"`
	TraceName string `json:"trace_name"`
}

// PolicyRequest is the policy to compare with the oracle and its knobs:
//
//	fixed       capacity, or utilization at "peak" or "mean"
//	hpa         Kubernetes' HPA on CPU: target, min, max
//	target      the first seed's scaler, holding utilization at target
//	serverless  a serverless platform with its defaults
type PolicyRequest struct {
	Kind        string  `json:"kind"`
	Capacity    int     `json:"capacity"`
	Utilization float64 `json:"utilization"`
	At          string  `json:"at"`
	Target      float64 `json:"target"`
	Min         int     `json:"min"`
	Max         int     `json:"max"`
}

// SimulateResponse is what the page draws: a line on the run, the table
// (an HTML fragment), a paragraph per run (plain text) and the charts
// (inline SVG).
type SimulateResponse struct {
	Summary string               `json:"summary"`
	Steps   int64                `json:"steps"`
	Table   string               `json:"table"`
	Stories []report.PolicyStory `json:"stories"`
	Charts  []report.ChartSVG    `json:"charts"`
}

func (h *Handler) simulate(w http.ResponseWriter, r *http.Request) {
	var req SimulateRequest
	if err := h.decode(w, r, &req); err != nil {
		writeError(w, err)
		return
	}
	resp, err := h.Simulate(r.Context(), &req)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, resp)
}

// Simulate runs a request's scenario (the policy and the oracle) and draws
// it. Bad controls and a run over the budget are errors whose message says
// which control and why.
func (h *Handler) Simulate(ctx context.Context, req *SimulateRequest) (*SimulateResponse, error) {
	sc, err := h.Scenario(req)
	if err != nil {
		return nil, err
	}
	steps := int64(sc.Setup.Horizon / sc.Setup.Step)
	release, err := h.acquireCtx(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	ctx, cancel := context.WithTimeout(ctx, h.opt.Timeout)
	defer cancel()
	out, err := sc.Run(ctx, scenario.Options{})
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return nil, &apiError{http.StatusRequestTimeout, fmt.Sprintf("the simulation took longer than %v: try a shorter horizon or a longer step", h.opt.Timeout)}
		}
		if ctx.Err() != nil {
			return nil, &apiError{http.StatusServiceUnavailable, "the request ended before the simulation did"}
		}
		return nil, badRequest("%v", err)
	}
	j := report.NewSimulationJSON(out, true)
	charts, err := report.SimulationCharts(&j)
	if err != nil {
		return nil, err
	}
	caps := map[string]string{}
	var b strings.Builder
	if err := report.WriteSimulationTable(&b, j); err != nil {
		return nil, err
	}
	summary, _, _ := strings.Cut(b.String(), "\n\n")
	return &SimulateResponse{
		Summary: summary,
		Steps:   steps,
		Table:   string(report.SimulationTable(&j).HTML()),
		Stories: report.Stories(&j),
		Charts:  report.InlineSVG(charts, caps),
	}, nil
}

// acquireCtx waits for one of the Concurrent slots, or for ctx to end.
func (h *Handler) acquireCtx(ctx context.Context) (func(), error) {
	select {
	case h.sem <- struct{}{}:
		n := h.running.Add(1)
		for {
			m := h.mostRunning.Load()
			if n <= m || h.mostRunning.CompareAndSwap(m, n) {
				break
			}
		}
		return func() { h.running.Add(-1); <-h.sem }, nil
	case <-ctx.Done():
		return nil, &apiError{http.StatusServiceUnavailable, "the server is busy: try again"}
	}
}

func orDefault(s, d string) string {
	if strings.TrimSpace(s) == "" {
		return d
	}
	return strings.TrimSpace(s)
}

// Scenario builds the request's scenario, checking every control and the
// budget.
func (h *Handler) Scenario(req *SimulateRequest) (*scenario.Scenario, error) {
	s := sim.DefaultSetup()
	durations := []struct {
		name, text, dflt string
		dst              *time.Duration
	}{
		{"horizon", req.Horizon, "24h", &s.Horizon},
		{"step", req.Step, "1s", &s.Step},
		{"latency", req.Latency, "200ms", &s.Box.Latency},
		{"boot", req.Boot, "90s", &s.Boot},
	}
	for _, d := range durations {
		v, err := boxes.ParseDuration(orDefault(d.text, d.dflt))
		if err != nil {
			return nil, badRequest("%s: %v", d.name, unwrapParse(err))
		}
		*d.dst = v
	}
	price, err := boxes.ParsePrice(orDefault(req.Price, "$0.10/h"))
	if err != nil {
		return nil, badRequest("price: %v", unwrapParse(err))
	}
	if price.Unit != boxes.PerSecond {
		return nil, badRequest("price: %q is not a price per box-hour (like $0.10/h)", req.Price)
	}
	s.Box.Price = price
	s.Drain = s.Box.Latency
	if s.Horizon <= 0 || s.Step <= 0 {
		return nil, badRequest("horizon and step must be positive")
	}
	if n := int64(s.Horizon / s.Step); n > h.opt.MaxSteps || s.Horizon/s.Step < 0 {
		return nil, &apiError{http.StatusUnprocessableEntity, fmt.Sprintf(
			"over the simulation budget: a horizon of %s in steps of %s is %s steps, more than the %s this server runs per request; lengthen the step or shorten the horizon",
			report.Seconds(s.Horizon.Seconds()), report.Seconds(s.Step.Seconds()), report.Count(float64(n)), report.Count(float64(h.opt.MaxSteps)))}
	}
	if err := s.Validate(); err != nil {
		return nil, badRequest("%s", strings.TrimPrefix(err.Error(), "sim: "))
	}
	sc := &scenario.Scenario{Setup: s, Seed: max(req.Workload.Seed, 1), Oracle: 1}
	if err := h.workload(sc, &req.Workload); err != nil {
		return nil, err
	}
	if err := h.engine(sc, req); err != nil {
		return nil, err
	}
	p, err := buildPolicy(&req.Policy)
	if err != nil {
		return nil, err
	}
	sc.Policies = []scenario.Policy{p}
	if err := h.checkBoxes(sc, &req.Policy); err != nil {
		return nil, err
	}
	return sc, nil
}

// checkBoxes keeps a run within MaxBoxes: the engines' cost grows with the
// boxes they start, so a fleet of millions is refused before it runs. The
// most boxes a run can ask for are the policy's own numbers (capacity, min,
// max) and the load's: at the peak JobRate λ, holding utilization u takes
// λ × Latency / u boxes; the oracle holds 1.
func (h *Handler) checkBoxes(sc *scenario.Scenario, p *PolicyRequest) error {
	limit := float64(h.opt.MaxBoxes)
	over := func(what string, n float64) error {
		return &apiError{http.StatusUnprocessableEntity, fmt.Sprintf(
			"over the simulation budget: %s is %s boxes, more than the %s this server simulates per request",
			what, report.Count(math.Ceil(n)), report.Count(limit))}
	}
	for _, k := range []struct {
		name string
		n    int
	}{{"the capacity", p.Capacity}, {"min", p.Min}, {"max", p.Max}} {
		if float64(k.n) > limit {
			return over(k.name, float64(k.n))
		}
	}
	st := sc.Measure()
	need := st.Peak * sc.Setup.Box.Latency.Seconds()
	u := 1.0
	switch {
	case p.Kind == "fixed" && p.Capacity == 0 && p.At != "mean":
		u = p.Utilization
	case p.Kind == "hpa" || p.Kind == "target":
		u = p.Target
	}
	if u > 0 && need/u > limit {
		return over(fmt.Sprintf("the peak JobRate of %s at a Latency of %s and Utilization %s",
			report.JobsPerSecond(st.Peak), report.Seconds(sc.Setup.Box.Latency.Seconds()), report.Ratio(u)), need/u)
	}
	return nil
}

func unwrapParse(err error) error {
	var pe *boxes.ParseError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func (h *Handler) workload(sc *scenario.Scenario, req *WorkloadRequest) error {
	if req.Trace != "" {
		if len(req.Trace) > h.opt.MaxTrace {
			return &apiError{http.StatusRequestEntityTooLarge, fmt.Sprintf("the trace is %s, more than the limit of %s", bytesWord(int64(len(req.Trace))), bytesWord(int64(h.opt.MaxTrace)))}
		}
		name := orDefault(req.TraceName, "trace.csv")
		tr, err := workload.ReadTrace(strings.NewReader(req.Trace), name, workload.TraceOptions{Loop: true})
		if err != nil {
			return badRequest("%v", err)
		}
		sc.Workload = tr
		sc.Name = "the trace " + name
		return nil
	}
	name := orDefault(req.Preset, "daily")
	c, err := workload.Preset(name, sc.Seed)
	if err != nil {
		return badRequest("%s", strings.TrimPrefix(err.Error(), "workload: "))
	}
	sc.Workload = c
	sc.Name = "the " + name + " preset"
	return nil
}

// buildPolicy turns the page's policy controls into a scenario policy,
// validated.
func buildPolicy(p *PolicyRequest) (scenario.Policy, error) {
	out := scenario.Policy{Name: p.Kind, Kind: p.Kind}
	var cfg policy.Config
	switch p.Kind {
	case "fixed":
		f := policy.Fixed{Capacity: p.Capacity, At: policy.Basis(p.At)}
		if p.Capacity == 0 {
			f.Utilization = p.Utilization
		}
		if f.At == "" {
			f.At = policy.Peak
		}
		cfg = f
		switch {
		case p.Capacity > 0:
			out.Name = fmt.Sprintf("fixed-%d", p.Capacity)
		default:
			out.Name = "fixed-for-" + string(f.At)
		}
	case "hpa":
		hp := policy.DefaultHPA()
		hp.Target, hp.MinReplicas, hp.MaxReplicas = p.Target, p.Min, p.Max
		cfg = hp
	case "target":
		hp := policy.HoldUtilization(p.Target)
		hp.MinReplicas, hp.MaxReplicas = max(p.Min, 1), p.Max
		cfg = hp
	case "serverless":
		s := policy.DefaultServerless()
		out.Config = &s
		return out, nil
	default:
		return out, badRequest("policy: unknown kind %q (want fixed, hpa, target or serverless)", p.Kind)
	}
	if p.Max < 0 || p.Min < 0 || p.Capacity > sim.MaxBoxes || p.Max > sim.MaxBoxes || math.IsNaN(p.Target) {
		return out, badRequest("policy: min, max and capacity must be between 0 and %s", report.Count(sim.MaxBoxes))
	}
	if err := cfg.Validate(); err != nil {
		return out, badRequest("policy: %s", strings.TrimPrefix(err.Error(), "policy: "))
	}
	out.Config = cfg
	return out, nil
}

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }

// bytesWord formats a size: "4 MiB", "512 KiB", "100 bytes".
func bytesWord(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// engine sets the request's engine and, for the per-job engine, its jobs,
// checking the job budget: the per-job engine's cost grows with the jobs.
func (h *Handler) engine(sc *scenario.Scenario, req *SimulateRequest) error {
	switch orDefault(req.Engine, scenario.EngineFluid) {
	case scenario.EngineFluid:
		return nil
	case scenario.EngineEvents:
	default:
		return badRequest("engine: %q is not fluid or events", req.Engine)
	}
	sc.Engine = scenario.EngineEvents
	jobs := sim.JobsConfig{Seed: sc.Seed}
	switch orDefault(req.JobLatency, "fixed") {
	case "fixed":
	case "exponential":
		jobs.Latency = sim.Latency{Distribution: sim.Exponential}
	default:
		return badRequest("job latency: %q is not fixed or exponential", req.JobLatency)
	}
	switch orDefault(req.Queue, "none") {
	case "none":
	case "unbounded":
		jobs.Queue.Kind = sim.Unbounded
	default:
		return badRequest("queue: %q is not none or unbounded", req.Queue)
	}
	if d := strings.TrimSpace(req.Deadline); d != "" {
		v, err := boxes.ParseDuration(d)
		if err != nil {
			return badRequest("deadline: %v", unwrapParse(err))
		}
		if v <= 0 {
			return badRequest("deadline: %s must be positive", d)
		}
		if jobs.Queue.Kind != sim.Unbounded {
			return badRequest("deadline: there is no queue to wait in; choose the unbounded queue")
		}
		jobs.Queue.Deadline = v
	}
	sc.Jobs = jobs
	if n := sc.Measure().Jobs; n > float64(h.opt.MaxJobs) {
		return &apiError{http.StatusUnprocessableEntity, fmt.Sprintf(
			"over the simulation budget: about %s jobs arrive, more than the %s the per-job engine runs per request; shorten the horizon or use the fluid engine",
			report.Count(n), report.Count(float64(h.opt.MaxJobs)))}
	}
	return nil
}
