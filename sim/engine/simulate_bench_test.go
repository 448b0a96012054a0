package engine_test

import (
	"context"
	"syscall"
	"testing"
	"time"

	"github.com/boxes-project/boxes/scenario"
	"github.com/boxes-project/boxes/sim/engine"
	"github.com/boxes-project/boxes/sim/events"
)

// processCPU is the CPU time the process has used, every thread (getrusage
// RUSAGE_SELF): a scenario's runs go on several goroutines.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// mdc10 is the M/D/10 scenario of issue 15: λ = 9/s on ten boxes of 1 s
// jobs, an unbounded queue, 10⁸ jobs (3,087 hours).
const mdc10 = `
horizon: 3087h
engine: events
box: {latency: 1s, price: $0.10/h, boot: 60s}
jobs: {queue: unbounded}
workload: {constant: 9/s}
policies: [{fixed: {capacity: 10}}]
`

// BenchmarkSimulateMDc is what boxes simulate does with the M/D/10 file
// (measure the workload, run the policy on the events engine, run the
// oracle), against the events engine alone on the same scenario, in the
// same loop, in the process's CPU time: "engine/whole" is 1 when the rest
// is free.
//
//	go test ./sim/engine -run '^$' -bench SimulateMDc -benchmem -count 6 -cpu 1
func BenchmarkSimulateMDc(b *testing.B) {
	sc, err := scenario.Parse([]byte(mdc10), "mdc10.yaml")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	var alone, whole time.Duration
	jobs := 0.0
	for b.Loop() {
		run, err := sc.Policies[0].Config.Start(sc.Env(sc.Measure()))
		if err != nil {
			b.Fatal(err)
		}
		t0 := processCPU()
		r, err := events.Events(context.Background(), sc.Setup, sc.Workload, run, sc.Jobs)
		if err != nil {
			b.Fatal(err)
		}
		t1 := processCPU()
		if _, err := sc.Run(context.Background(), scenario.Options{Workers: 1}); err != nil {
			b.Fatal(err)
		}
		t2 := processCPU()
		alone += t1 - t0
		whole += t2 - t1
		jobs += r.Jobs.Arrived
	}
	b.ReportMetric(alone.Seconds()/whole.Seconds(), "engine/whole")
	b.ReportMetric(jobs/alone.Seconds(), "engine-jobs/cpu-s")
}

// year is the default scenario's workload and its HPA over a year at 1 s
// (31.5 million steps) on the fluid engine: issue 15's whole-year row.
const year = `
horizon: 8760h
box: {latency: 200ms, price: $0.10/h, boot: 90s}
workload:
  noise:
    sigma: 0.05
    interval: 1m
    of:
      sum:
        - daily: {mean: 60/s, ratio: 4, peak: "15:00"}
        - burst: {start: "12:00", duration: 20m, height: 120/s}
policies: [{hpa: {metric: cpu, target: 0.7, min: 2, max: 100, behavior: {}}}]
`

// BenchmarkSimulateYear is what boxes simulate does with a year of the
// default workload at 1 s under the HPA, with one worker: estimate the
// cost for the budget (scenario.Cost), then run (scenario.Run: the policy
// on the fluid engine, the oracle, the workload's statistics), against the
// policy's engine run alone, in the same loop, in the process's CPU time
// ("whole/engine", 1 when the rest is free; the floor is 1.5).
//
//	go test ./sim/engine -run '^$' -bench SimulateYear -benchmem -count 6 -cpu 1
func BenchmarkSimulateYear(b *testing.B) {
	sc, err := scenario.Parse([]byte(year), "year.yaml")
	if err != nil {
		b.Fatal(err)
	}
	st := sc.Measure() // what the policy starts from, outside the loop
	b.ReportAllocs()
	var alone, whole time.Duration
	for b.Loop() {
		run, err := sc.Policies[0].Config.Start(sc.Env(st))
		if err != nil {
			b.Fatal(err)
		}
		t0 := processCPU()
		if _, err := engine.Fluid(context.Background(), sc.Setup, sc.Workload, run); err != nil {
			b.Fatal(err)
		}
		t1 := processCPU()
		_ = sc.Cost(1)
		if _, err := sc.Run(context.Background(), scenario.Options{Workers: 1}); err != nil {
			b.Fatal(err)
		}
		t2 := processCPU()
		alone += t1 - t0
		whole += t2 - t1
	}
	b.ReportMetric(whole.Seconds()/alone.Seconds(), "whole/engine")
}
