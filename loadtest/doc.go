// Package loadtest reads the files load-test tools write into
// measurements for the Universal Scalability Law (package usl): each a
// concurrency N, a throughput X and a mean response time R, tied by
// Little's law N = X × R.
//
// The formats are registered in one table, Formats (format name → content
// detector and reader): Apache JMeter's CSV JTL, Locust's
// *_stats_history.csv, k6's --out csv, the text output of ab and of hey,
// vegeta's report -type=json, and a generic CSV whose header names its
// columns with the common synonyms (users, vus, rps, Requests/sec, req/s,
// http_reqs, mean_ms, p50_ms…). Read detects the format from a file's
// first 64 KiB unless Options.Format names it.
//
// Every reader streams and is bounded: it holds one line or record at a
// time (at most Options.MaxLine bytes, 1 MiB by default, in a file of at
// most Options.MaxBytes, 4 GiB) and, for time series, a fixed number of
// time buckets (65,536, whose width doubles when more are needed).
//
// Each file gives a Source: which columns meant what, the windows of
// constant concurrency found and which became measurements, the rows read
// and skipped, and notes. For time series (JMeter, Locust, k6) a window is
// a run of time buckets in which every observation of the concurrency was
// the same level; a bucket that saw two levels ends it, and a tenth of the
// window (at least one bucket) is dropped at each end, where the load was
// still ramping up or down. X is the successful jobs that ended in the rest
// per second of it, R their mean response time. For one-run reports (ab,
// hey, vegeta) the file is one window; where the file gives no concurrency
// (hey, vegeta) it comes from Options.Concurrency, then the file's name
// (hey-c8.txt), then Little's law N = X × R, and the window says which.
//
// Failed requests are counted in a window's Failures, never in X or R.
// Nothing here is safe for concurrent use by several goroutines on one
// reader; separate calls to Read are independent.
package loadtest
