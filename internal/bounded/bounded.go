// Package bounded limits what a reader of user files takes in: the bytes in
// all, and the bytes on one line, so that /dev/zero, a FIFO or a 2 GB file
// ends in a clear error after a bounded time and memory instead of growing
// without bound (issue 11, F4 and F9).
package bounded

import (
	"bytes"
	"fmt"
	"io"
)

// LimitError is input past a Reader's limit. Its message names the limit
// and leaves the file's name to the reader that wraps it.
type LimitError struct {
	Line  int   // the 1-based line being read when the limit was passed
	Limit int64 // the limit passed
	Lines bool  // the limit is a line's length, not the input's
}

func (e *LimitError) Error() string {
	if e.Lines {
		return fmt.Sprintf("a line longer than %d bytes (the limit; is this a text file?)", e.Limit)
	}
	return fmt.Sprintf("more than %d bytes (the limit)", e.Limit)
}

// Reader reads from R and fails with a *LimitError once more than
// MaxBytes bytes in all, or more than MaxLine bytes on one line (before its
// '\n'), have come; it never asks R for more than one byte past MaxBytes.
// It is not safe for concurrent use.
type Reader struct {
	r        io.Reader
	maxBytes int64
	maxLine  int64
	n        int64 // bytes read
	lineLen  int64 // bytes since the last '\n'
	line     int   // the line being read, from 1
	err      error
}

// NewReader limits r to maxBytes bytes in lines of maxLine bytes at most.
func NewReader(r io.Reader, maxBytes, maxLine int64) *Reader {
	return &Reader{r: r, maxBytes: maxBytes, maxLine: maxLine, line: 1}
}

// Line is the 1-based line the next byte read belongs to.
func (b *Reader) Line() int { return b.line }

func (b *Reader) Read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	if rem := b.maxBytes - b.n + 1; int64(len(p)) > rem {
		p = p[:rem]
	}
	n, err := b.r.Read(p)
	q := p[:n]
	done := 0
	for len(q) > 0 {
		i := bytes.IndexByte(q, '\n')
		seg := int64(i)
		if i < 0 {
			seg = int64(len(q))
		}
		if b.lineLen+seg > b.maxLine {
			keep := b.maxLine - b.lineLen
			b.err = &LimitError{Line: b.line, Limit: b.maxLine, Lines: true}
			b.n += keep
			return done + int(keep), b.err
		}
		if i < 0 {
			b.lineLen += seg
			done += len(q)
			break
		}
		b.lineLen = 0
		b.line++
		done += i + 1
		q = q[i+1:]
	}
	b.n += int64(done)
	if b.n > b.maxBytes { // by one byte, the last: p was cut to that
		if p[n-1] == '\n' {
			b.line-- // the line it ends is the one past the limit
		}
		b.err = &LimitError{Line: b.line, Limit: b.maxBytes}
		return done - int(b.n-b.maxBytes), b.err
	}
	return n, err
}
