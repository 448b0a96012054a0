package loadtest

import (
	"errors"
	"io"
	"strconv"
	"strings"
	"time"
)

// k6 run --out csv=FILE writes one row per metric sample, with the header
//
//	metric_name,timestamp,metric_value,check,error,error_code,
//	expected_response,group,method,name,proto,scenario,service,status,…
//
// (https://grafana.com/docs/k6/latest/results-output/real-time/csv/).
// timestamp is Unix seconds by default (timeFormat unix; unix_milli,
// unix_micro, unix_nano and rfc3339 are read too). boxes uses
//
//	http_req_duration  one per request: its response time, ms;
//	                   expected_response=false marks a failure
//	vus                the running VUs, sampled every second: concurrency N
//
// and ignores the other metrics.

func detectK6(head []byte) bool {
	return strings.HasPrefix(firstLine(head), "metric_name,timestamp,metric_value")
}

func readK6(in *input, opt Options, src *Source) error {
	t, err := in.csvTable(',', false)
	if err != nil {
		return err
	}
	mn, ts, mv := t.col("metric_name"), t.col("timestamp"), t.col("metric_value")
	if mn < 0 || ts < 0 || mv < 0 {
		return &Error{File: in.name, Line: 1, Err: errors.New("the header needs metric_name, timestamp and metric_value")}
	}
	exp := t.col("expected_response")
	src.column("timestamp", "time (Unix seconds, or ms, µs, ns or RFC 3339 with timeFormat)")
	src.column("metric_name=http_req_duration", "one completed request; metric_value its response time R, ms")
	src.column("metric_name=vus", "concurrency N: running VUs, sampled each second")
	if exp >= 0 {
		src.column("expected_response", "false marks a failed request, counted apart")
	}
	tl := newTimeline(1)
	tl.latency = true
	var reqs, vus int64
	for {
		rec, err := t.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		src.Rows++
		if mn >= len(rec) {
			return t.errAt(mn, errors.New("missing"))
		}
		metric := rec[mn]
		if metric != "http_req_duration" && metric != "vus" {
			src.Skipped++
			continue
		}
		if ts >= len(rec) {
			return t.errAt(ts, errors.New("missing"))
		}
		sec, err := k6Time(strings.TrimSpace(rec[ts]))
		if err != nil {
			return t.errAt(ts, err)
		}
		v, err := t.float(rec, mv)
		if err != nil {
			return err
		}
		if v < 0 {
			return t.errAt(mv, errors.New("negative value"))
		}
		if metric == "vus" {
			vus++
			tl.observe(sec, v)
			continue
		}
		reqs++
		ok := exp < 0 || exp >= len(rec) || strings.TrimSpace(rec[exp]) != "false"
		tl.complete(sec, v/1000, ok)
	}
	if vus == 0 {
		return &Error{File: in.name, Err: errors.New("no vus rows: k6 writes them every second unless the metric is filtered out (--system-tags or an output filter)")}
	}
	if reqs == 0 {
		return &Error{File: in.name, Err: errors.New("no http_req_duration rows: the test made no HTTP requests")}
	}
	src.note("%d rows of other metrics skipped", src.Skipped)
	src.Windows = tl.windows()
	return nil
}

// k6Time reads a k6 CSV timestamp as Unix seconds: a number in seconds,
// ms, µs or ns (told apart by size), or RFC 3339.
func k6Time(s string) (float64, error) {
	if v, err := strconv.ParseFloat(s, 64); err == nil && finite(v) && v >= 0 {
		switch {
		case v < 1e11:
			return v, nil
		case v < 1e14:
			return v / 1e3, nil
		case v < 1e17:
			return v / 1e6, nil
		}
		return v / 1e9, nil
	}
	tm, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return 0, errors.New("timestamp " + quote(s) + " is neither Unix time nor RFC 3339")
	}
	return float64(tm.UnixNano()) / 1e9, nil
}
