package traffic

import (
	"bytes"
	"errors"
	"math"
	"testing"

	"github.com/boxes-project/boxes/workload"
)

// fuzzLimits keep each fuzz input cheap.
var fuzzLimits = Limits{Bytes: 1 << 20, Line: 4096, Rows: 2000}

// checkResult is what every reader promises: an error that is a *Error
// (or an option error), or a series of finite, non-negative values at a
// positive step, which the report describes and which converts to a trace
// (or says why not) without panicking.
func checkResult(t *testing.T, res *Result, err error) {
	t.Helper()
	if err != nil {
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("%T is not a *traffic.Error: %v", err, err)
		}
		return
	}
	s := res.Series
	if s == nil || s.Len() == 0 || s.Step <= 0 {
		t.Fatalf("empty series without an error: %+v", s)
	}
	if s.Len() > fuzzLimits.Rows {
		t.Fatalf("%d points, over the limit of %d", s.Len(), fuzzLimits.Rows)
	}
	for i, v := range s.Values {
		if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
			t.Fatalf("value %d is %g", i, v)
		}
	}
	if r := res.Report; r.Points != s.Len() || !r.Start.Equal(s.Start) || r.Step != s.Step {
		t.Fatalf("report %+v does not describe the series", r)
	}
	if tr, err := s.Trace(workload.StepInterpolation, false); err == nil {
		if j := tr.Jobs(0, tr.End()); math.IsNaN(j) || math.IsInf(j, 0) || j < 0 {
			t.Fatalf("trace jobs %g", j)
		}
	}
	if a := res.Arrivals; a != nil {
		for i := 1; i < len(a.Times); i++ {
			if a.Times[i] < a.Times[i-1] {
				t.Fatalf("arrival %d before %d", i, i-1)
			}
		}
		if a.Latencies != nil && len(a.Latencies) != len(a.Times) {
			t.Fatalf("%d latencies for %d jobs", len(a.Latencies), len(a.Times))
		}
	}
}

func fuzzFormat(f *testing.F, format string, seeds ...string) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, opt := range []Options{
			{Format: format, Limits: fuzzLimits},
			{Format: format, Limits: fuzzLimits, Sum: true, Gaps: "interpolate", Value: "counter", Dates: "dmy"},
		} {
			res, err := Read(bytes.NewReader(data), "fuzz", opt)
			checkResult(t, res, err)
		}
	})
}

func FuzzPrometheus(f *testing.F) {
	fuzzFormat(f, "prometheus",
		`{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"job":"a"},"values":[[1767484800,"1"],[1767484860,"2"],[1767484980,"NaN"]]}]}}`,
		`{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1767484800.5,"3"]}]}}`,
		`[{"metric":{"__name__":"x_total"},"values":[[1,"1"],[2,"2"],[3,"3"]]},{"metric":{},"values":[[1,"1e3"]]}]`,
		`{"data":{"resultType":"scalar","result":[1767484800,"4"]}}`)
}

func FuzzCloudWatch(f *testing.F) {
	fuzzFormat(f, "cloudwatch",
		`{"MetricDataResults":[{"Id":"m1","Label":"L","Timestamps":["2026-01-04T00:02:00+00:00","2026-01-04T00:01:00+00:00","2026-01-04T00:00:00+00:00"],"Values":[3,2,1],"StatusCode":"PartialData"}],"NextToken":"x"}`,
		`{"Label":"RequestCount","Datapoints":[{"Timestamp":"2026-01-04T00:05:00Z","Sum":5,"Unit":"Count"},{"Timestamp":"2026-01-04T00:00:00Z","Sum":1,"Unit":"Count"}]}`,
		`{"Label":"R","Datapoints":[{"Timestamp":"2026-01-04T00:00:00Z","Average":2.5,"Unit":"Count/Second"},{"Timestamp":"2026-01-04T00:01:00Z","Average":1,"Unit":"Count/Second"}]}`)
}

func FuzzAccessLog(f *testing.F) {
	fuzzFormat(f, "access_log",
		"127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] \"GET /apache_pb.gif HTTP/1.0\" 200 2326\n127.0.0.1 - - [10/Oct/2000:13:55:38 -0700] \"GET / HTTP/1.0\" 304 -\n",
		"10.0.0.1 - - [04/Jan/2026:00:00:01 +0100] \"POST /x?a=\\\"b\\\" HTTP/1.1\" 200 12 \"-\" \"curl/8\" 0.012\n10.0.0.1 - - [04/Jan/2026:00:00:00 +0100] \"GET / HTTP/1.1\" 500 0 \"https://e.x/\" \"Mozilla\" 0.500\n",
		"h - - [04/Jan/2026:00:00:00 +0000] \"GET / HTTP/1.1\" 200 5 1234\n")
}

func FuzzGrafana(f *testing.F) {
	fuzzFormat(f, "grafana",
		"\"Time\",\"sum(rate(http_requests_total[1m]))\"\n2026-01-04 00:00:00,1.5\n2026-01-04 00:01:00,2\n2026-01-04 00:03:00,\n",
		"sep=;\n\"Time\";\"a\";\"b\"\r\n04.01.2026 00:00;1,5;2\r\n04.01.2026 00:01;null;3\r\n",
		"\"Series\",\"Time\",\"Value\"\n\"a\",1767484800000,1\n\"b\",1767484800000,2\n\"a\",1767484860000,3\n")
}

func FuzzCSV(f *testing.F) {
	fuzzFormat(f, "csv",
		"time,rps\n0,1\n60,2\n180,3\n",
		"\ufeff\"Zeit\";\"Anfragen\"\r\n04.01.2026 00:00;1.234,5\r\n04.01.2026 00:01;7\r\n",
		"timestamp\tcount\n2026-01-04T00:00:00Z\t5\n2026-01-04T00:00:01Z\t5\n",
		"1767484800000,3\n1767484801000,4\n",
		"minute,timestamp,requests,context_tokens\n0,2023-11-16T18:15:46,190,1\n1,2023-11-16T18:16:46,261,2\n")
}

// FuzzRead: detection over anything, then whichever reader it picks.
func FuzzRead(f *testing.F) {
	fuzzFormat(f, "auto",
		"time,rps\n0,1\n60,2\n",
		`{"data":{"resultType":"matrix","result":[]}}`,
		`{"MetricDataResults":[]}`,
		"\"Time\",\"x\"\n2026-01-04 00:00:00,1\n",
		"1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.0\" 200 1\n",
		"not a trace")
}
