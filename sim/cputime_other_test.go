//go:build !linux

package sim

import "time"

var processStart = time.Now()

// threadCPU falls back to wall time where RUSAGE_THREAD is not available.
func threadCPU() time.Duration { return time.Since(processStart) }
