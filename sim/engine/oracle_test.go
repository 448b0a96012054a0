package engine

import (
	"context"
	"testing"
	"time"

	"github.com/boxes-project/boxes/sim"
	"github.com/boxes-project/boxes/sim/internal/simtest"
	"github.com/boxes-project/boxes/workload"
)

// pulses is a load of 10 jobs/s during [100, 150), [170, 200) and
// [400, 450), and nothing otherwise.
var pulses = workload.Steps{Steps: []workload.Step{
	{At: 100, Rate: 10}, {At: 150, Rate: 0}, {At: 170, Rate: 10}, {At: 200, Rate: 0}, {At: 400, Rate: 10}, {At: 450, Rate: 0},
}}

// TestOracleByHand derives the oracle's schedule for the pulses by hand. Jobs
// take 1 s, so each pulse needs 10 boxes; boxes boot in 30 s.
func TestOracleByHand(t *testing.T) {
	tests := []struct {
		name      string
		drain     time.Duration
		billing   sim.Billing
		boxSecond float64 // box-seconds billed
		starts    int
	}{
		// The 20 s gap after the first pulse is shorter than boot + drain
		// (30 s): the boxes stay. The 200 s gap is longer: they go at 200
		// and new ones boot at 370. Each of 10 boxes lives [70, 200) and
		// [370, 450): 130 + 80 = 210 s.
		{"no drain", 0, sim.Billing{}, 10 * 210, 20},
		// With 5 s of drain, each stop bills 5 s more: 10 × 220.
		{"drain 5 s", 5 * time.Second, sim.Billing{}, 10 * 220, 20},
		// Per-second billing changes nothing: every lifetime is whole.
		{"per second", 5 * time.Second, sim.PerSecond(), 10 * 220, 20},
		// Per started hour: each of the 20 boxes pays an hour.
		{"per hour", 0, sim.PerHour(), 20 * 3600, 20},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := simtest.RoundSetup(1000 * time.Second)
			s.Boot = 30 * time.Second
			s.Drain = tc.drain
			s.Billing = tc.billing
			r, err := Oracle(context.Background(), s, pulses, 1)
			if err != nil {
				t.Fatal(err)
			}
			simtest.Check(t, "missed", r.Jobs.Missed, 0, 0)
			simtest.Check(t, "served", r.Jobs.Served, 10*(50+30+50), 1e-12)
			simtest.Check(t, "cost", r.Cost, tc.boxSecond*0.001, 1e-12)
			simtest.Check(t, "oracle cost is its own cost", r.OracleCost, r.Cost, 0)
			if r.BoxStarts != tc.starts || r.PeakBoxes != 10 {
				t.Errorf("box starts %d, peak %d; want %d and 10", r.BoxStarts, r.PeakBoxes, tc.starts)
			}
		})
	}
}

// TestOracleTarget checks the need: ceil(JobRate × Latency / target). A flat
// 10 jobs/s of 1 s jobs needs 10 boxes at utilization 1, 13 at 0.8
// (12.5 rounded up), 20 at 0.5; the oracle starts warm, with no boot.
func TestOracleTarget(t *testing.T) {
	for _, tc := range []struct {
		target float64
		boxes  int
	}{{1, 10}, {0.8, 13}, {0.5, 20}} {
		s := simtest.RoundSetup(time.Hour)
		s.Boot = time.Minute
		r, err := Oracle(context.Background(), s, workload.Constant(10), tc.target)
		if err != nil {
			t.Fatal(err)
		}
		simtest.Check(t, "cost", r.Cost, float64(tc.boxes)*3.6, 1e-12)
		if r.BoxStarts != 0 {
			t.Errorf("target %g: %d boxes started, want 0 (warm start)", tc.target, r.BoxStarts)
		}
	}
	if _, err := Oracle(context.Background(), simtest.RoundSetup(time.Hour), workload.Constant(1), 1.5); err == nil {
		t.Error("an oracle utilization of 1.5 was accepted")
	}
}

// TestOracleBeatsFixed checks the bound against a policy that misses
// nothing: 10 fixed boxes cost 10 × 1000 box-seconds, the oracle 2,100.
func TestOracleBeatsFixed(t *testing.T) {
	s := simtest.RoundSetup(1000 * time.Second)
	s.Boot = 30 * time.Second
	o, err := Oracle(context.Background(), s, pulses, 1)
	if err != nil {
		t.Fatal(err)
	}
	f, err := Fluid(context.Background(), s, pulses, simtest.Fixed(10))
	if err != nil {
		t.Fatal(err)
	}
	if f.Jobs.Missed != 0 || f.Cost < o.Cost {
		t.Errorf("fixed: missed %g, cost %g; oracle cost %g", f.Jobs.Missed, f.Cost, o.Cost)
	}
}
