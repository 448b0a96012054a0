package boxes

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
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

// FuzzQuote: Quote is valid Go-quoted text of at most QuoteLimit characters
// (plus the ellipsis and the length), and whole input comes back unquoted.
func FuzzQuote(f *testing.F) {
	for _, s := range []string{"", "abc", strings.Repeat("é", 41), "\xff", strings.Repeat("x", 1000)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q := Quote(s)
		body, tail, cut := strings.Cut(q, "… (")
		if !cut {
			if u, err := strconv.Unquote(q); err != nil || u != s {
				t.Fatalf("Quote(%q) = %s: unquotes to %q, %v", s, q, u, err)
			}
			return
		}
		u, err := strconv.Unquote(body)
		if err != nil || !strings.HasPrefix(s, u) || len(u) >= len(s) || utf8.RuneCountInString(u) > QuoteLimit || tail != fmt.Sprintf("%d bytes)", len(s)) {
			t.Fatalf("Quote(%q) = %s", s, q)
		}
	})
}
