package boxes

import (
	"testing"
	"time"
)

// Parsers run once per flag or scenario field, and Estimate once per calc,
// so none is a hot path; these benchmarks keep them from becoming slow by
// accident. Price.String is the costliest: it tries up to 17 precisions.
//
//	go test -run '^$' -bench . -benchmem -count 6 .

func BenchmarkParseDuration(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseDuration("1h 30min 2.5s"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseRate(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseRate("2.4k/min"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParsePrice(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParsePrice("$0.20/M requests"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPriceString(b *testing.B) {
	p, _ := ParsePrice("$72/month")
	b.ReportAllocs()
	for b.Loop() {
		_ = p.String()
	}
}

func BenchmarkEstimate(b *testing.B) {
	rate, target := Rate(40), 0.8
	q := Question{
		Box:     Box{Latency: 200 * time.Millisecond, Price: Price{Amount: 0.10 / 3600}},
		JobRate: &rate, Utilization: &target, Serverless: DefaultServerlessPrice(),
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := q.Estimate(); err != nil {
			b.Fatal(err)
		}
	}
}
