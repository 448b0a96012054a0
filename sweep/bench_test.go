package sweep

import (
	"context"
	"testing"

	"github.com/boxes-project/boxes/scenario"
)

// BenchmarkSweepDefaultDay runs configurations of the embedded default
// scenario (one day at one-second steps, four policies and the oracle, on
// the fluid engine) one core at a time, and a plain simulate of the same
// day in the same loop, and reports configurations per second per core
// and their cost as a ratio to the simulate ("ratio" near 1: a sweep costs
// what running each configuration alone costs). The floor, 1,000
// configurations in under 20 s on 2 cores, is 25 configurations/s/core.
//
//	go test ./sweep -run '^$' -bench SweepDefaultDay -count 6
func BenchmarkSweepDefaultDay(b *testing.B) {
	doc := append(scenario.DefaultYAML(), []byte("\nsweep:\n  policies[hpa].target: 0.60..0.95 step 0.05\n")...)
	sw, err := Parse(doc, "default.yaml")
	if err != nil {
		b.Fatal(err)
	}
	sc, err := scenario.Default()
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	n := len(sw.Configurations)
	var sweepNs, simNs float64
	b.ReportAllocs()
	for b.Loop() {
		t0 := cpuNow()
		if _, err := sw.Run(ctx, All, Options{Workers: 1}); err != nil {
			b.Fatal(err)
		}
		t1 := cpuNow()
		if _, err := sc.Run(ctx, scenario.Options{Workers: 1}); err != nil {
			b.Fatal(err)
		}
		t2 := cpuNow()
		sweepNs += float64(t1 - t0)
		simNs += float64(t2 - t1)
	}
	perConfig := sweepNs / float64(b.N*n)
	b.ReportMetric(1e9/perConfig, "configs/cpu-s")
	b.ReportMetric(perConfig/(simNs/float64(b.N)), "ratio")
}
