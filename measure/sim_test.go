package measure

import (
	"context"
	"math"
	"net/http"
	"testing"
	"time"
)

// slotsLoad is a closed loop against c slots of service time L, FCFS,
// worked out on paper rather than slept through: each job's times are
// computed, so the measurement's arithmetic is checked without a timer's
// jitter. A worker's next job starts when its last one ends.
func slotsLoad(c int, L time.Duration) Load {
	return LoadFunc(func(ctx context.Context, j Job, record func(Sample)) error {
		begin := time.Now()
		free := make([]time.Time, c)
		for i := range free {
			free[i] = begin
		}
		ready := make([]time.Time, j.Workers)
		for i := range ready {
			ready[i] = begin
		}
		for {
			w := 0
			for i := range ready {
				if ready[i].Before(ready[w]) {
					w = i
				}
			}
			if ready[w].Sub(begin) > j.Duration {
				return nil
			}
			s := 0
			for i := range free {
				if free[i].Before(free[s]) {
					s = i
				}
			}
			start := ready[w]
			if free[s].After(start) {
				start = free[s]
			}
			end := start.Add(L)
			record(Sample{Scheduled: ready[w], Start: ready[w], End: end})
			ready[w], free[s] = end, end
		}
	})
}

// TestSlotsExact: on the paper server the throughput is min(N, c)/L to
// within 0.5% (the window's fractions leave no rounding; what is left is the
// first jobs' start-up in the warm-up) and the mean response time
// max(N, c)/c × L (Little's law) within 1%.
func TestSlotsExact(t *testing.T) {
	const c, L = 4, 20 * time.Millisecond
	r, err := Sweep(context.Background(), slotsLoad(c, L), closedPlan(1, 2, 3, 4, 6, 8, 16))
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range r.Levels {
		want := math.Min(l.Concurrency, c) / L.Seconds()
		if math.Abs(l.Throughput-want) > 0.005*want {
			t.Errorf("N=%g: throughput %.3f/s, want %.3f/s", l.Concurrency, l.Throughput, want)
		}
		if wantR := math.Max(l.Concurrency, c) / c * L.Seconds(); math.Abs(l.Mean-wantR) > 0.01*wantR {
			t.Errorf("N=%g: mean %.3fms, want %.3fms", l.Concurrency, l.Mean*1e3, wantR*1e3)
		}
	}
	if k := r.Knee(); k != c {
		t.Errorf("knee %g, want %d", k, c)
	}
}

// TestCoordinatedOmission: an open loop of 100 requests/s, uniform, to a
// server that takes 20 ms, with a single worker (max_concurrency 1): the
// worker sends only 50/s, so the request due at t leaves at about 2t and
// waits about t. Measured from when they left, every response takes 20 ms;
// measured from when they were due (what the package does), the requests
// due in the window [0.2 s, 1.2 s) that were sent before the level ended
// (those due up to 0.6 s) waited 0.2–0.6 s: the test asks for a mean above
// 100 ms, five times the service time.
func TestCoordinatedOmission(t *testing.T) {
	srv := &testServer{Latency: 20 * time.Millisecond}
	p := Plan{Rates: []float64{100}, Arrivals: Arrivals{Kind: "uniform"}, Warmup: 200 * time.Millisecond, Duration: time.Second, Limits: DefaultLimits()}
	p.Limits.MaxConcurrency = 1
	r, err := Sweep(context.Background(), &HTTP{Method: http.MethodGet, URL: srv.start(t)}, p)
	if err != nil {
		t.Fatal(err)
	}
	l := r.Levels[0]
	t.Logf("rate 100/s, one worker: X = %.1f/s, mean %.1fms, p50 %.1fms, p99 %.1fms", l.Throughput, l.Mean*1e3, l.P50*1e3, l.P99*1e3)
	if l.Mean < 0.1 || l.P99 < l.P50 {
		t.Errorf("mean response time %.1fms: the wait for the worker is not counted (coordinated omission)", l.Mean*1e3)
	}
	if l.Throughput > 55 {
		t.Errorf("throughput %.1f/s from one worker of 20 ms", l.Throughput)
	}
}
