package traffic

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"time"
)

// detectGrafana: a header whose first column is Grafana's "Time" (series
// as columns) or "Series","Time","Value" (series as rows).
func detectGrafana(head []byte) bool {
	first := firstLine(head)
	if strings.HasPrefix(strings.ToLower(string(first)), "sep=") {
		_, rest, _ := bytes.Cut(head, []byte("\n"))
		first = firstLine(rest)
	}
	r := csv.NewReader(bytes.NewReader(first))
	r.Comma = sniffComma(first)
	rec, err := r.Read()
	if err != nil || len(rec) < 2 {
		return false
	}
	return rec[0] == "Time" || len(rec) == 3 && rec[0] == "Series" && rec[1] == "Time" && rec[2] == "Value"
}

// readGrafana reads a Grafana "Download CSV": a "Time" column and one
// column per series (series joined by time; an empty cell is no point for
// that series), or "Series","Time","Value" rows. Grafana writes times in
// the browser's zone without saying which: Options.Zone says it.
func readGrafana(in *input) (*Result, error) {
	t, err := openTable(in)
	if err != nil {
		return nil, err
	}
	rec, line, err := t.read()
	if err == io.EOF {
		return nil, errorf(in.name, 0, "", "empty: want a Grafana CSV header like \"Time\",\"sum(rate(http_requests_total[1m]))\"")
	}
	if err != nil {
		return nil, err
	}
	header := append([]string(nil), rec...)
	rep := Report{}
	tr := &timeReader{loc: in.loc, dates: in.opt.Dates}
	var bs []*builder
	var names []string
	newBuilder := func(name string) *builder {
		return &builder{file: in.name, name: name, max: in.max.Rows, field: "Time"}
	}
	stamp := func(cell string, line, col int) (time.Time, error) {
		v, err := tr.parse(cell)
		if err != nil {
			return v, &Error{File: in.name, Line: line, Column: col, Field: "Time", Err: fmt.Errorf("%q: %w (want a time like 2026-01-04 00:00:00)", clip(cell), err)}
		}
		return v, nil
	}
	rows := 0
	if len(header) == 3 && header[0] == "Series" && header[1] == "Time" && header[2] == "Value" {
		// Series as rows.
		rep.Columns = []Column{{1, "Series", "series"}, {2, "Time", "time"}, {3, "Value", "value"}}
		index := map[string]int{}
		for {
			rec, line, err := t.read()
			if err == io.EOF {
				break
			}
			if err != nil {
				return nil, err
			}
			if len(rec) != 3 {
				return nil, &Error{File: in.name, Line: line, Err: fmt.Errorf("%d fields, want 3 (Series, Time, Value)", len(rec))}
			}
			rows++
			if rows > in.max.Rows {
				return nil, errorf(in.name, line, "", "more than the limit of %d rows", in.max.Rows)
			}
			k, ok := index[rec[0]]
			if !ok {
				if len(bs) >= 1000 {
					return nil, errorf(in.name, line, "Series", "more than 1000 series")
				}
				k = len(bs)
				index[rec[0]] = k
				bs, names = append(bs, newBuilder(rec[0])), append(names, rec[0])
			}
			ts, err := stamp(rec[1], line, 2)
			if err != nil {
				return nil, err
			}
			v, ok, err := t.number(rec[2])
			if err != nil {
				return nil, &Error{File: in.name, Line: line, Column: 3, Field: "Value", Err: err}
			}
			if ok {
				if err := bs[k].add(ts, v, line); err != nil {
					return nil, err
				}
			}
		}
		if len(bs) > 1 && in.opt.ValueColumn != "" {
			k, ok := index[in.opt.ValueColumn]
			if !ok {
				return nil, errorf(in.name, 0, "value_column", "no series %q (the file has %s)", clip(in.opt.ValueColumn), clip(quoteList(names)))
			}
			bs, names = bs[k:k+1], names[k:k+1]
		}
	} else {
		// Series as columns, joined by time.
		if len(header) < 2 {
			return nil, errorf(in.name, line, "", "a Grafana CSV needs a Time column and at least one series")
		}
		cols := make([]int, 0, len(header)-1)
		if in.opt.ValueColumn != "" {
			c, err := pickColumn(header, in.opt.ValueColumn, "value_column", in.name, line)
			if err != nil {
				return nil, err
			}
			cols = append(cols, c)
		} else {
			for c := 1; c < len(header); c++ {
				cols = append(cols, c)
			}
		}
		rep.Columns = append(rep.Columns, Column{1, header[0], "time"})
		for c := 1; c < len(header); c++ {
			role := "ignored"
			for _, k := range cols {
				if k == c {
					role = "series"
				}
			}
			rep.Columns = append(rep.Columns, Column{c + 1, header[c], role})
		}
		for _, c := range cols {
			bs, names = append(bs, newBuilder(header[c])), append(names, header[c])
		}
		for {
			rec, line, err := t.read()
			if err == io.EOF {
				break
			}
			if err != nil {
				return nil, err
			}
			if len(rec) != len(header) {
				return nil, &Error{File: in.name, Line: line, Err: fmt.Errorf("%d fields, want %d like the header", len(rec), len(header))}
			}
			rows++
			ts, err := stamp(rec[0], line, 1)
			if err != nil {
				return nil, err
			}
			for k, c := range cols {
				v, ok, err := t.number(rec[c])
				if err != nil {
					return nil, &Error{File: in.name, Line: line, Column: c + 1, Field: header[c], Err: err}
				}
				if ok {
					if err := bs[k].add(ts, v, line); err != nil {
						return nil, err
					}
				}
			}
		}
	}
	rep.Rows = rows
	if len(bs) == 0 {
		return nil, errorf(in.name, 0, "", "no series: want rows under the header")
	}
	if len(bs) > 1 && !in.opt.Sum {
		return nil, errorf(in.name, 0, "", "%d series (%s): pick one with value_column, or add them with sum: true", len(bs), clip(quoteList(names)))
	}
	rep.Series = names
	kind, hint := Rate, false
	c, _ := classify(names[0])
	switch c {
	case isCount:
		kind = Count
	case isCounter:
		hint = true
	case isRate:
	default:
		if in.opt.Value == "" || in.opt.Value == "auto" {
			rep.Notes = append(rep.Notes, fmt.Sprintf("series %q read as jobs/s (set value: count if it holds jobs per interval)", clip(names[0])))
		}
	}
	rep.Notes = append(rep.Notes, fmt.Sprintf("Grafana writes times without a zone: read in %s (set zone: to the browser's)", in.loc))
	b, err := sumSeries(in.name, bs, in.max.Rows)
	if err != nil {
		return nil, err
	}
	b.field = "Time"
	if len(bs) == 1 {
		b.name = names[0]
	} else {
		b.name = strings.Join(names, " + ")
	}
	s, err := finish(b, ascending, kind, hint, in.opt, &rep)
	if err != nil {
		return nil, err
	}
	return &Result{Series: s, Report: rep}, nil
}
