package usl

import (
	"math"
	"os"
	"strings"
	"testing"
)

// TestReadGoBenchFixture reads real go test -bench output. The fixture was
// made once on this project's 2-core test machine from
// testdata/gobench_parallel_test.go.txt (a b.RunParallel benchmark: a hash
// in parallel plus a mutex-protected sum) with
//
//	go test -run '^$' -bench . -cpu 1,2,4,8 -count 2 -benchtime 200ms
//
// Expected points: concurrency from the -N suffix (none is 1), throughput
// 1e9/ns-per-op, read off the file's lines.
func TestReadGoBenchFixture(t *testing.T) {
	f, err := os.Open("testdata/gobench_parallel.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := ReadCSV(f, "gobench_parallel.txt") // the format is detected by content
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		n, nsop float64
		line    int
	}{
		{1, 398.6, 5}, {1, 347.3, 6}, {2, 366.5, 7}, {2, 485.9, 8},
		{4, 453.7, 9}, {4, 390.1, 10}, {8, 382.9, 11}, {8, 441.6, 12},
	}
	if len(m.Points) != len(want) {
		t.Fatalf("%d points, want %d", len(m.Points), len(want))
	}
	for i, w := range want {
		p := m.Points[i]
		if p.Concurrency != w.n || math.Abs(p.Throughput-1e9/w.nsop) > 1e-9*p.Throughput || m.Lines[i] != w.line {
			t.Errorf("point %d = %+v (line %d), want N=%g X=%g (line %d)", i, p, m.Lines[i], w.n, 1e9/w.nsop, w.line)
		}
	}
	// Two shared cores: throughput cannot grow past two, and the fit must
	// still run (σ near 1 is the honest answer).
	if _, err := m.Fit(); err != nil {
		t.Errorf("fit: %v", err)
	}
}

func TestReadGoBench(t *testing.T) {
	tests := []struct {
		name, in string
		n, x     []float64 // expected concurrency and throughput; nil n: an error containing err
		err      string
	}{
		{"suffix and none", "BenchmarkA \t 100\t 1000 ns/op\nBenchmarkA-4 \t 100\t 500 ns/op\t 0 B/op\t 0 allocs/op\n",
			[]float64{1, 4}, []float64{1e6, 2e6}, ""},
		{"sub-benchmark with a dash", "BenchmarkA/size-10-2 1 250 ns/op\nBenchmarkA/size-10-8 1 125 ns/op\n",
			[]float64{2, 8}, []float64{4e6, 8e6}, ""},
		{"name alone, then logs, then the result", "goos: linux\nBenchmarkA-2\n    a_test.go:9: hello\nBenchmarkA-2 10 1e3 ns/op\nPASS\nok x 1s\n",
			[]float64{2}, []float64{1e6}, ""},
		{"two benchmarks", "BenchmarkA 1 10 ns/op\nBenchmarkB 1 10 ns/op\n", nil, nil, "more than one benchmark (BenchmarkA, BenchmarkB)"},
		{"zero ns/op", "BenchmarkA 1 0 ns/op\n", nil, nil, "line 1, column 3 (ns/op): \"0\" is not a positive number"},
		{"no ns/op", "BenchmarkA 1 10 MB/s\n", nil, nil, "no benchmark results with ns/op"},
	}
	for _, tt := range tests {
		m, err := ReadGoBench(strings.NewReader(tt.in), "b.txt")
		if tt.n == nil {
			if err == nil || !strings.Contains(err.Error(), tt.err) || !strings.HasPrefix(err.Error(), "usl: b.txt") {
				t.Errorf("%s: error %v, want %q", tt.name, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		for i := range tt.n {
			if i >= len(m.Points) || m.Points[i].Concurrency != tt.n[i] || math.Abs(m.Points[i].Throughput-tt.x[i]) > 1e-6 {
				t.Errorf("%s: points %+v, want N %v X %v", tt.name, m.Points, tt.n, tt.x)
				break
			}
		}
	}
}
