// Package flagset makes and parses a subcommand's flag set the way boxes's
// commands take their flags: before, between or after the arguments, as
// kubectl, gh and k6 take them, with -h printing a usage text above the
// flags.
package flagset

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// New makes a flag set for a subcommand whose -h prints the usage text
// (synopsis, description and examples) followed by the flags, on stderr.
// Parse it with Parse.
func New(name, usageText string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), strings.TrimLeft(usageText, "\n"))
		fmt.Fprintf(fs.Output(), "\nFlags:\n")
		fs.PrintDefaults()
	}
	return fs
}

// Parse parses args, with flags before, between or after the arguments
// ("boxes fit data.csv --format json"); "--" ends the flags, and everything
// after it is an argument. Both -flag and --flag, with "=value" or the
// value as the next word, are accepted. Afterwards fs.Args() holds the
// arguments in their order.
//
// With -h anywhere it prints the full usage and returns flag.ErrHelp. A bad
// flag prints nothing: Parse returns the flag package's error for the
// caller to report.
func Parse(fs *flag.FlagSet, args []string) error {
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
	if errors.Is(err, flag.ErrHelp) {
		fs.Usage()
	}
	return err
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
