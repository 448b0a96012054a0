package measure

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/boxes-project/boxes/usl"
)

// exactResult is a closed loop on the paper server of TestSlotsExact.
func exactResult(t *testing.T) *Result {
	r, err := Sweep(context.Background(), slotsLoad(4, 20*time.Millisecond), closedPlan(1, 2, 4, 8, 16))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestWriteCSVReadBack: the measurement file reads back through usl.ReadCSV
// (what boxes fit and compare use) as the same concurrency and throughput,
// digit for digit.
func TestWriteCSVReadBack(t *testing.T) {
	r := exactResult(t)
	var b bytes.Buffer
	if err := r.WriteCSV(&b, "a comment", "another"); err != nil {
		t.Fatal(err)
	}
	m, err := usl.ReadCSV(&b, "m.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Points) != len(r.Levels) {
		t.Fatalf("%d points, %d levels", len(m.Points), len(r.Levels))
	}
	for i, p := range m.Points {
		if p.Concurrency != r.Levels[i].Concurrency || p.Throughput != r.Levels[i].Throughput {
			t.Errorf("point %d = %+v, level %+v", i, p, r.Levels[i])
		}
	}
	if g := m.Given; g[0] != usl.Concurrency || g[1] != usl.Throughput {
		t.Errorf("read as %v, want concurrency and throughput", g)
	}
}

// TestWriteJSONContract: the names boxes measure --format json promises.
func TestWriteJSONContract(t *testing.T) {
	r := exactResult(t)
	fit, err := r.Fit()
	var b bytes.Buffer
	if err := r.WriteJSON(&b, fit, err); err != nil {
		t.Fatal(err)
	}
	var j struct {
		Loop   string `json:"loop"`
		Levels []map[string]any
		Fit    map[string]any `json:"fit"`
		Verd   string         `json:"verdict"`
	}
	if err := json.Unmarshal(b.Bytes(), &j); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"concurrency", "throughput", "p50", "p99", "errors"} {
		if _, ok := j.Levels[0][k]; !ok {
			t.Errorf("levels[0] has no %q: %v", k, j.Levels[0])
		}
	}
	if j.Loop != "closed" || j.Fit["lambda"] == nil || !strings.HasPrefix(j.Verd, "highest throughput 200/s at concurrency") {
		t.Errorf("loop %q, fit %v, verdict %q", j.Loop, j.Fit, j.Verd)
	}
	if x := j.Levels[2]["throughput"].(float64); math.Abs(x-200) > 1 {
		t.Errorf("N=4: throughput %g, want 200", x)
	}
}

// TestCommandOpenLoop: --exec at a rate: 'true' 20 times a second for 0.5 s
// starts about 10 runs (Poisson, seeded), none failing.
func TestCommandOpenLoop(t *testing.T) {
	p := Plan{Rates: []float64{20}, Duration: 500 * time.Millisecond, Limits: DefaultLimits()}
	r, err := Sweep(context.Background(), &Command{Line: "true"}, p)
	if err != nil {
		t.Fatal(err)
	}
	l := r.Levels[0]
	if l.Requests < 3 || l.Requests > 25 || l.Errors != 0 {
		t.Errorf("%d runs, %d failed; want about 10 and none", l.Requests, l.Errors)
	}
}
