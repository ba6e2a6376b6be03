package compiler

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/internal/limits"
	"github.com/sgc-dev/sgc/internal/parallel"
)

// maxRules is limits.Rules, a variable so that a test can reach it with a
// few flows (TestPolicyTooLarge).
var maxRules = limits.Rules

// deriveRules expands each active flow into AWS rules and reports flows
// that produce a rule another flow already produces. Of such duplicates the
// model keeps the rule of the flow that sorts first by content, so it does
// not depend on layout; the diagnostic goes to the flow written later.
// flows and groups are copies of the program's, which it may reorder.
func (c *compiler) deriveRules(flows []*model.Flow, groups []*model.Group) {
	// Flows come in source order (flowsAndNevers): sorting is needed only
	// when they do not.
	byRange := func(a, b *model.Flow) int { return compareRanges(a.Range, b.Range) }
	if !slices.IsSortedFunc(flows, byRange) {
		slices.SortStableFunc(flows, byRange)
	}
	// Every rule of every active flow, sorted into rule order; rules with
	// the same key (the same AWS rule) end up side by side, in source order.
	slices.SortFunc(groups, func(a, b *model.Group) int { return strings.Compare(a.Name, b.Name) })
	rank := make(map[*model.Group]int, len(groups))
	for i, g := range groups {
		rank[g] = i
	}
	// The rules are made into one array, not one by one: at 50,000 flows
	// that was 87,000 allocations, and a slice of peers for every port.
	// Sized by a bound counted first: grown by appending, the array was
	// copied over and over, and the copies made the compile slower.
	bound := 0
	for _, f := range flows {
		if f.Status != model.Expired {
			if _, ok := f.From.(*model.Group); ok {
				bound += len(f.Ports) * peerCount(f.To)
			}
			if _, ok := f.To.(*model.Group); ok {
				bound += len(f.Ports) * peerCount(f.From)
			}
		}
	}
	made := make([]model.Rule, 0, min(bound, maxRules+1))
	networks := map[*model.Network][]model.Peer{} // a network's peers, made once
	for _, f := range flows {
		if f.Status == model.Expired {
			continue
		}
		// Checked after each flow's rules, on the flow that crosses the
		// limit: checked before, a policy whose last flow crossed it
		// compiled.
		if made = appendRules(made, f, networks); len(made) > maxRules {
			c.diags.Errorf(f.Range, PolicyTooLarge, "the policy expands to more than %d AWS rules", maxRules).
				WithDetail("No AWS account holds that many security group rules, and compiling more would take gigabytes of memory. Services used by many flows multiply: check the flows that use the largest ones.")
			c.prog.Rules = nil
			return
		}
	}
	all := make([]keyedRule, len(made))
	for i := range made {
		r := &made[i]
		all[i] = keyedRule{Rule: r, group: int32(rank[r.Group]), order: ruleOrder(r), seq: int32(i)}
	}
	rankPeers(all, rank)
	sortKeyedRules(all, len(groups))
	reported := map[[2]*model.Flow]bool{}
	order := make([]int32, 0, len(all)) // the kept rules' places in made, in rule order
	for i := 0; i < len(all); {
		j := i + 1
		for j < len(all) && compareKeyedRules(all[i], all[j]) == 0 {
			j++
		}
		first := all[i].Rule
		kept, keptAt := first, all[i].seq
		for _, k := range all[i+1 : j] {
			r := k.Rule
			if CompareFlows(r.Flow, kept.Flow) < 0 {
				kept, keptAt = r, k.seq
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
		order = append(order, keptAt)
		i = j
	}
	c.prog.Rules = layOut(made, order)
}

// layOut moves the rules at made[order[0]], made[order[1]], ... to the
// front of made, in that order, and returns pointers to them. They were
// made flow by flow and then sorted by group, so that a pass over
// Program.Rules (names, stack hashes, lints, outputs: a large build makes
// a dozen) took a cache miss on every rule; laid out in order, they are
// read as the processor fetches them ahead. They are moved within made,
// by swaps that follow where each rule has gone, rather than copied into
// a second array (11 MB of fresh memory at 50,000 flows). Nothing holds
// the rules' addresses yet: the keyed rules that did are done with.
func layOut(made []model.Rule, order []int32) []*model.Rule {
	now := make([]int32, len(made)) // where the rule made at i is now
	at := make([]int32, len(made))  // which rule is at place p now
	for i := range now {
		now[i], at[i] = int32(i), int32(i)
	}
	rules := make([]*model.Rule, len(order))
	for j, i := range order {
		if p := now[i]; p != int32(j) {
			q := at[j]
			made[j], made[p] = made[p], made[j]
			now[i], now[q] = int32(j), p
			at[j], at[p] = i, q
		}
		rules[j] = &made[j]
	}
	return rules
}

// rankPeers gives each rule its peer's place in the order of peer keys
// (model.PeerID.String), computed once, not compared as keys: a large
// policy spelled out 87,000 keys to sort its rules. Only the order of the
// ranks matters. A group's key is "group:" and its name, and every other
// kind's key sorts before all of those ("cidr:", "external:") or after
// ("pl:", "sg:"); so a group peer is ranked by its group's rank (rank, in
// name order) between the two, without a key or a lookup by PeerID, and
// only the other peers by their keys. TestRuleOrder holds the order to
// the keys.
func rankPeers(all []keyedRule, rank map[*model.Group]int) {
	others := map[model.PeerID]int{}
	for _, k := range all {
		if k.Peer.Kind != model.PeerGroup {
			others[k.Peer.ID()] = 0
		}
	}
	keys := rankByKey(others)
	before := 0 // the keys before every group's
	for _, k := range keys {
		if k < groupKeyPrefix {
			before++
		}
	}
	for i := range all {
		p := all[i].Peer
		if p.Kind != model.PeerGroup {
			r := others[p.ID()]
			if r >= before {
				r += len(rank) // after every group's
			}
			all[i].peer = r
			continue
		}
		r, ok := rank[p.Group]
		if !ok {
			// A group the program does not list (never, from the
			// compiler): every peer by its key.
			rankPeersByKey(all)
			return
		}
		all[i].peer = before + r
	}
}

// rankPeersByKey ranks every rule's peer by its key.
func rankPeersByKey(all []keyedRule) {
	ranks := map[model.PeerID]int{}
	for _, k := range all {
		ranks[k.Peer.ID()] = 0
	}
	rankByKey(ranks)
	for i := range all {
		all[i].peer = ranks[all[i].Peer.ID()]
	}
}

// rankByKey sets each peer's place in the order of the keys and returns
// the keys in that order.
func rankByKey(ranks map[model.PeerID]int) []string {
	type keyed struct {
		id  model.PeerID
		key string
	}
	ids := make([]keyed, 0, len(ranks))
	for id := range ranks {
		ids = append(ids, keyed{id, id.String()})
	}
	slices.SortFunc(ids, func(a, b keyed) int { return strings.Compare(a.key, b.key) })
	keys := make([]string, len(ids))
	for i, k := range ids {
		ranks[k.id], keys[i] = i, k.key
	}
	return keys
}

// groupKeyPrefix begins every group peer's key (model.PeerID.String).
const groupKeyPrefix = "group:"

// sortKeyedRules sorts rules into rule order (compareKeyedRules, then
// source order). Their group's rank comes first: the rules are spread by
// it (stable, in one pass), and each group's few rules sorted on their
// own, side by side, where sorting all at once compared every rule
// seventeen times.
func sortKeyedRules(all []keyedRule, groups int) {
	start := make([]int, groups+2)
	for _, k := range all {
		start[int(k.group)+1]++
	}
	for g := 1; g < len(start); g++ {
		start[g] += start[g-1]
	}
	sorted := make([]keyedRule, len(all))
	next := slices.Clone(start)
	for _, k := range all {
		sorted[next[k.group]] = k
		next[k.group]++
	}
	copy(all, sorted)
	const groupsPerPart = 256
	parallel.Each((groups+groupsPerPart-1)/groupsPerPart, func(part int) {
		for g := part * groupsPerPart; g < min(groups, (part+1)*groupsPerPart); g++ {
			slices.SortFunc(all[start[g]:start[g+1]], func(a, b keyedRule) int {
				if c := compareKeyedRules(a, b); c != 0 {
					return c
				}
				return int(a.seq - b.seq)
			})
		}
	})
}

// keyedRule is a rule with its group's and its peer's ranks and its
// direction and port as one number (ruleOrder), computed once for
// sorting, and its place in source order. The sort compares these alone:
// following each rule's pointer to compare directions and protocol names
// was a cache miss per comparison on a large policy (the rules are made
// flow by flow). Group and place are 32 bits, so a keyed rule is still 32
// bytes: limits.Rules bounds both.
type keyedRule struct {
	*model.Rule
	group int32  // the group's place in name order
	seq   int32  // the rule's place in source order
	peer  int    // the peer's place in the order of peer keys (model.Peer.Key)
	order uint64 // ruleOrder
}

// compareKeyedRules orders rules by group name, direction, port, then
// peer key: the order of Program.Rules. It is 0 exactly for rules with the
// same Key.
func compareKeyedRules(a, b keyedRule) int {
	switch {
	case a.group != b.group:
		return int(a.group - b.group)
	case a.order != b.order:
		return cmp.Compare(a.order, b.order)
	}
	return a.peer - b.peer
}

// ruleOrder is a rule's direction and then its port (portOrder) as one
// number, in their order.
func ruleOrder(r *model.Rule) uint64 { return uint64(r.Direction)<<45 | portOrder(r.Port) }

// portOrder is a port's place in Port.Less's order as one number: equal
// for equal ports and ordered as Less orders them, for every port the
// compiler makes (a named protocol or a number from 0 to 255; ports,
// ICMP types and codes from -1 to 65535). TestPortOrder holds it to Less.
func portOrder(p model.Port) uint64 {
	return uint64(model.ProtocolOrder(p.Protocol))<<36 | uint64(p.From+1)<<18 | uint64(p.To+1)
}

func describeRule(r *model.Rule) string {
	prep := "from"
	if r.Direction == model.Egress {
		prep = "to"
	}
	return fmt.Sprintf("%s on %q %s %s, %s", r.Direction, r.Group.Name, prep, r.Peer, r.Port)
}

// appendRules appends the AWS rules flow f becomes, regardless of its
// expiry: for each port, an egress rule on the source if it is a group
// and an ingress rule on the destination if it is a group, one per peer
// whose address family the port applies to (model.Port.AppliesTo).
func appendRules(out []model.Rule, f *model.Flow, networks map[*model.Network][]model.Peer) []model.Rule {
	from, _ := f.From.(*model.Group)
	to, _ := f.To.(*model.Group)
	// Each side's peers are found once, not once per port: an endpoint
	// that is one peer takes no slice of its own, and a network's peers
	// are made once for every flow that names it (networks).
	var fromBuf, toBuf [1]model.Peer
	peers := func(buf []model.Peer, e model.Endpoint) []model.Peer {
		n, ok := e.(*model.Network)
		if !ok {
			return appendPeers(buf, e)
		}
		p, ok := networks[n]
		if !ok {
			p = Peers(n)
			networks[n] = p
		}
		return p
	}
	fromPeers, toPeers := peers(fromBuf[:0], f.From), peers(toBuf[:0], f.To)
	for _, p := range f.Ports {
		if from != nil {
			for _, peer := range toPeers {
				if p.AppliesTo(peer) {
					out = append(out, model.Rule{Group: from, Direction: model.Egress, Port: p, Peer: peer, Flow: f})
				}
			}
		}
		if to != nil {
			for _, peer := range fromPeers {
				if p.AppliesTo(peer) {
					out = append(out, model.Rule{Group: to, Direction: model.Ingress, Port: p, Peer: peer, Flow: f})
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
	if _, ok := other.(*model.Network); !ok {
		// Only a network's peers are address blocks, to which a port
		// may not apply (model.Port.AppliesTo): nothing to check, and no
		// slice of peers to make for each of 50,000 flows.
		return
	}
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
		c.diags.Errorf(f.PortsRange(), FamilyMismatch, "flow opens nothing: its ICMP ports and %q's address blocks share no address family", other.Declared().Name).
			WithDetail("%s", detail).
			WithSuggestion("Use icmpv6 for IPv6 blocks and icmp for IPv4 blocks.")
		return
	}
	if len(skipped) > 3 {
		skipped = append(skipped[:3], fmt.Sprintf("%d more", len(skipped)-3))
	}
	c.diags.Infof(f.PortsRange(), FamilySkipped, "left out as they share no address family: %s", strings.Join(skipped, ", ")).
		WithDetail("%s", detail)
}

// Peers returns what a rule can reference for an endpoint: one peer per
// CIDR of a network, or the prefix list or group itself.
func Peers(e model.Endpoint) []model.Peer { return appendPeers(nil, e) }

// peerCount is len(Peers(e)).
func peerCount(e model.Endpoint) int {
	if n, ok := e.(*model.Network); ok {
		return len(n.CIDRs)
	}
	return 1
}

// appendPeers appends Peers(e) to out.
func appendPeers(out []model.Peer, e model.Endpoint) []model.Peer {
	switch e := e.(type) {
	case *model.Group:
		return append(out, model.Peer{Kind: model.PeerGroup, Group: e, Via: e})
	case *model.Network:
		for _, p := range e.CIDRs {
			out = append(out, model.Peer{Kind: model.PeerCIDR, CIDR: p, Via: e})
		}
		return out
	case *model.PrefixList:
		return append(out, model.Peer{Kind: model.PeerPrefixList, PrefixList: e, Via: e})
	case *model.External:
		return append(out, model.Peer{Kind: model.PeerExternal, External: e, Via: e})
	}
	return out
}
