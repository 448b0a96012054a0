package engine

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/boxes-project/boxes"
	"github.com/boxes-project/boxes/policy"
	"github.com/boxes-project/boxes/sim"
	"github.com/boxes-project/boxes/sim/internal/simtest"
	"github.com/boxes-project/boxes/workload"
)

// follow wants ceil(JobRate × Latency) boxes for the job rate of the last
// second: the articles' "hold utilization at 1" with a one-second metric.
func follow(initial int) policy.Run {
	return policy.Run{
		Policy: policy.Func(func(o *policy.Observation) int {
			m, ok := o.Metrics(1, 0)
			if !ok {
				return initial
			}
			return boxes.CapacityFor(boxes.Rate(m.JobRate), time.Duration(o.Latency*1e9), 1)
		}),
		Initial:  initial,
		Lookback: 1,
	}
}

// TestFluidFixedCapacity checks the first article's equations on a flat load:
// Throughput = Capacity / Latency, Utilization = JobRate / Throughput, Cost =
// Price × Capacity × Time.
func TestFluidFixedCapacity(t *testing.T) {
	s := simtest.DefaultSetup() // 200 ms jobs, $0.10/h, one day in 1 s steps
	tests := []struct {
		name     string
		rate     float64 // jobs/s
		capacity int
		// expected, from the articles' equations with Throughput = 10/0.2 = 50/s
		served, missed, util, over, busy float64
	}{
		// 40/s on 50/s of throughput: utilization 0.8, nothing missed.
		{"under capacity", 40, 10, 40 * 86400, 0, 0.8, 0, 0.8},
		// 60/s on 50/s: utilization 1.2, 10/s missed all day.
		{"over capacity", 60, 10, 50 * 86400, 10 * 86400, 1.2, 86400, 1},
		// No load: utilization 0, every box idle.
		{"no load", 0, 10, 0, 0, 0, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Fluid(context.Background(), s, workload.Constant(tc.rate), simtest.Fixed(tc.capacity))
			if err != nil {
				t.Fatal(err)
			}
			simtest.Check(t, "arrived", r.Jobs.Arrived, tc.rate*86400, 1e-12)
			simtest.Check(t, "served", r.Jobs.Served, tc.served, 1e-12)
			simtest.Check(t, "missed", r.Jobs.Missed, tc.missed, 1e-12)
			// Utilization is constant, so every statistic equals it; the
			// quantiles are histogram bin midpoints (within 1/2048).
			simtest.Check(t, "utilization mean", r.Utilization.Mean, tc.util, 1e-9)
			simtest.Check(t, "utilization max", r.Utilization.Max, tc.util, 1e-9)
			simtest.Check(t, "utilization p50", r.Utilization.P50, tc.util, 1.0/2048)
			simtest.Check(t, "utilization p95", r.Utilization.P95, tc.util, 1.0/2048)
			simtest.Check(t, "seconds over capacity", r.SecondsOverCapacity, tc.over, 0)
			simtest.Check(t, "busy fraction", r.BusyFraction, tc.busy, 1e-9)
			// Cost = $0.10/h × 10 boxes × 24 h = $24, whatever the load.
			simtest.Check(t, "cost", r.Cost, 24, 1e-12)
			simtest.Check(t, "box-hours", r.BoxHours, 240, 1e-12)
			// Idle cost: the box time not spent on jobs, served × 0.2 s busy.
			simtest.Check(t, "idle cost", r.IdleCost, 24-tc.served*0.2*0.10/3600, 1e-9)
			if r.BoxStarts != 0 || r.PeakBoxes != 10 {
				t.Errorf("box starts %d, peak %d; want 0 and 10", r.BoxStarts, r.PeakBoxes)
			}
		})
	}
}

// TestFluidSecondArticle checks the second article's examples: one box, jobs of 1 s
// done one at a time serve 1 job a second; halving the latency serves 2;
// doing two at a time (two boxes) serves 2.
func TestFluidSecondArticle(t *testing.T) {
	tests := []struct {
		name     string
		latency  time.Duration
		capacity int
		want     float64 // jobs served per second
	}{
		{"one at a time, 1 s", time.Second, 1, 1},
		{"halve the latency", 500 * time.Millisecond, 1, 2},
		{"two at a time", time.Second, 2, 2},
	}
	for _, tc := range tests {
		s := simtest.RoundSetup(time.Hour)
		s.Box.Latency = tc.latency
		// Offer far more than either can do: what is served is the throughput.
		r, err := Fluid(context.Background(), s, workload.Constant(100), simtest.Fixed(tc.capacity))
		if err != nil {
			t.Fatal(err)
		}
		simtest.Check(t, tc.name+": served per second", r.Jobs.Served/3600, tc.want, 1e-12)
	}
}

// TestFluidHoldsUtilization checks the first article's claim that a system that
// scales can hold utilization at 0.5 "whether the JobRate is 10 or 10,000":
// a policy that asks for JobRate × Latency / 0.5 boxes keeps it there.
func TestFluidHoldsUtilization(t *testing.T) {
	for _, rate := range []float64{10, 10_000} {
		s := simtest.RoundSetup(time.Hour)
		run := policy.Run{
			Policy: policy.Func(func(o *policy.Observation) int {
				m, ok := o.Metrics(10, 0)
				if !ok {
					return o.Ready
				}
				return boxes.CapacityFor(boxes.Rate(m.JobRate), time.Second, 0.5)
			}),
			Initial: 1, Lookback: 10,
		}
		r, err := Fluid(context.Background(), s, workload.Constant(rate), run)
		if err != nil {
			t.Fatal(err)
		}
		// After the first decision every step runs at 0.5: the median and
		// the 95th percentile are 0.5 whatever the rate.
		simtest.Check(t, "p50", r.Utilization.P50, 0.5, 1.0/2048)
		simtest.Check(t, "p95", r.Utilization.P95, 0.5, 1.0/2048)
		if want := int(2 * rate); r.PeakBoxes != want {
			t.Errorf("rate %g: peak %d boxes, want %d", rate, r.PeakBoxes, want)
		}
	}
}

// TestFluidBootDelay derives a run by hand. Jobs take 1 s; the load steps
// from 10/s to 20/s at t = 1000 s; the policy asks, every second, for
// ceil(JobRate × Latency) boxes from the last second's job rate; boxes boot
// in 60 s.
//
//   - t = 1000: it still sees 10/s; t = 1001: it sees 20/s and starts 10
//     boxes, ready at 1061. Steps 1000..1060 (61 s) are over capacity, each
//     missing 20 − 10 = 10 jobs: 610 missed.
//   - Cost: 10 boxes × 2000 s + 10 boxes × (2000 − 1001) s = 29,990
//     box-seconds at $0.001 = $29.99, of which the 600 box-seconds of boot
//     are idle: $0.60.
//   - Utilization: 1 for 1939 steps, 2 for 61: mean 2061/2000.
func TestFluidBootDelay(t *testing.T) {
	s := simtest.RoundSetup(2000 * time.Second)
	s.Boot = 60 * time.Second
	w := workload.Steps{Initial: 10, Steps: []workload.Step{{At: 1000, Rate: 20}}}
	r, err := Fluid(context.Background(), s, w, follow(10))
	if err != nil {
		t.Fatal(err)
	}
	simtest.Check(t, "arrived", r.Jobs.Arrived, 30000, 1e-12)
	simtest.Check(t, "missed", r.Jobs.Missed, 610, 1e-12)
	simtest.Check(t, "served", r.Jobs.Served, 29390, 1e-12)
	simtest.Check(t, "seconds over capacity", r.SecondsOverCapacity, 61, 0)
	simtest.Check(t, "cost", r.Cost, 29.99, 1e-12)
	simtest.Check(t, "idle cost", r.IdleCost, 0.60, 1e-9)
	simtest.Check(t, "box-hours", r.BoxHours, 29990.0/3600, 1e-12)
	simtest.Check(t, "utilization mean", r.Utilization.Mean, 2061.0/2000, 1e-12)
	simtest.Check(t, "utilization max", r.Utilization.Max, 2, 1e-12)
	simtest.Check(t, "utilization p50", r.Utilization.P50, 1, 1.0/2048)
	simtest.Check(t, "busy fraction", r.BusyFraction, 1, 1e-12) // every ready second is busy
	if r.BoxStarts != 10 || r.PeakBoxes != 20 {
		t.Errorf("box starts %d, peak %d; want 10 and 20", r.BoxStarts, r.PeakBoxes)
	}
	// The series shows the booting boxes: 10 booting over [1001, 1061).
	booting := 0.0
	for _, b := range r.Series.Booting {
		booting += b * r.Series.Interval
	}
	simtest.Check(t, "booting box-seconds in the series", booting, 600, 1e-9)
	simtest.Check(t, "last cumulative cost", r.Series.Cost[len(r.Series.Cost)-1], 29.99, 1e-12)
}

// TestFluidScaleDown checks drain and the order boxes leave in: booting boxes
// are cancelled first, then ready boxes drain, billed for Drain more.
func TestFluidScaleDown(t *testing.T) {
	s := simtest.RoundSetup(100 * time.Second)
	s.Boot = 30 * time.Second
	s.Drain = 5 * time.Second
	// 10 ready boxes; at t = 10 ask for 15 (5 boot until 40); at t = 20 ask
	// for 8: the 5 booting are cancelled (billed 10 s each) and 2 ready
	// boxes drain (billed 20 + 5 s each); 8 stay for 100 s.
	run := policy.Run{Policy: policy.Func(func(o *policy.Observation) int {
		switch {
		case o.Time >= 20:
			return 8
		case o.Time >= 10:
			return 15
		}
		return 10
	}), Initial: 10}
	r, err := Fluid(context.Background(), s, workload.Constant(1), run)
	if err != nil {
		t.Fatal(err)
	}
	// 5 × 10 + 2 × 25 + 8 × 100 = 900 box-seconds.
	simtest.Check(t, "box-seconds", r.BoxHours*3600, 900, 1e-12)
	simtest.Check(t, "cost", r.Cost, 0.9, 1e-12)
	if r.BoxStarts != 5 || r.PeakBoxes != 15 {
		t.Errorf("box starts %d, peak %d; want 5 and 15", r.BoxStarts, r.PeakBoxes)
	}
}

// TestBillingCharge checks the billing rules on one box's lifetime.
func TestBillingCharge(t *testing.T) {
	tests := []struct {
		name    string
		billing sim.Billing
		life    float64 // seconds
		want    float64 // seconds billed
	}{
		{"exact", sim.Billing{}, 100.2, 100.2},
		{"per second rounds up", sim.PerSecond(), 100.2, 101},
		{"per second, whole seconds stay", sim.PerSecond(), 100, 100},
		{"per second, float noise does not round up", sim.PerSecond(), 100.00000000001, 100},
		{"per second with a 60 s minimum, short box", sim.PerSecondMinimum(time.Minute), 12.5, 60},
		{"per second with a 60 s minimum, long box", sim.PerSecondMinimum(time.Minute), 61.5, 62},
		{"per started hour, one second", sim.PerHour(), 1, 3600},
		{"per started hour, 61 minutes", sim.PerHour(), 3660, 7200},
		{"per started hour, exactly an hour", sim.PerHour(), 3600, 3600},
	}
	for _, tc := range tests {
		simtest.Check(t, tc.name, tc.billing.Charge(tc.life), tc.want, 1e-12)
	}
}

// TestFluidBillingPerHour checks that the fleet bills each box's whole life
// at the granularity: two boxes started at 0 and removed at 10 s and 3601 s.
func TestFluidBillingPerHour(t *testing.T) {
	s := simtest.RoundSetup(2 * time.Hour)
	s.Billing = sim.PerHour()
	run := policy.Run{Policy: policy.Func(func(o *policy.Observation) int {
		switch {
		case o.Time >= 3601:
			return 0
		case o.Time >= 10:
			return 1
		}
		return 2
	}), Initial: 2}
	r, err := Fluid(context.Background(), s, workload.Constant(0), run)
	if err != nil {
		t.Fatal(err)
	}
	// One started hour for the first box, two for the second: 3 × $3.60.
	simtest.Check(t, "cost", r.Cost, 3*3.6, 1e-12)
	simtest.Check(t, "box-hours lived", r.BoxHours, (10+3601)/3600.0, 1e-12)
}

// TestFluidDeterministic checks that the same inputs give the same result.
func TestFluidDeterministic(t *testing.T) {
	s := simtest.DefaultSetup()
	w := workload.Poisson{Curve: workload.Noise{Curve: workload.Daily{Mean: 50, Ratio: 4, Period: 86400, Peak: 50400}, Sigma: 0.1, Interval: 60, Seed: 3}, Seed: 4}
	a, err := Fluid(context.Background(), s, w, follow(10))
	if err != nil {
		t.Fatal(err)
	}
	b, err := Fluid(context.Background(), s, w, follow(10))
	if err != nil {
		t.Fatal(err)
	}
	if a.Jobs != b.Jobs || a.Cost != b.Cost || a.Utilization != b.Utilization {
		t.Errorf("two runs differ: %+v %v vs %+v %v", a.Jobs, a.Cost, b.Jobs, b.Cost)
	}
}

// TestSetupValidate checks that bad setups are refused with the setting named.
func TestSetupValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*sim.Setup)
		want   string
	}{
		{"zero latency", func(s *sim.Setup) { s.Box.Latency = 0 }, "latency"},
		{"negative boot", func(s *sim.Setup) { s.Boot = -time.Second }, "boot"},
		{"no horizon", func(s *sim.Setup) { s.Horizon = 0 }, "horizon"},
		{"ragged horizon", func(s *sim.Setup) { s.Horizon = 1500 * time.Millisecond }, "whole number of steps"},
		{"too many steps", func(s *sim.Setup) { s.Horizon = 20 * 366 * 24 * time.Hour }, "limit"},
	}
	for _, tc := range tests {
		s := simtest.DefaultSetup()
		tc.change(&s)
		err := s.Validate()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one naming %q", tc.name, err, tc.want)
		}
	}
}
