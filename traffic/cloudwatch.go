package traffic

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// detectCloudWatch: JSON with get-metric-data's "MetricDataResults" or
// get-metric-statistics' "Datapoints".
func detectCloudWatch(head []byte) bool {
	h := bytes.TrimLeft(head, " \t\r\n")
	return len(h) > 0 && h[0] == '{' &&
		(bytes.Contains(head, []byte(`"MetricDataResults"`)) || bytes.Contains(head, []byte(`"Datapoints"`)))
}

// readCloudWatch reads the JSON the AWS CLI prints for
//
//	aws cloudwatch get-metric-data       (MetricDataResults: Id, Label,
//	                                      Timestamps newest first, Values)
//	aws cloudwatch get-metric-statistics (Label, Datapoints: Timestamp,
//	                                      Sum, Average, Unit; in no order)
//
// A Sum over a period is a count of jobs per period: the rate is Sum/Period.
// The period is the most common interval between timestamps, or
// Options.Step. get-metric-statistics without a Sum is read from Average
// only when its Unit is per second ("Count/Second").
func readCloudWatch(in *input) (*Result, error) {
	w := newWalker(in.br, in.name)
	rep := Report{}
	var bs []*builder
	var names []string
	kind := Count
	rows := 0
	newBuilder := func(name string) *builder {
		return &builder{file: in.name, name: name, max: in.max.Rows, field: "Timestamps", loc: time.UTC, points: true}
	}
	stamp := func(path, s string) (time.Time, error) {
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			if t, err = time.Parse("2006-01-02T15:04:05.999999999Z0700", s); err != nil {
				return t, w.fail(path, "%q is not a time like 2026-01-04T00:00:00+00:00", clip(s))
			}
		}
		return t, nil
	}
	count := func(path string) error {
		rows++
		if rows > in.max.Rows {
			return w.fail(path, "more than the limit of %d points", in.max.Rows)
		}
		return nil
	}
	result := func(path string) error {
		var id, label, status string
		var times []time.Time
		var values []float64
		err := w.object(path, func(key string) error {
			p := path + "." + key
			switch key {
			case "Id":
				return w.decode(p, &id)
			case "Label":
				return w.decode(p, &label)
			case "StatusCode":
				return w.decode(p, &status)
			case "Timestamps":
				return w.array(p, func(i int) error {
					s, err := w.str(fmt.Sprintf("%s[%d]", p, i))
					if err != nil {
						return err
					}
					if err := count(p); err != nil {
						return err
					}
					t, err := stamp(fmt.Sprintf("%s[%d]", p, i), s)
					times = append(times, t)
					return err
				})
			case "Values":
				return w.array(p, func(i int) error {
					q := fmt.Sprintf("%s[%d]", p, i)
					var v json.Number
					if err := w.decode(q, &v); err != nil {
						return err
					}
					if len(values) >= in.max.Rows {
						return w.fail(q, "more than the limit of %d points", in.max.Rows)
					}
					f, err := strconv.ParseFloat(v.String(), 64)
					if err != nil {
						return w.fail(q, "%q is not a number", clip(v.String()))
					}
					values = append(values, f)
					return nil
				})
			}
			return w.skip(p)
		})
		if err != nil {
			return err
		}
		if len(times) != len(values) {
			return w.fail(path, "%d Timestamps but %d Values; want one value per timestamp", len(times), len(values))
		}
		name := label
		if id != "" {
			name = id + " (" + label + ")"
		}
		if status == "PartialData" {
			rep.Notes = append(rep.Notes, fmt.Sprintf("%s: StatusCode PartialData: CloudWatch had more points (call get-metric-data again with its NextToken and join the pages)", clip(name)))
		}
		b := newBuilder(name)
		for i := range times {
			if err := b.add(times[i], values[i], i+1); err != nil {
				var e *Error
				if errors.As(err, &e) {
					e.Field = fmt.Sprintf("%s.Values[%d]", path, i)
				}
				return err
			}
		}
		if len(bs) >= 1000 {
			return w.fail(path, "more than 1000 results")
		}
		bs, names = append(bs, b), append(names, name)
		return nil
	}
	statistics := false
	label := ""
	var points []struct {
		t       time.Time
		sum     *float64
		average *float64
		unit    string
	}
	datapoint := func(path string) error {
		if err := count(path); err != nil {
			return err
		}
		var dp struct {
			Timestamp string
			Sum       *float64
			Average   *float64
			Unit      string
		}
		if err := w.decode(path, &dp); err != nil {
			return err
		}
		t, err := stamp(path+".Timestamp", dp.Timestamp)
		if err != nil {
			return err
		}
		points = append(points, struct {
			t       time.Time
			sum     *float64
			average *float64
			unit    string
		}{t, dp.Sum, dp.Average, dp.Unit})
		return nil
	}
	err := w.object("", func(key string) error {
		switch key {
		case "MetricDataResults":
			return w.array(key, func(i int) error { return result(fmt.Sprintf("%s[%d]", key, i)) })
		case "Datapoints":
			statistics = true
			return w.array(key, func(i int) error { return datapoint(fmt.Sprintf("%s[%d]", key, i)) })
		case "Label":
			return w.decode(key, &label)
		case "NextToken":
			var tok string
			if err := w.decode(key, &tok); err != nil {
				return err
			}
			if tok != "" {
				rep.Notes = append(rep.Notes, "NextToken is set: CloudWatch has more points than this page (join the pages)")
			}
			return nil
		case "Messages":
			return w.skip(key)
		}
		return w.skip(key)
	})
	if err != nil {
		return nil, err
	}
	if statistics {
		b := newBuilder(label)
		b.field = "Datapoints"
		useAverage := false
		for i, p := range points {
			var v float64
			switch {
			case p.sum != nil && !strings.HasSuffix(p.unit, "/Second"):
				v = *p.sum
			case p.average != nil && strings.HasSuffix(p.unit, "/Second"):
				v, useAverage = *p.average, true
			default:
				return nil, errorf(in.name, 0, fmt.Sprintf("Datapoints[%d]", i), "no Sum (unit %q): ask for it with --statistics Sum", clip(p.unit))
			}
			if err := b.add(p.t, v, i+1); err != nil {
				return nil, err
			}
		}
		if useAverage {
			kind = Rate
			rep.Notes = append(rep.Notes, "unit is per second: read the Average as jobs/s")
		} else {
			rep.Notes = append(rep.Notes, "read Sum per period as jobs per period")
		}
		bs, names = []*builder{b}, []string{label}
	}
	rep.Rows = rows
	if len(bs) == 0 {
		return nil, errorf(in.name, 0, "MetricDataResults", "no results: the query returned no metric")
	}
	if len(bs) > 1 && !in.opt.Sum {
		return nil, errorf(in.name, 0, "MetricDataResults", "%d results (%s), want one: add them with sum: true, or keep one in the query", len(bs), clip(strings.Join(names, ", ")))
	}
	rep.Series = names
	b, err := sumSeries(in.name, bs, in.max.Rows)
	if err != nil {
		return nil, err
	}
	b.field = "Timestamps"
	ord := eitherWay
	if statistics || len(bs) > 1 {
		ord = anyOrder
	}
	if !statistics && (in.opt.Value == "" || in.opt.Value == "auto") {
		rep.Notes = append(rep.Notes, "values read as Sum per period (jobs per period); set value: rate if the query asked for a per-second statistic")
	}
	s, err := finish(b, ord, kind, false, in.opt, &rep)
	if err != nil {
		return nil, err
	}
	return &Result{Series: s, Report: rep}, nil
}
