package sim

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/boxes-project/boxes/policy"
	"github.com/boxes-project/boxes/policy/hpa"
	"github.com/boxes-project/boxes/workload"
)

// BenchmarkSimulateYear is what `boxes simulate` does with a year of the
// default workload at 1 s under the HPA, one run after another (one
// worker): read the workload once for its statistics, run the policy on
// the fluid engine, run the oracle. It reports the whole against the
// policy's engine run alone, measured in the same loop in the thread's
// CPU time ("whole/engine", 1 is free), and the oracle's and the
// measurement's shares.
//
//	go test ./sim -run '^$' -bench SimulateYear -benchmem -count 6 -cpu 1
func BenchmarkSimulateYear(b *testing.B) {
	s := DefaultSetup()
	s.Horizon = 365 * 24 * time.Hour
	s.Boot = 90 * time.Second
	h := hpa.DefaultHPA()
	h.Target, h.MinReplicas, h.MaxReplicas = 0.7, 2, 100
	env := policy.Env{Latency: 0.2, Step: 1, Boot: 90, Horizon: s.Horizon.Seconds(), Start: s.Start, InitialRate: 30}
	b.ReportAllocs()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var measure, engine, oracle time.Duration
	for b.Loop() {
		t0 := threadCPU()
		sampler := workload.NewSampler(defaultYear, 0, 1)
		var buf [blockSize]float64
		sum := 0.0
		for k := 0; k < s.steps(); k += blockSize {
			m := min(blockSize, s.steps()-k)
			sampler.Next(buf[:m])
			for _, a := range buf[:m] {
				sum += a
			}
		}
		t1 := threadCPU()
		run, err := h.Start(env)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Fluid(context.Background(), s, defaultYear, run); err != nil {
			b.Fatal(err)
		}
		t2 := threadCPU()
		if _, err := Oracle(context.Background(), s, defaultYear, 1); err != nil {
			b.Fatal(err)
		}
		t3 := threadCPU()
		measure += t1 - t0
		engine += t2 - t1
		oracle += t3 - t2
	}
	b.ReportMetric((measure+engine+oracle).Seconds()/engine.Seconds(), "whole/engine")
	b.ReportMetric(oracle.Seconds()/engine.Seconds(), "oracle/engine")
	b.ReportMetric(measure.Seconds()/engine.Seconds(), "measure/engine")
}
