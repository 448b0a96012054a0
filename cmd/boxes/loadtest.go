package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
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

// read reads the measurement files named by args (loadtest.ReadArgs).
func (in *inputFlags) read(args []string, stdin io.Reader) (*usl.Measurements, []*loadtest.Source, error) {
	m, s, err := loadtest.ReadArgs(args, stdin, loadtest.Options{Format: in.format, Columns: in.columns}, in.concurrency.ns)
	if ce := (*loadtest.CountError)(nil); errors.As(err, &ce) {
		err = fmt.Errorf("--concurrency gives %d values for %d files", ce.Values, ce.Files)
	}
	return m, s, err
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
