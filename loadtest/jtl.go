package loadtest

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
)

// Apache JMeter's CSV results ("JTL"), as JMeter writes them with
// jmeter.save.saveservice.output_format=csv and print_field_names=true:
// one row per sample, the columns named by the header, among them
//
//	timeStamp   the sample's start, ms since the Unix epoch (with JMeter's
//	            shipped sampleresult.timestamp.start=true)
//	elapsed     its response time, ms
//	success     true or false
//	allThreads  active threads in all thread groups; grpThreads in its own
//	responseMessage  "Number of samples in transaction : …" marks a
//	            Transaction Controller's parent sample, which repeats its
//	            children and is skipped
//
// (the field list: https://jmeter.apache.org/usermanual/listeners.html#csvlogformat).
// A sample ends at timeStamp + elapsed; the windows are the stretches where
// every sample saw the same allThreads.

func detectJTL(head []byte) bool {
	s := strings.TrimSpace(string(head))
	if strings.HasPrefix(s, "<?xml") && strings.Contains(s, "<testResults") {
		return true
	}
	line := firstLine(head)
	cells := headerCells(line)
	has := func(name string) bool {
		for _, c := range cells {
			if c == name {
				return true
			}
		}
		return false
	}
	return (has("timeStamp") && has("elapsed")) || headerlessJTL.MatchString(line)
}

// headerlessJTL is a sample row of a JTL written without its header.
var headerlessJTL = regexp.MustCompile(`^1[0-9]{12},[0-9]+,`)

func readJTL(in *input, opt Options, src *Source) error {
	head, _ := in.br.Peek(headSize)
	if strings.HasPrefix(strings.TrimSpace(string(head)), "<") {
		return &Error{File: in.name, Line: 1, Err: errors.New("an XML JTL: write CSV results instead (jmeter -Jjmeter.save.saveservice.output_format=csv)")}
	}
	if headerlessJTL.MatchString(firstLine(head)) {
		return &Error{File: in.name, Line: 1, Err: errors.New("a JTL without its header line: run JMeter with -Jjmeter.save.saveservice.print_field_names=true")}
	}
	t, err := in.csvTable(0, false)
	if err != nil {
		return err
	}
	ts, el := t.col("timeStamp"), t.col("elapsed")
	if ts < 0 || el < 0 {
		return &Error{File: in.name, Line: 1, Err: errors.New("the header needs timeStamp and elapsed")}
	}
	nc, ncName := t.col("allThreads"), "allThreads"
	if nc < 0 {
		nc, ncName = t.col("grpThreads"), "grpThreads"
	}
	if nc < 0 {
		return &Error{File: in.name, Line: 1, Err: errors.New("no allThreads or grpThreads column: save thread counts (jmeter -Jjmeter.save.saveservice.thread_counts=true)")}
	}
	ok, msg, label := t.col("success"), t.col("responseMessage"), t.col("label")
	src.column("timeStamp", "the sample's start, ms since the Unix epoch")
	src.column("elapsed", "response time R, ms; the sample ends at timeStamp + elapsed")
	if ncName == "allThreads" {
		src.column("allThreads", "concurrency N: active threads of all thread groups")
	} else {
		src.column("grpThreads", "concurrency N: active threads of the sample's thread group (there is no allThreads)")
	}
	if ok >= 0 {
		src.column("success", "failed samples are counted apart, not in X or R")
	}
	if j := t.col("Latency"); j >= 0 {
		src.column("Latency", "not used: time to the first byte, not the response time")
	}
	tl := newTimeline(0.1)
	tl.latency = true
	labels := map[string]bool{}
	var transactions int64
	for {
		rec, err := t.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		src.Rows++
		if msg >= 0 && msg < len(rec) && strings.HasPrefix(rec[msg], "Number of samples in transaction") {
			src.Skipped++
			transactions++
			continue
		}
		start, err := t.float(rec, ts)
		if err != nil {
			if e := (*Error)(nil); errors.As(err, &e) && src.Rows == 1 {
				e.Err = fmt.Errorf("%w (boxes reads timeStamp in ms: jmeter -Jjmeter.save.saveservice.timestamp_format=ms)", e.Err)
			}
			return err
		}
		elapsed, err := t.float(rec, el)
		if err != nil {
			return err
		}
		n, err := t.float(rec, nc)
		if err != nil {
			return err
		}
		if elapsed < 0 || n < 0 {
			return t.errAt(el, errors.New("negative elapsed time or thread count"))
		}
		success := ok < 0 || ok >= len(rec) || strings.EqualFold(strings.TrimSpace(rec[ok]), "true")
		end := (start + elapsed) / 1000
		tl.observe(end, n)
		tl.complete(end, elapsed/1000, success)
		if label >= 0 && label < len(rec) && len(labels) <= 10 {
			labels[rec[label]] = true
		}
	}
	if transactions > 0 {
		src.note("%d Transaction Controller samples skipped: they repeat their children", transactions)
	}
	if len(labels) > 1 {
		src.note("samples of %d labels counted together as one job stream", len(labels))
	}
	src.Windows = tl.windows()
	return nil
}
