// Package parallel runs independent pieces of work on all cores. Callers
// write each result to its own slot, so what they produce never depends on
// the order the pieces finish in.
package parallel

import (
	"runtime"
	"sync"
)

// Each calls fn(0), ..., fn(n-1), as many at a time as there are cores,
// and returns when all have returned.
func Each(n int, fn func(i int)) { EachAtMost(n, runtime.GOMAXPROCS(0), fn) }

// EachAtMost is Each with at most width calls at a time, for work that
// waits on something other than the CPU (a disk's fsync), where the number
// of cores is not the right width.
func EachAtMost(n, width int, fn func(i int)) {
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < min(n, max(1, width)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				fn(i)
			}
		}()
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
}

// Parts returns how many parts to cut work of n items into: one per core,
// and none empty.
func Parts(n int) int { return max(1, min(n, runtime.GOMAXPROCS(0))) }

// Do calls each of fns, as many at a time as there are cores, and returns
// when all have returned: for a few unlike pieces of work (the two sides
// of a comparison), each writing its own result.
func Do(fns ...func()) { Each(len(fns), func(i int) { fns[i]() }) }
