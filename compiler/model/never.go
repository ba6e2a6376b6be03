package model

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/sgc-dev/sgc/lang/source"
)

// Never is access that must never be allowed: a guarantee the compiler
// proves against every rule the targets will emit, and the targets hand to
// AWS to check again on the deployed network.
type Never struct {
	From, To Selector
	Ports    []Port   // nil: every protocol and port
	Except   []string // names left out of both sides
	Reason   string
	Range    source.Range
}

// Selector is one side of a never: a declared endpoint, or a glob over
// the names of everything declared.
type Selector struct {
	Endpoint Endpoint // nil for a pattern
	Pattern  string   // the glob, "" for a name
	Groups   []*Group // for a pattern: the groups it matches, in model order
	// Others are, for a pattern, the other endpoints it matches by name:
	// networks (internet among them), prefix lists and externals, in
	// model order. "*" matches everything: a guarantee from anything.
	Others []Endpoint
	// Any is set for a pattern of stars alone ("*"): it matches anything,
	// an address or group no name of the policy stands for included (a
	// rule found live).
	Any   bool
	Range source.Range
}

// Names reports whether the side names group g: g itself, or a group the
// pattern matches.
func (s Selector) Names(g *Group) bool {
	if s.Endpoint != nil {
		return s.Endpoint == Endpoint(g)
	}
	for _, m := range s.Groups {
		if m == g {
			return true
		}
	}
	return false
}

// Matches reports whether the side names endpoint e: e itself, or an
// endpoint the pattern matches.
func (s Selector) Matches(e Endpoint) bool {
	if g, ok := e.(*Group); ok {
		return s.Names(g)
	}
	if s.Endpoint != nil {
		return s.Endpoint == e
	}
	for _, m := range s.Others {
		if m == e {
			return true
		}
	}
	return false
}

// Empty reports whether a pattern matches nothing.
func (s Selector) Empty() bool { return s.Endpoint == nil && len(s.Groups)+len(s.Others) == 0 }

// String writes the selector as it is written: a name, or a quoted glob.
func (s Selector) String() string {
	if s.Endpoint != nil {
		return s.Endpoint.Declared().Name
	}
	return `"` + s.Pattern + `"`
}

// Glob is a compiled never pattern, in which "*" stands for any run of
// characters (none included) and every other character for itself, ASCII
// letters in either case: names are text to AWS and people, and a
// guarantee that missed "Orders-DB" for "*-db" would guarantee less than
// it says. Matching takes time linear in the name and the pattern, without
// backtracking: each segment between stars is matched at its first place.
type Glob struct {
	parts []string // the pattern split at runs of stars, lower-cased
	star  bool     // the pattern has a star
}

// CompileGlob compiles pattern.
func CompileGlob(pattern string) Glob {
	lower := strings.ToLower(pattern)
	g := Glob{star: strings.Contains(lower, "*")}
	// Runs of stars are one star: "**" matches what "*" matches.
	for _, part := range strings.Split(lower, "*") {
		if part != "" || len(g.parts) == 0 {
			g.parts = append(g.parts, part)
		} else if last := len(g.parts) - 1; g.parts[last] != "" {
			g.parts = append(g.parts, part)
		}
	}
	if g.star && len(g.parts) == 1 {
		g.parts = append(g.parts, "")
	}
	return g
}

// MatchesAll reports whether the pattern matches every name: stars alone.
func (g Glob) MatchesAll() bool {
	return g.star && len(g.parts) == 2 && g.parts[0] == "" && g.parts[1] == ""
}

// Cost is the work Match does for name, at most: what a never's budget
// (limits.NeverChecks) is charged for matching it.
func (g Glob) Cost(name string) int { return 1 + len(name) + len(g.parts) }

// Match reports whether name matches the pattern.
func (g Glob) Match(name string) bool {
	name = strings.ToLower(name)
	if !g.star {
		return g.parts[0] == name
	}
	if !strings.HasPrefix(name, g.parts[0]) {
		return false
	}
	name = name[len(g.parts[0]):]
	last := g.parts[len(g.parts)-1]
	for _, mid := range g.parts[1 : len(g.parts)-1] {
		i := strings.Index(name, mid)
		if i < 0 {
			return false
		}
		name = name[i+len(mid):]
	}
	return len(name) >= len(last) && strings.HasSuffix(name, last)
}

// GlobMatch reports whether name matches pattern (CompileGlob(pattern).
// Match(name)); callers matching many names compile the pattern once.
func GlobMatch(pattern, name string) bool { return CompileGlob(pattern).Match(name) }

// privateBlocks are the address blocks that never come from the internet:
// private (RFC 1918, RFC 4193), shared (RFC 6598), loopback and link-local.
// The documentation blocks (192.0.2.0/24, 2001:db8::/32, ...) are not among
// them: policies and examples use them for public addresses.
var privateBlocks = []netip.Prefix{
	netip.MustParsePrefix("10.0.0.0/8"),
	netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.168.0.0/16"),
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("127.0.0.0/8"),
	netip.MustParsePrefix("169.254.0.0/16"),
	netip.MustParsePrefix("fc00::/7"),
	netip.MustParsePrefix("fe80::/10"),
	netip.MustParsePrefix("::1/128"),
}

// Public reports whether block b holds an address the internet can send
// from: one outside every private block. The private blocks lie apart, so
// b is private exactly when one of them holds all of it.
func Public(b netip.Prefix) bool {
	for _, p := range privateBlocks {
		if p.Bits() <= b.Bits() && p.Contains(b.Addr()) {
			return false
		}
	}
	return true
}

// Overlaps reports whether ports p and o have some traffic in common.
func (p Port) Overlaps(o Port) bool {
	switch {
	case p.Protocol == All || o.Protocol == All:
		return true
	case p.Protocol != o.Protocol:
		return false
	case p.Protocol == TCP || p.Protocol == UDP:
		return p.From <= o.To && o.From <= p.To
	case p.Protocol == ICMP || p.Protocol == ICMPv6:
		if p.From == -1 || o.From == -1 {
			return true
		}
		return p.From == o.From && (p.To == -1 || o.To == -1 || p.To == o.To)
	}
	return p == o
}

// covers reports whether the never's ports (nil: every port) meet port.
func (n *Never) covers(port Port) bool {
	if n.Ports == nil {
		return true
	}
	for _, p := range n.Ports {
		if p.Overlaps(port) {
			return true
		}
	}
	return false
}

// Forbids reports whether never n forbids rule r.
func Forbids(n *Never, r *Rule) bool {
	if !n.covers(r.Port) {
		return false
	}
	group := Peer{Kind: PeerGroup, Group: r.Group, Via: r.Group}
	src, dst := r.Peer, group
	if r.Direction == Egress {
		src, dst = group, r.Peer
	}
	return matches(n.From, src, n.Except) && matches(n.To, dst, n.Except)
}

// matches reports whether a side of a rule falls under a selector: a
// named side by what it is (a network by address overlap, internet by any
// public address), a pattern by the names it matched, and by what those
// are, so that an address from outside the policy (a rule found live)
// falls under "*" too.
func matches(sel Selector, p Peer, except []string) bool {
	if excepted(p, except) {
		return false
	}
	if sel.Endpoint != nil {
		return endpointMatches(sel.Endpoint, p)
	}
	if sel.Any {
		return true
	}
	if p.Kind == PeerGroup {
		return sel.Names(p.Group)
	}
	if p.Via != nil && sel.Matches(p.Via) {
		return true
	}
	for _, e := range sel.Others {
		if endpointMatches(e, p) {
			return true
		}
	}
	return false
}

// endpointMatches reports whether peer p is, or lies within, endpoint e.
func endpointMatches(e Endpoint, p Peer) bool {
	switch e := e.(type) {
	case *Group:
		return p.Kind == PeerGroup && p.Group == e
	case *Network:
		if p.Kind != PeerCIDR {
			return false
		}
		if e.Predeclared {
			return Public(p.CIDR) // internet: any block with a public address
		}
		for _, b := range e.CIDRs {
			if b.Overlaps(p.CIDR) {
				return true
			}
		}
	case *PrefixList:
		return p.Kind == PeerPrefixList && p.PrefixList.ID == e.ID
	case *External:
		return p.Kind == PeerExternal && (p.External == e || e.ID != "" && p.External.ID == e.ID)
	}
	return false
}

func excepted(p Peer, except []string) bool {
	if p.Via == nil {
		return false
	}
	name := p.Via.Declared().Name
	for _, e := range except {
		if e == name {
			return true
		}
	}
	return false
}

// Unprovable says why whether never n forbids rule r cannot be decided at
// compile time, or "" when it can: the rule's group falls under one side
// and its ports under the never's, but its peer is something whose
// content sgc cannot see, against a side named by content. A prefix list's
// addresses (against a network or internet) and the id of an external
// declared without one (against an external) are known only in AWS.
func Unprovable(n *Never, r *Rule) string {
	if !n.covers(r.Port) {
		return ""
	}
	group := Peer{Kind: PeerGroup, Group: r.Group, Via: r.Group}
	sel, other := n.From, n.To // the side the peer must fall under, and the group's
	if r.Direction == Egress {
		sel, other = n.To, n.From
	}
	if !matches(other, group, n.Except) || excepted(r.Peer, n.Except) || matches(sel, r.Peer, n.Except) {
		return ""
	}
	switch e := sel.Endpoint.(type) {
	case *Network:
		if r.Peer.Kind == PeerPrefixList {
			what := "any public address"
			if !e.Predeclared {
				what = "an address of " + e.Name
			}
			return fmt.Sprintf("prefix list %s (%s) may hold %s: its entries are known only in AWS", r.Peer.PrefixList.Name, r.Peer.PrefixList.ID, what)
		}
	case *External:
		if r.Peer.Kind == PeerExternal && r.Peer.External != e && (e.ID == "" || r.Peer.External.ID == "") {
			return fmt.Sprintf("external %s and external %s may be the same security group: an id given at deploy time is not known here", r.Peer.External.Name, e.Name)
		}
	}
	return ""
}
