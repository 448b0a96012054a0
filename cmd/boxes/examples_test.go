package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

// TestExamples runs the repository's examples on the real Azure trace in
// ../shared/data (beside the repository, as CI lays it out): every scaler
// side by side, and the sweep for the cheapest HPA and Lambda provisioned
// concurrency. They must run, lead with a verdict, and answer for both.
func TestExamples(t *testing.T) {
	var out, errs bytes.Buffer
	if code := runMain(context.Background(), []string{"simulate", "../../examples/azure-every-scaler.yaml", "--format", "json"}, strings.NewReader(""), &out, &errs); code != 0 {
		t.Fatalf("simulate: exit %d: %s", code, errs.String())
	}
	var sim struct {
		Verdict struct{ Policy string } `json:"verdict"`
		Results []struct{ Policy, Kind string }
	}
	if err := json.Unmarshal(out.Bytes(), &sim); err != nil {
		t.Fatal(err)
	}
	if sim.Verdict.Policy == "" || len(sim.Results) != 12 {
		t.Errorf("every scaler: verdict %q, %d rows (want a policy and the oracle + 11)", sim.Verdict.Policy, len(sim.Results))
	}
	out.Reset()
	if code := runMain(context.Background(), []string{"sweep", "../../examples/azure-sweep.yaml", "--format", "json"}, strings.NewReader(""), &out, &errs); code != 0 {
		t.Fatalf("sweep: exit %d: %s", code, errs.String())
	}
	var sw struct {
		Configurations []json.RawMessage     `json:"configurations"`
		BestByPolicy   map[string]struct{}   `json:"best_by_policy"`
		Pareto         map[string][]struct{} `json:"pareto"`
	}
	if err := json.Unmarshal(out.Bytes(), &sw); err != nil {
		t.Fatal(err)
	}
	_, hpa := sw.BestByPolicy["hpa"]
	_, lambda := sw.BestByPolicy["lambda"]
	if len(sw.Configurations) != 180 || !hpa || !lambda || len(sw.Pareto["missed"]) == 0 {
		t.Errorf("sweep: %d configurations, best hpa %v, best lambda %v, %d on the front", len(sw.Configurations), hpa, lambda, len(sw.Pareto["missed"]))
	}
}
