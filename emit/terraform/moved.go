package terraform

import (
	"sort"
	"strings"

	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/emit"
	"github.com/sgc-dev/sgc/internal/naming"
)

// MovedFile holds the moved blocks that carry resources named by an
// earlier sgc over to their present addresses.
const MovedFile = "moved.tf"

// Before rules were named by value, sgc named a rule's peer by the name it
// was declared by ("office", not its block), numbered nothing but gave
// names that met after normalisation ("web-a" and "web_a") a hash of their
// content each, and named groups by their words. Applied state still holds
// those addresses. Each is computed here for the present program, and
// where it differs from the present address a moved block takes the
// resource over, so that upgrading sgc is no change in a plan rather than
// a destroy and a create of the same rule, which AWS refuses
// (InvalidPermission.Duplicate). A moved block whose old address is not in
// the state does nothing.

// legacyJoinSuffix is how the earlier naming marked colliding names.
func legacyJoinSuffix(name, suffix string) string { return name + "_" + suffix }

// legacyPeerWords named a peer by the name it was written by, plus the block
// for a network of several.
func legacyPeerWords(p model.Peer) []string {
	w := naming.Words(p.Via.Declared().Name)
	if n, ok := p.Via.(*model.Network); ok && len(n.CIDRs) > 1 {
		if n.Predeclared {
			if p.CIDR.Addr().Is4() {
				return append(w, "ipv4")
			}
			return append(w, "ipv6")
		}
		w = append(w, strings.FieldsFunc(p.CIDR.String(), func(r rune) bool { return r == '.' || r == ':' || r == '/' })...)
	}
	return w
}

// renameMoves returns the moved blocks that carry the resources of
// renamed groups (model.Group.Formerly) to their present addresses, as a
// chain: from the addresses under every renamed group's k-th former name
// to those under its (k-1)-th, and from the latest former names to the
// present ones (Terraform lets a resource be moved into from one address
// only, and follows chains). A group with fewer former names keeps its
// oldest at the deeper links. It also returns, for each present address,
// every address of the chain, for plan predictions.
func renameMoves(p *model.Program, n names) (pairs [][2]string, from map[string][]string) {
	if !emit.Renames(p) {
		return nil, nil
	}
	depth := 0
	for _, g := range p.Groups {
		depth = max(depth, len(g.Formerly))
	}
	// level k names each group by its k-th former name (its oldest past
	// the end of its list); level -1 is the present.
	level := func(k int) ([]string, []string) {
		if k < 0 {
			gs := make([]string, len(p.Groups))
			for i, g := range p.Groups {
				gs[i] = "aws_security_group." + n.group[g]
			}
			rs := make([]string, len(p.Rules))
			for i, r := range p.Rules {
				rs[i] = ruleType(r) + "." + n.rule[i]
			}
			return gs, rs
		}
		view := emit.Renamed(p, func(g *model.Group) string {
			if len(g.Formerly) == 0 {
				return g.Name
			}
			return g.Formerly[min(k, len(g.Formerly)-1)]
		})
		vn := nameAll(view)
		gs := make([]string, len(p.Groups))
		for i := range p.Groups {
			gs[i] = "aws_security_group." + vn.group[view.Groups[i]]
		}
		rs := make([]string, len(p.Rules))
		for i, r := range p.Rules {
			rs[i] = ruleType(r) + "." + vn.rule[i]
		}
		return gs, rs
	}
	from = map[string][]string{}
	into := map[string]bool{}
	curG, curR := level(-1)
	toG, toR := curG, curR
	for k := 0; k < depth; k++ {
		fromG, fromR := level(k)
		link := func(olds, news, present []string) {
			for i := range olds {
				if olds[i] == news[i] || into[news[i]] {
					continue
				}
				into[news[i]] = true
				pairs = append(pairs, [2]string{olds[i], news[i]})
				from[present[i]] = append(from[present[i]], olds[i])
			}
		}
		link(fromG, toG, curG)
		link(fromR, toR, curR)
		toG, toR = fromG, fromR
	}
	return pairs, from
}

// moves returns the moved blocks' old and new addresses, sorted by the
// new: the chains of renamed groups, and the addresses of the earlier
// naming that the previous build into the output directory still used
// (its resources and its own moved blocks, in earlier): computing those
// for every resource of every build cost half the emit, and a state built
// by this naming has none of them.
func moves(p *model.Program, n names, earlier map[string]string) [][2]string {
	current := map[string]bool{}
	var pairs [][2]string
	into := map[string]bool{} // Terraform takes one move into an address
	add := func(from, to string) {
		if from != to && !into[to] {
			into[to] = true
			pairs = append(pairs, [2]string{from, to})
		}
	}
	renamed, _ := renameMoves(p, n)
	for _, m := range renamed {
		add(m[0], m[1])
	}
	if len(earlier) == 0 {
		return sortMoves(pairs, current, p, n)
	}
	legacy := func(from, to string) {
		if _, was := earlier[from]; was {
			add(from, to)
		}
	}
	var groupIDs []string
	for _, g := range p.Groups {
		groupIDs = append(groupIDs, identifier(naming.Words(g.Name)))
		current["aws_security_group."+n.group[g]] = true
	}
	for i, id := range naming.Unique(groupIDs, func(i int) string { return p.Groups[i].Name }, maxName, legacyJoinSuffix) {
		legacy("aws_security_group."+id, "aws_security_group."+n.group[p.Groups[i]])
	}
	ruleIDs := make([]string, len(p.Rules))
	for i, r := range p.Rules {
		w := naming.Words(r.Group.Name)
		if r.Direction == model.Ingress {
			w = append(w, "ingress", "from")
		} else {
			w = append(w, "egress", "to")
		}
		w = append(w, legacyPeerWords(r.Peer)...)
		ruleIDs[i] = identifier(append(w, emit.PortWords(r.Port)...))
		current[ruleType(r)+"."+n.rule[i]] = true
	}
	for i, id := range naming.Unique(ruleIDs, func(i int) string { return p.Rules[i].Key() }, maxName, legacyJoinSuffix) {
		t := ruleType(p.Rules[i])
		legacy(t+"."+id, t+"."+n.rule[i])
	}
	return sortMoves(pairs, current, p, n)
}

// sortMoves drops the moves Terraform refuses and sorts the rest by the
// new address.
func sortMoves(pairs [][2]string, current map[string]bool, p *model.Program, n names) [][2]string {
	if len(pairs) == 0 {
		// Nearly every build: no rename, nothing to check against the
		// addresses (whose set cost a 50k-flow build 30 ms).
		return nil
	}
	if len(current) == 0 {
		for _, g := range p.Groups {
			current["aws_security_group."+n.group[g]] = true
		}
		for i, r := range p.Rules {
			current[ruleType(r)+"."+n.rule[i]] = true
		}
	}
	// A moved block may not start at an address the configuration declares,
	// nor two at one address.
	from := map[string]int{}
	for _, m := range pairs {
		from[m[0]]++
	}
	kept := pairs[:0]
	for _, m := range pairs {
		if !current[m[0]] && from[m[0]] == 1 {
			kept = append(kept, m)
		}
	}
	sort.Slice(kept, func(i, j int) bool {
		if kept[i][1] != kept[j][1] {
			return kept[i][1] < kept[j][1]
		}
		return kept[i][0] < kept[j][0]
	})
	return kept
}

// movedFile writes the moved blocks, or nothing when there are none.
func movedFile(header string, pairs [][2]string) []byte {
	if len(pairs) == 0 {
		return nil
	}
	bs := newBlocks(header+"#\n# Resources named by an earlier version of sgc, or under a group's former\n"+
		"# name (formerly), carried over to their present addresses. A block whose\n# old address is not in the state does nothing.\n", 120*len(pairs))
	for _, m := range pairs {
		bs.addLaidOut("moved", nil, []attribute{{name: "from", value: expr(m[0])}, {name: "to", value: expr(m[1])}})
	}
	return bs.bytes()
}

// ruleType is the resource type of a rule.
func ruleType(r *model.Rule) string {
	if r.Direction == model.Egress {
		return "aws_vpc_security_group_egress_rule"
	}
	return "aws_vpc_security_group_ingress_rule"
}
