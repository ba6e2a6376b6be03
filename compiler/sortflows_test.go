package compiler_test

import (
	"math/rand"
	"slices"
	"testing"

	"github.com/sgc-dev/sgc/compiler"
	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/internal/synth"
	"github.com/sgc-dev/sgc/load"
)

// TestSortFlowsIsCompareFlows holds the ranked flow sort to CompareFlows
// (then position), on shuffled flows of random policies dense with flows
// between the same two ends.
func TestSortFlowsIsCompareFlows(t *testing.T) {
	for seed := int64(1); seed <= 30; seed++ {
		p := load.FromSources(synth.Generate(synth.Config{Groups: 6, Flows: 300, Seed: seed}), compiler.Options{Now: testNow})
		if p.Diags.HasErrors() {
			t.Fatal(p.Diags)
		}
		want := slices.Clone(p.Program.Flows)
		slices.SortFunc(want, func(a, b *model.Flow) int {
			if c := compiler.CompareFlows(a, b); c != 0 {
				return c
			}
			switch {
			case a.Range.Before(b.Range):
				return -1
			case b.Range.Before(a.Range):
				return 1
			}
			return 0
		})
		got := slices.Clone(p.Program.Flows)
		rand.New(rand.NewSource(seed)).Shuffle(len(got), func(i, j int) { got[i], got[j] = got[j], got[i] })
		compiler.SortFlows(got)
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("seed %d: flow %d is %s, CompareFlows puts %s there", seed, i, got[i].Range, want[i].Range)
			}
		}
	}
}
