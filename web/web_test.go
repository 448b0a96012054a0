package web

import (
	"regexp"
	"slices"

	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"github.com/boxes-project/boxes/scenario"
	"github.com/boxes-project/boxes/schema"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func newHandler(t testing.TB, opt Options) *Handler {
	t.Helper()
	// httptest.NewRequest's requests carry Host: example.com.
	opt.Hosts = append(opt.Hosts, "example.com")
	h, err := New(opt)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// do sends a request to h and returns the status and body; a body is
// sent as JSON (a scenario document is JSON or YAML).
func do(t testing.TB, h http.Handler, method, path, body string) (int, string, http.Header) {
	t.Helper()
	return doType(t, h, method, path, "application/json", body)
}

// doType is do with a Content-Type.
func doType(t testing.TB, h http.Handler, method, path, ctype, body string) (int, string, http.Header) {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", ctype)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code, rec.Body.String(), rec.Header()
}

// dayHPA is the page's first document: the HPA on the daily preset, one day
// at one-second steps.
const dayHPA = `{"name": "the daily preset", "workload": {"preset": "daily"}, "horizon": "24h", "step": "1s",
	"box": {"latency": "200ms", "price": "$0.10/h", "boot": "90s"},
	"policies": [{"name": "hpa", "hpa": {"target": 0.7, "min": 2, "max": 100}}]}`

func TestPage(t *testing.T) {
	h := newHandler(t, Options{})
	code, body, hd := do(t, h, "GET", "/", "")
	if code != 200 || !strings.Contains(body, `<option value="bursty">bursty</option>`) || !strings.Contains(body, `<script src="/assets/app.js" defer></script>`) {
		t.Fatalf("GET /: %d\n%s", code, body)
	}
	if csp := hd.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
		t.Errorf("no content security policy: %q", csp)
	}
	for _, path := range []string{"/assets/app.js", "/assets/app.css"} {
		if code, body, _ := do(t, h, "GET", path, ""); code != 200 || len(body) < 500 {
			t.Errorf("GET %s: %d, %d bytes", path, code, len(body))
		}
	}
	// No way out of the embedded assets to the file system.
	for _, path := range []string{"/assets/../web.go", "/assets/%2e%2e/web.go", "/web.go", "/assets/../../go.mod"} {
		if code, body, _ := do(t, h, "GET", path, ""); code == 200 && strings.Contains(body, "package") {
			t.Errorf("GET %s served a source file", path)
		}
	}
	// The page names no other host: no CDN, no font service.
	for _, path := range []string{"/", "/assets/app.js", "/assets/app.css"} {
		_, body, _ := do(t, h, "GET", path, "")
		if strings.Contains(body, "http://") || strings.Contains(body, "https://") || strings.Contains(body, "//cdn") {
			t.Errorf("%s names another host", path)
		}
	}
}

func simulateOK(t testing.TB, h http.Handler, body string) DrawResponse {
	t.Helper()
	code, out, _ := do(t, h, "POST", "/api/simulate?draw=1", body)
	if code != 200 {
		t.Fatalf("simulate: %d %s", code, out)
	}
	var r DrawResponse
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	return r
}

// TestSimulate runs the page's first document: the HPA and the oracle on
// the daily preset, one day at one-second steps, with the table, two
// paragraphs and the charts; a change of latency changes them.
func TestSimulate(t *testing.T) {
	h := newHandler(t, Options{})
	r := simulateOK(t, h, dayHPA)
	if r.Steps != 86400 || len(r.Stories) != 2 || r.Stories[0].Policy != "hpa" || r.Stories[1].Policy != "oracle" {
		t.Fatalf("steps %d, stories %+v", r.Steps, r.Stories)
	}
	names := []string{}
	for _, c := range r.Charts {
		names = append(names, c.Name)
	}
	if got := strings.Join(names, " "); got != "throughput-hpa utilization capacity cost" {
		t.Errorf("charts %s", got)
	}
	if !strings.Contains(r.Table, "<td>") || !strings.Contains(r.Table, "oracle") {
		t.Errorf("table: %s", r.Table)
	}
	slower := simulateOK(t, h, strings.Replace(dayHPA, `"200ms"`, `"400ms"`, 1))
	if slower.Table == r.Table || slower.Charts[0].SVG == r.Charts[0].SVG {
		t.Errorf("a change of latency changed nothing")
	}
	// The same document gives the same bytes.
	if again := simulateOK(t, h, dayHPA); again.Table != r.Table || again.Charts[1].SVG != r.Charts[1].SVG {
		t.Errorf("two runs of the same document differ")
	}
}

// TestSimulatePolicies runs each kind of policy once, on six hours, the
// scheduled one included.
func TestSimulatePolicies(t *testing.T) {
	h := newHandler(t, Options{})
	for _, p := range []string{
		`{"fixed": {"capacity": 12}}`,
		`{"fixed": {"utilization": 0.8, "at": "mean"}}`,
		`{"target": {"utilization": 0.5}}`,
		`{"serverless": {}}`,
		`{"scheduled": {"default": 3, "windows": [{"days": "weekdays", "from": "02:00", "to": "05:00", "capacity": 20}]}}`,
		`{"knative": {"container_concurrency": 1}}`,
		`{"keda": {"triggers": [{"metric": "jobrate", "target": 4}]}}`,
		`{"cloudrun": {"max_concurrency": 1}}`,
		`{"keda-scaledjob": {"max_replica_count": 400}}`,
		`{"hpa": {"cpu_request": 0.5, "metrics": [{"type": "Resource", "signal": "cpu", "target_type": "Utilization", "target": 0.6}]}}`,
	} {
		r := simulateOK(t, h, `{"horizon": "6h", "workload": {"preset": "daily"}, "policies": [`+p+`]}`)
		if len(r.Stories) != 2 {
			t.Errorf("%s: %d stories", p, len(r.Stories))
		}
	}
	r := simulateOK(t, h, `{"horizon": "6h", "workload": {"preset": "daily"}, "policies": [{"fixed": {"capacity": 12}}]}`)
	if !strings.Contains(r.Stories[0].Text, "Capacity was fixed at 12 boxes: a Throughput of 60/s") {
		t.Errorf("fixed-12: %s", r.Stories[0].Text)
	}
}

// TestSimulateTrace uploads a trace as the document's data: 600 jobs in the
// first minute, 1,200 in the second and 600 in the third, so over a
// 3-minute horizon 2,400 jobs arrive and the peak is 20/s.
func TestSimulateTrace(t *testing.T) {
	h := newHandler(t, Options{})
	doc := `name: the trace /etc/hostname
horizon: 3m
workload: {trace: {file: /etc/hostname, data: "time,count\n0,600\n60,1200\n120,600\n", loop: true}}
policies: [{fixed: {capacity: 4}}]
`
	code, out, _ := doType(t, h, "POST", "/api/simulate?draw=1", "application/yaml", doc)
	var r DrawResponse
	json.Unmarshal([]byte(out), &r)
	if code != 200 || !strings.Contains(r.Summary, "2,400 jobs arrived") || !strings.Contains(r.Summary, "20/s at the peak") {
		t.Errorf("%d summary: %s", code, out)
	}
	// The name is only a name: the data is what was read.
	if !strings.Contains(r.Summary, "the trace /etc/hostname") {
		t.Errorf("summary: %s", r.Summary)
	}
}

// TestSimulateErrors: bad documents get a 400 and a message that names the
// field, the budget a 422, a body of another type 415.
func TestSimulateErrors(t *testing.T) {
	h := newHandler(t, Options{MaxBody: 64 << 10})
	const tail = `, "workload": {"preset": "daily"}, "policies": [{"hpa": {}}]}`
	tests := []struct {
		body   string
		status int
		msg    string
	}{
		{`{"box": {"latency": "fast"}` + tail, 400, `box.latency: "fast": want a duration`},
		{`{"box": {"latency": "-1s"}` + tail, 400, "box.latency"},
		{`{"box": {"price": "$0.20/M requests"}` + tail, 400, "box.price"},
		{`{"horizon": "1h", "step": "7s"` + tail, 400, "horizon 1h0m0s must be a whole number of steps of 7s"},
		{`{"horizon": "30d"` + tail, 422, "over the simulation budget: a horizon of 720h00m in steps of 1s is 2,592,000 steps, more than the 604,800"},
		{`{"horizon": "1h", "workload": {"preset": "daily"}, "policies": [{"magic": {}}]}`, 400, `policies[0].magic: unknown field`},
		{`{"horizon": "1h", "workload": {"preset": "daily"}, "policies": [{"fixed": {"capacity": 200000}}]}`, 422, "over the simulation budget: policy fixed's 200000 is 200,000 boxes, more than the 100,000"},
		{`{"horizon": "1h", "workload": {"trace": {"file": "t.csv", "data": "time,rate\n0,1000000\n60,10\n"}}, "policies": [{"target": {"utilization": 0.5}}]}`, 422,
			"over the simulation budget: the peak JobRate of 1M/s at a Latency of 200ms and Utilization 0.50 is 400,000 boxes"},
		{`{"horizon": "1h", "workload": {"preset": "daily"}, "policies": [{"hpa": {"target": 3}}]}`, 400, "policy: hpa: target 3 must be in (0, 1]"},
		{`{"horizon": "1h", "workload": {"preset": "weekly"}, "policies": [{"hpa": {}}]}`, 400, `unknown preset "weekly"`},
		{`{"horizon": "1h", "workload": {"trace": {"file": "t.csv", "data": "time,rate\n0,10\n-5,abc\n"}}, "policies": [{"serverless": {}}]}`, 400, "t.csv:3:"},
		{`{"horizon": "1h", "workload": {"trace": {"file": "/etc/passwd"}}, "policies": [{"serverless": {}}]}`, 400, "the explorer reads no files"},
		{`{"engine": "quantum"` + tail, 400, `engine: "quantum": want one of fluid, events`},
		{`{"engine": "events", "jobs": {"queue": "lifo"}` + tail, 400, `jobs.queue.kind: "lifo"`},
		{`{"engine": "events", "jobs": {"queue": {"deadline": "2s"}}` + tail, 400, "jobs.queue.deadline: needs a queue to wait in"},
		// The job budget: the daily preset brings about 4.3 million jobs a
		// day (50/s on average), so a week is 30.3 million, over the 20 million.
		{`{"engine": "events", "horizon": "7d"` + tail, 422, "over the simulation budget: about 30.3M jobs arrive"},
		{`{"colour": "red"` + tail, 400, `colour: unknown field`},
		{`not json`, 400, "want a mapping"},
		{`{"a": 1} x`, 400, "text after the document"},
		{`{"horizon": "1h", "horizon": "2h"` + tail, 400, "appears twice"},
		{`{"workload": {"trace": "` + strings.Repeat("x", 70<<10) + `"}}`, 413, "the request is larger than the limit of 64 KiB"},
	}
	for _, tt := range tests {
		code, out, _ := do(t, h, "POST", "/api/simulate", tt.body)
		var e struct{ Error string }
		json.Unmarshal([]byte(out), &e)
		if code != tt.status || !strings.Contains(e.Error, tt.msg) {
			t.Errorf("%.60s: %d %q, want %d and %q", tt.body, code, e.Error, tt.status, tt.msg)
		}
	}
	if code, _, _ := do(t, h, "GET", "/api/simulate", ""); code != http.StatusMethodNotAllowed {
		t.Errorf("GET /api/simulate: %d, want 405", code)
	}
	// Types a page on another site may post without asking: refused.
	for _, ct := range []string{"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""} {
		req := httptest.NewRequest("POST", "/api/simulate", strings.NewReader(dayHPA))
		if ct != "" {
			req.Header.Set("Content-Type", ct)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusUnsupportedMediaType {
			t.Errorf("Content-Type %q: %d, want 415", ct, rec.Code)
		}
	}
}

// TestSimulateEvents runs the per-job engine: with a queue, the table
// grows the p99 wait column and the charts a wait chart.
func TestSimulateEvents(t *testing.T) {
	h := newHandler(t, Options{})
	r := simulateOK(t, h, `{"horizon": "6h", "engine": "events", "jobs": {"latency": "exponential", "queue": {"kind": "unbounded", "deadline": "5s"}},
		"workload": {"preset": "daily"}, "policies": [{"fixed": {"capacity": 15}}]}`)
	if !strings.Contains(r.Table, "p99 wait") || !strings.Contains(r.Table, "timed out") {
		t.Errorf("the table has no p99 wait or timed out column: %s", r.Table)
	}
	wait := false
	for _, c := range r.Charts {
		wait = wait || strings.HasPrefix(c.Name, "wait-")
	}
	if !wait {
		t.Errorf("no wait chart among %d charts", len(r.Charts))
	}
}

// TestCompare: the second article's example (N=1, R=1 s → N=2, R=0.5 s) is
// ×2 performance and ×2 scalability; two measurement files are fitted.
func TestCompare(t *testing.T) {
	h := newHandler(t, Options{})
	code, out, _ := do(t, h, "POST", "/api/compare", `{"before": "N=1,R=1s", "after": "N=2,R=500ms"}`)
	var r CompareResponse
	json.Unmarshal([]byte(out), &r)
	if code != 200 || r.Verdict != "both equally" || len(r.Charts) != 2 || !strings.Contains(r.Summary[0], "×4.00 = ×2.00 from performance") {
		t.Fatalf("%d %s", code, out)
	}
	csv := "concurrency,throughput\n1,10\n2,19\n4,35\n8,60\n16,85\n32,90\n"
	faster := "concurrency,throughput\n1,20\n2,38\n4,70\n8,120\n16,170\n32,180\n"
	body, _ := json.Marshal(CompareRequest{BeforeCSV: csv, AfterCSV: faster})
	code, out, _ = do(t, h, "POST", "/api/compare", string(body))
	json.Unmarshal([]byte(out), &r)
	// Every throughput doubled: λ doubles, σ and κ stay, so it is all
	// performance.
	if code != 200 || r.Verdict != "all performance" || len(r.Charts) != 3 {
		t.Errorf("fits: %d verdict %q, %d charts: %.300s", code, r.Verdict, len(r.Charts), out)
	}
	for _, tt := range []struct{ body, msg string }{
		{`{"before": "N=1", "after": "N=2,R=1s"}`, "before: "},
		{`{"before": "", "after": "N=2,R=1s"}`, "before: give two of N"},
		{`{"before_csv": "a,b\n1,2\n"}`, "before: "},
	} {
		code, out, _ := do(t, h, "POST", "/api/compare", tt.body)
		if code != 400 || !strings.Contains(out, tt.msg) {
			t.Errorf("%s: %d %s", tt.body, code, out)
		}
	}
}

// TestLoad sends 200 requests at once to a server on loopback: every one
// completes with 200, no more simulations than Concurrent run at once, and
// the heap in use stays bounded (sampled every millisecond).
func TestLoad(t *testing.T) {
	if testing.Short() {
		t.Log("-short: 200 requests on six hours each instead of a day")
	}
	const clients = 200
	// A line long enough for every request, and a wait as long as the
	// client's: this test is about holding them all, not shedding them
	// (TestShed1000 is).
	h := newHandler(t, Options{Concurrent: 4, Queue: clients, Timeout: 2 * time.Minute})
	srv := httptest.NewServer(h)
	defer srv.Close()
	body := dayHPA
	if testing.Short() {
		body = strings.Replace(dayHPA, `"24h"`, `"6h"`, 1)
	}
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	stop := make(chan struct{})
	peak := make(chan uint64)
	go func() {
		var m runtime.MemStats
		most := uint64(0)
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				peak <- most
				return
			case <-tick.C:
				runtime.ReadMemStats(&m)
				most = max(most, m.HeapInuse)
			}
		}
	}()
	client := &http.Client{Timeout: 2 * time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: clients}}
	start := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, clients)
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := client.Post(srv.URL+"/api/simulate?draw=1", "application/json", strings.NewReader(body))
			if err != nil {
				errs <- err
				return
			}
			defer resp.Body.Close()
			b, err := io.ReadAll(resp.Body)
			if err != nil || resp.StatusCode != 200 || !bytes.Contains(b, []byte(`"charts"`)) {
				errs <- fmt.Errorf("status %d, %d bytes, %v", resp.StatusCode, len(b), err)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	close(stop)
	most := <-peak
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := h.mostRunning.Load(); n > 4 || n < 1 {
		t.Errorf("%d simulations ran at once, want at most 4", n)
	}
	// Four simulations of a day hold a few MiB each and a waiting request
	// only its small body: 200 requests must stay far below 256 MiB.
	const bound = 256 << 20
	if most > bound {
		t.Errorf("heap in use peaked at %d MiB, over the bound of %d MiB", most>>20, bound>>20)
	}
	t.Logf("%d requests in %v (%.1f/s); heap in use %d MiB before, peak %d MiB; at most %d simulations at once",
		clients, elapsed.Round(time.Millisecond), clients/elapsed.Seconds(), before.HeapInuse>>20, most>>20, h.mostRunning.Load())
}

// TestBusy: a request that ends while it waits for a slot gets 503.
func TestBusy(t *testing.T) {
	h := newHandler(t, Options{Concurrent: 1})
	release, err := h.acquireCtx(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	doc := []byte(`{"horizon": "1h", "workload": {"preset": "daily"}, "policies": [{"serverless": {}}]}`)
	if err := h.Simulate(ctx, doc, false, io.Discard); err == nil || !strings.Contains(err.Error(), "busy") {
		t.Errorf("a request that waited too long: %v", err)
	}
}

// BenchmarkExplorerSimulate is the explorer's round trip for the page's
// default controls: one day at one-second steps of the HPA and the oracle,
// simulated, drawn (table, paragraphs, four SVG charts) and encoded, through
// the handler. The target is a median under 100 ms:
//
//	go test ./web -run '^$' -bench ExplorerSimulate -count 6
func BenchmarkExplorerSimulate(b *testing.B) {
	h := newHandler(b, Options{})
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest("POST", "/api/simulate?draw=1", strings.NewReader(dayHPA))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatal(rec.Body.String())
		}
	}
}

// BenchmarkExplorerSimulateLoopback is the same over a real TCP connection
// on loopback, as the page makes it.
func BenchmarkExplorerSimulateLoopback(b *testing.B) {
	h := newHandler(b, Options{})
	srv := httptest.NewServer(h)
	defer srv.Close()
	b.ReportAllocs()
	for b.Loop() {
		resp, err := http.Post(srv.URL+"/api/simulate?draw=1", "application/json", strings.NewReader(dayHPA))
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			b.Fatal(resp.Status)
		}
	}
}

// TestPageFollowsTheSchema: every control of the page names a setting of
// the schema (data-path), and GET /api/schema lists every setting and every
// policy kind the page builds its policy controls from, the scheduled one
// included.
func TestPageFollowsTheSchema(t *testing.T) {
	h := newHandler(t, Options{})
	code, body, _ := do(t, h, "GET", "/api/schema", "")
	var s SchemaResponse
	if err := json.Unmarshal([]byte(body), &s); code != 200 || err != nil {
		t.Fatalf("GET /api/schema: %d %v", code, err)
	}
	paths := map[string]schema.Setting{}
	for _, x := range s.Settings {
		paths[x.Path] = x
	}
	if len(paths) != len(scenario.Settings()) || !slices.Equal(s.PolicyKinds, scenario.PolicyKinds().Names()) {
		t.Errorf("the schema lists %d settings and kinds %v", len(paths), s.PolicyKinds)
	}
	for _, k := range []string{"knative", "keda", "keda-scaledjob", "cloudrun"} { // the scale-to-zero kinds, offered with their settings
		if !slices.Contains(s.PolicyKinds, k) || paths["policies[]."+k+".max_instances"].Path == "" && paths["policies[]."+k+".max_scale"].Path == "" && paths["policies[]."+k+".max_replica_count"].Path == "" {
			t.Errorf("kind %s is not offered with its settings", k)
		}
	}
	if b := paths["box.boot"]; b.Default != "90s" {
		t.Errorf("box.boot's default is %q, want the CLI's 90s", b.Default)
	}
	_, page, _ := do(t, h, "GET", "/", "")
	re := regexp.MustCompile(`data-path="([^"]+)"`)
	found := re.FindAllStringSubmatch(page, -1)
	if len(found) < 8 {
		t.Fatalf("the page has %d controls with a data-path", len(found))
	}
	for _, m := range found {
		if _, ok := paths[m[1]]; !ok {
			t.Errorf("the page's control for %s names no setting", m[1])
		}
	}
}

// TestSimulateTrafficData: the explorer posts a Prometheus query_range
// answer as a trace's data; it is read through package traffic like a
// file on the command line: the scenario starts at the trace's first time
// (09:30), lasts its span (3 points of 1 h), and the result says what was
// read (workload.source). A live Prometheus is a server the explorer does
// not ask for its sender.
func TestSimulateTrafficData(t *testing.T) {
	h := newHandler(t, Options{})
	data := `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1767519000,"10"],[1767522600,"40"],[1767526200,"10"]]}]}}`
	doc := `{"workload": {"trace": {"file": "prom.json", "data": ` + strconv.Quote(data) + `}}, "policies": [{"fixed": {"capacity": 8}}]}`
	code, out, _ := do(t, h, "POST", "/api/simulate", doc)
	for _, want := range []string{`"start":"2026-01-04T09:30:00Z"`, `"horizon":10800`, `"Format":"prometheus"`} {
		if code != 200 || !strings.Contains(strings.ReplaceAll(out, " ", ""), want) {
			t.Errorf("%d: the result lacks %s: %.600s", code, want, out)
		}
	}
	code, out, _ = do(t, h, "POST", "/api/simulate", `{"workload": {"prometheus": {"url": "http://127.0.0.1:9", "query": "up", "from": "1h"}}, "policies": [{"fixed": {}}]}`)
	if code != 400 || !strings.Contains(out, "http://127.0.0.1:9") {
		t.Errorf("a live prometheus: %d %s", code, out)
	}
}
