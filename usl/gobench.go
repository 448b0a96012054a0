package usl

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// Limits of ReadGoBench: a benchmark line is short; a file of them is not
// large.
const (
	goBenchMaxLine  = 64 << 10
	goBenchMaxLines = 1 << 20
)

// IsGoBench reports whether data looks like the output of go test -bench:
// a line that starts with "Benchmark" and has a value in ns/op. ReadCSV
// uses it to read such a file with ReadGoBench instead.
func IsGoBench(data []byte) bool {
	for line := range bytes.Lines(data) {
		if bytes.HasPrefix(line, []byte("Benchmark")) && bytes.Contains(line, []byte(" ns/op")) {
			return true
		}
	}
	return false
}

// ReadGoBench reads the output of go test -bench run with -cpu (like
// go test -bench . -cpu 1,2,4,8 -count 3) as measurements of throughput
// against parallelism. Each result line
//
//	BenchmarkLookup-4   	 1000000	      1052 ns/op	  ...
//
// is one point: the concurrency is the GOMAXPROCS suffix ("-4"; no suffix
// is 1) and the throughput 1e9 / ns-per-op operations per second. For a
// benchmark that uses b.RunParallel this is the throughput of the whole
// process: ns/op there is the benchmark's wall time divided by the
// operations of all its goroutines (GOMAXPROCS of them, times
// SetParallelism), so 1e9/ns-per-op is operations per second across them.
// For a serial benchmark the throughput stays flat, as it should.
//
// The file must hold one benchmark (sub-benchmarks count as different
// ones); other lines (goos:, pkg:, PASS, ok, logs) are skipped. name is the
// file's name for messages.
func ReadGoBench(r io.Reader, name string) (*Measurements, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), goBenchMaxLine)
	m := &Measurements{Name: name, Given: []Quantity{Concurrency, Throughput}}
	var bench string
	var others []string
	line := 0
	for sc.Scan() {
		line++
		if line > goBenchMaxLines {
			return nil, &ParseError{File: name, Line: line, Err: fmt.Errorf("more than %d lines", goBenchMaxLines)}
		}
		text := sc.Text()
		if !strings.HasPrefix(text, "Benchmark") {
			continue
		}
		f := strings.Fields(text)
		// A result is NAME ITERATIONS then value-unit pairs; a name alone
		// (printed before a benchmark's logs) is not.
		if len(f) < 4 || len(f)%2 != 0 {
			continue
		}
		if _, err := strconv.ParseUint(f[1], 10, 64); err != nil {
			continue
		}
		nsop := math.NaN()
		for i := 2; i+1 < len(f); i += 2 {
			if f[i+1] == "ns/op" {
				v, err := strconv.ParseFloat(f[i], 64)
				if err != nil || !(v > 0) || math.IsInf(v, 0) {
					return nil, &ParseError{File: name, Line: line, Column: i + 1, Name: "ns/op",
						Err: fmt.Errorf("%q is not a positive number of ns/op", clipText(f[i]))}
				}
				nsop = v
			}
		}
		if math.IsNaN(nsop) {
			continue
		}
		base, procs := splitProcs(f[0])
		switch {
		case bench == "":
			bench = base
		case base != bench:
			if len(others) < 3 {
				others = append(others, clipText(base))
			}
			continue
		}
		p, err := Complete(Point{Concurrency: float64(procs), Throughput: 1e9 / nsop})
		if err != nil {
			return nil, &ParseError{File: name, Line: line, Err: errors.New(strings.TrimPrefix(err.Error(), "usl: "))}
		}
		m.Points = append(m.Points, p)
		m.Lines = append(m.Lines, line)
	}
	if err := sc.Err(); err != nil {
		return nil, &ParseError{File: name, Line: line + 1, Err: err}
	}
	if len(others) > 0 {
		return nil, &ParseError{File: name, Err: fmt.Errorf("more than one benchmark (%s, %s): keep one, like go test -bench '^%s$'",
			clipText(bench), strings.Join(others, ", "), clipText(strings.TrimPrefix(bench, "Benchmark")))}
	}
	if len(m.Points) == 0 {
		return nil, &ParseError{File: name, Err: errors.New("no benchmark results with ns/op")}
	}
	return m, nil
}

// splitProcs splits "BenchmarkX-4" into "BenchmarkX" and 4; a name without
// a numeric suffix ran with GOMAXPROCS 1.
func splitProcs(s string) (string, int) {
	if i := strings.LastIndexByte(s, '-'); i > 0 {
		if n, err := strconv.Atoi(s[i+1:]); err == nil && n > 0 {
			return s[:i], n
		}
	}
	return s, 1
}

func clipText(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
