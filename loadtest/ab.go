package loadtest

import (
	"errors"
	"strconv"
	"strings"
)

// ApacheBench (ab) prints, after a run, lines like
//
//	Concurrency Level:      8
//	Time taken for tests:   1.503 seconds
//	Complete requests:      600
//	Failed requests:        0
//	Requests per second:    399.20 [#/sec] (mean)
//	Time per request:       20.040 [ms] (mean)
//	Time per request:       2.505 [ms] (mean, across all concurrent requests)
//
// (https://httpd.apache.org/docs/2.4/programs/ab.html, and ab.c's output).
// One file is one run at one concurrency; several files make a fit.

func detectAB(head []byte) bool {
	s := string(head)
	return strings.Contains(s, "This is ApacheBench") || (strings.Contains(s, "Concurrency Level:") && strings.Contains(s, "Requests per second:"))
}

func readAB(in *input, opt Options, src *Source) error {
	var r run
	var complete, failed, tpr float64
	seen := map[string]bool{}
	err := in.lines(func(line string) (bool, error) {
		src.Rows++
		key, val, ok := strings.Cut(line, ":")
		if !ok {
			return true, nil
		}
		key = strings.TrimSpace(key)
		fields := strings.Fields(val)
		num := func() (float64, error) {
			if len(fields) == 0 {
				return 0, errors.New(key + ": no number")
			}
			v, err := strconv.ParseFloat(fields[0], 64)
			if err != nil || !finite(v) || v < 0 {
				return 0, errors.New(key + ": " + quote(fields[0]) + " is not a number")
			}
			return v, nil
		}
		var err error
		switch {
		case key == "Concurrency Level":
			r.n, err = num()
		case key == "Time taken for tests":
			r.duration, err = num()
		case key == "Complete requests":
			complete, err = num()
		case key == "Failed requests":
			failed, err = num()
		case key == "Requests per second":
			r.x, err = num()
		case key == "Time per request" && !seen[key]:
			// The first is the mean over requests; the second divides it by
			// the concurrency.
			tpr, err = num()
			if err == nil && !strings.Contains(val, "[ms]") {
				err = errors.New("Time per request: want ms")
			}
		default:
			return true, nil
		}
		seen[key] = true
		return true, err
	})
	if err != nil {
		return err
	}
	for _, k := range []string{"Concurrency Level", "Time taken for tests", "Complete requests", "Requests per second", "Time per request"} {
		if !seen[k] {
			return &Error{File: in.name, Err: errors.New("no " + quote(k) + " line: want the output of ab")}
		}
	}
	r.nFrom = `"Concurrency Level"`
	r.r = tpr / 1000
	r.ok = int64(complete - failed)
	r.failed = int64(failed)
	if r.duration > 0 {
		// ab's Requests per second counts failed requests too.
		r.x = float64(r.ok) / r.duration
	}
	src.column("Concurrency Level", "concurrency N")
	src.column("Complete requests, Failed requests, Time taken for tests", "throughput X = (complete − failed) / time taken")
	src.column("Time per request (mean)", "response time R, ms")
	src.column("Requests per second", "not used: it counts failed requests")
	return r.window(in.name, opt, src)
}
