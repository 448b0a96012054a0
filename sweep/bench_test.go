package sweep

import (
	"context"
	"os"
	"runtime"
	"testing"

	"github.com/boxes-project/boxes/scenario"
)

// benchSweep is the default day (one day at one-second steps, four
// policies and the oracle, on the fluid engine) under eight HPA targets,
// and the same day as a plain simulate.
func benchSweep(b *testing.B) (*Sweep, *scenario.Scenario) {
	b.Helper()
	doc := append(scenario.DefaultYAML(), []byte("\nsweep:\n  policies[hpa].target: 0.60..0.95 step 0.05\n")...)
	sw, err := Parse(doc, "default.yaml")
	if err != nil {
		b.Fatal(err)
	}
	sc, err := scenario.Default()
	if err != nil {
		b.Fatal(err)
	}
	return sw, sc
}

// sweepAgainstSimulate runs the sweep and a plain simulate of the same day
// in each iteration, one core at a time, and reports configurations per
// CPU-second (on one core, configurations per second per core) and the
// cost of a configuration as a ratio to the simulate's ("ratio" below 1:
// a configuration costs less than running the scenario alone, because
// the sweep reads the workload once for all of them).
func sweepAgainstSimulate(b *testing.B, sw *Sweep, sc *scenario.Scenario, opt Options) {
	ctx := context.Background()
	n := len(sw.Configurations)
	var sweepNs, simNs float64
	b.ReportAllocs()
	for b.Loop() {
		t0 := cpuNow()
		if _, err := sw.Run(ctx, All, opt); err != nil {
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

// BenchmarkSweepDefaultDay runs eight configurations of the default day
// on one core, sharing one reading of the workload, and a plain simulate
// of the same day in the same loop (sweepAgainstSimulate). The issue's
// floor, 1,000 configurations in under 20 s on 2 cores, is 25
// configurations/s/core.
//
//	go test ./sweep -run '^$' -bench SweepDefaultDay -count 6
func BenchmarkSweepDefaultDay(b *testing.B) {
	sw, sc := benchSweep(b)
	sweepAgainstSimulate(b, sw, sc, Options{Workers: 1})
}

// BenchmarkSweepDefaultDayUnshared is BenchmarkSweepDefaultDay with every
// run of the sweep and of the simulate sampling the workload itself, as
// before they shared it: the saving measured in the same run.
func BenchmarkSweepDefaultDayUnshared(b *testing.B) {
	sw, sc := benchSweep(b)
	sweepAgainstSimulate(b, sw, sc.WithoutSharing(), Options{Workers: 1, Unshared: true})
}

// BenchmarkSweepDefaultDayAllCores runs the eight configurations on every
// core (Workers 0) and reports configurations per second per core by the
// wall clock, as a user sees it, beside the CPU figure (on a machine
// shared with other work, the wall clock counts the wait for a core).
func BenchmarkSweepDefaultDayAllCores(b *testing.B) {
	sw, _ := benchSweep(b)
	ctx := context.Background()
	b.ReportAllocs()
	cpu0 := cpuNow()
	for b.Loop() {
		if _, err := sw.Run(ctx, All, Options{}); err != nil {
			b.Fatal(err)
		}
	}
	configs := float64(b.N * len(sw.Configurations))
	cores := float64(runtime.GOMAXPROCS(0))
	b.ReportMetric(configs/b.Elapsed().Seconds()/cores, "configs/s/core")
	b.ReportMetric(configs/(float64(cpuNow()-cpu0)/1e9), "configs/cpu-s")
}

// TestThousandConfigurations: the 1,000-configuration example (the
// benchmark's day under 10 × 10 × 10 HPA settings) parses to 1,000
// configurations that share one reading of the workload. It runs only as
// the benchmark's CLI figure:
//
//	time go run ./cmd/boxes sweep sweep/testdata/default-day-1000.yaml --out /dev/null
func TestThousandConfigurations(t *testing.T) {
	data, err := os.ReadFile("testdata/default-day-1000.yaml")
	if err != nil {
		t.Fatal(err)
	}
	sw, err := Parse(data, "default-day-1000.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if n := len(sw.Configurations); n != 1000 || !sw.workloadFixed() {
		t.Errorf("%d configurations, workload fixed %v; want 1000 sharing the workload", n, sw.workloadFixed())
	}
}
