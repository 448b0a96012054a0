//go:build unix

package hostile

import (
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/boxes-project/boxes/internal/endless"
)

// boxesBin is the command, built once for the tests.
var boxesBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "hostile")
	if err != nil {
		panic(err)
	}
	boxesBin = filepath.Join(dir, "boxes")
	build := exec.Command("go", "build", "-o", boxesBin, "github.com/boxes-project/boxes/cmd/boxes")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		os.RemoveAll(dir)
		panic(err)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// feedFIFO makes a FIFO at path and writes chunk to it without end until
// the test ends (or the reader goes away).
func feedFIFO(t *testing.T, path string, chunk []byte) {
	t.Helper()
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	t.Cleanup(func() {
		cancel()
		// Unblock an open that no reader came to.
		if f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0); err == nil {
			f.Close()
		}
		<-done
	})
	go func() {
		defer close(done)
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		defer f.Close()
		for ctx.Err() == nil {
			if _, err := f.Write(chunk); err != nil {
				return // the reader closed: EPIPE
			}
		}
	}()
}

// feedRows makes a FIFO at path and writes head, then rows made by row
// (row i appended to a buffer) without end until the test ends or the
// reader goes away: an endless stream of valid rows.
func feedRows(t *testing.T, path, head string, row func(b []byte, i int) []byte) {
	t.Helper()
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	t.Cleanup(func() {
		cancel()
		if f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0); err == nil {
			f.Close()
		}
		<-done
	})
	go func() {
		defer close(done)
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		defer f.Close()
		buf := []byte(head)
		for i := 0; ctx.Err() == nil; {
			for len(buf) < 64<<10 {
				buf = row(buf, i)
				i++
			}
			if _, err := f.Write(buf); err != nil {
				return // the reader closed: EPIPE
			}
			buf = buf[:0]
		}
	}()
}

// run runs boxes with args in dir and checks the bounded outcome: exit 2
// within 2 s of CPU time (and 6 s of wall clock), a peak resident set under 300 MB, a message on stderr with
// every want and at most 600 bytes, nothing non-finite on stdout, and no
// new file in dir.
func run(t *testing.T, dir string, stdin io.Reader, args []string, want ...string) {
	t.Helper()
	before, _ := os.ReadDir(dir)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, boxesBin, args...)
	cmd.Dir = dir
	cmd.Stdin = stdin
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	t0 := time.Now()
	err := cmd.Run()
	took := time.Since(t0)
	code := cmd.ProcessState.ExitCode()
	var maxRSS int64
	var cpu time.Duration
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		maxRSS = int64(ru.Maxrss) * 1024 // kilobytes on Linux
		cpu = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	t.Logf("boxes %s: exit %d after %v (%v of CPU), peak RSS %d MB: %s", strings.Join(args, " "), code, took.Round(time.Millisecond), cpu.Round(time.Millisecond), maxRSS>>20, bytes.TrimSpace(stderr.Bytes()))
	if code != 2 {
		t.Errorf("exit %d (%v), want 2", code, err)
	}
	// The 2 s is the command's own time: its CPU time (user and
	// system), which neighbours on a shared machine do not stretch. The
	// wall clock, which they do (go test ./... on two cores ran these at
	// two to three times their CPU time), is held to 3× that, to catch a
	// command that waits instead of working.
	if cpu > 2*time.Second {
		t.Errorf("took %v of CPU, want under 2 s", cpu)
	}
	if took > 6*time.Second {
		t.Errorf("took %v, want under 6 s of wall clock (2 s alone)", took)
	}
	if maxRSS > 300<<20 {
		t.Errorf("peak RSS %d MB, want under 300 MB", maxRSS>>20)
	}
	msg := stderr.String()
	if len(msg) > 600 {
		t.Errorf("a %d-byte error message", len(msg))
	}
	for _, w := range want {
		if !strings.Contains(msg, w) {
			t.Errorf("message %.600q does not say %q", msg, w)
		}
	}
	for _, bad := range []string{"Inf", "NaN"} {
		if bytes.Contains(stdout.Bytes(), []byte(bad)) {
			t.Errorf("stdout holds %s", bad)
		}
	}
	after, _ := os.ReadDir(dir)
	if len(after) != len(before) {
		t.Errorf("%d files in the directory before, %d after", len(before), len(after))
	}
}

// scenario copies a testdata scenario into a fresh directory.
func scenario(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestF5Overflow: the exponential workload is refused before the run.
func TestF5Overflow(t *testing.T) {
	dir := scenario(t, "f5_exponential_overflow.yaml")
	run(t, dir, nil, []string{"simulate", "f5_exponential_overflow.yaml"}, "workload: exponential: the rate reaches", "above the limit")
	run(t, dir, nil, []string{"simulate", "--format", "json", "f5_exponential_overflow.yaml"}, "workload: exponential")
}

// TestF9Trace: a trace of /dev/zero, and a FIFO of zeros, end after the
// first 64 KiB, where the traffic readers look for a format and find none.
func TestF9Trace(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err == nil {
		dir := scenario(t, "f9_trace_dev_zero.yaml")
		run(t, dir, nil, []string{"simulate", "f9_trace_dev_zero.yaml"}, "/dev/zero: no known traffic format")
	}
	dir := scenario(t, "f9_trace_fifo.yaml")
	feedFIFO(t, filepath.Join(dir, "trace.fifo"), make([]byte, 1<<16))
	run(t, dir, nil, []string{"simulate", "f9_trace_fifo.yaml"}, "trace.fifo: no known traffic format")
}

// TestF4Fit: fit and compare on endless or huge measurement files end at a
// limit: /dev/zero, standard input that never ends, a FIFO of valid rows
// (the 2 GB file: the row limit), a 100 MB cell (F8: the line limit).
func TestF4Fit(t *testing.T) {
	dir := t.TempDir()
	if _, err := os.Stat("/dev/zero"); err == nil {
		// The load-test readers look at the first 64 KiB for a format.
		run(t, dir, nil, []string{"fit", "/dev/zero"}, "loadtest: /dev/zero: no known load-test format")
		run(t, dir, nil, []string{"compare", "/dev/zero", "N=4,X=100/s"}, "no known load-test format")
	}
	run(t, dir, endless.Repeat("0,"), []string{"fit", "-"}, "standard input:1: a line is larger than the limit of 1048576 bytes")
	rows := bytes.Repeat([]byte("8,100\n"), 1000)
	run(t, dir, io.MultiReader(strings.NewReader("concurrency,throughput\n"), endless.Repeat(string(rows))), []string{"fit", "-"}, "standard input:100002: more than 100000 measurements")
	fifo := filepath.Join(t.TempDir(), "m.fifo")
	feedFIFO(t, fifo, []byte("9999999999999999"))
	run(t, dir, nil, []string{"fit", fifo}, "m.fifo: no known load-test format")
}

// TestF8Cell: a cell of 60 KB (within the line limit) is quoted to 40
// characters.
func TestF8Cell(t *testing.T) {
	dir := t.TempDir()
	in := "n,x\n1,10\n2," + strings.Repeat("x", 60<<10) + "\n"
	run(t, dir, strings.NewReader(in), []string{"fit", "-"}, `standard input:3:2 ("x"): boxes: bad rate "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"… (61440 bytes)`)
}

// TestF9ValidRows: a FIFO of valid rows without end (a trace of seconds,
// of dated counts, of access-log lines; comment lines without end) is
// refused at the trace's max_rows (by default a million rows, or 256 bytes
// a row of it), naming the file, the limit and the setting that raises it.
func TestF9ValidRows(t *testing.T) {
	t0 := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		name, head string
		row        func(b []byte, i int) []byte
		want       []string
	}{
		// workload.ReadTrace's CSV: seconds, rate.
		{"seconds", "time,rate\n", func(b []byte, i int) []byte {
			return append(strconv.AppendInt(b, int64(i), 10), ",10\n"...)
		}, []string{"trace.fifo:1000002: more than 1000000 rows (the limit", "max_rows"}},
		// traffic's CSV: dated counts.
		{"dated", "time,requests\n", func(b []byte, i int) []byte {
			return append(t0.Add(time.Duration(i)*time.Second).AppendFormat(b, time.RFC3339), ",10\n"...)
		}, []string{"trace.fifo:1000002: more than the limit of 1000000 points", "max_rows"}},
		// traffic's access log: one line a job.
		{"access log", "", func(b []byte, i int) []byte {
			b = append(b, `127.0.0.1 - - [`...)
			b = t0.Add(time.Duration(i)*time.Millisecond).AppendFormat(b, "02/Jan/2006:15:04:05 -0700")
			return append(b, `] "GET / HTTP/1.1" 200 12`+"\n"...)
		}, []string{"trace.fifo:1000001: more than the limit of 1000000 lines", "max_rows"}},
		// Comments are not rows: the byte limit, 256 bytes a row of max_rows.
		{"comments", "time,rate\n0,1\n", func(b []byte, i int) []byte {
			return append(append(b, '#'), strings.Repeat("x", 1000)+"\n"...)
		}, []string{"trace.fifo", "more than 256000000 bytes (the limit)", "max_rows"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := scenario(t, "f9_trace_fifo.yaml")
			feedRows(t, filepath.Join(dir, "trace.fifo"), tt.head, tt.row)
			run(t, dir, nil, []string{"simulate", "f9_trace_fifo.yaml"}, tt.want...)
		})
	}
}

// TestSweepBudget: sweeps too large to run are refused before they run:
// the grid's limit, a step out of range, and the budget (--max-memory,
// --max-work) added up over the configurations, each costing about what
// the first does.
func TestSweepBudget(t *testing.T) {
	for _, tt := range []struct {
		file string
		want []string
	}{
		{"sweep_configurations.yaml", []string{"more than 1000000 configurations"}},
		{"sweep_year_ns.yaml", []string{"sweep_year_ns.yaml:4:7: step", "1ns"}},
		{"sweep_memory.yaml", []string{"sweep: over the memory budget: 1000000 configurations", "--max-memory"}},
		{"sweep_work.yaml", []string{"sweep: over the work budget: 10000 configurations", "--max-work"}},
	} {
		t.Run(tt.file, func(t *testing.T) {
			dir := scenario(t, tt.file)
			run(t, dir, nil, []string{"sweep", tt.file}, tt.want...)
		})
	}
	// --shard runs a part: the budget is the part's.
	dir := scenario(t, "sweep_work.yaml")
	run(t, dir, nil, []string{"sweep", "--shard", "0/2", "--out", "part.json", "sweep_work.yaml"}, "over the work budget: 5000 configurations")
}

// sparse makes a file of size bytes in dir that takes no disk.
func sparse(t *testing.T, dir, name string, size int64) {
	t.Helper()
	f, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// A hole, not written bytes: the temporary directories of the
	// platforms CI runs on hold it; where one cannot, the bound is not
	// checked, and that fails rather than passes.
	if err := f.Truncate(size); err != nil {
		t.Fatal(err)
	}
}

// TestJSONInputs: merge and report on /dev/zero, and on files too large
// to hold, are refused before they are read: /dev/zero at its first byte,
// a file by its size (a part past 1 GiB, parts past the memory budget, a
// result past 512 MiB).
func TestJSONInputs(t *testing.T) {
	dir := t.TempDir()
	if _, err := os.Stat("/dev/zero"); err == nil {
		run(t, dir, nil, []string{"merge", "/dev/zero"}, "/dev/zero: not a sweep part: not JSON")
		run(t, dir, nil, []string{"report", "/dev/zero"}, "/dev/zero: not a JSON object boxes wrote: not JSON")
	}
	run(t, dir, endless.Repeat("\x00"), []string{"report", "-"}, "standard input: not a JSON object boxes wrote: not JSON")
	big := t.TempDir()
	sparse(t, big, "huge.json", 1<<40)
	run(t, dir, nil, []string{"merge", filepath.Join(big, "huge.json")}, "merge: over the memory budget: the input files (1, 1.02e+03 GiB in all)", "--max-memory")
	run(t, dir, nil, []string{"report", filepath.Join(big, "huge.json")}, "report: over the memory budget", "--max-memory")
	// Within the budget, past a reader's own limit: refused by its size.
	sparse(t, big, "2g.json", 2<<30)
	run(t, dir, nil, []string{"merge", filepath.Join(big, "2g.json")}, "2g.json: larger than 1073741824 bytes (the limit of a part")
	run(t, dir, nil, []string{"report", filepath.Join(big, "2g.json")}, "2g.json: larger than 536870912 bytes")
	var parts []string
	for i := range 3 {
		name := "part-" + strconv.Itoa(i) + ".json"
		sparse(t, big, name, 1000<<20)
		parts = append(parts, filepath.Join(big, name))
	}
	run(t, dir, nil, append([]string{"merge"}, parts...), "merge: over the memory budget: the input files (3, 2.93 GiB in all)", "--max-memory")
}

// TestPlanMeasureBudget: plan and measure refuse the absurd at once: a
// load no fleet up to 2^40 boxes can carry (it galloped up to it for
// seconds; loads just under it, 1e12 to 1e13 jobs/s at 100 ms, still take
// one to two seconds of Erlang B each), and a measurement of 10,000 levels of a minute (a week of
// load on someone's service), past --max-total.
func TestPlanMeasureBudget(t *testing.T) {
	dir := t.TempDir()
	run(t, dir, nil, []string{"plan", "--latency", "100ms", "--rates", "1e14..1e100", "--max-miss", "1e-12"}, "at 1e+14/s: queueing: the load needs more than 1099511627776 boxes")
	run(t, dir, nil, []string{"plan", "--latency", "100ms", "--rate", "1e300/s", "--max-miss", "0.01"}, "the load needs more than 1099511627776 boxes")
	run(t, dir, nil, []string{"measure", "--exec", "true", "--rate", "0.1..1000 step 0.1", "--duration", "58s"}, "10000 levels of 1m0s (warm-up and duration) take 166h40m0s, above max_total 1h0m0s", "the flags that raise them")
}
