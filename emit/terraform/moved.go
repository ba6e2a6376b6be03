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

// moves returns the moved blocks' old and new addresses, sorted by the new.
func moves(p *model.Program, n names) [][2]string {
	current := map[string]bool{}
	var pairs [][2]string
	add := func(from, to string) {
		if from != to {
			pairs = append(pairs, [2]string{from, to})
		}
	}
	var groupIDs []string
	for _, g := range p.Groups {
		groupIDs = append(groupIDs, identifier(naming.Words(g.Name)))
		current["aws_security_group."+n.group[g]] = true
	}
	for i, id := range naming.Unique(groupIDs, func(i int) string { return p.Groups[i].Name }, maxName, legacyJoinSuffix) {
		add("aws_security_group."+id, "aws_security_group."+n.group[p.Groups[i]])
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
		add(t+"."+id, t+"."+n.rule[i])
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
	sort.Slice(kept, func(i, j int) bool { return kept[i][1] < kept[j][1] })
	return kept
}

// movedFile writes the moved blocks, or nothing when there are none.
func movedFile(header string, pairs [][2]string) []byte {
	if len(pairs) == 0 {
		return nil
	}
	bs := newBlocks(header+"#\n# Resources named by an earlier version of sgc, carried over to their\n"+
		"# present addresses. A block whose old address is not in the state does\n# nothing.\n", 120*len(pairs))
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
