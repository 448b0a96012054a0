package prometheus

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/boxes-project/boxes/traffic/internal/core"

	"github.com/boxes-project/boxes"
	"github.com/prometheus/client_golang/api"
	v1 "github.com/prometheus/client_golang/api/prometheus/v1"
	"github.com/prometheus/common/model"
)

// Prometheus is a live query_range against a Prometheus server (or
// anything speaking its HTTP API: Thanos, Mimir, VictoriaMetrics), asked
// through the official client.
type Prometheus struct {
	// URL is the server's base URL.
	URL string `yaml:"url" doc:"Prometheus base URL, like http://localhost:9090"`
	// Query is PromQL giving jobs per second.
	Query string `yaml:"query" doc:"PromQL giving jobs per second, like sum(rate(http_requests_total[1m]))"`
	// From and To bound the range: RFC 3339 times ("2026-01-04T00:00:00Z"),
	// "now", or a duration before now ("24h", "-24h").
	From string `yaml:"from" doc:"start of the range: an RFC 3339 time, now, or a duration before now like 24h"`
	To   string `yaml:"to" default:"now" doc:"end of the range: an RFC 3339 time, now, or a duration before now"`
	// Step is the interval between points.
	Step time.Duration `yaml:"step" default:"60s" min:"1s" doc:"interval between points of the range query"`
	// Sum adds several series into one instead of refusing them.
	Sum bool `yaml:"sum" default:"false" doc:"add several series into one instead of refusing them"`
	// Timeout bounds each request.
	Timeout time.Duration `yaml:"timeout" default:"30s" min:"1s" doc:"time limit of each request to the server"`
}

// maxPointsPerQuery is how many points one request asks for: below
// Prometheus' limit of 11,000 points per series.
const maxPointsPerQuery = 10_000

// Validate checks the fields that span each other; from and to are read
// against now.
func (p Prometheus) Validate(now time.Time) error {
	if p.URL == "" {
		return errors.New("traffic: prometheus: url is empty (want the server's base URL, like http://localhost:9090)")
	}
	if u, err := url.Parse(p.URL); err != nil || u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return fmt.Errorf("traffic: prometheus: url %q is not an http or https URL", core.Clip(p.URL))
	}
	if strings.TrimSpace(p.Query) == "" {
		return errors.New("traffic: prometheus: query is empty (want PromQL giving jobs per second, like sum(rate(http_requests_total[1m])))")
	}
	from, to, err := p.Range(now)
	if err != nil {
		return err
	}
	if !to.After(from) {
		return fmt.Errorf("traffic: prometheus: to (%s) is not after from (%s)", to.Format(time.RFC3339), from.Format(time.RFC3339))
	}
	if p.Step < time.Second {
		return fmt.Errorf("traffic: prometheus: step %v is below 1s", p.Step)
	}
	return nil
}

// Range reads From and To against now.
func (p Prometheus) Range(now time.Time) (from, to time.Time, err error) {
	to, err = when(p.To, now, "to")
	if err != nil {
		return
	}
	from, err = when(p.From, now, "from")
	return
}

func when(s string, now time.Time, field string) (time.Time, error) {
	s = strings.TrimSpace(s)
	switch s {
	case "", "now":
		if field == "from" && s == "" {
			return time.Time{}, errors.New("traffic: prometheus: from is empty (want an RFC 3339 time or a duration before now like 24h)")
		}
		return now, nil
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	if d, err := boxes.ParseDuration(strings.TrimPrefix(s, "-")); err == nil && d >= 0 {
		return now.Add(-d), nil
	}
	return time.Time{}, fmt.Errorf("traffic: prometheus: %s %q is not a time (want RFC 3339 like 2026-01-04T00:00:00Z, now, or a duration before now like 24h)", field, core.Clip(s))
}

// QueryPrometheus asks the server for p.Query over [from, to] at p.Step
// (in requests of at most 10,000 points each) and reads the answer as
// Read reads a saved one: one series, or their sum with p.Sum; a counter
// without rate() is refused with advice. now anchors relative times.
func QueryPrometheus(ctx context.Context, p Prometheus, now time.Time, opt core.Options) (*core.Result, error) {
	if p.Step == 0 {
		p.Step = time.Minute
	}
	if p.Timeout == 0 {
		p.Timeout = 30 * time.Second
	}
	if err := p.Validate(now); err != nil {
		return nil, err
	}
	if err := opt.Validate(); err != nil {
		return nil, err
	}
	from, to, _ := p.Range(now)
	opt.Sum = opt.Sum || p.Sum
	if opt.Step == 0 {
		opt.Step = p.Step
	}
	max := opt.Limits.OrDefault()
	if n := to.Sub(from) / p.Step; int64(n) > int64(max.Rows) {
		return nil, fmt.Errorf("traffic: prometheus: %v at steps of %v is more than the limit of %d points", to.Sub(from), p.Step, max.Rows)
	}
	client, err := api.NewClient(api.Config{Address: p.URL, RoundTripper: boundedTransport{rt: api.DefaultRoundTripper, limit: max.Bytes, name: p.URL}})
	if err != nil {
		return nil, fmt.Errorf("traffic: prometheus: %w", err)
	}
	promAPI := v1.NewAPI(client)
	name := p.URL
	rep := core.Report{Query: p.Query}
	bySeries := map[string]*promSeries{}
	var series []*promSeries
	rows := 0
	for start := from; !start.After(to); {
		end := start.Add(time.Duration(maxPointsPerQuery-1) * p.Step)
		if end.After(to) {
			end = to
		}
		qctx, cancel := context.WithTimeout(ctx, p.Timeout)
		val, warnings, infos, err := promAPI.QueryRange(qctx, p.Query, v1.Range{Start: start, End: end, Step: p.Step})
		cancel()
		if err != nil {
			return nil, fmt.Errorf("traffic: prometheus %s: query %q from %s to %s: %w", core.Clip(p.URL), core.Clip(p.Query), start.Format(time.RFC3339), end.Format(time.RFC3339), err)
		}
		for _, w := range warnings {
			rep.Notes = append(rep.Notes, "prometheus: "+core.Clip(w))
		}
		for _, w := range infos {
			rep.Notes = append(rep.Notes, "prometheus: "+core.Clip(w))
		}
		matrix, ok := val.(model.Matrix)
		if !ok {
			return nil, fmt.Errorf("traffic: prometheus: query_range answered a %s, want a matrix", val.Type())
		}
		for _, ss := range matrix {
			if len(ss.Histograms) > 0 {
				return nil, fmt.Errorf("traffic: prometheus: %s holds native histograms, not traffic: query a rate, like sum(rate(http_requests_total[1m]))", core.Clip(ss.Metric.String()))
			}
			key := ss.Metric.String()
			s, ok := bySeries[key]
			if !ok {
				labels := make(map[string]string, len(ss.Metric))
				for k, v := range ss.Metric {
					labels[string(k)] = string(v)
				}
				n := labelString(labels)
				m := labels["__name__"]
				s = &promSeries{labels: n, hint: strings.HasSuffix(m, "_total") || strings.HasSuffix(m, "_count"),
					b: &core.Builder{File: name, Name: n, Max: max.Rows, Field: "time", Loc: from.Location(), Points: true}}
				bySeries[key] = s
				series = append(series, s)
			}
			for _, sp := range ss.Values {
				rows++
				if v := float64(sp.Value); !math.IsNaN(v) {
					if err := s.b.Add(sp.Timestamp.Time().In(from.Location()), v, rows); err != nil {
						return nil, err
					}
				}
			}
		}
		start = end.Add(p.Step)
	}
	rep.Rows = rows
	s, err := promFinish(name, series, p.Query, opt, max, &rep)
	if err != nil {
		return nil, err
	}
	rep.Format, rep.Source = "prometheus", name
	return &core.Result{Series: s, Report: rep}, nil
}

// boundedTransport refuses an answer body longer than limit bytes, as
// Read refuses a file: the client reads whole answers.
type boundedTransport struct {
	rt    http.RoundTripper
	limit int64
	name  string
}

func (t boundedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.rt.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	resp.Body = boundedBody{Reader: core.Bounded(resp.Body, t.limit, t.name), Closer: resp.Body}
	return resp, nil
}

type boundedBody struct {
	io.Reader
	io.Closer
}
