package measure

import (
	"math"
	"time"

	"github.com/HdrHistogram/hdrhistogram-go"
)

// window gathers one level's measured window [from, to) from its samples.
// Not safe for concurrent use.
type window struct {
	from, to  time.Time
	open      bool
	completed float64 // successful jobs, each by its fraction inside the window
	sum       float64 // of the counted successful response times, seconds
	ok, n     int
	errs      int
	firstErr  string                  // of the failed jobs counted in the window
	anyErr    string                  // of any failed job of the level
	hist      *hdrhistogram.Histogram // response times in µs
}

// The histogram's range: 1 µs to an hour at 3 significant digits.
const (
	histLowest  = 1
	histHighest = 3600e6
	histDigits  = 3
)

func newWindow(from, to time.Time, open bool) *window {
	return &window{from: from, to: to, open: open, hist: hdrhistogram.New(histLowest, histHighest, histDigits)}
}

func (w *window) add(s Sample) {
	switch {
	case s.Failed:
	case w.open:
		// An open loop's queue may grow all through the window: count the
		// jobs that ended in it, not those merely begun.
		if !s.End.Before(w.from) && s.End.Before(w.to) {
			w.completed++
		}
	default:
		// The fraction of the job inside the window: a worker busy with
		// jobs back to back adds exactly the window's length over its
		// service time, with no ±1-job rounding at the edges.
		lo, hi := later(s.Start, w.from), earlier(s.End, w.to)
		switch d := s.End.Sub(s.Start); {
		case d <= 0:
			if !s.End.Before(w.from) && s.End.Before(w.to) {
				w.completed++
			}
		case hi.After(lo):
			w.completed += float64(hi.Sub(lo)) / float64(d)
		}
	}
	// Which jobs' response times count: those ending in the window (closed
	// loop), those due in it (open loop: the schedule, not the system,
	// decides which jobs are measured).
	if s.Failed && w.anyErr == "" {
		w.anyErr = s.Error
	}
	key := s.End
	if w.open {
		key = s.Scheduled
	}
	if key.Before(w.from) || !key.Before(w.to) {
		return
	}
	w.n++
	if s.Failed {
		w.errs++
		if w.firstErr == "" {
			w.firstErr = s.Error
			if w.firstErr == "" {
				w.firstErr = "failed"
			}
		}
		return
	}
	r := s.End.Sub(s.Scheduled)
	w.ok++
	w.sum += r.Seconds()
	us := int64(math.Round(float64(r) / 1e3))
	w.hist.RecordValue(min(max(us, histLowest), histHighest))
}

func (w *window) level() Level {
	lv := Level{Requests: w.n, Errors: w.errs, FirstError: w.firstErr, Throughput: w.completed / w.to.Sub(w.from).Seconds()}
	if lv.FirstError == "" {
		lv.FirstError = w.anyErr
	}
	if w.ok > 0 {
		lv.Mean = w.sum / float64(w.ok)
		q := func(p float64) float64 { return float64(w.hist.ValueAtQuantile(p)) / 1e6 }
		lv.P50, lv.P90, lv.P99, lv.Max = q(50), q(90), q(99), float64(w.hist.Max())/1e6
	}
	return lv
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
