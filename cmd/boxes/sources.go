package main

import (
	"fmt"
	"io"

	"github.com/boxes-project/boxes/internal/cli/flagvalue"
	"github.com/boxes-project/boxes/scenario"
	"github.com/boxes-project/boxes/traffic"
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
	maxRows     int
	prom        traffic.Prometheus
}

func (o *overrides) none() bool { return o.scenario().None() }

func (o *overrides) scenario() *scenario.Overrides {
	return &scenario.Overrides{Policies: o.policies, Trace: o.trace, TraceFormat: o.traceFormat, Gaps: o.gaps, MaxRows: o.maxRows, Prometheus: o.prom}
}

// apply writes the overrides into doc (scenario.Overrides.Apply), refusing
// a trace and a Prometheus query both.
func (o *overrides) apply(doc *scenario.Doc, base bool) error {
	if o.trace != "" && o.prom.URL != "" {
		return usageError{errorf("--trace and --prometheus both give the workload: choose one")}
	}
	if o.maxRows != 0 && o.trace == "" {
		return usageError{errorf("--max-rows is for the file of --trace")}
	}
	return o.scenario().Apply(doc, base)
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
