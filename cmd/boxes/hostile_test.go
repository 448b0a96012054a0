package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestHostileCLIBounded runs issue 11's hostile inputs to the CLI that
// this branch bounds as child processes (this test binary, which runs main
// when called as "boxes"), and asserts the bounded outcome from outside:
// the exit code, the message, at most 2 s and 300 MB of peak resident
// memory (the child's rusage), and no file left in its directory.
func TestHostileCLIBounded(t *testing.T) {
	const (
		wall   = 2 * time.Second
		memory = 300 << 20
	)
	files := map[string]string{
		// F6: one box, an unbounded queue, 231/s for a week.
		"f6.yaml": "horizon: 168h\nengine: events\njobs: {queue: unbounded}\nworkload: {constant: 231/s}\npolicies: [{fixed: {capacity: 1}}]\n",
		// Absurd work: 1e13 jobs.
		"absurd.yaml": "horizon: 24h\nengine: events\nreplications: 10000\nworkload: {constant: 11574/s}\npolicies: [{fixed: {capacity: 3000}}]\n",
		"small.yaml":  "horizon: 1h\nworkload: {constant: 10/s}\npolicies: [{fixed: {capacity: 3}}]\n",
		// F1's kind on the serverless platform: a year of keep-alive at
		// 1 ms steps is a warm pool of 31.5 billion slots.
		"keep.yaml": "horizon: 10m\nstep: 1ms\nworkload: {constant: 10/s}\npolicies: [{serverless: {keep_alive: 8760h}}]\n",
	}
	for _, tt := range []struct {
		name string
		args string
		code int
		msg  string
	}{
		{"F6 unbounded queue", "simulate --out out.json f6.yaml", 2, "over the memory budget"},
		{"absurd work", "simulate --html out.html absurd.yaml", 2, "over the work budget"},
		{"serverless keep-alive", "simulate keep.yaml", 2, "over the memory budget"},
		{"workers -1", "simulate --workers -1 small.yaml", 2, "--workers -1 must not be negative"},
		{"out and html one file", "simulate --out x --html ./x small.yaml", 2, "name the same file"},
		{"serve on every interface", "serve --addr :0", 2, "--allow-remote"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, text := range files {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			code, stderr, took, rss := runChild(t, dir, strings.Fields(tt.args), 0)
			if code != tt.code || !strings.Contains(stderr, tt.msg) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, tt.code, tt.msg)
			}
			if took > wall || rss > memory {
				t.Errorf("took %v and %d MiB resident, want at most %v and %d MiB", took, rss>>20, wall, memory>>20)
			}
			t.Logf("exit %d in %v, %d MiB resident", code, took.Round(time.Millisecond), rss>>20)
			leftOver(t, dir, files)
		})
	}
}

// TestHostileInterrupt: SIGINT while a big report is simulated or rendered
// (issue 11 F10: a 980 MB HTML was once written after Ctrl-C) exits 130
// within a second of the signal and leaves no file, whole or partial.
func TestHostileInterrupt(t *testing.T) {
	dir := t.TempDir()
	// A day at 0.1 s steps drawn at 100,000 points a series: seconds of
	// rendering, hundreds of MB of HTML.
	files := map[string]string{"big.yaml": "horizon: 24h\nstep: 100ms\npoints: 100000\nworkload: {preset: daily}\npolicies: [{fixed: {capacity: 30}}, {hpa: {}}, {serverless: {}}]\n"}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, after := range []time.Duration{300 * time.Millisecond, 1500 * time.Millisecond} {
		code, stderr, took, _ := runChild(t, dir, []string{"simulate", "--workers", "1", "--html", "big.html", "--out", "big.json", "--format", "json", "--series", "big.yaml"}, after)
		if code != 130 {
			t.Errorf("SIGINT after %v: exit %d, want 130: %s", after, code, stderr)
		}
		if took > after+time.Second {
			t.Errorf("SIGINT after %v: stopped after %v, more than a second later", after, took)
		}
		t.Logf("SIGINT after %v: exit %d after %v", after, code, took.Round(time.Millisecond))
		leftOver(t, dir, files)
	}
}

// runChild runs boxes args in dir as a child process; with interrupt > 0
// it sends SIGINT that long after the start. It returns the exit code,
// stderr, the time taken and the peak resident memory in bytes.
func runChild(t *testing.T, dir string, args []string, interrupt time.Duration) (int, string, time.Duration, int64) {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd := &exec.Cmd{Path: exe, Args: append([]string{"boxes"}, args...), Dir: dir, Stderr: &stderr}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if interrupt > 0 {
		timer := time.AfterFunc(interrupt, func() { cmd.Process.Signal(os.Interrupt) })
		defer timer.Stop()
	}
	kill := time.AfterFunc(30*time.Second, func() { cmd.Process.Kill() })
	defer kill.Stop()
	cmd.Wait()
	took := time.Since(start)
	code := cmd.ProcessState.ExitCode()
	var rss int64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss = int64(ru.Maxrss) << 10 // kilobytes on Linux
	}
	return code, stderr.String(), took, rss
}

// leftOver fails if dir holds anything but the inputs.
func leftOver(t *testing.T, dir string, inputs map[string]string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if _, ok := inputs[e.Name()]; !ok {
			t.Errorf("left behind: %s", e.Name())
			os.RemoveAll(filepath.Join(dir, e.Name()))
		}
	}
}
