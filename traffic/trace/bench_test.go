package trace

import (
	"bytes"
	"fmt"
	"testing"
)

// BenchmarkReadTrace reads a day of one-second rates (86,400 rows).
func BenchmarkReadTrace(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString("time,rate\n")
	for i := range 86400 {
		fmt.Fprintf(&buf, "%d,%.3f\n", i, 50+float64(i%600)/10)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ReadTrace(bytes.NewReader(data), "day.csv", TraceOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/86400, "ns/row")
}
