package bounded

import (
	"fmt"
	"io"
	"os"
)

// ReadAll reads r whole, refusing more than limit bytes with an error that
// names it name.
func ReadAll(r io.Reader, name string, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s: larger than %d bytes", name, limit)
	}
	return b, nil
}

// ReadFile reads the file path whole, refusing one of more than limit
// bytes; "-" is stdin, named stdinName in the error. A file that does not
// open is os.Open's *os.PathError, whose Op is "open".
func ReadFile(path string, stdin io.Reader, stdinName string, limit int64) ([]byte, error) {
	if path == "-" {
		return ReadAll(stdin, stdinName, limit)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadAll(f, path, limit)
}
