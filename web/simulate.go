package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"net/http"
	"strings"

	"github.com/boxes-project/boxes/policy"
	"github.com/boxes-project/boxes/policy/hpa"
	"github.com/boxes-project/boxes/report"
	"github.com/boxes-project/boxes/report/html"
	"github.com/boxes-project/boxes/scenario"
	"github.com/boxes-project/boxes/schema"
	"github.com/boxes-project/boxes/traffic/trace"
	"github.com/boxes-project/boxes/workload"
)

// POST /api/simulate takes a scenario document, the same a user writes for
// `boxes simulate` (YAML, or JSON, which is YAML), and answers exactly what
// `boxes simulate --format json` prints for it (with ?series=1, what
// --series adds). With ?draw=1 it answers what the page draws instead
// (DrawResponse). The document may not name files: the server reads none of
// its own; a trace comes as its data.

// DrawResponse is what the page draws: a line on the run, the table (an
// HTML fragment), a paragraph per run (plain text) and the charts (inline
// SVG).
type DrawResponse struct {
	// Verdict is the first line of the results: the cheapest policy that
	// meets the scenario's objective and how the others fare.
	Verdict string `json:"verdict"`
	Summary string `json:"summary"`
	Steps   int64  `json:"steps"`
	Table   string `json:"table"`
	// Notes are the lines under the table: what the oracle is, and
	// serverless's billing when it is compared.
	Notes   []string             `json:"notes"`
	Stories []report.PolicyStory `json:"stories"`
	Charts  []report.ChartSVG    `json:"charts"`
}

// documentTypes are the media types of a scenario document.
var documentTypes = []string{"application/json", "application/yaml", "application/x-yaml", "text/yaml"}

// readDocument reads a request's body, a document of one of types; other
// types (text/plain, forms, none) are refused with 415, so that a page on
// another site cannot post one without a preflight.
func (h *Handler) readDocument(w http.ResponseWriter, r *http.Request, types []string) ([]byte, error) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	ok := false
	for _, t := range types {
		ok = ok || err == nil && mt == t
	}
	if !ok {
		return nil, &apiError{http.StatusUnsupportedMediaType, fmt.Sprintf("the request's Content-Type must be one of %s", strings.Join(types, ", "))}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.opt.MaxBody))
	if err != nil {
		return nil, err
	}
	return body, nil
}

func (h *Handler) simulate(w http.ResponseWriter, r *http.Request) {
	body, err := h.readDocument(w, r, documentTypes)
	if err != nil {
		writeError(w, err)
		return
	}
	q := r.URL.Query()
	if q.Get("draw") == "1" {
		resp, err := h.Draw(r.Context(), body)
		if err != nil {
			writeError(w, err)
			return
		}
		writeJSON(w, http.StatusOK, resp)
		return
	}
	var b bytes.Buffer
	if err := h.Simulate(r.Context(), body, q.Get("series") == "1", &b); err != nil {
		writeError(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(b.Bytes())
}

// Simulate runs a scenario document and writes what `boxes simulate
// --format json` writes for it.
func (h *Handler) Simulate(ctx context.Context, doc []byte, series bool, w io.Writer) error {
	out, _, err := h.run(ctx, doc)
	if err != nil {
		return err
	}
	return report.WriteSimulationJSON(w, out, series)
}

// Draw runs a scenario document and draws it for the page.
func (h *Handler) Draw(ctx context.Context, doc []byte) (*DrawResponse, error) {
	out, steps, err := h.run(ctx, doc)
	if err != nil {
		return nil, err
	}
	j := report.NewSimulationJSON(out, true)
	charts, err := html.SimulationCharts(&j)
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	if err := report.WriteSimulationTable(&b, j); err != nil {
		return nil, err
	}
	text := b.String()
	verdict := ""
	if j.Verdict != nil {
		verdict = j.Verdict.Text
		text = strings.TrimPrefix(text, verdict+"\n\n")
	}
	summary, _, _ := strings.Cut(text, "\n\n")
	return &DrawResponse{
		Verdict: verdict,
		Summary: summary,
		Steps:   steps,
		Table:   string(report.SimulationTable(&j).HTML()),
		Notes:   report.TableNotes(&j),
		Stories: html.Stories(&j),
		Charts:  report.InlineSVG(charts, map[string]string{}),
	}, nil
}

// run reads, checks against the budget and runs a document.
func (h *Handler) run(ctx context.Context, doc []byte) (*scenario.Outcome, int64, error) {
	sc, err := h.Scenario(doc)
	if err != nil {
		return nil, 0, err
	}
	steps := int64(sc.Setup.Horizon / sc.Setup.Step)
	release, err := h.acquireCtx(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer release()
	ctx, cancel := context.WithTimeout(ctx, h.opt.Timeout)
	defer cancel()
	out, err := sc.Run(ctx, scenario.Options{Workers: 1})
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return nil, 0, &apiError{http.StatusRequestTimeout, fmt.Sprintf("the simulation took longer than %v (boxes serve --timeout raises it): try a shorter horizon or a longer step", h.opt.Timeout)}
		}
		if ctx.Err() != nil {
			return nil, 0, &apiError{http.StatusServiceUnavailable, "the request ended before the simulation did"}
		}
		return nil, 0, badRequest("%v", err)
	}
	return out, steps, nil
}

// Scenario reads a document and checks it against the budget: the steps
// of a run, the boxes it may ask for, the jobs of the per-job engine. Its
// errors are the document's (400) or the budget's (422).
func (h *Handler) Scenario(doc []byte) (*scenario.Scenario, error) {
	d, err := scenario.Decode(doc, "<request>")
	if err != nil {
		return nil, badRequest("%s", strings.TrimPrefix(err.Error(), "scenario: "))
	}
	if files := d.Files(); len(files) > 0 {
		return nil, badRequest("the explorer reads no files: send a trace's CSV as its data (trace: {file: name.csv, data: ...}), not %s", schema.Quote(files[0]))
	}
	sc, err := scenario.Build(d, "<request>")
	if err != nil {
		var te *trace.TraceError
		if errors.As(err, &te) {
			return nil, badRequest("%v", te)
		}
		return nil, badRequest("%s", strings.TrimPrefix(err.Error(), "scenario: "))
	}
	s := sc.Setup
	if n := int64(s.Horizon / s.Step); n > h.opt.MaxSteps {
		return nil, &apiError{http.StatusUnprocessableEntity, fmt.Sprintf(
			"over the simulation budget: a horizon of %s in steps of %s is %s steps, more than the %s this server runs per request (boxes serve --max-steps raises it); lengthen the step or shorten the horizon",
			report.Seconds(s.Horizon.Seconds()), report.Seconds(s.Step.Seconds()), report.Count(float64(n)), report.Count(float64(h.opt.MaxSteps)))}
	}
	if err := h.checkBoxes(sc); err != nil {
		return nil, err
	}
	if sc.Engine == scenario.EngineEvents {
		if n := sc.Measure().Jobs * float64(max(1, sc.Replications)); n > float64(h.opt.MaxJobs) {
			return nil, &apiError{http.StatusUnprocessableEntity, fmt.Sprintf(
				"over the simulation budget: about %s jobs arrive (over every replication), more than the %s the per-job engine runs per request (boxes serve --max-jobs raises it); shorten the horizon or use the fluid engine",
				report.Count(n), report.Count(float64(h.opt.MaxJobs)))}
		}
	}
	if err := h.checkCost(sc); err != nil {
		return nil, err
	}
	return sc, nil
}

// checkBoxes keeps a run within MaxBoxes: the engines' cost grows with the
// boxes they start, so a fleet of millions is refused before it runs. The
// most boxes a run can ask for are each policy's own numbers (capacity,
// min, max, a schedule's) and the load's: at the peak JobRate λ, holding
// utilization u takes λ × Latency / u boxes; the oracle holds 1.
func (h *Handler) checkBoxes(sc *scenario.Scenario) error {
	limit := float64(h.opt.MaxBoxes)
	over := func(what string, n float64) error {
		return &apiError{http.StatusUnprocessableEntity, fmt.Sprintf(
			"over the simulation budget: %s is %s boxes, more than the %s this server simulates per request (boxes serve --max-boxes raises it)",
			what, report.Count(math.Ceil(n)), report.Count(limit))}
	}
	st := sc.Measure()
	need := st.Peak * sc.Setup.Box.Latency.Seconds()
	for _, p := range sc.Policies {
		u := 1.0
		var counts []int
		switch c := p.Config.(type) {
		case *policy.Fixed:
			counts = []int{c.Capacity}
			if c.Capacity == 0 && c.At != policy.Mean {
				u = c.Utilization
			}
		case *hpa.HPASpec:
			counts = []int{c.Min, c.Max}
			if !c.Target.Rate {
				u = c.Target.Value
			}
		case *hpa.Target:
			counts, u = []int{c.Min, c.Max}, c.Utilization
		case *policy.Scheduled:
			counts = []int{c.Default}
			for _, w := range c.Windows {
				counts = append(counts, w.Capacity)
			}
		}
		for _, n := range counts {
			if float64(n) > limit {
				return over(fmt.Sprintf("policy %s's %d", p.Name, n), float64(n))
			}
		}
		if u > 0 && need/u > limit {
			return over(fmt.Sprintf("the peak JobRate of %s at a Latency of %s and Utilization %s",
				report.JobsPerSecond(st.Peak), report.Seconds(sc.Setup.Box.Latency.Seconds()), report.Ratio(u)), need/u)
		}
	}
	return nil
}

// SchemaResponse is GET /api/schema: every setting of a scenario (the
// page builds its form from it), the policy kinds, the workload presets and
// the default scenario, normalized.
type SchemaResponse struct {
	Settings    []schema.Setting  `json:"settings"`
	PolicyKinds []string          `json:"policy_kinds"`
	KindDocs    map[string]string `json:"policy_kinds_doc"`
	Presets     []string          `json:"presets"`
	Default     schema.Node       `json:"default"`
}

func (h *Handler) schema(w http.ResponseWriter, r *http.Request) {
	sc, err := scenario.Default()
	if err != nil {
		writeError(w, err)
		return
	}
	doc, err := sc.Document()
	if err != nil {
		writeError(w, err)
		return
	}
	docs := map[string]string{}
	for _, k := range scenario.PolicyKinds() {
		docs[k.Name] = k.Doc
	}
	writeJSON(w, http.StatusOK, SchemaResponse{
		Settings:    scenario.Settings(),
		PolicyKinds: scenario.PolicyKinds().Names(),
		KindDocs:    docs,
		Presets:     workload.PresetNames(),
		Default:     schema.Node{Node: doc},
	})
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
