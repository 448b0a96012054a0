package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"time"

	"github.com/boxes-project/boxes/internal/cli/flagvalue"
	"github.com/boxes-project/boxes/web"
)

const serveUsage = `
Usage: boxes serve [flags]

Serves the explorer, a web page to try the model: pick a workload preset
or upload a trace CSV, set the box's latency, price and boot time and a
policy's knobs, and the table, a paragraph on what happened and the charts
follow each change (the server simulates each one). A second view splits a
change between two measurements, points or load-test CSVs, into
performance and scalability, with the two graphs of “The Difference Between Scalability and Performance”.

Everything is embedded in the binary; the page fetches nothing from
elsewhere and works with no network. It listens on the loopback address
unless told otherwise: the explorer has no login.

Each request is bounded, and each bound is a flag: a body of --max-body
bytes, a comparison's CSV of --max-trace; a run of at most --max-steps
steps (horizon / step), --max-jobs jobs on the per-job engine, --max-boxes
boxes, --max-points points per series, and --max-memory and --max-work as
the run's cost is estimated before it starts (queued jobs, policy history,
series); --timeout for the run. A sweep (POST /api/sweep) is one request of
at most --max-configurations configurations, their work added up within
--max-work.
A request over a bound is refused with a message that names its flag.
--concurrent simulations run at once and --queue more wait; past that, or
when the wait would exceed --timeout, a request is shed with 503 and
Retry-After.

The explorer answers only its own page: requests whose Host is not
localhost, an IP address or a --host name, and API requests from another
Origin, are refused (403), so that no other site can use it. Listening on
anything but a loopback address needs --allow-remote: anyone who can reach
the port can then use the explorer.

Examples:
  boxes serve                        # http://127.0.0.1:8080
  boxes serve --addr 127.0.0.1:9000
  boxes serve --max-memory 1GB --max-work 500e6 --timeout 2m
  boxes serve --addr :8080 --allow-remote --host myhost.lan
`

func runServe(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("serve", serveUsage, stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "listen on `host:port` (loopback by default)")
	allowRemote := fs.Bool("allow-remote", false, "allow --addr to listen on an address other than loopback (the explorer has no login)")
	var hosts flagvalue.List
	fs.Var(&hosts, "host", "also answer requests for this host `name` (repeatable); localhost and IP addresses always")
	maxBody := fs.Int64("max-body", 4<<20, "largest request body, uploads included, in `bytes`")
	maxTrace := fs.Int("max-trace", 2<<20, "largest measurement CSV of one side of a comparison, in `bytes` (a trace in a scenario is bounded by --max-body)")
	maxSteps := fs.Int64("max-steps", 7*86400, "the simulation budget: most `steps` (horizon / step) per request")
	maxJobs := fs.Int64("max-jobs", 20_000_000, "most `jobs` the per-job engine draws per request")
	maxBoxes := fs.Int("max-boxes", 100_000, "most `boxes` a request's policies may run")
	maxPoints := fs.Int("max-points", 2000, "most `points` per time series, and measurements per side of a comparison")
	maxMemory := &flagvalue.Memory{GB: 192.0 / 1024}
	fs.Var(maxMemory, "max-memory", "most `memory` one request's run may hold, as estimated before it starts (192MB; 1GB)")
	maxWork := fs.Float64("max-work", 60e6, "most work `units` per request: a step of each run plus a job of the per-job engine; 20 million are about a second")
	maxConfigurations := fs.Int("max-configurations", 1000, "most `configurations` of one sweep in the explorer (their work together within --max-work)")
	concurrent := fs.Int("concurrent", 0, "simulations at once, the rest wait (0: twice the CPUs, at most 8)")
	queue := fs.Int("queue", 0, "requests that may wait for a simulation; more are shed with 503 (0: 4 × --concurrent)")
	timeout := &flagvalue.Duration{D: 20 * time.Second, Given: true}
	fs.Var(timeout, "timeout", "longest `duration` of a simulation or comparison, and of the wait for one")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return badUsage(fs, "takes no arguments, got %q", fs.Arg(0))
	}
	if *maxBody <= 0 || *maxSteps <= 0 || *maxTrace <= 0 || *maxJobs <= 0 || *maxBoxes <= 0 || *maxPoints <= 0 || *maxConfigurations <= 0 || *concurrent < 0 || *queue < 0 {
		return badUsage(fs, "--max-body and --max-steps must be positive (as every --max-*), and --concurrent and --queue not negative")
	}
	if !(maxMemory.GB > 0) || !(*maxWork > 0) || math.IsInf(*maxWork, 0) || timeout.D <= 0 {
		return badUsage(fs, "--max-memory, --max-work and --timeout must be positive")
	}
	opt := web.Options{MaxBody: *maxBody, MaxTrace: *maxTrace, MaxSteps: *maxSteps, MaxJobs: *maxJobs, MaxBoxes: *maxBoxes, MaxPoints: *maxPoints, MaxConfigurations: *maxConfigurations,
		MaxMemory: int64(min(maxMemory.GB*(1<<30), math.MaxInt64/2)), MaxWork: *maxWork,
		Concurrent: *concurrent, Queue: *queue, Timeout: timeout.D, Hosts: hosts}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return usageError{err}
	}
	if ta, ok := ln.Addr().(*net.TCPAddr); ok && !ta.IP.IsLoopback() {
		if !*allowRemote {
			ln.Close()
			return usageError{hintError{errorf("serve: --addr %s listens beyond this machine (%s), and the explorer has no login", *addr, ln.Addr()),
				"give a loopback address (127.0.0.1:PORT), or add --allow-remote to let anyone who reaches the port use it"}}
		}
		fmt.Fprintf(stderr, "boxes: WARNING: listening on %s, beyond this machine: anyone who can reach this port can run simulations (there is no login)\n", ln.Addr())
	}
	opt.Addr = ln.Addr().String()
	h, err := web.New(opt)
	if err != nil {
		ln.Close()
		return err
	}
	srv := web.NewServer(ln.Addr().String(), h)
	fmt.Fprintf(stderr, "boxes: the explorer is at http://%s/ (Ctrl-C stops it)\n", ln.Addr())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return outputError{err}
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return outputError{err}
	}
	if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return outputError{err}
	}
	return nil
}
