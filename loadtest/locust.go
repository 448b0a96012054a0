package loadtest

import (
	"errors"
	"io"
	"strings"
)

// Locust's --csv PREFIX writes PREFIX_stats_history.csv: every
// CSV_STATS_INTERVAL_SEC (1 s) one "Aggregated" row of the whole test (and,
// with --csv-full-history, one row per request name), with the header
//
//	Timestamp,User Count,Type,Name,Requests/s,Failures/s,50%,66%,…,100%,
//	Total Request Count,Total Failure Count,Total Median Response Time,
//	Total Average Response Time,Total Min Response Time,
//	Total Max Response Time,Total Average Content Size
//
// (https://docs.locust.io/en/stable/retrieving-stats.html; the header is
// stats_history_csv_header in locust/stats.py). Timestamp is Unix seconds,
// response times are ms. Requests/s and the percentiles are Locust's moving
// averages of the last 10 s, so boxes uses the cumulative counters instead:
// between two rows, X = Δ(requests − failures)/Δt and
// R = Δ(average × requests)/Δrequests, exact for that interval.

func detectLocust(head []byte) bool {
	cells := headerCells(firstLine(head))
	var ts, users bool
	for _, c := range cells {
		ts = ts || c == "Timestamp"
		users = users || c == "User Count"
	}
	return ts && users
}

func readLocust(in *input, opt Options, src *Source) error {
	t, err := in.csvTable(',', false)
	if err != nil {
		return err
	}
	need := []string{"Timestamp", "User Count", "Name", "Total Request Count", "Total Average Response Time"}
	cols := make([]int, len(need))
	for i, n := range need {
		if cols[i] = t.col(n); cols[i] < 0 {
			return &Error{File: in.name, Line: 1, Err: errors.New("the header lacks " + quote(n) + ": want Locust's _stats_history.csv")}
		}
	}
	ts, uc, name, total, avg := cols[0], cols[1], cols[2], cols[3], cols[4]
	fails := t.col("Total Failure Count")
	src.column("Timestamp", "time, Unix seconds")
	src.column("User Count", "concurrency N: running users")
	src.column("Name", `only the "Aggregated" rows, the whole test`)
	src.column("Total Request Count", "throughput X from its change between rows (less failures)")
	src.column("Total Average Response Time", "response time R, ms, from the change of average × count between rows")
	if fails >= 0 {
		src.column("Total Failure Count", "failures, counted apart")
	}
	src.column("Requests/s and the percentiles", "not used: moving averages over Locust's last 10 s")
	tl := newTimeline(1)
	tl.latency = true
	var prev struct {
		ok                     bool
		t, users, n, fail, sum float64
	}
	resets := 0
	for {
		rec, err := t.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		src.Rows++
		if name >= len(rec) || strings.TrimSpace(rec[name]) != "Aggregated" {
			src.Skipped++
			continue
		}
		var v [4]float64
		for i, j := range []int{ts, uc, total, avg} {
			if i == 3 && j < len(rec) && strings.TrimSpace(rec[j]) == "N/A" {
				continue // no request yet
			}
			if v[i], err = t.float(rec, j); err != nil {
				return err
			}
		}
		f := 0.0
		if fails >= 0 {
			if f, err = t.float(rec, fails); err != nil {
				return err
			}
		}
		now, users, n, sum := v[0], v[1], v[2], v[3]*v[2]/1000
		if users < 0 || n < 0 || f < 0 || sum < 0 {
			return t.errAt(uc, errors.New("negative count"))
		}
		switch {
		case !prev.ok:
		case now <= prev.t:
			return t.errAt(ts, errors.New("the Timestamp does not increase"))
		case n < prev.n || f < prev.fail:
			resets++ // --reset-stats: the counters start again
		default:
			dn, df := n-prev.n, f-prev.fail
			tl.spread(prev.t, now, dn-df, df, max(0, sum-prev.sum), prev.users, users)
		}
		prev.ok, prev.t, prev.users, prev.n, prev.fail, prev.sum = true, now, users, n, f, sum
	}
	if src.Skipped > 0 {
		src.note("%d rows of single request names skipped; the Aggregated rows count them all", src.Skipped)
	}
	if resets > 0 {
		src.note("the counters restarted %d times (--reset-stats); those intervals are skipped", resets)
	}
	src.note("failed requests are in Locust's average response time")
	src.Windows = tl.windows()
	return nil
}
