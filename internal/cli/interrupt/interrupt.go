// Package interrupt runs a command so that Ctrl-C (or SIGTERM) cancels it,
// and does not wait on a command that does not notice.
package interrupt

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// Run runs main with a context that Ctrl-C (or SIGTERM) cancels, and
// returns its exit code; if main has not returned within `within` of the
// signal, or a second signal comes, it says "boxes: interrupted" on stderr
// and returns code itself.
func Run(main func(ctx context.Context) int, stderr io.Writer, within time.Duration, code int) int {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sig := make(chan os.Signal, 2)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sig)
	done := make(chan int, 1)
	go func() { done <- main(ctx) }()
	select {
	case code := <-done:
		return code
	case <-sig:
	}
	cancel()
	select {
	case code := <-done:
		return code
	case <-sig:
	case <-time.After(within):
	}
	fmt.Fprintln(stderr, "boxes: interrupted")
	return code
}
