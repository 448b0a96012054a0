// Package scaletozero holds the request-driven scalers that scale a service
// to zero and back: the Knative Pod Autoscaler (KPA), KEDA's ScaledObject
// (with the HPA it creates for 1↔N, and its HTTP add-on's interceptor) and
// ScaledJob (a job pod per queued job), and Google Cloud Run. Each is a policy.Config whose settings are one field
// each, tagged as the project's one schema per setting asks, and each runs
// on both engines through policy.Policy.
//
// They live apart from package policy because together they would take it
// past about 2,000 lines, and because they share two notions the other
// scalers do not: a proxy that holds requests while the service is cold
// (policy.Hold), and an instance that serves several jobs at once.
//
// # Instances of several boxes
//
// A box serves one job at a time (the articles' model). A pod or instance
// that serves up to k requests at once (Knative's containerConcurrency,
// Cloud Run's max concurrent requests) is k boxes that start, boot and stop
// together: these scalers always ask for a whole number of instances times
// k boxes, and read the ready instances as floor(ready boxes / k). Price a
// box at the instance's price divided by k: the k boxes of one instance
// are then billed as that instance.
package scaletozero

import (
	"fmt"
	"math"
	"time"

	"github.com/boxes-project/boxes/policy"
	"github.com/boxes-project/boxes/schema"
)

// instances is the number of whole instances of k boxes among n boxes.
func instances(n, k int) int {
	if k <= 1 {
		return n
	}
	return n / k
}

// ceilInstances is ceil(x) as an instance count, with the 1e-9 relative
// guard boxes.CapacityFor uses against float noise from averaging, and
// bounded so that the box count cannot overflow.
func ceilInstances(x float64) int {
	if !(x > 0) {
		return 0
	}
	c := math.Ceil(x - 1e-9*x)
	if c > 1e7 {
		return 1e7
	}
	return int(c)
}

// seconds converts a duration to float seconds.
func seconds(d time.Duration) float64 { return d.Seconds() }

// inFlight is the mean number of jobs in flight over a window: in service
// or waiting (Metrics.Concurrency: what Knative's queue-proxy and activator
// and KEDA's interceptor count), and never less than the offered load
// JobRate × Latency (Little's law). The second term matters on the fluid
// engine, which has no queue: there the jobs ready boxes cannot take are
// missed, and the in-flight count a real proxy would see is the offered
// load.
func inFlight(m policy.Metrics) float64 {
	return math.Max(m.Concurrency(), m.Demand)
}

// window reads the metrics over the length seconds ending delay ago, or the
// zero Metrics with ok false when nothing has been recorded.
func window(o *policy.Observation, length, delay float64) (policy.Metrics, bool) {
	return o.Metrics(length, delay)
}

// maxWindow keeps the largest of the values recorded within a sliding
// window of time: Knative's scale-down delay (a max over the window) and
// Cloud Run's idle hold. Times never decrease.
type maxWindow struct {
	span float64
	t    []float64
	v    []int
}

// record adds v at time t and returns the largest value recorded in
// (t − span, t].
func (w *maxWindow) record(t float64, v int) int {
	// Drop what left the window, and every value below v (it can never be
	// the max again): a monotone deque.
	i := 0
	for i < len(w.t) && w.t[i] <= t-w.span {
		i++
	}
	w.t, w.v = w.t[i:], w.v[i:]
	for n := len(w.v); n > 0 && w.v[n-1] <= v; n = len(w.v) {
		w.t, w.v = w.t[:n-1], w.v[:n-1]
	}
	w.t = append(w.t, t)
	w.v = append(w.v, v)
	return w.v[0]
}

// checkTags checks every setting of v against its tags with the schema's
// checker (bounds, enum, finite numbers), naming the kind.
func checkTags(kind string, v any) error {
	if err := schema.Check(v); err != nil {
		return fmt.Errorf("policy: %s: %w", kind, err)
	}
	return nil
}
