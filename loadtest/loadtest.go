package loadtest

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/boxes-project/boxes/usl"
)

// Format is one registered load-test format: its name (for Options.Format
// and the reports), a line of doc, a detector that looks at the start of a
// file, and the reader.
type Format struct {
	Name   string
	Doc    string
	Detect func(head []byte) bool
	read   func(in *input, opt Options, src *Source) error
}

// Options are how a file is read. The zero value detects the format and
// takes every number from the file.
type Options struct {
	// Format names the format (a Name in Formats); "" detects it from the
	// file's content.
	Format string
	// Concurrency is N for a format whose file holds one run (ab, hey,
	// vegeta): it overrides what the file says. 0 takes it from the file,
	// then from the file's name (a number after c, n, users, workers or
	// vus, like run-c8.txt), then from Little's law N = X × R.
	Concurrency float64
	// Columns picks, for the generic CSV, the column (its header as
	// written) that holds a quantity, where the header alone is ambiguous.
	Columns map[usl.Quantity]string
	// MaxBytes and MaxLine bound what is read: 0 means 4 GiB and 1 MiB.
	MaxBytes int64
	MaxLine  int
}

// Source is what a reader used from one file: the format, which columns
// meant what, the windows of constant concurrency it found and which of
// them became measurements, and how many rows it read and skipped. It is
// the answer to "which columns did you use?", written beside a fit.
type Source struct {
	File     string   `json:"file"`
	Format   string   `json:"format"`
	Detected bool     `json:"detected"` // the format came from the content, not Options.Format
	Rows     int64    `json:"rows"`     // data rows (or fields, for text reports) read
	Skipped  int64    `json:"skipped"`  // rows read but not counted, see Notes
	Columns  []Column `json:"columns"`
	Windows  []Window `json:"windows"`
	Notes    []string `json:"notes,omitempty"`

	given [2]usl.Quantity // the generic CSV's two columns; zero: N and X
}

// Column says what one column or field of the file meant.
type Column struct {
	Name    string `json:"name"`    // as the file writes it
	Meaning string `json:"meaning"` // what it was read as, with its unit
}

// Window is a stretch of constant concurrency and what was measured in it.
// For time series, Start and End are Unix seconds of the part kept, after
// the edges (ramp-up and ramp-down) were dropped; for one-run reports they
// are 0 and the run's length.
type Window struct {
	Start       float64 `json:"start"`
	End         float64 `json:"end"`
	Dropped     float64 `json:"dropped"`        // seconds cut from the window's two edges
	Concurrency float64 `json:"concurrency"`    // N
	Throughput  float64 `json:"throughput"`     // X, successful jobs per second
	Latency     float64 `json:"latency"`        // R, mean response time in seconds; 0 when the file has none
	Requests    int64   `json:"requests"`       // successful jobs counted in the window
	Failures    int64   `json:"failures"`       // failed jobs, not counted in X or R
	Used        bool    `json:"used"`           // became a measurement
	Why         string  `json:"why,omitempty"`  // why not, or where N came from
	Line        int64   `json:"line,omitempty"` // the row of a generic CSV
}

// Point is the window as a measurement: N and X as measured; R as measured
// when the file gives it, else N/X by Little's law.
func (w Window) Point() usl.Point {
	p := usl.Point{Concurrency: w.Concurrency, Throughput: w.Throughput, Latency: w.Latency}
	if p.Latency == 0 {
		p.Latency = p.Concurrency / p.Throughput
	}
	return p
}

// Points are the measurements of the windows used, in order.
func (s *Source) Points() []usl.Point {
	var ps []usl.Point
	for _, w := range s.Windows {
		if w.Used {
			ps = append(ps, w.Point())
		}
	}
	return ps
}

func (s *Source) note(format string, args ...any) {
	s.Notes = append(s.Notes, fmt.Sprintf(format, args...))
}

func (s *Source) column(name, format string, args ...any) {
	s.Columns = append(s.Columns, Column{Name: name, Meaning: fmt.Sprintf(format, args...)})
}

// Error is bad input, located like encoding/csv's ParseError: Line and
// Column (a 1-based field number) are 0 when not known or not relevant.
type Error struct {
	File   string
	Line   int64
	Column int
	Field  string // the column's header or the report's field, when known
	Err    error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("loadtest: ")
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
		if e.Column > 0 {
			fmt.Fprintf(&b, ":%d", e.Column)
		}
	}
	if e.Field != "" {
		fmt.Fprintf(&b, " (%s)", quote(e.Field))
	}
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// quote quotes at most 40 characters of user input.
func quote(s string) string {
	if r := []rune(s); len(r) > 40 {
		s = string(r[:40]) + "…"
	}
	return fmt.Sprintf("%q", s)
}

// ErrUnknownFormat is a file whose content matches no format.
var ErrUnknownFormat = errors.New("no known load-test format")

// Lookup finds a format by name.
func Lookup(name string) (Format, bool) {
	for _, f := range Formats {
		if f.Name == name {
			return f, true
		}
	}
	return Format{}, false
}

// Names are the formats' names, in the table's order.
func Names() []string {
	var ns []string
	for _, f := range Formats {
		ns = append(ns, f.Name)
	}
	return ns
}

// headSize is how much of a file detection looks at.
const headSize = 64 << 10

// Read reads one load-test file from r, streaming: name names it in
// messages and may carry the concurrency (see Options.Concurrency). The
// format is opt.Format or, when that is empty, the first in Formats whose
// detector accepts the file's first 64 KiB.
func Read(r io.Reader, name string, opt Options) (*Source, error) {
	in := newInput(r, name, opt)
	head, err := in.br.Peek(headSize)
	if err != nil && err != io.EOF && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, &Error{File: name, Err: err}
	}
	src := &Source{File: name}
	var f Format
	if opt.Format != "" {
		var ok bool
		if f, ok = Lookup(opt.Format); !ok {
			return nil, &Error{File: name, Err: fmt.Errorf("unknown format %s (known: %s)", quote(opt.Format), strings.Join(Names(), ", "))}
		}
	} else {
		found := false
		for _, c := range Formats {
			if c.Detect(head) {
				f, found = c, true
				break
			}
		}
		if !found {
			if len(strings.TrimSpace(string(head))) == 0 {
				return nil, &Error{File: name, Err: errors.New("empty file")}
			}
			if strings.ContainsAny(firstLine(head), ",;\t") {
				// A CSV of no tool's format: the generic reader says
				// what its header lacks.
				f, found = Formats[len(Formats)-1], true
			}
		}
		if !found {
			return nil, &Error{File: name, Err: fmt.Errorf("%w: not %s; name the format if it is one of them", ErrUnknownFormat, strings.Join(Names(), ", "))}
		}
		src.Detected = true
	}
	src.Format = f.Name
	if err := f.read(in, opt, src); err != nil {
		var e *Error
		if errors.As(err, &e) {
			return nil, err
		}
		return nil, &Error{File: name, Line: in.line, Err: err}
	}
	if len(src.Points()) == 0 {
		return nil, &Error{File: name, Err: errors.New("no measurement in the file: " + whyNone(src))}
	}
	for _, w := range src.Windows {
		for _, v := range []float64{w.Start, w.End, w.Dropped, w.Concurrency, w.Throughput, w.Latency} {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, &Error{File: name, Err: errors.New("a window's numbers are not finite")}
			}
		}
	}
	return src, nil
}

func whyNone(src *Source) string {
	if len(src.Windows) == 0 {
		return "no window of constant concurrency"
	}
	var why []string
	for _, w := range src.Windows {
		if w.Why != "" && !slices.Contains(why, w.Why) {
			why = append(why, w.Why)
		}
	}
	return fmt.Sprintf("%d windows, none usable (%s)", len(src.Windows), strings.Join(why, "; "))
}

// ReadFile reads one file (see Read).
func ReadFile(path string, opt Options) (*Source, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("loadtest: %w", err)
	}
	defer f.Close()
	return Read(f, path, opt)
}

// Files expands paths: a directory stands for the regular files in it
// (not hidden ones), sorted by name; a file stands for itself.
func Files(paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("loadtest: %w", err)
		}
		if !st.IsDir() {
			out = append(out, p)
			continue
		}
		entries, err := os.ReadDir(p)
		if err != nil {
			return nil, fmt.Errorf("loadtest: %w", err)
		}
		n := len(out)
		for _, e := range entries {
			if e.Type().IsRegular() && !strings.HasPrefix(e.Name(), ".") {
				out = append(out, filepath.Join(p, e.Name()))
			}
		}
		if len(out) == n {
			return nil, fmt.Errorf("loadtest: %s: no files in the directory", p)
		}
	}
	return out, nil
}

// Measurements gathers the points of several sources into one set for a
// fit, named by name.
func Measurements(name string, sources []*Source) *usl.Measurements {
	m := &usl.Measurements{Name: name, Given: []usl.Quantity{usl.Concurrency, usl.Throughput}}
	if len(sources) > 0 && sources[0].given != [2]usl.Quantity{} {
		same := true
		for _, s := range sources {
			same = same && s.given == sources[0].given
		}
		if same {
			m.Given = sources[0].given[:]
		}
	}
	for _, s := range sources {
		ps := s.Points()
		m.Points = append(m.Points, ps...)
		for range ps {
			m.Lines = append(m.Lines, 0)
		}
	}
	return m
}
