package atomicfile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// pending is an output file being written: it takes its name only on
// commit, and discard leaves nothing behind.
type pending struct {
	f    *os.File
	name string // its temporary name; "" while it has none (O_TMPFILE)
	dir  string
}

// createPending opens a file in dir that has no name yet where the system
// allows it (Linux's O_TMPFILE), or else a hidden temporary file named after
// base.
func createPending(dir, base string) (*pending, error) {
	if f, err := openUnnamed(dir); err == nil {
		return &pending{f: f, dir: dir}, nil
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp*")
	if err != nil {
		return nil, err
	}
	return &pending{f: f, name: f.Name(), dir: dir}, nil
}

// commit gives the file its name, replacing any file of that name: the
// reader of name sees the old file or the whole new one, never a part.
func (p *pending) commit(name string) error {
	if err := p.f.Chmod(0o644); err != nil {
		return err
	}
	if err := p.f.Sync(); err != nil {
		return err
	}
	if p.name == "" {
		// Link the unnamed file under a temporary name, then rename it over
		// the target: linkat cannot replace a file that exists.
		tmp := filepath.Join(p.dir, fmt.Sprintf(".%s.tmp%d", filepath.Base(name), os.Getpid()))
		os.Remove(tmp) // a leftover of a process of our pid killed in this very window
		if err := linkUnnamed(p.f, tmp); err != nil {
			return err
		}
		p.name = tmp
	}
	if err := p.f.Close(); err != nil {
		return err
	}
	return os.Rename(p.name, name)
}

// discard closes and removes the file.
func (p *pending) discard() {
	p.f.Close()
	if p.name != "" {
		os.Remove(p.name)
	}
}

var errNoUnnamed = errors.New("unnamed files are not supported here")
