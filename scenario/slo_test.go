package scenario

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/boxes-project/boxes/sim"
)

// TestSLODecode reads the issue's own example and the default.
func TestSLODecode(t *testing.T) {
	const tail = "workload: {constant: 1/s}\npolicies: [{fixed: {capacity: 1}}]\n"
	sc, err := Parse([]byte("engine: events\nslo: {max_missed: 0.1%, max_late: 1%, late_after: 500ms, max_p99_wait: 200ms, missed_job_cost: $0.01/job}\n"+tail), "slo.yaml")
	if err != nil {
		t.Fatal(err)
	}
	o := sc.SLO
	if o.MaxMissed != 0.001 || *o.MaxLate != 0.01 || *o.LateAfter != 500*time.Millisecond || *o.MaxP99Wait != 200*time.Millisecond ||
		math.Abs(o.MissedJobCost.Amount-0.01) > 1e-15 {
		t.Errorf("slo %+v", o)
	}
	// The events engine counts late jobs by the objective's late_after.
	if sc.Jobs.Queue.LateAfter != 500*time.Millisecond {
		t.Errorf("queue late_after %v, want the slo's 500ms", sc.Jobs.Queue.LateAfter)
	}
	sc, err = Parse([]byte(tail), "default.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if d := sim.DefaultSLO(); sc.SLO.MaxMissed != d.MaxMissed || sc.SLO.MaxLate != nil || sc.SLO.MaxP99Wait != nil {
		t.Errorf("default slo %+v, want %+v", sc.SLO, d)
	}
}

// TestSLOErrors: each bad objective is refused naming its field.
func TestSLOErrors(t *testing.T) {
	const tail = "workload: {constant: 1/s}\npolicies: [{fixed: {capacity: 1}}]\n"
	for _, tt := range []struct{ doc, want string }{
		{"slo: {max_missed: 2}\n", "slo.max_missed"},
		{"slo: {max_late: 1%}\n", "late_after go together"},
		{"slo: {missed_job_cost: $1/h}\n", "per job"},
		{"engine: events\nslo: {max_late: 1%, late_after: 1s}\njobs: {queue: {kind: unbounded, late_after: 2s}}\n", "slo.late_after"},
		{"slo: {max_p99_wait: -1s}\n", "slo.max_p99_wait"},
	} {
		_, err := Parse([]byte(tt.doc+tail), "bad.yaml")
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: error %v, want it to mention %q", tt.doc, err, tt.want)
		}
	}
}

// TestSLOMetAndFailed runs an objective with known answers: 40 jobs/s of
// 200 ms jobs need 8 boxes (the articles' C = λ × L). Ten boxes serve all
// of them (met); six serve 30/s and miss a quarter, 10/40 (failed, though
// cheaper); the verdict names the ten.
func TestSLOMetAndFailed(t *testing.T) {
	sc, err := Parse([]byte(`
horizon: 1h
box: {latency: 200ms, boot: 0s}
workload: {constant: 40/s}
policies:
  - {name: ten, fixed: {capacity: 10}}
  - {name: six, fixed: {capacity: 6}}
`), "known.yaml")
	if err != nil {
		t.Fatal(err)
	}
	out, err := sc.Run(context.Background(), Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	v := sim.Judge(out)
	if v.Policy != "ten" || v.Ranking[1].Name != "six" {
		t.Fatalf("verdict %+v, want ten then six", v)
	}
	six := v.Ranking[1].SLO
	if six.Met || math.Abs(six.Missed-0.25) > 1e-6 || len(six.Failed) != 1 || six.Failed[0] != sim.ClauseMissed {
		t.Errorf("six boxes: %+v, want failed max_missed at 25%%", six)
	}
	if ten := v.Ranking[0].SLO; !ten.Met || ten.Missed != 0 {
		t.Errorf("ten boxes: %+v, want met with nothing missed", ten)
	}
}
