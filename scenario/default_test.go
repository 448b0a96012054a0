package scenario

import (
	"context"
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
