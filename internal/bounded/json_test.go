package bounded

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadJSON: a document within the limit reads whole; past it, or not
// starting like JSON, is refused, and an endless stream of either kind
// ends (at the limit, or after the first 64 KiB).
func TestReadJSON(t *testing.T) {
	for _, tc := range []struct {
		name    string
		in      io.Reader
		limit   int64
		want    string // the bytes read, or
		limited bool   // a *LimitError
		notJSON string // a *NotJSONError's message
	}{
		{"object", strings.NewReader(` {"a": 1}`), 100, ` {"a": 1}`, false, ""},
		{"array at the limit", strings.NewReader(`[1,2]`), 5, `[1,2]`, false, ""},
		{"one byte past the limit", strings.NewReader(`[1,22]`), 5, "", true, ""},
		{"/dev/zero's kind", endless(0), 1 << 30, "", false, `not JSON: it starts "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"`},
		{"text", strings.NewReader("time,rate\n0,1\n"), 1 << 20, "", false, `not JSON: it starts "time,rate\n0,1\n"`},
		{"endless white space", endless(' '), 1 << 30, "", false, "not JSON: more than 65536 bytes of white space"},
		{"endless JSON", io.MultiReader(strings.NewReader("["), endless('1')), 1 << 20, "", true, ""},
	} {
		got, err := ReadJSON(tc.in, tc.limit)
		var le *LimitError
		var ne *NotJSONError
		switch {
		case tc.limited:
			if !errors.As(err, &le) || le.Limit != tc.limit {
				t.Errorf("%s: %v, want the limit %d", tc.name, err, tc.limit)
			}
		case tc.notJSON != "":
			if !errors.As(err, &ne) || err.Error() != tc.notJSON {
				t.Errorf("%s: %v, want %s", tc.name, err, tc.notJSON)
			}
		case err != nil || string(got) != tc.want:
			t.Errorf("%s: %q, %v; want %q", tc.name, got, err, tc.want)
		}
	}
}

// TestReadJSONFileSize: a regular file over the limit is refused by its
// size, before a byte is read: a sparse file of a terabyte takes no time.
func TestReadJSONFileSize(t *testing.T) {
	name := filepath.Join(t.TempDir(), "big.json")
	f, err := os.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// One byte over the limit, as a hole: every file system a test's
	// temporary directory sits on holds it without writing a gigabyte.
	if err := f.Truncate(1<<30 + 1); err != nil {
		t.Fatal(err)
	}
	_, err = ReadJSON(f, 1<<30)
	var le *LimitError
	if !errors.As(err, &le) || le.Limit != 1<<30 {
		t.Errorf("%v, want the limit", err)
	}
	if off, _ := f.Seek(0, io.SeekCurrent); off != 0 {
		t.Errorf("read %d bytes of it", off)
	}
	// Within the limit, the file is read whole into a buffer of its size.
	if err := os.WriteFile(name, []byte(`{"a":[1,2,3]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	g, _ := os.Open(name)
	defer g.Close()
	b, err := ReadJSON(g, 1<<30)
	if string(b) != `{"a":[1,2,3]}` || err != nil || cap(b) != len(b)+1 {
		t.Errorf("%q (cap %d), %v", b, cap(b), err)
	}
}

// FuzzReadJSON: ReadJSON returns its input whole or an error, never more
// than the limit, and refuses only what is past the limit or does not
// start like JSON.
func FuzzReadJSON(f *testing.F) {
	f.Add([]byte(`{"a":1}`), uint16(100))
	f.Add([]byte("  [1, 2]\n"), uint16(3))
	f.Add([]byte("\x00\x01"), uint16(10))
	f.Add([]byte(""), uint16(0))
	f.Fuzz(func(t *testing.T, in []byte, limit uint16) {
		got, err := ReadJSON(strings.NewReader(string(in)), int64(limit))
		trimmed := strings.TrimLeft(string(in), " \t\r\n")
		var le *LimitError
		var ne *NotJSONError
		switch {
		case err == nil:
			if string(got) != string(in) || len(got) > int(limit) {
				t.Fatalf("read %q of %q (limit %d)", got, in, limit)
			}
			if trimmed != "" && trimmed[0] != '{' && trimmed[0] != '[' {
				t.Fatalf("took %q, not JSON", in)
			}
		case errors.As(err, &le):
			if len(in) <= int(limit) {
				t.Fatalf("%d bytes refused at the limit %d", len(in), limit)
			}
		case errors.As(err, &ne):
			if trimmed != "" && (trimmed[0] == '{' || trimmed[0] == '[') {
				t.Fatalf("%q refused: %v", in, err)
			}
		default:
			t.Fatalf("error %v", err)
		}
	})
}
