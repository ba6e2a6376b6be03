package parallel

import (
	"sync/atomic"
	"testing"
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
