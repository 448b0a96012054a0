// Package promtest starts a real Prometheus (Debian's prometheus package)
// for tests: with CI set, a missing prometheus fails the test instead of
// skipping it (.ci/run installs it).
package promtest

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Start backfills a TSDB with two counters and starts Debian's
// prometheus on it (loopback, a free port, no scrape targets). The data,
// from 2026-01-04 00:00 to 04:00 UTC every 15 s:
//
//	http_requests_total{job="api"}  grows 10 per second (0, 150, 300, ...)
//	http_requests_total{job="web"}  grows  5 per second
//
// so rate() over any window inside is 10 and 5 exactly (a linear counter's
// extrapolated rate is its slope: Prometheus' extrapolatedRate in
// promql/functions.go), and their sum 15.
func Start(t testing.TB) string {
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
