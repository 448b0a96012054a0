package scenario

import (
	"fmt"
	"path/filepath"

	"github.com/boxes-project/boxes/schema"
	"github.com/boxes-project/boxes/traffic"
	"github.com/boxes-project/boxes/workload/shape"
)

// Overrides replace parts of a scenario from outside its file (simulate's
// --policy, --trace and --prometheus): its policies by autoscaler configs,
// its workload by a trace or a Prometheus query. Files are relative to the
// working directory, not the scenario's.
type Overrides struct {
	Policies    []string // autoscaler config files
	Trace       string   // a traffic file
	TraceFormat string
	Gaps        string
	MaxRows     int                // the trace's max_rows, unless 0
	Prometheus  traffic.Prometheus // the workload from a Prometheus server, when URL is set
}

// None says whether o replaces nothing.
func (o *Overrides) None() bool {
	return len(o.Policies) == 0 && o.Trace == "" && o.Prometheus.URL == "" && o.MaxRows == 0
}

// Apply writes the overrides into doc; a trace and a Prometheus query
// both given are the caller's to refuse (Trace wins here). With the
// default scenario (base), the traffic's times also set the start and the
// horizon.
func (o *Overrides) Apply(doc *Doc, base bool) error {
	if len(o.Policies) > 0 {
		doc.Policies = nil
		for _, f := range o.Policies {
			doc.Policies = append(doc.Policies, Policy{Manifest: absPath(f)})
		}
	}
	if o.Trace == "" && o.Prometheus.URL == "" {
		return nil
	}
	if base {
		doc.Start, doc.Horizon = nil, nil
		doc.Name = "traffic from " + filepath.Base(o.Trace)
		if o.Prometheus.URL != "" {
			doc.Name = "traffic from " + o.Prometheus.URL
		}
	}
	if o.Trace != "" {
		t := &shape.Trace{}
		if err := schema.SetDefaults(t); err != nil {
			return err
		}
		t.File, t.Format, t.Gaps = absPath(o.Trace), o.TraceFormat, o.Gaps
		if o.MaxRows != 0 {
			t.MaxRows = o.MaxRows
			if err := schema.Check(t); err != nil {
				return fmt.Errorf("--max-rows: %w", err)
			}
		}
		doc.Workload = shape.Node{Kind: "trace", Shape: t}
		return nil
	}
	p := &shape.Prometheus{}
	if err := schema.SetDefaults(p); err != nil {
		return err
	}
	q := o.Prometheus
	p.URL, p.Query, p.From, p.To, p.Step, p.Gaps = q.URL, q.Query, q.From, q.To, q.Step, o.Gaps
	doc.Workload = shape.Node{Kind: "prometheus", Shape: p}
	return nil
}

func absPath(f string) string {
	if a, err := filepath.Abs(f); err == nil {
		return a
	}
	return f
}
