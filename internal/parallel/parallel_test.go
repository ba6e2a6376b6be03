package parallel

import (
	"sync/atomic"
	"testing"
	"time"
)

func TestEachCallsEveryIndexOnce(t *testing.T) {
	for _, n := range []int{0, 1, 7, 1000} {
		calls := make([]int32, n)
		Each(n, func(i int) { atomic.AddInt32(&calls[i], 1) })
		for i, c := range calls {
			if c != 1 {
				t.Fatalf("n=%d: fn(%d) called %d times", n, i, c)
			}
		}
	}
}

func TestParts(t *testing.T) {
	if got := Parts(0); got != 1 {
		t.Errorf("Parts(0) = %d", got)
	}
	if got := Parts(1); got != 1 {
		t.Errorf("Parts(1) = %d", got)
	}
}

// TestEachAtMostHoldsItsWidth: no more than width calls run at once, and
// every index is still called once (width 0 means one at a time).
func TestEachAtMostHoldsItsWidth(t *testing.T) {
	for _, width := range []int{0, 1, 3} {
		var running, peak int32
		calls := make([]int32, 40)
		EachAtMost(len(calls), width, func(i int) {
			now := atomic.AddInt32(&running, 1)
			for {
				p := atomic.LoadInt32(&peak)
				if now <= p || atomic.CompareAndSwapInt32(&peak, p, now) {
					break
				}
			}
			// Hold the slot a moment, so that calls beyond the width,
			// were they started, would overlap this one.
			time.Sleep(200 * time.Microsecond)
			atomic.AddInt32(&calls[i], 1)
			atomic.AddInt32(&running, -1)
		})
		if want := int32(max(1, width)); peak > want {
			t.Errorf("width %d: %d calls ran at once", width, peak)
		}
		for i, c := range calls {
			if c != 1 {
				t.Fatalf("width %d: fn(%d) called %d times", width, i, c)
			}
		}
	}
}

func TestDoCallsEachOnce(t *testing.T) {
	var a, b, c atomic.Int32
	Do(func() { a.Add(1) }, func() { b.Add(1) }, func() { c.Add(1) })
	if a.Load() != 1 || b.Load() != 1 || c.Load() != 1 {
		t.Errorf("calls: %d, %d, %d; want one each", a.Load(), b.Load(), c.Load())
	}
	Do() // nothing to do returns at once
}
