package html

import (
	"bytes"
	"testing"
)

// BenchmarkSimulationChartsSVG draws the default scenario's seven charts
// (four policies, utilization, capacity, cost; 720 points a line) to SVG:
//
//	go test ./report/html -run '^$' -bench Charts -count 6
func BenchmarkSimulationChartsSVG(b *testing.B) {
	j := runDefault(&testing.T{})
	b.ReportAllocs()
	for b.Loop() {
		cs, err := SimulationCharts(j)
		if err != nil {
			b.Fatal(err)
		}
		for i := range cs {
			cs[i].SVG()
		}
	}
}

// BenchmarkSimulationChartsPNG draws the same charts to PNG at twice the
// CSS size.
func BenchmarkSimulationChartsPNG(b *testing.B) {
	j := runDefault(&testing.T{})
	b.ReportAllocs()
	for b.Loop() {
		cs, _ := SimulationCharts(j)
		for i := range cs {
			if _, err := cs[i].PNG(2); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkSimulationHTML writes the default scenario's whole report.
func BenchmarkSimulationHTML(b *testing.B) {
	j := runDefault(&testing.T{})
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := WriteSimulationHTML(&buf, j); err != nil {
			b.Fatal(err)
		}
	}
}
