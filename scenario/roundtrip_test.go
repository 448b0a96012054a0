package scenario

import (
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/boxes-project/boxes"
	"github.com/boxes-project/boxes/schema"
)

// randomValue is a random valid value of a setting in its notation, or ""
// to leave it at its default.
func randomValue(r *rand.Rand, s schema.Setting) string {
	if len(s.Enum) > 0 {
		return s.Enum[r.IntN(len(s.Enum))]
	}
	lo, hi := s.Min, s.Max
	switch s.Type {
	case "duration":
		a, b := time.Duration(0), 48*time.Hour
		if lo != "" {
			a, _ = boxes.ParseDuration(lo)
		}
		if hi != "" {
			b, _ = boxes.ParseDuration(hi)
		}
		d := a + time.Duration(r.Int64N(int64(b-a)+1))
		if r.IntN(2) == 0 {
			d = d.Round(time.Second)
		}
		return schema.FormatDuration(max(a, min(b, d)))
	case "integer":
		a, b := 0, 1000
		if lo != "" {
			a, _ = strconv.Atoi(lo)
		}
		if hi != "" {
			b, _ = strconv.Atoi(hi)
		}
		b = min(b, a+1000)
		return strconv.Itoa(a + r.IntN(b-a+1))
	case "number":
		a, b := 0.0, 10.0
		if lo != "" {
			a, _ = strconv.ParseFloat(lo, 64)
		}
		if hi != "" {
			b, _ = strconv.ParseFloat(hi, 64)
		}
		b = math.Min(b, a+10)
		x := a + r.Float64()*(b-a)
		if x == a && s.ExclusiveMin {
			x = b
		}
		return strconv.FormatFloat(x, 'g', -1, 64)
	case "rate":
		return boxes.Rate(r.Float64() * 100).String()
	case "boolean":
		return strconv.FormatBool(r.IntN(2) == 0)
	case "price":
		if strings.HasSuffix(s.Default, "/h") {
			return "$" + strconv.FormatFloat(r.Float64(), 'g', -1, 64) + "/h"
		}
	}
	return ""
}

// TestRoundTrip: random valid documents, made of random settings from the
// schema's list at random values, read the same after being written in
// their normalized form, as YAML and as JSON: decode(encode(s)) == s.
func TestRoundTrip(t *testing.T) {
	dir := t.TempDir()
	trace := filepath.Join(dir, "jobs.csv")
	if err := os.WriteFile(trace, []byte("time,latency\n0,0.2\n0.5,0.3\n1,0.1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	settings := Settings()
	r := rand.New(rand.NewPCG(1, 2))
	valid := 0
	for range 400 {
		// A document of one part of the tree: a workload or policy kind,
		// with a few of its settings at random values, and a few top-level
		// ones.
		s := settings[r.IntN(len(settings))]
		text := document(s, nilIfEmpty(randomValue(r, s)), true, trace)
		var doc map[string]any
		if err := yaml.Unmarshal([]byte(text), &doc); err != nil {
			t.Fatal(err)
		}
		for range 4 {
			o := settings[r.IntN(len(settings))]
			if strings.Contains(o.Path, "[]") || strings.HasPrefix(o.Path, "workload") || strings.HasPrefix(o.Path, "jobs") {
				continue
			}
			if v := randomValue(r, o); v != "" {
				put(doc, strings.Split(o.Path, "."), v)
			}
		}
		b, _ := yaml.Marshal(doc)
		sc, err := Parse(b, filepath.Join(dir, "r.yaml"))
		if err != nil {
			continue // settings that do not go together
		}
		valid++
		n, err := schema.Encode(sc.Doc)
		if err != nil {
			t.Fatal(err)
		}
		y, err := yaml.Marshal(n)
		if err != nil {
			t.Fatal(err)
		}
		j, err := schema.Node{Node: n}.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		for _, form := range []struct {
			name string
			text []byte
		}{{"yaml", y}, {"json", j}} {
			again, err := Parse(form.text, filepath.Join(dir, "again."+form.name))
			if err != nil {
				t.Fatalf("the normalized %s of\n%s\ndoes not read: %v\n%s", form.name, b, err, form.text)
			}
			if !reflect.DeepEqual(sc.Doc, again.Doc) {
				t.Fatalf("the normalized %s of\n%s\nreads differently:\n%s", form.name, b, form.text)
			}
		}
	}
	t.Logf("%d of 400 random documents valid", valid)
	if valid < 200 {
		t.Errorf("only %d of 400 random documents were valid", valid)
	}
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}
