package model

import (
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
	Range  source.Range
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
