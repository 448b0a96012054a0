package simtest

import (
	"syscall"
	"time"
)

// threadCPU is the CPU time the calling thread has used (getrusage with
// RUSAGE_THREAD; lock the goroutine to its thread around a measurement).
// On a machine shared with other work, a benchmark's ratios are measured
// in it, not in wall time, which counts the time spent waiting for a core.
func ThreadCPU() time.Duration {
	const rusageThread = 1 // RUSAGE_THREAD, Linux 2.6.26 and later
	var ru syscall.Rusage
	if err := syscall.Getrusage(rusageThread, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
