package html

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/boxes-project/boxes/internal/reporttest"
	"github.com/boxes-project/boxes/report/measurement"
	"github.com/boxes-project/boxes/usl"
)

// TestSimulationHTMLGolden writes the small simulation's report and
// compares it with the golden file; review it in a browser after -update.
func TestSimulationHTMLGolden(t *testing.T) {
	var b bytes.Buffer
	if err := WriteSimulationHTML(&b, smallSimulation()); err != nil {
		t.Fatal(err)
	}
	chartGolden(t, "small.html", b.Bytes())
	reporttest.SelfContained(t, b.String())
	for _, want := range []string{"<h2>The comparison</h2>", "<h2>What happened, and why</h2>", "Capacity was fixed at 6 boxes", `<figure id="utilization">`} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("the report lacks %q", want)
		}
	}
}

// TestHTMLFromJSON reads each kind of result back and writes the same
// report as from the value; bad input gets an error naming the input.
func TestHTMLFromJSON(t *testing.T) {
	var js, direct, back bytes.Buffer
	// The second article's example: one job at a time in 1 s, then two at
	// a time in 0.5 s.
	c, err := usl.ComparePoints(usl.Point{Concurrency: 1, Latency: 1}, usl.Point{Concurrency: 2, Latency: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	pc := measurement.NewPointComparisonJSON(c)
	if err := measurement.WritePointComparisonJSON(&js, c); err != nil {
		t.Fatal(err)
	}
	measurement.WritePointComparisonHTML(&direct, &pc)
	if err := WriteHTMLFromJSON(&back, &js, "points.json"); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(direct.Bytes(), back.Bytes()) {
		t.Errorf("the point comparison read back from JSON reports differently")
	}
	for _, tt := range []struct{ in, want string }{
		{`[]`, "report: in.json: not a JSON object"},
		{`{"x": 1}`, "report: in.json: not a result boxes wrote"},
		{`{"results": []}`, "report: in.json: the simulation result has no results"},
		{`{"kind": "points", "before": 1}`, "report: in.json: json: cannot unmarshal"},
		{`{"lambda": 0}`, "report: in.json: a fit needs λ > 0"},
		// Found by FuzzHTMLFromJSON: a point with no concurrency.
		{`{"kind": "points", "before": {"concurrency": 1}}`, "report: in.json: before: a point needs a positive, finite concurrency"},
		{`{"kind": "fits", "before": {"lambda": 1}, "after": {"lambda": "+Inf"}}`, "report: in.json: a fit needs λ > 0"},
		{`{"results": [{"policy": "a", "series": {"interval": 1, "time": [0, 1], "job_rate": [1]}}]}`, "report: in.json: a: series job_rate has 1 values for 2 times"},
	} {
		err := WriteHTMLFromJSON(&bytes.Buffer{}, strings.NewReader(tt.in), "in.json")
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want it to start with %q", tt.in, err, tt.want)
		}
	}
}

// FuzzHTMLFromJSON: any input gives a report or an error, never a panic.
func FuzzHTMLFromJSON(f *testing.F) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.Encode(smallSimulation())
	f.Add(b.Bytes())
	f.Add([]byte(`{"kind": "points", "before": {"concurrency": 1, "throughput": 1, "latency": 1}, "after": {"concurrency": 2, "throughput": 4, "latency": 0.5}}`))
	f.Add([]byte(`{"kind": "fits", "before": {"lambda": 1, "sigma": 0.1, "kappa": 0.001}, "after": {"lambda": 2, "sigma": 0.1, "kappa": 0}}`))
	f.Add([]byte(`{"lambda": 1, "sigma": 0, "kappa": 0}`))
	f.Add([]byte(`{"results": [{"policy": "a", "series": {"interval": "NaN", "time": ["+Inf"], "job_rate": [1], "throughput": [1], "served": [1], "missed": [0], "ready": [1], "booting": [0], "utilization": [1], "cost": [1]}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		WriteHTMLFromJSON(&bytes.Buffer{}, bytes.NewReader(data), "fuzz.json")
	})
}
