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
	// Flows equal by content are told apart by position, which is unique.
	slices.SortFunc(p.Flows, func(a, b *model.Flow) int {
		if c := CompareFlows(a, b); c != 0 {
			return c
		}
		return compareRanges(a.Range, b.Range)
	})
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
