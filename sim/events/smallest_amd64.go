//go:build !purego

package events

import "golang.org/x/sys/cpu"

// useAVX2 says whether replaceSmallest takes four slots at a time.
var useAVX2 = cpu.X86.HasAVX2

func init() {
	if useAVX2 {
		replaceSmallest = replaceSmallestAVX2
	}
}

// replaceSmallestAVX2 is replaceSmallestGo in assembly, four slots at a
// time (smallest_amd64.s): the same slots by the same integer comparisons,
// so the same result (TestReplaceSmallest checks).
//
//go:noescape
func replaceSmallestAVX2(v []uint64, k uint64) uint64
