package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// TestWriteNothingWhileWriting checks that while an output is
// being written there is no file of ours in its directory on Linux (so a
// SIGKILL then leaves nothing), that the file appears whole, and that a
// failed write leaves nothing and keeps the old file.
func TestWriteNothingWhileWriting(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "out.txt")
	err := Write(name, func(w io.Writer) error {
		io.WriteString(w, "first")
		if entries, _ := os.ReadDir(dir); runtime.GOOS == "linux" && len(entries) != 0 {
			t.Errorf("while writing, the directory holds %v", entries)
		}
		return nil
	})
	if b, _ := os.ReadFile(name); err != nil || string(b) != "first" {
		t.Fatalf("wrote %q, %v", b, err)
	}
	if fi, _ := os.Stat(name); fi.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", fi.Mode().Perm())
	}
	boom := errors.New("boom")
	err = Write(name, func(w io.Writer) error { io.WriteString(w, "second, half"); return boom })
	if !errors.Is(err, boom) {
		t.Errorf("err = %v", err)
	}
	entries, _ := os.ReadDir(dir)
	if b, _ := os.ReadFile(name); len(entries) != 1 || string(b) != "first" {
		t.Errorf("after a failed write: %v, %q", entries, b)
	}
	// Replacing works too.
	if err := Write(name, func(w io.Writer) error { _, err := io.WriteString(w, "third"); return err }); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(name); string(b) != "third" {
		t.Errorf("replaced with %q", b)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("leftovers: %v", entries)
	}
}
