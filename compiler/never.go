package compiler

import (
	"slices"
	"strings"

	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/internal/limits"
	"github.com/sgc-dev/sgc/lang/ast"
)

// never resolves a never statement. Its names must exist (a typo is an
// error, so it cannot silently guarantee nothing), and for the same reason
// a pattern must match something. A pattern matches the names of
// everything declared: groups, networks (internet among them), prefix
// lists and externals, so "*" is "from anything".
func (c *compiler) never(s *ast.Never) {
	n := &model.Never{Reason: s.Reason.Value, Range: s.Range()}
	ok := true
	for i, sel := range []*ast.Selector{s.From, s.To} {
		m := model.Selector{Range: sel.Range()}
		if sel.Name != nil {
			sym := c.lookup(sel.Name, endpointKinds...)
			if sym == nil {
				ok = false
				continue
			}
			m.Endpoint = sym.entity.(model.Endpoint)
		} else {
			m.Pattern = sel.Pattern.Value
			if !c.matchPattern(&m) {
				c.diags.Errorf(n.Range, NeverTooCostly, "too many names to match this pattern against: never statements may examine %d names and rules in all", limits.NeverChecks).
					WithDetail("A pattern is matched against every declared name; a pattern this long, or this many nevers, cannot be checked.")
				return
			}
			if m.Empty() {
				ok = false
				c.diags.Errorf(sel.Range(), NeverMatchesNothing, "pattern %s matches nothing declared: this never would guarantee nothing", sel.Pattern.Raw).
					WithDetail("\"*\" stands for any run of characters, letters match in either case, and every other character stands for itself; a pattern is matched against the names of groups, networks, prefix lists and externals. Check it against the names, or remove the never.")
			}
		}
		if i == 0 {
			n.From = m
		} else {
			n.To = m
		}
	}
	if s.Ports != nil {
		ports, _, portsOK := c.ports(s.Ports)
		ok = ok && portsOK
		n.Ports = ports
	}
	for _, id := range s.Except {
		if c.lookup(id, endpointKinds...) == nil {
			ok = false
		}
		n.Except = append(n.Except, id.Name)
	}
	c.checkNote(s.Reason, "reason")
	if ok {
		c.prog.Nevers = append(c.prog.Nevers, n)
	}
}

// matchPattern fills in what the pattern of m matches, charging the never
// budget for the work; false when the budget runs out.
func (c *compiler) matchPattern(m *model.Selector) bool {
	g := model.CompileGlob(m.Pattern)
	m.Any = g.MatchesAll()
	match := func(name string) bool {
		c.neverBudget -= g.Cost(name)
		return c.neverBudget >= 0 && g.Match(name)
	}
	for _, grp := range c.prog.Groups {
		// Patterns are written against role names: "*-db" means the same
		// groups in every environment.
		if match(grp.RoleName()) {
			m.Groups = append(m.Groups, grp)
		}
	}
	var others []model.Endpoint
	for _, n := range c.prog.Networks {
		others = append(others, n)
	}
	for _, pl := range c.prog.PrefixLists {
		others = append(others, pl)
	}
	for _, x := range c.prog.Externals {
		others = append(others, x)
	}
	for _, e := range others {
		if match(e.Declared().Name) {
			m.Others = append(m.Others, e)
		}
	}
	return c.neverBudget >= 0
}

// checkNevers proves every never against the rules the targets will emit
// (those of active flows): a rule whose source and destination fall under
// the never's sides (a network's blocks by overlap, so a /16 holding a
// forbidden /24 breaks it; internet by any public address, so 0.0.0.0/1 is
// part of it and 10.0.0.0/8 is not) and whose ports overlap the
// never's is an error at its flow, once per flow and never.
func (c *compiler) checkNevers() {
	// By content, like everything in a Program: the order of lines and
	// files must not show.
	slices.SortStableFunc(c.prog.Nevers, func(a, b *model.Never) int {
		return strings.Compare(neverKey(a), neverKey(b))
	})
	// A pattern's groups were gathered in declaration order, before the
	// program was sorted: put them in model order (by name).
	byName := func(a, b *model.Group) int { return strings.Compare(a.Name, b.Name) }
	byEndpoint := func(a, b model.Endpoint) int { return strings.Compare(a.Declared().Name, b.Declared().Name) }
	for _, n := range c.prog.Nevers {
		slices.SortFunc(n.From.Groups, byName)
		slices.SortFunc(n.To.Groups, byName)
		slices.SortFunc(n.From.Others, byEndpoint)
		slices.SortFunc(n.To.Others, byEndpoint)
	}
	// Only a rule on a group a side names can break a never: an ingress
	// rule's destination and an egress rule's source are its group.
	byGroup := map[*model.Group][]*model.Rule{}
	for _, r := range c.prog.Rules {
		byGroup[r.Group] = append(byGroup[r.Group], r)
	}
	for _, n := range c.prog.Nevers {
		reported := map[*model.Flow]bool{}
		for _, g := range c.prog.Groups {
			if !n.To.Names(g) && !n.From.Names(g) {
				continue
			}
			rules := byGroup[g]
			if c.neverBudget -= len(rules); c.neverBudget < 0 {
				c.diags.Errorf(n.Range, NeverTooCostly, "too many rules to check this guarantee against: never statements may examine %d rules in all", limits.NeverChecks).
					WithDetail("Each never examines the rules of the groups its sides name; narrow the patterns, or write fewer nevers over \"*\".")
				return
			}
			for _, r := range rules {
				if reported[r.Flow] {
					continue
				}
				switch why := model.Unprovable(n, r); {
				case model.Forbids(n, r):
					reported[r.Flow] = true
					c.diags.Errorf(r.Flow.Range, NeverViolated, "flow breaks a guarantee: never %s -> %s", n.From, n.To).
						WithDetail("It would be emitted as the rule %s, which the never statement forbids (%q). Waivers do not apply to a never.", describeRule(r), n.Reason).
						WithRelated(n.Range, "the guarantee")
				case why != "":
					reported[r.Flow] = true
					c.diags.Errorf(r.Flow.Range, NeverUnprovable, "flow cannot be proved to keep a guarantee: never %s -> %s", n.From, n.To).
						WithDetail("It would be emitted as the rule %s, and %s, so whether the never statement (%q) forbids it cannot be known at compile time. A guarantee is never taken as kept on faith.", describeRule(r), why, n.Reason).
						WithSuggestion("If the flow is allowed, leave %s out of the guarantee: never %s -> %s ... except %s", r.Peer.Via.Declared().Name, n.From, n.To, r.Peer.Via.Declared().Name).
						WithRelated(n.Range, "the guarantee")
				}
			}
		}
	}
}

func neverKey(n *model.Never) string {
	return n.From.String() + "\x00" + n.To.String() + "\x00" + model.PortsString(n.Ports) + "\x00" + strings.Join(n.Except, ",") + "\x00" + n.Reason
}
