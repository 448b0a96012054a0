package main

import (
	"bytes"
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
// text (synopsis, description and examples) followed by the flags.
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

// parseFlags parses args and wraps a bad flag as a usage error (exit 2).
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return err
		}
		return usageError{err}
	}
	return nil
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
		return err
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
	return fmt.Sprintf("%g/s", float64(f.r))
}

func (f *rateFlag) Set(s string) error {
	r, err := boxes.ParseRate(s)
	if err != nil {
		return err
	}
	f.r, f.set = r, true
	return nil
}

// priceFlag is a flag holding a boxes.ParsePrice value.
type priceFlag struct {
	p   boxes.Price
	set bool
}

func (f *priceFlag) String() string {
	if f == nil || !f.set {
		return ""
	}
	return f.p.String()
}

func (f *priceFlag) Set(s string) error {
	p, err := boxes.ParsePrice(s)
	if err != nil {
		return err
	}
	f.p, f.set = p, true
	return nil
}

// formatFlag is an output format chosen from a fixed list.
type formatFlag struct {
	value   string
	allowed []string
}

func newFormatFlag(allowed ...string) *formatFlag {
	return &formatFlag{value: allowed[0], allowed: allowed}
}

func (f *formatFlag) String() string {
	if f == nil {
		return ""
	}
	return f.value
}

func (f *formatFlag) Set(s string) error {
	for _, a := range f.allowed {
		if s == a {
			f.value = s
			return nil
		}
	}
	return fmt.Errorf("unknown format %q (want %s)", s, strings.Join(f.allowed, ", "))
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
	if f == nil {
		return ""
	}
	return strconv.FormatFloat(f.gb*1024, 'g', -1, 64) + "MB"
}

func (f *memoryFlag) Set(s string) error {
	gb, err := boxes.ParseMemory(s)
	if err != nil {
		return err
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
