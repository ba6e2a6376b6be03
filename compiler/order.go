package compiler

import (
	"slices"
	"sort"
	"strings"

	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/lang/source"
)

func compareRanges(a, b source.Range) int {
	switch {
	case a.Before(b):
		return -1
	case b.Before(a):
		return 1
	}
	return 0
}

// sortProgram orders everything by content, never by position, so the
// model does not depend on how the policy is laid out.
func (c *compiler) sortProgram() {
	p := c.prog
	sort.Slice(p.Groups, func(i, j int) bool { return p.Groups[i].Name < p.Groups[j].Name })
	sort.Slice(p.Networks, func(i, j int) bool { return p.Networks[i].Name < p.Networks[j].Name })
	sort.Slice(p.PrefixLists, func(i, j int) bool { return p.PrefixLists[i].Name < p.PrefixLists[j].Name })
	sort.Slice(p.Externals, func(i, j int) bool { return p.Externals[i].Name < p.Externals[j].Name })
	sort.Slice(p.Interfaces, func(i, j int) bool { return p.Interfaces[i].Name < p.Interfaces[j].Name })
	sort.Slice(p.Services, func(i, j int) bool { return p.Services[i].Name < p.Services[j].Name })
	sortFlows(p.Flows)
	// p.Rules are in rule order already: deriveRules sorts them.
}

// CompareFlows orders flows by content: source, destination, ports,
// purpose, expiry. It returns -1, 0 or +1.
func CompareFlows(a, b *model.Flow) int {
	if c := strings.Compare(a.From.Declared().Name, b.From.Declared().Name); c != 0 {
		return c
	}
	if c := strings.Compare(a.To.Declared().Name, b.To.Declared().Name); c != 0 {
		return c
	}
	if c := comparePorts(a.Ports, b.Ports); c != 0 {
		return c
	}
	if c := strings.Compare(a.Purpose, b.Purpose); c != 0 {
		return c
	}
	return a.Until.Compare(b.Until)
}

// sortFlows sorts flows as CompareFlows orders them, telling flows equal
// by content apart by position, which is unique. The two ends' names are
// ranked first, so that most comparisons are of two integers: a large
// policy's flow sort was a fifth of its compile while each comparison
// called both ends' Declared and compared their names.
// TestSortFlowsIsCompareFlows holds it to CompareFlows.
func sortFlows(flows []*model.Flow) {
	rank := map[string]int32{}
	for _, f := range flows {
		rank[f.From.Declared().Name] = 0
		rank[f.To.Declared().Name] = 0
	}
	names := make([]string, 0, len(rank))
	for n := range rank {
		names = append(names, n)
	}
	slices.Sort(names)
	for i, n := range names {
		rank[n] = int32(i)
	}
	type keyed struct {
		from, to int32
		f        *model.Flow
	}
	keys := make([]keyed, len(flows))
	for i, f := range flows {
		keys[i] = keyed{rank[f.From.Declared().Name], rank[f.To.Declared().Name], f}
	}
	slices.SortFunc(keys, func(a, b keyed) int {
		switch {
		case a.from != b.from:
			return int(a.from - b.from)
		case a.to != b.to:
			return int(a.to - b.to)
		}
		if c := comparePorts(a.f.Ports, b.f.Ports); c != 0 {
			return c
		}
		if c := strings.Compare(a.f.Purpose, b.f.Purpose); c != 0 {
			return c
		}
		if c := a.f.Until.Compare(b.f.Until); c != 0 {
			return c
		}
		return compareRanges(a.f.Range, b.f.Range)
	})
	for i, k := range keys {
		flows[i] = k.f
	}
}
