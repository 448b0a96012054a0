// Package cloudwatch is traffic's CloudWatch format: the JSON of the AWS
// CLI's get-metric-data and get-metric-statistics (Detect, Read).
package cloudwatch

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/boxes-project/boxes/traffic/internal/core"
)

// Detect: JSON with get-metric-data's "MetricDataResults" or
// get-metric-statistics' "Datapoints".
func Detect(head []byte) bool {
	h := bytes.TrimLeft(head, " \t\r\n")
	return len(h) > 0 && h[0] == '{' &&
		(bytes.Contains(head, []byte(`"MetricDataResults"`)) || bytes.Contains(head, []byte(`"Datapoints"`)))
}

// Read reads the JSON the AWS CLI prints for
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
func Read(in *core.Input) (*core.Result, error) {
	w := core.NewWalker(in.BR, in.Name)
	rep := core.Report{}
	var bs []*core.Builder
	var names []string
	kind := core.Count
	rows := 0
	newBuilder := func(name string) *core.Builder {
		return &core.Builder{File: in.Name, Name: name, Max: in.Max.Rows, Field: "Timestamps", Loc: time.UTC, Points: true}
	}
	stamp := func(path, s string) (time.Time, error) {
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			if t, err = time.Parse("2006-01-02T15:04:05.999999999Z0700", s); err != nil {
				return t, w.Fail(path, "%q is not a time like 2026-01-04T00:00:00+00:00", core.Clip(s))
			}
		}
		return t, nil
	}
	count := func(path string) error {
		rows++
		if rows > in.Max.Rows {
			return w.Fail(path, "more than the limit of %d points", in.Max.Rows)
		}
		return nil
	}
	result := func(path string) error {
		var id, label, status string
		var times []time.Time
		var values []float64
		err := w.Object(path, func(key string) error {
			p := path + "." + key
			switch key {
			case "Id":
				return w.Decode(p, &id)
			case "Label":
				return w.Decode(p, &label)
			case "StatusCode":
				return w.Decode(p, &status)
			case "Timestamps":
				return w.Array(p, func(i int) error {
					s, err := w.Str(fmt.Sprintf("%s[%d]", p, i))
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
				return w.Array(p, func(i int) error {
					q := fmt.Sprintf("%s[%d]", p, i)
					var v json.Number
					if err := w.Decode(q, &v); err != nil {
						return err
					}
					if len(values) >= in.Max.Rows {
						return w.Fail(q, "more than the limit of %d points", in.Max.Rows)
					}
					f, err := strconv.ParseFloat(v.String(), 64)
					if err != nil {
						return w.Fail(q, "%q is not a number", core.Clip(v.String()))
					}
					values = append(values, f)
					return nil
				})
			}
			return w.Skip(p)
		})
		if err != nil {
			return err
		}
		if len(times) != len(values) {
			return w.Fail(path, "%d Timestamps but %d Values; want one value per timestamp", len(times), len(values))
		}
		name := label
		if id != "" {
			name = id + " (" + label + ")"
		}
		if status == "PartialData" {
			rep.Notes = append(rep.Notes, fmt.Sprintf("%s: StatusCode PartialData: CloudWatch had more points (call get-metric-data again with its NextToken and join the pages)", core.Clip(name)))
		}
		b := newBuilder(name)
		for i := range times {
			if err := b.Add(times[i], values[i], i+1); err != nil {
				var e *core.Error
				if errors.As(err, &e) {
					e.Field = fmt.Sprintf("%s.Values[%d]", path, i)
				}
				return err
			}
		}
		if len(bs) >= 1000 {
			return w.Fail(path, "more than 1000 results")
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
		if err := w.Decode(path, &dp); err != nil {
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
	err := w.Object("", func(key string) error {
		switch key {
		case "MetricDataResults":
			return w.Array(key, func(i int) error { return result(fmt.Sprintf("%s[%d]", key, i)) })
		case "Datapoints":
			statistics = true
			return w.Array(key, func(i int) error { return datapoint(fmt.Sprintf("%s[%d]", key, i)) })
		case "Label":
			return w.Decode(key, &label)
		case "NextToken":
			var tok string
			if err := w.Decode(key, &tok); err != nil {
				return err
			}
			if tok != "" {
				rep.Notes = append(rep.Notes, "NextToken is set: CloudWatch has more points than this page (join the pages)")
			}
			return nil
		case "Messages":
			return w.Skip(key)
		}
		return w.Skip(key)
	})
	if err != nil {
		return nil, err
	}
	if statistics {
		b := newBuilder(label)
		b.Field = "Datapoints"
		useAverage := false
		for i, p := range points {
			var v float64
			switch {
			case p.sum != nil && !strings.HasSuffix(p.unit, "/Second"):
				v = *p.sum
			case p.average != nil && strings.HasSuffix(p.unit, "/Second"):
				v, useAverage = *p.average, true
			default:
				return nil, core.Errorf(in.Name, 0, fmt.Sprintf("Datapoints[%d]", i), "no Sum (unit %q): ask for it with --statistics Sum", core.Clip(p.unit))
			}
			if err := b.Add(p.t, v, i+1); err != nil {
				return nil, err
			}
		}
		if useAverage {
			kind = core.Rate
			rep.Notes = append(rep.Notes, "unit is per second: read the Average as jobs/s")
		} else {
			rep.Notes = append(rep.Notes, "read Sum per period as jobs per period")
		}
		bs, names = []*core.Builder{b}, []string{label}
	}
	rep.Rows = rows
	if len(bs) == 0 {
		return nil, core.Errorf(in.Name, 0, "MetricDataResults", "no results: the query returned no metric")
	}
	if len(bs) > 1 && !in.Opt.Sum {
		return nil, core.Errorf(in.Name, 0, "MetricDataResults", "%d results (%s), want one: add them with sum: true, or keep one in the query", len(bs), core.Clip(strings.Join(names, ", ")))
	}
	rep.Series = names
	b, err := core.SumSeries(in.Name, bs, in.Max.Rows)
	if err != nil {
		return nil, err
	}
	b.Field = "Timestamps"
	ord := core.EitherWay
	if statistics || len(bs) > 1 {
		ord = core.AnyOrder
	}
	if !statistics && (in.Opt.Value == "" || in.Opt.Value == "auto") {
		rep.Notes = append(rep.Notes, "values read as Sum per period (jobs per period); set value: rate if the query asked for a per-second statistic")
	}
	s, err := core.Finish(b, ord, kind, false, in.Opt, &rep)
	if err != nil {
		return nil, err
	}
	return &core.Result{Series: s, Report: rep}, nil
}
