// Command boxes plans capacity with the boxes-and-jobs model: what each way
// of scaling costs, how many jobs it misses, and whether a change was
// performance or scalability.
//
// Each subcommand lives in its own file with its usage text. This file holds
// the dispatch table and maps errors to exit codes: 0 success (and -h), 1 an
// objective or target not met, 2 bad input or usage, 3 an output that could
// not be written, 130 interrupted by Ctrl-C.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/boxes-project/boxes/internal/cli/interrupt"
)

// A command is one subcommand: run gets the arguments after its name.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error
}

// commands is the dispatch table, in the order the usage text lists them.
var commands = []command{
	{"simulate", "run a scenario: what each way of scaling costs and misses, against the oracle", runSimulate},
	{"sweep", "the cheapest configuration meeting the objective: run a scenario over a grid of settings, sharded if need be", runSweep},
	{"merge", "put the parts of a sharded sweep back together", runMerge},
	{"calc", "the equations of “Scalability is not performance”: throughput, utilization, capacity and cost", runCalc},
	{"plan", "queueing theory: the fewest boxes for a miss, wait or utilization target", runPlan},
	{"fit", "fit the Universal Scalability Law to load-test measurements", runFit},
	{"compare", "was it performance or scalability? split a change in throughput", runCompare},
	{"measure", "load a live system at rising concurrency and fit the Universal Scalability Law", runMeasure},
	{"report", "the HTML report (and charts) of a result saved as JSON", runReport},
	{"serve", "the explorer: a web page to try workloads, policies and measurements", runServe},
}

func main() {
	os.Exit(runInterruptible(func(ctx context.Context) int {
		return runMain(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	}, os.Stderr))
}

// stopWithin is how long a command has to wind down after Ctrl-C before the
// process exits without it. Outputs are written whole or not at all
// (writeFileAtomic), so leaving early loses nothing half-made.
const stopWithin = time.Second

// runInterruptible runs main with a context that Ctrl-C (or SIGTERM)
// cancels, and returns its exit code; if main has not returned within
// stopWithin of the signal, or a second signal comes, it returns 130 itself.
func runInterruptible(main func(ctx context.Context) int, stderr io.Writer) int {
	return interrupt.Run(main, stderr, stopWithin, exitInterrupted)
}

// runMain runs the command line args, reports an error on stderr as
// "boxes: message" (with a hint on the next line for a usage mistake), and
// returns the exit code.
func runMain(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	err := run(ctx, args, stdin, stdout, stderr)
	if err != nil && ctx.Err() != nil {
		// Whatever a command was doing when Ctrl-C came (a run, a render,
		// a write), its error is the interruption, not bad input.
		err = errInterrupted
	}
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return 0
	}
	fmt.Fprintln(stderr, "boxes:", strings.TrimPrefix(err.Error(), "boxes: "))
	var h hintError
	if errors.As(err, &h) {
		fmt.Fprintln(stderr, h.hint)
	}
	return exitCode(err)
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		usage(stderr)
		return usageError{errors.New("missing command")}
	}
	if args[0] == "-h" || args[0] == "-help" || args[0] == "--help" || args[0] == "help" {
		if len(args) > 1 {
			return run(ctx, []string{args[1], "-h"}, stdin, stdout, stderr)
		}
		usage(stdout)
		return nil
	}
	for _, c := range commands {
		if c.name == args[0] {
			return c.run(ctx, args[1:], stdin, stdout, stderr)
		}
	}
	return usageError{hintError{fmt.Errorf("unknown command %q", args[0]), "run 'boxes -h' for the commands"}}
}

func usage(w io.Writer) {
	fmt.Fprintf(w, "boxes: capacity planning with the boxes-and-jobs model\n\nUsage: boxes <command> [flags] [args]\n\nCommands:\n")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, "\nRun 'boxes <command> -h' for a command's flags and examples. Flags go\nanywhere, before or after the arguments.\n")
	fmt.Fprintf(w, "\nExit codes: 0 done, 1 objective or target not met, 2 bad input,\n3 output not written, 130 interrupted.\n")
}

// usageError marks bad arguments or input: exit code 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// outputError marks an output that could not be written: exit code 3.
type outputError struct{ err error }

func (e outputError) Error() string { return e.err.Error() }
func (e outputError) Unwrap() error { return e.err }

// unmetError marks a run that worked but whose objective was not met (a
// plan whose target no fleet within the limits meets): exit code 1. The
// output is written in full before it is returned.
type unmetError struct{ err error }

func (e unmetError) Error() string { return e.err.Error() }
func (e unmetError) Unwrap() error { return e.err }

// hintError is a usage mistake with a line that tells where to read more,
// like "run 'boxes calc -h' for usage"; main prints it under the error.
type hintError struct {
	err  error
	hint string
}

func (e hintError) Error() string { return e.err.Error() }
func (e hintError) Unwrap() error { return e.err }

// The exit codes, the same for every command.
const (
	exitOK          = 0   // done, and the objective (if any) is met; also -h
	exitUnmet       = 1   // done, but the objective or target is not met
	exitBadInput    = 2   // bad arguments or input: nothing was run or written
	exitOutput      = 3   // an output could not be written
	exitInterrupted = 130 // stopped by Ctrl-C (128 + SIGINT), nothing partial left
)

// exitCode maps an error to the process's exit status.
func exitCode(err error) int {
	var out outputError
	var unmet unmetError
	switch {
	case err == nil || errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.Is(err, errInterrupted):
		return exitInterrupted
	case errors.As(err, &unmet):
		return exitUnmet
	case errors.As(err, &out):
		return exitOutput
	}
	return exitBadInput
}

// errInterrupted is what a command's run returns, whatever it was doing,
// once Ctrl-C cancelled its context.
var errInterrupted = errors.New("interrupted")
