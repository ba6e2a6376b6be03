package cloudformation

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// bucketByTrials is the definition bucket computes faster: for n = need,
// need+1, …, partition every item by jump hashing and take the first n
// whose every bucket of more than one item fits.
func bucketByTrials(keys []uint64, sizes []int, need int, fits func(count, sum int, items []int) bool) [][]int {
	for n := max(1, need); ; n++ {
		out := make([][]int, n)
		for i, k := range keys {
			b := jump(k, n)
			out[b] = append(out[b], i)
		}
		ok := true
		for _, b := range out {
			sum := 0
			for _, i := range b {
				sum += sizes[i]
			}
			ok = ok && (len(b) <= 1 || fits(len(b), sum, b))
		}
		if ok {
			return out
		}
	}
}

// TestBucketMatchesTrials: the incremental bucketing gives the partition
// of the trials, item for item, over random keys, sizes and limits, with
// verdicts by count, by the sum of sizes and by the items themselves.
func TestBucketMatchesTrials(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	grown := 0
	for c := 0; c < 150; c++ {
		items := r.IntN(3000)
		keys := make([]uint64, items)
		sizes := make([]int, items)
		idx := make([]int, items)
		for i := range keys {
			keys[i], sizes[i], idx[i] = r.Uint64(), 1+r.IntN(100), i
		}
		// Limits that bind (the first n rarely fits) without growing n
		// far: a trial partition per n is what this test runs.
		most := 20 + r.IntN(200)
		room := most * (35 + r.IntN(30)) // sizes average 50
		byItems := r.IntN(3) == 0
		fits := func(count, sum int, items []int) bool {
			if count > most {
				return false
			}
			// A verdict that needs the items: a bucket holding item 0
			// takes at most half as many.
			if byItems && count > most/2 && slices.Contains(items, 0) {
				return false
			}
			return count < 3 || sum <= room
		}
		need := r.IntN(10)
		want := bucketByTrials(keys, sizes, need, fits)
		got := bucket(idx, func(i int) uint64 { return keys[i] }, need, func(i int) int { return sizes[i] },
			func(count, sum int, items func() []int) bool { return fits(count, sum, items()) })
		if len(want) > max(1, need)+1 {
			grown++
		}
		if len(got) != len(want) {
			t.Fatalf("case %d (%d items, most %d, room %d): %d buckets, trials give %d", c, items, most, room, len(got), len(want))
		}
		for b := range want {
			if !slices.Equal(got[b], want[b]) {
				t.Fatalf("case %d: bucket %d is %v, trials give %v", c, b, got[b], want[b])
			}
		}
	}
	if grown < 50 {
		t.Errorf("only %d of 150 cases took more than two trials: the limits do not bind", grown)
	}
}
