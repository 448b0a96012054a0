//go:build !linux

package engine

import "time"

var processStart = time.Now()

// threadCPU falls back to wall time where RUSAGE_THREAD is not available.
func threadCPU() time.Duration { return time.Since(processStart) }
