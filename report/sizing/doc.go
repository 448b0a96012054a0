// Package sizing writes the answers to "how many boxes?" in words and JSON:
// the articles' own arithmetic for a JobRate, a latency and a price
// (boxes.Estimate, `boxes calc`), and the queueing plans of `boxes plan`
// (queueing.Plan: Erlang B and C, M/D/c), with the headroom that shrinks as
// the fleet grows. It uses report's number words and JSON floats.
package sizing
