package sizing

import (
	"bytes"
	"flag"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/boxes-project/boxes/internal/reporttest"
	"github.com/boxes-project/boxes/queueing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	reporttest.Golden(t, "./report/sizing", filepath.Join("testdata", name), got, *update)
}

// plan evaluates s with t, finding the fewest boxes when s.Boxes is 0.
func plan(t *testing.T, s queueing.System, tg queueing.Targets) queueing.Plan {
	t.Helper()
	if s.Boxes == 0 {
		c, err := queueing.Smallest(s, tg)
		if err != nil {
			t.Fatal(err)
		}
		s.Boxes = c
	}
	p, err := queueing.Evaluate(s, tg)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestWritePlanGolden(t *testing.T) {
	cases := []struct {
		name string
		row  PlanRow
	}{
		{"plan-miss.golden", PlanRow{Plan: plan(t, queueing.System{JobRate: 800, Latency: 0.1}, queueing.Targets{MaxMiss: 0.01}), Priced: true, CostPerHour: 9.6}},
		{"plan-wait.golden", PlanRow{Plan: plan(t, queueing.System{JobRate: 800, Latency: 0.1, Queue: queueing.Unbounded}, queueing.Targets{MaxWaitProb: 0.05, Deadline: 0.05, MaxWaitOver: 0.001})}},
		{"plan-exponential.golden", PlanRow{Plan: plan(t, queueing.System{Boxes: 10, JobRate: 40, Latency: 0.2, Service: queueing.Exponential, Queue: queueing.Unbounded}, queueing.Targets{Deadline: 0.1, MaxWaitOver: 0.01})}},
		{"plan-unstable.golden", PlanRow{Plan: plan(t, queueing.System{Boxes: 7, JobRate: 40, Latency: 0.2, Queue: queueing.Unbounded}, queueing.Targets{})}},
	}
	for _, tc := range cases {
		var b bytes.Buffer
		if err := WritePlan(&b, tc.row); err != nil {
			t.Fatal(err)
		}
		golden(t, tc.name, b.Bytes())
	}
}

func TestWriteHeadroomGolden(t *testing.T) {
	var rows []PlanRow
	for _, r := range []float64{10, 100, 1000, 10000, 100000} {
		rows = append(rows, PlanRow{Plan: plan(t, queueing.System{JobRate: r, Latency: 0.1, Queue: queueing.Unbounded}, queueing.Targets{MaxWaitProb: 0.01})})
	}
	var b bytes.Buffer
	if err := WriteHeadroom(&b, rows); err != nil {
		t.Fatal(err)
	}
	golden(t, "headroom.golden", b.Bytes())
	if !HeadroomShrinks(rows) || !strings.Contains(b.String(), "Headroom shrinks as the fleet grows") {
		t.Error("headroom does not shrink")
	}
}

// The sentence is computed from the numbers: a table whose utilization
// falls somewhere does not claim that headroom shrinks.
func TestHeadroomSentence(t *testing.T) {
	mk := func(rate, u float64) PlanRow {
		return PlanRow{Plan: queueing.Plan{System: queueing.System{JobRate: rate, Latency: 1, Boxes: 1}, Utilization: u, Busy: u}}
	}
	rows := []PlanRow{mk(10, 0.5), mk(100, 0.7), mk(1000, 0.6)}
	if HeadroomShrinks(rows) {
		t.Error("HeadroomShrinks with a dip")
	}
	if s := headroomSentence(rows); !strings.Contains(s, "does not shrink steadily") {
		t.Errorf("sentence %q", s)
	}
	// Order of the rows does not matter.
	rows = []PlanRow{mk(1000, 0.9), mk(10, 0.5), mk(100, 0.7)}
	if !HeadroomShrinks(rows) {
		t.Error("HeadroomShrinks false for rising utilization given out of order")
	}
	if HeadroomShrinks(rows[:1]) {
		t.Error("one row cannot show a trend")
	}
}

func TestPlanJSONNonFinite(t *testing.T) {
	p := plan(t, queueing.System{Boxes: 7, JobRate: 40, Latency: 0.2, Queue: queueing.Unbounded}, queueing.Targets{})
	var b bytes.Buffer
	if err := WritePlanJSON(&b, PlanRow{Plan: p}); err != nil {
		t.Fatal(err)
	}
	// Issue 11, F5: null, never the string "+Inf".
	if !strings.Contains(b.String(), `"mean_wait": null`) || strings.Contains(b.String(), "Inf") || !math.IsInf(p.MeanWait, 1) {
		t.Errorf("unstable mean wait not null:\n%s", b.String())
	}
}
