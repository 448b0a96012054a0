package atomicfile

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// openUnnamed opens a file in dir with no name (O_TMPFILE): if the process
// dies before linkUnnamed, the file system frees it.
func openUnnamed(dir string) (*os.File, error) {
	fd, err := unix.Open(dir, unix.O_TMPFILE|unix.O_WRONLY|unix.O_CLOEXEC, 0o600)
	if err != nil {
		return nil, err
	}
	return os.NewFile(uintptr(fd), dir), nil
}

// linkUnnamed gives an O_TMPFILE file the name path, through its
// /proc/self/fd entry (linkat with AT_EMPTY_PATH needs a capability that
// AT_SYMLINK_FOLLOW on the proc link does not).
func linkUnnamed(f *os.File, path string) error {
	proc := fmt.Sprintf("/proc/self/fd/%d", f.Fd())
	return unix.Linkat(unix.AT_FDCWD, proc, unix.AT_FDCWD, path, unix.AT_SYMLINK_FOLLOW)
}
