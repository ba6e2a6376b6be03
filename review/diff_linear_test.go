package review

import (
	"reflect"
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

// TestDiffSortsWhatChanged changes one flow's port in a 2,000-flow policy:
// the comparison puts in order the access that differs, a key or two, not
// every key of the policy (which made sorting a quarter of a large diff).
func TestDiffSortsWhatChanged(t *testing.T) {
	src := synth.Generate(synth.Config{Groups: 100, Flows: 2000, Seed: 1, GroupsPerFile: 50})
	before := testkit.Compile(t, src)
	changed, ok := synth.PortChanged(src)
	if !ok {
		t.Fatal("no single TCP port to change")
	}
	after := testkit.Compile(t, changed)
	sortedKeys.Store(0)
	d := Compare(before, after)
	if len(d.Flows) != 1 || len(d.Widened) == 0 || len(d.Narrowed) == 0 {
		t.Fatalf("%d flows changed, %d widened, %d narrowed: want one flow that widens and narrows", len(d.Flows), len(d.Widened), len(d.Narrowed))
	}
	if n, most := sortedKeys.Load(), int64(2*(len(d.Widened)+len(d.Narrowed))); n > most {
		t.Errorf("%d keys sorted for %d widened and %d narrowed: the comparison sorts keys that did not change", n, len(d.Widened), len(d.Narrowed))
	}
}

// TestCompareFlowsIsCompare holds CompareFlows, what sgc owners runs, to
// Compare's groups, flows and approvals, and to skipping the access sets.
func TestCompareFlowsIsCompare(t *testing.T) {
	policy := func(seed int64) *model.Program {
		p := testkit.Compile(t, synth.Generate(synth.Config{Groups: 40, Flows: 600, Seed: seed, GroupsPerFile: 20}))
		for _, g := range p.Groups { // owners, by name, for approvals to name
			g.Owner = []string{"", "alice", "acme/platform"}[len(g.Name)%3]
		}
		return p
	}
	a, b := policy(1), policy(2)
	if len(Compare(a, b).Approvals()) < 2 {
		t.Fatal("the two policies need changes that owners approve")
	}
	for _, pair := range [][2]*model.Program{{a, b}, {b, a}, {a, a}} {
		full, flows := Compare(pair[0], pair[1]), CompareFlows(pair[0], pair[1])
		if !reflect.DeepEqual(full.Groups, flows.Groups) || !reflect.DeepEqual(full.Flows, flows.Flows) ||
			!reflect.DeepEqual(full.Approvals(), flows.Approvals()) {
			t.Errorf("CompareFlows differs from Compare in groups, flows or approvals")
		}
		if flows.Widened != nil || flows.Narrowed != nil {
			t.Errorf("CompareFlows computed access: %d widened, %d narrowed", len(flows.Widened), len(flows.Narrowed))
		}
	}
}
