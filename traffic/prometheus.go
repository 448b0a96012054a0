package traffic

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
)

// detectPrometheus: JSON holding a "resultType" (an HTTP API answer or its
// data object), or an array of series with "metric" labels (promtool's
// output).
func detectPrometheus(head []byte) bool {
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
	b      *builder
	hint   bool // a raw counter by its name
}

// readPrometheus reads a saved answer of Prometheus' HTTP API
// (/api/v1/query_range: a matrix; /api/v1/query: a vector or a scalar),
// its "data" object alone, or promtool's array of series. Samples are
// [unix seconds, "value"]; a "NaN" value is a missing point.
func readPrometheus(in *input) (*Result, error) {
	w := newWalker(in.br, in.name)
	var series []*promSeries
	var notes []string
	status, errMsg := "", ""
	rows := 0
	resultType := ""
	newSeries := func(labels map[string]string) *promSeries {
		name := labelString(labels)
		s := &promSeries{labels: name, b: &builder{file: in.name, name: name, max: in.max.Rows, field: "time", loc: time.UTC, points: true}}
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
		if err := w.dec.Decode(&raw); err != nil {
			var e *Error
			if errors.As(err, &e) {
				return err
			}
			if _, ok := err.(*json.SyntaxError); ok || err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
				return w.wrap(path(), err)
			}
			return w.fail(path(), "want a sample [time, \"value\"]: %v", err)
		}
		rows++
		if rows > in.max.Rows {
			return w.fail(path(), "more than the limit of %d samples", in.max.Rows)
		}
		ts, vs := raw.t, raw.v
		t, err := unixTime(ts)
		if err != nil {
			return w.fail(path(), "%v", err)
		}
		v, err := strconv.ParseFloat(vs, 64)
		if err != nil {
			return w.fail(path(), "%q is not a number", clip(vs))
		}
		if math.IsNaN(v) {
			return nil // no value at this time: a gap
		}
		if math.IsInf(v, 0) {
			return w.fail(path(), "%q is not finite", vs)
		}
		return s.b.add(t, v, rows)
	}
	oneSeries := func(path string) error {
		var s *promSeries
		var labels map[string]string
		err := w.object(path, func(key string) error {
			p := path + "." + key
			switch key {
			case "metric":
				if err := w.decode(p, &labels); err != nil {
					return err
				}
				if s == nil {
					s = newSeries(labels)
				} else { // samples came first: keep them, name them now
					n := newSeries(labels)
					s.labels, s.b.name, s.hint = n.labels, n.b.name, n.hint
				}
				return nil
			case "values", "value":
				if s == nil {
					s = newSeries(nil)
				}
				if key == "value" {
					return sample(p, -1, s)
				}
				return w.array(p, func(i int) error { return sample(p, i, s) })
			case "histograms", "histogram":
				return w.fail(p, "native histograms are not traffic: query a rate, like sum(rate(http_requests_total[1m]))")
			}
			return w.skip(p)
		})
		if err != nil {
			return err
		}
		if s == nil {
			s = newSeries(labels)
		}
		if len(series) >= 10000 {
			return w.fail(path, "more than 10000 series")
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
		t, err := w.token(path)
		if err != nil {
			return err
		}
		if d, ok := t.(json.Delim); !ok || d != '[' {
			return w.fail(path, "want an array of series, not %s", describe(t))
		}
		return w.arrayBody(func(i int) error { return oneSeries(fmt.Sprintf("%s[%d]", path, i)) })
	}
	data := func(path string) error {
		return w.object(path, func(key string) error {
			p := path + "." + key
			switch key {
			case "resultType":
				s, err := w.str(p)
				resultType = s
				if err == nil && s != "matrix" && s != "vector" && s != "scalar" {
					return w.fail(p, "a %s result is not traffic: want a matrix (query_range) or a vector", clip(s))
				}
				return err
			case "result":
				return result(p)
			}
			return w.skip(p)
		})
	}
	t, err := w.token("")
	if err != nil {
		return nil, err
	}
	switch t {
	case json.Delim('['):
		if err := w.arrayBody(func(i int) error { return oneSeries(fmt.Sprintf("[%d]", i)) }); err != nil {
			return nil, err
		}
	case json.Delim('{'):
		err := w.objectBody("", func(key string) error {
			switch key {
			case "status":
				s, err := w.str(key)
				status = s
				return err
			case "error":
				s, err := w.str(key)
				errMsg = s
				return err
			case "data":
				return data("data")
			case "resultType":
				s, err := w.str(key)
				resultType = s
				return err
			case "result":
				return result("result")
			case "warnings", "infos":
				var ws []string
				if err := w.decode(key, &ws); err != nil {
					return err
				}
				for _, s := range ws {
					notes = append(notes, "prometheus: "+clip(s))
				}
				return nil
			case "metric", "values":
				return w.fail(key, "a single series object: wrap it as the API does, {\"data\":{\"resultType\":\"matrix\",\"result\":[...]}}")
			}
			return w.skip(key)
		})
		if err != nil {
			return nil, err
		}
	default:
		return nil, w.fail("", "want a Prometheus answer (an object with data.result), not %s", describe(t))
	}
	if status == "error" || errMsg != "" {
		return nil, errorf(in.name, 0, "error", "the saved answer is an error: %s", clip(errMsg))
	}
	rep := Report{Rows: rows, Notes: notes}
	s, err := promFinish(in.name, series, "", in.opt, in.max, &rep)
	if err != nil {
		return nil, err
	}
	return &Result{Series: s, Report: rep}, nil
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
		return fmt.Errorf("the value %s is not a string like \"1.5\"", clip(string(v)))
	}
	if bytes.IndexByte(v[1:len(v)-1], '\\') < 0 && bytes.IndexByte(v[1:len(v)-1], '"') < 0 {
		r.v = string(v[1 : len(v)-1])
		return nil
	}
	return json.Unmarshal(v, &r.v)
}

// promFinish settles several series (one, or their sum), checks for a
// counter and makes the series.
func promFinish(file string, series []*promSeries, query string, opt Options, max Limits, rep *Report) (*Series, error) {
	var empty int
	var kept []*promSeries
	for _, s := range series {
		if len(s.b.t) == 0 {
			empty++
			continue
		}
		kept = append(kept, s)
	}
	switch {
	case len(kept) == 0 && len(series) == 0:
		return nil, errorf(file, 0, "", "the query returned no series: check the metric name and labels, and that the time range has data")
	case len(kept) == 0:
		return nil, errorf(file, 0, "", "the query's %d series have no values (all NaN or empty) in the time range", len(series))
	case len(kept) > 1 && !opt.Sum:
		labels := make([]string, 0, 5)
		for _, s := range kept[:min(5, len(kept))] {
			labels = append(labels, s.labels)
		}
		more := ""
		if len(kept) > 5 {
			more = fmt.Sprintf(" and %d more", len(kept)-5)
		}
		return nil, errorf(file, 0, "", "the query returned %d series (%s%s), want one: wrap the query in sum(...), or set sum: true", len(kept), strings.Join(labels, ", "), more)
	}
	if empty > 0 {
		rep.Notes = append(rep.Notes, fmt.Sprintf("%d series had no values and were left out", empty))
	}
	hint := isCounterName(query)
	bs := make([]*builder, len(kept))
	for i, s := range kept {
		bs[i] = s.b
		hint = hint || s.hint
		rep.Series = append(rep.Series, s.labels)
	}
	b, err := sumSeries(file, bs, max.Rows)
	if err != nil {
		return nil, err
	}
	b.field = "time"
	if query != "" {
		b.name = query
	} else if len(kept) == 1 {
		b.name = kept[0].labels
	}
	return finish(b, ascending, Rate, hint, opt, rep)
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
