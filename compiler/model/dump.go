package model

import (
	"fmt"
	"io"
	"strings"
)

// Dump writes the program in a stable, line-per-entity text form. Tests use
// it as a golden view of the model; it is not a format to parse.
func (p *Program) Dump(w io.Writer) {
	var b strings.Builder
	for _, g := range p.Groups {
		facing := ""
		if g.InternetFacing {
			facing = " internet-facing"
		}
		if g.LoadBalancer != "" {
			facing += " load-balancer " + g.LoadBalancer
		}
		if len(g.Formerly) > 0 {
			facing += " formerly " + strings.Join(g.Formerly, ",")
		}
		for i, v := range g.AlsoIn {
			if i == 0 {
				facing += " also-in"
			}
			facing += " " + v.Key()
		}
		if g.Owner != "" {
			facing += " owner " + g.Owner
		}
		fmt.Fprintf(&b, "group %s %q%s\n", g.Name, g.Description, facing)
	}
	for _, n := range p.Networks {
		var cidrs []string
		for _, c := range n.CIDRs {
			cidrs = append(cidrs, c.String())
		}
		fmt.Fprintf(&b, "network %s %s %q\n", n.Name, strings.Join(cidrs, ","), n.Description)
	}
	for _, l := range p.PrefixLists {
		managed := ""
		if l.Managed != "" {
			managed = fmt.Sprintf(" aws-name=%s weight=%d", l.AWSName, l.Weight)
		}
		fmt.Fprintf(&b, "prefix-list %s %s max-entries=%d%s %q\n", l.Name, l.ID, l.MaxEntries, managed, l.Description)
	}
	for _, e := range p.Externals {
		id := e.ID
		if id == "" {
			id = "(input)"
		}
		if e.Account != "" {
			id += " account=" + e.Account
		}
		if e.Via != "" {
			id += " via=" + e.Via
		}
		fmt.Fprintf(&b, "external %s %s %q\n", e.Name, id, e.Description)
	}
	for _, in := range p.Interfaces {
		var names []string
		for _, g := range in.Groups {
			names = append(names, g.Name)
		}
		fmt.Fprintf(&b, "interface %s %s %q\n", in.Name, strings.Join(names, ","), in.Description)
	}
	for _, s := range p.Services {
		fmt.Fprintf(&b, "service %s %s\n", s.Name, PortsString(s.Ports))
	}
	for _, f := range p.Flows {
		until := ""
		if f.Temporary() {
			until = " until " + f.Until.Format("2006-01-02")
		}
		fmt.Fprintf(&b, "flow %s -> %s %s %q%s (%s) @%d:%d\n", f.From.Declared().Name, f.To.Declared().Name,
			PortsString(f.Ports), f.Purpose, until, f.Status, f.Range.Start.Line, f.Range.Start.Column)
		for _, w := range f.Waivers {
			fmt.Fprintf(&b, "  waive %s until %s %q expired=%v\n", strings.Join(w.IDs, ","), w.Until.Format("2006-01-02"), w.Reason, w.Expired)
		}
	}
	for _, r := range p.Rules {
		fmt.Fprintf(&b, "rule %s %s %s %s %q\n", r.Group.Name, r.Direction, r.Port, r.Peer.Key(), r.Flow.Purpose)
	}
	for _, n := range p.Nevers {
		ports := "any"
		if n.Ports != nil {
			ports = PortsString(n.Ports)
		}
		fmt.Fprintf(&b, "never %s -> %s %s except=%s %q\n", n.From, n.To, ports, strings.Join(n.Except, ","), n.Reason)
	}
	io.WriteString(w, b.String())
}

// PortsString writes ports as an intent port list.
func PortsString(ps []Port) string {
	b := make([]byte, 0, 16*len(ps))
	for i, p := range ps {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = p.appendText(b)
	}
	return string(b)
}
