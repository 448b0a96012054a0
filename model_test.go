package boxes

import (
	"math"
	"strings"
	"testing"
	"time"
)

// The articles (kept in /work/shared): the first, "Scalability is not
// performance" (boxes and jobs), and the second, "The Difference Between
// Scalability and Performance" (requests per second).

func TestThroughput(t *testing.T) {
	tests := []struct {
		capacity float64
		latency  time.Duration
		want     Rate
	}{
		// Second article: "a system that takes one second to process a single
		// request and only can process one request at a time ... our
		// request-per-second will be 1."
		{1, time.Second, 1},
		// "reduce it from one second to half a second ... it becomes 2
		// instead of one" (performance).
		{1, 500 * time.Millisecond, 2},
		// "modify it to handle two requests in parallel ... doubled our
		// requests-per-second to become 2" (scalability).
		{2, time.Second, 2},
		// First article, one box: Throughput = 1 / Latency.
		{1, 200 * time.Millisecond, 5},
		// First article: "Throughput = Capacity × 1/Latency"; "a Throughput
		// of, say, 100 means we have the Capacity to handle 100 jobs per
		// second": 20 boxes at 200 ms.
		{20, 200 * time.Millisecond, 100},
		{0, time.Second, 0},                                         // no boxes, no throughput
		{0.5, time.Second, 0.5},                                     // a mean capacity may be fractional
		{1e6, time.Millisecond, 1e9},                                //
		{1, 0, Rate(math.Inf(1))},                                   // documented: zero latency is +Inf
		{1, time.Duration(math.MaxInt64), 1 / 9223372036.854775807}, // the longest latency
	}
	for _, tt := range tests {
		got := Throughput(tt.capacity, tt.latency)
		if !closeRel(float64(got), float64(tt.want), 1e-15) {
			t.Errorf("Throughput(%v, %v) = %v, want %v", tt.capacity, tt.latency, float64(got), float64(tt.want))
		}
		b := Box{Latency: tt.latency}
		if got := b.Throughput(tt.capacity); !closeRel(float64(got), float64(tt.want), 1e-15) {
			t.Errorf("Box{%v}.Throughput(%v) = %v, want %v", tt.latency, tt.capacity, float64(got), float64(tt.want))
		}
	}
}

func TestUtilization(t *testing.T) {
	tests := []struct {
		jobRate, throughput Rate
		want                float64
	}{
		// First article: Utilization = JobRate / Throughput.
		{50, 100, 0.5},
		{100, 100, 1},   // "right on the money"
		{150, 100, 1.5}, // "we're not handling jobs"
		{1, 100, 0.01},  // "failure looks like Utilization going down into 0.01"
		{0, 100, 0},
		{0, 0, 0},           // documented: no load, no boxes
		{1, 0, math.Inf(1)}, // documented: load and no boxes
	}
	for _, tt := range tests {
		if got := Utilization(tt.jobRate, tt.throughput); got != tt.want {
			t.Errorf("Utilization(%v, %v) = %v, want %v", float64(tt.jobRate), float64(tt.throughput), got, tt.want)
		}
	}
}

// TestUtilizationHeldByScaling is the first article's "If you can keep
// Utilization at 0.5 whether the JobRate is 10 or 10,000, you're playing it
// safe": scaling Capacity with CapacityFor holds the target at any rate.
func TestUtilizationHeldByScaling(t *testing.T) {
	for _, latency := range []time.Duration{200 * time.Millisecond, 300 * time.Millisecond, time.Second, 50 * time.Millisecond} {
		b := Box{Latency: latency}
		for _, rate := range []Rate{10, 100, 1000, 10000} {
			c := b.CapacityFor(rate, 0.5)
			// rate × latency / 0.5 is a whole number for these rows, so the
			// utilization is 0.5 up to float64 rounding.
			if u := Utilization(rate, b.Throughput(float64(c))); math.Abs(u-0.5) > 1e-12 {
				t.Errorf("latency %v, rate %v: capacity %d gives utilization %v, want 0.5", latency, float64(rate), c, u)
			}
		}
	}
}

func TestCapacityFor(t *testing.T) {
	tests := []struct {
		rate    Rate
		latency time.Duration
		target  float64
		want    int
	}{
		// ceil(JobRate × Latency / target), worked by hand.
		{40, 200 * time.Millisecond, 0.8, 10},     // 8 / 0.8 = 10 exactly
		{41, 200 * time.Millisecond, 0.8, 11},     // 10.25
		{40, 200 * time.Millisecond, 1, 8},        // offered load 8 erlangs
		{3, 200 * time.Millisecond, 0.6, 1},       // 0.6 / 0.6: float64 says 1.0000000000000002
		{10, 300 * time.Millisecond, 0.5, 6},      // 3.0000000000000004 / 0.5
		{0.001, time.Second, 0.8, 1},              // any load needs a box
		{10000, time.Second, 0.5, 20000},          // the articles' 10,000
		{0, time.Second, 0.5, 0},                  // no load, no boxes
		{1e300, time.Second, 0.5, math.MaxInt},    // saturates, documented
		{1, time.Second, 0, math.MaxInt},          // target 0: no number of boxes will do
		{1, time.Second, -1, math.MaxInt},         // likewise
		{1, time.Second, math.NaN(), math.MaxInt}, //
		{1, time.Second, 1e-300, math.MaxInt},     // too many to count
		{0, time.Second, 0, 0},                    // no load needs no boxes, whatever the target
		{5e-10, time.Second, 1, 1},                // a tiny load still needs a box
	}
	for _, tt := range tests {
		if got := CapacityFor(tt.rate, tt.latency, tt.target); got != tt.want {
			t.Errorf("CapacityFor(%v, %v, %v) = %d, want %d", float64(tt.rate), tt.latency, tt.target, got, tt.want)
		}
	}
	// The fewest boxes: one fewer misses the target.
	for _, rate := range []Rate{1, 7, 41, 99.5, 1234} {
		c := CapacityFor(rate, 200*time.Millisecond, 0.8)
		if u := Utilization(rate, Throughput(float64(c-1), 200*time.Millisecond)); c > 0 && u <= 0.8 {
			t.Errorf("rate %v: %d boxes, but %d already hold utilization %v", float64(rate), c, c-1, u)
		}
	}
}

func TestOfferedLoad(t *testing.T) {
	// JobRate × Latency: 40 jobs/s of 200 ms keep 8 boxes busy.
	if got := OfferedLoad(40, 200*time.Millisecond); !closeRel(got, 8, 1e-15) {
		t.Errorf("OfferedLoad(40/s, 200ms) = %v, want 8", got)
	}
}

func TestCost(t *testing.T) {
	price, _ := ParsePrice("$0.10/h")
	b := Box{Latency: 200 * time.Millisecond, Price: price}
	tests := []struct {
		capacity float64
		d        time.Duration
		want     float64 // dollars
	}{
		// First article: Cost = Capacity × Time, at a price per box-time.
		{1, time.Hour, 0.10},
		{10, time.Hour, 1.00},
		{10, 730 * time.Hour, 730},
		{3, 30 * time.Minute, 0.15},
		{0, time.Hour, 0},
	}
	for _, tt := range tests {
		got := b.Cost(tt.capacity, tt.d)
		if !closeRel(got, tt.want, 1e-12) {
			t.Errorf("Cost(%v, %v) = %v, want %v", tt.capacity, tt.d, got, tt.want)
		}
		// "Cost = Throughput × Latency × Time": no free lunch.
		viaThroughput := price.Amount * float64(b.Throughput(tt.capacity)) * b.Latency.Seconds() * tt.d.Seconds()
		if !closeRel(got, viaThroughput, 1e-12) {
			t.Errorf("Cost(%v, %v) = %v, but Price × Throughput × Latency × Time = %v", tt.capacity, tt.d, got, viaThroughput)
		}
	}
}

func TestBoxCostPerJob(t *testing.T) {
	price, _ := ParsePrice("$0.36/h") // $0.0001 a box-second
	b := Box{Latency: 500 * time.Millisecond, Price: price}
	tests := []struct {
		u, want float64
	}{
		{1, 0.00005},  // a busy box: Price × Latency = 0.0001 × 0.5
		{0.5, 0.0001}, // half idle: every job pays for twice its time
		{0.8, 0.0000625},
	}
	for _, tt := range tests {
		if got := b.CostPerJob(tt.u); !closeRel(got, tt.want, 1e-12) {
			t.Errorf("CostPerJob(%v) = %v, want %v", tt.u, got, tt.want)
		}
	}
}

func TestBoxValidate(t *testing.T) {
	perHour, _ := ParsePrice("$0.10/h")
	perRequest, _ := ParsePrice("$0.20/M")
	tests := []struct {
		b   Box
		msg string // "" for valid
	}{
		{Box{Latency: time.Second, Price: perHour}, ""},
		{Box{Latency: time.Nanosecond}, ""}, // free boxes are allowed
		{Box{Latency: 0, Price: perHour}, "latency 0s must be positive"},
		{Box{Latency: -time.Second, Price: perHour}, "latency -1s must be positive"},
		{Box{Latency: time.Second, Price: perRequest}, "must be a price per time"},
		{Box{Latency: time.Second, Price: Price{Amount: -1}}, "finite, non-negative"},
		{Box{Latency: time.Second, Price: Price{Amount: math.NaN()}}, "finite, non-negative"},
		{Box{Latency: time.Second, Price: Price{Amount: math.Inf(1)}}, "finite, non-negative"},
	}
	for _, tt := range tests {
		err := tt.b.Validate()
		switch {
		case tt.msg == "" && err != nil:
			t.Errorf("%+v.Validate() = %v, want nil", tt.b, err)
		case tt.msg != "" && (err == nil || !strings.Contains(err.Error(), tt.msg) || !strings.HasPrefix(err.Error(), "boxes: ")):
			t.Errorf("%+v.Validate() = %v, want an error containing %q", tt.b, err, tt.msg)
		}
	}
}
