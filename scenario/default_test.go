package scenario

import (
	"context"
	"math"
	"testing"
	"time"
)

func TestDefaultRuns(t *testing.T) {
	sc, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	sc.Setup.Horizon = time.Hour // keep the test quick
	out, err := sc.Run(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Runs) != len(sc.Policies) || out.Oracle == nil {
		t.Fatalf("%d runs for %d policies", len(out.Runs), len(sc.Policies))
	}
	for _, r := range out.Runs {
		if r.Result.OracleCost != out.Oracle.Cost {
			t.Errorf("%s: oracle cost %g, want %g", r.Name, r.Result.OracleCost, out.Oracle.Cost)
		}
	}
}

// TestProgressReachesOne: the progress a run reports ends at 1, with
// replications and a serverless policy (whose replications are skipped).
func TestProgressReachesOne(t *testing.T) {
	sc, err := Parse([]byte("horizon: 10m\nengine: events\nreplications: 3\nworkload: {constant: 5/s}\npolicies: [{fixed: {capacity: 2}}, {serverless: {}}]\n"), "p.yaml")
	if err != nil {
		t.Fatal(err)
	}
	last := 0.0
	if _, err := sc.Run(context.Background(), Options{Workers: 1, Progress: func(d float64) { last = d }}); err != nil {
		t.Fatal(err)
	}
	if math.Abs(last-1) > 1e-12 {
		t.Errorf("the last progress is %g, want 1", last)
	}
}
