package compiler

import (
	"fmt"
	"slices"
	"strings"

	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/internal/limits"
)

// deriveRules expands each active flow into AWS rules and reports flows
// that produce a rule another flow already produces. Of such duplicates the
// model keeps the rule of the flow that sorts first by content, so it does
// not depend on layout; the diagnostic goes to the flow written later.
// flows and groups are copies of the program's, which it may reorder.
func (c *compiler) deriveRules(flows []*model.Flow, groups []*model.Group) {
	slices.SortStableFunc(flows, func(a, b *model.Flow) int { return compareRanges(a.Range, b.Range) })
	// Every rule of every active flow, sorted into rule order; rules with
	// the same key (the same AWS rule) end up side by side, in source order.
	var all []keyedRule
	slices.SortFunc(groups, func(a, b *model.Group) int { return strings.Compare(a.Name, b.Name) })
	rank := make(map[*model.Group]int, len(groups))
	peerRank := map[model.PeerID]int{}
	for i, g := range groups {
		rank[g] = i
	}
	for _, f := range flows {
		if f.Status == model.Expired {
			continue
		}
		if len(all) > limits.Rules {
			c.diags.Errorf(f.Range, PolicyTooLarge, "the policy expands to more than %d AWS rules", limits.Rules).
				WithDetail("No AWS account holds that many security group rules, and compiling more would take gigabytes of memory. Services used by many flows multiply: check the flows that use the largest ones.")
			c.prog.Rules = nil
			return
		}
		for _, r := range Rules(f) {
			all = append(all, keyedRule{r, rank[r.Group], 0, len(all)})
			peerRank[r.Peer.ID()] = 0
		}
	}
	// Peers are ranked in the order of their keys once, not compared as
	// keys: a large policy spelled out 87,000 keys to sort its rules.
	type keyed struct {
		id  model.PeerID
		key string
	}
	ids := make([]keyed, 0, len(peerRank))
	for id := range peerRank {
		ids = append(ids, keyed{id, id.String()})
	}
	slices.SortFunc(ids, func(a, b keyed) int { return strings.Compare(a.key, b.key) })
	for i, k := range ids {
		peerRank[k.id] = i
	}
	for i := range all {
		all[i].peer = peerRank[all[i].Peer.ID()]
	}
	slices.SortFunc(all, func(a, b keyedRule) int {
		if c := compareKeyedRules(a, b); c != 0 {
			return c
		}
		return a.seq - b.seq
	})
	reported := map[[2]*model.Flow]bool{}
	c.prog.Rules = make([]*model.Rule, 0, len(all))
	for i := 0; i < len(all); {
		j := i + 1
		for j < len(all) && compareKeyedRules(all[i], all[j]) == 0 {
			j++
		}
		first := all[i].Rule
		kept := first
		for _, k := range all[i+1 : j] {
			r := k.Rule
			if CompareFlows(r.Flow, kept.Flow) < 0 {
				kept = r
			}
			pair := [2]*model.Flow{first.Flow, r.Flow}
			if reported[pair] {
				continue
			}
			reported[pair] = true
			c.diags.Errorf(r.Flow.Range, DuplicateRule, "flow produces the same AWS rule as another flow: %s", describeRule(r)).
				WithDetail("AWS refuses a rule that already exists, and rules that differ only in description are the same rule. Remove one flow, or merge their purposes.").
				WithRelated(first.Flow.Range, "the other flow")
		}
		c.prog.Rules = append(c.prog.Rules, kept)
		i = j
	}
}

// keyedRule is a rule with its group's and its peer's ranks, computed once
// for sorting, and its place in source order.
type keyedRule struct {
	*model.Rule
	group int // the group's place in name order
	peer  int // the peer's place in the order of peer keys (model.Peer.Key)
	seq   int
}

// compareKeyedRules orders rules by group name, direction, port, then
// peer key: the order of Program.Rules. It is 0 exactly for rules with the
// same Key.
func compareKeyedRules(a, b keyedRule) int {
	switch {
	case a.group != b.group:
		return a.group - b.group
	case a.Direction != b.Direction:
		return int(a.Direction) - int(b.Direction)
	case a.Port != b.Port:
		if a.Port.Less(b.Port) {
			return -1
		}
		return 1
	}
	return a.peer - b.peer
}

func describeRule(r *model.Rule) string {
	prep := "from"
	if r.Direction == model.Egress {
		prep = "to"
	}
	return fmt.Sprintf("%s on %q %s %s, %s", r.Direction, r.Group.Name, prep, r.Peer, r.Port)
}

// Rules returns the AWS rules a flow becomes, regardless of its expiry:
// for each port, an egress rule on the source if it is a group and an
// ingress rule on the destination if it is a group, one per peer whose
// address family the port applies to (model.Port.AppliesTo).
func Rules(f *model.Flow) []*model.Rule {
	var out []*model.Rule
	for _, p := range f.Ports {
		if g, ok := f.From.(*model.Group); ok {
			for _, peer := range Peers(f.To) {
				if p.AppliesTo(peer) {
					out = append(out, &model.Rule{Group: g, Direction: model.Egress, Port: p, Peer: peer, Flow: f})
				}
			}
		}
		if g, ok := f.To.(*model.Group); ok {
			for _, peer := range Peers(f.From) {
				if p.AppliesTo(peer) {
					out = append(out, &model.Rule{Group: g, Direction: model.Ingress, Port: p, Peer: peer, Flow: f})
				}
			}
		}
	}
	return out
}

// checkFamilies reports a flow whose ICMP ports apply to none of its
// address blocks (an error: it would open nothing), or to some only (a
// note naming the pairs left out).
func (c *compiler) checkFamilies(f *model.Flow) {
	other := peerSide(f)
	peers := Peers(other)
	var skipped []string
	kept := 0
	for _, p := range f.Ports {
		for _, peer := range peers {
			if p.AppliesTo(peer) {
				kept++
			} else {
				skipped = append(skipped, fmt.Sprintf("%s for %s", p, peer.CIDR))
			}
		}
	}
	if len(skipped) == 0 {
		return
	}
	const detail = "icmp is the ICMP of IPv4 and applies to IPv4 blocks only; icmpv6 applies to IPv6 blocks only. AWS accepts a rule of either on the other family's block, and it never matches a packet."
	if kept == 0 {
		c.diags.Errorf(f.PortsRange, FamilyMismatch, "flow opens nothing: its ICMP ports and %q's address blocks share no address family", other.Declared().Name).
			WithDetail("%s", detail).
			WithSuggestion("Use icmpv6 for IPv6 blocks and icmp for IPv4 blocks.")
		return
	}
	if len(skipped) > 3 {
		skipped = append(skipped[:3], fmt.Sprintf("%d more", len(skipped)-3))
	}
	c.diags.Infof(f.PortsRange, FamilySkipped, "left out as they share no address family: %s", strings.Join(skipped, ", ")).
		WithDetail("%s", detail)
}

// Peers returns what a rule can reference for an endpoint: one peer per
// CIDR of a network, or the prefix list or group itself.
func Peers(e model.Endpoint) []model.Peer {
	switch e := e.(type) {
	case *model.Group:
		return []model.Peer{{Kind: model.PeerGroup, Group: e, Via: e}}
	case *model.Network:
		out := make([]model.Peer, len(e.CIDRs))
		for i, p := range e.CIDRs {
			out[i] = model.Peer{Kind: model.PeerCIDR, CIDR: p, Via: e}
		}
		return out
	case *model.PrefixList:
		return []model.Peer{{Kind: model.PeerPrefixList, PrefixList: e, Via: e}}
	case *model.External:
		return []model.Peer{{Kind: model.PeerExternal, External: e, Via: e}}
	}
	return nil
}
