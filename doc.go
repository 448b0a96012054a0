// Package boxes holds the vocabulary of the "boxes and jobs" model and its
// equations, in the words of the model's two source texts.
//
// A Job takes a fixed Latency on a Box; a Box does one Job at a time. The
// number of boxes is the Capacity, and
//
//	Throughput  = Capacity / Latency            jobs per second
//	Cost        = Price × Capacity × Time       "no free lunch":
//	            = Price × Throughput × Latency × Time
//	Utilization = JobRate / Throughput          < 1 idle boxes, > 1 missed jobs
//
// JobRate is the load we neither predict nor control. Scaling changes
// Capacity over time so that Utilization stays at a target.
//
// Serverless is priced the way AWS Lambda bills: per request plus per
// GB-second, rounded up to the millisecond, with an optional monthly free
// tier (ServerlessPrice, MonthlyCost, BreakEvenUtilization).
//
// The package also parses the units a person types: durations ("200ms",
// "1.5s", "2h", "1d"), rates ("40/s", "2.4k/min", "1M/day"), prices
// ("$0.10/h", "$72/month", "$0.0000166667/GB-s", "$0.20/M requests") and
// memory sizes ("1024MB"). Errors are *ParseError values that name the
// input. Rate.String and Price.String give text that parses back to the
// same value, and ParseDuration reads every Duration's String exactly.
// Everything here is a pure function or a plain value, safe for concurrent
// use.
//
// One vocabulary and one time representation hold across the packages.
// LatencyKind and QueueKind are the words for a job's latency and for what
// a busy fleet does with a job, in the engines, the closed forms and the
// scenario files. Time is a time.Duration in settings (configs, scenario
// documents, Setup) and float64 seconds from time 0 in what runs on them
// (curves, observations, results, the closed forms of package queueing):
// a setting is read once as a Duration and converted where an engine or a
// formula starts.
package boxes
