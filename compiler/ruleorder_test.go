package compiler_test

import (
	"slices"
	"strings"
	"testing"
	"unsafe"

	"github.com/sgc-dev/sgc/compiler"
	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/internal/synth"
	"github.com/sgc-dev/sgc/internal/testkit"
)

// compareRuleKeys is the order of Program.Rules spelled out: group name,
// direction, port, then the peer's key.
func compareRuleKeys(a, b *model.Rule) int {
	switch {
	case a.Group.Name != b.Group.Name:
		return strings.Compare(a.Group.Name, b.Group.Name)
	case a.Direction != b.Direction:
		return int(a.Direction) - int(b.Direction)
	case a.Port != b.Port:
		if a.Port.Less(b.Port) {
			return -1
		}
		return 1
	}
	return strings.Compare(a.Peer.ID().String(), b.Peer.ID().String())
}

// TestRuleOrder holds the program's rules, sorted by ranks spread by
// group and sorted group by group, to the order of their keys, on random
// policies with every kind of peer; and the peers' ranks to their keys'
// order, with a group the program does not list too.
func TestRuleOrder(t *testing.T) {
	kinds := map[model.PeerKind]bool{}
	for seed := int64(1); seed <= 12; seed++ {
		prog := testkit.Compile(t, synth.Generate(synth.Config{Groups: 30 + int(seed)*20, Flows: 1500, Seed: seed, GroupsPerFile: 25}))
		rules := prog.Rules
		for i := 1; i < len(rules); i++ {
			if compareRuleKeys(rules[i-1], rules[i]) >= 0 {
				t.Fatalf("seed %d: rule %d %s sorts after rule %d %s", seed, i-1, rules[i-1].Key(), i, rules[i].Key())
			}
		}
		for _, r := range rules {
			kinds[r.Peer.Kind] = true
		}
		for _, groups := range [][]*model.Group{prog.Groups, prog.Groups[1:]} {
			ranked, byKey := compiler.PeerRanks(rules, groups)
			order := func(ranks []int) []int {
				idx := make([]int, len(ranks))
				for i := range idx {
					idx[i] = i
				}
				slices.SortStableFunc(idx, func(a, b int) int { return ranks[a] - ranks[b] })
				return idx
			}
			if a, b := order(ranked), order(byKey); !slices.Equal(a, b) {
				t.Fatalf("seed %d (%d of %d groups listed): the peers' ranks order them unlike their keys", seed, len(groups), len(prog.Groups))
			}
		}
	}
	if len(kinds) < 4 {
		t.Fatalf("the policies have only peers of kinds %v", kinds)
	}
}

// TestRulesLaidOutInOrder holds the program's rules to one array in their
// order, which every later pass over them relies on to read them ahead
// instead of missing the cache on each (layOut).
func TestRulesLaidOutInOrder(t *testing.T) {
	rules := testkit.Compile(t, synth.Generate(synth.Config{Groups: 40, Flows: 800, Seed: 3, GroupsPerFile: 10})).Rules
	if len(rules) < 100 {
		t.Fatalf("only %d rules", len(rules))
	}
	size := unsafe.Sizeof(model.Rule{})
	for i := 1; i < len(rules); i++ {
		if d := uintptr(unsafe.Pointer(rules[i])) - uintptr(unsafe.Pointer(rules[i-1])); d != size {
			t.Fatalf("rule %d is %d bytes after rule %d, want %d: the rules are not one array in order", i, d, i-1, size)
		}
	}
}
