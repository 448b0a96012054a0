package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/boxes-project/boxes/internal/cli/flagset"
)

// newFlagSet makes a flag set for a subcommand whose -h prints the usage
// text (flagset.New). Parse it with parseFlags.
func newFlagSet(name, usageText string, stderr io.Writer) *flag.FlagSet {
	return flagset.New(name, usageText, stderr)
}

// parseFlags parses args with flags anywhere among them (flagset.Parse).
// With -h anywhere it prints the full usage and returns flag.ErrHelp (exit
// code 0). A bad flag prints nothing here: it returns a usage error (exit
// code 2) that names the command, the flag and the input, and that main
// prints with one line of hint, "run 'boxes NAME -h' for usage", instead of
// the whole usage text.
func parseFlags(fs *flag.FlagSet, args []string) error {
	err := flagset.Parse(fs, args)
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return err
	}
	return badUsage(fs, "%v", err)
}

// badUsage is a usage error of the subcommand fs, shown with the hint to
// run it with -h: for arguments that the flags accept but the command does
// not ("calc needs --latency").
func badUsage(fs *flag.FlagSet, format string, args ...any) error {
	return usageError{hintError{
		err:  fmt.Errorf("%s: %s", fs.Name(), fmt.Sprintf(format, args...)),
		hint: fmt.Sprintf("run 'boxes %s -h' for usage", fs.Name()),
	}}
}

// errorf is fmt.Errorf for the command's own messages.
func errorf(format string, args ...any) error { return fmt.Errorf(format, args...) }

// writeOutput renders into memory first and writes to w only when the whole
// output is ready, so a failure half-way prints nothing.
func writeOutput(w io.Writer, render func(io.Writer) error) error {
	var buf bytes.Buffer
	if err := render(&buf); err != nil {
		return err
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return outputError{err}
	}
	return nil
}
