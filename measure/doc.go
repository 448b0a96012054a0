// Package measure loads a live system and measures it: throughput and
// response times at rising concurrency (a closed loop) or at rising arrival
// rates (an open loop), ready for the Universal Scalability Law fit of
// package usl. It is what "The Difference Between Scalability and
// Performance" asks for: requests per second at increasing concurrency and
// response time against load, so that a change can be told apart as the
// curve moving down (performance) or right (scalability).
//
// # Loads
//
// A Load does jobs: HTTP requests (HTTP, driven by vegeta's library,
// github.com/tsenart/vegeta/v12/lib) or runs of a command (Command). Sweep
// runs one level after another:
//
//   - Closed loop (Plan.Concurrency): N workers, each starting its next job
//     as soon as its last one ends, no think time. In the measured window
//     the throughput X is the successful jobs per second and R their mean
//     response time; N is the concurrency of the USL's X(N).
//   - Open loop (Plan.Rates): jobs start on a fixed schedule, one every
//     1/λ seconds, whatever the system does; response time against load is
//     the curve the articles draw. The concurrency is Little's law, N = X·R.
//
// Each level runs a warm-up (not counted) and then its measured window. In a
// closed loop the throughput counts each job by the fraction of it inside
// the window (|[start, end] ∩ window| / (end − start)), so a window of a few
// dozen jobs has no ±1-job rounding; in an open loop, whose queue may grow
// all through the window, it counts the jobs that ended in it. Response-time percentiles are recorded in an
// HdrHistogram (github.com/HdrHistogram/hdrhistogram-go, 1 µs to 1 h, 3
// significant digits) over the jobs that end in the window (closed loop) or
// were scheduled in it (open loop).
//
// # Coordinated omission
//
// A load generator that waits for a slow reply before it sends the next
// request measures fewer requests exactly when the system is slow, and its
// percentiles look better than a user's (Gil Tene's "coordinated omission").
// In the closed loop this is the design (the concurrency is what is
// controlled) and the USL models it. In the open loop it is avoided and
// corrected: requests leave on schedule from as many workers as needed (up
// to Limits.MaxConcurrency), and each response time is measured from the time
// the request was scheduled to leave, not from when it left, so a request
// that waited for a free worker or a late timer counts its wait too. The
// schedule of the i-th request is the pacer's own (start + i/λ, or the sum
// of i+1 exponential gaps for Poisson arrivals). Requests still waiting for
// a worker when the level ends are not sent and not counted: the level then
// shows a throughput below its offered rate, and the sweep stops.
//
// # Safety
//
// Limits bound every sweep: the concurrency, the rate, the time per level,
// the requests of the whole sweep and the requests in flight, with defaults
// (DefaultLimits) that a production service survives; a sweep also stops
// early when a level's error rate or p99 passes its limit, or when
// throughput has clearly passed its peak. Cancelling the context stops a
// sweep within a second (in-flight requests are cancelled) and keeps the
// levels already measured; the interrupted level is dropped.
//
// # go test -bench
//
// The output of go test -bench -cpu 1,2,4,8 is a measurement too; package
// usl reads it (usl.ReadGoBench), so boxes fit and compare take it as is.
package measure
