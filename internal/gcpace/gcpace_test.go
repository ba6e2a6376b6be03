package gcpace

import (
	"math"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

// percent reads the collector's pace without changing it.
func percent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

// unset clears GOGC and GOMEMLIMIT for a test, and puts the collector's
// pace and limit back after it.
func unset(t *testing.T) {
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	p := percent()
	t.Cleanup(func() {
		debug.SetGCPercent(p)
		debug.SetMemoryLimit(math.MaxInt64)
	})
}

func TestNoCollectionUntilFirstAtThenFourfold(t *testing.T) {
	unset(t)
	start(FirstAt)
	if p := percent(); p != -1 {
		t.Fatalf("after Start the collector runs at %d%%, want off (-1) until the first collection", p)
	}
	if l := debug.SetMemoryLimit(-1); l != FirstAt {
		t.Fatalf("after Start the memory limit is %d, want FirstAt (%d)", l, FirstAt)
	}
	// The first collection (forced here, by the limit in a build) sets
	// the pace from then on.
	deadline := time.Now().Add(10 * time.Second)
	for percent() != after {
		if time.Now().After(deadline) {
			t.Fatalf("the first collection did not set the pace: %d%%, want %d%%", percent(), after)
		}
		runtime.GC()
		time.Sleep(time.Millisecond)
	}
	if l := debug.SetMemoryLimit(-1); l != math.MaxInt64 {
		t.Fatalf("after the first collection the memory limit is %d, want none", l)
	}
}

func TestOftenWinsOverTheFirstCollection(t *testing.T) {
	unset(t)
	start(FirstAt)
	Often()
	for range 3 {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	if p := percent(); p != 100 {
		t.Fatalf("Often then a collection: %d%%, want 100%%", p)
	}
	if l := debug.SetMemoryLimit(-1); l != math.MaxInt64 {
		t.Fatalf("after Often the memory limit is %d, want none", l)
	}
}

func TestEnvironmentOverrides(t *testing.T) {
	t.Setenv("GOGC", "200")
	before := percent()
	start(FirstAt)
	Often()
	Reclaim()
	if p := percent(); p != before {
		t.Fatalf("with GOGC set, the pace changed from %d%% to %d%%", before, p)
	}
}

// TestReclaimCollectsALargeHeapOnly: below reclaimAbove nothing happens;
// above it, a collection, and the pace of after the first collection.
func TestReclaimCollectsALargeHeapOnly(t *testing.T) {
	unset(t)
	start(FirstAt)
	collections := func() uint32 {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.NumGC
	}
	before := collections()
	Reclaim()
	if n := collections(); n != before {
		t.Fatalf("a heap of a test's size was collected (%d collections)", n-before)
	}
	if p := percent(); p != -1 {
		t.Fatalf("after Reclaim of a small heap the pace is %d%%, want still off", p)
	}
	big := make([][]byte, 0, 64)
	for range 64 {
		big = append(big, make([]byte, reclaimAbove/32))
	}
	Reclaim()
	runtime.KeepAlive(big)
	if n := collections(); n == before {
		t.Fatal("a heap over reclaimAbove was not collected")
	}
	if p := percent(); p != after {
		t.Fatalf("after Reclaim collected, the pace is %d%%, want %d%%", p, after)
	}
}
