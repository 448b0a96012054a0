// Package reporttest holds what the report packages' tests share: golden
// files rewritten with -update, and the check that an HTML page fetches
// nothing. It is imported by tests only.
package reporttest

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Golden compares got with the file at path, or rewrites the file with got
// when update is set (each test package declares its own -update flag),
// and reports the first line that differs. pkg names the package in the
// message that says how to rewrite it ("./report/html").
func Golden(t *testing.T, pkg, path string, got []byte, update bool) {
	t.Helper()
	if update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test %s -update to create it)", err, pkg)
	}
	if bytes.Equal(got, want) {
		return
	}
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := range max(len(g), len(w)) {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			t.Fatalf("%s differs from the golden file at line %d (go test %s -update rewrites it; review the diff):\ngot:  %s\nwant: %s", filepath.Base(path), i+1, pkg, gl, wl)
		}
	}
}

// SelfContained fails t when the page html fetches anything: no script, no
// link, no src or url() that leaves the file.
func SelfContained(t *testing.T, html string) {
	t.Helper()
	lower := strings.ToLower(html)
	for _, bad := range []string{"<script", "<link", " src=", "url(", "@import", "http://", "https://"} {
		if bad == "http://" && strings.Count(lower, bad) == strings.Count(lower, `xmlns="http://www.w3.org/2000/svg"`) {
			continue // the SVG namespace is a name, not a fetch
		}
		if strings.Contains(lower, bad) {
			t.Errorf("the page has %q: it must not fetch anything", bad)
		}
	}
}
