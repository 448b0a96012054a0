//go:build !unix

package sweep

import "time"

// cpuNow falls back to wall time where getrusage is missing.
func cpuNow() int64 { return time.Now().UnixNano() }
