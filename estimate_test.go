package boxes

import (
	"math"
	"strings"
	"testing"
	"time"
)

func ptr[T any](v T) *T { return &v }

// boxAt is a box with latency and price in text, as a person gives them.
func boxAt(t *testing.T, latency, price string) Box {
	t.Helper()
	d, err := ParseDuration(latency)
	if err != nil {
		t.Fatal(err)
	}
	p, err := ParsePrice(price)
	if err != nil {
		t.Fatal(err)
	}
	return Box{Latency: d, Price: p}
}

func TestEstimate(t *testing.T) {
	// Expected values are the first article's equations worked by hand; the
	// serverless ones were computed exactly with python3's fractions:
	//
	//	from fractions import Fraction as F
	//	sl = F(2, 10**7) + F('0.0000166667') * F(1769, 1024) * L   # L = 0.2 or 1
	//	box = price_per_hour / 3600 * L                              # per busy job
	//	sl * 10**6, sl / box, box / sl   # per million, markup, break-even
	//	m = (F(1100000) * F('0.00001667') + F('0.4')) / 3            # Example 1

	tests := []struct {
		name string
		q    Question
		want Estimate
	}{
		{
			// 40 jobs/s of 200 ms held at 0.8: ceil(40 × 0.2 / 0.8) = 10
			// boxes, throughput 10 / 0.2 = 50, utilization 40 / 50 = 0.8.
			// $0.10/h × 10 = $1/h; per million jobs 1 / (40 × 3600) × 1e6
			// = $6.9444. Serverless at 1,769 MB: $5.95847505859375 per
			// million; break-even 0.93237875478608; markup 1 / that.
			name: "rate and target",
			q: Question{
				Box: boxAt(t, "200ms", "$0.10/h"), JobRate: ptr(Rate(40)), Utilization: ptr(0.8),
				Serverless: DefaultServerlessPrice(),
			},
			want: Estimate{
				Latency: 0.2, Capacity: 10, JobRate: 40, Throughput: 50, Utilization: 0.8,
				Target: 0.8, CapacityNeeded: 10, CostPerHour: 1, CostPerMillionJobs: 6.944444444444445,
				ServerlessCostPerMillionJobs: 5.95847505859375, ServerlessMarkup: 1.072525510546875,
				BreakEvenUtilization: 0.93237875478608,
			},
		},
		{
			// Second article: 1 s latency, one at a time, one request a second:
			// throughput 1, utilization 1.
			name: "second article, one box",
			q: Question{
				Box: boxAt(t, "1s", "$0.36/h"), Capacity: ptr(1), JobRate: ptr(Rate(1)),
				Serverless: DefaultServerlessPrice(),
			},
			want: Estimate{
				Latency: 1, Capacity: 1, JobRate: 1, Throughput: 1, Utilization: 1,
				CostPerHour: 0.36, CostPerMillionJobs: 100, // $0.0001 a job
				// $2e-7 + $0.0000166667 × 1769/1024 × 1 = $2.899237529296875e-5 a job.
				ServerlessCostPerMillionJobs: 28.99237529296875, ServerlessMarkup: 0.2899237529296875,
				BreakEvenUtilization: 3.4491827244058912,
			},
		},
		{
			// Capacity and a target: the rate the fleet carries at it. 10
			// boxes of 200 ms at 0.5: 0.5 × 50 = 25 jobs/s.
			name: "capacity and target",
			q: Question{
				Box: boxAt(t, "200ms", "$0.10/h"), Capacity: ptr(10), Utilization: ptr(0.5),
				Serverless: DefaultServerlessPrice(),
			},
			want: Estimate{
				Latency: 0.2, Capacity: 10, JobRate: 25, Throughput: 50, Utilization: 0.5,
				Target: 0.5, CapacityNeeded: 10, CostPerHour: 1, CostPerMillionJobs: 11.11111111111111,
				ServerlessCostPerMillionJobs: 5.95847505859375, ServerlessMarkup: 1.072525510546875,
				BreakEvenUtilization: 0.93237875478608,
			},
		},
		{
			// Overload: 1 box of 1 s and 2 jobs/s. Utilization 2, one job a
			// second missed; the cost per job counts the served ones.
			name: "overload",
			q: Question{
				Box: boxAt(t, "1s", "$0.36/h"), Capacity: ptr(1), JobRate: ptr(Rate(2)), Utilization: ptr(0.5),
				Serverless: DefaultServerlessPrice(),
			},
			want: Estimate{
				Latency: 1, Capacity: 1, JobRate: 2, Throughput: 1, Utilization: 2, Missed: 1,
				Target: 0.5, CapacityNeeded: 4, CostPerHour: 0.36, CostPerMillionJobs: 100,
				ServerlessCostPerMillionJobs: 28.99237529296875, ServerlessMarkup: 0.2899237529296875,
				BreakEvenUtilization: 3.4491827244058912,
			},
		},
		{
			// No boxes and no jobs: nothing is served, so the cost per job
			// is +Inf (documented), and utilization is 0.
			name: "nothing",
			q: Question{
				Box: boxAt(t, "1s", "$0.36/h"), Capacity: ptr(0), JobRate: ptr(Rate(0)),
				Serverless: DefaultServerlessPrice(),
			},
			want: Estimate{
				Latency: 1, CostPerMillionJobs: math.Inf(1),
				ServerlessCostPerMillionJobs: 28.99237529296875, ServerlessMarkup: 0.2899237529296875,
				BreakEvenUtilization: 3.4491827244058912,
			},
		},
		{
			// AWS Lambda's Example 1 with its free tier, as a job rate: 3
			// million jobs in a 730-hour month at 512 MB. The box's 1 s
			// jobs are CPU-bound and run 1769/512 times longer on 512 MB,
			// billed 3.456 s: $80.14928 a month (serverless_test.go,
			// TestMeanCostPerJob), $26.716426… per million; break-even
			// $0.0001 a box-second / $2.6716e-5 = 3.7430155…
			name: "free tier",
			q: Question{
				Box: boxAt(t, "1s", "$0.36/h"), JobRate: ptr(Rate(3e6 / (730 * 3600.0))), Utilization: ptr(1.0),
				Serverless: awsExample(t, "512MB").WithLambdaFreeTier(),
			},
			want: Estimate{
				Latency: 1, Capacity: 2, JobRate: 3e6 / (730 * 3600.0), Throughput: 2,
				Utilization: 3e6 / (730 * 3600.0) / 2, Target: 1, CapacityNeeded: 2, CostPerHour: 0.72,
				CostPerMillionJobs:           0.72 / (3e6 / 730) * 1e6,
				ServerlessCostPerMillionJobs: 80.14928 / 3, ServerlessMarkup: 80.14928 / 3 / 100,
				BreakEvenUtilization: 1e-4 / (80.14928 / 3e6),
			},
		},
	}
	for _, tt := range tests {
		got, err := tt.q.Estimate()
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		checkEstimate(t, tt.name, got, tt.want)
	}
}

// checkEstimate compares every field to a relative 1e-12.
func checkEstimate(t *testing.T, name string, got, want Estimate) {
	t.Helper()
	if got.Capacity != want.Capacity || got.CapacityNeeded != want.CapacityNeeded {
		t.Errorf("%s: capacity %d, needed %d; want %d, %d", name, got.Capacity, got.CapacityNeeded, want.Capacity, want.CapacityNeeded)
	}
	fields := []struct {
		name      string
		got, want float64
	}{
		{"Latency", got.Latency, want.Latency},
		{"JobRate", got.JobRate, want.JobRate},
		{"Throughput", got.Throughput, want.Throughput},
		{"Utilization", got.Utilization, want.Utilization},
		{"Missed", got.Missed, want.Missed},
		{"Target", got.Target, want.Target},
		{"CostPerHour", got.CostPerHour, want.CostPerHour},
		{"CostPerMillionJobs", got.CostPerMillionJobs, want.CostPerMillionJobs},
		{"ServerlessCostPerMillionJobs", got.ServerlessCostPerMillionJobs, want.ServerlessCostPerMillionJobs},
		{"ServerlessMarkup", got.ServerlessMarkup, want.ServerlessMarkup},
		{"BreakEvenUtilization", got.BreakEvenUtilization, want.BreakEvenUtilization},
	}
	for _, f := range fields {
		if !closeRel(f.got, f.want, 1e-12) {
			t.Errorf("%s: %s = %v, want %v", name, f.name, f.got, f.want)
		}
	}
}

// TestEstimateHoldsHalf is the first article's "keep Utilization at 0.5
// whether the JobRate is 10 or 10,000", through Estimate.
func TestEstimateHoldsHalf(t *testing.T) {
	for _, rate := range []Rate{10, 10000} {
		e, err := Question{
			Box: boxAt(t, "200ms", "$0.10/h"), JobRate: ptr(rate), Utilization: ptr(0.5),
			Serverless: DefaultServerlessPrice(),
		}.Estimate()
		if err != nil {
			t.Fatal(err)
		}
		// 10 × 0.2 / 0.5 = 4 boxes; 10,000 × 0.2 / 0.5 = 4,000.
		if e.Utilization != 0.5 || e.Capacity != int(float64(rate)*0.4) {
			t.Errorf("rate %v: %d boxes at utilization %v; want %v at 0.5", float64(rate), e.Capacity, e.Utilization, float64(rate)*0.4)
		}
	}
}

func TestEstimateErrors(t *testing.T) {
	box := boxAt(t, "200ms", "$0.10/h")
	sp := DefaultServerlessPrice()
	tests := []struct {
		q   Question
		msg string
	}{
		{Question{Box: box, Serverless: sp}, "give the capacity, or two"},
		{Question{Box: box, JobRate: ptr(Rate(1)), Serverless: sp}, "give the capacity, or two"},
		{Question{Box: box, Utilization: ptr(0.5), Serverless: sp}, "give the capacity, or two"},
		{Question{Box: Box{Latency: 0}, Capacity: ptr(1), JobRate: ptr(Rate(1)), Serverless: sp}, "latency 0s must be positive"},
		{Question{Box: Box{Latency: -time.Second}, Capacity: ptr(1), JobRate: ptr(Rate(1)), Serverless: sp}, "latency -1s must be positive"},
		{Question{Box: box, Capacity: ptr(-1), JobRate: ptr(Rate(1)), Serverless: sp}, "capacity -1 must not be negative"},
		{Question{Box: box, Capacity: ptr(1), JobRate: ptr(Rate(-1)), Serverless: sp}, "job rate -1"},
		{Question{Box: box, Capacity: ptr(1), JobRate: ptr(Rate(math.NaN())), Serverless: sp}, "job rate NaN"},
		{Question{Box: box, Capacity: ptr(1), JobRate: ptr(Rate(math.Inf(1))), Serverless: sp}, "job rate +Inf"},
		{Question{Box: box, Capacity: ptr(1), Utilization: ptr(0.0), Serverless: sp}, "target utilization 0 must be in (0, 1]"},
		{Question{Box: box, Capacity: ptr(1), Utilization: ptr(1.5), Serverless: sp}, "target utilization 1.5"},
		{Question{Box: box, Capacity: ptr(1), Utilization: ptr(math.NaN()), Serverless: sp}, "target utilization NaN"},
		{Question{Box: box, JobRate: ptr(Rate(1e300)), Utilization: ptr(0.5), Serverless: sp}, "too many to count"},
		{Question{Box: box, Capacity: ptr(1), JobRate: ptr(Rate(1))}, "serverless request price"}, // zero ServerlessPrice
	}
	for _, tt := range tests {
		_, err := tt.q.Estimate()
		if err == nil || !strings.Contains(err.Error(), tt.msg) || !strings.HasPrefix(err.Error(), "boxes: ") {
			t.Errorf("Estimate() = %v, want an error containing %q", err, tt.msg)
		}
	}
}

// TestEstimateCapacityAlone is the first example of "The Difference Between
// Scalability and Performance": "a system that takes one second to process
// a single request and only can process one request at a time ... our
// request-per-second will be 1"; and of "Scalability is not performance":
// Throughput = Capacity / Latency, 20 boxes of 200 ms give 100 jobs/s. With
// no job rate, the fleet is taken at full use.
func TestEstimateCapacityAlone(t *testing.T) {
	for _, tc := range []struct {
		latency string
		boxes   int
		want    float64 // jobs/s
	}{{"1s", 1, 1}, {"500ms", 1, 2}, {"1s", 2, 2}, {"200ms", 20, 100}} {
		e, err := Question{Box: boxAt(t, tc.latency, "$0.10/h"), Capacity: ptr(tc.boxes), Serverless: DefaultServerlessPrice()}.Estimate()
		if err != nil {
			t.Fatal(err)
		}
		if !e.FullUse || e.Throughput != tc.want || e.JobRate != tc.want || e.Utilization != 1 || e.Missed != 0 {
			t.Errorf("%d boxes of %s: %+v; want throughput = job rate = %g/s at utilization 1", tc.boxes, tc.latency, e, tc.want)
		}
	}
}
