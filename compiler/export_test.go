package compiler

import (
	"slices"
	"strings"

	"github.com/sgc-dev/sgc/compiler/model"
)

// SetMaxRules lowers the rule limit until the returned function is called.
func SetMaxRules(n int) (restore func()) {
	saved := maxRules
	maxRules = n
	return func() { maxRules = saved }
}

// SortFlows is sortFlows, for TestSortFlowsIsCompareFlows.
var SortFlows = sortFlows

// ResolveFlowsInOrder makes Compile resolve every flow in statement
// order, as it did before flows were resolved side by side, until the
// returned function is called.
func ResolveFlowsInOrder() (restore func()) {
	sequentialFlows = true
	return func() { sequentialFlows = false }
}

// PeerRanks ranks the peers of rules as deriveRules does, with groups
// listed in the program, and by their keys alone.
func PeerRanks(rules []*model.Rule, groups []*model.Group) (ranked, byKey []int) {
	rank := make(map[*model.Group]int, len(groups))
	sorted := slices.Clone(groups)
	slices.SortFunc(sorted, func(a, b *model.Group) int { return strings.Compare(a.Name, b.Name) })
	for i, g := range sorted {
		rank[g] = i
	}
	all := make([]keyedRule, len(rules))
	for i, r := range rules {
		all[i] = keyedRule{Rule: r, seq: int32(i)}
	}
	rankPeers(all, rank)
	for _, k := range all {
		ranked = append(ranked, k.peer)
	}
	rankPeersByKey(all)
	for _, k := range all {
		byKey = append(byKey, k.peer)
	}
	return ranked, byKey
}

// PortOrder is portOrder, for TestPortOrder.
var PortOrder = portOrder
