package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe to write from the server's goroutine
// while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// TestServe starts boxes serve on a free loopback port, loads the page and
// one simulation, and stops it by cancelling the context, as Ctrl-C does.
func TestServe(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var stderr syncBuffer
	done := make(chan error, 1)
	go func() { done <- runServe(ctx, []string{"--addr", "127.0.0.1:0"}, nil, io.Discard, &stderr) }()
	re := regexp.MustCompile(`http://(127\.0\.0\.1:\d+)/`)
	var addr string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if m := re.FindStringSubmatch(stderr.String()); m != nil {
			addr = m[1]
			break
		}
	}
	if addr == "" {
		cancel()
		t.Fatalf("serve did not say where it listens: %q", stderr.String())
	}
	resp, err := http.Get("http://" + addr + "/")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(page), "the explorer") {
		t.Errorf("GET /: %d", resp.StatusCode)
	}
	resp, err = http.Post("http://"+addr+"/api/simulate", "application/json", strings.NewReader(`{"horizon": "1h", "workload": {"preset": "flat"}, "policies": [{"serverless": {}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("POST /api/simulate: %d", resp.StatusCode)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve returned %v after Ctrl-C, want nil", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop")
	}
}

// TestServeUsage: bad flags and an address in use exit 2.
func TestServeUsage(t *testing.T) {
	for _, tt := range []struct {
		args string
		want string
	}{
		{"serve --max-steps 0", "serve: --max-body and --max-steps must be positive"},
		{"serve extra", `serve: takes no arguments, got "extra"`},
		{"serve --addr nowhere", "nowhere"},
		// Issue 11 F13: every interface, or any address beyond loopback,
		// needs --allow-remote.
		{"serve --addr :0", "listens beyond this machine"},
		{"serve --addr 0.0.0.0:0", "--allow-remote"},
		{"serve --concurrent -1", "--concurrent and --queue not negative"},
		{"serve --max-memory 0MB", "--max-memory, --max-work and --timeout must be positive"},
		{"serve --timeout 0s", "--timeout must be positive"},
	} {
		var stderr bytes.Buffer
		code := runMain(context.Background(), strings.Fields(tt.args), nil, io.Discard, &stderr)
		if code != 2 || !strings.Contains(stderr.String(), tt.want) {
			t.Errorf("%s: exit %d, stderr %q; want 2 and %q", tt.args, code, stderr.String(), tt.want)
		}
	}
}

// TestServeRemote: with --allow-remote, a bind beyond loopback serves with a
// loud warning, and still refuses a request for another host name.
func TestServeRemote(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var stderr syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- runServe(ctx, []string{"--addr", "0.0.0.0:0", "--allow-remote"}, nil, io.Discard, &stderr)
	}()
	re := regexp.MustCompile(`http://.*:(\d+)/`)
	var port string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if m := re.FindStringSubmatch(stderr.String()); m != nil {
			port = m[1]
			break
		}
	}
	if port == "" {
		cancel()
		t.Fatalf("serve did not say where it listens: %q", stderr.String())
	}
	if !strings.Contains(stderr.String(), "WARNING: listening on") {
		t.Errorf("no warning: %q", stderr.String())
	}
	req, _ := http.NewRequest("GET", "http://127.0.0.1:"+port+"/api/schema", nil)
	req.Host = "evil.example:" + port
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("Host evil.example: %d, want 403", resp.StatusCode)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("serve: %v", err)
	}
}
