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

// FuzzReader: through any chunking, what passes is a prefix of the input:
// all of it when within both limits, else a *LimitError with what passed
// within them.
func FuzzReader(f *testing.F) {
	f.Add([]byte("ab\ncd\n"), int64(5), int64(2), uint8(3))
	f.Add([]byte("\n\n\n"), int64(2), int64(0), uint8(1))
	f.Add([]byte("abcdef"), int64(100), int64(3), uint8(7))
	f.Fuzz(func(t *testing.T, in []byte, maxBytes, maxLine int64, chunk uint8) {
		if maxBytes < 0 || maxLine < 0 {
			return
		}
		got, err := io.ReadAll(iotestChunks(NewReader(strings.NewReader(string(in)), maxBytes, maxLine), int(chunk)+1))
		if !strings.HasPrefix(string(in), string(got)) || int64(len(got)) > maxBytes {
			t.Fatalf("%q through limits %d, %d: %q", in, maxBytes, maxLine, got)
		}
		longest, cur := int64(0), int64(0)
		for _, c := range in {
			if c == '\n' {
				cur = 0
				continue
			}
			cur++
			longest = max(longest, cur)
		}
		within := int64(len(in)) <= maxBytes && longest <= maxLine
		var le *LimitError
		switch {
		case within && (err != nil || len(got) != len(in)):
			t.Fatalf("%q within limits %d, %d: %q, %v", in, maxBytes, maxLine, got, err)
		case !within && !errors.As(err, &le):
			t.Fatalf("%q past limits %d, %d: %q, %v", in, maxBytes, maxLine, got, err)
		}
	})
}

// iotestChunks reads r at most n bytes at a time.
func iotestChunks(r io.Reader, n int) io.Reader {
	return readerFunc(func(p []byte) (int, error) { return r.Read(p[:min(len(p), n)]) })
}

type readerFunc func(p []byte) (int, error)

func (f readerFunc) Read(p []byte) (int, error) { return f(p) }
