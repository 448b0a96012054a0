package schema

import (
	"math"
	"strings"
	"testing"
	"time"
)

type checked struct {
	Window time.Duration `yaml:"window" min:"6s" max:"1h"`
	Rate   float64       `yaml:"rate" min:"1" exclusive:"min"`
	Mode   string        `yaml:"mode" default:"a" enum:"a,b"`
	Rules  []checkedRule `yaml:"rules"`
	Inner  *checkedRule  `yaml:"inner"`
}

type checkedRule struct {
	Value int `yaml:"value" min:"1"`
}

// TestCheck: the checker reads the same tags the decoder does, in nested
// values too, and names the setting's path.
func TestCheck(t *testing.T) {
	ok := checked{Window: time.Minute, Rate: 2, Mode: "b", Rules: []checkedRule{{1}}, Inner: &checkedRule{3}}
	for _, c := range []struct {
		change func(*checked)
		want   string
	}{
		{func(*checked) {}, ""},
		{func(c *checked) { c.Window = 5 * time.Second }, `window "5s": want a value in [6s, 1h]`},           // below min
		{func(c *checked) { c.Rate = 1 }, `rate "1": want a value above 1`},                                  // strict min
		{func(c *checked) { c.Rate = math.Inf(1) }, "rate +Inf: want a finite number"},                       // not finite
		{func(c *checked) { c.Mode = "c" }, `mode "c": want one of a, b`},                                    // enum
		{func(c *checked) { c.Rules = append(c.Rules, checkedRule{0}) }, `rules[1].value "0": want a value`}, // slice of structs
		{func(c *checked) { c.Inner.Value = 0 }, `inner.value "0"`},                                          // pointer to a struct
	} {
		v := ok
		v.Rules = append([]checkedRule(nil), ok.Rules...)
		in := *ok.Inner
		v.Inner = &in
		c.change(&v)
		err := Check(&v)
		if c.want == "" && err != nil || c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)) {
			t.Errorf("Check: %v, want %q", err, c.want)
		}
	}
}
