package traffic_test

import (
	"fmt"
	"strings"

	"github.com/boxes-project/boxes/traffic"
	"github.com/boxes-project/boxes/workload"
)

// A Grafana "Download CSV" of a rate, read and replayed as a trace.
func ExampleRead() {
	csv := `"Time","sum(rate(http_requests_total[1m]))"
2026-01-04 09:00:00,40
2026-01-04 09:01:00,55
2026-01-04 09:02:00,70
`
	res, err := traffic.Read(strings.NewReader(csv), "grafana.csv", traffic.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(res.Report)
	tr, _ := res.Series.Trace(workload.StepInterpolation, false)
	fmt.Printf("jobs in the trace: %g (40+55+70 jobs/s × 60 s)\n", tr.Jobs(0, tr.End()))
	// Output:
	// grafana.csv (grafana): 3 rows, 3 intervals of 1m0s from 2026-01-04T09:00:00Z to 2026-01-04T09:03:00Z (3m0s), 9900 jobs as rates
	//   column 1 "Time": time
	//   column 2 "sum(rate(http_requests_total[1m]))": series
	//   series: sum(rate(http_requests_total[1m]))
	//   note: Grafana writes times without a zone: read in UTC (set zone: to the browser's)
	// jobs in the trace: 9900 (40+55+70 jobs/s × 60 s)
}

// A counter exported without rate() is refused, with the query to write.
func ExampleRead_counter() {
	csv := "time,http_requests_total\n2026-01-04T09:00:00Z,1000\n2026-01-04T09:01:00Z,1600\n"
	_, err := traffic.Read(strings.NewReader(csv), "export.csv", traffic.Options{})
	fmt.Println(err)
	// Output:
	// traffic: export.csv: http_requests_total looks like a cumulative counter (its name ends in _total), not jobs per interval: query its rate (like sum(rate(http_requests_total[1m]))) or set value: counter
}
