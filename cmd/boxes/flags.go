package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// newFlagSet makes a flag set for a subcommand whose -h prints the usage
// text (synopsis, description and examples) followed by the flags, on
// stderr. Parse it with parseFlags.
func newFlagSet(name, usageText string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), strings.TrimLeft(usageText, "\n"))
		fmt.Fprintf(fs.Output(), "\nFlags:\n")
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args, with flags before, between or after the
// arguments, as kubectl, gh and k6 take them ("boxes fit data.csv --format
// json"); "--" ends the flags, and everything after it is an argument. Both
// -flag and --flag, with "=value" or the value as the next word, are
// accepted. Afterwards fs.Args() holds the arguments in their order.
//
// With -h anywhere it prints the full usage and returns flag.ErrHelp (exit
// code 0). A bad flag prints nothing here: it returns a usage error (exit
// code 2) that names the command, the flag and the input, and that main
// prints with one line of hint, "run 'boxes NAME -h' for usage", instead of
// the whole usage text.
func parseFlags(fs *flag.FlagSet, args []string) error {
	// The flag package prints an error and the whole usage itself: silence
	// it while parsing.
	out, usage := fs.Output(), fs.Usage
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	positional, err := parseInterspersed(fs, args)
	if err == nil {
		// Leave the arguments where the subcommand reads them: fs.Args().
		err = fs.Parse(append([]string{"--"}, positional...))
	}
	fs.SetOutput(out)
	fs.Usage = usage
	switch {
	case err == nil:
		return nil
	case errors.Is(err, flag.ErrHelp):
		fs.Usage()
		return flag.ErrHelp
	}
	return badUsage(fs, "%v", err)
}

// parseInterspersed parses the flags among args and returns the other
// arguments in their order. The flag package stops at the first argument
// that is not a flag; this resumes after it, until the words run out or a
// "--" says that the rest are arguments.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return positional, nil
		}
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			return append(positional, rest...), nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
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
