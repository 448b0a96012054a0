package boxes

import (
	"fmt"
	"unicode/utf8"
)

// QuoteLimit is the most characters of user input Quote shows.
const QuoteLimit = 40

// Quote is s for an error message: Go-quoted (%q) when it has at most
// QuoteLimit characters; otherwise its first QuoteLimit characters quoted,
// an ellipsis and its length, so that a 100 MB cell makes a one-line
// message: "aaaa…"… (104857600 bytes). Invalid UTF-8 counts a byte as a
// character and shows as %q escapes it.
func Quote(s string) string {
	i, n := 0, 0
	for i < len(s) && n < QuoteLimit {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
		n++
	}
	if i == len(s) {
		return fmt.Sprintf("%q", s)
	}
	return fmt.Sprintf("%q… (%d bytes)", s[:i], len(s))
}
