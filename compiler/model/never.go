package model

import (
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
	Range    source.Range
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
