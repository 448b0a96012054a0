package schema

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/boxes-project/boxes"
)

// TestFormatDuration: every duration written reads back to itself.
func TestFormatDuration(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{
		{0, "0s"}, {90 * time.Second, "90s"}, {24 * time.Hour, "24h"}, {15 * time.Minute, "15m"},
		{200 * time.Millisecond, "200ms"}, {1500 * time.Millisecond, "1500ms"}, {time.Nanosecond, "1ns"},
		{-time.Second, "-1s"}, {3 * time.Microsecond, "3us"}, {1<<63 - 1, "9223372036854775807ns"},
	} {
		got := FormatDuration(tc.d)
		back, err := boxes.ParseDuration(got)
		if got != tc.want || err != nil || back != tc.d {
			t.Errorf("FormatDuration(%d) = %q, reads back %v %v; want %q", tc.d, got, back, err, tc.want)
		}
	}
}

// TestClock: times of day write and read back, and are bounded.
func TestClock(t *testing.T) {
	for _, s := range []string{"00:00", "09:30", "23:59:59", "12:00:00.5", "24:00"} {
		d, err := ParseClock(s, 24*time.Hour)
		if err != nil || FormatClock(d) != s {
			t.Errorf("%s: %v, %v, writes %s", s, d, err, FormatClock(d))
		}
	}
	for _, s := range []string{"24:01", "9", "ab:cd", "10:60", "-1:00", "1:2:3:4"} {
		if _, err := ParseClock(s, 24*time.Hour); err == nil {
			t.Errorf("%s: accepted", s)
		}
	}
}

// TestParse: one document, strict JSON, and the node count.
func TestParse(t *testing.T) {
	for _, tc := range []struct{ doc, want string }{
		{"a: 1\n", ""},
		{`{"a": 1}`, ""},
		{"a: 1\n---\nb: 2\n", "one document"},
		{`{"a": 1} {"b": 2}`, "text after the document"},
		{`{"a": {"b": 1, "b": 2}}`, "appears twice"},
		{"", "empty"},
		{"a: [\n", "did not find"},
	} {
		_, err := Parse([]byte(tc.doc), "f")
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%q: %v", tc.doc, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%q: error %v, want %q", tc.doc, err, tc.want)
		}
	}
	// Nine aliases a level, nine levels: 9⁹ nodes once expanded.
	var b strings.Builder
	b.WriteString("a0: &a0 [x,x,x,x,x,x,x,x,x]\n")
	for i := 1; i < 10; i++ {
		b.WriteString(strings.Repeat(" ", 0) + "a" + string(rune('0'+i)) + ": &a" + string(rune('0'+i)) + " [" +
			strings.TrimSuffix(strings.Repeat("*a"+string(rune('0'+i-1))+",", 9), ",") + "]\n")
	}
	start := time.Now()
	_, err := Parse([]byte(b.String()), "bomb")
	if !errors.Is(err, ErrTooManyNodes) || time.Since(start) > time.Second {
		t.Errorf("the bomb: %v after %v", err, time.Since(start))
	}
}

// TestQuote: at most about 40 characters of input, cut on a rune.
func TestQuote(t *testing.T) {
	if q := Quote(strings.Repeat("é", 100)); len(q) > 50 || !strings.HasSuffix(q, "…") {
		t.Errorf("Quote: %q", q)
	}
	if q := Quote("90s"); q != `"90s"` {
		t.Errorf("Quote: %q", q)
	}
}

type inner struct {
	Rate boxes.Rate `yaml:"rate,short,required" min:"0/s" doc:"a rate"`
}

type doc struct {
	D     time.Duration `yaml:"d" default:"90s" min:"0s" max:"1h" exclusive:"max" doc:"a duration"`
	N     int           `yaml:"n" default:"3" min:"1" doc:"a count"`
	F     float64       `yaml:"f" default:"0.5" min:"0" exclusive:"min" max:"1" doc:"a fraction"`
	Kind  string        `yaml:"kind" default:"a" enum:"a,b" doc:"a word"`
	In    inner         `yaml:"in" doc:"a part"`
	List  []inner       `yaml:"list" doc:"parts"`
	P     *int          `yaml:"p" doc:"optional"`
	Price boxes.Price   `yaml:"price" default:"$0.10/h" doc:"a price"`
}

// TestDecodeEncode: defaults, bounds, short forms, unknown fields, and
// decode(encode(v)) == v.
func TestDecodeEncode(t *testing.T) {
	read := func(text string) (doc, error) {
		n, err := Parse([]byte(text), "t.yaml")
		if err != nil {
			return doc{}, err
		}
		var d doc
		err = Decode("t.yaml", n, &d)
		return d, err
	}
	d, err := read("in: 4/s\nlist: [{rate: 1/s}, 2/s]\np: 7\n")
	if err != nil {
		t.Fatal(err)
	}
	if d.D != 90*time.Second || d.N != 3 || d.F != 0.5 || d.Kind != "a" || d.In.Rate != 4 || len(d.List) != 2 || *d.P != 7 {
		t.Errorf("decoded %+v", d)
	}
	n, err := Encode(d)
	if err != nil {
		t.Fatal(err)
	}
	j, _ := Node{Node: n}.MarshalJSON()
	again, err := read(string(j))
	if err != nil || again.D != d.D || again.In != d.In || *again.P != *d.P || again.Price != d.Price {
		t.Errorf("read back %+v, %v from %s", again, err, j)
	}
	for _, tc := range []struct{ text, want string }{
		{"d: 1h\nin: 1/s\n", `t.yaml:1:4: d: "1h": want a value in [0s, 1h)`},
		{"f: 0\nin: 1/s\n", "f: \"0\": want a value in (0, 1]"},
		{"kind: c\nin: 1/s\n", "want one of a, b"},
		{"n: 1.5\nin: 1/s\n", "want a whole number"},
		{"in: 1/s\nextra: 1\n", "t.yaml:2:1: extra: unknown field"},
		{"n: 2\n", "in: missing"},
		{"in: {rate: 1/s}\nd: [1]\n", "d: want a duration like 90s"},
	} {
		_, err := read(tc.text)
		var fe *FieldError
		if err == nil || !errors.As(err, &fe) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want %q", tc.text, err, tc.want)
		}
	}
	list := List(&doc{})
	if len(list) != 8 || list[0].Path != "d" || list[0].Default != "90s" || list[0].Range() != "in [0s, 1h)" || list[5].Path != "list[].rate" {
		t.Errorf("List: %+v", list)
	}
}
