package loadtest

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/boxes-project/boxes/usl"
)

// CountError is a list of concurrencies, one for each one-run file, whose
// length is not the number of files.
type CountError struct{ Values, Files int }

func (e *CountError) Error() string {
	return fmt.Sprintf("loadtest: %d concurrencies for %d files", e.Values, e.Files)
}

// ReadArgs reads the measurement files named by args (a directory stands
// for its files, "-" for stdin) into one set of measurements, with what
// was read from each. concurrency, when given, is each file's concurrency
// in the order read (Options.Concurrency), one for each file.
func ReadArgs(args []string, stdin io.Reader, opt Options, concurrency []float64) (*usl.Measurements, []*Source, error) {
	var files []string
	for _, a := range args {
		if a == "-" {
			files = append(files, a)
			continue
		}
		fs, err := Files([]string{a})
		if err != nil {
			return nil, nil, err
		}
		files = append(files, fs...)
	}
	if n := len(concurrency); n > 0 && n != len(files) {
		return nil, nil, &CountError{Values: n, Files: len(files)}
	}
	var sources []*Source
	for i, f := range files {
		o := opt
		if len(concurrency) > 0 {
			o.Concurrency = concurrency[i]
		}
		var s *Source
		var err error
		if f == "-" {
			s, err = Read(stdin, "standard input", o)
		} else {
			s, err = ReadFile(f, o)
		}
		if err != nil {
			return nil, nil, err
		}
		sources = append(sources, s)
	}
	name := strings.Join(args, ", ")
	if len(args) == 1 && args[0] == "-" {
		name = "standard input"
	}
	if len(files) > 3 && len(args) > 3 {
		name = fmt.Sprintf("%s … %s (%d files)", args[0], filepath.Base(args[len(args)-1]), len(files))
	}
	return Measurements(name, sources), sources, nil
}
