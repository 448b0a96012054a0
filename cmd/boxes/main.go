// Command boxes plans capacity with the boxes-and-jobs model: what each way
// of scaling costs, how many jobs it misses, and whether a change was
// performance or scalability.
//
// Each subcommand lives in its own file with its usage text. This file holds
// the dispatch table and maps errors to exit codes: 0 success (and -h), 2 bad
// input or usage, 1 an output that could not be written.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
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
	{"calc", "the first seed's equations: throughput, utilization, capacity and cost", runCalc},
	{"plan", "queueing theory: the fewest boxes for a miss, wait or utilization target", runPlan},
	{"fit", "fit the Universal Scalability Law to load-test measurements", runFit},
	{"compare", "was it performance or scalability? split a change in throughput", runCompare},
	{"measure", "load a live system at rising concurrency and fit the Universal Scalability Law", runMeasure},
	{"report", "the HTML report (and charts) of a result saved as JSON", runReport},
	{"serve", "the explorer: a web page to try workloads, policies and measurements", runServe},
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := runMain(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// runMain runs the command line args, reports an error on stderr as
// "boxes: message" (with a hint on the next line for a usage mistake), and
// returns the exit code.
func runMain(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	err := run(ctx, args, stdin, stdout, stderr)
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
	fmt.Fprintf(w, "\nRun 'boxes <command> -h' for a command's flags and examples.\n")
}

// usageError marks bad arguments or input: exit code 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// outputError marks an output that could not be written: exit code 1.
type outputError struct{ err error }

func (e outputError) Error() string { return e.err.Error() }
func (e outputError) Unwrap() error { return e.err }

// hintError is a usage mistake with a line that tells where to read more,
// like "run 'boxes calc -h' for usage"; main prints it under the error.
type hintError struct {
	err  error
	hint string
}

func (e hintError) Error() string { return e.err.Error() }
func (e hintError) Unwrap() error { return e.err }

// exitCode maps an error to the process's exit status: 0 for none or a
// request for help, 1 for an output that could not be written, and 2 for
// everything else, which is the input's fault.
func exitCode(err error) int {
	var out outputError
	switch {
	case err == nil || errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &out):
		return 1
	case errors.Is(err, errInterrupted): // boxes measure stopped by Ctrl-C, its levels kept
		return 130
	}
	return 2
}
