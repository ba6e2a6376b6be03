package emit

import (
	"strconv"

	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/internal/naming"
)

// A never statement is proved at compile time against the rules sgc
// emits, and handed to AWS as a Network Access Analyzer scope
// (AWS::EC2::NetworkInsightsAccessScope), so that AWS checks it again on
// the deployed network, routes, NACLs and everything sgc does not manage
// included. The scope expresses a never as closely as the analyzer can:
//
//   - a group, or a pattern (the groups it matches when built), is the
//     groups' ids in a resource statement; an external group its id;
//   - internet is the internet gateway resource type;
//   - a network is its blocks as addresses, a prefix list its id;
//   - tcp and udp ports are protocols and destination ports; ICMP, all and
//     protocol numbers cannot be said (the analyzer knows tcp and udp
//     only), so such a never's scope covers every protocol: broader, never
//     narrower;
//   - except names become excluded paths from and to them.

// ScopeSide is one side of a path of an access scope.
type ScopeSide struct {
	Groups          []*model.Group    // managed groups, by their ids
	IDs             []string          // security groups by literal id
	Inputs          []*model.External // security groups whose ids are inputs
	InternetGateway bool              // the internet, as the analyzer sees it
	Addresses       []string          // address blocks
	PrefixLists     []string          // prefix list ids
	Protocols       []string          // destination side only: tcp, udp
	Ports           []string          // destination side only: "22", "8000-8099"
}

// Resources reports whether the side names resources (which a resource
// statement holds), as opposed to packet headers only.
func (s ScopeSide) Resources() bool {
	return len(s.Groups)+len(s.IDs)+len(s.Inputs) > 0 || s.InternetGateway
}

// ScopePath is a path from a source to a destination.
type ScopePath struct{ Source, Destination ScopeSide }

// AccessScope is the scope of one never.
type AccessScope struct {
	Never   *model.Never
	Key     string // a stable name: a hash of the statement
	Match   []ScopePath
	Exclude []ScopePath
}

// AccessScopes returns the scopes of p's nevers; a never whose pattern
// matches no group has none (the compiler warned about it).
func AccessScopes(p *model.Program) []AccessScope {
	var out []AccessScope
	for _, n := range p.Nevers {
		from, to := side(n.From.Endpoint, n.From.Groups), side(n.To.Endpoint, n.To.Groups)
		if from == nil || to == nil {
			continue
		}
		to.Protocols, to.Ports = scopePorts(n.Ports)
		s := AccessScope{Never: n, Key: naming.Hash(n.From.String() + "->" + n.To.String() + "|" + model.PortsString(n.Ports) + "|" + n.Reason), Match: []ScopePath{{*from, *to}}}
		for _, name := range n.Except {
			if e := side(p.Lookup(name), nil); e != nil {
				s.Exclude = append(s.Exclude, ScopePath{Source: *e}, ScopePath{Destination: *e})
			}
		}
		out = append(out, s)
	}
	return out
}

// side is the scope side of an endpoint, or (e nil) of the groups a
// pattern matched; nil when it names nothing.
func side(e model.Endpoint, matched []*model.Group) *ScopeSide {
	var s ScopeSide
	switch e := e.(type) {
	case nil:
		if len(matched) == 0 {
			return nil
		}
		s.Groups = matched
	case *model.Group:
		s.Groups = []*model.Group{e}
	case *model.Network:
		if e.Predeclared {
			s.InternetGateway = true
			break
		}
		for _, c := range e.CIDRs {
			s.Addresses = append(s.Addresses, c.String())
		}
	case *model.PrefixList:
		s.PrefixLists = []string{e.ID}
	case *model.External:
		if e.ID != "" {
			s.IDs = []string{e.ID}
		} else {
			s.Inputs = []*model.External{e}
		}
	default:
		return nil
	}
	return &s
}

// scopePorts returns the protocols and destination ports of a never's
// ports, or none when they include what the analyzer cannot say.
func scopePorts(ports []model.Port) (protocols, ranges []string) {
	seen := map[string]bool{}
	for _, p := range ports {
		if p.Protocol != model.TCP && p.Protocol != model.UDP {
			return nil, nil
		}
		if !seen[string(p.Protocol)] {
			seen[string(p.Protocol)] = true
			protocols = append(protocols, string(p.Protocol))
		}
		r := strconv.Itoa(p.From)
		if p.To != p.From {
			r += "-" + strconv.Itoa(p.To)
		}
		ranges = append(ranges, r)
	}
	// With tcp and udp together, every port applies to both protocols:
	// broader, which a scope may be, never narrower.
	return protocols, ranges
}
