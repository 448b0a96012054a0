// Package series is what the engines record of a run besides the fleet:
// the running totals, the result's series of points, and the utilization
// histogram.
package series

import (
	"math"

	"github.com/boxes-project/boxes/sim"
)

// cumulative is what an engine has counted from time 0 to some time t.
type Cumulative struct {
	Arrived, Served float64 // jobs
	ReadySteps      float64 // ready boxes summed over steps
	BootArea        float64 // booting box-seconds
	Cost            float64 // dollars billed so far
	// The events engine counts these; the fluid engines leave them 0.
	Missed float64 // jobs missed, timed out or lost
	Busy   float64 // box-seconds at work
	Queued float64 // job-seconds waiting
}

type seriesSource interface {
	Cumulative(t float64) Cumulative
}

// waitSource is a source that also knows the wait percentiles of the jobs
// started since the last point closed (the events engine).
type waitSource interface {
	PointWaits() (p50, p95, p99 float64)
}

// seriesBuilder averages a run into at most a fixed number of points of
// equal length, from differences of the engine's running totals, so it costs
// nothing per step.
type SeriesBuilder struct {
	per     int // steps per point
	n       int // steps in the run
	dt      float64
	latency float64
	start   int // first step of the open point
	Next    int // step at which the open point closes
	last    Cumulative
	s       sim.Series
	// events: the source counts missed jobs, busy boxes and the queue
	// (the events engine), and the series carries Busy and Queued.
	Events bool
	// exactMissed: the source counts missed jobs (the fluid engine with a
	// hold, whose held jobs are served later, not missed).
	ExactMissed bool
}

// niceIntervals are the point lengths, in seconds, a series may use: round
// numbers a person reads on a time axis.
var niceIntervals = []float64{1, 2, 5, 10, 15, 20, 30, 60, 120, 300, 600, 900, 1200, 1800,
	3600, 7200, 10800, 21600, 43200, 86400, 2 * 86400, 7 * 86400, 14 * 86400, 28 * 86400}

// pointSteps is the number of steps per point: the shortest nice interval
// that is a whole number of steps and keeps the series within points.
func pointSteps(n int, dt float64, points int) int {
	least := max(1, (n+points-1)/points)
	for _, iv := range niceIntervals {
		per := iv / dt
		if per >= float64(least) && per == math.Trunc(per) {
			return int(per)
		}
	}
	return least
}

func NewSeriesBuilder(n int, dt, latency float64, points int) SeriesBuilder {
	per := pointSteps(n, dt, points)
	m := (n + per - 1) / per
	b := SeriesBuilder{per: per, n: n, dt: dt, latency: latency}
	b.s = sim.Series{
		Interval:    float64(per) * dt,
		Time:        make([]float64, 0, m),
		JobRate:     make([]float64, 0, m),
		Served:      make([]float64, 0, m),
		Missed:      make([]float64, 0, m),
		Ready:       make([]float64, 0, m),
		Booting:     make([]float64, 0, m),
		Utilization: make([]float64, 0, m),
		Cost:        make([]float64, 0, m),
	}
	return b
}

// close ends the open point at step k (if it has any steps) and opens the
// next one.
func (b *SeriesBuilder) Close(k int, src seriesSource) {
	c := src.Cumulative(float64(k) * b.dt)
	if k > b.start {
		steps := float64(k - b.start)
		dur := steps * b.dt
		jobRate := (c.Arrived - b.last.Arrived) / dur
		served := (c.Served - b.last.Served) / dur
		ready := (c.ReadySteps - b.last.ReadySteps) / steps
		u := 0.0
		switch {
		case ready > 0:
			u = jobRate * b.latency / ready
		case jobRate > 0:
			u = math.Inf(1)
		}
		b.s.Time = append(b.s.Time, float64(b.start)*b.dt)
		b.s.JobRate = append(b.s.JobRate, jobRate)
		b.s.Served = append(b.s.Served, served)
		if b.Events {
			b.s.Missed = append(b.s.Missed, (c.Missed-b.last.Missed)/dur)
			b.s.Busy = append(b.s.Busy, (c.Busy-b.last.Busy)/dur)
			b.s.Queued = append(b.s.Queued, (c.Queued-b.last.Queued)/dur)
			if ws, ok := src.(waitSource); ok {
				p50, p95, p99 := ws.PointWaits()
				b.s.WaitP50 = append(b.s.WaitP50, p50)
				b.s.WaitP95 = append(b.s.WaitP95, p95)
				b.s.WaitP99 = append(b.s.WaitP99, p99)
			}
		} else if b.ExactMissed {
			b.s.Missed = append(b.s.Missed, (c.Missed-b.last.Missed)/dur)
		} else {
			b.s.Missed = append(b.s.Missed, math.Max(0, jobRate-served))
		}
		b.s.Ready = append(b.s.Ready, ready)
		b.s.Booting = append(b.s.Booting, (c.BootArea-b.last.BootArea)/dur)
		b.s.Utilization = append(b.s.Utilization, u)
		b.s.Cost = append(b.s.Cost, c.Cost)
	}
	b.last, b.start = c, k
	b.Next = k + b.per
	if b.Next > b.n {
		b.Next = b.n
	}
	if k >= b.n {
		b.Next = math.MaxInt
	}
}

// finish returns the series with its last cost set to the run's total,
// which includes the rounding of the boxes billed at the end.
func (b *SeriesBuilder) Finish(total float64) sim.Series {
	if n := len(b.s.Cost); n > 0 {
		b.s.Cost[n-1] = total
	}
	return b.s
}
