// Package heappeak measures, for tests, the most heap a piece of code held:
// what a bound on memory is checked against.
package heappeak

import (
	"runtime"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"time"
)

// Watch samples the heap in use every millisecond until stop is called,
// which returns the most seen above the heap at the start (runtime/metrics:
// live and not yet swept objects, and the unused parts of spans). It runs a
// garbage collection first, so that the start is the live heap.
func Watch() (stop func() uint64) {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/memory/classes/heap/unused:bytes"}}
	read := func() uint64 {
		metrics.Read(sample)
		return sample[0].Value.Uint64() + sample[1].Value.Uint64()
	}
	base := read()
	var most atomic.Uint64
	note := func() {
		if m := read(); m > base && m-base > most.Load() {
			most.Store(m - base)
		}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				note()
			}
		}
	}()
	return func() uint64 {
		close(done)
		wg.Wait()
		note()
		return most.Load()
	}
}

// Allocated is the bytes the heap has allocated since the process started
// (runtime/metrics' cumulative count): the difference over a read is an
// upper bound on what it held at its peak.
func Allocated() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}
