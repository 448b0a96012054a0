package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/boxes-project/boxes/loadtest"
	"github.com/boxes-project/boxes/usl"
)

// inputFlags are how fit and compare read load-test files.
type inputFlags struct {
	format      string
	concurrency concurrencyList
	columns     map[usl.Quantity]string
}

func (in *inputFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&in.format, "input-format", "", "the files' format, one of "+strings.Join(loadtest.Names(), ", ")+" (default: detected from the content)")
	fs.Var(&in.concurrency, "concurrency", "the concurrency of each one-run file (ab, hey, vegeta), in the order read (`list`, like 1,2,4,8)")
	fs.Func("column", "the generic CSV's column for a quantity (`quantity=header`, like latency=p50_ms; repeatable)", func(s string) error {
		q, name, ok := strings.Cut(s, "=")
		quantities := map[string]usl.Quantity{"concurrency": usl.Concurrency, "n": usl.Concurrency,
			"throughput": usl.Throughput, "x": usl.Throughput, "latency": usl.Latency, "r": usl.Latency}
		qq, known := quantities[strings.ToLower(strings.TrimSpace(q))]
		if !ok || !known || strings.TrimSpace(name) == "" {
			return fmt.Errorf("%q: want concurrency=HEADER, throughput=HEADER or latency=HEADER", s)
		}
		if in.columns == nil {
			in.columns = map[usl.Quantity]string{}
		}
		in.columns[qq] = strings.TrimSpace(name)
		return nil
	})
}

// read reads the measurement files named by args (a directory stands for
// its files, "-" for standard input) into one set of measurements, with
// what was read from each.
func (in *inputFlags) read(args []string, stdin io.Reader) (*usl.Measurements, []*loadtest.Source, error) {
	var files []string
	for _, a := range args {
		if a == "-" {
			files = append(files, a)
			continue
		}
		fs, err := loadtest.Files([]string{a})
		if err != nil {
			return nil, nil, err
		}
		files = append(files, fs...)
	}
	if n := len(in.concurrency.ns); n > 0 && n != len(files) {
		return nil, nil, fmt.Errorf("--concurrency gives %d values for %d files", n, len(files))
	}
	var sources []*loadtest.Source
	for i, f := range files {
		opt := loadtest.Options{Format: in.format, Columns: in.columns}
		if len(in.concurrency.ns) > 0 {
			opt.Concurrency = in.concurrency.ns[i]
		}
		var s *loadtest.Source
		var err error
		if f == "-" {
			s, err = loadtest.Read(stdin, "standard input", opt)
		} else {
			s, err = loadtest.ReadFile(f, opt)
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
	return loadtest.Measurements(name, sources), sources, nil
}

// sourcesJSON is the sources for a JSON result's "sources" field.
func sourcesJSON(sources []*loadtest.Source) json.RawMessage {
	b, err := json.Marshal(sources)
	if err != nil {
		return nil
	}
	return b
}

func writeIndentedJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
