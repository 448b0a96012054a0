package loadtest

// Formats is the one table of load-test formats, in the order detection
// tries them: the most specific content first, the generic CSV last. A new
// format is one file with its detector and reader, and one line here.
var Formats = []Format{
	{Name: "gobench", Doc: "go test -bench output run with -cpu 1,2,4,8: throughput 1e9/ns-per-op at each GOMAXPROCS", Detect: detectGoBench, read: readGoBench},
	{Name: "vegeta", Doc: "vegeta report -type=json: one run; concurrency from --concurrency, the file name or Little's law", Detect: detectVegeta, read: readVegeta},
	{Name: "ab", Doc: "ApacheBench (ab) text output: one run at its Concurrency Level", Detect: detectAB, read: readAB},
	{Name: "hey", Doc: "hey text output: one run; concurrency from --concurrency, the file name or Little's law", Detect: detectHey, read: readHey},
	{Name: "jtl", Doc: "Apache JMeter results, CSV JTL with its header (timeStamp, elapsed, allThreads…)", Detect: detectJTL, read: readJTL},
	{Name: "locust", Doc: "Locust --csv *_stats_history.csv (Timestamp, User Count, Aggregated rows)", Detect: detectLocust, read: readLocust},
	{Name: "k6", Doc: "k6 run --out csv (metric_name, timestamp, metric_value: http_reqs, http_req_duration, vus)", Detect: detectK6, read: readK6},
	{Name: "csv", Doc: "CSV with a header naming two of concurrency, throughput and latency (their common synonyms too)", Detect: detectCSV, read: readCSV},
}
