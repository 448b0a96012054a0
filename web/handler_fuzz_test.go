package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// FuzzHandler sends any request (method, path, Host, Origin, Content-Type
// and body) to the whole handler with a small budget (issue 11): the
// answer is never a 500 or a panic, comes within 3 s, an error is JSON
// with a short message, and only a request for this server's own host and
// origin ever gets a 2xx from /api/.
// The corpus is in testdata/fuzz/FuzzHandler.
func FuzzHandler(f *testing.F) {
	const doc = `{"horizon": "1h", "workload": {"constant": "10/s"}, "policies": [{"fixed": {"capacity": 3}}]}`
	for _, s := range []struct{ method, path, host, origin, ctype, body string }{
		{"POST", "/api/simulate", "127.0.0.1:8080", "", "application/json", doc},
		{"POST", "/api/simulate?draw=1", "localhost:8080", "http://localhost:8080", "application/yaml", "horizon: 1h\nworkload: {constant: 10/s}\npolicies: [{hpa: {}}]\n"},
		{"POST", "/api/simulate", "evil.example:8080", "", "application/json", doc},
		{"POST", "/api/simulate", "127.0.0.1:8080", "https://evil.example", "application/json", doc},
		{"POST", "/api/simulate", "127.0.0.1:8080", "", "text/plain", doc},
		{"POST", "/api/compare", "127.0.0.1:8080", "", "application/json", `{"before": "N=1,R=1s", "after": "N=2,R=500ms"}`},
		{"POST", "/api/sweep?draw=1", "127.0.0.1:8080", "", "application/yaml", "horizon: 1h\nstep: 10s\nworkload: {constant: 10/s}\npolicies: [{name: h, hpa: {}}]\nsweep: {policies[h].target: 0.5..0.9 step 0.2, policies[h].min: [1, 2]}\n"},
		{"POST", "/api/sweep?file=x.yaml", "127.0.0.1:8080", "", "application/json", `{"horizon": "1h", "workload": {"constant": "10/s"}, "policies": [{"name": "f", "fixed": {"capacity": 3}}], "sweep": {"policies[f].capacity": "1..64 x2"}}`},
		{"GET", "/assets/", "127.0.0.1:8080", "", "", ""},
		{"GET", "/assets/index.html", "127.0.0.1:8080", "", "", ""},
		{"GET", "/api/schema", "[::1]:8080", "", "", ""},
		{"POST", "/api/simulate", "127.0.0.1:8080", "", "application/json", `{"horizon":"24h","engine":"events","jobs":{"queue":"unbounded"},"workload":{"constant":"231/s"},"policies":[{"fixed":{"capacity":1}}]}`},
	} {
		f.Add(s.method, s.path, s.host, s.origin, s.ctype, s.body)
	}
	h, err := New(Options{Addr: hostileAddr, MaxSteps: 7200, MaxBody: 64 << 10, Timeout: 2 * time.Second})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, method, path, host, origin, ctype, body string) {
		if !strings.HasPrefix(path, "/") || strings.ContainsAny(path, " \r\n\t#") || strings.ContainsAny(method+host+origin+ctype, " \r\n\t\x00") || method == "" {
			return // not a request line or header a client can send
		}
		req, err := http.NewRequest(method, "http://x"+path, strings.NewReader(body))
		if err != nil {
			return
		}
		req.Host = host
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		rec := httptest.NewRecorder()
		start := time.Now()
		h.ServeHTTP(rec, req)
		if d := time.Since(start); d > 3*time.Second {
			t.Errorf("%s %s took %v", method, path, d)
		}
		if rec.Code >= 500 && rec.Code != http.StatusServiceUnavailable {
			t.Fatalf("%s %s (Host %q): %d %.300s", method, path, host, rec.Code, rec.Body.String())
		}
		api := strings.HasPrefix(req.URL.Path, "/api/")
		if api && rec.Code < 300 && (h.sameSite(req) != nil) {
			t.Errorf("%s %s from Host %q Origin %q answered %d", method, path, host, origin, rec.Code)
		}
		if api && rec.Code >= 400 && rec.Body.Len() > 4096 {
			t.Errorf("an error of %d bytes", rec.Body.Len())
		}
	})
}
