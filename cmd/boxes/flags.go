package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/boxes-project/boxes"
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

// parseFlags parses args. With -h it prints the full usage and returns
// flag.ErrHelp (exit code 0). A bad flag prints nothing here: it returns a
// usage error (exit code 2) that names the command, the flag and the input,
// and that main prints with one line of hint, "run 'boxes NAME -h' for
// usage", instead of the whole usage text.
func parseFlags(fs *flag.FlagSet, args []string) error {
	// The flag package prints an error and the whole usage itself: silence
	// it while parsing.
	out, usage := fs.Output(), fs.Usage
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	err := fs.Parse(flagsFirst(fs, args))
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

// flagsFirst moves the flags of args (with their values) before the other
// arguments, so that flags may come before, between or after them, as
// kubectl and gh take them: `boxes simulate r.json --format json`. "--" ends
// the flags; "-" is an argument (standard input).
func flagsFirst(fs *flag.FlagSet, args []string) []string {
	var flags, rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			rest = append(rest, args[i+1:]...)
			i = len(args)
		case len(a) > 1 && a[0] == '-':
			flags = append(flags, a)
			name := strings.TrimLeft(a, "-")
			if strings.Contains(name, "=") {
				continue
			}
			f := fs.Lookup(name)
			if f == nil {
				continue // Parse reports it
			}
			if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
				continue // a bool takes no value
			}
			if i+1 < len(args) {
				flags = append(flags, args[i+1])
				i++
			}
		default:
			rest = append(rest, a)
		}
	}
	return append(append(flags, "--"), rest...)
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

// valueError is what a flag's Set returns for text that did not parse: the
// parser's reason alone, since the flag package already names the flag and
// quotes the input ("invalid value "x" for flag -rate: ...").
func valueError(err error) error {
	var pe *boxes.ParseError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// durationFlag is a flag holding a boxes.ParseDuration value.
type durationFlag struct {
	d   time.Duration
	set bool
}

func (f *durationFlag) String() string {
	if f == nil || !f.set {
		return ""
	}
	return f.d.String()
}

func (f *durationFlag) Set(s string) error {
	d, err := boxes.ParseDuration(s)
	if err != nil {
		return valueError(err)
	}
	f.d, f.set = d, true
	return nil
}

// rateFlag is a flag holding a boxes.ParseRate value.
type rateFlag struct {
	r   boxes.Rate
	set bool
}

func (f *rateFlag) String() string {
	if f == nil || !f.set {
		return ""
	}
	return f.r.String()
}

func (f *rateFlag) Set(s string) error {
	r, err := boxes.ParseRate(s)
	if err != nil {
		return valueError(err)
	}
	f.r, f.set = r, true
	return nil
}

// priceFlag is a flag holding a boxes.ParsePrice value; a value set before
// parsing is its default, shown by -h.
type priceFlag struct {
	p   boxes.Price
	set bool
}

func (f *priceFlag) String() string {
	if f == nil || f.p == (boxes.Price{}) && !f.set {
		return ""
	}
	return f.p.String()
}

func (f *priceFlag) Set(s string) error {
	p, err := boxes.ParsePrice(s)
	if err != nil {
		return valueError(err)
	}
	f.p, f.set = p, true
	return nil
}

// choiceFlag is a value chosen from a fixed list, like an output format;
// the first is the default.
type choiceFlag struct {
	value   string
	allowed []string
	what    string // what the value is, for errors ("format")
}

func newChoiceFlag(allowed ...string) *choiceFlag {
	return &choiceFlag{value: allowed[0], allowed: allowed, what: "value"}
}

// newFormatFlag is a choiceFlag of output formats.
func newFormatFlag(allowed ...string) *choiceFlag {
	return &choiceFlag{value: allowed[0], allowed: allowed, what: "format"}
}

func (f *choiceFlag) String() string {
	if f == nil {
		return ""
	}
	return f.value
}

func (f *choiceFlag) Set(s string) error {
	for _, a := range f.allowed {
		if s == a {
			f.value = s
			return nil
		}
	}
	return fmt.Errorf("unknown %s %q (want %s)", f.what, s, strings.Join(f.allowed, ", "))
}

// writeFileAtomic writes a file whole or not at all: the bytes go to a
// temporary file in the same directory, which is renamed over name only once
// everything is written. A failed run leaves no half-written file behind.
func writeFileAtomic(name string, write func(io.Writer) error) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".tmp*")
	if err != nil {
		return outputError{err}
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := write(tmp); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return outputError{err}
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return outputError{err}
	}
	if err := os.Rename(tmp.Name(), name); err != nil {
		return outputError{err}
	}
	return nil
}

// optionalInt is an integer flag that remembers whether it was given.
type optionalInt struct {
	v   int
	set bool
}

func (f *optionalInt) String() string {
	if f == nil || !f.set {
		return ""
	}
	return strconv.Itoa(f.v)
}

func (f *optionalInt) Set(s string) error {
	v, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return fmt.Errorf("%q is not a whole number", s)
	}
	f.v, f.set = v, true
	return nil
}

// optionalFloat is a finite number flag that remembers whether it was given.
type optionalFloat struct {
	v   float64
	set bool
}

func (f *optionalFloat) String() string {
	if f == nil || !f.set {
		return ""
	}
	return strconv.FormatFloat(f.v, 'g', -1, 64)
}

func (f *optionalFloat) Set(s string) error {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return fmt.Errorf("%q is not a finite number", s)
	}
	f.v, f.set = v, true
	return nil
}

// memoryFlag is a memory size in GB (boxes.ParseMemory).
type memoryFlag struct{ gb float64 }

func (f *memoryFlag) String() string {
	if f == nil || f.gb == 0 {
		return ""
	}
	return strconv.FormatFloat(f.gb*1024, 'g', -1, 64) + "MB"
}

func (f *memoryFlag) Set(s string) error {
	gb, err := boxes.ParseMemory(s)
	if err != nil {
		return valueError(err)
	}
	f.gb = gb
	return nil
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
