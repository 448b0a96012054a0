//go:build !amd64 || purego

package events

const useAVX2 = false

func replaceSmallestAVX2(v []uint64, k uint64) uint64 { return replaceSmallestGo(v, k) }
