package compiler

import (
	"slices"
	"strings"

	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/internal/limits"
	"github.com/sgc-dev/sgc/lang/ast"
)

// never resolves a never statement. Its names must exist (a typo is an
// error, so it cannot silently guarantee nothing); a pattern that matches
// no group is a warning for the same reason.
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
			for _, g := range c.prog.Groups {
				if model.Glob(m.Pattern, g.Name) {
					m.Groups = append(m.Groups, g)
				}
			}
			if len(m.Groups) == 0 {
				c.diags.Warnf(sel.Range(), NeverMatchesNothing, "pattern %s matches no group: this never guarantees nothing", sel.Pattern.Raw).
					WithDetail("\"*\" stands for any run of characters; every other character for itself. Check the pattern against the groups' names.")
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
	for _, n := range c.prog.Nevers {
		slices.SortFunc(n.From.Groups, byName)
		slices.SortFunc(n.To.Groups, byName)
	}
	// Only a rule on a group a side names can break a never: an ingress
	// rule's destination and an egress rule's source are its group.
	byGroup := map[*model.Group][]*model.Rule{}
	for _, r := range c.prog.Rules {
		byGroup[r.Group] = append(byGroup[r.Group], r)
	}
	budget := limits.NeverChecks
	for _, n := range c.prog.Nevers {
		reported := map[*model.Flow]bool{}
		for _, g := range c.prog.Groups {
			if !n.To.Names(g) && !n.From.Names(g) {
				continue
			}
			rules := byGroup[g]
			if budget -= len(rules); budget < 0 {
				c.diags.Errorf(n.Range, NeverTooCostly, "too many rules to check this guarantee against: never statements may examine %d rules in all", limits.NeverChecks).
					WithDetail("Each never examines the rules of the groups its sides name; narrow the patterns, or write fewer nevers over \"*\".")
				return
			}
			for _, r := range rules {
				if reported[r.Flow] || !Forbids(n, r) {
					continue
				}
				reported[r.Flow] = true
				c.diags.Errorf(r.Flow.Range, NeverViolated, "flow breaks a guarantee: never %s -> %s", n.From, n.To).
					WithDetail("It would be emitted as the rule %s, which the never statement forbids (%q). Waivers do not apply to a never.", describeRule(r), n.Reason).
					WithRelated(n.Range, "the guarantee")
			}
		}
	}
}

func neverKey(n *model.Never) string {
	return n.From.String() + "\x00" + n.To.String() + "\x00" + model.PortsString(n.Ports) + "\x00" + strings.Join(n.Except, ",") + "\x00" + n.Reason
}

// Forbids reports whether never n forbids rule r.
func Forbids(n *model.Never, r *model.Rule) bool {
	if n.Ports != nil {
		overlap := false
		for _, p := range n.Ports {
			overlap = overlap || p.Overlaps(r.Port)
		}
		if !overlap {
			return false
		}
	}
	group := model.Peer{Kind: model.PeerGroup, Group: r.Group, Via: r.Group}
	src, dst := r.Peer, group
	if r.Direction == model.Egress {
		src, dst = group, r.Peer
	}
	return matches(n.From, src, n.Except) && matches(n.To, dst, n.Except)
}

// matches reports whether a side of a rule falls under a selector.
func matches(sel model.Selector, p model.Peer, except []string) bool {
	name := p.Via.Declared().Name
	for _, e := range except {
		if e == name {
			return false
		}
	}
	if sel.Endpoint == nil {
		return p.Kind == model.PeerGroup && sel.Names(p.Group)
	}
	switch e := sel.Endpoint.(type) {
	case *model.Group:
		return p.Kind == model.PeerGroup && p.Group == e
	case *model.Network:
		if p.Kind != model.PeerCIDR {
			return false
		}
		if e.Predeclared {
			return model.Public(p.CIDR) // internet: any block with a public address
		}
		for _, b := range e.CIDRs {
			if b.Overlaps(p.CIDR) {
				return true
			}
		}
	case *model.PrefixList:
		return p.Kind == model.PeerPrefixList && p.PrefixList.ID == e.ID
	case *model.External:
		return p.Kind == model.PeerExternal && (p.External == e || e.ID != "" && p.External.ID == e.ID)
	}
	return false
}
