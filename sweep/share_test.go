package sweep

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"github.com/boxes-project/boxes/report"
	"github.com/boxes-project/boxes/scenario"
)

// shareCases are sweeps whose configurations share one reading of the
// workload, and sweeps that must not (they set what the workload depends
// on), on both engines.
var shareCases = []struct {
	name, doc string
	fixed     bool // the sweep leaves the workload alone
}{
	// The default day (noise over a daily cycle and a burst) under two
	// policy settings and a box setting.
	{"default day", string(scenario.DefaultYAML()) + `
sweep:
  policies[hpa].target: [0.5, 0.8]
  policies[hpa].min: [1, 3]
  box.boot: [30s, 90s]
`, true},
	// The per-job engine with replications and a queue.
	{"events", `
horizon: 1h
seed: 3
engine: events
replications: 2
jobs: {latency: {distribution: exponential}, queue: unbounded}
workload: {noise: {sigma: 0.2, interval: 1m, of: {daily: {mean: 20/s, ratio: 3, peak: "00:30"}}}}
policies: [{name: hpa, hpa: {}}, {name: sls, serverless: {}}]
sweep:
  policies[hpa].min: [1, 4]
  box.latency: [100ms, 200ms]
`, true},
	// A Poisson workload on both engines: the per-job engine's runs read
	// the Poisson curve's mean themselves.
	{"poisson", `
horizon: 2h
workload: {poisson: {of: {constant: 15/s}}}
policies: [{name: hpa, hpa: {}}]
sweep:
  engine: [fluid, events]
  policies[hpa].target: [0.6, 0.9]
`, true},
	// The seed and the workload's own settings change the steps: each
	// configuration reads its own.
	{"seed", string(scenario.DefaultYAML()) + `
sweep:
  seed: [1, 2]
`, false},
	{"workload setting", `
horizon: 3h
workload: {daily: {mean: 20/s, ratio: 2}}
policies: [{name: hpa, hpa: {}}]
sweep:
  workload.daily.mean: [10/s, 30/s]
`, false},
}

// oneByOne is the sweep's output computed configuration by configuration,
// with no sharing at all: each configuration's scenario decoded alone and
// run with every run sampling the workload itself, as sweeps ran before
// they shared.
func oneByOne(t *testing.T, sw *Sweep) []Entry {
	t.Helper()
	var out []Entry
	for _, c := range sw.Configurations {
		sc, err := sw.Scenario(c)
		if err != nil {
			t.Fatal(err)
		}
		o, err := sc.WithoutSharing().Run(context.Background(), scenario.Options{Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		cj := ConfigurationJSON{Index: c.Index, Settings: map[string]string{}, Results: report.NewSimulationJSON(o, false).Results}
		for _, st := range c.Settings {
			cj.Settings[st.Path] = st.Value
		}
		b, err := json.Marshal(cj)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, Entry{Index: c.Index, Output: b})
	}
	return out
}

func sameEntries(t *testing.T, what string, got, want []Entry) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d configurations, want %d", what, len(got), len(want))
	}
	for i := range want {
		if got[i].Index != want[i].Index || !bytes.Equal(got[i].Output, want[i].Output) {
			t.Fatalf("%s: configuration %d differs:\ngot  %.300s\nwant %.300s", what, want[i].Index, got[i].Output, want[i].Output)
		}
	}
}

// TestSharedWorkloadSameBytes: a sweep whose configurations replay one
// reading of the workload gives the same bytes as the configurations run
// one by one without sharing, whatever the workers (1 or 3), with sharing
// turned off (Options.Unshared), and as the whole JSON output.
func TestSharedWorkloadSameBytes(t *testing.T) {
	ctx := context.Background()
	for _, c := range shareCases {
		t.Run(c.name, func(t *testing.T) {
			sw, err := Parse([]byte(c.doc), "share.yaml")
			if err != nil {
				t.Fatal(err)
			}
			if got := sw.workloadFixed(); got != c.fixed {
				t.Fatalf("workloadFixed() = %v, want %v", got, c.fixed)
			}
			want := oneByOne(t, sw)
			var outputs [][]byte
			for _, opt := range []Options{{Workers: 1}, {Workers: 3}, {Workers: 2, Unshared: true}} {
				got, err := sw.Run(ctx, All, opt)
				if err != nil {
					t.Fatal(err)
				}
				sameEntries(t, "shared", got, want)
				o, err := Assemble(sw.Header(), got, sloMet)
				if err != nil {
					t.Fatal(err)
				}
				b, err := json.Marshal(o)
				if err != nil {
					t.Fatal(err)
				}
				outputs = append(outputs, b)
			}
			for _, b := range outputs[1:] {
				if !bytes.Equal(b, outputs[0]) {
					t.Fatal("the sweep's JSON depends on the workers or on sharing")
				}
			}
			if c.fixed && (sw.samples == nil || sw.samples.smp == nil) {
				t.Error("the sweep leaves the workload alone, and did not keep one reading of it")
			}
		})
	}
}

// TestSharedWorkloadShards: shards of a sweep that shares its workload,
// merged, give the unsharded run's entries (each shard reads the workload
// once for its own configurations).
func TestSharedWorkloadShards(t *testing.T) {
	sw, err := Parse([]byte(shareCases[0].doc), "share.yaml")
	if err != nil {
		t.Fatal(err)
	}
	whole, err := sw.Run(context.Background(), All, Options{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	var parts []*Part
	for i := range 3 {
		sh := Shard{Index: i, Count: 3}
		fresh, err := Parse([]byte(shareCases[0].doc), "share.yaml") // a process of its own
		if err != nil {
			t.Fatal(err)
		}
		es, err := fresh.Run(context.Background(), sh, Options{Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		parts = append(parts, fresh.Part(sh, es))
	}
	merged, err := Merge(parts)
	if err != nil {
		t.Fatal(err)
	}
	sameEntries(t, "3 shards merged", merged, whole)
}
