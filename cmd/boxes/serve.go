package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

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

Each request is bounded: a body of --max-body bytes, a simulation of at
most --max-steps steps (horizon / step), --concurrent simulations at once.

Examples:
  boxes serve                        # http://127.0.0.1:8080
  boxes serve --addr 127.0.0.1:9000
`

func runServe(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("serve", serveUsage, stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "listen on `host:port` (loopback by default)")
	maxBody := fs.Int64("max-body", 4<<20, "largest request body, uploads included, in `bytes`")
	maxSteps := fs.Int64("max-steps", 7*86400, "the simulation budget: most `steps` (horizon / step) per request")
	concurrent := fs.Int("concurrent", 0, "simulations at once, the rest wait (0: twice the CPUs)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return badUsage(fs, "takes no arguments, got %q", fs.Arg(0))
	}
	if *maxBody <= 0 || *maxSteps <= 0 || *concurrent < 0 {
		return badUsage(fs, "--max-body and --max-steps must be positive and --concurrent not negative")
	}
	h, err := web.New(web.Options{MaxBody: *maxBody, MaxSteps: *maxSteps, Concurrent: *concurrent})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return usageError{err}
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
