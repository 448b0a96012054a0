package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// update rewrites the golden files inside the scripts from the actual
// output: go test ./cmd/boxes -run TestScripts -update. Review the diff: a
// golden value must still match its cited source.
var update = flag.Bool("update", false, "rewrite the cmp golden files in testdata/script")

// TestMain lets the scripts run "boxes" as the real main, in a child process
// of the test binary, so that os.Exit and its code are what a user sees.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){"boxes": main})
}

// TestScripts runs every testdata/script/*.txtar: drop a file there to add
// one. Besides the standard commands, scripts have
//
//	status N command [args...]
//
// which runs command and fails unless it exits with code N.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		UpdateScripts:       *update,
		RequireExplicitExec: false,
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"status": cmdStatus,
		},
	})
}

// cmdStatus is the script command "status N command [args...]".
func cmdStatus(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: status N command [args...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("status: bad exit code %q", args[0])
	}
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			ts.Fatalf("status: %v", err)
		}
		got = ee.ExitCode()
	}
	if got != want {
		ts.Fatalf("%s exited with code %d, want %d", args[1], got, want)
	}
}

// TestRunMain checks exit codes and where output goes, in process.
func TestRunMain(t *testing.T) {
	tests := []struct {
		args   string
		code   int
		stdout string // a part of stdout; "" means empty
		stderr string // a part of stderr; "" means empty
	}{
		{"calc --latency 1s --capacity 1 --rate 1/s", 0, `throughput              1/s`, ""},
		{"calc -h", 0, "", "Usage: boxes calc"},
		{"calc --help", 0, "", "Flags:"},
		{"help", 0, "Commands:", ""},
		{"help calc", 0, "", "Usage: boxes calc"},
		{"", 2, "", "boxes: missing command"},
		{"frob", 2, "", "boxes: unknown command \"frob\"\nrun 'boxes -h' for the commands\n"},
		{"calc --rate x", 2, "", "boxes: calc: invalid value \"x\" for flag -rate: expected a number at \"x\"\nrun 'boxes calc -h' for usage\n"},
		{"calc --latency 0s --capacity 1 --rate 1/s", 2, "", "boxes: latency 0s must be positive\n"},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		code := runMain(context.Background(), strings.Fields(tt.args), strings.NewReader(""), &stdout, &stderr)
		if code != tt.code {
			t.Errorf("boxes %s: exit code %d, want %d", tt.args, code, tt.code)
		}
		if !contains(stdout.String(), tt.stdout) {
			t.Errorf("boxes %s: stdout %q, want %q", tt.args, stdout.String(), tt.stdout)
		}
		if !contains(stderr.String(), tt.stderr) {
			t.Errorf("boxes %s: stderr %q, want %q", tt.args, stderr.String(), tt.stderr)
		}
	}
}

// contains is strings.Contains, except that an empty want means s is empty.
func contains(s, want string) bool {
	if want == "" {
		return s == ""
	}
	return strings.Contains(s, want)
}

// TestOutputErrorExitsThree checks that a failed write is exit code 3: not
// bad input (2), not an objective missed (1).
func TestOutputErrorExitsThree(t *testing.T) {
	var stderr bytes.Buffer
	code := runMain(context.Background(), strings.Fields("calc --latency 1s --capacity 1 --rate 1/s"),
		strings.NewReader(""), failingWriter{}, &stderr)
	if code != 3 || !strings.Contains(stderr.String(), "disk full") {
		t.Errorf("exit code %d, stderr %q; want 3 and the write error", code, stderr.String())
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

// TestParseFlags checks the helper every subcommand uses: a bad flag prints
// nothing and returns a usage error with a hint; -h prints the usage.
func TestParseFlags(t *testing.T) {
	var out bytes.Buffer
	fs := newFlagSet("demo", "Usage: boxes demo\n", &out)
	n := fs.Int("n", 1, "a `count`")
	err := parseFlags(fs, []string{"-n", "x"})
	var h hintError
	if out.Len() != 0 || exitCode(err) != 2 || !errors.As(err, &h) || h.hint != "run 'boxes demo -h' for usage" {
		t.Errorf("bad flag: printed %q, error %v (exit %d)", out.String(), err, exitCode(err))
	}
	if !strings.HasPrefix(err.Error(), `demo: invalid value "x" for flag -n`) {
		t.Errorf("bad flag: error %q", err)
	}
	out.Reset()
	if err := parseFlags(fs, []string{"-h"}); !errors.Is(err, flag.ErrHelp) || exitCode(err) != 0 {
		t.Errorf("-h: error %v (exit %d), want flag.ErrHelp (exit 0)", err, exitCode(err))
	}
	if got := out.String(); !strings.HasPrefix(got, "Usage: boxes demo\n\nFlags:\n  -n count") {
		t.Errorf("-h printed %q", got)
	}
	out.Reset()
	if err := parseFlags(fs, []string{"-n", "3"}); err != nil || *n != 3 || out.Len() != 0 {
		t.Errorf("-n 3: %v, n = %d, printed %q", err, *n, out.String())
	}
}

// TestInterruptExits130 cancels a long run as Ctrl-C does: the command
// stops, exits 130 (not 2, "bad input") and leaves no output file.
func TestInterruptExits130(t *testing.T) {
	dir := t.TempDir()
	scen := filepath.Join(dir, "year.yaml")
	if err := os.WriteFile(scen, []byte("horizon: 365d\nworkload: {preset: daily}\npolicies:\n  - {name: hpa, hpa: {target: 0.7}}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "year.txt")
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	var stderr bytes.Buffer
	start := time.Now()
	code := runMain(ctx, []string{"simulate", scen, "--out", out}, strings.NewReader(""), io.Discard, &stderr)
	if code != exitInterrupted || !strings.Contains(stderr.String(), "interrupted") {
		t.Errorf("exit %d, stderr %q; want 130 and 'interrupted'", code, stderr.String())
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v to stop", d)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("files left beside the scenario: %v", entries)
	}
}

// TestInterruptWithin checks the second guard: a command that does not
// notice its cancelled context still ends within stopWithin of Ctrl-C, with
// exit code 130.
func TestInterruptWithin(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	var stderr bytes.Buffer
	start := time.Now()
	code := runInterruptible(func(ctx context.Context) int {
		syscall.Kill(os.Getpid(), syscall.SIGINT)
		<-release // ignores ctx, as a stage that forgot to check it would
		return 0
	}, &stderr)
	if d := time.Since(start); code != exitInterrupted || d > stopWithin+time.Second {
		t.Errorf("exit %d after %v; want 130 within %v", code, d, stopWithin)
	}
	if !strings.Contains(stderr.String(), "interrupted") {
		t.Errorf("stderr %q", stderr.String())
	}
}
