package loadtest

import (
	"bytes"
	"math"
	"testing"
)

// fuzzReader reads data as format (all of them for ""), and checks that a
// file read without error gives positive, finite measurements and windows
// with finite numbers. The committed corpus is testdata/fuzz/Fuzz*.
func fuzzReader(f *testing.F, format string, seeds ...string) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		src, err := Read(bytes.NewReader(data), "fuzz", Options{Format: format, MaxLine: 4096, MaxBytes: 1 << 20})
		if err != nil {
			if src != nil {
				t.Fatalf("a source with an error: %v", err)
			}
			return
		}
		ps := src.Points()
		if len(ps) == 0 {
			t.Fatal("no error and no measurement")
		}
		for _, p := range ps {
			for _, v := range []float64{p.Concurrency, p.Throughput, p.Latency} {
				if !(v > 0) || math.IsInf(v, 0) {
					t.Fatalf("point %+v", p)
				}
			}
		}
	})
}

func FuzzDetect(f *testing.F) {
	fuzzReader(f, "", "users,rps\n1,10\n2,20\n", "Concurrency Level: 1\n")
}

func FuzzJTL(f *testing.F) {
	fuzzReader(f, "jtl", "timeStamp,elapsed,success,allThreads\n1767225600000,20,true,1\n1767225600020,20,true,1\n1767225600040,20,true,1\n1767225600060,20,true,1\n1767225600080,20,true,1\n1767225600100,20,true,1\n1767225600120,20,true,1\n")
}

func FuzzLocust(f *testing.F) {
	fuzzReader(f, "locust", `"Timestamp","User Count","Name","Total Request Count","Total Average Response Time"`+"\n1,1,Aggregated,0,0\n2,1,Aggregated,5,200\n3,1,Aggregated,10,200\n4,1,Aggregated,15,200\n5,1,Aggregated,20,200\n6,1,Aggregated,25,200\n")
}

func FuzzK6(f *testing.F) {
	fuzzReader(f, "k6", "metric_name,timestamp,metric_value\nvus,1,1\nhttp_req_duration,1,200\nvus,2,1\nhttp_req_duration,2,200\nvus,3,1\nvus,4,1\nhttp_req_duration,4,200\nvus,5,1\nhttp_req_duration,5,200\n")
}

func FuzzAB(f *testing.F) {
	fuzzReader(f, "ab", "Concurrency Level:      8\nTime taken for tests:   1.003 seconds\nComplete requests:      180\nFailed requests:        0\nRequests per second:    179.47 [#/sec] (mean)\nTime per request:       44.576 [ms] (mean)\n")
}

func FuzzHey(f *testing.F) {
	fuzzReader(f, "hey", "\nSummary:\n  Total:\t1.0336 secs\n  Average:\t0.0412 secs\n  Requests/sec:\t189.6295\n\nStatus code distribution:\n  [200]\t196 responses\n")
}

func FuzzVegeta(f *testing.F) {
	fuzzReader(f, "vegeta", `{"latencies":{"mean":205000000},"duration":1900000000,"wait":205000000,"requests":20,"throughput":9.5,"success":1}`)
}

func FuzzCSV(f *testing.F) {
	fuzzReader(f, "csv", "users,Requests/sec,p50_ms\n1,10,100\n", "rps;mean_ms\n100;20\n", "concurrency,throughput (/min)\n1,60\n")
}
