package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/boxes-project/boxes/report"
	"github.com/boxes-project/boxes/report/sweepreport"
	"github.com/boxes-project/boxes/scenario"
	"github.com/boxes-project/boxes/schema"
	"github.com/boxes-project/boxes/sweep"
)

// POST /api/sweep takes a scenario document with a sweep block, the same a
// user writes for `boxes sweep` (YAML, or JSON, which is YAML):
//
//	sweep:
//	  policies[hpa].target: 0.4..0.9 step 0.05
//	  policies[hpa].min: [1, 2, 4]
//
// and answers exactly what `boxes sweep FILE --format json` prints for it,
// FILE being ?file=NAME ("<request>" without it). With ?draw=1 it answers
// what the page draws instead (SweepDrawResponse).
//
// A sweep is one request: it takes one of the Concurrent slots and runs its
// configurations one after another on one core, within Timeout. Before it
// starts, the grid is bounded (MaxConfigurations, 413), the scenario
// without its sweep block is checked as /api/simulate checks a document
// (no files; steps, boxes, jobs, memory: 400 and 422), and so is every
// configuration, their work added up against MaxWork (422): each refusal
// names the limit and the boxes serve flag that raises it.

// SweepDrawResponse is what the page draws of a sweep: the verdict, the
// cheapest configuration of each policy that meets the objective (an HTML
// table), and the pictures: the Pareto chart, and for one swept setting
// cost and misses against it, for two a heat map per policy (inline SVG).
type SweepDrawResponse struct {
	Verdict        string              `json:"verdict"`
	Configurations int                 `json:"configurations"`
	Table          string              `json:"table"`
	Charts         []report.ChartSVG   `json:"charts"`
	Best           *sweepreport.Choice `json:"best"`
}

// maxFileName bounds ?file=, which only names the scenario in the output.
const maxFileName = 200

func (h *Handler) sweep(w http.ResponseWriter, r *http.Request) {
	body, err := h.readDocument(w, r, documentTypes)
	if err != nil {
		writeError(w, err)
		return
	}
	q := r.URL.Query()
	file := "<request>"
	if f := q.Get("file"); f != "" {
		if len(f) > maxFileName || !utf8.ValidString(f) || strings.ContainsFunc(f, func(r rune) bool { return r < ' ' || r == 0x7f }) {
			writeError(w, badRequest("?file= names the scenario in the output: at most %d bytes of printable text", maxFileName))
			return
		}
		file = f
	}
	o, err := h.Sweep(r.Context(), body, file)
	if err != nil {
		writeError(w, err)
		return
	}
	if q.Get("draw") == "1" {
		writeJSON(w, http.StatusOK, SweepDraw(o))
		return
	}
	var b bytes.Buffer
	if err := sweepreport.WriteJSON(&b, o); err != nil {
		writeError(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(b.Bytes())
}

// SweepDraw is what the page draws of a sweep's output.
func SweepDraw(o *sweepreport.JSON) *SweepDrawResponse {
	return &SweepDrawResponse{
		Verdict:        sweepreport.Verdict(o),
		Configurations: len(o.Configurations),
		Table:          string(sweepreport.BestTable(o).HTML()),
		Charts:         sweepreport.Figures(o),
		Best:           o.Best,
	}
}

// meetsObjective judges a row as boxes sweep does: by the scenario's
// objective, as simulate reports it in the row's slo.
func meetsObjective(r *report.ResultJSON) bool { return r.SLO != nil && r.SLO.Met }

// Sweep reads a scenario document with a sweep block, checks it and every
// configuration against the budget, runs them and assembles what `boxes
// sweep --format json` prints for it, the scenario named file.
func (h *Handler) Sweep(ctx context.Context, doc []byte, file string) (*sweepreport.JSON, error) {
	base, n, err := h.splitSweep(doc)
	if err != nil {
		return nil, err
	}
	if n > h.opt.MaxConfigurations {
		size := report.Count(float64(n)) + " configurations"
		if n > sweep.MaxConfigurations {
			size = "more than " + report.Count(sweep.MaxConfigurations) + " configurations"
		}
		return nil, &apiError{http.StatusRequestEntityTooLarge, fmt.Sprintf(
			"over the sweep budget: the grid is %s, more than the %s this server runs per request (boxes serve --max-configurations raises it); sweep fewer values",
			size, report.Count(float64(h.opt.MaxConfigurations)))}
	}
	// The explorer reads no files: the scenario without its sweep block
	// names none, checked before sweep.Parse, which would read it.
	if d, err := scenario.Decode(base, "<request>"); err == nil {
		if files := d.Files(); len(files) > 0 {
			return nil, badRequest("the explorer reads no files: send a trace's CSV as its data (trace: {file: name.csv, data: ...}), not %s", schema.Quote(files[0]))
		}
	}
	sw, err := sweep.Parse(doc, file)
	if err != nil {
		return nil, badRequest("%s", trimPrefixes(err.Error()))
	}
	// The scenario without its sweep block within the budget of one run,
	// as /api/simulate checks a document.
	if _, err := h.Scenario(base); err != nil {
		return nil, err
	}
	release, err := h.acquireCtx(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	ctx, cancel := context.WithTimeout(ctx, h.opt.Timeout)
	defer cancel()
	start := time.Now()
	// Every configuration, as a document of its own: no file (a sweep of
	// workload.trace.file is refused here), within the steps, boxes, jobs
	// and memory of one run; and their work together within MaxWork.
	work := 0.0
	for _, c := range sw.Configurations {
		if err := ctx.Err(); err != nil {
			return nil, h.sweepEnded(err)
		}
		d, err := sweep.Apply(sw.Base, c.Settings)
		if err != nil {
			return nil, badRequest("%s", trimPrefixes(err.Error()))
		}
		b, err := yaml.Marshal(d)
		if err != nil {
			return nil, err
		}
		sc, err := h.Scenario(b)
		if err != nil {
			var ae *apiError
			if errors.As(err, &ae) {
				return nil, &apiError{ae.status, fmt.Sprintf("configuration %d (%s): %s", c.Index, settingsText(c.Settings), ae.msg)}
			}
			return nil, err
		}
		work += sc.Cost(1).Work
	}
	// sweep.Run reads every configuration again before it runs any, and
	// does not stop for the context meanwhile: checks that took half the
	// timeout would take the request past it.
	if time.Since(start) > h.opt.Timeout/2 {
		return nil, h.sweepEnded(context.DeadlineExceeded)
	}
	if work > h.opt.MaxWork {
		return nil, &apiError{http.StatusUnprocessableEntity, fmt.Sprintf(
			"over the simulation budget: the sweep's %d configurations are about %s work units together, more than the limit of %s (boxes serve --max-work raises it); sweep fewer values, shorten the horizon or lengthen the step",
			len(sw.Configurations), report.Count(work), report.Count(h.opt.MaxWork))}
	}
	entries, err := sw.Run(ctx, sweep.All, sweep.Options{Workers: 1})
	if err != nil {
		if ctx.Err() != nil {
			return nil, h.sweepEnded(ctx.Err())
		}
		return nil, badRequest("%s", trimPrefixes(err.Error()))
	}
	return sweep.Assemble(sw.Header(), entries, meetsObjective)
}

// sweepEnded is the answer to a sweep cut short: past the timeout (408,
// naming --timeout) or by the request's end.
func (h *Handler) sweepEnded(err error) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return &apiError{http.StatusRequestTimeout, fmt.Sprintf("the sweep took longer than %v (boxes serve --timeout raises it): sweep fewer values, try a shorter horizon or a longer step", h.opt.Timeout)}
	}
	return &apiError{http.StatusServiceUnavailable, "the request ended before the sweep did"}
}

// splitSweep is the document without its sweep block, and the number of
// configurations the block makes (the product of its lists' and ranges'
// lengths, saturating past MaxConfigurations): counted before anything is
// built for them. A value that does not read counts one; sweep.Parse says
// what is wrong with it.
func (h *Handler) splitSweep(doc []byte) ([]byte, int, error) {
	root, err := schema.Parse(doc, "<request>")
	if err != nil {
		return nil, 0, badRequest("%s", trimPrefixes(err.Error()))
	}
	top := schema.Resolve(root)
	if top.Kind != yaml.MappingNode {
		return nil, 0, badRequest("a scenario is a mapping, with a sweep block")
	}
	base, block := sweep.Split(top)
	if block == nil || block.Kind != yaml.MappingNode || len(block.Content) == 0 {
		return nil, 0, badRequest("no sweep block: add one, like sweep: {policies[hpa].target: 0.5..0.9 step 0.1}")
	}
	n := 1
	for i := 1; i < len(block.Content); i += 2 {
		v := schema.Resolve(block.Content[i])
		k := 1
		switch v.Kind {
		case yaml.SequenceNode:
			k = max(1, len(v.Content))
		case yaml.ScalarNode:
			if vs, err := sweep.ParseRange(v.Value); err == nil {
				k = max(1, len(vs))
			}
		}
		n = min(n*k, sweep.MaxConfigurations+1)
	}
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	if err := enc.Encode(base); err != nil {
		return nil, 0, err
	}
	return b.Bytes(), n, nil
}

// settingsText is a configuration's settings for a message, at most about
// 120 bytes of them.
func settingsText(ss []sweep.Setting) string {
	parts := make([]string, len(ss))
	for i, s := range ss {
		parts[i] = s.Path + "=" + s.Value
	}
	t := strings.Join(parts, ", ")
	if len(t) > 120 {
		t = strings.ToValidUTF8(t[:120], "") + "…"
	}
	return t
}

// trimPrefixes drops the package prefixes of an error for the page.
func trimPrefixes(s string) string {
	for _, p := range []string{"sweep: ", "scenario: ", "schema: "} {
		s = strings.TrimPrefix(s, p)
	}
	return s
}
