package core

import (
	"strings"
	"testing"
	"time"
)

// TestTimes: the date forms a CSV may hold, each read to the same instant.
func TestTimes(t *testing.T) {
	want := time.Date(2026, 1, 4, 13, 5, 0, 0, time.UTC)
	for _, c := range []struct {
		in    string
		dates string
	}{
		{"2026-01-04T13:05:00Z", ""},
		{"2026-01-04 13:05:00", ""},
		{"2026-01-04T14:05:00+01:00", ""},
		{"2026-01-04 13:05", ""},
		{"04.01.2026 13:05", ""},    // German
		{"04.01.2026 13:05:00", ""}, // German, with seconds
		{"04-01-2026 13:05", ""},    // Dutch
		{"04/01/2026 13:05", "dmy"}, // French, British
		{"01/04/2026 13:05", "mdy"}, // American
		{"13/01/2026 13:05", ""},    // unambiguous: day first...
		{"1767531900", ""},          // epoch seconds
		{"1767531900000", ""},       // epoch ms
		{"1767531900.0", ""},
	} {
		tr := TimeReader{Loc: time.UTC, Dates: c.dates}
		got, err := tr.Parse(c.in)
		w := want
		if strings.HasPrefix(c.in, "13/01") {
			w = want.AddDate(0, 0, 9)
		}
		if err != nil || !got.Equal(w) {
			t.Errorf("%q: %v %v, want %v", c.in, got, err, w)
		}
	}
}
