package main

import (
	"context"
	"errors"
	"io"

	"github.com/boxes-project/boxes/internal/cli/atomicfile"
)

// writeFileAtomic writes a file whole or not at all (atomicfile.Write): a
// name that is a directory is a usage error (exit 2), a file system failure
// an output error (exit 3).
func writeFileAtomic(name string, write func(io.Writer) error) error {
	return fileExit(atomicfile.Write(name, write))
}

// writeFilesAtomic writes several files as one (atomicfile.WriteFiles),
// its errors mapped as writeFileAtomic's.
func writeFilesAtomic(ctx context.Context, outs []atomicfile.File) error {
	return fileExit(atomicfile.WriteFiles(ctx, outs))
}

func fileExit(err error) error {
	var de *atomicfile.DirError
	var fe *atomicfile.FileError
	switch {
	case errors.As(err, &de):
		return usageError{err}
	case errors.As(err, &fe):
		return outputError{fe.Err}
	}
	return err
}
