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
// group names.
type Selector struct {
	Endpoint Endpoint // nil for a pattern
	Pattern  string   // the glob, "" for a name
	Groups   []*Group // for a pattern: the groups it matches, in model order
	Range    source.Range
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

// String writes the selector as it is written: a name, or a quoted glob.
func (s Selector) String() string {
	if s.Endpoint != nil {
		return s.Endpoint.Declared().Name
	}
	return `"` + s.Pattern + `"`
}

// Glob reports whether name matches pattern, in which "*" stands for any
// run of characters (none included) and every other character for itself.
// It runs in time linear in the lengths for each "*", without backtracking
// blow-up: each segment between stars is matched at its first place.
func Glob(pattern, name string) bool {
	parts := strings.Split(pattern, "*")
	if len(parts) == 1 {
		return pattern == name
	}
	if !strings.HasPrefix(name, parts[0]) {
		return false
	}
	name = name[len(parts[0]):]
	last := parts[len(parts)-1]
	for _, mid := range parts[1 : len(parts)-1] {
		i := strings.Index(name, mid)
		if i < 0 {
			return false
		}
		name = name[i+len(mid):]
	}
	return len(name) >= len(last) && strings.HasSuffix(name, last)
}

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
