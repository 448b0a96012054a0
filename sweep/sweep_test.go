package sweep

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
	batchv1 "k8s.io/api/batch/v1"
	sigsyaml "sigs.k8s.io/yaml"
)

func TestParseRange(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		// The issue's own examples.
		{"0.4..0.9 step 0.05", []string{"0.40", "0.45", "0.50", "0.55", "0.60", "0.65", "0.70", "0.75", "0.80", "0.85", "0.90"}},
		{"1..64 x2", []string{"1", "2", "4", "8", "16", "32", "64"}},
		{"1..5", []string{"1", "2", "3", "4", "5"}},
		{"1..9 step 2", []string{"1", "3", "5", "7", "9"}},
		{"100ms..1s x2", nil}, // different units: refused
		{"100ms..800ms x2", []string{"100ms", "200ms", "400ms", "800ms"}},
		{"$0.05/h..$0.20/h step $0.05/h", []string{"$0.05/h", "$0.10/h", "$0.15/h", "$0.20/h"}},
		{"1..100 x10", []string{"1", "10", "100"}},
		{"1..50 x10", []string{"1", "10"}}, // the end is not reached: left out
		{"2..1", nil},
		{"1..5 step 0", nil},
		{"1..5 step -1", nil},
		{"0..8 x2", nil},
		{"1..8 x1", nil},
		{"1..1e9 step 1", nil}, // too many values
		{"a..b", nil},
		{"1-5", nil},
	} {
		got, err := ParseRange(tc.in)
		if tc.want == nil {
			if err == nil {
				t.Errorf("ParseRange(%q) = %v, want an error", tc.in, got)
			}
			continue
		}
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("ParseRange(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
}

func TestGrid(t *testing.T) {
	cs, err := Grid([]Axis{{"a", []string{"1", "2"}}, {"b", []string{"x", "y", "z"}}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for k, c := range cs {
		if c.Index != k {
			t.Errorf("configuration %d has index %d", k, c.Index)
		}
		got = append(got, c.Settings[0].Value+c.Settings[1].Value)
	}
	// The first axis varies slowest.
	if want := []string{"1x", "1y", "1z", "2x", "2y", "2z"}; !slices.Equal(got, want) {
		t.Errorf("grid %v, want %v", got, want)
	}
	for _, bad := range [][]Axis{nil, {{"a", nil}}, {{"a", []string{"1"}}, {"a", []string{"2"}}},
		{{"a", make([]string, 1001)}, {"b", make([]string, 1001)}}} {
		if _, err := Grid(bad); err == nil {
			t.Errorf("Grid(%d axes) accepted", len(bad))
		}
	}
}

const doc = `horizon: 24h
box:
  latency: 200ms
workload: {constant: 40/s}
policies:
  - name: hpa
    hpa: {target: 0.7, min: 2}
  - name: lambda
    serverless: {}
  - name: plain
    serverless:
`

func apply(t *testing.T, settings ...Setting) string {
	t.Helper()
	var n yaml.Node
	if err := yaml.Unmarshal([]byte(doc), &n); err != nil {
		t.Fatal(err)
	}
	out, err := Apply(&n, settings)
	if err != nil {
		t.Fatal(err)
	}
	var v map[string]any
	if err := out.Decode(&v); err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(v)
	// The original is left alone.
	var again map[string]any
	n.Decode(&again)
	if orig, _ := json.Marshal(again); strings.Contains(string(orig), "0.55") {
		t.Errorf("Apply changed its input: %s", orig)
	}
	return string(b)
}

func TestApply(t *testing.T) {
	for _, tc := range []struct {
		settings []Setting
		want     string // substring of the result as JSON
	}{
		{[]Setting{{"box.latency", "100ms"}}, `"box":{"latency":"100ms"}`},
		{[]Setting{{"box.boot", "30s"}}, `"boot":"30s"`}, // a default made explicit
		{[]Setting{{"horizon", "1h"}}, `"horizon":"1h"`},
		{[]Setting{{"policies[hpa].target", "0.55"}}, `"hpa":{"min":2,"target":0.55}`},
		{[]Setting{{"policies[hpa].max", "50"}}, `"max":50`},
		{[]Setting{{"policies[lambda].memory", "512MB"}}, `"serverless":{"memory":"512MB"}`},
		{[]Setting{{"policies[plain].memory", "128MB"}}, `"serverless":{"memory":"128MB"}`},
		{[]Setting{{"policies[0].target", "0.55"}}, `"target":0.55`},
		{[]Setting{{"policies[hpa].target", "0.5"}, {"box.latency", "1s"}}, `"latency":"1s"`},
	} {
		if got := apply(t, tc.settings...); !strings.Contains(got, tc.want) {
			t.Errorf("%v: %s, want %s in it", tc.settings, got, tc.want)
		}
	}
	var n yaml.Node
	yaml.Unmarshal([]byte(doc), &n)
	for _, bad := range []string{"policies[nope].target", "policies[hpa]", "box.latency.x", "horizon[0].x", "", "a..b", "[x].y", "policies[].x"} {
		if _, err := Apply(&n, []Setting{{bad, "1"}}); err == nil {
			t.Errorf("Apply(%q) accepted", bad)
		}
	}
}

func TestParseShard(t *testing.T) {
	if s, err := ParseShard("3/8"); err != nil || s != (Shard{3, 8}) {
		t.Errorf("3/8: %v, %v", s, err)
	}
	for _, bad := range []string{"8/8", "-1/8", "0/0", "1", "a/b", "1/2/3", "$(JOB_COMPLETION_INDEX)/4"} {
		if _, err := ParseShard(bad); err == nil {
			t.Errorf("ParseShard(%q) accepted", bad)
		}
	}
}

// parts splits n configurations' outputs into shards of count, as the
// shards would write them, and returns the parts.
func parts(n, count int, digest string) []*Part {
	var ps []*Part
	for i := range count {
		s := Shard{i, count}
		p := NewPart(digest, n, s)
		for k := range n {
			if s.Owns(k) {
				p.Entries = append(p.Entries, Entry{Index: k, Output: json.RawMessage(fmt.Sprintf(`{"k":%d}`, k))})
			}
		}
		ps = append(ps, p)
	}
	return ps
}

func TestMerge(t *testing.T) {
	for _, count := range []int{1, 4, 7, 30} {
		ps := parts(23, count, "abc")
		// Parts arrive in any order, and through their file form.
		slices.Reverse(ps)
		var read []*Part
		for _, p := range ps {
			var b bytes.Buffer
			p.WriteTo(&b)
			q, err := ReadPart(&b, "part.json")
			if err != nil {
				t.Fatal(err)
			}
			read = append(read, q)
		}
		es, err := Merge(read)
		if err != nil || len(es) != 23 {
			t.Fatalf("%d shards: %v, %d entries", count, err, len(es))
		}
		for k, e := range es {
			if e.Index != k || string(e.Output) != fmt.Sprintf(`{"k":%d}`, k) {
				t.Errorf("%d shards: entry %d = %+v", count, k, e)
			}
		}
	}
	// Refusals: a missing shard, a duplicated one, another scenario, a
	// different count, an entry that is not the shard's, a missing entry.
	check := func(name string, ps []*Part, want string) {
		t.Helper()
		if _, err := Merge(ps); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want an error with %q", name, err, want)
		}
	}
	ps := parts(10, 4, "abc")
	check("missing", ps[:3], "missing shard 3/4")
	check("duplicated", append(parts(10, 4, "abc"), ps[1]), "shard 1/4 is given twice")
	check("mixed scenario", append(parts(10, 4, "abc")[:3], parts(10, 4, "xyz")[3]), "another scenario")
	check("mixed size", append(parts(10, 4, "abc")[:3], parts(11, 4, "abc")[3]), "configurations")
	check("mixed count", append(parts(10, 4, "abc")[:3], parts(10, 5, "abc")[3]), "different shard counts")
	stolen := parts(10, 4, "abc")
	stolen[0].Entries = append(stolen[0].Entries, Entry{Index: 1, Output: json.RawMessage(`{}`)})
	check("stolen", stolen, "not its own")
	short := parts(10, 4, "abc")
	short[2].Entries = short[2].Entries[:1]
	check("short", short, "missing")
	check("none", nil, "no parts")
	if _, err := ReadPart(strings.NewReader(`{"kind":"something else"}`), "x.json"); err == nil {
		t.Error("a file of another kind read as a part")
	}
}

// TestKubernetesJob decodes the emitted manifest strictly with the real
// batch/v1 types: an Indexed Job of N completions whose pods put their
// index into the command line.
func TestKubernetesJob(t *testing.T) {
	o := JobOptions{Name: "azure-sweep", Image: "registry.example/boxes:1", Scenario: "/scenario/sweep.yaml",
		Shards: 7, Parallelism: 3, ConfigMap: "sweep-scenario", ClaimName: "sweep-parts", PartsDir: "/parts"}
	b, err := JobManifest(o)
	if err != nil {
		t.Fatal(err)
	}
	var job batchv1.Job
	if err := sigsyaml.UnmarshalStrict(b, &job); err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	spec := job.Spec
	if job.Kind != "Job" || job.APIVersion != "batch/v1" || spec.CompletionMode == nil || *spec.CompletionMode != batchv1.IndexedCompletion ||
		*spec.Completions != 7 || *spec.Parallelism != 3 {
		t.Errorf("job: %+v", job)
	}
	c := spec.Template.Spec.Containers[0]
	args := strings.Join(c.Args, " ")
	if !strings.Contains(args, "sweep /scenario/sweep.yaml --shard $(JOB_COMPLETION_INDEX)/7 --out /parts/part-$(JOB_COMPLETION_INDEX).json") {
		t.Errorf("args %q", args)
	}
	// $(VAR) is expanded only for variables the container declares.
	if len(c.Env) != 1 || c.Env[0].Name != "JOB_COMPLETION_INDEX" ||
		c.Env[0].ValueFrom.FieldRef.FieldPath != "metadata.annotations['batch.kubernetes.io/job-completion-index']" {
		t.Errorf("env %+v", c.Env)
	}
	if sc := spec.Template.Spec.SecurityContext; sc == nil || !*sc.RunAsNonRoot {
		t.Error("pods may run as root")
	}
	if !strings.Contains(string(b), "boxes merge /parts/part-*.json --out /parts/sweep.json") {
		t.Errorf("no merge step in\n%s", b)
	}
	for _, bad := range []JobOptions{{}, {Name: "Bad_Name", Image: "i", Shards: 1, Scenario: "/s", PartsDir: "/p"},
		{Name: "ok", Image: "i", Shards: 0, Scenario: "/s", PartsDir: "/p"},
		{Name: "ok", Image: "i", Shards: 2, Scenario: "relative.yaml", PartsDir: "/p"}} {
		if _, err := KubernetesJob(bad); err == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
}
