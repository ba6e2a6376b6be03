package compiler

import (
	"fmt"
	"sort"
	"strings"

	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/internal/limits"
	"github.com/sgc-dev/sgc/lang/ast"
	"github.com/sgc-dev/sgc/lang/diag"
	"github.com/sgc-dev/sgc/lang/source"
)

// ports resolves a port list into sorted, distinct ports, and the services
// it names.
func (c *compiler) ports(l *ast.PortList) ([]model.Port, []*model.Service, bool) {
	var (
		out      []model.Port
		services []*model.Service
		ok       = true
		prev     *model.Port // the last tcp/udp term, which a bare port continues
	)
	for _, t := range l.Terms {
		switch t.Kind {
		case ast.PortAll:
			out = append(out, model.Port{Protocol: model.All, From: -1, To: -1})
			prev = nil
		case ast.PortService:
			sym := c.lookup(t.Name, model.KindService)
			if sym == nil {
				ok = false
				continue
			}
			svc := sym.entity.(*model.Service)
			services = append(services, svc)
			if c.oversized[svc] {
				ok = false // reported at the service
			}
			out = append(out, svc.Ports...)
			prev = nil
		case ast.PortRange:
			proto := model.Protocol("")
			if t.Protocol != nil {
				proto = model.Protocol(t.Protocol.Name)
			} else if prev != nil {
				proto = prev.Protocol
			} else {
				c.diags.Errorf(t.Range(), MissingProtocol, "port %s has no protocol", t.Text).
					WithSuggestion("Write tcp/%s or udp/%s.", t.Text, t.Text)
				ok = false
				continue
			}
			p, good := c.portRange(t, proto)
			if !good {
				ok = false
				continue
			}
			out = append(out, p)
			prev = &out[len(out)-1]
		case ast.PortICMP:
			p, good := c.icmp(t)
			if !good {
				ok = false
				continue
			}
			out = append(out, p)
			prev = nil
		case ast.PortProtocol:
			p, good := c.protocol(t)
			if !good {
				ok = false
				continue
			}
			out = append(out, p)
			prev = nil
		}
	}
	return sortPorts(out), services, ok
}

func sortPorts(ps []model.Port) []model.Port {
	sort.Slice(ps, func(i, j int) bool { return ps[i].Less(ps[j]) })
	out := ps[:0]
	for i, p := range ps {
		if i == 0 || p != ps[i-1] {
			out = append(out, p)
		}
	}
	return out
}

func (c *compiler) portRange(t *ast.PortTerm, proto model.Protocol) (model.Port, bool) {
	ok := true
	check := func(n *ast.Number) {
		if n.Value < 0 || n.Value > 65535 {
			c.diags.Errorf(n.Range(), PortOutOfRange, "port %s is out of range", n.Text).
				WithDetail("TCP and UDP ports run from 0 to 65535.")
			ok = false
		}
	}
	check(t.From)
	p := model.Port{Protocol: proto, From: t.From.Value, To: t.From.Value}
	if t.To != nil {
		check(t.To)
		p.To = t.To.Value
		if ok && p.From > p.To {
			c.diags.Errorf(source.Range{Start: t.From.Pos, End: t.To.EndPos}, InvertedRange,
				"port range %s-%s is upside down", t.From.Text, t.To.Text).
				WithSuggestion("Did you mean %s-%s?", t.To.Text, t.From.Text)
			ok = false
		}
	}
	return p, ok
}

// icmpTypes maps ICMP type names to numbers, per protocol; "all" is any type.
var icmpTypes = map[string]map[string]int{
	"icmp": {
		"all": -1, "echo-reply": 0, "destination-unreachable": 3, "source-quench": 4, "redirect": 5,
		"echo-request": 8, "router-advertisement": 9, "router-solicitation": 10, "time-exceeded": 11,
		"parameter-problem": 12, "timestamp-request": 13, "timestamp-reply": 14,
	},
	"icmpv6": {
		"all": -1, "destination-unreachable": 1, "packet-too-big": 2, "time-exceeded": 3,
		"parameter-problem": 4, "echo-request": 128, "echo-reply": 129, "router-solicitation": 133,
		"router-advertisement": 134, "neighbor-solicitation": 135, "neighbor-advertisement": 136,
	},
}

func (c *compiler) icmp(t *ast.PortTerm) (model.Port, bool) {
	proto := t.Protocol.Name
	p := model.Port{Protocol: model.Protocol(proto), From: -1, To: -1}
	if t.Name != nil {
		typ, known := icmpTypes[proto][t.Name.Name]
		if !known {
			var names []string
			for n := range icmpTypes[proto] {
				names = append(names, n)
			}
			d := c.diags.Errorf(t.Name.Range(), ICMPOutOfRange, "unknown %s type %q", proto, t.Name.Name)
			if s := diag.Suggest(t.Name.Name, names); s != "" {
				d.WithSuggestion("Did you mean %q?", s)
			} else {
				sort.Strings(names)
				d.WithDetail("Known names: %s; or write the type number.", strings.Join(names, ", "))
			}
			return p, false
		}
		p.From = typ
		return p, true
	}
	ok := true
	for _, n := range []*ast.Number{t.From, t.To} {
		if n != nil && (n.Value < 0 || n.Value > 255) {
			what := "type"
			if n == t.To {
				what = "code"
			}
			c.diags.Errorf(n.Range(), ICMPOutOfRange, "%s %s %s is out of range", proto, what, n.Text).
				WithDetail("ICMP types and codes run from 0 to 255.")
			ok = false
		}
	}
	p.From = t.From.Value
	if t.To != nil {
		p.To = t.To.Value
	}
	return p, ok
}

// protocolForms are the protocol numbers that have their own port form:
// AWS wants ports (or ICMP types) for them, which proto/N cannot give.
var protocolForms = map[int]string{1: "icmp/all", 6: "tcp/0-65535", 17: "udp/0-65535", 58: "icmpv6/all"}

func (c *compiler) protocol(t *ast.PortTerm) (model.Port, bool) {
	n := t.From
	if n.Value < 0 || n.Value > 255 {
		c.diags.Errorf(n.Range(), ProtocolOutOfRange, "protocol number %s is out of range", n.Text).
			WithDetail("IP protocol numbers run from 0 to 255.")
		return model.Port{}, false
	}
	if form, ok := protocolForms[n.Value]; ok {
		c.diags.Errorf(t.Range(), ProtocolOutOfRange, "protocol %d has its own form", n.Value).
			WithDetail("AWS wants ports for this protocol; proto/N is for protocols without them.").
			WithSuggestion("Write %s, or the ports meant.", form)
		return model.Port{}, false
	}
	return model.Port{Protocol: model.Protocol(fmt.Sprint(n.Value)), From: -1, To: -1}, true
}

// expandService resolves a service's ports, following the services it
// names; a cycle is reported once, at the service where it closes.
func (c *compiler) expandService(svc *model.Service, node *ast.ServiceDecl) {
	if c.expanded[svc] {
		return
	}
	if c.expanding[svc] {
		c.diags.Errorf(node.Name.Range(), ServiceCycle, "service %q includes itself", svc.Name).
			WithDetail("Services may name other services, but not in a circle.")
		c.expanded[svc] = true
		return
	}
	c.expanding[svc] = true
	// Expand named services first so their ports are known.
	for _, t := range node.Ports.Terms {
		if t.Kind != ast.PortService {
			continue
		}
		if sym, ok := c.symbols[t.Name.Name]; ok && sym.kind == model.KindService && !sym.bad {
			c.expandService(sym.entity.(*model.Service), sym.node.(*ast.ServiceDecl))
		}
	}
	delete(c.expanding, svc)
	if c.expanded[svc] { // a cycle through svc was reported while expanding its parts
		return
	}
	c.expanded[svc] = true
	ports, includes, _ := c.ports(node.Ports)
	svc.Includes = includes
	for _, in := range includes {
		if c.oversized[in] {
			c.oversized[svc] = true // reported once, at the service that first grew too large
			return
		}
	}
	// Each service keeps its own expansion, so a chain of services costs
	// the sum of their sizes: bounded by the cap, as AWS bounds a group.
	if len(ports) > limits.ServicePorts {
		c.oversized[svc] = true
		c.diags.Errorf(node.Name.Range(), ServiceTooLarge, "service %q expands to %d port ranges; at most %d can ever be deployed", svc.Name, len(ports), limits.ServicePorts).
			WithDetail("AWS allows at most %d rules per security group and direction, one per port range and peer, so no flow could use this service. Join ranges (tcp/8000-8099 for tcp/8000, tcp/8001, ...), or split the service.", limits.ServicePorts)
		return
	}
	svc.Ports = ports
}

func comparePorts(a, b []model.Port) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			if a[i].Less(b[i]) {
				return -1
			}
			return 1
		}
	}
	return len(a) - len(b)
}

// Ports compiles a port list without service names (as the CLI's
// queries give them): its ports, sorted and distinct, and the problems.
func Ports(l *ast.PortList) ([]model.Port, diag.List) {
	c := &compiler{symbols: map[string]*symbol{}}
	ports, _, _ := c.ports(l)
	return ports, c.diags
}

// ICMPNames lists the ICMP type names a port term may use, for each
// protocol ("icmp", "icmpv6"), sorted: for an editor's completion.
func ICMPNames() map[string][]string {
	out := map[string][]string{}
	for proto, names := range icmpTypes {
		for n := range names {
			out[proto] = append(out[proto], n)
		}
		sort.Strings(out[proto])
	}
	return out
}
