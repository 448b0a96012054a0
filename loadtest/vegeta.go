package loadtest

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// vegeta report -type=json writes one JSON object (vegeta's lib/metrics.go
// Metrics):
//
//	{"latencies":{"total":…,"mean":21000000,"50th":…,"max":…,"min":…},
//	 "earliest":"…","latest":"…","end":"…","duration":2000000000,"wait":…,
//	 "requests":100,"rate":50.01,"throughput":49.9,"success":1,
//	 "status_codes":{"200":100},"errors":[]}
//
// latencies and durations in nanoseconds, throughput the successful
// requests per second (https://github.com/tsenart/vegeta#report-command).
// vegeta attacks at a rate, not a concurrency, so N comes from
// --concurrency, the file's name (vegeta-c8.json) or Little's law
// N = X × R: the mean number of requests in flight.

func detectVegeta(head []byte) bool {
	s := strings.TrimSpace(string(head))
	return strings.HasPrefix(s, "{") && strings.Contains(s, `"latencies"`) && strings.Contains(s, `"throughput"`)
}

// maxVegeta bounds the report: it is a few hundred bytes, and its errors
// list is the only thing that grows.
const maxVegeta = 16 << 20

func readVegeta(in *input, opt Options, src *Source) error {
	var m struct {
		Latencies struct {
			Mean *float64 `json:"mean"`
		} `json:"latencies"`
		Duration   *float64 `json:"duration"`
		Wait       float64  `json:"wait"`
		Requests   *float64 `json:"requests"`
		Throughput *float64 `json:"throughput"`
		Success    *float64 `json:"success"`
	}
	lr := &io.LimitedReader{R: in.br, N: maxVegeta + 1}
	dec := json.NewDecoder(lr)
	if err := dec.Decode(&m); err != nil {
		if lr.N <= 0 {
			return &Error{File: in.name, Err: fmt.Errorf("the report is larger than %d bytes", maxVegeta)}
		}
		return &Error{File: in.name, Err: fmt.Errorf("not a vegeta JSON report: %w", err)}
	}
	src.Rows = 1
	for _, f := range []struct {
		name string
		v    *float64
	}{{"latencies.mean", m.Latencies.Mean}, {"duration", m.Duration}, {"requests", m.Requests}, {"throughput", m.Throughput}, {"success", m.Success}} {
		if f.v == nil {
			return &Error{File: in.name, Field: f.name, Err: errors.New("missing: want the output of vegeta report -type=json")}
		}
		if !finite(*f.v) || *f.v < 0 {
			return &Error{File: in.name, Field: f.name, Err: errors.New("not a finite number ≥ 0")}
		}
	}
	ok := *m.Requests * *m.Success
	r := run{
		duration: (*m.Duration + m.Wait) / 1e9,
		ok:       int64(ok + 0.5),
		failed:   int64(*m.Requests - ok + 0.5),
		x:        *m.Throughput,
		r:        *m.Latencies.Mean / 1e9,
	}
	src.column("throughput", "throughput X: successful requests per second")
	src.column("latencies.mean", "response time R, ns")
	src.column("requests, success", "successful and failed requests")
	src.column("duration, wait", "the run's length, ns")
	return r.window(in.name, opt, src)
}
