// Package prometheus is traffic's Prometheus format: a saved query_range
// or query answer (Detect, Read) and a live server (QueryPrometheus).
package prometheus

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/boxes-project/boxes/traffic/internal/core"
)

// Detect: JSON holding a "resultType" (an HTTP API answer or its
// data object), or an array of series with "metric" labels (promtool's
// output).
func Detect(head []byte) bool {
	h := bytes.TrimLeft(head, " \t\r\n")
	if len(h) == 0 {
		return false
	}
	switch h[0] {
	case '{':
		return bytes.Contains(head, []byte(`"resultType"`)) || bytes.Contains(head, []byte(`"metric"`)) && bytes.Contains(head, []byte(`"values"`))
	case '[':
		return bytes.Contains(head, []byte(`"metric"`))
	}
	return false
}

// promSeries is one series of a Prometheus answer while it is read.
type promSeries struct {
	labels string
	b      *core.Builder
	hint   bool // a raw counter by its name
}

// Read reads a saved answer of Prometheus' HTTP API
// (/api/v1/query_range: a matrix; /api/v1/query: a vector or a scalar),
// its "data" object alone, or promtool's array of series. Samples are
// [unix seconds, "value"]; a "NaN" value is a missing point.
func Read(in *core.Input) (*core.Result, error) {
	w := core.NewWalker(in.BR, in.Name)
	var series []*promSeries
	var notes []string
	status, errMsg := "", ""
	rows := 0
	resultType := ""
	newSeries := func(labels map[string]string) *promSeries {
		name := labelString(labels)
		s := &promSeries{labels: name, b: &core.Builder{File: in.Name, Name: name, Max: in.Max.Rows, Field: "time", Loc: time.UTC, Points: true}}
		m := labels["__name__"]
		s.hint = strings.HasSuffix(m, "_total") || strings.HasSuffix(m, "_count")
		return s
	}
	// sample reads one [time, "value"] of series s, element i of the array
	// at p (i < 0: p itself), token by token; the path is built only for
	// an error.
	sample := func(p string, i int, s *promSeries) error {
		path := func() string {
			if i < 0 {
				return p
			}
			return p + "[" + strconv.Itoa(i) + "]"
		}
		var raw rawSample
		if err := w.Dec.Decode(&raw); err != nil {
			var e *core.Error
			if errors.As(err, &e) {
				return err
			}
			if _, ok := err.(*json.SyntaxError); ok || err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
				return w.Wrap(path(), err)
			}
			return w.Fail(path(), "want a sample [time, \"value\"]: %v", err)
		}
		rows++
		if rows > in.Max.Rows {
			return w.Fail(path(), "more than the limit of %d samples", in.Max.Rows)
		}
		ts, vs := raw.t, raw.v
		t, err := core.UnixTime(ts)
		if err != nil {
			return w.Fail(path(), "%v", err)
		}
		v, err := strconv.ParseFloat(vs, 64)
		if err != nil {
			return w.Fail(path(), "%q is not a number", core.Clip(vs))
		}
		if math.IsNaN(v) {
			return nil // no value at this time: a gap
		}
		if math.IsInf(v, 0) {
			return w.Fail(path(), "%q is not finite", vs)
		}
		return s.b.Add(t, v, rows)
	}
	oneSeries := func(path string) error {
		var s *promSeries
		var labels map[string]string
		err := w.Object(path, func(key string) error {
			p := path + "." + key
			switch key {
			case "metric":
				if err := w.Decode(p, &labels); err != nil {
					return err
				}
				if s == nil {
					s = newSeries(labels)
				} else { // samples came first: keep them, name them now
					n := newSeries(labels)
					s.labels, s.b.Name, s.hint = n.labels, n.b.Name, n.hint
				}
				return nil
			case "values", "value":
				if s == nil {
					s = newSeries(nil)
				}
				if key == "value" {
					return sample(p, -1, s)
				}
				return w.Array(p, func(i int) error { return sample(p, i, s) })
			case "histograms", "histogram":
				return w.Fail(p, "native histograms are not traffic: query a rate, like sum(rate(http_requests_total[1m]))")
			}
			return w.Skip(p)
		})
		if err != nil {
			return err
		}
		if s == nil {
			s = newSeries(labels)
		}
		if len(series) >= 10000 {
			return w.Fail(path, "more than 10000 series")
		}
		series = append(series, s)
		return nil
	}
	result := func(path string) error {
		if resultType == "scalar" { // [time, "value"]
			s := newSeries(map[string]string{"": "scalar"})
			series = append(series, s)
			return sample(path, -1, s)
		}
		t, err := w.Token(path)
		if err != nil {
			return err
		}
		if d, ok := t.(json.Delim); !ok || d != '[' {
			return w.Fail(path, "want an array of series, not %s", core.Describe(t))
		}
		return w.ArrayBody(func(i int) error { return oneSeries(fmt.Sprintf("%s[%d]", path, i)) })
	}
	data := func(path string) error {
		return w.Object(path, func(key string) error {
			p := path + "." + key
			switch key {
			case "resultType":
				s, err := w.Str(p)
				resultType = s
				if err == nil && s != "matrix" && s != "vector" && s != "scalar" {
					return w.Fail(p, "a %s result is not traffic: want a matrix (query_range) or a vector", core.Clip(s))
				}
				return err
			case "result":
				return result(p)
			}
			return w.Skip(p)
		})
	}
	t, err := w.Token("")
	if err != nil {
		return nil, err
	}
	switch t {
	case json.Delim('['):
		if err := w.ArrayBody(func(i int) error { return oneSeries(fmt.Sprintf("[%d]", i)) }); err != nil {
			return nil, err
		}
	case json.Delim('{'):
		err := w.ObjectBody("", func(key string) error {
			switch key {
			case "status":
				s, err := w.Str(key)
				status = s
				return err
			case "error":
				s, err := w.Str(key)
				errMsg = s
				return err
			case "data":
				return data("data")
			case "resultType":
				s, err := w.Str(key)
				resultType = s
				return err
			case "result":
				return result("result")
			case "warnings", "infos":
				var ws []string
				if err := w.Decode(key, &ws); err != nil {
					return err
				}
				for _, s := range ws {
					notes = append(notes, "prometheus: "+core.Clip(s))
				}
				return nil
			case "metric", "values":
				return w.Fail(key, "a single series object: wrap it as the API does, {\"data\":{\"resultType\":\"matrix\",\"result\":[...]}}")
			}
			return w.Skip(key)
		})
		if err != nil {
			return nil, err
		}
	default:
		return nil, w.Fail("", "want a Prometheus answer (an object with data.result), not %s", core.Describe(t))
	}
	if status == "error" || errMsg != "" {
		return nil, core.Errorf(in.Name, 0, "error", "the saved answer is an error: %s", core.Clip(errMsg))
	}
	rep := core.Report{Rows: rows, Notes: notes}
	s, err := promFinish(in.Name, series, "", in.Opt, in.Max, &rep)
	if err != nil {
		return nil, err
	}
	return &core.Result{Series: s, Report: rep}, nil
}

// rawSample is a [time, "value"] pair read without boxing each element:
// the time a number (or a string holding one), the value a string.
type rawSample struct{ t, v string }

func (r *rawSample) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) < 2 || b[0] != '[' || b[len(b)-1] != ']' {
		return errors.New("not an array")
	}
	t, v, ok := bytes.Cut(b[1:len(b)-1], []byte(","))
	if !ok {
		return errors.New("not two elements")
	}
	t, v = bytes.TrimSpace(t), bytes.TrimSpace(v)
	if len(t) > 0 && t[0] == '"' {
		if err := json.Unmarshal(t, &r.t); err != nil {
			return errors.New("the time is not a number of seconds")
		}
	} else if len(t) == 0 || t[0] == '[' || t[0] == '{' {
		return errors.New("the time is not a number of seconds")
	} else {
		r.t = string(t)
	}
	if len(v) < 2 || v[0] != '"' {
		return fmt.Errorf("the value %s is not a string like \"1.5\"", core.Clip(string(v)))
	}
	if bytes.IndexByte(v[1:len(v)-1], '\\') < 0 && bytes.IndexByte(v[1:len(v)-1], '"') < 0 {
		r.v = string(v[1 : len(v)-1])
		return nil
	}
	return json.Unmarshal(v, &r.v)
}

// promFinish settles several series (one, or their sum), checks for a
// counter and makes the series.
func promFinish(file string, series []*promSeries, query string, opt core.Options, max core.Limits, rep *core.Report) (*core.Series, error) {
	var empty int
	var kept []*promSeries
	for _, s := range series {
		if len(s.b.T) == 0 {
			empty++
			continue
		}
		kept = append(kept, s)
	}
	switch {
	case len(kept) == 0 && len(series) == 0:
		return nil, core.Errorf(file, 0, "", "the query returned no series: check the metric name and labels, and that the time range has data")
	case len(kept) == 0:
		return nil, core.Errorf(file, 0, "", "the query's %d series have no values (all NaN or empty) in the time range", len(series))
	case len(kept) > 1 && !opt.Sum:
		labels := make([]string, 0, 5)
		for _, s := range kept[:min(5, len(kept))] {
			labels = append(labels, s.labels)
		}
		more := ""
		if len(kept) > 5 {
			more = fmt.Sprintf(" and %d more", len(kept)-5)
		}
		return nil, core.Errorf(file, 0, "", "the query returned %d series (%s%s), want one: wrap the query in sum(...), or set sum: true", len(kept), strings.Join(labels, ", "), more)
	}
	if empty > 0 {
		rep.Notes = append(rep.Notes, fmt.Sprintf("%d series had no values and were left out", empty))
	}
	hint := core.IsCounterName(query)
	bs := make([]*core.Builder, len(kept))
	for i, s := range kept {
		bs[i] = s.b
		hint = hint || s.hint
		rep.Series = append(rep.Series, s.labels)
	}
	b, err := core.SumSeries(file, bs, max.Rows)
	if err != nil {
		return nil, err
	}
	b.Field = "time"
	if query != "" {
		b.Name = query
	} else if len(kept) == 1 {
		b.Name = kept[0].labels
	}
	return core.Finish(b, core.Ascending, core.Rate, hint, opt, rep)
}

// labelString prints labels as Prometheus does: name{a="b", c="d"}.
func labelString(labels map[string]string) string {
	if len(labels) == 0 {
		return "{}"
	}
	keys := make([]string, 0, len(labels))
	for k := range labels {
		if k != "__name__" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + strconv.Quote(labels[k])
	}
	name := labels["__name__"]
	if len(parts) == 0 && name != "" {
		return name
	}
	return name + "{" + strings.Join(slices.Clip(parts), ", ") + "}"
}
