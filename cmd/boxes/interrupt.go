package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// ctxWriter is a writer that fails once ctx is done: a report being
// rendered into it (an HTML page, a CSV of series) stops at its next write
// after Ctrl-C, and writeFileAtomic then discards the file, so nothing
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

// untilDone wraps a render so that it does not start once ctx is done,
// writes through a ctxWriter, and is abandoned the moment ctx is done: a
// report's renderer builds its charts or its JSON in memory for seconds
// before it writes, so the command returns at once while the abandoned
// render fails at its next write (into a file that is discarded, or a
// buffer no one reads), and the process exits.
func untilDone(ctx context.Context, render func(io.Writer) error) func(io.Writer) error {
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

// sameFile reports whether two output names are one file: the same path
// once cleaned and made absolute, or, when both exist, the same inode (a
// link or another spelling).
func sameFile(a, b string) bool {
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

// output is one file a command writes: its name and what goes in it.
type output struct {
	name   string
	render func(io.Writer) error
}

// writeFilesAtomic writes several files as one: each is rendered into a
// file with no name yet (createPending), and only when all of them are
// whole, and ctx is not done, do they take their names. Ctrl-C at any
// point before that leaves none of them, whole or partial.
func writeFilesAtomic(ctx context.Context, outs []output) (err error) {
	var done []*pending
	defer func() {
		if err != nil {
			for _, p := range done {
				p.discard()
			}
		}
	}()
	for _, o := range outs {
		if fi, err := os.Stat(o.name); err == nil && fi.IsDir() {
			return usageError{fmt.Errorf("%s is a directory; name a file to write", o.name)}
		}
		p, err := createPending(filepath.Dir(o.name), filepath.Base(o.name))
		if err != nil {
			return outputError{err}
		}
		done = append(done, p)
		if err := untilDone(ctx, o.render)(p.f); err != nil {
			return err
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	for i, p := range done {
		if err := p.commit(outs[i].name); err != nil {
			return outputError{err}
		}
	}
	return nil
}
