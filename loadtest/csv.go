package loadtest

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/boxes-project/boxes"
	"github.com/boxes-project/boxes/usl"
)

// The generic CSV: a header naming the columns, one measurement per row.
// A column's name says its quantity (case-insensitive; spaces, dashes and
// underscores alike), and its unit comes after it in brackets or as a
// suffix ("latency (ms)", "p50_ms", "throughput_per_min", "Requests/sec"):
//
//	concurrency  concurrency, n, users, user_count, vus, threads, workers,
//	             clients, connections, load, processors, parallelism
//	throughput   throughput, x, rps, qps, tps, rate, requests_per_second,
//	             requests/sec, req/s, http_reqs, ops/s    (per second)
//	latency      latency, response_time, r, rt, mean, avg, average,
//	             mean_latency, http_req_duration…         (needs a unit)
//	  median     p50, median, 50%: stands in for the mean only when there
//	             is no mean, with a note (Little's law needs the mean)
//	  others     p90, p95, p99, max, min…: never used, listed as such
//
// Two of the three quantities make a measurement: N and X when both are
// there, else N and R, else X and R (N = X × R by Little's law). Two
// columns of the same rank for a quantity are ambiguous and refused:
// Options.Columns (--column) picks one.

// maxMeasurements bounds the rows of a generic CSV, each one measurement.
const maxMeasurements = 100000

// genericName is what a header's name means.
type genericName struct {
	q    usl.Quantity
	rank int // 1 the quantity itself, 2 a median latency, 3 another statistic: never used
	what string
}

// genericNames is the synonyms table; read-only.
var genericNames = synonyms()

func synonyms() map[string]genericName {
	m := map[string]genericName{}
	add := func(q usl.Quantity, rank int, what string, names ...string) {
		for _, n := range names {
			m[n] = genericName{q, rank, what}
		}
	}
	add(usl.Concurrency, 1, "concurrency N", "concurrency", "n", "clients", "users", "user_count", "threads",
		"workers", "vus", "connections", "load", "processors", "cpus", "jobs_in_system", "parallelism",
		"virtual_users", "allthreads", "conc")
	add(usl.Throughput, 1, "throughput X", "throughput", "x", "rps", "qps", "tps", "rate", "requests_per_second",
		"requests/sec", "requests/s", "req/s", "req/sec", "reqs/s", "reqs/sec", "http_reqs", "ops/s", "ops/sec",
		"ops_per_sec", "transactions/s", "hits/s", "iterations/s")
	add(usl.Latency, 1, "mean response time R", "latency", "response_time", "responsetime", "r", "rt", "response",
		"mean_latency", "mean_response_time", "mean", "avg", "average", "avg_latency", "average_response_time",
		"avg_response_time", "mean_rt", "http_req_duration", "avg_rt", "latency_mean", "latency_avg")
	add(usl.Latency, 2, "median response time", "p50", "median", "p50_latency", "median_latency",
		"median_response_time", "50%", "latency_p50", "med")
	add(usl.Latency, 3, "a response-time statistic other than the mean", "p90", "p95", "p99", "p999", "p99.9", "max",
		"min", "90%", "95%", "99%", "100%", "p75", "75%", "stddev", "latency_p90", "latency_p95", "latency_p99",
		"max_latency", "min_latency")
	return m
}

// normalizeName lowercases a name and turns runs of spaces, dashes and
// underscores into one "_".
func normalizeName(s string) string {
	var b strings.Builder
	sep := false
	for _, r := range strings.ToLower(strings.TrimSpace(s)) {
		if r == ' ' || r == '-' || r == '_' || r == '\t' {
			sep = true
			continue
		}
		if sep && b.Len() > 0 {
			b.WriteByte('_')
		}
		sep = false
		b.WriteRune(r)
	}
	return b.String()
}

// genericColumn is how one header cell is read.
type genericColumn struct {
	genericName
	scale float64 // multiplies a bare number into jobs/s or seconds; 0: a bare latency needs a unit
	unit  string
}

// parseGenericHeader reads a header cell; ok is false for a name it does
// not know.
func parseGenericHeader(cell string) (c genericColumn, ok bool, err error) {
	s := strings.TrimSpace(cell)
	unit, bracketed := "", false
	if i := strings.IndexAny(s, "(["); i > 0 && (strings.HasSuffix(s, ")") || strings.HasSuffix(s, "]")) {
		unit, s, bracketed = strings.TrimSpace(s[i+1:len(s)-1]), s[:i], true
	}
	name := normalizeName(s)
	if g, found := genericNames[name]; found {
		c = genericColumn{genericName: g, scale: defaultScale(g.q)}
		if bracketed {
			if c.scale, err = unitScale(g.q, unit); err != nil {
				return c, false, err
			}
			c.unit = unit
		}
		if g.q == usl.Throughput && strings.Contains(name, "/") {
			c.unit = name[strings.IndexByte(name, '/'):]
		}
		return c, true, nil
	}
	if bracketed {
		return c, false, nil
	}
	if i := strings.Index(name, "_per_"); i > 0 {
		if g, found := genericNames[name[:i]]; found && g.q == usl.Throughput {
			if scale, err := unitScale(g.q, "/"+name[i+len("_per_"):]); err == nil {
				return genericColumn{genericName: g, scale: scale, unit: "/" + name[i+len("_per_"):]}, true, nil
			}
		}
	}
	if i := strings.LastIndexByte(name, '_'); i > 0 {
		if g, found := genericNames[name[:i]]; found {
			if scale, err := unitScale(g.q, name[i+1:]); err == nil {
				return genericColumn{genericName: g, scale: scale, unit: name[i+1:]}, true, nil
			}
		}
	}
	return c, false, nil
}

func defaultScale(q usl.Quantity) float64 {
	if q == usl.Latency {
		return 0
	}
	return 1
}

// unitScale is what a header's unit multiplies a bare number by.
func unitScale(q usl.Quantity, unit string) (float64, error) {
	switch q {
	case usl.Throughput:
		u := unit
		if rest, ok := strings.CutPrefix(strings.ToLower(u), "per"); ok {
			u = "/" + strings.TrimLeft(rest, " _")
		}
		switch strings.ToLower(u) {
		case "/sec":
			u = "/s"
		}
		r, err := boxes.ParseRate("1" + u)
		if err != nil || !(r > 0) {
			return 0, fmt.Errorf("unknown throughput unit %s (like /s, /min, rps)", quote(unit))
		}
		return float64(r), nil
	case usl.Latency:
		switch strings.ToLower(unit) {
		case "msec", "millis", "milliseconds":
			unit = "ms"
		case "sec", "secs", "seconds":
			unit = "s"
		case "usec", "micros", "µs":
			unit = "us"
		}
		d, err := boxes.ParseDuration("1" + unit)
		if err != nil || d <= 0 {
			return 0, fmt.Errorf("unknown latency unit %s (like ms, s, us)", quote(unit))
		}
		return d.Seconds(), nil
	}
	return 1, nil
}

func detectCSV(head []byte) bool {
	known := 0
	for _, c := range headerCells(firstLine(head)) {
		if _, ok, _ := parseGenericHeader(c); ok {
			known++
		}
	}
	return known >= 2
}

func readCSV(in *input, opt Options, src *Source) error {
	t, err := in.csvTable(0, true)
	if err != nil {
		return err
	}
	headerLine := in.line
	cols := make([]genericColumn, len(t.header))
	known := make([]bool, len(t.header))
	var unknown []string
	for j, cell := range t.header {
		c, ok, err := parseGenericHeader(cell)
		if err != nil {
			return &Error{File: in.name, Line: headerLine, Column: j + 1, Field: cell, Err: err}
		}
		cols[j], known[j] = c, ok
		if !ok && !picked(opt, cell) {
			unknown = append(unknown, quote(cell))
		}
	}
	// The column of each quantity: the one picked, else the best ranked,
	// refusing a tie.
	var where [3]int
	for q := range where {
		where[q] = -1
		if name, ok := opt.Columns[usl.Quantity(q)]; ok {
			j := t.col(strings.TrimSpace(name))
			if j < 0 {
				return &Error{File: in.name, Line: headerLine, Err: fmt.Errorf("no column %s for %s (the header has %s)", quote(name), usl.Quantity(q), strings.Join(t.header, ", "))}
			}
			if !known[j] || cols[j].q != usl.Quantity(q) {
				cols[j] = genericColumn{genericName: genericName{usl.Quantity(q), 1, usl.Quantity(q).String()}, scale: defaultScale(usl.Quantity(q))}
				known[j] = true
			}
			where[q] = j
			continue
		}
		best := 3
		for j := range cols {
			if known[j] && cols[j].q == usl.Quantity(q) && cols[j].rank < best {
				best = cols[j].rank
			}
		}
		var tie []string
		for j := range cols {
			if known[j] && cols[j].q == usl.Quantity(q) && cols[j].rank == best {
				if where[q] < 0 {
					where[q] = j
				}
				tie = append(tie, fmt.Sprintf("%s (column %d)", quote(t.header[j]), j+1))
			}
		}
		if len(tie) > 1 {
			return &Error{File: in.name, Line: headerLine, Err: fmt.Errorf("ambiguous: %s all mean %s; pick one with --column %s=NAME", strings.Join(tie, ", "), usl.Quantity(q), usl.Quantity(q))}
		}
	}
	var use [2]usl.Quantity
	switch {
	case where[usl.Concurrency] >= 0 && where[usl.Throughput] >= 0:
		use = [2]usl.Quantity{usl.Concurrency, usl.Throughput}
	case where[usl.Concurrency] >= 0 && where[usl.Latency] >= 0:
		use = [2]usl.Quantity{usl.Concurrency, usl.Latency}
	case where[usl.Throughput] >= 0 && where[usl.Latency] >= 0:
		use = [2]usl.Quantity{usl.Throughput, usl.Latency}
	default:
		return &Error{File: in.name, Line: headerLine, Err: fmt.Errorf("the header needs two of concurrency, throughput and latency columns (like users,rps or rps,mean_ms); it has %s", strings.Join(t.header, ", "))}
	}
	src.given = use
	for j, c := range cols {
		if !known[j] {
			continue
		}
		unit := ""
		switch {
		case c.unit != "":
			unit = ", " + c.unit
		case c.q == usl.Throughput:
			unit = ", per second"
		}
		switch {
		case j == where[use[0]] || j == where[use[1]]:
			src.column(t.header[j], "%s%s", c.what, unit)
		case j == where[c.q]:
			src.column(t.header[j], "%s%s: not used, %s and %s are given", c.what, unit, use[0], use[1])
		default:
			src.column(t.header[j], "%s%s: not used", c.what, unit)
		}
	}
	if len(unknown) > 0 {
		src.note("columns not used: %s", strings.Join(unknown, ", "))
	}
	if j := where[usl.Latency]; j >= 0 && (use[0] == usl.Latency || use[1] == usl.Latency) && cols[j].rank == 2 {
		src.note("the median %s stands in for the mean response time: Little's law N = X × R needs the mean", quote(t.header[j]))
	}
	for {
		rec, err := t.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		src.Rows++
		if len(src.Windows) >= maxMeasurements {
			return &Error{File: in.name, Line: in.line, Err: fmt.Errorf("more than %d measurements: a fit needs tens, not this many (is it a time series? name its format)", maxMeasurements)}
		}
		if len(rec) != len(t.header) {
			return &Error{File: in.name, Line: in.line, Err: fmt.Errorf("%d fields, the header has %d", len(rec), len(t.header))}
		}
		var p usl.Point
		for _, q := range use {
			j := where[q]
			v, err := genericValue(q, strings.TrimSpace(rec[j]), cols[j].scale)
			if err != nil {
				return t.errAt(j, err)
			}
			switch q {
			case usl.Concurrency:
				p.Concurrency = v
			case usl.Throughput:
				p.Throughput = v
			case usl.Latency:
				p.Latency = v
			}
		}
		measuredR := p.Latency
		if p, err = usl.Complete(p); err != nil {
			return t.errAt(-1, errors.New(strings.TrimPrefix(err.Error(), "usl: ")))
		}
		w := Window{Concurrency: p.Concurrency, Throughput: p.Throughput, Latency: measuredR, Used: true, Line: in.line}
		if use[0] != usl.Concurrency {
			w.Why = "concurrency from Little's law N = X × R"
		}
		src.Windows = append(src.Windows, w)
	}
	if len(src.Windows) == 0 {
		return &Error{File: in.name, Err: errors.New("no measurements after the header")}
	}
	return nil
}

func picked(opt Options, cell string) bool {
	for _, n := range opt.Columns {
		if strings.TrimSpace(n) == strings.TrimSpace(cell) {
			return true
		}
	}
	return false
}

// genericValue reads one cell of quantity q: a bare number in the header's
// unit, or a number with its own ("100/s", "250ms").
func genericValue(q usl.Quantity, s string, scale float64) (float64, error) {
	if s == "" {
		return 0, fmt.Errorf("empty %s", q)
	}
	v, err := strconv.ParseFloat(s, 64)
	switch {
	case err == nil && q == usl.Latency && scale == 0:
		return 0, fmt.Errorf("latency %s needs a unit: write it like %sms, or name the column latency_ms", quote(s), s)
	case err == nil:
		v *= scale
	case q == usl.Concurrency:
		return 0, fmt.Errorf("concurrency %s is not a number", quote(s))
	case q == usl.Throughput:
		r, err := boxes.ParseRate(s)
		if err != nil {
			return 0, err
		}
		v = float64(r)
	default:
		d, err := boxes.ParseDuration(s)
		if err != nil {
			return 0, err
		}
		v = d.Seconds()
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%s %s is not a finite number", q, quote(s))
	}
	if v <= 0 {
		return 0, fmt.Errorf("%s %s must be positive", q, quote(s))
	}
	return v, nil
}
