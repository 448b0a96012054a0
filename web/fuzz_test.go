package web

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// FuzzSimulate sends any body to POST /api/simulate and /api/compare with a
// small budget: each answer is 200, or a 4xx with a message; never a panic
// or a 500.
func FuzzSimulate(f *testing.F) {
	for _, s := range []string{
		dayHPA,
		`{"horizon": "1h", "workload": {"preset": "flat"}, "policies": [{"fixed": {"capacity": 3}}]}`,
		`{"horizon": "10m", "step": "10s", "workload": {"trace": {"file": "t", "data": "time,count\n0,600\n60,1200\n"}}, "policies": [{"target": {"utilization": 0.5}}]}`,
		`{"workload": {"trace": {"file": "t", "data": "t,rate\n0,1e300\n1,NaN\n"}}, "policies": [{"serverless": {}}]}`,
		`{"horizon": "1h", "box": {"latency": "1ns", "boot": "0s"}, "workload": {"preset": "flat"}, "policies": [{"hpa": {"target": 1, "min": 0, "max": 10000000}}]}`,
		`{"before": "N=1,R=1s", "after": "N=2,R=500ms"}`,
		`{"before_csv": "n,x\n1,1\n2,2\n4,3\n8,3\n", "after_csv": "n,x\n1,2\n2,4\n4,6\n8,6\n"}`,
	} {
		f.Add(s)
	}
	h, err := New(Options{MaxSteps: 7200, MaxBody: 64 << 10, Hosts: []string{"example.com"}})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body string) {
		for _, path := range []string{"/api/simulate", "/api/compare"} {
			rec := httptest.NewRecorder()
			start := time.Now()
			req := httptest.NewRequest("POST", path, strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			h.ServeHTTP(rec, req)
			if d := time.Since(start); d > 3*time.Second {
				t.Errorf("%s %q took %v", path, body, d)
			}
			switch {
			case rec.Code == 200:
			case rec.Code >= 400 && rec.Code < 500 && strings.Contains(rec.Body.String(), `"error":`):
			default:
				t.Errorf("%s %q: %d %s", path, body, rec.Code, rec.Body.String())
			}
		}
	})
}
