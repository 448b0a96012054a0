package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/boxes-project/boxes/internal/promtest"
)

// TestSimulatePrometheusLive: the journey on a live Prometheus (Debian's,
// started by the test; it fails rather than skips under CI when missing).
// Its data grow http_requests_total{job="api"} by 10 per second, so the
// query's rate is 10/s exactly (promtest.Start); 00:10 to 01:00 at 1 m is
// 51 points, 51 minutes of traffic from 00:10. By hand: 10/s × 200 ms = 2
// busy boxes, at the HPA's 50% cpu target 4 boxes from the warm start to
// the end and no change (cpu 50%, ratio 1): 4 × 51 min = 3.4 box-hours,
// nothing missed. The result's document pins the range, so the saved
// result asks the same again, with the manifest gone.
func TestSimulatePrometheusLive(t *testing.T) {
	base := promtest.Start(t)
	dir := t.TempDir()
	hpa := filepath.Join(dir, "hpa.yaml")
	manifest, err := os.ReadFile("testdata/hpa.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(hpa, manifest, 0o644); err != nil {
		t.Fatal(err)
	}
	first := simulateJSON(t, "--policy", hpa, "--prometheus", base, "--query", `sum(rate(http_requests_total{job="api"}[1m]))`,
		"--from", "2026-01-04T00:10:00Z", "--to", "2026-01-04T01:00:00Z", "--step", "1m")
	for _, want := range []string{`"start": "2026-01-04T00:10:00Z"`, `"horizon": 3060,`, `"missed": 0,`, `"box_hours": 3.4,`, `"peak_boxes": 4`, `"Format": "prometheus"`, `"policy": "shop/web"`} {
		if !bytes.Contains(first, []byte(want)) {
			t.Errorf("the result lacks %s", want)
		}
	}
	saved := filepath.Join(dir, "r.json")
	if err := os.WriteFile(saved, first, 0o644); err != nil {
		t.Fatal(err)
	}
	os.Remove(hpa)
	again := simulateJSON(t, saved)
	a, b := fields(t, first), fields(t, again)
	for _, k := range []string{"results", "document", "workload"} {
		if !bytes.Equal(a[k], b[k]) {
			t.Errorf("%s differ after a re-run of the saved result", k)
		}
	}
}

// TestSimulateManifestSavedResult: a manifest-sourced policy re-runs from
// the saved result byte for byte, the manifest gone: the document keeps
// the settings boxes read, not the file.
func TestSimulateManifestSavedResult(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"hpa.yaml", "counts.csv"} {
		b, err := os.ReadFile(filepath.Join("testdata", f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	first := simulateJSON(t, "--policy", filepath.Join(dir, "hpa.yaml"), "--trace", filepath.Join(dir, "counts.csv"))
	saved := filepath.Join(dir, "r.json")
	if err := os.WriteFile(saved, first, 0o644); err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join(dir, "hpa.yaml"))
	again := simulateJSON(t, saved)
	a, b := fields(t, first), fields(t, again)
	for _, k := range []string{"results", "document", "workload"} {
		if !bytes.Equal(a[k], b[k]) {
			t.Errorf("%s differ after a re-run of the saved result", k)
		}
	}
	if !bytes.Contains(a["results"], []byte(`"box_hours": 19.883333333333333`)) {
		t.Error("not the journey's run")
	}
}
