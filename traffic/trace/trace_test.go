package trace

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/boxes-project/boxes/workload"
)

// near reports whether got is within rel (relative) or abs (absolute) of
// want.
func near(got, want, rel, abs float64) bool {
	return math.Abs(got-want) <= abs || math.Abs(got-want) <= rel*math.Abs(want)
}

func readTestdata(t *testing.T, file string, opt TraceOptions) (*workload.Trace, error) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	return ReadTrace(bytes.NewReader(data), file, opt)
}

// TestReadTraceGood reads each good file in testdata and checks the points
// it makes (worked out by hand from the file) and the jobs they hold.
func TestReadTraceGood(t *testing.T) {
	linear := TraceOptions{Interpolation: workload.LinearInterpolation}
	tests := []struct {
		file  string
		opt   TraceOptions
		times []float64
		rates []float64
		end   float64
		total float64 // jobs in one pass, by hand
	}{
		// 10 jobs/s for a minute, 20 for a minute, 5 for the last minute
		// (as long as the one before): 600 + 1200 + 300.
		{"rate.csv", TraceOptions{}, []float64{0, 60, 120}, []float64{10, 20, 5}, 180, 2100},
		// Linear: 60 × 15 + 60 × 12.5 + 60 × 5 (the last rate holds).
		{"rate.csv", linear, []float64{0, 60, 120}, []float64{10, 20, 5}, 180, 1950},
		// "Time (min)" and "Rate per min": minutes and jobs per minute.
		{"rate_per_min.csv", TraceOptions{}, []float64{0, 60, 120}, []float64{10, 20, 5}, 180, 2100},
		// 40/s, 2.4k/min = 40/s, 3rps; times 0, 1m, 2m.
		{"rate_units.csv", TraceOptions{}, []float64{0, 60, 120}, []float64{40, 40, 3}, 180, 4980},
		// RFC 3339, one with a space for the T: 0, 10 and 30 s; rps column.
		{"rate_rfc3339.csv", TraceOptions{}, []float64{0, 10, 30}, []float64{5, 15, 0}, 50, 350},
		// Counts per minute: 600/60, 1200/60, 300/60 jobs/s.
		{"counts.csv", TraceOptions{}, []float64{0, 60, 120}, []float64{10, 20, 5}, 180, 2100},
		// Explicit intervals with a gap [120, 180) of no jobs.
		{"counts_intervals.csv", TraceOptions{}, []float64{0, 60, 120, 180}, []float64{10, 20, 0, 5}, 240, 2100},
		// Jobs at 0, 0.2, 0.9, 1.5, 1.5 and 4.1 s (ms from the first):
		// 3 in the first second, 2 in the next, none in two, 1 in the fifth.
		{"jobs.csv", TraceOptions{}, []float64{0, 1, 2, 4}, []float64{3, 2, 0, 1}, 5, 6},
		// Linear keeps the rate at 0 until the bin before the next job's,
		// and (as documented) does not keep the counts: 2.5 + 1 + 0 + 0.5 + 1.
		{"jobs.csv", linear, []float64{0, 1, 2, 3, 4}, []float64{3, 2, 0, 0, 1}, 5, 2.5 + 1 + 0 + 0.5 + 1},
		// Two-second bins: 5 jobs in [0, 2), none in [2, 4), 1 in [4, 6).
		{"jobs.csv", TraceOptions{Bin: 2}, []float64{0, 2, 4}, []float64{2.5, 0, 0.5}, 6, 6},
		// A job log with latencies; ReadTrace counts the jobs.
		{"jobs_latency.csv", TraceOptions{}, []float64{0, 1}, []float64{2, 1}, 2, 3},
		// No header, one column: a job log at 3.5, 3.5, 4 and 7.25 s.
		{"jobs_no_header.csv", TraceOptions{}, []float64{0, 1, 3}, []float64{3, 0, 1}, 4, 4},
		// No header, three columns: start, end, count.
		{"counts_no_header.csv", TraceOptions{}, []float64{0, 60, 120}, []float64{10, 20, 5}, 180, 2100},
		// No header, two columns: the layout says which.
		{"two_columns_no_header.csv", TraceOptions{Layout: RateLayout}, []float64{0, 60, 120}, []float64{10, 20, 5}, 180, 2100},
		{"two_columns_no_header.csv", TraceOptions{Layout: CountLayout}, []float64{0, 60, 120}, []float64{10.0 / 60, 20.0 / 60, 5.0 / 60}, 180, 35},
		// A header given a layout that fits it.
		{"counts.csv", TraceOptions{Layout: CountLayout}, []float64{0, 60, 120}, []float64{10, 20, 5}, 180, 2100},
		// A byte-order mark, a comment, CRLF, quotes, a blank line, spaces.
		{"bom_crlf_quotes.csv", TraceOptions{}, []float64{0, 60, 120}, []float64{10, 20, 5}, 180, 2100},
	}
	for _, tt := range tests {
		name := fmt.Sprintf("%s %+v", tt.file, tt.opt)
		tr, err := readTestdata(t, tt.file, tt.opt)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		var times, rates []float64
		for i := range tr.Len() {
			x, r := tr.Point(i)
			times, rates = append(times, x), append(rates, r)
		}
		if !slices.Equal(times, tt.times) || !floatsNear(rates, tt.rates) || tr.End() != tt.end {
			t.Errorf("%s: points at %v with rates %v until %g, want %v, %v until %g", name, times, rates, tr.End(), tt.times, tt.rates, tt.end)
		}
		if got := tr.Jobs(0, tt.end); !near(got, tt.total, 1e-12, 1e-12) || !near(tr.Total(), tt.total, 1e-12, 1e-12) {
			t.Errorf("%s: %g jobs (Total %g), want %g", name, got, tr.Total(), tt.total)
		}
		if err := workload.Validate(tr); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if tr.Interpolation() != tt.opt.Interpolation || tr.Loops() {
			t.Errorf("%s: interpolation %v, loops %v", name, tr.Interpolation(), tr.Loops())
		}
	}
}

func floatsNear(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !near(a[i], b[i], 1e-12, 0) {
			return false
		}
	}
	return true
}

// TestReadTraceCounts: with step interpolation a count file's trace holds
// each interval's count exactly.
func TestReadTraceCounts(t *testing.T) {
	tr, err := readTestdata(t, "counts_intervals.csv", TraceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, iv := range []struct{ a, b, want float64 }{{0, 60, 600}, {60, 120, 1200}, {120, 180, 0}, {180, 240, 300}, {240, 1000, 0}, {-50, 0, 0}} {
		if got := tr.Jobs(iv.a, iv.b); got != iv.want {
			t.Errorf("Jobs(%g, %g) = %g, want %g", iv.a, iv.b, got, iv.want)
		}
	}
}

// TestReadTraceLoop: a looping trace repeats with period End − Start.
func TestReadTraceLoop(t *testing.T) {
	tr, err := readTestdata(t, "rate.csv", TraceOptions{Loop: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := tr.Jobs(0, 10*180); got != 21000 {
		t.Errorf("ten passes: %g jobs, want 21000", got)
	}
	// [170, 200): 10 s at 5 jobs/s, then 20 s at 10.
	if got := tr.Jobs(170, 200); got != 250 {
		t.Errorf("across the wrap: %g jobs, want 250", got)
	}
	if r := tr.Rate(180*1000 + 61); r != 20 {
		t.Errorf("Rate a thousand passes on = %g, want 20", r)
	}
}

func TestReadJobLog(t *testing.T) {
	data, err := os.ReadFile("testdata/jobs_latency.csv")
	if err != nil {
		t.Fatal(err)
	}
	log, err := ReadJobLog(bytes.NewReader(data), "jobs_latency.csv", TraceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// 14:00:00, 14:00:00.25, 14:00:01.5; 120 ms, 80 ms, and "200ms".
	if !floatsNear(log.Times, []float64{0, 0.25, 1.5}) || !floatsNear(log.Latencies, []float64{0.12, 0.08, 0.2}) {
		t.Errorf("times %v, latencies %v", log.Times, log.Latencies)
	}
	log, err = ReadJobLog(strings.NewReader("time_ms\n5\n5\n7\n"), "x.csv", TraceOptions{})
	if err != nil || !floatsNear(log.Times, []float64{0, 0, 0.002}) || log.Latencies != nil {
		t.Errorf("got %+v, %v", log, err)
	}
	if _, err := ReadJobLog(strings.NewReader("time,rate\n0,1\n"), "x.csv", TraceOptions{}); err == nil ||
		err.Error() != "x.csv:1:2: rate: a rate column does not belong in a jobs trace" {
		t.Errorf("rate file as a job log: %v", err)
	}
	if _, err := ReadJobLog(strings.NewReader("0\n"), "x.csv", TraceOptions{Layout: RateLayout}); err == nil {
		t.Errorf("a job log with the rate layout: no error")
	}
}

// TestReadTraceBad: each bad file gives a *TraceError naming the file,
// line, column and field.
func TestReadTraceBad(t *testing.T) {
	tests := []struct {
		file string
		opt  TraceOptions
		want string
	}{
		{"bad_number.csv", TraceOptions{}, `bad_number.csv:12:2: rate: "abc" is not a number`},
		{"bad_negative.csv", TraceOptions{}, `bad_negative.csv:3:2: rate: "-5" is negative`},
		{"bad_nan.csv", TraceOptions{}, `bad_nan.csv:2:2: rate: "NaN" is not finite`},
		{"bad_inf.csv", TraceOptions{}, `bad_inf.csv:3:2: count: "Inf" is not finite`},
		{"bad_range.csv", TraceOptions{}, `bad_range.csv:2:2: rate: "1e400" is out of range`},
		{"bad_not_increasing.csv", TraceOptions{}, `bad_not_increasing.csv:4:1: time: 60s does not come after the previous row's 60s`},
		{"bad_decreasing.csv", TraceOptions{}, `bad_decreasing.csv:4:1: time: 30s does not come after the previous row's 60s`},
		{"bad_jobs_order.csv", TraceOptions{}, `bad_jobs_order.csv:4:1: time: 3s is before the previous row's 5s (jobs must be in order of time)`},
		{"bad_unknown_column.csv", TraceOptions{}, `bad_unknown_column.csv:1:2: speed: unknown column (want time, rate, count, start, end or latency, with units like time_ms or rate_per_min)`},
		{"bad_missing_time.csv", TraceOptions{}, `bad_missing_time.csv:1: no time column in a rate trace`},
		{"counts.csv", TraceOptions{Layout: RateLayout}, `counts.csv:1:2: count: a count column does not belong in a rate trace`},
		{"jobs.csv", TraceOptions{Layout: RateLayout}, `jobs.csv:1: no rate column in a rate trace`},
		{"bad_empty.csv", TraceOptions{}, `bad_empty.csv: empty file: no header and no rows`},
		{"bad_comment_only.csv", TraceOptions{}, `bad_comment_only.csv: empty file: no header and no rows`},
		{"bad_header_only.csv", TraceOptions{}, `bad_header_only.csv: no data rows after the header`},
		{"bad_field_count.csv", TraceOptions{}, `bad_field_count.csv:3: 3 fields, want 2 like the first row`},
		{"bad_time.csv", TraceOptions{}, `bad_time.csv:3:1: time: "yesterday" is not a time (a number of seconds, an RFC 3339 timestamp or a duration like 1h30m)`},
		{"bad_mixed_times.csv", TraceOptions{}, `bad_mixed_times.csv:3:1: time: "60" is not a timestamp like the first row's`},
		{"bad_mixed_times2.csv", TraceOptions{}, `bad_mixed_times2.csv:3:1: time: "2025-07-15T14:00:00Z" is a timestamp, but the first row's time is not`},
		{"bad_far.csv", TraceOptions{}, `bad_far.csv:3:1: time: "1e308" is too far from the first row's time`},
		{"bad_overlap.csv", TraceOptions{}, `bad_overlap.csv:3:1: start: 50s is before the previous row's end 60s (intervals overlap)`},
		{"bad_empty_interval.csv", TraceOptions{}, `bad_empty_interval.csv:3:2: end: 60s does not come after the start 60s`},
		{"bad_quote.csv", TraceOptions{}, `bad_quote.csv:3:2: bare " in non-quoted-field`},
		{"bad_one_row.csv", TraceOptions{}, `bad_one_row.csv:2: one row: a rate trace needs two, since the last row lasts as long as the interval before it`},
		{"bad_duplicate.csv", TraceOptions{}, `bad_duplicate.csv:1:3: time: a second time column (the first is column 1)`},
		{"bad_rate_and_count.csv", TraceOptions{}, `bad_rate_and_count.csv:1:3: count: a count column beside a rate column: keep one`},
		{"bad_count_rate.csv", TraceOptions{}, `bad_count_rate.csv:2:2: count: "40/s" is a rate; a count is a number of jobs`},
		{"bad_empty_cell.csv", TraceOptions{}, `bad_empty_cell.csv:2:2: rate: empty`},
		{"bad_latency_in_rate.csv", TraceOptions{}, `bad_latency_in_rate.csv:1:3: latency: a latency column does not belong in a rate trace`},
		{"bad_start_no_end.csv", TraceOptions{}, `bad_start_no_end.csv:1: counts per interval need both a start and an end column, or a time column`},
		{"two_columns_no_header.csv", TraceOptions{}, `two_columns_no_header.csv:1: 2 columns and no header: name the columns (like time,rate or time,count) or give the layout`},
		{"jobs_no_header.csv", TraceOptions{Layout: RateLayout}, `jobs_no_header.csv:1: 1 columns and no header do not make a rate trace (want time,rate)`},
	}
	for _, tt := range tests {
		_, err := readTestdata(t, tt.file, tt.opt)
		if err == nil {
			t.Errorf("%s: no error, want %s", tt.file, tt.want)
			continue
		}
		if err.Error() != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.file, err, tt.want)
		}
		var te *TraceError
		if !errors.As(err, &te) || te.File != tt.file {
			t.Errorf("%s: %T %v is not a *TraceError naming the file", tt.file, err, err)
		}
	}
}

// TestReadTraceInline covers cells and names not worth a file each.
func TestReadTraceInline(t *testing.T) {
	tests := []struct {
		name, csv string
		opt       TraceOptions
		times     []float64
		rates     []float64
		err       string
	}{
		{"time in ms", "time_ms,rate\n0,1\n500,2\n", TraceOptions{}, []float64{0, 0.5}, []float64{1, 2}, ""},
		{"time in µs", "t [µs],rate\n0,1\n500,2\n", TraceOptions{}, []float64{0, 0.0005}, []float64{1, 2}, ""},
		{"time in hours", "Time (hours),Rate\n0,1\n1,2\n", TraceOptions{}, []float64{0, 3600}, []float64{1, 2}, ""},
		{"epoch seconds", "epoch,rate\n1752588000,1\n1752588060,2\n", TraceOptions{}, []float64{0, 60}, []float64{1, 2}, ""},
		{"epoch ms", "epoch_ms,rate\n1752588000000,1\n1752588000250,2\n", TraceOptions{}, []float64{0, 0.25}, []float64{1, 2}, ""},
		{"arrival_time_ms", "arrival_time_ms\n10\n20\n", TraceOptions{}, []float64{0}, []float64{2}, ""},
		{"rps", "time,rps\n0,1\n1,2\n", TraceOptions{}, []float64{0, 1}, []float64{1, 2}, ""},
		{"rpm", "time,rpm\n0,60\n1,120\n", TraceOptions{}, []float64{0, 1}, []float64{1, 2}, ""},
		{"jobs per minute", "time,jobs_per_minute\n0,60\n1,120\n", TraceOptions{}, []float64{0, 1}, []float64{1, 2}, ""},
		{"requests/s", "time,Requests/s\n0,6\n1,12\n", TraceOptions{}, []float64{0, 1}, []float64{6, 12}, ""},
		{"rate per hour with k", "time,rate_per_h\n0,3.6k\n1,7.2k\n", TraceOptions{}, []float64{0, 1}, []float64{1, 2}, ""},
		{"own unit beats header", "time,rate_per_min\n0,1/s\n1,2rps\n", TraceOptions{}, []float64{0, 1}, []float64{1, 2}, ""},
		{"counts with SI", "time,hits\n0,1.2k\n60,600\n", TraceOptions{}, []float64{0, 60}, []float64{20, 10}, ""},
		{"durations", "time,rate\n0,1\n1h30m,2\n", TraceOptions{}, []float64{0, 5400}, []float64{1, 2}, ""},
		{"negative start", "time,rate\n-60,1\n0,2\n", TraceOptions{}, []float64{0, 60}, []float64{1, 2}, ""},
		{"fractional RFC 3339 with offset", "ts,rate\n2025-07-15T14:00:00.5+02:00,1\n2025-07-15T12:00:01Z,2\n", TraceOptions{}, []float64{0, 0.5}, []float64{1, 2}, ""},
		{"from/to/requests", "from,to,requests\n0,10,5\n10,20,15\n", TraceOptions{}, []float64{0, 10}, []float64{0.5, 1.5}, ""},
		{"bin ms", "time_ms\n0\n1\n2\n", TraceOptions{Bin: 0.001}, []float64{0, 0.001, 0.002}, []float64{1000, 1000, 1000}, ""},
		{"zero rates", "time,rate\n0,0\n1,0\n", TraceOptions{}, []float64{0, 1}, []float64{0, 0}, ""},
		{"unknown unit", "time_fortnights,rate\n0,1\n", TraceOptions{}, nil, nil, `x.csv:1:1: time_fortnights: unknown column`},
		{"count with a time unit", "time,count_ms\n0,1\n", TraceOptions{}, nil, nil, `x.csv:1:2: count_ms: unknown column`},
		{"bad rate unit", "time,rate\n0,4/fortnight\n1,1\n", TraceOptions{}, nil, nil, `x.csv:2:2: rate: "4/fortnight" is not a number`},
		{"negative with unit", "time,rate\n0,-4/s\n1,1\n", TraceOptions{}, nil, nil, `x.csv:2:2: rate: "-4/s" is negative`},
		{"negative count", "time,count\n0,-1\n1,1\n", TraceOptions{}, nil, nil, `x.csv:2:2: count: "-1" is negative`},
		{"infinite time", "time,rate\n0,1\ninf,1\n", TraceOptions{}, nil, nil, `x.csv:3:1: time: "inf" is not finite`},
		{"huge count rate", "time,count\n0,1e7\n1e-6,1\n", TraceOptions{}, nil, nil, `x.csv:2:2: count: 1e+07 jobs in 1e-06s is above the limit of 1e+12 jobs/s`},
		{"huge rate", "time,rate\n0,2e12\n1,1\n", TraceOptions{}, nil, nil, `x.csv:2:2: rate: "2e12" is above the limit of 1e+12 jobs/s`},
		{"huge bin rate", "time\n0\n0\n", TraceOptions{Bin: 1e-12}, nil, nil, `traffic: trace bin 1e-12s must be at least 1µs`},
		{"too many jobs", "time,rate\n0,1e12\n1e300,1\n", TraceOptions{}, nil, nil, `x.csv: workload: trace has too many jobs to count`},
		{"rows too close", "time,rate\n0,1\n1e-10,1\n", TraceOptions{}, nil, nil, `x.csv:3:1: time: 1e-10s is less than a nanosecond after the previous row's 0s`},
		{"interval too short", "start,end,count\n0,1e-10,1\n", TraceOptions{}, nil, nil, `x.csv:2:2: end: 1e-10s is less than a nanosecond after the start 0s`},
		{"bad latency", "time,latency_ms\n0,fast\n", TraceOptions{}, nil, nil, `x.csv:2:2: latency: "fast" is not a number or a duration like 200ms`},
		{"bad bin", "time\n0\n", TraceOptions{Bin: -1}, nil, nil, `traffic: trace bin -1s must be at least 1µs`},
		{"bad layout", "time\n0\n", TraceOptions{Layout: 9}, nil, nil, `traffic: unknown trace layout 9`},
		{"bad interpolation", "time\n0\n", TraceOptions{Interpolation: 5}, nil, nil, `traffic: unknown interpolation 5`},
		{"no name", "time,rate\n0,x\n", TraceOptions{}, nil, nil, `<input>:2:2: rate: "x" is not a number`},
	}
	for _, tt := range tests {
		name := "x.csv"
		if tt.name == "no name" {
			name = ""
		}
		tr, err := ReadTrace(strings.NewReader(tt.csv), name, tt.opt)
		if tt.err != "" {
			if err == nil || !strings.HasPrefix(err.Error(), tt.err) {
				t.Errorf("%s: error %v, want %s", tt.name, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		var times, rates []float64
		for i := range tr.Len() {
			x, r := tr.Point(i)
			times, rates = append(times, x), append(rates, r)
		}
		if !floatsNear(times, tt.times) || !floatsNear(rates, tt.rates) {
			t.Errorf("%s: points %v, rates %v; want %v, %v", tt.name, times, rates, tt.times, tt.rates)
		}
	}
}

// TestReadTraceRowLimit: one row past the limit is an error on its line.
func TestReadTraceRowLimit(t *testing.T) {
	defer func(n int) { maxTraceRows = n }(maxTraceRows)
	maxTraceRows = 3
	if _, err := ReadTrace(strings.NewReader("time,rate\n0,1\n1,1\n2,1\n"), "x.csv", TraceOptions{}); err != nil {
		t.Errorf("3 rows: %v", err)
	}
	_, err := ReadTrace(strings.NewReader("time,rate\n0,1\n1,1\n2,1\n3,1\n"), "x.csv", TraceOptions{})
	if err == nil || err.Error() != "x.csv:5: more than 3 rows (the limit; raise it with the trace's max_rows, or use a coarser trace)" {
		t.Errorf("4 rows: %v", err)
	}
	// A lower limit given in the options.
	_, err = ReadTrace(strings.NewReader("time,rate\n0,1\n1,1\n2,1\n"), "x.csv", TraceOptions{MaxRows: 2})
	if err == nil || err.Error() != "x.csv:4: more than 2 rows (the limit; raise it with the trace's max_rows, or use a coarser trace)" {
		t.Errorf("3 rows, MaxRows 2: %v", err)
	}
}

func TestParseLayout(t *testing.T) {
	for s, want := range map[string]Layout{"": DetectLayout, "auto": DetectLayout, "Rate": RateLayout, "counts": CountLayout, "jobs": JobLayout} {
		if got, err := ParseLayout(s); got != want || err != nil {
			t.Errorf("ParseLayout(%q) = %v, %v", s, got, err)
		}
		if l, _ := ParseLayout(s); l != DetectLayout {
			if back, _ := ParseLayout(l.String()); back != l {
				t.Errorf("ParseLayout(%v.String()) = %v", l, back)
			}
		}
	}
	if _, err := ParseLayout("bytes"); err == nil || err.Error() != `traffic: unknown trace layout "bytes" (want auto, rate, count or jobs)` {
		t.Errorf("ParseLayout(bytes): %v", err)
	}

}

// FuzzReadTrace: no input panics; a trace that reads validates, holds a
// non-negative number of jobs over any interval, never NaN, finite over any
// finite interval unless a looping trace's count exceeds a float's range
// (testdata/fuzz/FuzzReadTrace holds the crasher of issue 11's F12: a count
// trace looped, Jobs(1e308, +Inf) was Inf × 0 = NaN), and reads the same
// through a Sampler; an error is a *TraceError (or an option error).
func FuzzReadTrace(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.csv")
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, uint8(0), false, false, 0.0)
		f.Add(data, uint8(1), true, true, 2.5)
	}
	f.Add([]byte("time,rate\n0,1\n1e-320,1e308\n"), uint8(0), true, true, 0.0)
	f.Add([]byte("time_ns\n0\n1\n9e18\n"), uint8(3), false, false, 1e-6)
	f.Fuzz(func(t *testing.T, data []byte, layout uint8, linear, loop bool, bin float64) {
		opt := TraceOptions{Layout: Layout(layout % 5), Loop: loop, Bin: bin}
		if linear {
			opt.Interpolation = workload.LinearInterpolation
		}
		tr, err := ReadTrace(bytes.NewReader(data), "fuzz.csv", opt)
		if err != nil {
			var te *TraceError
			if !errors.As(err, &te) && !strings.HasPrefix(err.Error(), "traffic: ") {
				t.Fatalf("error %v is neither a *TraceError nor an option error", err)
			}
			if tr != nil {
				t.Fatalf("a trace and an error")
			}
			return
		}
		if err := workload.Validate(tr); err != nil {
			t.Fatal(err)
		}
		a, b := tr.Start(), tr.End()
		total := tr.Jobs(a, b)
		if math.IsNaN(total) || math.IsInf(total, 0) || total < 0 {
			t.Fatalf("Jobs over the trace = %g", total)
		}
		for _, iv := range [][2]float64{{a - 1, b + 1}, {a, (a + b) / 2}, {(a + b) / 2, b}, {b, 2*b - a}} {
			j := tr.Jobs(iv[0], iv[1])
			overflows := math.IsInf(iv[1]-iv[0], 0) || loop && math.IsInf((iv[1]-iv[0])/(b-a)*total, 0)
			if math.IsNaN(j) || math.IsInf(j, 0) && !overflows || j < 0 {
				t.Fatalf("Jobs(%g, %g) = %g", iv[0], iv[1], j)
			}
		}
		if r := tr.Rate((a + b) / 2); math.IsNaN(r) || r < 0 {
			t.Fatalf("Rate = %g", r)
		}
		// A Sampler over the trace in 16 steps adds up to its jobs.
		step := (b - a) / 16
		if step > 0 && !math.IsInf(step, 0) {
			out := make([]float64, 16)
			workload.NewSampler(tr, a, step).Next(out)
			sum := 0.0
			for _, v := range out {
				if math.IsNaN(v) || v < 0 {
					t.Fatalf("sampler step %g", v)
				}
				sum += v
			}
			if !near(sum, total, 1e-9, 1e-9*total+1e-300) && !loop {
				t.Fatalf("sampler sums to %g, Jobs %g", sum, total)
			}
		}
	})
}

// FuzzReadJobLog: no panic; times start at 0 and never decrease; latencies
// (if any) are one per job, finite and ≥ 0.
func FuzzReadJobLog(f *testing.F) {
	for _, s := range []string{"time\n0\n1\n", "timestamp,latency_ms\n2025-07-15T14:00:00Z,3\n", "5\n5\n", "t,latency\n0,200ms\n1,1s\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		log, err := ReadJobLog(bytes.NewReader(data), "fuzz.csv", TraceOptions{})
		if err != nil {
			var te *TraceError
			if !errors.As(err, &te) {
				t.Fatalf("error %v is not a *TraceError", err)
			}
			return
		}
		if len(log.Times) == 0 || log.Times[0] != 0 {
			t.Fatalf("times %v", log.Times)
		}
		for i := 1; i < len(log.Times); i++ {
			if !(log.Times[i] >= log.Times[i-1]) || math.IsInf(log.Times[i], 0) {
				t.Fatalf("times %v", log.Times)
			}
		}
		if log.Latencies != nil && len(log.Latencies) != len(log.Times) {
			t.Fatalf("%d latencies for %d jobs", len(log.Latencies), len(log.Times))
		}
		for _, l := range log.Latencies {
			if !(l >= 0) || math.IsInf(l, 0) {
				t.Fatalf("latency %g", l)
			}
		}
	})
}

// FuzzParseLayout: the layout parser never panics, and what they accept
// prints back to itself.
func FuzzParseLayout(f *testing.F) {
	for _, s := range []string{"", "auto", "rate", "Counts", "jobs", "linear", "step", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if l, err := ParseLayout(s); err == nil {
			if back, err := ParseLayout(l.String()); err != nil || back != l {
				t.Fatalf("%q → %v → %v, %v", s, l, back, err)
			}
		}
	})
}
