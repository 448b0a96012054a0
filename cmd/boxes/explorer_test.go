package main

import (
	"bytes"
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/boxes-project/boxes/scenario"
	"github.com/boxes-project/boxes/web"
	"github.com/boxes-project/boxes/workload"
)

// TestExplorerSameAsCLI: POST /api/simulate answers, byte for byte, what
// `boxes simulate --format json` prints for the same document, for the
// --print-default document and for it on every workload preset, with and
// without series (issue 9).
func TestExplorerSameAsCLI(t *testing.T) {
	h, err := web.New(web.Options{MaxJobs: 1e9, Hosts: []string{"example.com"}})
	if err != nil {
		t.Fatal(err)
	}
	docs := map[string]string{"default": string(scenario.DefaultYAML())}
	for _, p := range workload.PresetNames() {
		d := strings.Replace(string(scenario.DefaultYAML()), "workload:\n", "workload: {preset: "+p+"}\nold_workload:\n", 1)
		// Cut the default's workload block out: everything from
		// old_workload: to the next top-level key.
		i := strings.Index(d, "old_workload:")
		j := strings.Index(d[i:], "\noracle:")
		docs["preset "+p] = d[:i] + d[i+j+1:]
	}
	for name, doc := range docs {
		for _, series := range []bool{false, true} {
			args := []string{"simulate", "--format", "json"}
			path := "/api/simulate"
			if series {
				args = append(args, "--series")
				path += "?series=1"
			}
			var stdout, stderr bytes.Buffer
			if code := runMain(context.Background(), append(args, "-"), strings.NewReader(doc), &stdout, &stderr); code != 0 {
				t.Fatalf("%s: boxes simulate: exit %d: %s", name, code, stderr.String())
			}
			req := httptest.NewRequest("POST", path, strings.NewReader(doc))
			req.Header.Set("Content-Type", "application/yaml")
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != 200 {
				t.Fatalf("%s: POST %s: %d %s", name, path, rec.Code, rec.Body.String())
			}
			if !bytes.Equal(rec.Body.Bytes(), stdout.Bytes()) {
				t.Errorf("%s (series %v): the explorer's JSON differs from the CLI's (%d and %d bytes)", name, series, rec.Body.Len(), stdout.Len())
			}
		}
	}
}
