package sweep

import (
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// FuzzParseRange: any text either fails or gives at most maxAxisValues
// values, in order when they are plain numbers.
func FuzzParseRange(f *testing.F) {
	for _, s := range []string{"0.4..0.9 step 0.05", "1..64 x2", "100ms..800ms x2", "$0.05/h..$0.20/h step $0.05/h", "1..5", "1e308..1e308 x2", "0..1 step 1e-300"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		vs, err := ParseRange(s)
		if err != nil {
			return
		}
		if len(vs) == 0 || len(vs) > maxAxisValues+1 {
			t.Fatalf("%q: %d values", s, len(vs))
		}
	})
}

// FuzzApply: any path and value on a document either fails or gives a
// document that encodes.
func FuzzApply(f *testing.F) {
	f.Add("policies[hpa].target", "0.5")
	f.Add("box.latency", "1s")
	f.Add("a[0].b.c", "x")
	f.Fuzz(func(t *testing.T, path, value string) {
		var n yaml.Node
		if err := yaml.Unmarshal([]byte(doc), &n); err != nil {
			t.Fatal(err)
		}
		out, err := Apply(&n, []Setting{{path, value}})
		if err != nil {
			return
		}
		if _, err := yaml.Marshal(out); err != nil {
			t.Fatalf("%q=%q: %v", path, value, err)
		}
	})
}

// FuzzReadPart: any bytes either fail or give a part of the right kind.
func FuzzReadPart(f *testing.F) {
	f.Add(`{"kind":"boxes sweep part","scenario_sha256":"ab","configurations":2,"shard":"0/1","entries":[{"index":0,"output":{}}]}`)
	f.Add(`{"kind":"x"}`)
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ReadPart(strings.NewReader(s), "f")
		if err == nil && p.Kind != PartKind {
			t.Fatal("wrong kind read")
		}
		if err == nil {
			Merge([]*Part{p}) // must not panic
		}
	})
}
