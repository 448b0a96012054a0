// Package csvfile is traffic's dated CSV/TSV formats: plain files with a
// time and a rate or count column (Detect, Read) and Grafana's "Download
// CSV" (DetectGrafana, ReadGrafana), which share the table reader.
package csvfile

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/boxes-project/boxes/traffic/internal/core"

	"github.com/boxes-project/boxes/traffic/internal/colname"
)

// table reads the records of a CSV or TSV input: its delimiter (",", ";"
// or tab) from an Excel "sep=" line or the first line, CRLF or LF, quoted
// fields; lines starting with # are comments.
type table struct {
	in     *core.Input
	cr     *csv.Reader
	comma  rune
	offset int // lines before the CSV (a sep= line)
}

func openTable(in *core.Input) (*table, error) {
	t := &table{in: in}
	head, _ := in.BR.Peek(core.HeadSize)
	first, _, _ := bytes.Cut(head, []byte("\n"))
	first = bytes.TrimRight(first, "\r")
	if s := string(first); strings.HasPrefix(strings.ToLower(s), "sep=") && len(s) == 5 {
		t.comma = rune(s[4])
		if _, err := in.BR.Discard(len(first)); err != nil {
			return nil, core.WrapRead(in.Name, err)
		}
		if b, _ := in.BR.Peek(2); bytes.HasPrefix(b, []byte("\r\n")) {
			in.BR.Discard(2)
		} else if bytes.HasPrefix(b, []byte("\n")) {
			in.BR.Discard(1)
		}
		t.offset = 1
	} else {
		t.comma = sniffComma(first)
	}
	t.cr = csv.NewReader(in.BR)
	t.cr.Comma = t.comma
	t.cr.Comment = '#'
	t.cr.FieldsPerRecord = -1
	t.cr.ReuseRecord = true
	return t, nil
}

// sniffComma is the delimiter of a header line: the most frequent of ",",
// ";" and tab outside quotes (a comma on a tie, or when there is none).
func sniffComma(line []byte) rune {
	var n [3]int
	quoted := false
	for _, c := range line {
		switch {
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == ',':
			n[0]++
		case c == ';':
			n[1]++
		case c == '\t':
			n[2]++
		}
	}
	best, comma := n[0], ','
	if n[1] > best {
		best, comma = n[1], ';'
	}
	if n[2] > best {
		comma = '\t'
	}
	return comma
}

// read returns the next record and its line, io.EOF at the end.
func (t *table) read() ([]string, int, error) {
	rec, err := t.cr.Read()
	if err == io.EOF {
		return nil, 0, io.EOF
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return nil, 0, &core.Error{File: t.in.Name, Line: pe.Line + t.offset, Column: pe.Column, Err: pe.Err}
	}
	if err != nil {
		return nil, 0, core.WrapRead(t.in.Name, err)
	}
	line, _ := t.cr.FieldPos(0)
	return rec, line + t.offset, nil
}

// number reads a value cell: a plain number, or with a decimal comma when
// the delimiter is not a comma ("1,5", "1.234,5"). Empty, "null", "NaN"
// and "-" cells are a missing point (ok false, no error).
func (t *table) number(s string) (v float64, ok bool, err error) {
	s = strings.TrimSpace(s)
	switch strings.ToLower(s) {
	case "", "null", "nan", "-", "n/a", "none", "undefined":
		return 0, false, nil
	}
	if t.comma != ',' && strings.Contains(s, ",") {
		s = strings.ReplaceAll(strings.ReplaceAll(s, ".", ""), ",", ".")
	}
	v, err = strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(v, 0) {
		return 0, false, fmt.Errorf("%q is not a number (in Grafana, turn off \"Formatted data\" when downloading)", core.Clip(s))
	}
	if v < 0 {
		return 0, false, fmt.Errorf("%q is negative (want jobs: 0 or more)", core.Clip(s))
	}
	return v, true, nil
}

// name classes of columns.
type class int

const (
	unknown class = iota
	isTime
	isRate
	isCount
	isCounter
)

var classNames = map[class]string{unknown: "ignored", isTime: "time", isRate: "rate", isCount: "count", isCounter: "counter"}

var timeNames = map[string]bool{
	"time": true, "timestamp": true, "date": true, "datetime": true, "ts": true, "epoch": true, "t": true,
	"date_time": true, "start": true, "start_time": true, "interval_start": true, "period_start": true, "bucket": true,
	"zeit": true, "datum": true, "horodatage": true, "fecha": true,
}

var rateNames = map[string]bool{
	"rate": true, "rps": true, "qps": true, "tps": true, "request_rate": true, "job_rate": true, "jobrate": true,
	"arrival_rate": true, "throughput": true, "req_per_s": true, "req_per_sec": true, "requests_per_second": true,
	"requests_per_sec": true, "requests_per_s": true, "jobs_per_second": true, "jobs_per_s": true,
}

var countNames = map[string]bool{
	"count": true, "counts": true, "requests": true, "jobs": true, "arrivals": true, "hits": true, "events": true,
	"n": true, "calls": true, "invocations": true, "sum": true, "request_count": true, "requestcount": true,
	"anfragen": true, "requetes": true,
}

// classify reads a header name: the class of the column and, for a rate,
// the factor to jobs per second, or, for a numeric time, seconds per unit
// (0: read from the size).
func classify(raw string) (class, float64) {
	l := strings.ToLower(raw)
	switch { // PromQL expressions, as Grafana names its series
	case strings.Contains(l, "rate(") || strings.Contains(l, "irate("):
		return isRate, 1
	case strings.Contains(l, "increase(") || strings.Contains(l, "count_over_time("):
		return isCount, 1
	case core.IsCounterName(raw):
		return isCounter, 1
	}
	n := colname.Normalize(raw)
	switch {
	case timeNames[n]:
		return isTime, 0
	case rateNames[n]:
		return isRate, 1
	case n == "rpm":
		return isRate, 1.0 / 60
	case countNames[n]:
		return isCount, 1
	}
	// time_ms, epoch_s, timestamp_in_ms; rate_per_min, requests_per_minute.
	if i := strings.LastIndexByte(n, '_'); i > 0 {
		base, unit := n[:i], n[i+1:]
		base = strings.TrimSuffix(base, "_in")
		if f, ok := colname.SecondsPer[unit]; ok {
			if timeNames[base] {
				return isTime, f
			}
			if b, ok := strings.CutSuffix(base, "_per"); ok && (countNames[b] || rateNames[b] || b == "req") {
				return isRate, 1 / f
			}
			if rateNames[base] {
				return isRate, 1 / f
			}
		}
	}
	return unknown, 0
}

// pickColumn finds the column an option names: its header name (compared
// without case and punctuation) or its position from 1.
func pickColumn(header []string, want, field, file string, line int) (int, error) {
	if n, err := strconv.Atoi(want); err == nil {
		if n < 1 || n > len(header) {
			return 0, core.Errorf(file, line, field, "column %d does not exist (the header has %d)", n, len(header))
		}
		return n - 1, nil
	}
	for i, h := range header {
		if strings.TrimSpace(h) == want || colname.Normalize(h) == colname.Normalize(want) {
			return i, nil
		}
	}
	return 0, core.Errorf(file, line, field, "no column %q (the header has %s)", core.Clip(want), core.Clip(quoteList(header)))
}

func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return strings.Join(q, ", ")
}

// Detect: a first line that splits into two or more fields.
func Detect(head []byte) bool {
	first := core.FirstLine(head)
	if len(first) == 0 || first[0] == '{' || first[0] == '[' {
		return false
	}
	if strings.HasPrefix(strings.ToLower(string(first)), "sep=") {
		return true
	}
	return bytes.ContainsAny(first, ",;\t")
}

// Read reads a CSV or TSV file with a time column and a value column.
func Read(in *core.Input) (*core.Result, error) {
	t, err := openTable(in)
	if err != nil {
		return nil, err
	}
	rec, line, err := t.read()
	if err == io.EOF {
		return nil, core.Errorf(in.Name, 0, "", "empty: want a header and rows of a time and a rate or count")
	}
	if err != nil {
		return nil, err
	}
	rep := core.Report{}
	header := append([]string(nil), rec...)
	hasHeader := true
	if core.LooksLikeTime(header[0]) {
		hasHeader = false
		for i := range header {
			header[i] = fmt.Sprintf("column %d", i+1)
		}
	}
	classes := make([]class, len(header))
	factors := make([]float64, len(header))
	if hasHeader {
		for i, h := range header {
			classes[i], factors[i] = classify(h)
		}
	}
	// The time column.
	tc := -1
	if in.Opt.TimeColumn != "" {
		if tc, err = pickColumn(header, in.Opt.TimeColumn, "time_column", in.Name, line); err != nil {
			return nil, err
		}
	} else if hasHeader {
		for i, c := range classes {
			if c == isTime {
				tc = i
				break
			}
		}
		if tc < 0 {
			return nil, core.Errorf(in.Name, line, "", "no time column in the header (%s): name one time or timestamp, or set time_column", core.Clip(quoteList(header)))
		}
	} else {
		tc = 0
	}
	// The value column.
	vc := -1
	if in.Opt.ValueColumn != "" {
		if vc, err = pickColumn(header, in.Opt.ValueColumn, "value_column", in.Name, line); err != nil {
			return nil, err
		}
	} else {
		var cands []int
		for i, c := range classes {
			if i != tc && (c == isRate || c == isCount || c == isCounter) {
				cands = append(cands, i)
			}
		}
		switch {
		case len(cands) == 1:
			vc = cands[0]
		case len(cands) > 1:
			names := make([]string, len(cands))
			for k, i := range cands {
				names[k] = header[i]
			}
			return nil, core.Errorf(in.Name, line, "", "several value columns (%s): set value_column", core.Clip(quoteList(names)))
		case len(header) == 2:
			vc = 1 - tc
		default:
			return nil, core.Errorf(in.Name, line, "", "no rate or count column in the header (%s): name one rate, rps or requests, or set value_column", core.Clip(quoteList(header)))
		}
	}
	if vc == tc {
		return nil, core.Errorf(in.Name, line, "value_column", "is the time column %q", core.Clip(header[tc]))
	}
	kind, factor := core.Rate, 1.0
	hint := false
	switch classes[vc] {
	case isRate:
		factor = factors[vc]
	case isCount:
		kind = core.Count
	case isCounter:
		hint = true
	default:
		if in.Opt.Value == "" || in.Opt.Value == "auto" {
			return nil, core.Errorf(in.Name, line, header[vc], "the header does not say whether this column is a rate or a count: set value: rate (jobs/s) or value: count (jobs per interval)")
		}
	}
	tr := &core.TimeReader{Loc: in.Loc, Dates: in.Opt.Dates, Unit: factors[tc]}
	for i, h := range header {
		role := "ignored"
		switch i {
		case tc:
			role = "time"
		case vc:
			role = map[bool]string{true: in.Opt.Value, false: classNames[classes[vc]]}[in.Opt.Value != "" && in.Opt.Value != "auto"]
			if role == "ignored" {
				role = kind.String()
			}
			if factor != 1 {
				role += fmt.Sprintf(" (×%.6g to jobs/s)", factor)
			}
		}
		rep.Columns = append(rep.Columns, core.Column{Index: i + 1, Name: h, Role: role})
	}
	b := &core.Builder{File: in.Name, Name: header[vc], Max: in.Max.Rows, Field: header[tc]}
	row := func(rec []string, line int) error {
		if len(rec) <= max(tc, vc) {
			return &core.Error{File: in.Name, Line: line, Err: fmt.Errorf("%d fields, want at least %d like the header", len(rec), max(tc, vc)+1)}
		}
		rep.Rows++
		ts, err := tr.Parse(rec[tc])
		if err != nil {
			return &core.Error{File: in.Name, Line: line, Column: tc + 1, Field: header[tc], Err: fmt.Errorf("%q: %w (want a date like 2026-01-04 00:00:00 or 04.01.2026 00:00, or epoch seconds or ms)", core.Clip(rec[tc]), err)}
		}
		v, ok, err := t.number(rec[vc])
		if err != nil {
			return &core.Error{File: in.Name, Line: line, Column: vc + 1, Field: header[vc], Err: err}
		}
		if !ok {
			return nil // a missing point: a gap
		}
		return b.Add(ts, v*factor, line)
	}
	if !hasHeader {
		if err := row(rec, line); err != nil {
			return nil, err
		}
	}
	for {
		rec, line, err := t.read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if err := row(rec, line); err != nil {
			return nil, err
		}
	}
	if tr.Unit != 0 && factors[tc] == 0 {
		rep.Notes = append(rep.Notes, fmt.Sprintf("numeric times read as epoch %s from their size", map[float64]string{1: "seconds", 1e-3: "milliseconds", 1e-6: "microseconds", 1e-9: "nanoseconds"}[tr.Unit]))
	}
	s, err := core.Finish(b, core.Ascending, kind, hint, in.Opt, &rep)
	if err != nil {
		return nil, err
	}
	return &core.Result{Series: s, Report: rep}, nil
}
