//go:build unix

package shape

import (
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/boxes-project/boxes/schema"
)

// TestJobLogFIFO: a job log in a FIFO (a file that can be read only once,
// like bash's <(zcat log.gz)) gives the curve and the events engine's
// arrivals from one read, the same as the file: before, Arrivals opened
// the file a second time and waited for ever on the spent FIFO.
func TestJobLogFIFO(t *testing.T) {
	dir := t.TempDir()
	log := "timestamp,latency\n0.5,0.2\n1.25,0.1\n1.5,0.3\n4,0.2\n"
	file := filepath.Join(dir, "jobs.csv")
	if err := os.WriteFile(file, []byte(log), 0o600); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "jobs.fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	go func() {
		f, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		f.WriteString(log)
		f.Close()
	}()
	read := func(path string) []float64 {
		tr := &Trace{}
		if err := schema.SetDefaults(tr); err != nil {
			t.Fatal(err)
		}
		tr.File = path
		if _, err := tr.Curve(Env{}); err != nil {
			t.Fatal(err)
		}
		return tr.Arrivals()
	}
	want := read(file)
	if !slices.Equal(want, []float64{0, 0.75, 1, 3.5}) {
		t.Fatalf("the file's arrivals %v, want 0, 0.75, 1, 3.5 (from its first job)", want)
	}
	done := make(chan []float64)
	go func() { done <- read(fifo) }()
	select {
	case got := <-done:
		if !slices.Equal(got, want) {
			t.Fatalf("the FIFO's arrivals %v, the file's %v", got, want)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("reading a job log from a FIFO did not finish in 10 s")
	}
}
