package sim

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"sync"

	"gonum.org/v1/gonum/stat/distuv"
)

// Intervals are the 95% confidence half-widths of a replicated result's
// means: the mean of R runs is within ± the half-width of the true mean with
// 95% confidence, t(0.975, R−1) × s / √R (Student's t, s the sample
// standard deviation across runs). Quantiles are means over the runs of each
// run's quantile.
type Intervals struct {
	Cost, IdleCost, BoxHours                        float64
	Arrived, Served, Missed, TimedOut, Lost, Queued float64
	Late                                            float64
	BusyFraction, Utilization                       float64
	SecondsOverCapacity                             float64
	Wait, Response                                  Times
	WaitProbability, MeanQueued, Value              float64
}

// replicated lists the numbers that replications average, with where they
// sit in a Result and in its Intervals.
var replicated = []struct {
	result func(*Result) *float64
	ci     func(*Intervals) *float64
}{
	{func(r *Result) *float64 { return &r.Cost }, func(c *Intervals) *float64 { return &c.Cost }},
	{func(r *Result) *float64 { return &r.IdleCost }, func(c *Intervals) *float64 { return &c.IdleCost }},
	{func(r *Result) *float64 { return &r.BoxHours }, func(c *Intervals) *float64 { return &c.BoxHours }},
	{func(r *Result) *float64 { return &r.Jobs.Arrived }, func(c *Intervals) *float64 { return &c.Arrived }},
	{func(r *Result) *float64 { return &r.Jobs.Served }, func(c *Intervals) *float64 { return &c.Served }},
	{func(r *Result) *float64 { return &r.Jobs.Missed }, func(c *Intervals) *float64 { return &c.Missed }},
	{func(r *Result) *float64 { return &r.Jobs.TimedOut }, func(c *Intervals) *float64 { return &c.TimedOut }},
	{func(r *Result) *float64 { return &r.Jobs.Lost }, func(c *Intervals) *float64 { return &c.Lost }},
	{func(r *Result) *float64 { return &r.Jobs.Queued }, func(c *Intervals) *float64 { return &c.Queued }},
	{func(r *Result) *float64 { return &r.Jobs.Late }, func(c *Intervals) *float64 { return &c.Late }},
	{func(r *Result) *float64 { return &r.BusyFraction }, func(c *Intervals) *float64 { return &c.BusyFraction }},
	{func(r *Result) *float64 { return &r.Utilization.Mean }, func(c *Intervals) *float64 { return &c.Utilization }},
	{func(r *Result) *float64 { return &r.SecondsOverCapacity }, func(c *Intervals) *float64 { return &c.SecondsOverCapacity }},
}

// queueingReplicated lists the Queueing numbers replications average.
var queueingReplicated = []struct {
	result func(*Queueing) *float64
	ci     func(*Intervals) *float64
}{
	{func(q *Queueing) *float64 { return &q.Wait.Mean }, func(c *Intervals) *float64 { return &c.Wait.Mean }},
	{func(q *Queueing) *float64 { return &q.Wait.P50 }, func(c *Intervals) *float64 { return &c.Wait.P50 }},
	{func(q *Queueing) *float64 { return &q.Wait.P90 }, func(c *Intervals) *float64 { return &c.Wait.P90 }},
	{func(q *Queueing) *float64 { return &q.Wait.P99 }, func(c *Intervals) *float64 { return &c.Wait.P99 }},
	{func(q *Queueing) *float64 { return &q.Wait.P999 }, func(c *Intervals) *float64 { return &c.Wait.P999 }},
	{func(q *Queueing) *float64 { return &q.Response.Mean }, func(c *Intervals) *float64 { return &c.Response.Mean }},
	{func(q *Queueing) *float64 { return &q.Response.P50 }, func(c *Intervals) *float64 { return &c.Response.P50 }},
	{func(q *Queueing) *float64 { return &q.Response.P90 }, func(c *Intervals) *float64 { return &c.Response.P90 }},
	{func(q *Queueing) *float64 { return &q.Response.P99 }, func(c *Intervals) *float64 { return &c.Response.P99 }},
	{func(q *Queueing) *float64 { return &q.Response.P999 }, func(c *Intervals) *float64 { return &c.Response.P999 }},
	{func(q *Queueing) *float64 { return &q.WaitProbability }, func(c *Intervals) *float64 { return &c.WaitProbability }},
	{func(q *Queueing) *float64 { return &q.MeanQueued }, func(c *Intervals) *float64 { return &c.MeanQueued }},
	{func(q *Queueing) *float64 { return &q.Value }, func(c *Intervals) *float64 { return &c.Value }},
	{func(q *Queueing) *float64 { return &q.ValueFraction }, nil},
	{func(q *Queueing) *float64 { return &q.DownSeconds }, nil},
}

// ReplicationSeed is the seed of replication i of a run seeded with seed:
// seed itself for i = 0 (one replication is the plain run), and for the
// others a SplitMix64 hash of both, so that the streams are unrelated.
func ReplicationSeed(seed uint64, i int) uint64 {
	if i == 0 {
		return seed
	}
	x := seed ^ (uint64(i) * 0x9e3779b97f4a7c15)
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// StudentT975 is the 0.975 quantile of Student's t with df degrees of
// freedom: a 95% two-sided interval's multiplier.
func StudentT975(df int) float64 {
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(df)}.Quantile(0.975)
}

// Combine averages the results of independent replications of one run, in
// the order given (so the bytes do not depend on which finished first): every
// number listed in Intervals is the mean over the runs, with its 95%
// confidence half-width in CI; series are averaged point by point; the
// utilization distribution's quantiles are means and its Max the largest;
// BoxStarts is the rounded mean and PeakBoxes the largest. One result is
// returned as it is.
func Combine(rs []*Result) (*Result, error) {
	switch {
	case len(rs) == 0:
		return nil, errors.New("sim: no replications to combine")
	case len(rs) == 1:
		return rs[0], nil
	}
	out := *rs[0]
	n := float64(len(rs))
	tq := StudentT975(len(rs) - 1)
	ci := &Intervals{}
	mean := func(get func(*Result) *float64) (float64, float64) {
		s := 0.0
		for _, r := range rs {
			s += *get(r)
		}
		m := s / n
		ss := 0.0
		for _, r := range rs {
			d := *get(r) - m
			ss += d * d
		}
		return m, tq * math.Sqrt(ss/(n-1)/n)
	}
	for _, f := range replicated {
		m, h := mean(f.result)
		*f.result(&out), *f.ci(ci) = m, h
	}
	if rs[0].Queueing != nil {
		q := *rs[0].Queueing
		for _, f := range queueingReplicated {
			m, h := mean(func(r *Result) *float64 { return f.result(r.Queueing) })
			*f.result(&q) = m
			if f.ci != nil {
				*f.ci(ci) = h
			}
		}
		crashes := 0.0
		for _, r := range rs {
			crashes += float64(r.Queueing.Crashes)
		}
		q.Crashes = int(math.Round(crashes / n))
		out.Queueing = &q
	}
	u := &out.Utilization
	u.P50, _ = mean(func(r *Result) *float64 { return &r.Utilization.P50 })
	u.P95, _ = mean(func(r *Result) *float64 { return &r.Utilization.P95 })
	starts := 0.0
	for _, r := range rs {
		u.Max = math.Max(u.Max, r.Utilization.Max)
		out.PeakBoxes = max(out.PeakBoxes, r.PeakBoxes)
		starts += float64(r.BoxStarts)
		if r.Series.Len() != rs[0].Series.Len() {
			return nil, fmt.Errorf("sim: replications have series of %d and %d points", rs[0].Series.Len(), r.Series.Len())
		}
	}
	out.BoxStarts = int(math.Round(starts / n))
	out.Series = averageSeries(rs)
	out.Replications = len(rs)
	out.CI = ci
	return &out, nil
}

// averageSeries is the point-by-point mean of the runs' series (all of one
// length, from one setup), every column a single run has. A wait
// percentile is the mean over the runs in which some job started in the
// point (NaN when none did in any).
func averageSeries(rs []*Result) Series {
	s0 := rs[0].Series
	out := Series{Interval: s0.Interval, Time: s0.Time}
	cols := func(s *Series) []*[]float64 {
		return []*[]float64{&s.JobRate, &s.Served, &s.Missed, &s.Ready, &s.Booting, &s.Utilization, &s.Cost, &s.Busy, &s.Queued,
			&s.WaitP50, &s.WaitP95, &s.WaitP99}
	}
	dst := cols(&out)
	for c, src := range cols(&s0) {
		if *src == nil {
			continue
		}
		avg := make([]float64, len(*src))
		n := make([]float64, len(*src))
		for _, r := range rs {
			for i, x := range *cols(&r.Series)[c] {
				if !math.IsNaN(x) {
					avg[i] += x
					n[i]++
				}
			}
		}
		for i := range avg {
			avg[i] /= n[i] // 0/0 is NaN: no run had a value
		}
		*dst[c] = avg
	}
	return out
}

// Replicate runs r independent replications, run(ctx, i) for i in [0, r),
// on up to workers goroutines (0: one per core), and combines them in order:
// the result does not depend on workers. run must be safe to call
// concurrently; seed replication i with ReplicationSeed.
func Replicate(ctx context.Context, r, workers int, run func(ctx context.Context, i int) (*Result, error)) (*Result, error) {
	if r < 1 {
		return nil, fmt.Errorf("sim: replications %d must be at least 1", r)
	}
	results := make([]*Result, r)
	_, err := RunEach(ctx, r, workers, func(ctx context.Context, i int) error {
		var err error
		results[i], err = run(ctx, i)
		return err
	})
	if err != nil {
		return nil, err
	}
	return Combine(results)
}

// RunEach calls run(ctx, i) for i in [0, n) on up to workers goroutines
// (0: one per core). The first failure cancels the others' ctx; RunEach
// returns the index and error of the first failure in index order that is
// not a cancellation another one caused, or (-1, nil). run must be safe to
// call concurrently and write only its own i's results, so that what it
// computes does not depend on workers.
func RunEach(ctx context.Context, n, workers int, run func(ctx context.Context, i int) error) (int, error) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make([]error, n)
	sem := make(chan struct{}, workers)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if errs[i] = run(ctx, i); errs[i] != nil {
				cancel()
			}
		}()
	}
	wg.Wait()
	first := -1
	for i, err := range errs {
		if err != nil && (first < 0 || errors.Is(errs[first], context.Canceled) && !errors.Is(err, context.Canceled)) {
			first = i
		}
	}
	if first < 0 {
		return -1, nil
	}
	return first, errs[first]
}
