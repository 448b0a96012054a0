package usl

import (
	"math"
	"strings"
	"testing"
)

// FuzzReadCSV: any input either fails with a *ParseError naming the file,
// or gives points that are positive, finite and keep Little's law.
func FuzzReadCSV(f *testing.F) {
	for _, s := range []string{
		"concurrency,throughput\n1,64.9\n18,995.9\n36,1652.4\n72,1853.2\n",
		"users,response time\n1,200ms\n10,1.5s\n",
		"x,latency_ms\n50,20\n100,40\n",
		"throughput (/min),latency (s)\n600,0.5\n",
		"n,throughput_per_min,other\n2,120,x\n4,2.4k/min,y\n",
		"concurrency\tthroughput\n3\t30\n",
		"\ufeff\"N\";\"X\"\n\"5\";\"25\"\n",
		"# c\nn,x\n1,1\n\n2,2\n",
		"n,x\n1,10\n2,2\"0\n",
		"n,latency (parsecs)\n1,2\n",
		"x,latency_s\n1e300,1e300\n",
		"",
		"BenchmarkA-2 10 100 ns/op\nBenchmarkA-4 10 60 ns/op\n",
		"BenchmarkA 1 1e-300 ns/op\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ReadCSV(strings.NewReader(s), "fuzz.csv")
		if err != nil {
			pe, ok := err.(*ParseError)
			if !ok || pe.File != "fuzz.csv" || !strings.HasPrefix(err.Error(), "usl: fuzz.csv") {
				t.Fatalf("error %T %v does not name the file", err, err)
			}
			return
		}
		if len(m.Points) == 0 || len(m.Points) != len(m.Lines) {
			t.Fatalf("%d points, %d lines", len(m.Points), len(m.Lines))
		}
		for _, p := range m.Points {
			checkPoint(t, p)
		}
	})
}

// FuzzParsePoint: any input either fails or gives a point that is
// positive, finite and keeps Little's law.
func FuzzParsePoint(f *testing.F) {
	for _, s := range []string{
		"N=4,X=100/s", "X=2/s,R=500ms", "N=2,R=1s", "n=8, x=2.4k/min",
		"concurrency=3, latency=1.5s", "N=4,R=250", "N=1e300,X=1e-300", "X=1000/10s,R=1m", "=,=",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePoint(s)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "usl: ") {
				t.Fatalf("error %q lacks the package prefix", err)
			}
			return
		}
		checkPoint(t, p)
	})
}

func checkPoint(t *testing.T, p Point) {
	t.Helper()
	for _, v := range []float64{p.Concurrency, p.Throughput, p.Latency} {
		if !(v > 0) || math.IsInf(v, 0) {
			t.Fatalf("point %+v is not positive and finite", p)
		}
	}
	if math.Abs(p.Concurrency-p.Throughput*p.Latency) > 1e-9*p.Concurrency {
		t.Fatalf("point %+v breaks Little's law", p)
	}
}
