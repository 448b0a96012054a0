package loadtest

import (
	"errors"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/boxes-project/boxes/usl"
)

// The fixtures of Locust and k6 (written by testdata/make_fixtures.py in
// the formats the tools document; neither tool is packaged by Debian) are a
// closed loop against c = 4 slots of L = 200ms, each response time L (or
// NL/c above c) times a uniform factor in [0.97, 1.06], mean 1.015. So
//
//	X(N) = min(N, 4) / (0.2 × 1.015),  R(N) = max(0.2, 0.05 N) × 1.015
//
// at N = 1, 2, 4, 8, 16, within 5% (the windows are 4 to 8 s long).
func checkFixture(t *testing.T, src *Source) {
	t.Helper()
	got := map[float64]bool{}
	for _, w := range src.Windows {
		if !w.Used {
			continue
		}
		got[w.Concurrency] = true
		wantX := math.Min(w.Concurrency, 4) / (0.2 * 1.015)
		wantR := math.Max(0.2, 0.05*w.Concurrency) * 1.015
		if math.Abs(w.Throughput/wantX-1) > 0.05 || math.Abs(w.Latency/wantR-1) > 0.05 {
			t.Errorf("N=%g: X = %.4g/s, R = %.4gs; want %.4g/s and %.4gs within 5%%", w.Concurrency, w.Throughput, w.Latency, wantX, wantR)
		}
		if !(w.Dropped > 0) {
			t.Errorf("N=%g: no edge dropped", w.Concurrency)
		}
	}
	for _, n := range []float64{1, 2, 4, 8, 16} {
		if !got[n] {
			t.Errorf("no window at N = %g", n)
		}
	}
	if _, err := usl.Fit(src.Points()); err != nil {
		t.Error(err)
	}
}

func TestLocustFixture(t *testing.T) {
	src, err := ReadFile("testdata/locust_stats_history.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if src.Format != "locust" || !src.Detected {
		t.Errorf("format %s, detected %v", src.Format, src.Detected)
	}
	// 51 seconds, each with a GET / row and an Aggregated row.
	if src.Rows != 102 || src.Skipped != 51 {
		t.Errorf("rows %d, skipped %d; want 102 and 51", src.Rows, src.Skipped)
	}
	checkFixture(t, src)
}

func TestK6Fixture(t *testing.T) {
	src, err := ReadFile("testdata/k6.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if src.Format != "k6" {
		t.Errorf("format %s", src.Format)
	}
	checkFixture(t, src)
}

// TestVegeta: vegeta's report (testdata/vegeta-c2.json: 20 requests at
// 10/s, mean latency 205ms, throughput 9.50/s) has no concurrency; it comes
// from the options, the file's name, or Little's law N = X × R.
func TestVegeta(t *testing.T) {
	tests := []struct {
		name string
		opt  Options
		want float64
	}{
		{"testdata/vegeta-c2.json", Options{}, 2},               // c2 in the name
		{"testdata/vegeta-c2.json", Options{Concurrency: 3}, 3}, // the option wins
		{"report.json", Options{}, 9.501187648456057 * 0.205},   // Little's law: X × R
		{"run-users-16.json", Options{}, 16},                    // users-16
	}
	for _, tt := range tests {
		data := readFixture(t, "testdata/vegeta-c2.json")
		src, err := Read(strings.NewReader(data), tt.name, tt.opt)
		if err != nil {
			t.Fatal(err)
		}
		ps := src.Points()
		if len(ps) != 1 || math.Abs(ps[0].Concurrency-tt.want) > 1e-9 {
			t.Errorf("%s %+v: points %+v, want N = %g", tt.name, tt.opt, ps, tt.want)
			continue
		}
		if math.Abs(ps[0].Throughput-9.501187648456057) > 1e-9 || math.Abs(ps[0].Latency-0.205) > 1e-12 {
			t.Errorf("%s: %+v, want X = 9.501/s (vegeta's throughput) and R = 205ms (latencies.mean)", tt.name, ps[0])
		}
	}
}

// TestGenericCSV: the common headers, what each is read as, and the
// ambiguous ones refused.
func TestGenericCSV(t *testing.T) {
	tests := []struct {
		in      string
		opt     Options
		want    usl.Point // the first row's point
		columns []string  // substrings of the columns' meanings, in order
		err     string
	}{
		// k6-style names: vus and http_reqs (a rate), p95 listed as not used.
		{in: "vus,http_reqs,p95_ms\n1,10,110\n", want: usl.Point{Concurrency: 1, Throughput: 10, Latency: 0.1},
			columns: []string{"concurrency N", "throughput X, per second", "other than the mean, ms: not used"}},
		// Requests/sec is per second; p50_ms is read and said to be unused.
		{in: "users,Requests/sec,p50_ms\n4,200,21\n", want: usl.Point{Concurrency: 4, Throughput: 200, Latency: 0.02},
			columns: []string{"concurrency N", "throughput X, /sec", "median response time, ms: not used, concurrency and throughput are given"}},
		// req/s and mean_ms: N = X × R by Little's law, 100/s × 20ms = 2.
		{in: "req/s,mean_ms\n100,20\n", want: usl.Point{Concurrency: 2, Throughput: 100, Latency: 0.02}},
		// Only a median: it stands in for the mean, with a note.
		{in: "rps,p50_ms\n100,20\n", want: usl.Point{Concurrency: 2, Throughput: 100, Latency: 0.02}},
		// The mean wins over the median without ambiguity.
		{in: "rps,p50_ms,mean_ms\n100,15,20\n", want: usl.Point{Concurrency: 2, Throughput: 100, Latency: 0.02}},
		// Units in brackets and per minute.
		{in: "concurrency,throughput (/min),latency (s)\n2,600,0.2\n", want: usl.Point{Concurrency: 2, Throughput: 10, Latency: 0.2}},
		// Semicolons and units in the cells.
		{in: "threads;rps\n3;1.2k/min\n", want: usl.Point{Concurrency: 3, Throughput: 20, Latency: 0.15}},
		// Two medians: ambiguous.
		{in: "rps,p50_ms,median_ms\n100,15,20\n", err: `ambiguous: "p50_ms" (column 2), "median_ms" (column 3) all mean latency`},
		// Two throughputs: ambiguous, until one is picked.
		{in: "users,rps,throughput\n1,10,11\n", err: "ambiguous"},
		{in: "users,rps,throughput\n1,10,11\n", opt: Options{Columns: map[usl.Quantity]string{usl.Throughput: "throughput"}},
			want: usl.Point{Concurrency: 1, Throughput: 11, Latency: 1.0 / 11}},
		// A latency without a unit.
		{in: "users,latency\n1,10\n", err: `latency "10" needs a unit`},
		// One known column.
		{in: "users,foo\n1,10\n", err: "the header needs two of concurrency, throughput and latency"},
	}
	for _, tt := range tests {
		tt.opt.Format = "csv"
		src, err := Read(strings.NewReader(tt.in), "t.csv", tt.opt)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%q: error %v, want %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tt.in, err)
			continue
		}
		p := src.Points()[0]
		if math.Abs(p.Concurrency-tt.want.Concurrency) > 1e-9 || math.Abs(p.Throughput-tt.want.Throughput) > 1e-9 || math.Abs(p.Latency-tt.want.Latency) > 1e-9 {
			t.Errorf("%q: %+v, want %+v", tt.in, p, tt.want)
		}
		for i, c := range tt.columns {
			if i >= len(src.Columns) || !strings.Contains(src.Columns[i].Meaning, c) {
				t.Errorf("%q: columns %+v, want %q at %d", tt.in, src.Columns, c, i)
			}
		}
	}
}

// TestDetect: each format from its content, the override, and a file of
// no known format.
func TestDetect(t *testing.T) {
	tests := []struct{ in, want string }{
		{"timeStamp,elapsed,label,responseCode,responseMessage,threadName,dataType,success,bytes,grpThreads,allThreads,Latency\n", "jtl"},
		{"<?xml version=\"1.0\"?>\n<testResults version=\"1.2\">\n", "jtl"},
		{`"Timestamp","User Count","Type","Name","Requests/s"` + "\n", "locust"},
		{"metric_name,timestamp,metric_value,check\n", "k6"},
		{"This is ApacheBench, Version 2.3\n", "ab"},
		{"\nSummary:\n  Total:\t1.0 secs\n  Requests/sec:\t10\n", "hey"},
		{`{"latencies":{"mean":1},"throughput":1}`, "vegeta"},
		{"\ufeffusers,rps\n1,2\n", "csv"},
	}
	for _, tt := range tests {
		got := ""
		for _, f := range Formats {
			if f.Detect([]byte(tt.in)) {
				got = f.Name
				break
			}
		}
		if got != tt.want {
			t.Errorf("%.30q: detected %q, want %q", tt.in, got, tt.want)
		}
	}
	_, err := Read(strings.NewReader("hello world\n"), "x.txt", Options{})
	if !errors.Is(err, ErrUnknownFormat) {
		t.Errorf("error %v, want ErrUnknownFormat", err)
	}
	_, err = Read(strings.NewReader("users,rps\n1,2\n"), "x.txt", Options{Format: "nope"})
	if err == nil || !strings.Contains(err.Error(), `unknown format "nope"`) {
		t.Errorf("error %v", err)
	}
}

// TestErrors: bad input names the file, the line and the field.
func TestErrors(t *testing.T) {
	jtlHead := "timeStamp,elapsed,label,success,allThreads\n"
	tests := []struct{ in, format, want string }{
		{jtlHead + "1767225600000,20,get,true,1\n1767225600020,x,get,true,1\n", "", `t:3:2 ("elapsed"): "x" is not a finite number`},
		{"timeStamp,elapsed,label\n1767225600000,20,get\n", "", "no allThreads or grpThreads column"},
		{"1767225600000,20,get,200,OK\n", "jtl", "without its header line"},
		{"<?xml version=\"1.0\"?>\n<testResults>\n", "", "an XML JTL"},
		{jtlHead + "2026/01/01 00:00:00,20,get,true,1\n", "", "timestamp_format=ms"},
		{"metric_name,timestamp,metric_value\nhttp_req_duration,1767225600,20\n", "", "no vus rows"},
		{"metric_name,timestamp,metric_value\nvus,yesterday,1\n", "", `t:2:2 ("timestamp"): timestamp "yesterday"`},
		{`"Timestamp","User Count","Name","Total Request Count","Total Average Response Time"` + "\n2,1,Aggregated,1,20\n1,1,Aggregated,2,20\n", "", "does not increase"},
		{"Concurrency Level: 8\nRequests per second: 10\n", "ab", `no "Time taken for tests" line`},
		{"Summary:\n  Total:\t1 secs\n  Requests/sec:\tmany\n", "hey", `"many" is not a number`},
		{`{"latencies":{"mean":1e999}}`, "vegeta", "not a vegeta JSON report"},
		{`{"latencies":{"mean":1},"throughput":1}`, "vegeta", `("duration"): missing`},
		{"", "", "empty file"},
	}
	for _, tt := range tests {
		_, err := Read(strings.NewReader(tt.in), "t", Options{Format: tt.format})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%.40q: error %v, want %q", tt.in, err, tt.want)
		}
	}
}

// TestLimits: a line longer than MaxLine and a file larger than MaxBytes
// are refused, not read whole.
func TestLimits(t *testing.T) {
	long := "users,rps\n1," + strings.Repeat("1", 200) + "\n"
	if _, err := Read(strings.NewReader(long), "t", Options{MaxLine: 100}); err == nil || !strings.Contains(err.Error(), "a line is larger than the limit of 100 bytes") {
		t.Errorf("long line: %v", err)
	}
	big := "users,rps\n" + strings.Repeat("1,2\n", 1000)
	if _, err := Read(strings.NewReader(big), "t", Options{MaxBytes: 1000}); err == nil || !strings.Contains(err.Error(), "the file is larger than the limit") {
		t.Errorf("large file: %v", err)
	}
}

// TestTimeline: a step from 2 to 4 in the middle of a bucket ends one
// window and starts the next; each keeps its middle, a tenth of its length
// (at least one bucket) dropped at each end; a run too short is reported,
// not used.
func TestTimeline(t *testing.T) {
	tl := newTimeline(1)
	tl.latency = true
	// 20 s at N = 2 with 10 jobs/s of 0.2 s, then 20.5 s at N = 4 with 20 jobs/s.
	for i := 0; i < 200; i++ {
		tl.observe(float64(i)/10, 2)
		tl.complete(float64(i)/10, 0.2, true)
	}
	for i := 0; i < 410; i++ {
		tl.observe(19.5+float64(i)/20, 4)
		tl.complete(19.5+float64(i)/20, 0.2, true)
	}
	// 2 s at N = 8: too short.
	tl.observe(41, 8)
	tl.observe(42, 8)
	ws := tl.windows()
	if len(ws) != 3 {
		t.Fatalf("%d windows: %+v", len(ws), ws)
	}
	// N = 2: buckets 0..18 (19 is mixed), 2 dropped each end: 3..16, 14 s.
	if w := ws[0]; w.Concurrency != 2 || w.Start != 2 || w.End != 17 || w.Throughput != 10 || math.Abs(w.Latency-0.2) > 1e-12 || !w.Used {
		t.Errorf("first window %+v", w)
	}
	if w := ws[1]; w.Concurrency != 4 || math.Abs(w.Throughput-20) > 1e-9 || !w.Used {
		t.Errorf("second window %+v", w)
	}
	if w := ws[2]; w.Used || !strings.Contains(w.Why, "too short") {
		t.Errorf("third window %+v", w)
	}
	// Bounded: a million seconds at 1 ms buckets coarsens.
	tl = newTimeline(0.001)
	for i := 0; i < 200000; i++ {
		tl.observe(float64(i)*5, 1)
	}
	if len(tl.buckets) > maxBuckets {
		t.Errorf("%d buckets", len(tl.buckets))
	}
}

func readFixture(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
