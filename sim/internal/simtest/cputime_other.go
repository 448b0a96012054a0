//go:build !linux

package simtest

import "time"

var processStart = time.Now()

// threadCPU falls back to wall time where RUSAGE_THREAD is not available.
func ThreadCPU() time.Duration { return time.Since(processStart) }
