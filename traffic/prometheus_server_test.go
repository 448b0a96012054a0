package traffic

import (
	"context"
	"io"
	"math"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/boxes-project/boxes/internal/promtest"
)

// startPrometheus starts a real Prometheus with known data: see
// promtest.Start.
func startPrometheus(t *testing.T) string { return promtest.Start(t) }

func TestPrometheusServer(t *testing.T) {
	base := startPrometheus(t)
	ctx := context.Background()
	now := time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC) // relative times are read against it; these are absolute
	from := time.Date(2026, 1, 4, 0, 10, 0, 0, time.UTC)
	query := func(q, from, to string, step time.Duration, sum bool) (*Result, error) {
		return QueryPrometheus(ctx, Prometheus{URL: base, Query: q, From: from, To: to, Step: step, Sum: sum}, now, Options{})
	}
	check := func(t *testing.T, res *Result, n int, step time.Duration, want float64) {
		t.Helper()
		s := res.Series
		if s.Len() != n || s.Step != step || s.Kind != Rate || !s.Start.Equal(from) {
			t.Fatalf("%d points of %v (%v) from %v; want %d of %v from %v", s.Len(), s.Step, s.Kind, s.Start, n, step, from)
		}
		for i, v := range s.Values {
			if math.Abs(v-want) > 1e-9*want {
				t.Fatalf("point %d (%v): %g, want %g", i, s.Time(i), v, want)
			}
		}
	}

	t.Run("live rate", func(t *testing.T) {
		// 00:10 to 01:00 at 1m: 51 points of 10/s.
		res, err := query(`sum(rate(http_requests_total{job="api"}[1m]))`, "2026-01-04T00:10:00Z", "2026-01-04T01:00:00Z", time.Minute, false)
		if err != nil {
			t.Fatal(err)
		}
		check(t, res, 51, time.Minute, 10)
		if res.Report.Query == "" || res.Report.Rows != 51 || res.Report.Jobs != 51*60*10 {
			t.Errorf("report %+v", res.Report)
		}
	})
	t.Run("live, several requests", func(t *testing.T) {
		// 00:10 to 03:30 at 1s: 12,001 points, more than the 11,000 one
		// query may return ("exceeded maximum resolution"), so asked in two.
		res, err := query(`rate(http_requests_total{job="web"}[1m])`, "2026-01-04T00:10:00Z", "2026-01-04T03:30:00Z", time.Second, false)
		if err != nil {
			t.Fatal(err)
		}
		check(t, res, 12001, time.Second, 5)
	})
	t.Run("live, two series summed", func(t *testing.T) {
		res, err := query(`rate(http_requests_total[1m])`, "2026-01-04T00:10:00Z", "2026-01-04T01:00:00Z", time.Minute, true)
		if err != nil {
			t.Fatal(err)
		}
		check(t, res, 51, time.Minute, 15)
		if len(res.Report.Series) != 2 {
			t.Errorf("series %v", res.Report.Series)
		}
	})
	for _, c := range []struct {
		name, query, want string
	}{
		{"many series", `rate(http_requests_total[1m])`, `the query returned 2 series ({job="api"}, {job="web"}), want one`},
		{"counter", `http_requests_total{job="api"}`, `looks like a cumulative counter (its name ends in _total), not jobs per interval: query its rate (like sum(rate(http_requests_total[1m])))`},
		{"counter summed", `sum(http_requests_total)`, "looks like a cumulative counter"},
		{"nothing", `sum(rate(no_such_metric_total[1m]))`, "the query returned no series"},
		{"bad query", `sum(rate(`, "bad_data"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := query(c.query, "2026-01-04T00:10:00Z", "2026-01-04T01:00:00Z", time.Minute, false)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v\nwant %q", err, c.want)
			}
		})
	}
	t.Run("answer over the byte limit", func(t *testing.T) {
		_, err := QueryPrometheus(ctx, Prometheus{URL: base, Query: `sum(rate(http_requests_total[1m]))`, From: "2026-01-04T00:10:00Z", To: "2026-01-04T01:00:00Z", Step: time.Minute},
			now, Options{Limits: Limits{Bytes: 100}})
		if err == nil || !strings.Contains(err.Error(), "larger than the limit of 100 bytes") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("saved query_range JSON", func(t *testing.T) {
		// What a user saves with curl from the HTTP API.
		q := url.Values{"query": {`sum(rate(http_requests_total[1m]))`}, "start": {"2026-01-04T00:10:00Z"}, "end": {"2026-01-04T01:00:00Z"}, "step": {"60"}}
		resp, err := http.Get(base + "/api/v1/query_range?" + q.Encode())
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body) // the test's own server answer, not a user file
		resp.Body.Close()
		file := filepath.Join(t.TempDir(), "range.json")
		if err := os.WriteFile(file, body, 0o644); err != nil {
			t.Fatal(err)
		}
		res, err := ReadFile(file, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if res.Report.Format != "prometheus" {
			t.Errorf("format %s", res.Report.Format)
		}
		check(t, res, 51, time.Minute, 15)
		t.Log(res.Report.String())
	})
}
