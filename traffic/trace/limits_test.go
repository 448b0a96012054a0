package trace

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/boxes-project/boxes/internal/endless"
	"github.com/boxes-project/boxes/internal/heappeak"

	"github.com/boxes-project/boxes/internal/bounded"
)

// Issue 11's hostile inputs for the trace readers (F8, F9): each ends in a
// clear error, after a bounded time and a bounded allocation (measured with
// runtime/metrics' cumulative heap allocations, an upper bound on what the
// read could hold at its peak).

// bounded runs read and checks that it fails within 2 s and maxAlloc bytes
// allocated, with an error that is a *TraceError whose message contains
// want and is at most 300 bytes long.
func checkBounded(t *testing.T, maxAlloc uint64, want string, read func() error) {
	t.Helper()
	a0, t0 := heappeak.Allocated(), time.Now()
	err := read()
	took, alloc := time.Since(t0), heappeak.Allocated()-a0
	t.Logf("%v after %v, %d KiB allocated", err, took.Round(time.Millisecond), alloc>>10)
	var te *TraceError
	switch {
	case err == nil:
		t.Fatalf("no error")
	case !errors.As(err, &te):
		t.Errorf("error %v is not a *TraceError", err)
	case !strings.Contains(err.Error(), want):
		t.Errorf("error %q does not say %q", err, want)
	case len(err.Error()) > 300:
		t.Errorf("a %d-byte error message", len(err.Error()))
	}
	if took > 2*time.Second {
		t.Errorf("took %v", took)
	}
	if alloc > maxAlloc {
		t.Errorf("allocated %d bytes, want at most %d", alloc, maxAlloc)
	}
}

func TestHostileTrace(t *testing.T) {
	defer func(r int, b int64) { maxTraceRows, maxTraceBytes = r, b }(maxTraceRows, maxTraceBytes)
	maxTraceRows, maxTraceBytes = 1000, 1<<20
	zero := func(int) string { return "\x00\x00\x00\x00\x00\x00\x00\x00" }
	rows := func(i int) string {
		if i == 0 {
			return "time,rate\n"
		}
		return fmt.Sprintf("%d,1\n", i)
	}
	jobs := func(i int) string {
		if i == 0 {
			return "time\n"
		}
		return fmt.Sprintf("%d\n", i)
	}
	comments := func(int) string { return "# still no data\n" }
	for _, tc := range []struct {
		name     string
		in       func() io.Reader
		maxAlloc uint64
		want     string
		log      bool // a job log, not a trace
	}{
		// F9: trace: {file: /dev/zero}: one endless line.
		{"endless zeros", func() io.Reader { return endless.New(zero) }, 2 << 20, "x.csv:1: a line longer than 65536 bytes", false},
		// F9: a FIFO of valid rows: the row limit.
		{"endless rows", func() io.Reader { return endless.New(rows) }, 2 << 20, "more than 1000 rows", false},
		// F9: a FIFO of comments: no rows, the byte limit.
		{"endless comments", func() io.Reader { return endless.New(comments) }, 4 << 20, "more than 1048576 bytes (the limit)", false},
		// F8: a 100 MB cell is a line too long, named in a short message.
		{"100 MB cell", func() io.Reader {
			nines := endless.New(func(int) string { return "99999999" })
			return io.MultiReader(strings.NewReader("time,rate\n0,"), io.LimitReader(nines, 100<<20))
		}, 2 << 20, "x.csv:2: a line longer than 65536 bytes", false},
		// F8: a 60 KB cell within the line limit is quoted to 40 characters.
		{"60 KB cell", func() io.Reader {
			return strings.NewReader("time,rate\n0,1\n1," + strings.Repeat("x", 60<<10) + "\n")
		}, 2 << 20, `x.csv:3:2: rate: "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"… (61440 bytes) is not a number`, false},
		// The same for job logs.
		{"job log: endless zeros", func() io.Reader { return endless.New(zero) }, 2 << 20, "x.csv:1: a line longer than 65536 bytes", true},
		{"job log: endless jobs", func() io.Reader { return endless.New(jobs) }, 2 << 20, "more than 1000 rows", true},
		{"job log: 60 KB cell", func() io.Reader {
			return strings.NewReader("time\n0\n" + strings.Repeat("x", 60<<10) + "\n")
		}, 2 << 20, `x.csv:3:1: time: "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"… (61440 bytes) is not a time`, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checkBounded(t, tc.maxAlloc, tc.want, func() error {
				var err error
				if tc.log {
					_, err = ReadJobLog(tc.in(), "x.csv", TraceOptions{})
				} else {
					_, err = ReadTrace(tc.in(), "x.csv", TraceOptions{})
				}
				return err
			})
		})
	}
}

// TestHostileDevZero reads the real /dev/zero, as `trace: {file: /dev/zero}`
// does: a clear error naming the line limit.
func TestHostileDevZero(t *testing.T) {
	f, err := os.Open("/dev/zero")
	if err != nil {
		// Every Unix has it; this run's endless.Reader cases cover the rest.
		if runtime.GOOS != "windows" {
			t.Fatal(err)
		}
		t.Skip("no /dev/zero on windows")
	}
	defer f.Close()
	checkBounded(t, 2<<20, "a line longer than 65536 bytes", func() error {
		_, err := ReadTrace(f, "/dev/zero", TraceOptions{})
		return err
	})
	var le *bounded.LimitError
	if _, err := ReadTrace(f, "/dev/zero", TraceOptions{}); !errors.As(err, &le) {
		t.Errorf("error %v does not wrap a *bounded.LimitError", err)
	}
}
