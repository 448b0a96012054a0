package main

import (
	"errors"
	"flag"
	"io"
	"strings"
	"testing"

	"github.com/boxes-project/boxes/sweep"
)

// TestSweepBudgetAccepts: the documented big runs pass a sweep's budget
// at the default flags (a year at 1 s steps; a billion jobs on the per-job
// engine), two configurations of each, and the absurd is refused by the
// limit it passes.
func TestSweepBudgetAccepts(t *testing.T) {
	for _, tt := range []struct {
		name, doc string
		limit     string // "" accepted, else the flag named
	}{
		{"a year at 1 s", "horizon: 8760h\nstep: 1s\nworkload: {constant: 10/s}\npolicies: [{name: hpa, hpa: {}}]\nsweep:\n  policies[hpa].target: [0.5, 0.7]\n", ""},
		// 11,574/s for a day is a billion jobs.
		{"a billion jobs", "horizon: 24h\nengine: events\nworkload: {constant: 11574/s}\npolicies: [{name: f, fixed: {capacity: 3000}}]\nsweep:\n  policies[f].capacity: [3000, 3100]\n", ""},
		// 200 of them: 200 billion jobs.
		{"200 billion jobs", "horizon: 24h\nengine: events\nworkload: {constant: 11574/s}\npolicies: [{name: f, fixed: {capacity: 3000}}]\nsweep:\n  policies[f].capacity: 3000..3199 step 1\n", "--max-work"},
	} {
		sw, err := sweep.Parse([]byte(tt.doc), "s.yaml")
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		b := addBudgetFlags(fs)
		err = checkSweep(sw, sweep.All, "", 0, 2, b)
		var he hintError
		switch {
		case tt.limit == "" && err != nil:
			t.Errorf("%s: refused: %v", tt.name, err)
		case tt.limit != "" && (!errors.As(err, &he) || !strings.Contains(he.hint, tt.limit)):
			t.Errorf("%s: %v, want a refusal naming %s", tt.name, err, tt.limit)
		}
	}
}
