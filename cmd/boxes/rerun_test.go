package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/boxes-project/boxes/workload"
)

// simulateJSON runs boxes simulate --format json with args and returns the
// output.
func simulateJSON(t *testing.T, args ...string) []byte {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := runMain(context.Background(), append([]string{"simulate", "--format", "json", "--series"}, args...), strings.NewReader(""), &stdout, &stderr)
	if code != 0 {
		t.Fatalf("boxes simulate %v: exit %d: %s", args, code, stderr.String())
	}
	return stdout.Bytes()
}

// fields splits a result into its top-level fields.
func fields(t *testing.T, b []byte) map[string]json.RawMessage {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestSimulateSavedResult: a result carries its normalized scenario, and
// `boxes simulate result.json` runs it again to the same results, byte for
// byte, and the same document (issue 9). Scenarios: the default, one per
// workload preset, the per-job engine with replications, and a scheduled
// policy.
func TestSimulateSavedResult(t *testing.T) {
	dir := t.TempDir()
	scenarios := map[string]string{
		"default": "",
		"events": `horizon: 30m
engine: events
replications: 2
jobs: {latency: exponential, queue: {kind: unbounded, deadline: 2s}, value: {kind: linear, horizon: 3s}}
workload: {noise: {sigma: 0.1, of: {constant: 30/s}}}
policies: [{name: few, fixed: {capacity: 8}}, {hpa: {target: 0.6, behavior: {}}}]
`,
		"scheduled": `horizon: 2h
start: 2026-01-05T08:00:00Z
workload: {preset: flat}
policies: [{scheduled: {default: 2, windows: [{days: weekdays, from: "09:00", to: "17:00", capacity: 30}]}}, {target: {utilization: 0.5}}, {serverless: {free_tier: true}}]
`,
	}
	for _, p := range workload.PresetNames() {
		scenarios["preset-"+p] = "horizon: 6h\nworkload: {preset: " + p + "}\npolicies: [{fixed: {}}, {hpa: {}}, {serverless: {}}]\n"
	}
	for name, text := range scenarios {
		t.Run(name, func(t *testing.T) {
			var args []string
			if text != "" {
				f := filepath.Join(dir, name+".yaml")
				if err := os.WriteFile(f, []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
				args = append(args, f)
			}
			first := simulateJSON(t, args...)
			saved := filepath.Join(dir, name+".result.json")
			if err := os.WriteFile(saved, first, 0o644); err != nil {
				t.Fatal(err)
			}
			again := simulateJSON(t, saved)
			a, b := fields(t, first), fields(t, again)
			for _, k := range []string{"results", "document", "workload"} {
				if !bytes.Equal(a[k], b[k]) {
					t.Errorf("%s differ after a re-run of the saved result", k)
				}
			}
			if len(a["document"]) == 0 {
				t.Error("the result has no document")
			}
		})
	}
}

// TestFlagsAfterArguments: the issue's own command, flags after the file:
// boxes simulate --format json > r.json && boxes simulate r.json --format json.
func TestFlagsAfterArguments(t *testing.T) {
	dir := t.TempDir()
	first := simulateJSON(t)
	saved := filepath.Join(dir, "r.json")
	if err := os.WriteFile(saved, first, 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := runMain(context.Background(), []string{"simulate", saved, "--series", "--format", "json"}, strings.NewReader(""), &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if a, b := fields(t, first), fields(t, stdout.Bytes()); !bytes.Equal(a["results"], b["results"]) {
		t.Error("the results differ")
	}
}
