package usl

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/boxes-project/boxes/internal/endless"
	"github.com/boxes-project/boxes/internal/heappeak"

	"github.com/boxes-project/boxes/internal/bounded"
)

// Issue 11's hostile inputs for the measurement reader (F4, F8, F9): each
// ends in a *ParseError naming the file and the limit, within 2 s and a
// bounded allocation (runtime/metrics' cumulative heap allocations, an
// upper bound on what the read held at its peak).

func TestHostileReadCSV(t *testing.T) {
	defer func(r int, b int64) { maxRows, maxBytes = r, b }(maxRows, maxBytes)
	maxRows, maxBytes = 1000, 1<<20
	rows := func(i int) string {
		if i == 0 {
			return "concurrency,throughput\n"
		}
		return fmt.Sprintf("%d,%d\n", i, 10*i)
	}
	for _, tc := range []struct {
		name     string
		in       func() io.Reader
		maxAlloc uint64
		want     string
		limit    bool // the error wraps a *bounded.LimitError
	}{
		// F9: /dev/zero.
		{"endless zeros", func() io.Reader { return endless.New(func(int) string { return "\x00\x00\x00\x00" }) }, 1 << 20,
			"usl: m.csv, line 1: a line longer than 65536 bytes", true},
		// F4: an endless (or 2 GB) file of measurements: the row limit.
		{"endless rows", func() io.Reader { return endless.New(rows) }, 4 << 20,
			"usl: m.csv, line 1002: more than 1000 measurements (the limit)", false},
		// F4, F9: endless comments: the byte limit.
		{"endless comments", func() io.Reader { return endless.New(func(int) string { return "# more to come\n" }) }, 1 << 20,
			"usl: m.csv, line 69906: more than 1048576 bytes (the limit)", true},
		// F8: a 100 MB cell: a line too long.
		{"100 MB cell", func() io.Reader {
			nines := endless.New(func(int) string { return "99999999" })
			return io.MultiReader(strings.NewReader("n,x\n1,"), io.LimitReader(nines, 100<<20))
		}, 1 << 20, "usl: m.csv, line 2: a line longer than 65536 bytes", true},
		// F8: a 60 KB cell within the line: quoted to 40 characters.
		{"60 KB cell", func() io.Reader { return strings.NewReader("n,x\n1," + strings.Repeat("x", 60<<10) + "\n") }, 1 << 20,
			`usl: m.csv, line 2, column 2 (x): boxes: bad rate "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"… (61440 bytes)`, false},
		// F8: a header of thousands of unknown columns: four are named.
		{"wide header", func() io.Reader { return strings.NewReader("n" + strings.Repeat(",zz", 20000) + "\n") }, 16 << 20,
			"and 19996 more", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a0, t0 := heappeak.Allocated(), time.Now()
			_, err := ReadCSV(tc.in(), "m.csv")
			took, alloc := time.Since(t0), heappeak.Allocated()-a0
			t.Logf("%.300v after %v, %d KiB allocated", err, took.Round(time.Millisecond), alloc>>10)
			var pe *ParseError
			var le *bounded.LimitError
			switch {
			case err == nil:
				t.Fatal("no error")
			case !errors.As(err, &pe) || pe.File != "m.csv":
				t.Errorf("error %v is not a *ParseError naming the file", err)
			case !strings.Contains(err.Error(), tc.want):
				t.Errorf("error %.300q does not say %q", err, tc.want)
			case len(err.Error()) > 400:
				t.Errorf("a %d-byte error message", len(err.Error()))
			case tc.limit && !errors.As(err, &le):
				t.Errorf("error %v does not wrap a *bounded.LimitError", err)
			}
			if took > 2*time.Second {
				t.Errorf("took %v", took)
			}
			if alloc > tc.maxAlloc {
				t.Errorf("allocated %d bytes, want at most %d", alloc, tc.maxAlloc)
			}
		})
	}
}
