package web

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/boxes-project/boxes/report"
	"github.com/boxes-project/boxes/report/sweepreport"
	"github.com/boxes-project/boxes/sweep"
)

// heatmapDoc is the repository's two-setting example: 8 HPA targets × 5
// min replicas on the daily preset at ten-second steps, 40 configurations.
func heatmapDoc(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../examples/hpa-heatmap.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// librarySweep is what boxes sweep prints for doc named file, made by the
// sweep package's own path (cmd/boxes's TestExplorerSweepSameAsCLI runs
// the command itself).
func librarySweep(t *testing.T, doc, file string) []byte {
	t.Helper()
	sw, err := sweep.Parse([]byte(doc), file)
	if err != nil {
		t.Fatal(err)
	}
	entries, err := sw.Run(context.Background(), sweep.All, sweep.Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	o, err := sweep.Assemble(sw.Header(), entries, func(r *report.ResultJSON) bool { return r.SLO != nil && r.SLO.Met })
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	sweepreport.WriteJSON(&b, o)
	return b.Bytes()
}

// TestSweep: POST /api/sweep answers the sweep's JSON, the same bytes as the
// sweep run by the library under the name ?file= gives; with ?draw=1 the
// verdict, the best row and the pictures: the Pareto chart and, for two
// settings of hpa, its two heat maps of 40 cells.
func TestSweep(t *testing.T) {
	h := newHandler(t, Options{})
	doc := heatmapDoc(t)
	code, body, hd := doType(t, h, "POST", "/api/sweep?file=hpa-heatmap.yaml", "application/yaml", doc)
	if code != 200 {
		t.Fatalf("POST /api/sweep: %d %s", code, body)
	}
	if ct := hd.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if want := librarySweep(t, doc, "hpa-heatmap.yaml"); body != string(want) {
		t.Errorf("the explorer's sweep differs from the library's (%d and %d bytes)", len(body), len(want))
	}
	var out sweepreport.JSON
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		t.Fatal(err)
	}
	if len(out.Configurations) != 40 || out.Best == nil || out.Scenario != "hpa-heatmap.yaml" {
		t.Fatalf("%d configurations, best %v, scenario %q", len(out.Configurations), out.Best, out.Scenario)
	}
	// Without ?file=, the scenario is "<request>".
	if _, body, _ := doType(t, h, "POST", "/api/sweep", "application/yaml", doc); !strings.Contains(body, `"scenario": "<request>"`) {
		t.Errorf("without ?file= the scenario is not <request>: %.200s", body)
	}

	code, body, _ = doType(t, h, "POST", "/api/sweep?draw=1", "application/yaml", doc)
	if code != 200 {
		t.Fatalf("POST /api/sweep?draw=1: %d %s", code, body)
	}
	var d SweepDrawResponse
	if err := json.Unmarshal([]byte(body), &d); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(d.Verdict, "Best: hpa with policies[hpa].min=1, policies[hpa].target=0.85 costs $30.24") || d.Configurations != 40 {
		t.Errorf("verdict %q, %d configurations", d.Verdict, d.Configurations)
	}
	if !strings.Contains(d.Table, "$30.24") || !strings.Contains(d.Table, "policies[hpa].target=0.85") {
		t.Errorf("the best table: %s", d.Table)
	}
	var names []string
	for _, c := range d.Charts {
		names = append(names, c.Name)
	}
	if strings.Join(names, " ") != "sweep-pareto sweep-heatmap-cost-hpa sweep-heatmap-missed-hpa" {
		t.Errorf("charts %q", names)
	}
	for _, c := range d.Charts[1:] {
		if n := strings.Count(string(c.SVG), `<g class="cell`); n != 40 {
			t.Errorf("%s: %d cells, want 40", c.Name, n)
		}
	}
}

// TestSweepOneSetting: one swept setting draws cost and misses against it.
func TestSweepOneSetting(t *testing.T) {
	h := newHandler(t, Options{})
	doc := `{"name": "one", "workload": {"preset": "daily"}, "horizon": "24h", "step": "10s",
	"box": {"latency": "200ms", "price": "$0.10/h", "boot": "60s"}, "slo": {"max_missed": "0.01%"},
	"policies": [{"name": "hpa", "hpa": {"target": 0.7, "min": 2, "max": 100}}],
	"sweep": {"policies[hpa].target": "0.6..0.95 step 0.05"}}`
	code, body, _ := do(t, h, "POST", "/api/sweep?draw=1", doc)
	if code != 200 {
		t.Fatalf("%d %s", code, body)
	}
	var d SweepDrawResponse
	json.Unmarshal([]byte(body), &d)
	var names []string
	for _, c := range d.Charts {
		names = append(names, c.Name)
	}
	if d.Configurations != 8 || strings.Join(names, " ") != "sweep-pareto sweep-cost sweep-missed" {
		t.Errorf("%d configurations, charts %q", d.Configurations, names)
	}
}

// TestSweepRefused: every refusal says why and names the limit and the
// boxes serve flag that raises it; none runs anything.
func TestSweepRefused(t *testing.T) {
	doc := heatmapDoc(t)
	for _, tc := range []struct {
		name   string
		opt    Options
		ctype  string
		doc    string
		status int
		want   []string
	}{
		// 8 × 5 = 40 configurations against a limit of 10.
		{"grid over --max-configurations", Options{MaxConfigurations: 10}, "application/yaml", doc, http.StatusRequestEntityTooLarge,
			[]string{"the grid is 40 configurations, more than the 10", "boxes serve --max-configurations raises it"}},
		// Each configuration is 8,640 steps × 2 runs (hpa and the oracle)
		// = 17,280 work units, within 100,000; the 40 together are not.
		{"work over --max-work", Options{MaxWork: 100_000}, "application/yaml", doc, http.StatusUnprocessableEntity,
			[]string{"the sweep's 40 configurations are about 691,200 work units together, more than the limit of 100,000", "boxes serve --max-work raises it"}},
		// One configuration asks for more boxes than the server runs.
		{"a configuration over --max-boxes", Options{}, "application/yaml", strings.Replace(doc, "policies[hpa].min: 1..16 x2", "policies[hpa].max: [100, 1000000]", 1), http.StatusUnprocessableEntity,
			[]string{"configuration 1 (policies[hpa].target=0.60, policies[hpa].max=1000000)", "boxes serve --max-boxes raises it"}},
		// The body over --max-body.
		{"body over --max-body", Options{MaxBody: 100}, "application/yaml", doc, http.StatusRequestEntityTooLarge,
			[]string{"larger than the limit of 100 bytes"}},
		// Over the timeout before it starts: a nanosecond.
		{"over --timeout", Options{Timeout: time.Nanosecond}, "application/yaml", doc, http.StatusRequestTimeout,
			[]string{"boxes serve --timeout raises it"}},
		// No files, neither in the scenario nor in a swept setting.
		{"a file in the scenario", Options{}, "application/yaml", strings.Replace(doc, "{preset: daily}", "{trace: {file: /etc/passwd}}", 1), http.StatusBadRequest,
			[]string{"the explorer reads no files", `"/etc/passwd"`}},
		{"a file swept", Options{}, "application/yaml", doc + "  jobs.latency.file: [/etc/passwd]\n", http.StatusBadRequest,
			[]string{"the explorer reads no files"}},
		// A bad range, said where.
		{"a bad range", Options{}, "application/yaml", strings.Replace(doc, "0.6..0.95 step 0.05", "0.9..0.5 step 0.1", 1), http.StatusBadRequest,
			[]string{"<request>:15:25: sweep.policies[hpa].target: range \"0.9..0.5 step 0.1\": TO 0.5 is below FROM 0.9"}},
		{"no sweep block", Options{}, "application/json", dayHPA, http.StatusBadRequest, []string{"no sweep block"}},
		// Not a document type: a cross-site form post cannot send it.
		{"text/plain", Options{}, "text/plain", doc, http.StatusUnsupportedMediaType, []string{"Content-Type must be one of"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHandler(t, tc.opt)
			code, body, _ := doType(t, h, "POST", "/api/sweep", tc.ctype, tc.doc)
			if code != tc.status {
				t.Fatalf("status %d, want %d: %s", code, tc.status, body)
			}
			var e struct{ Error string }
			if err := json.Unmarshal([]byte(body), &e); err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.want {
				if !strings.Contains(e.Error, w) {
					t.Errorf("the answer %s lacks %q", body, w)
				}
			}
			// Refusals of the whole are made before the sweep takes a
			// slot; those of a configuration (its checks are work) in it.
			perConfiguration := strings.Contains(tc.name, "--max-work") || strings.Contains(tc.name, "configuration") ||
				strings.Contains(tc.name, "swept") || strings.Contains(tc.name, "timeout")
			if h.mostRunning.Load() != 0 && !perConfiguration {
				t.Errorf("a refused sweep took a slot")
			}
		})
	}
}

// TestSweepCrossSite: the sweep answers only its own page: another Origin,
// a cross-site fetch or a foreign Host is refused with 403 before it runs.
func TestSweepCrossSite(t *testing.T) {
	h := newHandler(t, Options{})
	doc := heatmapDoc(t)
	for _, tc := range []struct{ host, origin, site string }{
		{"example.com", "http://evil.example", ""},
		{"example.com", "", "cross-site"},
		{"evil.example", "", ""}, // DNS rebinding
	} {
		req := httptest.NewRequest("POST", "/api/sweep", strings.NewReader(doc))
		req.Host = tc.host
		req.Header.Set("Content-Type", "application/yaml")
		if tc.origin != "" {
			req.Header.Set("Origin", tc.origin)
		}
		if tc.site != "" {
			req.Header.Set("Sec-Fetch-Site", tc.site)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusForbidden || !strings.Contains(rec.Body.String(), "refused") {
			t.Errorf("%+v: %d %s", tc, rec.Code, rec.Body.String())
		}
	}
	if h.mostRunning.Load() != 0 {
		t.Errorf("a refused request ran")
	}
	// The page's own origin is fine.
	req := httptest.NewRequest("POST", "/api/sweep", strings.NewReader(doc))
	req.Header.Set("Content-Type", "application/yaml")
	req.Header.Set("Origin", "http://example.com")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != 200 {
		t.Errorf("same origin: %d %s", rec.Code, rec.Body.String())
	}
}

// TestSweepShed: a sweep waits for a slot as a simulation does, and when
// every slot stays taken longer than the timeout it is shed with 503 and
// Retry-After, naming --concurrent and --queue.
func TestSweepShed(t *testing.T) {
	h := newHandler(t, Options{Concurrent: 1, Timeout: 50 * time.Millisecond})
	release, err := h.acquireCtx(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	code, body, hd := doType(t, h, "POST", "/api/sweep", "application/yaml", heatmapDoc(t))
	if code != http.StatusServiceUnavailable || hd.Get("Retry-After") == "" || !strings.Contains(body, "boxes serve --concurrent and --queue") {
		t.Errorf("a sweep with every slot taken: %d, Retry-After %q, %s", code, hd.Get("Retry-After"), body)
	}
}

// BenchmarkExplorerSweep is the two-setting example (40 configurations of a
// day at ten-second steps) run by the sweep package alone (the reference:
// what boxes sweep --format json does), through POST /api/sweep (the same
// run, after checking every configuration against the budget), and with
// ?draw=1 (plus the verdict, the table, the Pareto chart and two heat
// maps):
//
//	go test ./web -run '^$' -bench ExplorerSweep -count 6
func BenchmarkExplorerSweep(b *testing.B) {
	b.Run("library", func(b *testing.B) {
		doc, err := os.ReadFile("../examples/hpa-heatmap.yaml")
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			sw, err := sweep.Parse(doc, "hpa-heatmap.yaml")
			if err != nil {
				b.Fatal(err)
			}
			entries, err := sw.Run(context.Background(), sweep.All, sweep.Options{Workers: 1})
			if err != nil {
				b.Fatal(err)
			}
			o, err := sweep.Assemble(sw.Header(), entries, meetsObjective)
			if err != nil {
				b.Fatal(err)
			}
			sweepreport.WriteJSON(io.Discard, o)
		}
	})
	for _, path := range []string{"/api/sweep", "/api/sweep?draw=1"} {
		b.Run(strings.TrimPrefix(path, "/api/"), func(b *testing.B) {
			h := newHandler(b, Options{})
			doc, err := os.ReadFile("../examples/hpa-heatmap.yaml")
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if code, body, _ := doType(b, h, "POST", path, "application/yaml", string(doc)); code != 200 {
					b.Fatalf("%d %s", code, body)
				}
			}
		})
	}
}
