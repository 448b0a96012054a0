package loadtest

import (
	"bytes"
	"fmt"
	"testing"
)

// benchJTL is a JTL of n samples: 8 threads, 20ms each, steps of 2,000
// samples at N = 1, 2, 4, 8.
func benchJTL(n int) []byte {
	var b bytes.Buffer
	b.WriteString("timeStamp,elapsed,label,responseCode,responseMessage,threadName,dataType,success,bytes,grpThreads,allThreads,Latency\n")
	t := int64(1767225600000)
	for i := 0; i < n; i++ {
		c := 1 << (i / 2000 % 4)
		t += int64(20 / c)
		fmt.Fprintf(&b, "%d,20,get,200,OK,g 1-%d,text,true,119,%d,%d,19\n", t, i%c+1, c, c)
	}
	return b.Bytes()
}

// BenchmarkReadJTL: go test ./loadtest -run '^$' -bench ReadJTL -benchmem
func BenchmarkReadJTL(b *testing.B) {
	data := benchJTL(100000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Read(bytes.NewReader(data), "bench.jtl", Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadCSV: the generic reader, 10,000 rows.
func BenchmarkReadCSV(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString("users,Requests/sec,p50_ms\n")
	for i := 0; i < 10000; i++ {
		fmt.Fprintf(&buf, "%d,%d.5,%d\n", i%64+1, i%1000+10, i%50+1)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Read(bytes.NewReader(data), "bench.csv", Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
