package loadtest

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// input is a file being read: buffered, bounded in total size and line
// length, with the line number of what was read last.
type input struct {
	name string
	br   *bufio.Reader
	line int64
}

const (
	defaultMaxBytes = 4 << 30
	defaultMaxLine  = 1 << 20
)

func newInput(r io.Reader, name string, opt Options) *input {
	g := &guard{r: r, max: opt.MaxBytes, maxLine: opt.MaxLine}
	if g.max <= 0 {
		g.max = defaultMaxBytes
	}
	if g.maxLine <= 0 {
		g.maxLine = defaultMaxLine
	}
	return &input{name: name, br: bufio.NewReaderSize(g, headSize+16)}
}

// guard is a reader that refuses more than max bytes in all and lines
// longer than maxLine bytes, so that no reader holds an unbounded line.
type guard struct {
	r       io.Reader
	n, max  int64
	run     int
	maxLine int
}

var errTooLarge = errors.New("larger than the limit")

func (g *guard) Read(p []byte) (int, error) {
	n, err := g.r.Read(p)
	g.n += int64(n)
	if g.n > g.max {
		return 0, fmt.Errorf("the file is %w of %d bytes", errTooLarge, g.max)
	}
	for _, c := range p[:n] {
		if c == '\n' {
			g.run = 0
			continue
		}
		g.run++
		if g.run > g.maxLine {
			return 0, fmt.Errorf("a line is %w of %d bytes", errTooLarge, g.maxLine)
		}
	}
	return n, err
}

// skipBOM drops a UTF-8 byte order mark at the start.
func (in *input) skipBOM() {
	if b, err := in.br.Peek(3); err == nil && bytes.Equal(b, []byte("\ufeff")) {
		in.br.Discard(3)
	}
}

// lines calls f with each line, without its line ending, and its number;
// f returning false stops.
func (in *input) lines(f func(line string) (bool, error)) error {
	in.skipBOM()
	for {
		s, err := in.br.ReadString('\n')
		if len(s) > 0 {
			in.line++
			more, ferr := f(strings.TrimRight(s, "\r\n"))
			if ferr != nil {
				return &Error{File: in.name, Line: in.line, Err: ferr}
			}
			if !more {
				return nil
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return &Error{File: in.name, Line: in.line + 1, Err: err}
		}
	}
}

// table is a CSV file being read record by record.
type table struct {
	in     *input
	cr     *csv.Reader
	header []string
	index  map[string]int // header cell (trimmed) → 0-based column
}

// csvTable starts reading a CSV file with comma (0: detect , ; or tab from
// the first line) and reads its header.
func (in *input) csvTable(comma rune, comments bool) (*table, error) {
	in.skipBOM()
	if comma == 0 {
		head, _ := in.br.Peek(headSize)
		comma = delimiter(head)
	}
	cr := csv.NewReader(in.br)
	cr.Comma = comma
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	cr.LazyQuotes = true
	if comments {
		cr.Comment = '#'
	}
	t := &table{in: in, cr: cr, index: map[string]int{}}
	h, err := t.next()
	if err == io.EOF {
		return nil, &Error{File: in.name, Err: errors.New("empty file: want a header line")}
	}
	if err != nil {
		return nil, err
	}
	t.header = append([]string(nil), h...)
	for j, c := range t.header {
		c = strings.TrimSpace(c)
		t.header[j] = c
		if _, dup := t.index[c]; !dup {
			t.index[c] = j
		}
	}
	return t, nil
}

// next reads a record; io.EOF at the end.
func (t *table) next() ([]string, error) {
	rec, err := t.cr.Read()
	if err == io.EOF {
		return nil, io.EOF
	}
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, &Error{File: t.in.name, Line: int64(pe.Line), Err: pe.Err}
		}
		return nil, &Error{File: t.in.name, Line: t.in.line + 1, Err: err}
	}
	line, _ := t.cr.FieldPos(0)
	t.in.line = int64(line)
	return rec, nil
}

// col is the index of the first header among names, or -1.
func (t *table) col(names ...string) int {
	for _, n := range names {
		if j, ok := t.index[n]; ok {
			return j
		}
	}
	return -1
}

// errAt is an error about field j of the current record.
func (t *table) errAt(j int, err error) error {
	e := &Error{File: t.in.name, Line: t.in.line, Err: err}
	if j >= 0 {
		e.Column = j + 1
		if j < len(t.header) {
			e.Field = t.header[j]
		}
	}
	return e
}

// float reads field j of rec as a finite number.
func (t *table) float(rec []string, j int) (float64, error) {
	if j >= len(rec) {
		return 0, t.errAt(j, fmt.Errorf("missing: the line has %d fields, the header %d", len(rec), len(t.header)))
	}
	s := strings.TrimSpace(rec[j])
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || !finite(v) {
		return 0, t.errAt(j, fmt.Errorf("%s is not a finite number", quote(s)))
	}
	return v, nil
}

// delimiter is ',' unless the first line has tabs or semicolons and no comma.
func delimiter(head []byte) rune {
	for line := range bytes.Lines(head) {
		t := bytes.TrimSpace(line)
		if len(t) == 0 || t[0] == '#' {
			continue
		}
		switch {
		case bytes.IndexByte(t, ',') >= 0:
			return ','
		case bytes.IndexByte(t, '\t') >= 0:
			return '\t'
		case bytes.IndexByte(t, ';') >= 0:
			return ';'
		}
		return ','
	}
	return ','
}

// firstLine is the head's first line that is neither blank nor a comment,
// without a byte order mark.
func firstLine(head []byte) string {
	head = bytes.TrimPrefix(head, []byte("\ufeff"))
	for line := range bytes.Lines(head) {
		t := bytes.TrimSpace(line)
		if len(t) == 0 || t[0] == '#' {
			continue
		}
		return string(t)
	}
	return ""
}

// headerCells splits a header line at its delimiter and trims quotes.
func headerCells(line string) []string {
	comma := string(delimiter([]byte(line)))
	cells := strings.Split(line, comma)
	for i, c := range cells {
		cells[i] = strings.Trim(strings.TrimSpace(c), `"`)
	}
	return cells
}

func finite(v float64) bool { return v-v == 0 }
