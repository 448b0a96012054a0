package scenario

import (
	"flag"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the README's reference of settings")

const (
	referenceStart = "<!-- settings: made from the schema by go test ./scenario -run TestReadme -update; do not edit -->\n"
	referenceEnd   = "<!-- end of settings -->\n"
)

// TestReadme: the README's reference of settings is the schema's, every
// setting (trace: and its options included); -update rewrites it.
func TestReadme(t *testing.T) {
	const path = "../README.md"
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	i := strings.Index(text, referenceStart)
	j := strings.Index(text, referenceEnd)
	if i < 0 || j < i {
		t.Fatalf("the README has no reference between %q and %q", referenceStart, referenceEnd)
	}
	want := Reference()
	if got := text[i+len(referenceStart) : j]; got != want {
		if *update {
			text = text[:i+len(referenceStart)] + want + text[j:]
			if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			return
		}
		t.Errorf("the README's reference of settings is not the schema's: go test ./scenario -run TestReadme -update")
	}
	for _, s := range []string{"`workload.trace.file`", "`workload.trace.layout`", "`box.boot` | duration | `90s`", "`policies[].scheduled.windows[].days`"} {
		if !strings.Contains(want, s) {
			t.Errorf("the reference lacks %s", s)
		}
	}
}
