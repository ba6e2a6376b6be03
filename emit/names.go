package emit

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/internal/naming"
	"github.com/sgc-dev/sgc/internal/parallel"
)

// Resource names (Terraform addresses, CloudFormation logical IDs) are what
// a plan compares: a resource whose name changes is destroyed and created
// again, even when AWS would see the very same rule. So a name is a
// function of what AWS identifies the resource by, and of nothing else:
//
//   - a group's name is its role name in the target's style (Target.Ident),
//     a function of that one name, never of the other names in the policy;
//   - a rule's name is its group, direction, peer *value* (the CIDR block,
//     the prefix list's id, the group, the external group's id) and
//     protocol and ports. The name a network or prefix list was declared
//     by is not part of it: renaming one, or adding a second block beside
//     the first, leaves the existing rules' names alone.

// RuleNamer names rules from what AWS identifies a rule by: group,
// direction, peer value, protocol and ports, in a target's style. The
// joined words of groups and peers, which recur in many rules, are made
// once.
type RuleNamer struct {
	join   func(words []string) string
	sep    string
	ident  func(name string) string
	groups map[*model.Group]string
	peers  map[model.PeerID]string
	// The directions' words, joined once.
	ingress, egress string
	// The last rule's group and ports, with their words: rules come
	// sorted by group, direction and port, so most rules share them with
	// the rule before. Other ports' words are joined again: a map of
	// them cost more than joining (a large policy has thousands of
	// ports, each rule a lookup).
	lastGroup     *model.Group
	lastGroupName string
	lastPort      model.Port
	lastPorts     string
	// words is the buffer of a port's words: made once, as join is a
	// function value, through which a local array escapes to the heap
	// (80 bytes for most rules of a large policy).
	words []string
}

// NewRuleNamer returns a RuleNamer in style t.
func NewRuleNamer(t Style) *RuleNamer {
	return &RuleNamer{join: t.Join, sep: t.Sep, ident: t.Ident, groups: map[*model.Group]string{}, peers: map[model.PeerID]string{},
		ingress: t.Join(ingressWords), egress: t.Join(egressWords)}
}

var (
	ingressWords = []string{"ingress", "from"}
	egressWords  = []string{"egress", "to"}
)

// Name returns the name of r.
func (n *RuleNamer) Name(r *model.Rule) string {
	dir := n.ingress
	if r.Direction == model.Egress {
		dir = n.egress
	}
	if r.Port != n.lastPort || n.lastPorts == "" {
		n.words = appendPortWords(n.words[:0], r.Port)
		n.lastPort, n.lastPorts = r.Port, n.join(n.words)
	}
	if r.Group != n.lastGroup {
		n.lastGroup, n.lastGroupName = r.Group, n.group(r.Group)
	}
	return n.lastGroupName + n.sep + dir + n.sep + n.peer(r.Peer) + n.sep + n.lastPorts
}

// group names a group, as a rule's own group or as its peer: looked up by
// the pointer, whose hash costs less than a PeerID's.
func (n *RuleNamer) group(g *model.Group) string {
	name, ok := n.groups[g]
	if !ok {
		name = n.ident(g.Name)
		n.groups[g] = name
	}
	return name
}

// peer names a rule's peer by its value.
func (n *RuleNamer) peer(p model.Peer) string {
	if p.Kind == model.PeerGroup {
		return n.group(p.Group)
	}
	id := p.ID()
	if name, ok := n.peers[id]; ok {
		return name
	}
	name := n.peerWords(p)
	n.peers[id] = name
	return name
}

// peerWords joins the words of a peer that is not a group.
func (n *RuleNamer) peerWords(p model.Peer) string {
	switch p.Kind {
	case model.PeerCIDR:
		return n.join(CIDRWords(p.CIDR))
	case model.PeerPrefixList:
		return n.join(idWords(p.PrefixList.ID))
	case model.PeerExternal:
		if p.External.ID != "" {
			return n.join(idWords(p.External.ID))
		}
		// An external without an id is a module input named after it:
		// its name is all a rule knows of it.
		return n.ident(p.External.Name)
	}
	return ""
}

// RuleNames returns the names of rules, as a RuleNamer in style t gives them.
// The rules are named in parallel parts, each with its own RuleNamer: a
// big policy has tens of thousands.
func RuleNames(t Style, rules []*model.Rule) []string {
	names := make([]string, len(rules))
	parts := parallel.Parts(len(rules))
	size := (len(rules) + parts - 1) / parts
	parallel.Each(parts, func(part int) {
		n := NewRuleNamer(t)
		for i := part * size; i < min((part+1)*size, len(rules)); i++ {
			names[i] = n.Name(rules[i])
		}
	})
	return names
}

// CIDRWords names an address block by its value: "10 0 0 0 8"; the
// blocks of everything are "internet ipv4" and "internet ipv6". In IPv6
// "::" is the word "x", which no group of hexadecimal digits can be, so
// that two blocks never share words.
func CIDRWords(c netip.Prefix) []string {
	if c.Bits() == 0 {
		if c.Addr().Is4() {
			return []string{"internet", "ipv4"}
		}
		return []string{"internet", "ipv6"}
	}
	s := strings.Replace(c.String(), "::", ":x:", 1)
	return strings.FieldsFunc(s, func(r rune) bool { return r == '.' || r == ':' || r == '/' })
}

// idWords names an AWS id ("pl-0123abcd") by its words: "pl 0123abcd".
func idWords(id string) []string { return naming.Words(id) }

// appendPortWords appends the words naming a port: "tcp 443",
// "tcp 8000 to 8099", "icmp 3 4", "all".
func appendPortWords(w []string, p model.Port) []string {
	proto := string(p.Protocol)
	switch p.Protocol {
	case model.All:
		return append(w, "all")
	case model.TCP, model.UDP:
		if p.From == p.To {
			return append(w, proto, strconv.Itoa(p.From))
		}
		return append(w, proto, strconv.Itoa(p.From), "to", strconv.Itoa(p.To))
	case model.ICMP, model.ICMPv6:
		switch {
		case p.From == -1:
			return append(w, proto, "all")
		case p.To == -1:
			return append(w, proto, strconv.Itoa(p.From))
		}
		return append(w, proto, strconv.Itoa(p.From), strconv.Itoa(p.To))
	}
	return append(w, "proto", proto)
}

// PortWords returns the words naming a port, for targets that name other
// things after ports.
func PortWords(p model.Port) []string { return appendPortWords(nil, p) }

// AssociationIdentity is the Identity of group g's association with VPC v:
// a new group or another VPC is a new association.
func AssociationIdentity(g *model.Group, v model.VPC) string {
	return "association:" + g.Identity() + "|" + v.Key()
}

// Resource is one resource of a target's output as a plan sees it: its
// address, the AWS thing it manages, and the content whose change replaces
// it or changes it in place. Comparing the resources of two builds
// predicts the plan between them (PredictPlan).
type Resource struct {
	// Address is the Terraform address, or the CloudFormation logical ID
	// (with the stack's file name before a "/" when split).
	Address string
	// Identity is what AWS identifies the resource by: "group:" and the
	// group's model.Group.Identity, the rule's model.Rule.IdentityKey, or
	// "never:" and a scope's key.
	Identity string
	Group    *model.Group // the group, or the rule's group; nil for a scope or a VPC association
	Rule     *model.Rule  // nil for a group or a scope
	// Replace is the content that the provider cannot change in place:
	// when it differs between two builds, the resource is replaced.
	Replace string
	// Update is the content changed in place: descriptions of rules, tags.
	Update string
	// ReplacedWith lists the addresses of resources whose replacement
	// replaces this one too (a rule's own group: its id is part of the rule).
	ReplacedWith []string
	// UpdatedWith lists the addresses of resources whose replacement
	// changes this one in place (a rule that references another group).
	// Resources may share this list and ReplacedWith: read them only.
	UpdatedWith []string
	// MovedFrom lists the addresses the resource had before its group was
	// renamed (formerly), which the target moves it from.
	MovedFrom []string
	// Input marks an input of the output (a module variable, a template
	// parameter) rather than a resource: adding one changes what every
	// caller must pass, removing one fails a caller that passes it.
	Input bool
}
