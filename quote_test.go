package boxes

import (
	"strings"
	"testing"
)

// TestQuote: short input is %q-quoted as it is; long input shows its first
// 40 characters (runes, not bytes: a cut never splits one) and its length.
func TestQuote(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", `""`},
		{"abc", `"abc"`},
		{`a"b`, `"a\"b"`},
		{strings.Repeat("x", 40), `"` + strings.Repeat("x", 40) + `"`},                                  // exactly the limit
		{strings.Repeat("x", 41), `"` + strings.Repeat("x", 40) + `"… (41 bytes)`},                      // one over
		{strings.Repeat("é", 50), `"` + strings.Repeat("é", 40) + `"… (100 bytes)`},                     // two bytes a rune
		{"\xff\xfe" + strings.Repeat("z", 50), `"\xff\xfe` + strings.Repeat("z", 38) + `"… (52 bytes)`}, // invalid UTF-8
	} {
		if got := Quote(tc.in); got != tc.want {
			t.Errorf("Quote(%.20q) = %s, want %s", tc.in, got, tc.want)
		}
	}
	big := strings.Repeat("9", 100<<20)
	if got := Quote(big); len(got) > 80 {
		t.Errorf("Quote of 100 MiB is %d bytes long", len(got))
	}
}
