// Command boxes plans capacity with the boxes-and-jobs model: what each way
// of scaling costs, how many jobs it misses, and whether a change was
// performance or scalability.
//
// Each subcommand lives in its own file with its usage text. This file holds
// the dispatch table and maps errors to exit codes: 0 success, 2 bad input or
// usage, 1 anything else (an output that could not be written).
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
	{"calc", "the first seed's equations: throughput, utilization, capacity and cost", runCalc},
	{"plan", "queueing theory: the fewest boxes for a miss, wait or utilization target", runPlan},
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "boxes:", strings.TrimPrefix(err.Error(), "boxes: "))
		}
		os.Exit(exitCode(err))
	}
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		if len(args) > 1 {
			return run(ctx, []string{args[1], "-h"}, stdin, stdout, stderr)
		}
		usage(stdout)
		if len(args) == 0 {
			return usageError{fmt.Errorf("missing command")}
		}
		return nil
	}
	for _, c := range commands {
		if c.name == args[0] {
			return c.run(ctx, args[1:], stdin, stdout, stderr)
		}
	}
	usage(stderr)
	return usageError{fmt.Errorf("unknown command %q", args[0])}
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

// exitCode maps an error to the process's exit status. Everything that is
// not a failure to write output is the input's fault: exit code 2.
func exitCode(err error) int {
	var out outputError
	if errors.As(err, &out) {
		return 1
	}
	return 2
}
