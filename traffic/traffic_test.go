package traffic

import (
	"encoding/csv"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // Europe/Berlin without the system's zone files

	"github.com/boxes-project/boxes/workload"
)

// azure is the real request counts of ../shared/data/azure-llm-2023 (see
// its README: the Azure LLM inference trace 2023, CC BY 4.0, Patel et al.,
// "Splitwise", ISCA 2024), read here with encoding/csv alone, so that the
// readers are checked against an independent reading.
const azure = "../../shared/data/azure-llm-2023/" // from the package directory, where go test runs

type slice struct {
	times  []time.Time
	counts []float64
}

func loadAzure(t *testing.T, file string, n int) slice {
	t.Helper()
	fh, err := os.Open(azure + file)
	if err != nil {
		t.Fatalf("the Azure trace is missing (%v): it lives in ../shared/data/azure-llm-2023", err)
	}
	defer fh.Close()
	recs, err := csv.NewReader(fh).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var s slice
	for _, r := range recs[1:] {
		if n > 0 && len(s.times) == n {
			break
		}
		ts, err := time.Parse("2006-01-02T15:04:05", r[1])
		if err != nil {
			t.Fatal(err)
		}
		c, err := strconv.ParseFloat(r[2], 64)
		if err != nil {
			t.Fatal(err)
		}
		s.times, s.counts = append(s.times, ts), append(s.counts, c)
	}
	return s
}

// TestAzureFiles reads the data set's own files as they are; rows, spans
// and totals are the README's table.
func TestAzureFiles(t *testing.T) {
	for _, c := range []struct {
		file  string
		rows  int
		total float64
		step  time.Duration
		start string
	}{
		{"azure_llm_conv_2023_per_second.csv", 3503, 19366, time.Second, "2023-11-16T18:15:46Z"}, // README: 3,503 rows, 19,366 requests
		{"azure_llm_code_2023_per_second.csv", 3437, 8819, time.Second, "2023-11-16T18:17:03Z"},  // README: 3,437 rows, 8,819 requests
		{"azure_llm_conv_2023_per_minute.csv", 59, 19366, time.Minute, "2023-11-16T18:15:46Z"},   // README: 59 rows
		{"azure_llm_code_2023_per_minute.csv", 58, 8819, time.Minute, "2023-11-16T18:17:03Z"},    // README: 58 rows
	} {
		t.Run(c.file, func(t *testing.T) {
			res, err := ReadFile(azure+c.file, Options{})
			if err != nil {
				t.Fatal(err)
			}
			r := res.Report
			if r.Format != "csv" || r.Rows != c.rows || r.Points != c.rows || r.Step != c.step || r.Kind != Count || r.Jobs != c.total {
				t.Errorf("report %+v, want csv, %d rows, step %v, counts, %g jobs", r, c.rows, c.step, c.total)
			}
			if got := r.Start.Format(time.RFC3339); got != c.start {
				t.Errorf("start %s, want %s (the trace's own time of day)", got, c.start)
			}
			first := "minute"
			if c.step == time.Second {
				first = "second"
			}
			want := []Column{{Index: 1, Name: first, Role: "ignored"},
				{Index: 2, Name: "timestamp", Role: "time"}, {Index: 3, Name: "requests", Role: "count"}, {Index: 4, Name: "context_tokens", Role: "ignored"}, {Index: 5, Name: "generated_tokens", Role: "ignored"}}
			if fmt.Sprint(r.Columns) != fmt.Sprint(want) {
				t.Errorf("columns %v, want %v", r.Columns, want)
			}
			// The trace replays the same jobs: Jobs over its span is the total.
			tr, err := res.Series.Trace(workload.StepInterpolation, false)
			if err != nil {
				t.Fatal(err)
			}
			if got := tr.Jobs(0, tr.End()); math.Abs(got-c.total) > 1e-6*c.total {
				t.Errorf("trace jobs %g, want %g", got, c.total)
			}
		})
	}
}

// formats of the same slice: each writer turns the real counts into one
// format, as the tool that makes that format would write them.
func writeProm(s slice, name string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{%s},"values":[`, name)
	for i, ts := range s.times {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `[%d,"%g"]`, ts.Unix(), s.counts[i]) // per-second counts are rates
	}
	b.WriteString("]}]}}")
	return b.String()
}

func writeGrafana(s slice) string {
	var b strings.Builder
	b.WriteString("\"Time\",\"sum(rate(http_requests_total[1m]))\"\r\n")
	for i, ts := range s.times {
		fmt.Fprintf(&b, "%s,%g\r\n", ts.Format("2006-01-02 15:04:05"), s.counts[i])
	}
	return b.String()
}

// writeGrafanaRows splits each second's count into two series (a and b),
// series as rows, as Grafana's "Series joined by time" off writes them.
func writeGrafanaRows(s slice) string {
	var b strings.Builder
	b.WriteString("\"Series\",\"Time\",\"Value\"\n")
	for _, part := range []string{"a", "b"} {
		for i, ts := range s.times {
			v := math.Floor(s.counts[i] / 2)
			if part == "b" {
				v = s.counts[i] - v
			}
			fmt.Fprintf(&b, "\"rate(x{pod=\"\"%s\"\"}[1m])\",%s,%g\n", part, ts.Format("2006-01-02 15:04:05"), v)
		}
	}
	return b.String()
}

// writeGetMetricData: Sum per period, Timestamps newest first, as the CLI
// prints get-metric-data by default (ScanBy TimestampDescending).
func writeGetMetricData(s slice) string {
	var ts, vs []string
	for i := len(s.times) - 1; i >= 0; i-- {
		ts = append(ts, strconv.Quote(s.times[i].Format("2006-01-02T15:04:05+00:00")))
		vs = append(vs, strconv.FormatFloat(s.counts[i], 'f', 1, 64))
	}
	return `{
    "MetricDataResults": [
        {
            "Id": "m1",
            "Label": "RequestCount",
            "Timestamps": [` + strings.Join(ts, ", ") + `],
            "Values": [` + strings.Join(vs, ", ") + `],
            "StatusCode": "Complete"
        }
    ],
    "Messages": []
}`
}

// writeGetMetricStatistics: Datapoints in no order, with Sum.
func writeGetMetricStatistics(s slice) string {
	idx := rand.New(rand.NewPCG(1, 2)).Perm(len(s.times))
	var dps []string
	for _, i := range idx {
		dps = append(dps, fmt.Sprintf(`{"Timestamp": "%s", "Sum": %g, "Unit": "Count"}`, s.times[i].Format("2006-01-02T15:04:05Z"), s.counts[i]))
	}
	return `{"Label": "RequestCount", "Datapoints": [` + strings.Join(dps, ",\n") + `]}`
}

// writeEuropean: a German spreadsheet's export: BOM, ";", CRLF, quoted
// header, day-first dates, decimal commas.
func writeEuropean(s slice, step float64) string {
	var b strings.Builder
	b.WriteString("\ufeff\"Zeit\";\"Anfragen/s\"\r\n")
	for i, ts := range s.times {
		fmt.Fprintf(&b, "%s;%s\r\n", ts.Format("02.01.2006 15:04:05"), strings.ReplaceAll(strconv.FormatFloat(s.counts[i]/step, 'f', -1, 64), ".", ","))
	}
	return b.String()
}

func writeEpochMs(s slice) string {
	var b strings.Builder
	b.WriteString("epoch,requests\n")
	for i, ts := range s.times {
		fmt.Fprintf(&b, "%d,%g\n", ts.UnixMilli(), s.counts[i])
	}
	return b.String()
}

func writeTSV(s slice) string {
	var b strings.Builder
	b.WriteString("timestamp\tcount\n")
	for i, ts := range s.times {
		fmt.Fprintf(&b, "%s\t%g\n", ts.Format(time.RFC3339), s.counts[i])
	}
	return b.String()
}

// writeAccessLog: one Combined Log Format line per request, at its second,
// in +0100, with %D (µs) at the end.
func writeAccessLog(s slice) string {
	var b strings.Builder
	zone := time.FixedZone("", 3600)
	for i, ts := range s.times {
		for j := 0; j < int(s.counts[i]); j++ {
			fmt.Fprintf(&b, "10.0.0.%d - - [%s] \"GET /v1/completions?q=\\\"x\\\" HTTP/1.1\" 200 512 \"-\" \"curl/8.0\" %d\n",
				j%250, ts.In(zone).Format(clfLayout), 1000*(j%10+1))
		}
	}
	return b.String()
}

// TestFormatsRoundTrip writes a slice of the real trace in each format and
// reads it back: the same start (time of day), step and values.
func TestFormatsRoundTrip(t *testing.T) {
	sec := loadAzure(t, "azure_llm_conv_2023_per_second.csv", 600)
	min := loadAzure(t, "azure_llm_conv_2023_per_minute.csv", 30)
	for _, c := range []struct {
		name   string
		format string // detected
		text   string
		opt    Options
		s      slice
		step   time.Duration
		kind   Kind
		scale  float64 // values read = counts × scale
	}{
		{"prometheus matrix", "prometheus", writeProm(sec, ""), Options{}, sec, time.Second, Rate, 1},
		{"grafana columns", "grafana", writeGrafana(sec), Options{}, sec, time.Second, Rate, 1},
		{"grafana rows, two series summed", "grafana", writeGrafanaRows(sec), Options{Sum: true}, sec, time.Second, Rate, 1},
		{"get-metric-data, per minute, newest first", "cloudwatch", writeGetMetricData(min), Options{}, min, time.Minute, Count, 1},
		{"get-metric-statistics, shuffled", "cloudwatch", writeGetMetricStatistics(min), Options{}, min, time.Minute, Count, 1},
		{"european csv, per minute as a rate", "csv", writeEuropean(min, 60), Options{}, min, time.Minute, Rate, 1.0 / 60},
		{"epoch ms", "csv", writeEpochMs(sec), Options{}, sec, time.Second, Count, 1},
		{"tsv", "csv", writeTSV(min), Options{}, min, time.Minute, Count, 1},
		{"access log", "access_log", writeAccessLog(sec), Options{}, sec, time.Second, Count, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			res, err := Read(strings.NewReader(c.text), c.name, c.opt)
			if err != nil {
				t.Fatal(err)
			}
			s := res.Series
			if res.Report.Format != c.format || s.Step != c.step || s.Kind != c.kind {
				t.Fatalf("format %s, step %v, kind %v; want %s, %v, %v", res.Report.Format, s.Step, s.Kind, c.format, c.step, c.kind)
			}
			if !s.Start.Equal(c.s.times[0]) {
				t.Errorf("start %v, want %v", s.Start, c.s.times[0])
			}
			// The access log's series ends at the last second with a job.
			n := len(c.s.counts)
			if c.format == "access_log" {
				for c.s.counts[n-1] == 0 {
					n--
				}
			}
			if s.Len() != n {
				t.Fatalf("%d points, want %d", s.Len(), n)
			}
			for i := range n {
				if want := c.s.counts[i] * c.scale; math.Abs(s.Values[i]-want) > 1e-9*math.Max(1, want) {
					t.Fatalf("point %d (%v): %g, want %g", i, s.Time(i), s.Values[i], want)
				}
			}
			t.Log(res.Report.String())
		})
	}
}

// TestAccessLogLatency: the job log and the latency distribution of a
// small log, computed by hand: latencies 1..10 ms (Apache %D in µs);
// nearest-rank p50 is the 5th smallest (5 ms), p90 the 9th, p99 the 10th.
func TestAccessLogLatency(t *testing.T) {
	var b strings.Builder
	for i := 10; i >= 1; i-- { // written as they finish: later arrivals first
		fmt.Fprintf(&b, "127.0.0.1 - frank [10/Oct/2000:13:55:%02d -0700] \"GET /apache_pb.gif HTTP/1.0\" 200 2326 %d\n", 30+i/2, 1000*i)
	}
	res, err := Read(strings.NewReader(b.String()), "access.log", Options{Bin: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	l := res.Report.Latency
	if l == nil || l.N != 10 || math.Abs(l.Mean-0.0055) > 1e-12 || l.P50 != 0.005 || l.P90 != 0.009 || l.P99 != 0.010 || l.Max != 0.010 {
		t.Errorf("latency %+v, want mean 5.5ms, p50 5ms, p90 9ms, p99 10ms", l)
	}
	log := res.Arrivals.JobLog()
	// Seconds 30 (i=1), 31 (2,3), 32 (4,5), 33 (6,7), 34 (8,9), 35 (10).
	wantT := []float64{0, 1, 1, 2, 2, 3, 3, 4, 4, 5}
	if fmt.Sprint(log.Times) != fmt.Sprint(wantT) {
		t.Errorf("times %v, want %v", log.Times, wantT)
	}
	if log.Latencies[0] != 0.001 || log.Latencies[9] != 0.010 {
		t.Errorf("latencies %v, want sorted with their jobs", log.Latencies)
	}
	// Bins of 2 s from :30: 3 jobs in [30,32), 4 in [32,34), 3 in [34,36).
	if s := res.Series; fmt.Sprint(s.Values) != "[3 4 3]" || s.Start.Format(time.RFC3339) != "2000-10-10T13:55:30-07:00" {
		t.Errorf("series %v from %v", s.Values, s.Start)
	}
}

// TestGaps: a per-minute series missing two minutes, read each way.
func TestGaps(t *testing.T) {
	in := "time,rps\n2026-01-04 00:00:00,10\n2026-01-04 00:01:00,20\n2026-01-04 00:04:00,50\n2026-01-04 00:05:00,60\n"
	_, err := Read(strings.NewReader(in), "gaps.csv", Options{})
	if err == nil || !strings.Contains(err.Error(), "gaps.csv:4: time: 1 gaps (2 intervals of 1m0s missing), the first from 2026-01-04 00:02:00 to 2026-01-04 00:04:00") {
		t.Errorf("got %v", err)
	}
	for _, c := range []struct {
		gaps string
		want string
	}{
		{"zero", "[10 20 0 0 50 60]"},
		{"interpolate", "[10 20 30 40 50 60]"}, // the line from 20 to 50 in thirds
	} {
		res, err := Read(strings.NewReader(in), "gaps.csv", Options{Gaps: c.gaps})
		if err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprint(res.Series.Values); got != c.want {
			t.Errorf("gaps %s: %s, want %s", c.gaps, got, c.want)
		}
		if r := res.Report; r.NGaps != 1 || r.Missing != 2 || r.Filled != c.gaps {
			t.Errorf("report %+v", r)
		}
	}
}

// TestCounter: a counter read as it is is refused with advice; value:
// counter reads its increases (a reset counts from zero).
func TestCounter(t *testing.T) {
	prom := `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"http_requests_total","job":"api"},"values":[[1767484800,"1000"],[1767484860,"1600"],[1767484920,"2200"]]}]}}`
	_, err := Read(strings.NewReader(prom), "q.json", Options{})
	if err == nil || !strings.Contains(err.Error(), "looks like a cumulative counter (its name ends in _total)") || !strings.Contains(err.Error(), "sum(rate(http_requests_total[1m]))") {
		t.Errorf("got %v", err)
	}
	// Unnamed but huge and never decreasing.
	var b strings.Builder
	b.WriteString("time,rate\n")
	for i := range 30 {
		fmt.Fprintf(&b, "%d,%d\n", 1767484800+60*i, 5_000_000+600*i)
	}
	if _, err := Read(strings.NewReader(b.String()), "c.csv", Options{}); err == nil || !strings.Contains(err.Error(), "never decreases over 30 points") {
		t.Errorf("got %v", err)
	}
	csv := "time,hits\n0,100\n60,700\n120,1300\n180,40\n"
	res, err := Read(strings.NewReader(csv), "c.csv", Options{Value: "counter", Format: "csv"})
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(res.Series.Values); got != "[0 600 600 40]" || res.Series.Kind != Count {
		t.Errorf("increases %s, want [0 600 600 40]", got)
	}
}

// TestBadInput: each error names the file, line or field and what was
// expected.
func TestBadInput(t *testing.T) {
	matrix := func(series ...string) string {
		return `{"status":"success","data":{"resultType":"matrix","result":[` + strings.Join(series, ",") + `]}}`
	}
	for _, c := range []struct {
		name, in string
		opt      Options
		want     string
	}{
		{"no format", "hello world\n", Options{}, `x: no known traffic format: it starts "hello world"`},
		{"empty", "", Options{}, "x: no known traffic format: it is empty"},
		{"no series", matrix(), Options{}, "the query returned no series"},
		{"many series", matrix(`{"metric":{"pod":"a"},"values":[[1,"1"],[2,"1"]]}`, `{"metric":{"pod":"b"},"values":[[1,"1"],[2,"1"]]}`), Options{},
			`the query returned 2 series ({pod="a"}, {pod="b"}), want one: wrap the query in sum(...), or set sum: true`},
		{"prometheus error", `{"status":"error","errorType":"bad_data","error":"parse error at char 5"}`, Options{Format: "prometheus"}, "the saved answer is an error: parse error at char 5"},
		{"bad sample", matrix(`{"metric":{},"values":[[1,"x"]]}`), Options{}, `data.result[0].values[0]: "x" is not a number`},
		{"sample not a pair", matrix(`{"metric":{},"values":[{}]}`), Options{}, `data.result[0].values[0]: want a sample [time, "value"]: not an array`},
		{"sample value not a string", matrix(`{"metric":{},"values":[[1,2]]}`), Options{}, `data.result[0].values[0]: want a sample [time, "value"]: the value 2 is not a string`},
		{"duplicate sample", matrix(`{"metric":{},"values":[[0,"1"],[60,"1"],[60,"2"]]}`), Options{}, "x: time of point 3: time 1970-01-01 00:01:00 repeats (as at point 2)"},
		{"mixed steps", "time,rps\n0,1\n60,1\n120,1\n150,1\n", Options{}, "x:5: time: 30s after the previous point, but the step is 1m0s (mixed steps)"},
		{"duplicate", "time,rps\n0,1\n60,1\n60,2\n", Options{}, "x:4: time: time 1970-01-01 00:01:00 repeats (as at line 3)"},
		{"unsorted", "time,rps\n0,1\n120,1\n60,2\n", Options{}, "x:4: time: time 1970-01-01 00:01:00 is before the previous point's"},
		{"no time column", "when,rps\n0,1\n", Options{}, `no time column in the header ("when", "rps"): name one time or timestamp, or set time_column`},
		{"value unknown", "time,foo\n0,1\n60,1\n", Options{}, "x:1: foo: the header does not say whether this column is a rate or a count"},
		{"several values", "time,rps,requests\n0,1,1\n", Options{}, `several value columns ("rps", "requests"): set value_column`},
		{"bad time", "time,rps\n0,1\nyesterday,1\n", Options{}, `x:3:1: time: "yesterday"`},
		{"ambiguous date", "time,rps\n04/01/2026 00:00,1\n", Options{}, "could be day or month first: set dates: dmy or dates: mdy"},
		{"bad number", "time,rps\n0,1\n60,fast\n", Options{}, `x:3:2: rps: "fast" is not a number`},
		{"negative", "time,rps\n0,1\n60,-1\n", Options{}, `x:3:2: rps: "-1" is negative`},
		{"one point", "time,rps\n0,1\n", Options{}, "one point does not show the interval it covers: set step"},
		{"grafana many", "\"Time\",\"a\",\"b\"\n2026-01-04 00:00:00,1,2\n2026-01-04 00:01:00,1,2\n", Options{}, `2 series ("a", "b"): pick one with value_column, or add them with sum: true`},
		{"cloudwatch many", `{"MetricDataResults":[{"Id":"a","Label":"A","Timestamps":[],"Values":[]},{"Id":"b","Label":"B","Timestamps":[],"Values":[]}]}`, Options{}, "2 results (a (A), b (B)), want one"},
		{"cloudwatch lengths", `{"MetricDataResults":[{"Id":"a","Timestamps":["2026-01-04T00:00:00Z"],"Values":[]}]}`, Options{}, "1 Timestamps but 0 Values"},
		{"cloudwatch no sum", `{"Label":"L","Datapoints":[{"Timestamp":"2026-01-04T00:00:00Z","Average":3,"Unit":"Count"}]}`, Options{}, "Datapoints[0]: no Sum"},
		{"access log bad line", "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.0\" 200 2326\nnot a log line\n", Options{}, "x:2: no [time] field"},
		{"json truncated", `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"1"]`, Options{}, "the JSON ends early"},
		{"long line", "time,rps\n0," + strings.Repeat("1", 100) + "\n", Options{Limits: Limits{Line: 50}}, "x:2: line longer than the limit of 50 bytes"},
		{"too many bytes", "time,rps\n0,1\n60,1\n", Options{Limits: Limits{Bytes: 10}}, "larger than the limit of 10 bytes"},
		{"too many rows", "time,rps\n0,1\n60,1\n120,1\n", Options{Limits: Limits{Rows: 2}}, "x:4: more than the limit of 2 points"},
		{"bad option", "time,rps\n0,1\n", Options{Gaps: "skip"}, `traffic: gaps: unknown "skip" (want error, zero, interpolate)`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Read(strings.NewReader(c.in), "x", c.opt)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v\nwant it to contain %q", err, c.want)
			}
			if c.name != "bad option" {
				var e *Error
				if !errors.As(err, &e) {
					t.Errorf("%T is not a *traffic.Error", err)
				}
			}
		})
	}
}

// TestFormatsTable: every registered format has a detector, a reader and a
// name Options.Format accepts.
func TestFormatsTable(t *testing.T) {
	for _, name := range Formats() {
		if err := (Options{Format: name}).Validate(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if got := strings.Join(Formats(), ","); got != "prometheus,cloudwatch,access_log,grafana,csv" {
		t.Errorf("formats %s", got)
	}
}

// TestPrometheusShapes: an instant query's vector (one point: the step
// says how long it lasts), a scalar, promtool's bare array.
func TestPrometheusShapes(t *testing.T) {
	for _, c := range []struct {
		name, in string
		opt      Options
		want     string
	}{
		{"vector", `{"status":"success","data":{"resultType":"vector","result":[{"metric":{"job":"a"},"value":[1767484800,"12.5"]}]}}`, Options{Step: time.Minute}, "[12.5]"},
		{"vector summed", `{"status":"success","data":{"resultType":"vector","result":[{"metric":{"job":"a"},"value":[1767484800,"1"]},{"metric":{"job":"b"},"value":[1767484800,"2"]}]}}`, Options{Step: time.Minute, Sum: true}, "[3]"},
		{"scalar", `{"status":"success","data":{"resultType":"scalar","result":[1767484800,"4"]}}`, Options{Step: time.Minute}, "[4]"},
		{"bare array", `[{"metric":{"job":"a"},"values":[[1767484800,"1"],[1767484815,"2"]]}]`, Options{}, "[1 2]"},
		{"NaN is a gap", `{"data":{"resultType":"matrix","result":[{"metric":{},"values":[[0,"1"],[15,"2"],[30,"NaN"],[45,"4"],[60,"5"]]}]}}`, Options{Gaps: "zero"}, "[1 2 0 4 5]"},
	} {
		res, err := Read(strings.NewReader(c.in), c.name, c.opt)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if got := fmt.Sprint(res.Series.Values); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
}

// TestCounts: arrivals binned per minute from the start of the clock's
// minute, in the log's own zone.
func TestCounts(t *testing.T) {
	zone := time.FixedZone("", -7*3600)
	a := &Arrivals{Start: time.Date(2000, 10, 10, 13, 55, 36, 0, zone), Times: []float64{0, 10, 24, 25, 90}}
	s := a.Counts(time.Minute)
	// 13:55:36, :46 in the 13:55 bin; :60 (13:56:00), :61, and 13:57:06.
	if fmt.Sprint(s.Values) != "[2 2 1]" || s.Start.Format(time.RFC3339) != "2000-10-10T13:55:00-07:00" || s.Kind != Count {
		t.Errorf("%v from %v", s.Values, s.Start)
	}
	if s.Rate(0) != 2.0/60 || s.Jobs() != 5 {
		t.Errorf("rate %g, jobs %g", s.Rate(0), s.Jobs())
	}
}

// TestLongJSONLine: a JSON answer is one long line, whatever the line
// limit; the same bytes as CSV are refused.
func TestLongJSONLine(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[`)
	for i := range 2000 {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `[%d,"1"]`, 1767484800+i)
	}
	b.WriteString("]}]}}")
	if _, err := Read(strings.NewReader(b.String()), "x.json", Options{Limits: Limits{Line: 100}}); err != nil {
		t.Error(err)
	}
	_, err := Read(strings.NewReader("time,rps\n0,"+strings.Repeat("1", 200)+"\n"), "x.csv", Options{Limits: Limits{Line: 100}})
	if err == nil || !strings.Contains(err.Error(), "x.csv:2: line longer than the limit of 100 bytes") {
		t.Errorf("got %v", err)
	}
}

// TestAccessLogEnd: nginx logs when a request ended; with log_time: end
// the arrival is that less $request_time (seconds).
func TestAccessLogEnd(t *testing.T) {
	log := `10.0.0.1 - - [04/Jan/2026:10:00:02 +0000] "GET /a HTTP/1.1" 200 5 "-" "curl" 1.500
10.0.0.1 - - [04/Jan/2026:10:00:02 +0000] "GET /b HTTP/1.1" 200 5 "-" "curl" 0.250
10.0.0.1 - - [04/Jan/2026:10:00:03 +0000] "GET /c HTTP/1.1" 200 5 "-" "curl" 0.500
`
	res, err := Read(strings.NewReader(log), "access.log", Options{LogTime: "end"})
	if err != nil {
		t.Fatal(err)
	}
	// Arrivals 10:00:00.5, 10:00:01.75, 10:00:02.5.
	a := res.Arrivals
	if a.Start.Format("15:04:05.000") != "10:00:00.500" || fmt.Sprint(a.Times) != "[0 1.25 2]" || fmt.Sprint(a.Latencies) != "[1.5 0.25 0.5]" {
		t.Errorf("start %v, times %v, latencies %v", a.Start, a.Times, a.Latencies)
	}
	if fmt.Sprint(res.Series.Values) != "[1 1 1]" || !res.Series.Start.Equal(time.Date(2026, 1, 4, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("series %v from %v", res.Series.Values, res.Series.Start)
	}
	if _, err := Read(strings.NewReader("1.2.3.4 - - [04/Jan/2026:10:00:02 +0000] \"GET / HTTP/1.1\" 200 5\n"), "x", Options{LogTime: "end"}); err == nil ||
		!strings.Contains(err.Error(), "log_time: end needs a request time") {
		t.Errorf("got %v", err)
	}
}

// TestOwnZone: a trace keeps the zone its times are written in, and times
// without one are read in Options.Zone.
func TestOwnZone(t *testing.T) {
	res, err := Read(strings.NewReader("time,rps\n2026-01-04T09:00:00+01:00,1\n2026-01-04T09:01:00+01:00,2\n"), "z.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Series.Start.Format(time.RFC3339); got != "2026-01-04T09:00:00+01:00" {
		t.Errorf("start %s", got)
	}
	res, err = Read(strings.NewReader("time,rps\n2026-07-04 09:00,1\n2026-07-04 09:01,2\n"), "z.csv", Options{Zone: "Europe/Berlin"})
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Series.Start.Format(time.RFC3339); got != "2026-07-04T09:00:00+02:00" { // summer time in Berlin
		t.Errorf("start %s", got)
	}
}

// clfLayout is an access log's time (Apache %t), as the tests write it.
const clfLayout = "02/Jan/2006:15:04:05 -0700"
