//go:build unix

package sweep

import "syscall"

// cpuNow is the process's CPU time in nanoseconds (user + system): on a
// shared machine, wall time measures the wait for a core.
func cpuNow() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
