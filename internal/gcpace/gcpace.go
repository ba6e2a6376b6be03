// Package gcpace sets how often a whole sgc process collects garbage.
//
// sgc runs for a moment and exits. Most of what a build allocates stays
// live until its output is written, and a build of a few thousand flows
// allocates less than a tenth of a typical machine's memory in all. Go's
// collector starts at a 4 MB heap and, at any pace, collects a few times
// on the way up: a tenth to a fifth of a 10k-flow build's CPU went to
// collections that freed little. So a build collects nothing until its
// heap reaches FirstAt, and from its first collection on, once per
// fourfold growth of what is live: a small build never collects, a large
// one as before.
package gcpace

import (
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// FirstAt is the heap at which a build first collects: above what a
// 10k-flow build allocates in all, well under what the machines sgc runs
// on have. Measured on 10k- and 50k-flow builds against 128, 192 and 384
// MiB (2026-12-02): 10k builds spent 14-20% less CPU at each. At 50k,
// 256 MiB gave the least peak memory (307 MB against 329 MB at 400% from
// the start); 384 MiB, where a 50k build never collects, saved 6-12% more
// time but put a rebuilt split build (which also holds the previous
// group stacks) at the edge of the 400 MB goal.
const FirstAt = 256 << 20

// after is the pace once the heap has reached FirstAt: a collection per
// fourfold growth of what is live (GOGC=400). Against Go's default 100
// it saved a tenth of a large build for less than a tenth more peak
// memory (50k flows, split CloudFormation, 2026-12-02).
const after = 400

var (
	mu      sync.Mutex
	settled bool // Often was called, or the first collection came
)

// Start sets the pace of a build: no collection below FirstAt, then
// after. GOGC or GOMEMLIMIT in the environment overrides it.
func Start() { start(FirstAt) }

func start(firstAt int64) {
	if overridden() {
		return
	}
	mu.Lock()
	defer mu.Unlock()
	settled = false
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(firstAt)
	// The collection the limit forces is the first that finds the
	// sentinel unreachable; its cleanup sets the pace from then on.
	sentinel := new(struct{ _ *int })
	runtime.AddCleanup(sentinel, func(struct{}) { firstCollected() }, struct{}{})
}

// firstCollected sets the pace after the first collection (the one the
// limit forces, or Reclaim's), unless Often has set it already.
func firstCollected() {
	mu.Lock()
	defer mu.Unlock()
	if !settled {
		set(after)
	}
}

// Often sets Go's default pace, for a command that drops most of what it
// makes (diff and owners compare two programs and keep a report): at the
// builds' pace its heap grew to five times what it kept, 1.4 GB for two
// unrelated 50,000-flow policies against 0.9 GB at Go's default, for a
// tenth more time (2026-12-02). GOGC or GOMEMLIMIT in the environment
// overrides it.
func Often() {
	if overridden() {
		return
	}
	mu.Lock()
	defer mu.Unlock()
	set(100)
}

// reclaimAbove is the heap, in bytes of objects, above which Reclaim
// collects. Measured on split CloudFormation and Terraform builds of 1k
// to 50k flows (2026-12-03; the heap when the trees are let go is 4, 16,
// 31 and 153 MB at 1k, 5k, 10k and 50k): at 50k a collection there took
// 6-9% off the CPU and 22-59 MB off the peak memory, at 10k 4%, at 5k
// nothing, and at 1k it added 8%.
const reclaimAbove = 24 << 20

// Reclaim collects now, when the heap is large enough for it to pay, and
// sets the pace as the first collection does: for a build that has just
// let go of most of what it holds (the syntax trees, once compiled).
// What the build makes next (lints, output) then reuses that memory
// instead of faulting in fresh pages, and runs without the collector's
// write barriers, which a collection in the middle of the output turned
// on. A collection started and not waited for gained nothing. GOGC or
// GOMEMLIMIT in the environment turns it off.
func Reclaim() {
	if overridden() {
		return
	}
	heap := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(heap)
	if heap[0].Value.Kind() != metrics.KindUint64 || heap[0].Value.Uint64() < reclaimAbove {
		return
	}
	runtime.GC()
	firstCollected()
}

// overridden reports whether the environment sets the pace (GOGC or
// GOMEMLIMIT), which the runtime has taken already.
func overridden() bool { return os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" }

// set collects once per growth of percent, with no limit; mu is held.
func set(percent int) {
	settled = true
	debug.SetGCPercent(percent)
	debug.SetMemoryLimit(math.MaxInt64)
}
