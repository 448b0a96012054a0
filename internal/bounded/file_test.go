package bounded

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "small")
	if err := os.WriteFile(small, []byte("12345"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		path, stdin string
		limit       int64
		want, err   string
	}{
		{small, "", 5, "12345", ""},                                // exactly the limit
		{small, "", 4, "", small + ": larger than 4 bytes"},        // one byte over
		{"-", "abc", 3, "abc", ""},                                 // standard input
		{"-", "abcd", 3, "", "<stdin>: larger than 3 bytes"},       // named as the caller says
		{filepath.Join(dir, "missing"), "", 5, "", "no such file"}, // os.Open's error
	} {
		b, err := ReadFile(c.path, strings.NewReader(c.stdin), "<stdin>", c.limit)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("ReadFile(%q, %d) = %v, want an error with %q", c.path, c.limit, err, c.err)
			}
			continue
		}
		if err != nil || string(b) != c.want {
			t.Errorf("ReadFile(%q, %d) = %q, %v; want %q", c.path, c.limit, b, err, c.want)
		}
	}
	var pe *fs.PathError
	if _, err := ReadFile(filepath.Join(dir, "missing"), nil, "", 5); !errors.As(err, &pe) || pe.Op != "open" {
		t.Errorf("a missing file: %v, want an *fs.PathError from open", err)
	}
}
