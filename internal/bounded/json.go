package bounded

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strconv"
)

// jsonHead is how far ReadJSON looks for a JSON document's first byte.
const jsonHead = 64 << 10

// NotJSONError is an input whose first byte other than white space is not
// the start of a JSON object or array.
type NotJSONError struct {
	Start string // the input's first bytes other than white space, at most 40
	Blank int    // or, when Start is "", the bytes of white space read
}

func (e *NotJSONError) Error() string {
	if e.Start == "" {
		return fmt.Sprintf("not JSON: more than %d bytes of white space", e.Blank)
	}
	return "not JSON: it starts " + strconv.QuoteToASCII(e.Start)
}

// ReadJSON reads a JSON object or array of at most limit bytes from r, for
// a decoder to take whole. It refuses, with a *LimitError, a regular file
// larger than limit before reading a byte of it (its size from Stat) and
// any other input once it passes limit; and, with a *NotJSONError, an
// input that does not start with '{' or '[' after at most 64 KiB of white
// space, so that /dev/zero or a binary file given by mistake ends at once
// instead of being read to the limit. A regular file is read into a buffer
// of its size: no doubling.
func ReadJSON(r io.Reader, limit int64) ([]byte, error) {
	size := int64(jsonHead)
	if f, ok := r.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
			if fi.Size() > limit {
				return nil, &LimitError{Limit: limit}
			}
			size = fi.Size() + 1 // the 1 sees EOF without growing
		}
	}
	buf := make([]byte, 0, min(size, limit+1))
	checked := false
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)] // grow by doubling
		}
		n, err := r.Read(buf[len(buf):min(int64(cap(buf)), limit+1)])
		buf = buf[:len(buf)+n]
		if int64(len(buf)) > limit {
			return nil, &LimitError{Limit: limit}
		}
		if !checked {
			i := bytes.IndexFunc(buf, func(c rune) bool { return c != ' ' && c != '\t' && c != '\n' && c != '\r' })
			switch {
			case i >= 0 && buf[i] != '{' && buf[i] != '[':
				return nil, &NotJSONError{Start: string(buf[i:min(len(buf), i+40)])}
			case i >= 0:
				checked = true
			case len(buf) > jsonHead:
				return nil, &NotJSONError{Blank: jsonHead}
			}
		}
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
	}
}
