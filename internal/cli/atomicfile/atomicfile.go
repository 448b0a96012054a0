// Package atomicfile writes a command's output files whole or not at all:
// rendered into a file that has no name yet (Linux's O_TMPFILE, elsewhere a
// hidden temporary file), which takes its name only once everything is
// written; a render stops at its next write once its context is done
// (Ctrl-C), and several files take their names together or not at all.
// Errors that are the file system's are a *FileError, a name that is a
// directory a *DirError; the render's own errors come back as they are.
package atomicfile

import (
	"context"
	"io"
	"os"
	"path/filepath"
)

// ctxWriter is a writer that fails once ctx is done: a report being
// rendered into it (an HTML page, a CSV of series) stops at its next write
// after Ctrl-C, and Write then discards the file, so nothing
// partial is left (issue 11 F10: a 980 MB HTML was once written after
// Ctrl-C).
type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (c ctxWriter) Write(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.w.Write(p)
}

// UntilDone wraps a render so that it does not start once ctx is done,
// writes through a ctxWriter, and is abandoned the moment ctx is done: a
// report's renderer builds its charts or its JSON in memory for seconds
// before it writes, so the command returns at once while the abandoned
// render fails at its next write (into a file that is discarded, or a
// buffer no one reads), and the process exits.
func UntilDone(ctx context.Context, render func(io.Writer) error) func(io.Writer) error {
	return func(w io.Writer) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		done := make(chan error, 1)
		go func() { done <- render(ctxWriter{ctx, w}) }()
		select {
		case err := <-done:
			if err != nil {
				return err
			}
			return ctx.Err()
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// SameFile reports whether two output names are one file: the same path
// once cleaned and made absolute, or, when both exist, the same inode (a
// link or another spelling).
func SameFile(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	if x, err := filepath.Abs(a); err == nil {
		if y, err := filepath.Abs(b); err == nil && x == y {
			return true
		}
	}
	fa, errA := os.Stat(a)
	fb, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(fa, fb)
}

// File is one file a command writes: its name and what goes in it.
type File struct {
	Name   string
	Render func(io.Writer) error
}

// WriteFiles writes several files as one: each is rendered into a file
// with no name yet (createPending), and only when all of them are
// whole, and ctx is not done, do they take their names. Ctrl-C at any
// point before that leaves none of them, whole or partial.
func WriteFiles(ctx context.Context, outs []File) (err error) {
	var done []*pending
	defer func() {
		if err != nil {
			for _, p := range done {
				p.discard()
			}
		}
	}()
	for _, o := range outs {
		if fi, err := os.Stat(o.Name); err == nil && fi.IsDir() {
			return &DirError{o.Name}
		}
		p, err := createPending(filepath.Dir(o.Name), filepath.Base(o.Name))
		if err != nil {
			return &FileError{err}
		}
		done = append(done, p)
		if err := UntilDone(ctx, o.Render)(p.f); err != nil {
			return err
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	for i, p := range done {
		if err := p.commit(outs[i].Name); err != nil {
			return &FileError{err}
		}
	}
	return nil
}

// Write writes a file whole or not at all. The bytes go to a temporary
// file in the same directory, which takes name only once everything is
// written. On Linux the temporary file has no name at all until then
// (O_TMPFILE), so a run killed half-way (SIGKILL, power loss) leaves
// nothing behind; elsewhere it is a hidden file removed on failure. A name
// that is a directory is refused before anything is written.
func Write(name string, write func(io.Writer) error) (err error) {
	if fi, err := os.Stat(name); err == nil && fi.IsDir() {
		return &DirError{name}
	}
	tmp, err := createPending(filepath.Dir(name), filepath.Base(name))
	if err != nil {
		return &FileError{err}
	}
	defer func() {
		if err != nil {
			tmp.discard()
		}
	}()
	if err := write(tmp.f); err != nil {
		return err
	}
	if err := tmp.commit(name); err != nil {
		return &FileError{err}
	}
	return nil
}

// DirError is an output name that is a directory.
type DirError struct{ Name string }

func (e *DirError) Error() string { return e.Name + " is a directory; name a file to write" }

// FileError is the file system's failure to create, write out or name an
// output file; it prints as the error it wraps.
type FileError struct{ Err error }

func (e *FileError) Error() string { return e.Err.Error() }

func (e *FileError) Unwrap() error { return e.Err }
