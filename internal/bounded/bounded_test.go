package bounded

import (
	"bufio"
	"errors"
	"io"
	"strings"
	"testing"
)

// endless is an endless stream of one byte: /dev/zero's kind.
type endless byte

func (e endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(e)
	}
	return len(p), nil
}

// TestReader: what passes through is the input, cut at the limit, and the
// error names the limit and the line.
func TestReader(t *testing.T) {
	for _, tc := range []struct {
		name      string
		in        io.Reader
		maxBytes  int64
		maxLine   int64
		wantBytes int
		wantLine  int
		lines     bool // the line limit, not the bytes'
		ok        bool
	}{
		{"within both", strings.NewReader("ab\ncd\n"), 6, 2, 6, 0, false, true},
		{"line of exactly the limit, no newline", strings.NewReader("ab\ncd"), 5, 2, 5, 0, false, true},
		{"a long second line", strings.NewReader("ab\ncde\n"), 100, 2, 5, 2, true, false},
		{"one byte over in all", strings.NewReader("ab\ncd\n"), 5, 10, 5, 2, false, false}, // the sixth byte ends line 2
		{"/dev/zero", endless(0), 1 << 20, 1 << 10, 1 << 10, 1, true, false},
		{"endless short lines", endless('\n'), 1 << 20, 1 << 10, 1 << 20, 1<<20 + 1, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := NewReader(tc.in, tc.maxBytes, tc.maxLine)
			got, err := io.ReadAll(bufio.NewReaderSize(b, 7))
			if len(got) != tc.wantBytes {
				t.Errorf("%d bytes through, want %d", len(got), tc.wantBytes)
			}
			var le *LimitError
			switch {
			case tc.ok && err != nil:
				t.Errorf("error %v", err)
			case !tc.ok && !errors.As(err, &le):
				t.Errorf("error %v, want a *LimitError", err)
			case !tc.ok && (le.Line != tc.wantLine || le.Lines != tc.lines):
				t.Errorf("%+v: want line %d, line limit %v", le, tc.wantLine, tc.lines)
			}
		})
	}
}
