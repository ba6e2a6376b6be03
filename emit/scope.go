package emit

import (
	"strconv"
	"strings"

	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/internal/naming"
)

// A never statement is proved at compile time against the rules sgc
// emits, and handed to AWS as a Network Access Analyzer scope
// (AWS::EC2::NetworkInsightsAccessScope), so that AWS checks it again on
// the deployed network, routes, NACLs and everything sgc does not manage
// included. The scope says what the analyzer can say of the never:
//
//   - a group is its id in a resource statement, an external group its id
//     (or the input that gives it); a pattern is what it matched when
//     built, each kind on its own path;
//   - internet is the internet gateway resource type;
//   - a network is its blocks as addresses, a prefix list its id;
//   - tcp and udp ports are a protocol and its destination ports, one path
//     per protocol (one path with tcp and udp and the ports of both would
//     admit tcp on the udp ports too: each header field filters alone);
//   - a statement's fields are ANDed, so each side of a path is one kind:
//     a pattern that matched groups and networks gives a path for each;
//   - except names become excluded paths from and to them.
//
// What a scope cannot check: the analyzer knows tcp and udp only, and a
// path without a protocol admits only those, so an ICMP or protocol-number
// never has no scope (Unchecked says so) and a never over all traffic is
// checked for tcp and udp; a pattern covers the groups of the build, not
// groups added later; the private-address rule of internet is the
// analyzer's own (paths through internet gateways). The compile-time
// proof covers all of it.

// ScopeSide is one side of a path of an access scope: resources, the
// internet gateway, addresses or prefix lists, one kind per side, and on
// a destination, a protocol and its ports.
type ScopeSide struct {
	Groups          []*model.Group      // managed groups, by their ids
	IDs             []string            // security groups by literal id
	Inputs          []*model.External   // security groups whose ids are inputs
	InternetGateway bool                // the internet, as the analyzer sees it
	Addresses       []string            // address blocks
	PrefixLists     []string            // prefix list ids
	Managed         []*model.PrefixList // AWS-managed prefix lists, whose ids are looked up where deployed
	Protocols       []string            // destination side only: tcp or udp
	Ports           []string            // destination side only: "22", "8000-8099"
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
	Never *model.Never
	// Key names the scope after its statement: the sides and ports in
	// lower-case words and dashes, and a hash of the whole statement, so
	// that two nevers over the same sides differ ("internet-to-any-db-all-
	// 3f2a91c0"). ID is the same in letters and digits (a CloudFormation
	// logical ID).
	Key, ID string
	Match   []ScopePath
	Exclude []ScopePath
	// Unchecked says what of the never the scope cannot check, for
	// people; "" when it checks all of it.
	Unchecked string
}

// AccessScopes returns the scopes of p's nevers. A never only over ICMP or
// protocol numbers has none: the analyzer cannot say those.
func AccessScopes(p *model.Program) []AccessScope {
	var out []AccessScope
	for _, n := range p.Nevers {
		froms, tos := sides(n.From), sides(n.To)
		protocols, unchecked := scopeProtocols(n.Ports)
		if len(froms) == 0 || len(tos) == 0 || len(protocols) == 0 {
			continue
		}
		s := AccessScope{Never: n, Unchecked: unchecked}
		s.Key, s.ID = scopeKey(n)
		for _, proto := range protocols {
			for _, from := range froms {
				for _, to := range tos {
					to.Protocols, to.Ports = proto.protocols, proto.ports
					s.Match = append(s.Match, ScopePath{Source: from, Destination: to})
				}
			}
		}
		for _, name := range n.Except {
			for _, e := range sides(model.Selector{Endpoint: p.Lookup(name)}) {
				s.Exclude = append(s.Exclude, ScopePath{Source: e}, ScopePath{Destination: e})
			}
		}
		out = append(out, s)
	}
	return out
}

// sides returns the scope sides of a never's side: one per kind of thing
// it names.
func sides(sel model.Selector) []ScopeSide {
	named := sel.Others
	if sel.Endpoint != nil {
		named = []model.Endpoint{sel.Endpoint}
	}
	var res, addrs, lists ScopeSide
	internet := false
	res.Groups = append(res.Groups, sel.Groups...)
	for _, e := range named {
		switch e := e.(type) {
		case *model.Group:
			res.Groups = append(res.Groups, e)
		case *model.Network:
			if e.Predeclared {
				internet = true
				continue
			}
			for _, c := range e.CIDRs {
				addrs.Addresses = append(addrs.Addresses, c.String())
			}
		case *model.PrefixList:
			if e.Managed != "" {
				lists.Managed = append(lists.Managed, e)
			} else {
				lists.PrefixLists = append(lists.PrefixLists, e.ID)
			}
		case *model.External:
			if e.ID != "" {
				res.IDs = append(res.IDs, e.ID)
			} else {
				res.Inputs = append(res.Inputs, e)
			}
		}
	}
	var out []ScopeSide
	if res.Resources() {
		out = append(out, res)
	}
	if internet {
		out = append(out, ScopeSide{InternetGateway: true})
	}
	if len(addrs.Addresses) > 0 {
		out = append(out, addrs)
	}
	if len(lists.PrefixLists)+len(lists.Managed) > 0 {
		out = append(out, lists)
	}
	return out
}

type scopeProtocol struct{ protocols, ports []string }

// scopeProtocols returns the protocol filters of a never's paths: one per
// protocol with its ports, or one without a filter for all traffic; and
// what they leave unchecked.
func scopeProtocols(ports []model.Port) ([]scopeProtocol, string) {
	if ports == nil {
		return []scopeProtocol{{}}, "protocols other than tcp and udp (the analyzer checks those two only)"
	}
	var tcp, udp []string
	var other []string
	for _, p := range ports {
		r := strconv.Itoa(p.From)
		if p.To != p.From {
			r += "-" + strconv.Itoa(p.To)
		}
		switch p.Protocol {
		case model.TCP:
			tcp = append(tcp, r)
		case model.UDP:
			udp = append(udp, r)
		case model.All:
			return []scopeProtocol{{}}, "protocols other than tcp and udp (the analyzer checks those two only)"
		default:
			other = append(other, p.String())
		}
	}
	var out []scopeProtocol
	if len(tcp) > 0 {
		out = append(out, scopeProtocol{[]string{"tcp"}, tcp})
	}
	if len(udp) > 0 {
		out = append(out, scopeProtocol{[]string{"udp"}, udp})
	}
	unchecked := ""
	if len(other) > 0 {
		unchecked = strings.Join(other, ", ") + " (the analyzer checks tcp and udp only)"
	}
	return out, unchecked
}

// scopeKey names a never's scope after its statement.
func scopeKey(n *model.Never) (key, id string) {
	ports := "all"
	if n.Ports != nil {
		ports = model.PortsString(n.Ports)
	}
	words := slug(n.From.String()) + "-to-" + slug(n.To.String()) + "-" + slug(ports)
	if len(words) > 80 {
		words = strings.TrimRight(words[:80], "-")
	}
	hash := naming.Hash(n.From.String() + "->" + n.To.String() + "|" + model.PortsString(n.Ports) + "|" + strings.Join(n.Except, ",") + "|" + n.Reason)
	key = words + "-" + hash
	for _, w := range strings.Split(key, "-") {
		if w != "" {
			id += strings.ToUpper(w[:1]) + w[1:]
		}
	}
	return key, id
}

// slug writes s in lower-case letters, digits and single dashes; "*" is
// "any".
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(strings.ReplaceAll(s, "*", "-any-")) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		} else {
			dash = true
		}
	}
	return b.String()
}
