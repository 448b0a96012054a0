package loadtest

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
)

// run is what a one-run report (ab, hey, vegeta) gives: the run's length,
// its successful and failed requests, throughput and mean response time.
type run struct {
	duration   float64 // seconds
	ok, failed int64
	x, r       float64 // jobs per second, seconds
	n          float64 // concurrency the file gives, 0 when it does not
	nFrom      string  // where n came from
}

// nameConcurrency is a concurrency in a file's name: a number after c, n,
// conc, concurrency, users, workers, vus, threads or clients, like
// hey-c8.txt, ab_n16.txt or vegeta-workers-4.json.
var nameConcurrency = regexp.MustCompile(`(?i)(?:^|[^a-z])(?:c|n|conc|concurrency|users|workers|vus|threads|clients)[-_=]?([0-9]+)(?:[^0-9]|$)`)

// window turns a run into the file's one window, taking N from the options,
// the file, the file's name or Little's law, in that order.
func (r run) window(name string, opt Options, src *Source) error {
	w := Window{End: r.duration, Throughput: r.x, Latency: r.r, Requests: r.ok, Failures: r.failed}
	switch {
	case opt.Concurrency > 0:
		w.Concurrency, w.Why = opt.Concurrency, "concurrency from the options (--concurrency)"
	case r.n > 0:
		w.Concurrency, w.Why = r.n, "concurrency from "+r.nFrom
	default:
		if m := nameConcurrency.FindStringSubmatch(filepath.Base(name)); m != nil {
			if v, err := strconv.Atoi(m[1]); err == nil && v > 0 {
				w.Concurrency, w.Why = float64(v), fmt.Sprintf("concurrency %d from the file's name", v)
			}
		}
		if w.Concurrency == 0 && r.x > 0 && r.r > 0 {
			w.Concurrency = r.x * r.r
			w.Why = "concurrency from Little's law N = X × R: the file does not say it; give --concurrency or name the file like run-c8"
		}
	}
	switch {
	case !(r.x > 0):
		w.Why = "no successful request"
	case !(w.Concurrency > 0):
		w.Why = "no concurrency: give --concurrency or name the file like run-c8"
	default:
		w.Used = true
	}
	if w.Used && w.Latency > 0 {
		if lx := w.Throughput * w.Latency; lx < 0.8*w.Concurrency {
			src.note("Little's law gives X × R = %.3g jobs in the system, fewer than N = %.3g: the clients spent time between requests", lx, w.Concurrency)
		}
	}
	src.Windows = append(src.Windows, w)
	return nil
}
