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
	"sync"
)

// FirstAt is the heap at which a build first collects: above what a
// 10k-flow build allocates in all, well under what the machines sgc runs
// on have. Measured on 10k- and 50k-flow split builds against 128, 192
// and 384 MiB (2026-12-02): 10k builds spent 14-20% less CPU at each;
// at 50k, where a collection comes anyway, 256 MiB gave the least peak
// memory (307 MB against 329 MB at 400% from the start, and 395 MB at
// 384 MiB, where the limit's collection meets the 400 MB goal's edge).
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
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
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

// firstCollected sets the pace after the first collection, unless Often
// has set it already.
func firstCollected() {
	mu.Lock()
	defer mu.Unlock()
	if !settled {
		set(after)
	}
}

// Often sets Go's default pace, for a command that drops most of what it
// makes (diff, owners compare two programs and keep a report): it would
// otherwise grow its heap to several times what it holds. GOGC or
// GOMEMLIMIT in the environment overrides it.
func Often() {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	mu.Lock()
	defer mu.Unlock()
	set(100)
}

// set collects once per growth of percent, with no limit; mu is held.
func set(percent int) {
	settled = true
	debug.SetGCPercent(percent)
	debug.SetMemoryLimit(math.MaxInt64)
}
