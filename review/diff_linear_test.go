package review

import (
	"testing"

	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/internal/synth"
	"github.com/sgc-dev/sgc/internal/testkit"
)

// TestDiffOfUnrelatedPoliciesIsLinear compares two unrelated policies,
// where nearly every pair with a block source is widened: noting the
// block each replaced read the whole of the other side once per pair (two
// minutes at 50,000 flows), and must read it once per side.
func TestDiffOfUnrelatedPoliciesIsLinear(t *testing.T) {
	policy := func(seed int64) *model.Program {
		return testkit.Compile(t, synth.Generate(synth.Config{Groups: 100, Flows: 2000, Seed: seed, GroupsPerFile: 50}))
	}
	before, after := policy(1), policy(2)
	replacedScanned.Store(0)
	d := Compare(before, after)
	if len(d.Widened) < 100 || len(d.Narrowed) < 100 {
		t.Fatalf("%d widened, %d narrowed: the policies are not unrelated enough to show it", len(d.Widened), len(d.Narrowed))
	}
	keys := 0
	for _, p := range []*model.Program{before, after} {
		set, _ := accessSet(p, nil)
		keys += len(set)
	}
	if n := replacedScanned.Load(); n > int64(keys) {
		t.Errorf("%d keys read to note replaced blocks, for %d keys in both policies: more than once each", n, keys)
	}
}
