package shape

import (
	"testing"

	"github.com/boxes-project/boxes/schema"
)

// TestSecondsCSV: which traces workload's own CSV reader keeps (times in
// seconds from the start, job logs) and which go to package traffic.
func TestSecondsCSV(t *testing.T) {
	for _, c := range []struct {
		head string
		want bool
	}{
		{"time,count\n0,600\n60,1200\n", true},                            // seconds after a header
		{"0,600\n60,1200\n", true},                                        // seconds, no header
		{"time_ms\n12\n15\n", true},                                       // a job log
		{"start,end,count\n0s,1m,600\n", true},                            // durations
		{"2026-01-04T09:30:00Z\n2026-01-04T09:30:01Z\n", true},            // a job log of RFC 3339 stamps
		{"time,count\n2026-01-04T09:30:00Z,600\n", false},                 // dated rows: traffic's csv
		{"\"Time\",\"sum(rate(x[1m]))\"\n2026-01-04 00:00:00,3\n", false}, // Grafana
		{`{"status":"success"}`, false},                                   // JSON
		{"Datum;Aufrufe\n04.01.2026 00:00;3\n", false},                    // day-first dates
		{"", false},
	} {
		if got := secondsCSV([]byte(c.head)); got != c.want {
			t.Errorf("secondsCSV(%q) = %v, want %v", c.head, got, c.want)
		}
	}
}

// FuzzTraceData: any text as a trace's data reads or is refused with an
// error, through either reader, without a panic; a curve it makes is valid.
func FuzzTraceData(f *testing.F) {
	for _, s := range []string{
		"time,count\n0,600\n60,1200\n",
		"time,count\n2026-01-04T09:30:00Z,600\n2026-01-04T09:31:00Z,700\n",
		`{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1767519000,"10"],[1767522600,"40"]]}]}}`,
		"\"Time\",\"a\"\n2026-01-04 00:00:00,3\n2026-01-04 00:01:00,4\n",
		`127.0.0.1 - - [04/Jan/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 5 0.010`,
		"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		if data == "" {
			return
		}
		tr := &Trace{}
		if err := schema.SetDefaults(tr); err != nil {
			t.Fatal(err)
		}
		tr.File, tr.Data = "fuzz.csv", data
		if _, err := tr.Curve(Env{}); err != nil {
			return
		}
		if r := tr.Read(); r != nil && (r.Series == nil || r.Series.Len() == 0) {
			t.Fatalf("a read with no series: %+v", r.Report)
		}
	})
}
