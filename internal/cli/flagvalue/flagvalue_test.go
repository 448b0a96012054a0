package flagvalue

import "testing"

// FuzzProbFlag: a probability that Set accepts is in (0, 1] and marked
// given.
func FuzzProbFlag(f *testing.F) {
	for _, s := range []string{"0.01", "1%", "100%", "1", "0", "-0.5", "NaN", "1e-9", " 5 % ", "0x1p-3", "abc"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var p Prob
		if err := p.Set(s); err != nil {
			return
		}
		if !(p.V > 0 && p.V <= 1) || !p.Given {
			t.Errorf("%q: accepted %g", s, p.V)
		}
	})
}

// TestHeader: -H "Name: value", repeatable, names without case; a Host
// header sets the request's host.
func TestHeader(t *testing.T) {
	var h Header
	for _, s := range []string{"Content-Type: application/json", "X-A:1", "x-a: 2", "Host: example.com"} {
		if err := h.Set(s); err != nil {
			t.Errorf("-H %q: %v", s, err)
		}
	}
	if got := h.H.Values("X-A"); len(got) != 2 || got[0] != "1" || got[1] != "2" || h.H.Get("Content-Type") != "application/json" || h.H.Get("Host") != "example.com" {
		t.Errorf("headers %v", h.H)
	}
	for _, bad := range []string{"no colon", ": empty name", "two words: x"} {
		if err := h.Set(bad); err == nil {
			t.Errorf("-H %q: no error", bad)
		}
	}
}
