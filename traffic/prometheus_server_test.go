package traffic

import (
	"context"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// startPrometheus backfills a TSDB with two counters and starts Debian's
// prometheus on it (loopback, a free port, no scrape targets). The data,
// from 2026-01-04 00:00 to 04:00 UTC every 15 s:
//
//	http_requests_total{job="api"}  grows 10 per second (0, 150, 300, ...)
//	http_requests_total{job="web"}  grows  5 per second
//
// so rate() over any window inside is 10 and 5 exactly (a linear counter's
// extrapolated rate is its slope: Prometheus' extrapolatedRate in
// promql/functions.go), and their sum 15.
func startPrometheus(t *testing.T) string {
	t.Helper()
	prom, err1 := exec.LookPath("prometheus")
	promtool, err2 := exec.LookPath("promtool")
	if err1 != nil || err2 != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("prometheus and promtool are missing: apt-get install prometheus (.ci/run does)")
		}
		t.Skip("prometheus and promtool are missing: apt-get install prometheus")
	}
	dir := t.TempDir()
	var om strings.Builder
	om.WriteString("# HELP http_requests Requests served.\n# TYPE http_requests counter\n")
	t0 := time.Date(2026, 1, 4, 0, 0, 0, 0, time.UTC).Unix()
	for _, s := range []struct {
		job  string
		rate int64
	}{{"api", 10}, {"web", 5}} {
		for k := int64(0); k <= 4*3600/15; k++ {
			fmt.Fprintf(&om, "http_requests_total{job=%q} %d %d\n", s.job, s.rate*15*k, t0+15*k)
		}
	}
	om.WriteString("# EOF\n")
	omFile := filepath.Join(dir, "data.om")
	if err := os.WriteFile(omFile, []byte(om.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	tsdb := filepath.Join(dir, "tsdb")
	if out, err := exec.Command(promtool, "tsdb", "create-blocks-from", "openmetrics", omFile, tsdb).CombinedOutput(); err != nil {
		t.Fatalf("promtool: %v\n%s", err, out)
	}
	cfg := filepath.Join(dir, "prometheus.yml")
	if err := os.WriteFile(cfg, []byte("global:\n  scrape_interval: 15s\nscrape_configs: []\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	cmd := exec.Command(prom, "--config.file="+cfg, "--storage.tsdb.path="+tsdb, "--web.listen-address="+addr,
		"--storage.tsdb.retention.time=100y", "--log.level=warn")
	var logs strings.Builder
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	base := "http://" + addr
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get(base + "/-/ready")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("prometheus not ready after 60s: %v\n%s", err, logs.String())
		}
		time.Sleep(200 * time.Millisecond)
	}
	return base
}

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
