package review

import (
	"math/rand/v2"
	"sort"
	"testing"

	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/lang/source"
)

// TestSortBySource holds sortBySource to a stable sort by Range.Before,
// on flows of several files in any order, with flows that share their
// statement's range (they must keep their order).
func TestSortBySource(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for round := 0; round < 50; round++ {
		n := rng.IntN(300)
		fs := make([]*model.Flow, n)
		for i := range fs {
			start := rng.IntN(40)
			file := []string{"b.intent", "a.intent", "dir/a.intent", "c.intent"}[rng.IntN(4)]
			fs[i] = &model.Flow{Purpose: string(rune('a' + i%26)), Range: source.Range{
				Start: source.Pos{Filename: file, Offset: start},
				End:   source.Pos{Filename: file, Offset: start + rng.IntN(3)},
			}}
		}
		want := append([]*model.Flow(nil), fs...)
		sort.SliceStable(want, func(i, j int) bool { return want[i].Range.Before(want[j].Range) })
		sortBySource(fs)
		for i := range fs {
			if fs[i] != want[i] {
				t.Fatalf("round %d: flow %d is %v, a stable sort by Range.Before puts %v there", round, i, fs[i].Range, want[i].Range)
			}
		}
	}
}
