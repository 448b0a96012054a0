package measure

import (
	"bytes"
	"os"
	"testing"
	"time"

	"github.com/boxes-project/boxes/usl"
)

// BenchmarkWindowAdd is the cost of recording one job (the fraction in the
// window and the HdrHistogram), paid once per response on the results
// goroutine: it bounds the rate one process can measure. Reference: the
// same job stored in a ring of samples, measured in the same run.
func BenchmarkWindowAdd(b *testing.B) {
	now := time.Now()
	s := Sample{Scheduled: now, Start: now, End: now.Add(20 * time.Millisecond)}
	b.Run("window", func(b *testing.B) {
		w := newWindow(now, now.Add(time.Hour), false)
		b.ReportAllocs()
		for b.Loop() {
			w.add(s)
		}
	})
	b.Run("reference-ring", func(b *testing.B) {
		var ring [1024]Sample
		i := 0
		b.ReportAllocs()
		for b.Loop() {
			ring[i&1023] = s
			i++
		}
	})
}

// BenchmarkReadGoBench reads the committed go test -bench fixture.
func BenchmarkReadGoBench(b *testing.B) {
	data, err := os.ReadFile("../usl/testdata/gobench_parallel.txt")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := usl.ReadCSV(bytesReader(data), "bench.txt"); err != nil {
			b.Fatal(err)
		}
	}
}

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }
