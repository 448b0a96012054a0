package loadtest

import (
	"fmt"
	"math"
	"slices"
)

// timeline gathers a time series into buckets of equal width: completions
// (count, failures, the sum of their response times) by the time they
// ended, and the concurrencies observed in each bucket. Memory is bounded:
// past maxBuckets buckets, the width doubles and neighbours merge.
//
// Windows then cuts it into windows of constant concurrency: runs of
// buckets where every observation is the same level. A bucket that saw two
// levels (a step, a ramp) ends a window and is dropped; so are each
// window's edges, a tenth of its length at each end and at least one
// bucket, where the load was still ramping up or down.
type timeline struct {
	width   float64 // seconds
	buckets map[int64]*bucket
	latency bool // completions carry a response time
}

type bucket struct {
	n, fail float64 // completed and failed jobs
	sumR    float64 // seconds, over the completed jobs
	obs     bool    // a concurrency was observed
	lo, hi  float64 // the smallest and largest observed
}

const (
	maxBuckets = 1 << 16
	edgeShare  = 0.1
	minKept    = 3 // buckets a window needs after its edges are dropped
)

func newTimeline(width float64) *timeline {
	return &timeline{width: width, buckets: map[int64]*bucket{}}
}

func (t *timeline) at(sec float64) *bucket {
	k := int64(math.Floor(sec / t.width))
	b := t.buckets[k]
	if b == nil {
		if len(t.buckets) >= maxBuckets {
			t.coarsen()
			return t.at(sec)
		}
		b = &bucket{}
		t.buckets[k] = b
	}
	return b
}

// coarsen doubles the width, merging buckets pairwise.
func (t *timeline) coarsen() {
	old := t.buckets
	t.width *= 2
	t.buckets = make(map[int64]*bucket, len(old)/2+1)
	for k, b := range old {
		k2 := int64(math.Floor(float64(k) / 2))
		m := t.buckets[k2]
		if m == nil {
			t.buckets[k2] = b
			continue
		}
		m.n += b.n
		m.fail += b.fail
		m.sumR += b.sumR
		if b.obs {
			m.observe(b.lo)
			m.observe(b.hi)
		}
	}
}

func (b *bucket) observe(n float64) {
	if !b.obs {
		b.obs, b.lo, b.hi = true, n, n
		return
	}
	b.lo, b.hi = math.Min(b.lo, n), math.Max(b.hi, n)
}

// observe records that concurrency was n at time sec.
func (t *timeline) observe(sec, n float64) { t.at(sec).observe(n) }

// complete records a job that ended at sec after r seconds, or failed.
func (t *timeline) complete(sec, r float64, ok bool) {
	b := t.at(sec)
	if !ok {
		b.fail++
		return
	}
	b.n++
	b.sumR += r
}

// spread records n completions (and fail failures) with response times
// summing to sumR over the interval (from, to], evenly over its buckets, and
// the concurrencies lo and hi seen in it.
func (t *timeline) spread(from, to, n, fail, sumR, lo, hi float64) {
	k0 := int64(math.Floor(from/t.width)) + 1
	k1 := int64(math.Floor(to / t.width))
	if k1 < k0 {
		k0 = k1
	}
	if k1-k0+1 > maxBuckets/4 {
		// A gap this long is not one interval of a steady run.
		b := t.at(to)
		b.n += n
		b.fail += fail
		b.sumR += sumR
		b.observe(lo)
		b.observe(hi)
		return
	}
	m := float64(k1 - k0 + 1)
	for k := k0; k <= k1; k++ {
		b := t.at((float64(k) + 0.5) * t.width)
		b.n += n / m
		b.fail += fail / m
		b.sumR += sumR / m
		b.observe(lo)
		b.observe(hi)
	}
}

// windows cuts the timeline into windows of constant concurrency.
func (t *timeline) windows() []Window {
	keys := make([]int64, 0, len(t.buckets))
	for k := range t.buckets {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var out []Window
	start, last := -1, -1 // indexes into keys of the current run's first and last observed bucket
	level := 0.0
	closeRun := func() {
		if start >= 0 {
			out = append(out, t.window(keys, start, last, level))
		}
		start, last = -1, -1
	}
	for i, k := range keys {
		b := t.buckets[k]
		switch {
		case !b.obs:
			// No observation: the run goes on through it, if it goes on.
		case b.lo != b.hi:
			closeRun()
		case start >= 0 && b.lo == level:
			last = i
		default:
			closeRun()
			start, last, level = i, i, b.lo
		}
	}
	closeRun()
	return out
}

// window is the run of buckets keys[i..j] at concurrency level, its edges
// dropped.
func (t *timeline) window(keys []int64, i, j int, level float64) Window {
	k0, k1 := keys[i], keys[j]
	length := k1 - k0 + 1
	edge := max(1, int64(math.Ceil(edgeShare*float64(length))))
	w := Window{Concurrency: level}
	a, b := k0+edge, k1-edge
	if b-a+1 < minKept {
		w.Start, w.End = float64(k0)*t.width, float64(k1+1)*t.width
		w.Why = fmt.Sprintf("too short: %s at this concurrency, a window needs %s after dropping its edges", seconds(float64(length)*t.width), seconds(float64(minKept+2)*t.width))
		return w
	}
	w.Start, w.End = float64(a)*t.width, float64(b+1)*t.width
	w.Dropped = float64(2*edge) * t.width
	var n, fail, sumR float64
	for _, k := range keys[i : j+1] {
		if k < a || k > b {
			continue
		}
		bk := t.buckets[k]
		n += bk.n
		fail += bk.fail
		sumR += bk.sumR
	}
	w.Requests, w.Failures = int64(math.Round(n)), int64(math.Round(fail))
	if !(level > 0) {
		w.Why = "no load at this concurrency"
		return w
	}
	if n < 1 {
		w.Why = "no successful job in the window"
		return w
	}
	w.Throughput = n / (w.End - w.Start)
	if t.latency {
		w.Latency = sumR / n
	}
	w.Used = true
	return w
}

// seconds writes a duration in seconds shortly: 0.1s, 12s, 3m20s.
func seconds(s float64) string {
	switch {
	case s >= 120:
		return fmt.Sprintf("%dm%02ds", int(s)/60, int(s)%60)
	case s >= 10:
		return fmt.Sprintf("%.0fs", s)
	case s >= 1:
		return fmt.Sprintf("%.3gs", s)
	}
	return fmt.Sprintf("%.3gms", s*1000)
}
