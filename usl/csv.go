package usl

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/boxes-project/boxes"
	"github.com/boxes-project/boxes/internal/bounded"
)

// Measurements are the points of one measurement file.
type Measurements struct {
	Name   string     // the file's name, for messages
	Points []Point    // completed by Little's law, in file order
	Lines  []int      // the line each point came from
	Given  []Quantity // the two columns the points were read from
}

// ParseError is bad input in a measurement file, located like
// encoding/csv's ParseError. Column is the 1-based column (field) number;
// Line and Column are 0 when the error is about the file as a whole.
type ParseError struct {
	File   string
	Line   int
	Column int
	Name   string // the column's header, when known
	Err    error
}

func (e *ParseError) Error() string {
	var b strings.Builder
	b.WriteString("usl: ")
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ", line %d", e.Line)
	}
	if e.Column > 0 {
		fmt.Fprintf(&b, ", column %d", e.Column)
		if e.Name != "" {
			fmt.Fprintf(&b, " (%s)", e.Name)
		}
	}
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *ParseError) Unwrap() error { return e.Err }

// column is how one header cell is read.
type column struct {
	q     Quantity
	scale float64 // multiplies a bare number into jobs/s or seconds; 0: a bare latency needs a unit
}

// MaxRows, MaxBytes and MaxLineBytes bound a measurement file: a hundred
// thousand measurements (a load test's summary has tens), 64 MiB, and 64 KiB
// on a line. Past any of them ReadCSV stops with a *ParseError naming the
// limit, so that a 2 GB file, /dev/zero or a FIFO cannot exhaust memory.
const (
	MaxRows      = 100_000
	MaxBytes     = 64 << 20
	MaxLineBytes = 64 << 10
)

// maxRows and maxBytes are MaxRows and MaxBytes, lowered by tests.
var (
	maxRows        = MaxRows
	maxBytes int64 = MaxBytes
)

// ReadCSV reads a measurement file: a header naming its columns, then one
// measurement per line (see the package doc for the names and units it
// accepts). name is the file's name for messages. The output of go test
// -bench is read too, by ReadGoBench. Commas separate fields,
// or tabs or semicolons when the header has those and no comma. Lines
// starting with # and empty lines are skipped; a quoted field does not span
// lines. It streams: it holds one line and the points, within MaxRows,
// MaxBytes and MaxLineBytes.
func ReadCSV(r io.Reader, name string) (*Measurements, error) {
	// A line and its '\n' fit the buffer: ReadSlice never reports it full.
	br := bufio.NewReaderSize(bounded.NewReader(r, maxBytes, MaxLineBytes), MaxLineBytes+2)
	if head, _ := br.Peek(MaxLineBytes); IsGoBench(head) { // go test -bench output (gobench.go)
		return ReadGoBench(br, name)
	}
	lineNo := 0
	var comma rune
	src := &lineSource{}
	cr := csv.NewReader(src)
	cr.TrimLeadingSpace = true
	cr.FieldsPerRecord = -1
	// next is the next line that is not a comment or empty, as one record.
	next := func() (rec []string, line int, err error) {
		for {
			raw, err := br.ReadSlice('\n')
			var le *bounded.LimitError
			switch {
			case errors.As(err, &le):
				return nil, le.Line, &ParseError{File: name, Line: le.Line, Err: le}
			case err != nil && err != io.EOF:
				return nil, lineNo + 1, &ParseError{File: name, Err: err}
			case len(raw) == 0:
				return nil, lineNo, io.EOF
			}
			lineNo++
			if lineNo == 1 {
				raw = bytes.TrimPrefix(raw, []byte("\ufeff"))
			}
			if bytes.HasPrefix(raw, []byte("#")) || len(bytes.TrimRight(raw, "\r\n")) == 0 {
				continue
			}
			text := string(raw)
			if comma == 0 {
				comma = delimiter(text)
				cr.Comma = comma
			}
			src.text = text
			rec, err := cr.Read()
			if err == nil {
				// The line's end: encoding/csv reads io.EOF before the next line.
				if _, err2 := cr.Read(); err2 != io.EOF {
					err = fmt.Errorf("a record that does not end on its line")
				}
			}
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, lineNo, &ParseError{File: name, Line: lineNo, Column: fieldAt(text, pe.Column, comma), Err: pe.Err}
			}
			if err != nil {
				return nil, lineNo, &ParseError{File: name, Line: lineNo, Err: err}
			}
			return rec, lineNo, nil
		}
	}

	header, headerLine, err := next()
	if err == io.EOF {
		return nil, &ParseError{File: name, Err: errors.New("empty file: want a header naming the columns, like concurrency,throughput")}
	}
	if err != nil {
		return nil, err
	}
	cols := make([]column, len(header))
	known := make([]bool, len(header))
	where := [3]int{-1, -1, -1}
	for j, cell := range header {
		c, ok, err := parseHeader(cell)
		if err != nil {
			return nil, &ParseError{File: name, Line: headerLine, Column: j + 1, Name: headerName(cell), Err: err}
		}
		if !ok {
			continue
		}
		if k := where[c.q]; k >= 0 {
			return nil, &ParseError{File: name, Line: headerLine, Column: j + 1, Name: headerName(cell),
				Err: fmt.Errorf("a second %s column (the first is column %d, %s)", c.q, k+1, boxes.Quote(strings.TrimSpace(header[k])))}
		}
		cols[j], known[j], where[c.q] = c, true, j
	}
	var use [2]Quantity
	switch {
	case where[Concurrency] >= 0 && where[Throughput] >= 0:
		use = [2]Quantity{Concurrency, Throughput}
	case where[Concurrency] >= 0 && where[Latency] >= 0:
		use = [2]Quantity{Concurrency, Latency}
	case where[Throughput] >= 0 && where[Latency] >= 0:
		use = [2]Quantity{Throughput, Latency}
	default:
		return nil, &ParseError{File: name, Line: headerLine, Err: missingColumns(header, known, cols)}
	}

	m := &Measurements{Name: name, Given: use[:]}
	for {
		rec, line, err := next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if len(m.Points) == maxRows {
			return nil, &ParseError{File: name, Line: line, Err: fmt.Errorf("more than %d measurements (the limit)", maxRows)}
		}
		if len(rec) != len(header) {
			return nil, &ParseError{File: name, Line: line, Err: fmt.Errorf("%d fields, the header has %d", len(rec), len(header))}
		}
		var p Point
		for _, q := range use {
			j := where[q]
			v, err := parseValue(q, strings.TrimSpace(rec[j]), cols[j].scale)
			if err != nil {
				return nil, &ParseError{File: name, Line: line, Column: j + 1, Name: headerName(header[j]), Err: err}
			}
			switch q {
			case Concurrency:
				p.Concurrency = v
			case Throughput:
				p.Throughput = v
			case Latency:
				p.Latency = v
			}
		}
		p, err = Complete(p)
		if err != nil {
			return nil, &ParseError{File: name, Line: line, Err: errors.New(strings.TrimPrefix(err.Error(), "usl: "))}
		}
		m.Points = append(m.Points, p)
		m.Lines = append(m.Lines, line)
	}
	if len(m.Points) == 0 {
		return nil, &ParseError{File: name, Err: errors.New("no measurements after the header")}
	}
	return m, nil
}

// lineSource gives encoding/csv one line at a time: text, then io.EOF
// (which the csv.Reader passes on without keeping), so that one csv.Reader
// reads every line and a quoted field cannot run past its line.
type lineSource struct{ text string }

func (l *lineSource) Read(p []byte) (int, error) {
	if l.text == "" {
		return 0, io.EOF
	}
	n := copy(p, l.text)
	l.text = l.text[n:]
	return n, nil
}

// headerName is a header cell as a ParseError's Name: as it is, or quoted
// and cut (boxes.Quote) when longer than boxes.QuoteLimit.
func headerName(cell string) string {
	cell = strings.TrimSpace(cell)
	if len(cell) > boxes.QuoteLimit {
		return boxes.Quote(cell)
	}
	return cell
}

// delimiter is ',' unless the header line has tabs or semicolons and no
// comma.
func delimiter(line string) rune {
	switch {
	case strings.IndexByte(line, ',') >= 0:
		return ','
	case strings.IndexByte(line, '\t') >= 0:
		return '\t'
	case strings.IndexByte(line, ';') >= 0:
		return ';'
	}
	return ','
}

// fieldAt turns encoding/csv's byte column on a line into a 1-based field
// number, counting the delimiters before it outside quotes.
func fieldAt(line string, col int, comma rune) int {
	field, quoted := 1, false
	for i, r := range line {
		if i >= col-1 {
			break
		}
		switch {
		case r == '"':
			quoted = !quoted
		case r == comma && !quoted:
			field++
		}
	}
	return field
}

// missingColumns explains a header without two usable columns.
func missingColumns(header []string, known []bool, cols []column) error {
	var found, unknown []string
	for j, cell := range header {
		if known[j] {
			found = append(found, fmt.Sprintf("%s (column %d)", cols[j].q, j+1))
		} else {
			unknown = append(unknown, fmt.Sprintf("%s (column %d)", boxes.Quote(strings.TrimSpace(cell)), j+1))
		}
	}
	msg := "the header needs two of concurrency, throughput and latency columns (like concurrency,throughput or throughput,latency_ms)"
	if len(found) > 0 {
		msg += "; found " + strings.Join(found, ", ")
	} else {
		msg += "; found none"
	}
	if len(unknown) > 4 { // a message stays short whatever the header
		unknown = append(unknown[:4], fmt.Sprintf("and %d more", len(unknown)-4))
	}
	if len(unknown) > 0 {
		msg += "; not understood: " + strings.Join(unknown, ", ")
	}
	return errors.New(msg)
}

// parseHeader reads a column's header: a name the package doc lists, with
// an optional unit in brackets ("latency (ms)", "throughput [/min]") or as a
// suffix ("latency_ms", "throughput_per_min"). ok is false for a column the
// package does not use; err is a known name with a bad unit in brackets.
func parseHeader(cell string) (c column, ok bool, err error) {
	s := strings.TrimSpace(cell)
	unit, bracketed := "", false
	if i := strings.IndexAny(s, "(["); i > 0 && (strings.HasSuffix(s, ")") || strings.HasSuffix(s, "]")) {
		unit, s, bracketed = strings.TrimSpace(s[i+1:len(s)-1]), s[:i], true
	}
	name := normalizeName(s)
	if q, found := synonyms[name]; found {
		if !bracketed {
			return column{q: q, scale: defaultScale(q)}, true, nil
		}
		scale, err := unitScale(q, unit)
		if err != nil {
			return column{}, false, err
		}
		return column{q: q, scale: scale}, true, nil
	}
	if bracketed {
		return column{}, false, nil
	}
	// Suffix units: "throughput_per_min", then "latency_ms", "throughput_rps".
	if i := strings.Index(name, "_per_"); i > 0 {
		if q := synonyms[name[:i]]; q == Throughput && synonymOK(name[:i]) {
			if scale, err := unitScale(q, "/"+name[i+len("_per_"):]); err == nil {
				return column{q: q, scale: scale}, true, nil
			}
		}
	}
	if i := strings.LastIndexByte(name, '_'); i > 0 && synonymOK(name[:i]) {
		q := synonyms[name[:i]]
		if scale, err := unitScale(q, name[i+1:]); err == nil {
			return column{q: q, scale: scale}, true, nil
		}
	}
	return column{}, false, nil
}

func synonymOK(name string) bool { _, ok := synonyms[name]; return ok }

// defaultScale is the unit of a bare number when the header gives none:
// jobs per second for throughput, none for latency.
func defaultScale(q Quantity) float64 {
	if q == Latency {
		return 0
	}
	return 1
}

// unitScale is what a header's unit multiplies a bare number by: jobs per
// second for throughput ("/s", "/min", "rps", "k/s"), seconds for latency
// ("ms", "s", "us"). Concurrency is a count and any unit is ignored.
func unitScale(q Quantity, unit string) (float64, error) {
	switch q {
	case Throughput:
		u := unit
		if rest, ok := strings.CutPrefix(strings.ToLower(u), "per"); ok {
			u = "/" + strings.TrimLeft(rest, " _")
		}
		r, err := boxes.ParseRate("1" + u)
		if err != nil || !(r > 0) {
			return 0, fmt.Errorf("unknown throughput unit %s (like /s, /min, rps)", boxes.Quote(unit))
		}
		return float64(r), nil
	case Latency:
		d, err := boxes.ParseDuration("1" + unit)
		if err != nil || d <= 0 {
			return 0, fmt.Errorf("unknown latency unit %s (like ms, s, us)", boxes.Quote(unit))
		}
		return d.Seconds(), nil
	}
	return 1, nil
}

// Fit fits the Universal Scalability Law to the measurements (see Fit).
// Errors name the file.
func (m *Measurements) Fit() (*FitResult, error) {
	r, err := fit(m.Points)
	if err != nil {
		return nil, &ParseError{File: m.Name, Err: err}
	}
	return r, nil
}
