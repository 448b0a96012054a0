package engine

import (
	"context"
	"testing"
	"time"

	"github.com/boxes-project/boxes/policy"
	"github.com/boxes-project/boxes/sim/internal/simtest"
	"github.com/boxes-project/boxes/workload"
)

// TestServerlessBilling derives a day of 100 jobs/s of 120 ms jobs at
// 1,536 MB (1.5 GB; not CPU-bound, so they run 120 ms there) on Lambda's
// list prices ($0.20 per million requests,
// $0.0000166667 per GB-second, https://aws.amazon.com/lambda/pricing/):
//
//   - demand is 100 × 0.12 = 12 environments. In the first second none is
//     warm: each new one spends 0.3 s starting, so n of them serve
//     n × 0.7 s, and 12 s of jobs need n = ceil(12 / 0.7) = 18 cold
//     starts of 300 ms, billed. The 18 stay warm for the 10-minute
//     keep-alive; after it, the 12 in use;
//   - requests: 8.64 M × $0.20/M = $1.728;
//   - run time: 8.64 M × 0.12 s × 1.5 GB × $0.0000166667 = $25.9200518...;
//   - cold starts: 18 × 0.3 s × 1.5 GB × $0.0000166667 = $0.000135...
//   - utilization (jobs and start-ups over environments): (12 + 18 × 0.3)
//     / 18 in the first second, 12/18 for the next 600 s (the keep-alive
//     runs from the end of the first second), 1 after;
//   - each cold start delays its job by 0.3 s: 18 × 0.3 / 8.64 M a job.
func TestServerlessBilling(t *testing.T) {
	s := simtest.RoundSetup(24 * time.Hour)
	s.Box.Latency = 120 * time.Millisecond
	p := policy.DefaultServerless()
	p.Price.MemoryGB = 1.5
	p.CPUBound = 0 // the 120 ms is the duration at 1.5 GB
	r, err := Serverless(context.Background(), s, workload.Constant(100), p)
	if err != nil {
		t.Fatal(err)
	}
	requests := 100.0 * 86400
	want := requests*0.2e-6 + requests*0.12*1.5*0.0000166667 + 18*0.3*1.5*0.0000166667
	simtest.Check(t, "cost", r.Cost, want, 1e-9) // a sum over 86,400 steps
	simtest.Check(t, "missed", r.Jobs.Missed, 0, 0)
	if r.BoxStarts != 18 || r.PeakBoxes != 18 {
		t.Errorf("cold starts %d, peak environments %d; want 18 and 18", r.BoxStarts, r.PeakBoxes)
	}
	simtest.Check(t, "utilization", r.Utilization.Mean, ((12+18*0.3)/18+600*12.0/18+(86400-601))/86400, 1e-9)
	simtest.Check(t, "cold-start delay", r.ColdStartDelay, 18*0.3/requests, 1e-9)

	// The free tier, prorated to a day of a 730-hour month, takes off
	// 1M × 24/730 requests and 400,000 × 24/730 GB-seconds.
	p.FreeTier = true
	r, err = Serverless(context.Background(), s, workload.Constant(100), p)
	if err != nil {
		t.Fatal(err)
	}
	free := 1e6*24/730*0.2e-6 + 400000*24.0/730*0.0000166667
	simtest.Check(t, "cost with the free tier", r.Cost, want-free, 1e-9)
}

// TestServerlessThrottle checks the concurrency limit: 12 environments of
// demand against a limit of 5 serve 5 / 0.12 = 41.67 jobs/s of the 100,
// except in the first second, when the 5 spend 0.3 s starting and serve
// 5 × 0.7 / 0.12 = 29.17. Utilization is 12/5 after the first second and
// (12 + 5 × 0.3)/5 in it.
func TestServerlessThrottle(t *testing.T) {
	s := simtest.RoundSetup(time.Hour)
	s.Box.Latency = 120 * time.Millisecond
	p := policy.DefaultServerless()
	p.ConcurrencyLimit = 5
	r, err := Serverless(context.Background(), s, workload.Constant(100), p)
	if err != nil {
		t.Fatal(err)
	}
	served := 5/0.12*3599 + 5*0.7/0.12
	simtest.Check(t, "served", r.Jobs.Served, served, 1e-12)
	simtest.Check(t, "missed", r.Jobs.Missed, 100*3600-served, 1e-12)
	simtest.Check(t, "utilization", r.Utilization.Mean, (12.0/5*3599+(12+5*0.3)/5)/3600, 1e-9)
	simtest.Check(t, "seconds over capacity", r.SecondsOverCapacity, 3600, 0)
}

// TestServerlessScaleUpRate checks the allowance: 2,000 environments of
// demand (jobs of 1 s) from nothing, with a burst of 1,000 refilled at 100
// a second, get 1,000 in the first second and 100 more each second after,
// reaching 2,000 at t = 10 s. Each second's new environments spend 0.3 s
// starting: the first second serves 1000 − 300 = 700 of 2,000 jobs
// (1,300 missed), second k = 1..10 serves 1000 + 100k − 30 (1030 − 100k
// missed), and from t = 11 s all are served: 1,300 + 10,300 − 5,500.
func TestServerlessScaleUpRate(t *testing.T) {
	s := simtest.RoundSetup(time.Minute)
	p := policy.DefaultServerless()
	p.ConcurrencyLimit = 10_000
	r, err := Serverless(context.Background(), s, workload.Constant(2000), p)
	if err != nil {
		t.Fatal(err)
	}
	simtest.Check(t, "missed", r.Jobs.Missed, 1300+10*1030-100*55, 1e-12)
	if r.BoxStarts != 2000 {
		t.Errorf("cold starts %d, want 2000", r.BoxStarts)
	}
}

// TestServerlessKeepAlive checks that idle environments are reclaimed after
// the keep-alive: a load every 20 minutes, 10 jobs/s of 1 s jobs for a
// minute, cold-starts ceil(10 / 0.7) = 15 environments (each loses 0.3 s
// starting) each time with a 10-minute keep-alive, and only the first time
// with a 30-minute one.
func TestServerlessKeepAlive(t *testing.T) {
	w := workload.Burst{Start: 0, Duration: 60, Height: 10, Every: 1200}
	for _, tc := range []struct {
		keep  time.Duration
		colds int
	}{{10 * time.Minute, 45}, {30 * time.Minute, 15}} {
		s := simtest.RoundSetup(time.Hour)
		p := policy.DefaultServerless()
		p.KeepAlive = tc.keep
		r, err := Serverless(context.Background(), s, w, p)
		if err != nil {
			t.Fatal(err)
		}
		if r.BoxStarts != tc.colds {
			t.Errorf("keep-alive %v: %d cold starts, want %d", tc.keep, r.BoxStarts, tc.colds)
		}
	}
}
