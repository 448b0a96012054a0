package boxes

import (
	"math"
	"strings"
	"testing"
	"time"
)

// AWS Lambda's pricing page (https://aws.amazon.com/lambda/pricing/, the
// version stored by the search tool, US East (N. Virginia)) works this
// example:
//
//	"Example 1: If you allocated 512MB of memory to your function, executed
//	it 3 million times in one month, and it ran for 1 second each time ...
//	The monthly compute price is $0.00001667 per GB-s and the free tier
//	provides 400,000 GB-s. ... Total compute (GB-s) = 3,000,000 * 512MB/1024
//	= 1,500,000 GB-s ... 1,500,000 GB-s – 400,000 free tier GB-s = 1,100,000
//	GB-s. Monthly compute charges = 1,100,000 * $0.00001667 = $18.34 ... The
//	monthly request price is $0.20 per 1 million requests and the free tier
//	provides 1M requests per month. ... 3M requests – 1M free tier requests =
//	2M Monthly billable requests. Monthly request charges = 2M * $0.2/M =
//	$0.40 ... Total charges = Compute charges + Request charges = $18.34 +
//	$0.40 = $18.74 per month"
//
//	"Example 2: If you allocated 128MB of memory to your function, executed
//	it 30 million times in one month, and it ran for 200ms each time ..."
//
// The stored copy cuts Example 2 off after its inputs, so its expected
// values below are worked by Example 1's method, by hand (and checked with
// python3's fractions.Fraction: (30e6*0.2*128/1024 - 400000) * 0.00001667
// = 5.8345; 29 * 0.2 = 5.80). The page prices GB-seconds at its rounded
// $0.00001667; the current list price, our default, is $0.0000166667.

// awsExample is AWS's example pricing: $0.20 per million requests,
// $0.00001667 per GB-s.
func awsExample(t *testing.T, memory string) ServerlessPrice {
	t.Helper()
	req, err1 := ParsePrice("$0.20/M requests")
	gbs, err2 := ParsePrice("$0.00001667/GB-s")
	gb, err3 := ParseMemory(memory)
	if err1 != nil || err2 != nil || err3 != nil {
		t.Fatal(err1, err2, err3)
	}
	return ServerlessPrice{Request: req, GBSecond: gbs, MemoryGB: gb}
}

func TestServerlessMonthlyCostAWSExamples(t *testing.T) {
	tests := []struct {
		name     string
		memory   string
		jobs     float64
		d        time.Duration
		freeTier bool
		want     float64 // dollars, before rounding to the cent
		cents    float64 // the page's total, where it gives one
	}{
		// Example 1 as the page works it: $18.337 + $0.40 = "$18.74 per month".
		{"example 1", "512MB", 3e6, time.Second, true, 18.737, 18.74},
		// Without the free tier: 1,500,000 × $0.00001667 + 3 × $0.20.
		{"example 1, no free tier", "512MB", 3e6, time.Second, false, 25.605, 0},
		// Example 2 by the same method: $5.8345 + $5.80.
		{"example 2", "128MB", 30e6, 200 * time.Millisecond, true, 11.6345, 0},
		// Without: 750,000 × $0.00001667 + 30 × $0.20.
		{"example 2, no free tier", "128MB", 30e6, 200 * time.Millisecond, false, 18.5025, 0},
		// Within the free tier, nothing is billed.
		{"inside the free tier", "512MB", 1e6, 100 * time.Millisecond, true, 0, 0},
		{"no jobs", "512MB", 0, time.Second, true, 0, 0},
	}
	for _, tt := range tests {
		s := awsExample(t, tt.memory)
		if tt.freeTier {
			s = s.WithLambdaFreeTier()
		}
		if err := s.Validate(); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		got := s.MonthlyCost(tt.jobs, tt.d)
		if math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("%s: MonthlyCost = %.6f, want %.6f", tt.name, got, tt.want)
		}
		if tt.cents != 0 && math.Round(got*100)/100 != tt.cents {
			t.Errorf("%s: MonthlyCost = %.6f rounds to $%.2f, the page says $%.2f", tt.name, got, math.Round(got*100)/100, tt.cents)
		}
	}
}

func TestDefaultServerlessPrice(t *testing.T) {
	// The issue: "AWS Lambda x86 list, $0.20 per million requests and
	// $0.0000166667 per GB-second, no free tier unless asked".
	s := DefaultServerlessPrice()
	req, _ := ParsePrice("$0.20/M requests")
	gbs, _ := ParsePrice("$0.0000166667/GB-s")
	if s.Request != req || s.GBSecond != gbs {
		t.Errorf("DefaultServerlessPrice() = %+v, %+v; want %v, %v", s.Request, s.GBSecond, req, gbs)
	}
	if s.FreeRequests != 0 || s.FreeGBSeconds != 0 {
		t.Errorf("DefaultServerlessPrice() has a free tier: %v requests, %v GB-s", s.FreeRequests, s.FreeGBSeconds)
	}
	if s.MemoryGB != 1769.0/1024 {
		t.Errorf("DefaultServerlessPrice().MemoryGB = %v, want 1769 MB", s.MemoryGB)
	}
	if err := s.Validate(); err != nil {
		t.Error(err)
	}
	// AWS's free tier: "1M requests per month", "400,000 GB-s".
	f := s.WithLambdaFreeTier()
	if f.FreeRequests != 1e6 || f.FreeGBSeconds != 400000 {
		t.Errorf("WithLambdaFreeTier() = %v requests, %v GB-s", f.FreeRequests, f.FreeGBSeconds)
	}
}

func TestBilledSeconds(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want float64
	}{
		// AWS: duration is "rounded up to the nearest 1 ms".
		{200 * time.Millisecond, 0.2},
		{time.Second, 1},
		{1000100 * time.Nanosecond, 0.002}, // 1.0001 ms bills as 2 ms
		{time.Nanosecond, 0.001},
		{0, 0},
	}
	for _, tt := range tests {
		if got := BilledSeconds(tt.d); got != tt.want {
			t.Errorf("BilledSeconds(%v) = %v, want %v", tt.d, got, tt.want)
		}
	}
}

func TestServerlessCostPerJob(t *testing.T) {
	s := awsExample(t, "512MB")
	// One CPU-bound job of 1 s on a full vCPU runs 1769/512 = 3.455078125 s
	// at 512 MB (a 512/1769 share of a vCPU), billed 3.456 s:
	// $0.0000002 + 0.5 GB × 3.456 s × $0.00001667.
	if got, want := s.CostPerJob(time.Second), 0.0000002+0.5*3.456*0.00001667; !closeRel(got, want, 1e-12) {
		t.Errorf("CostPerJob(1s) = %v, want %v", got, want)
	}
	// With no free tier, MonthlyCost of the durations as run is CostPerJob
	// times the jobs.
	if got := s.MonthlyCost(3e6, LambdaDuration(time.Second, s.MemoryGB, 1)); !closeRel(got, 3e6*s.CostPerJob(time.Second), 1e-12) {
		t.Errorf("MonthlyCost(3M, 3.455 s) = %v, want 3M × CostPerJob", got)
	}
}

// TestCostPerJobCPUBound: below 1,769 MB a CPU-bound job runs
// proportionally longer, so its compute cost is the same as at 1,769 MB,
// not lower (AWS Lambda Developer Guide, "Configuring function memory":
// one vCPU at 1,769 MB, CPU in proportion to memory). A 1,024 ms job: at
// 128 MB it runs 1,024 × 1769/128 = 14,152 ms, 0.125 GB × 14.152 s =
// 1.769 GB-s; at 1,769 MB it runs 1,024 ms, 1769/1024 GB × 1.024 s =
// 1.769 GB-s. Above 1,769 MB it runs no faster: 3,538 MB costs twice.
func TestCostPerJobCPUBound(t *testing.T) {
	at := func(mb float64) ServerlessPrice {
		s := DefaultServerlessPrice()
		s.MemoryGB = mb / 1024
		return s
	}
	d := 1024 * time.Millisecond
	small, full, big := at(128).CostPerJob(d), at(1769).CostPerJob(d), at(3538).CostPerJob(d)
	req := DefaultServerlessPrice().Request.Amount
	if want := req + 1.769*0.0000166667; !closeRel(small, want, 1e-12) || !closeRel(full, want, 1e-12) {
		t.Errorf("128 MB: %v, 1769 MB: %v; want both %v", small, full, want)
	}
	if want := req + 2*1.769*0.0000166667; !closeRel(big, want, 1e-12) {
		t.Errorf("3538 MB: %v, want %v", big, want)
	}
	for _, tt := range []struct {
		mb, cpu float64
		want    time.Duration
	}{
		{128, 1, 14152 * time.Millisecond},
		{128, 0, d}, // waiting only: no slower
		{128, 0.5, 512*time.Millisecond + 7076*time.Millisecond},
		{10240, 1, d}, // no faster above one vCPU
	} {
		if got := LambdaDuration(d, tt.mb/1024, tt.cpu); got != tt.want {
			t.Errorf("LambdaDuration(%v, %g MB, cpu %g) = %v, want %v", d, tt.mb, tt.cpu, got, tt.want)
		}
	}
}

func TestMeanCostPerJob(t *testing.T) {
	s := awsExample(t, "512MB")
	// No free tier: the list price at any rate, even zero.
	for _, r := range []Rate{0, 1, 1e6} {
		if got := s.MeanCostPerJob(r, time.Second); got != s.CostPerJob(time.Second) {
			t.Errorf("no free tier, rate %v: MeanCostPerJob = %v, want CostPerJob %v", float64(r), got, s.CostPerJob(time.Second))
		}
	}
	f := s.WithLambdaFreeTier()
	// 3M CPU-bound 1 s jobs a month (730 h) at 512 MB run 3.456 s each
	// (billed): 5,184,000 GB-s − 400,000 free = 4,784,000 × $0.00001667 =
	// $79.74928, plus 2M requests × $0.2/M = $0.40: $80.14928 / 3M a job.
	rate := Rate(3e6 / (730 * 3600.0))
	if got, want := f.MeanCostPerJob(rate, time.Second), 80.14928/3e6; !closeRel(got, want, 1e-9) {
		t.Errorf("MeanCostPerJob(3M a month) = %v, want %v", got, want)
	}
	if got := f.MeanCostPerJob(0, time.Second); got != 0 {
		t.Errorf("MeanCostPerJob(0) with a free tier = %v, want 0", got)
	}
	// As the rate grows, the free tier's share vanishes.
	if got, want := f.MeanCostPerJob(1e9, time.Second), s.CostPerJob(time.Second); !closeRel(got, want, 1e-6) {
		t.Errorf("MeanCostPerJob(1e9/s) = %v, want about the list price %v", got, want)
	}
}

func TestBreakEvenUtilization(t *testing.T) {
	// A $0.10/h box with 200 ms jobs against Lambda's defaults at 1,769 MB.
	// Box, per busy job: 0.10/3600 × 0.2 = $5.5556e-6. Serverless: $2e-7 +
	// $0.0000166667 × 1769/1024 × 0.2 = $5.95847505859375e-6. They meet at
	// 5.5556e-6 / 5.9585e-6 = 0.93237875478608 (python3 fractions).
	price, _ := ParsePrice("$0.10/h")
	b := Box{Latency: 200 * time.Millisecond, Price: price}
	s := DefaultServerlessPrice()
	if got := BreakEvenUtilization(b, s); !closeRel(got, 0.93237875478608, 1e-12) {
		t.Errorf("BreakEvenUtilization = %v, want 0.93237875478608", got)
	}
	// At the break-even utilization the two cost the same per job.
	u := BreakEvenUtilization(b, s)
	if got, want := b.CostPerJob(u), s.CostPerJob(b.Latency); !closeRel(got, want, 1e-12) {
		t.Errorf("at break-even: box %v per job, serverless %v", got, want)
	}
}

func TestServerlessValidate(t *testing.T) {
	good := DefaultServerlessPrice()
	hour, _ := ParsePrice("$1/h")
	tests := []struct {
		mod func(*ServerlessPrice)
		msg string
	}{
		{func(s *ServerlessPrice) {}, ""},
		{func(s *ServerlessPrice) { s.Request = hour }, "price per request"},
		{func(s *ServerlessPrice) { s.GBSecond = hour }, "price per GB-second"},
		{func(s *ServerlessPrice) { s.Request.Amount = -1 }, "non-negative"},
		{func(s *ServerlessPrice) { s.GBSecond.Amount = math.NaN() }, "non-negative"},
		{func(s *ServerlessPrice) { s.MemoryGB = 0 }, "memory 0 GB"},
		{func(s *ServerlessPrice) { s.MemoryGB = 2048 }, "memory 2048 GB"},
		{func(s *ServerlessPrice) { s.MemoryGB = math.NaN() }, "memory NaN GB"},
		{func(s *ServerlessPrice) { s.FreeRequests = -1 }, "free requests"},
		{func(s *ServerlessPrice) { s.FreeGBSeconds = math.Inf(1) }, "free GB-seconds"},
	}
	for i, tt := range tests {
		s := good
		tt.mod(&s)
		err := s.Validate()
		switch {
		case tt.msg == "" && err != nil:
			t.Errorf("row %d: Validate() = %v, want nil", i, err)
		case tt.msg != "" && (err == nil || !strings.Contains(err.Error(), tt.msg)):
			t.Errorf("row %d: Validate() = %v, want an error containing %q", i, err, tt.msg)
		}
	}
}
