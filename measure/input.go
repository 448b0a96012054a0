package measure

import (
	"bytes"
	"fmt"
	"io"
	"net/url"
	"os"
)

// MaxBodyFile bounds a request body read from a file (ReadBody): 16 MiB.
const MaxBodyFile = 16 << 20

// ReadBody reads a request body from the file name ("-": stdin), at most
// MaxBodyFile bytes.
func ReadBody(name string, stdin io.Reader) ([]byte, error) {
	in := stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		in = f
	}
	var b bytes.Buffer
	n, err := io.Copy(&b, io.LimitReader(in, MaxBodyFile+1))
	if err != nil {
		return nil, fmt.Errorf("measure: body file %s: %w", name, err)
	}
	if n > MaxBodyFile {
		return nil, fmt.Errorf("measure: body file %s is larger than %d MB", name, MaxBodyFile>>20)
	}
	return b.Bytes(), nil
}

// Redact is a URL for the measurement file's comment: scheme, host and
// path, without user information or query, which may hold secrets.
func Redact(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(a URL)"
	}
	return u.Scheme + "://" + u.Host + u.EscapedPath()
}
