// Package accesslog is traffic's access log format: Common and Combined
// Log Format, with an optional request time (Detect, Read).
package accesslog

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
	"unsafe"

	"github.com/boxes-project/boxes/traffic/internal/core"
)

// Detect: a first line in Common Log Format.
func Detect(head []byte) bool {
	line := core.FirstLine(head)
	_, _, err := parseLogLine(string(line))
	return err == nil
}

// clfLayout is the time of Common Log Format's %t / nginx's $time_local.
const clfLayout = "02/Jan/2006:15:04:05 -0700"

// parseLogLine reads one line of Common Log Format
//
//	host ident user [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.0" 200 2326
//
// or Combined (with "referer" "user-agent" after the size), with an
// optional request time as the line's last field (Apache %D in µs, %T in
// s, nginx $request_time in s with a fraction). It returns the time and
// the last field when it is a number ("" otherwise).
func parseLogLine(line string) (time.Time, string, error) {
	line = strings.TrimRight(line, "\r\n")
	open := strings.IndexByte(line, '[')
	if open < 0 {
		return time.Time{}, "", errors.New("no [time] field: want Common Log Format, like 127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.0\" 200 2326")
	}
	if n := fieldCount(line[:open]); n != 3 {
		return time.Time{}, "", fmt.Errorf("%d fields before the [time], want 3 (host, ident, user)", n)
	}
	closing := strings.IndexByte(line[open:], ']')
	if closing < 0 {
		return time.Time{}, "", errors.New("the [time] field does not end with ]")
	}
	stamp := line[open+1 : open+closing]
	t, err := time.Parse(clfLayout, stamp)
	if err != nil {
		return time.Time{}, "", fmt.Errorf("time %q is not like 10/Oct/2000:13:55:36 -0700", core.Clip(stamp))
	}
	rest := strings.TrimLeft(line[open+closing+1:], " ")
	if !strings.HasPrefix(rest, `"`) {
		return time.Time{}, "", errors.New(`no "request" field after the time`)
	}
	end := quoteEnd(rest)
	if end < 0 {
		return time.Time{}, "", errors.New(`the "request" field does not end with "`)
	}
	// The fields after the request: status, size, and the last (strings.Fields'
	// fields, without its slice: a line costs no allocation but its own).
	var status, size, l string
	n := 0
	for f := range strings.FieldsSeq(rest[end+1:]) {
		switch n {
		case 0:
			status = f
		case 1:
			size = f
		}
		l = f
		n++
	}
	if n < 2 {
		return time.Time{}, "", errors.New("no status and size after the request")
	}
	if st, err := strconv.Atoi(status); (err != nil || st < 100 || st > 999) && status != "-" {
		return time.Time{}, "", fmt.Errorf("status %q is not a number like 200", core.Clip(status))
	}
	if _, err := strconv.ParseUint(size, 10, 64); err != nil && size != "-" {
		return time.Time{}, "", fmt.Errorf("size %q is not a number of bytes", core.Clip(size))
	}
	last := ""
	if n > 2 {
		if _, err := strconv.ParseFloat(l, 64); err == nil && !strings.HasSuffix(l, `"`) {
			last = l
		}
	}
	return t, last, nil
}

// fieldCount is len(strings.Fields(s)), without the slice.
func fieldCount(s string) int {
	n := 0
	for range strings.FieldsSeq(s) {
		n++
	}
	return n
}

// quoteEnd is the index of the quote closing the string s starts with,
// skipping backslash escapes, or -1.
func quoteEnd(s string) int {
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			return i
		}
	}
	return -1
}

// Read reads an access log: each line is a job arriving at its
// [time] (Apache's %t is when the request arrived; nginx's $time_local is
// when it ended: with Options.LogTime "end" the request time is subtracted),
// with its measured latency when the line ends in a request time. Lines
// are sorted by time (servers write them as requests finish). The series
// counts the jobs per Options.Bin.
func Read(in *core.Input) (*core.Result, error) {
	sc := bufio.NewScanner(in.BR)
	sc.Buffer(make([]byte, 0, 64<<10), in.Max.Line+2)
	var times []time.Time
	var lats []float64
	var loc *time.Location
	unit := map[string]float64{"us": 1e-6, "ms": 1e-3, "s": 1}[in.Opt.LatencyUnit]
	unitWhy := ""
	line, latLines := 0, 0
	outOfOrder := 0
	for sc.Scan() {
		line++
		text := sc.Bytes()
		if len(bytes.TrimSpace(text)) == 0 {
			continue
		}
		if len(times) >= in.Max.Rows {
			return nil, core.Errorf(in.Name, line, "", "more than the limit of %d lines", in.Max.Rows)
		}
		// The line is read in place, not copied: parseLogLine keeps none of
		// it (its errors format copies), and the request time it returns is
		// parsed below, before the next Scan reuses the bytes. A copy of
		// each line was most of what reading a log allocated.
		t, last, err := parseLogLine(unsafe.String(unsafe.SliceData(text), len(text)))
		if err != nil {
			return nil, &core.Error{File: in.Name, Line: line, Err: err}
		}
		if loc == nil {
			loc = t.Location()
		}
		if n := len(times); n > 0 && t.Before(times[n-1]) {
			outOfOrder++
		}
		times = append(times, t)
		if last != "" {
			if unit == 0 {
				if strings.Contains(last, ".") {
					unit, unitWhy = 1, "request times with a fraction read as seconds (nginx $request_time)"
				} else {
					unit, unitWhy = 1e-6, "whole request times read as microseconds (Apache %D); set latency_unit: s for %T"
				}
			}
			v, _ := strconv.ParseFloat(last, 64)
			if v < 0 {
				return nil, core.Errorf(in.Name, line, "request time", "%q is negative", core.Clip(last))
			}
			lats = append(lats, v*unit)
			latLines++
		} else if latLines > 0 {
			return nil, core.Errorf(in.Name, line, "request time", "missing, but earlier lines have one: want every line to end in its request time, or none")
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, core.Errorf(in.Name, line+1, "", "line longer than the limit of %d bytes", in.Max.Line)
		}
		return nil, core.WrapRead(in.Name, err)
	}
	if len(times) == 0 {
		return nil, core.Errorf(in.Name, 0, "", "no log lines")
	}
	if latLines > 0 && latLines != len(times) {
		return nil, core.Errorf(in.Name, 0, "request time", "only the first lines have one")
	}
	if in.Opt.LogTime == "end" {
		if lats == nil {
			return nil, core.Errorf(in.Name, 0, "log_time", "end needs a request time at the end of each line, to subtract")
		}
		for i := range times {
			times[i] = times[i].Add(-time.Duration(lats[i] * 1e9))
		}
		outOfOrder = 0
		for i := 1; i < len(times); i++ {
			if times[i].Before(times[i-1]) {
				outOfOrder++
			}
		}
	}
	rep := core.Report{Rows: len(times), Kind: core.Count}
	idx := make([]int, len(times))
	for i := range idx {
		idx[i] = i
	}
	if outOfOrder > 0 {
		sort.SliceStable(idx, func(a, b int) bool { return times[idx[a]].Before(times[idx[b]]) })
		rep.Notes = append(rep.Notes, fmt.Sprintf("%d lines came before an earlier line's time (logged as requests finished): sorted by time", outOfOrder))
	}
	start := times[idx[0]].In(loc)
	for _, t := range []time.Time{times[idx[0]], times[idx[len(idx)-1]]} {
		if t.Before(core.MinTime) || t.After(core.MaxTime) {
			return nil, core.Errorf(in.Name, 0, "time", "%s is out of range (want a time between 1900 and 2200)", t.Format(time.RFC3339))
		}
	}
	if bins := times[idx[len(idx)-1]].Sub(start) / in.Opt.BinSize(); int64(bins) >= int64(in.Max.Rows) {
		return nil, core.Errorf(in.Name, 0, "", "the log spans %v: more than the limit of %d bins of %v", times[idx[len(idx)-1]].Sub(start), in.Max.Rows, in.Opt.BinSize())
	}
	arr := &core.Arrivals{Start: start, Times: make([]float64, len(times))}
	if lats != nil {
		arr.Latencies = make([]float64, len(times))
	}
	for k, i := range idx {
		arr.Times[k] = times[i].Sub(start).Seconds()
		if lats != nil {
			arr.Latencies[k] = lats[i]
		}
	}
	s := arr.Counts(in.Opt.BinSize())
	rep.Points, rep.Start, rep.End, rep.Step, rep.Jobs = s.Len(), s.Start, s.End(), s.Step, s.Jobs()
	rep.Latency = core.Summarize(lats)
	if unitWhy != "" && in.Opt.LatencyUnit != "us" && in.Opt.LatencyUnit != "ms" && in.Opt.LatencyUnit != "s" {
		rep.Notes = append(rep.Notes, unitWhy)
	}
	if in.Opt.LogTime == "end" {
		rep.Notes = append(rep.Notes, "log times are when requests ended: arrivals are those less the request time")
	} else {
		rep.Notes = append(rep.Notes, "log times are whole seconds: the jobs of one second arrive together in the job log")
	}
	return &core.Result{Series: s, Arrivals: arr, Report: rep}, nil
}
