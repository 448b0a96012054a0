package main

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/boxes-project/boxes/internal/cli/flagvalue"
	"github.com/boxes-project/boxes/scenario"
	"github.com/boxes-project/boxes/schema"
	"github.com/boxes-project/boxes/traffic"
	"github.com/boxes-project/boxes/workload/shape"
)

// maxScenario bounds a scenario file read by the command line.
const maxScenario = 4 << 20

// overrides are simulate's flags that replace parts of the scenario: its
// policies (--policy), its workload (--trace, --prometheus).
type overrides struct {
	policies    flagvalue.List
	trace       string
	traceFormat string
	gaps        string
	prom        traffic.Prometheus
}

func (o *overrides) none() bool { return len(o.policies) == 0 && o.trace == "" && o.prom.URL == "" }

// apply writes the overrides into doc. Files are the command line's,
// relative to the working directory. With the default scenario (base),
// the traffic's times also set the start and the horizon.
func (o *overrides) apply(doc *scenario.Doc, base bool) error {
	if len(o.policies) > 0 {
		doc.Policies = nil
		for _, f := range o.policies {
			doc.Policies = append(doc.Policies, scenario.Policy{Manifest: absPath(f)})
		}
	}
	if o.trace != "" && o.prom.URL != "" {
		return usageError{errorf("--trace and --prometheus both give the workload: choose one")}
	}
	if o.trace == "" && o.prom.URL == "" {
		return nil
	}
	if base {
		doc.Start, doc.Horizon = nil, nil
		doc.Name = "traffic from " + filepath.Base(o.trace)
		if o.prom.URL != "" {
			doc.Name = "traffic from " + o.prom.URL
		}
	}
	if o.trace != "" {
		t := &shape.Trace{}
		if err := schema.SetDefaults(t); err != nil {
			return err
		}
		t.File, t.Format, t.Gaps = absPath(o.trace), o.traceFormat, o.gaps
		doc.Workload = shape.Node{Kind: "trace", Shape: t}
		return nil
	}
	p := &shape.Prometheus{}
	if err := schema.SetDefaults(p); err != nil {
		return err
	}
	p.URL, p.Query, p.From, p.To, p.Step, p.Gaps = o.prom.URL, o.prom.Query, o.prom.From, o.prom.To, o.prom.Step, o.gaps
	doc.Workload = shape.Node{Kind: "prometheus", Shape: p}
	return nil
}

func absPath(f string) string {
	if a, err := filepath.Abs(f); err == nil {
		return a
	}
	return f
}

// printSources says on w what was read from the user's own files: the
// traffic (rows, span, step, gaps, columns) and each autoscaler config's
// settings as boxes understood them.
func printSources(w io.Writer, sc *scenario.Scenario) {
	if r := sc.Traffic; r != nil {
		fmt.Fprintf(w, "traffic: %s", r)
	}
	for _, m := range sc.Manifests {
		fmt.Fprintf(w, "policy %s: %s at %s\n", m.Name, m.Kind, m.Source)
		for _, e := range m.Echo {
			fmt.Fprintf(w, "  %s: %s → %s\n", e.Field, e.Value, e.Means)
		}
	}
}
