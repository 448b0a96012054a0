package csvfile

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/boxes-project/boxes/traffic/internal/core"
)

// DetectGrafana: a header whose first column is Grafana's "Time" (series
// as columns) or "Series","Time","Value" (series as rows).
func DetectGrafana(head []byte) bool {
	first := core.FirstLine(head)
	if strings.HasPrefix(strings.ToLower(string(first)), "sep=") {
		_, rest, _ := bytes.Cut(head, []byte("\n"))
		first = core.FirstLine(rest)
	}
	r := csv.NewReader(bytes.NewReader(first))
	r.Comma = sniffComma(first)
	rec, err := r.Read()
	if err != nil || len(rec) < 2 {
		return false
	}
	return rec[0] == "Time" || len(rec) == 3 && rec[0] == "Series" && rec[1] == "Time" && rec[2] == "Value"
}

// ReadGrafana reads a Grafana "Download CSV": a "Time" column and one
// column per series (series joined by time; an empty cell is no point for
// that series), or "Series","Time","Value" rows. Grafana writes times in
// the browser's zone without saying which: Options.Zone says it.
func ReadGrafana(in *core.Input) (*core.Result, error) {
	t, err := openTable(in)
	if err != nil {
		return nil, err
	}
	rec, line, err := t.read()
	if err == io.EOF {
		return nil, core.Errorf(in.Name, 0, "", "empty: want a Grafana CSV header like \"Time\",\"sum(rate(http_requests_total[1m]))\"")
	}
	if err != nil {
		return nil, err
	}
	header := append([]string(nil), rec...)
	rep := core.Report{}
	tr := &core.TimeReader{Loc: in.Loc, Dates: in.Opt.Dates}
	var bs []*core.Builder
	var names []string
	newBuilder := func(name string) *core.Builder {
		return &core.Builder{File: in.Name, Name: name, Max: in.Max.Rows, Field: "Time"}
	}
	stamp := func(cell string, line, col int) (time.Time, error) {
		v, err := tr.Parse(cell)
		if err != nil {
			return v, &core.Error{File: in.Name, Line: line, Column: col, Field: "Time", Err: fmt.Errorf("%q: %w (want a time like 2026-01-04 00:00:00)", core.Clip(cell), err)}
		}
		return v, nil
	}
	rows := 0
	if len(header) == 3 && header[0] == "Series" && header[1] == "Time" && header[2] == "Value" {
		// Series as rows.
		rep.Columns = []core.Column{{Index: 1, Name: "Series", Role: "series"}, {Index: 2, Name: "Time", Role: "time"}, {Index: 3, Name: "Value", Role: "value"}}
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
				return nil, &core.Error{File: in.Name, Line: line, Err: fmt.Errorf("%d fields, want 3 (Series, Time, Value)", len(rec))}
			}
			rows++
			if rows > in.Max.Rows {
				return nil, core.Errorf(in.Name, line, "", "more than the limit of %d rows", in.Max.Rows)
			}
			k, ok := index[rec[0]]
			if !ok {
				if len(bs) >= 1000 {
					return nil, core.Errorf(in.Name, line, "Series", "more than 1000 series")
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
				return nil, &core.Error{File: in.Name, Line: line, Column: 3, Field: "Value", Err: err}
			}
			if ok {
				if err := bs[k].Add(ts, v, line); err != nil {
					return nil, err
				}
			}
		}
		if len(bs) > 1 && in.Opt.ValueColumn != "" {
			k, ok := index[in.Opt.ValueColumn]
			if !ok {
				return nil, core.Errorf(in.Name, 0, "value_column", "no series %q (the file has %s)", core.Clip(in.Opt.ValueColumn), core.Clip(quoteList(names)))
			}
			bs, names = bs[k:k+1], names[k:k+1]
		}
	} else {
		// Series as columns, joined by time.
		if len(header) < 2 {
			return nil, core.Errorf(in.Name, line, "", "a Grafana CSV needs a Time column and at least one series")
		}
		cols := make([]int, 0, len(header)-1)
		if in.Opt.ValueColumn != "" {
			c, err := pickColumn(header, in.Opt.ValueColumn, "value_column", in.Name, line)
			if err != nil {
				return nil, err
			}
			cols = append(cols, c)
		} else {
			for c := 1; c < len(header); c++ {
				cols = append(cols, c)
			}
		}
		rep.Columns = append(rep.Columns, core.Column{Index: 1, Name: header[0], Role: "time"})
		for c := 1; c < len(header); c++ {
			role := "ignored"
			for _, k := range cols {
				if k == c {
					role = "series"
				}
			}
			rep.Columns = append(rep.Columns, core.Column{Index: c + 1, Name: header[c], Role: role})
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
				return nil, &core.Error{File: in.Name, Line: line, Err: fmt.Errorf("%d fields, want %d like the header", len(rec), len(header))}
			}
			rows++
			ts, err := stamp(rec[0], line, 1)
			if err != nil {
				return nil, err
			}
			for k, c := range cols {
				v, ok, err := t.number(rec[c])
				if err != nil {
					return nil, &core.Error{File: in.Name, Line: line, Column: c + 1, Field: header[c], Err: err}
				}
				if ok {
					if err := bs[k].Add(ts, v, line); err != nil {
						return nil, err
					}
				}
			}
		}
	}
	rep.Rows = rows
	if len(bs) == 0 {
		return nil, core.Errorf(in.Name, 0, "", "no series: want rows under the header")
	}
	if len(bs) > 1 && !in.Opt.Sum {
		return nil, core.Errorf(in.Name, 0, "", "%d series (%s): pick one with value_column, or add them with sum: true", len(bs), core.Clip(quoteList(names)))
	}
	rep.Series = names
	kind, hint := core.Rate, false
	c, _ := classify(names[0])
	switch c {
	case isCount:
		kind = core.Count
	case isCounter:
		hint = true
	case isRate:
	default:
		if in.Opt.Value == "" || in.Opt.Value == "auto" {
			rep.Notes = append(rep.Notes, fmt.Sprintf("series %q read as jobs/s (set value: count if it holds jobs per interval)", core.Clip(names[0])))
		}
	}
	rep.Notes = append(rep.Notes, fmt.Sprintf("Grafana writes times without a zone: read in %s (set zone: to the browser's)", in.Loc))
	b, err := core.SumSeries(in.Name, bs, in.Max.Rows)
	if err != nil {
		return nil, err
	}
	b.Field = "Time"
	if len(bs) == 1 {
		b.Name = names[0]
	} else {
		b.Name = strings.Join(names, " + ")
	}
	s, err := core.Finish(b, core.Ascending, kind, hint, in.Opt, &rep)
	if err != nil {
		return nil, err
	}
	return &core.Result{Series: s, Report: rep}, nil
}
