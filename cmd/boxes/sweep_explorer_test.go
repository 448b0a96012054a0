package main

import (
	"bytes"
	"context"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/boxes-project/boxes/web"
)

// TestExplorerSweepSameAsCLI: POST /api/sweep?file=NAME answers, byte for
// byte, what `boxes sweep NAME --format json` prints, for the two-setting
// example read from its file and from standard input ("-").
func TestExplorerSweepSameAsCLI(t *testing.T) {
	h, err := web.New(web.Options{Hosts: []string{"example.com"}})
	if err != nil {
		t.Fatal(err)
	}
	const file = "../../examples/hpa-heatmap.yaml"
	doc, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{file, "-"} {
		var stdout, stderr bytes.Buffer
		if code := runMain(context.Background(), []string{"sweep", name, "--format", "json"}, bytes.NewReader(doc), &stdout, &stderr); code != 0 {
			t.Fatalf("boxes sweep %s: exit %d: %s", name, code, stderr.String())
		}
		req := httptest.NewRequest("POST", "/api/sweep?file="+url.QueryEscape(name), bytes.NewReader(doc))
		req.Header.Set("Content-Type", "application/yaml")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 {
			t.Fatalf("POST /api/sweep: %d %s", rec.Code, rec.Body.String())
		}
		if !bytes.Equal(rec.Body.Bytes(), stdout.Bytes()) {
			t.Errorf("%s: the explorer's sweep differs from boxes sweep's (%d and %d bytes)", name, rec.Body.Len(), stdout.Len())
		}
		if !strings.Contains(stdout.String(), `"configurations": [`) {
			t.Errorf("boxes sweep printed %.200s", stdout.String())
		}
	}
}
