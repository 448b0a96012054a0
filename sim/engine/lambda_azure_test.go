package engine

import (
	"context"
	"encoding/csv"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/boxes-project/boxes/policy"
	"github.com/boxes-project/boxes/sim/internal/simtest"
	"github.com/boxes-project/boxes/workload"
)

// azureConv is the Azure LLM inference trace 2023, conversation service,
// requests per second (../shared/data/azure-llm-2023, CC BY 4.0, Patel et
// al., "Splitwise", ISCA 2024), read with encoding/csv alone.
func azureConv(t *testing.T) (*workload.Trace, time.Duration) {
	t.Helper()
	// ../shared/data relative to the repository, as CI lays it out, or
	// $BOXES_DATA (a worktree elsewhere).
	dir := "../../../shared/data"
	if d := os.Getenv("BOXES_DATA"); d != "" {
		dir = d
	}
	fh, err := os.Open(dir + "/azure-llm-2023/azure_llm_conv_2023_per_second.csv")
	if err != nil {
		t.Fatalf("the Azure trace is missing (%v): it lives in ../shared/data/azure-llm-2023", err)
	}
	defer fh.Close()
	recs, err := csv.NewReader(fh).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var times, rates []float64
	for _, r := range recs[1:] {
		sec, err1 := strconv.ParseFloat(r[0], 64)
		n, err2 := strconv.ParseFloat(r[2], 64)
		if err1 != nil || err2 != nil {
			t.Fatalf("bad row %v", r)
		}
		times, rates = append(times, sec), append(rates, n)
	}
	end := times[len(times)-1] + 1
	tr, err := workload.NewTrace(times, rates, end, workload.StepInterpolation, false)
	if err != nil {
		t.Fatal(err)
	}
	return tr, time.Duration(end) * time.Second
}

// TestLambdaAzureProvisioned runs the Azure conversation trace on Lambda at
// 1,769 MB with 2 s jobs three ways (on demand only; provisioned
// concurrency fixed at the mean demand; target tracking at 0.7) and checks
// the break-even rule on the actual trace: where the measured utilization
// of the provisioned environments is above the reported break-even, the run
// costs less than on demand alone, and where it is below, more.
func TestLambdaAzureProvisioned(t *testing.T) {
	tr, horizon := azureConv(t)
	s := simtest.RoundSetup(horizon)
	s.Box.Latency = 2 * time.Second
	base := policy.DefaultServerless()
	mean := tr.Total() / horizon.Seconds() * 2 // environments busy on average
	od, err := Serverless(context.Background(), s, tr, base)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("trace: %.0f requests in %v, mean demand %.1f environments; on demand: $%.4f, %d cold starts, %.0f missed",
		tr.Total(), horizon, mean, od.Cost, od.BoxStarts, od.Jobs.Missed)
	for _, tc := range []struct {
		name string
		mod  func(*policy.Serverless)
	}{
		{"fixed at the mean", func(p *policy.Serverless) { p.ProvisionedConcurrency = int(mean) }},
		{"fixed at half the mean", func(p *policy.Serverless) { p.ProvisionedConcurrency = int(mean / 2) }},
		{"fixed at twice the mean", func(p *policy.Serverless) { p.ProvisionedConcurrency = int(2 * mean) }},
		{"target tracking 0.7", func(p *policy.Serverless) { p.ProvisionedTarget = 0.7 }},
	} {
		p := base
		tc.mod(&p)
		r, err := Serverless(context.Background(), s, tr, p)
		if err != nil {
			t.Fatal(err)
		}
		simtest.CheckInvariants(t, tc.name, s, r)
		l := r.Lambda
		t.Logf("%s: $%.4f (on demand $%.4f), provisioned peak %d, utilization %.3f, break-even %.4f, cold starts %d",
			tc.name, r.Cost, od.Cost, l.ProvisionedPeak, l.ProvisionedUtilization, l.ProvisionedBreakEvenUtilization, r.BoxStarts)
		// The break-even compares provisioned and on-demand prices for the
		// work the provisioned environments did; the rest of the run is
		// the same work on demand either way, save the cold starts it saved.
		if l.ProvisionedUtilization > l.ProvisionedBreakEvenUtilization*1.02 && r.Cost >= od.Cost {
			t.Errorf("%s: utilization %.3f above break-even %.3f, yet $%.4f ≥ on demand $%.4f", tc.name, l.ProvisionedUtilization, l.ProvisionedBreakEvenUtilization, r.Cost, od.Cost)
		}
		if l.ProvisionedUtilization < l.ProvisionedBreakEvenUtilization*0.98 && r.Cost <= od.Cost {
			t.Errorf("%s: utilization %.3f below break-even %.3f, yet $%.4f ≤ on demand $%.4f", tc.name, l.ProvisionedUtilization, l.ProvisionedBreakEvenUtilization, r.Cost, od.Cost)
		}
	}
}
