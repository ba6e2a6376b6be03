package lint

import (
	"fmt"
	"net/netip"
	"regexp"
	"sort"
	"strings"

	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/lang/diag"
)

// Checks is the one list of checks, in id order. Ids are stable: a check
// is never renumbered, and a removed check's id is not reused.
var Checks = []*Check{
	OpenIngress, AdminPortOpen, OpenEgress, WideSource, AllBetweenGroups, ShadowedFlow,
	UnusedDeclaration, ExpiringFlow, RuleNamedGroup, OverQuota, OpenAllPorts, ProtocolFromInternet,
	VaguePurpose, EmptyGroup, WidePortRange, DuplicateDeclaration, UnusedWaiver,
}

// OpenIngress reports internet-wide ingress to a group not marked
// internet-facing.
var OpenIngress = &Check{
	ID: "SG101", Name: "open-ingress", Severity: diag.Warning,
	Title: "internet-wide ingress to a group not marked internet-facing",
	Doc: `A flow from the internet (0.0.0.0/0 or ::/0) reaches a group that is not declared
internet-facing. Only groups meant to face the internet (load balancers, public endpoints)
should take traffic from everywhere; mark them "internet-facing", or narrow the source to
the networks that need it. A temporary flow (with "until") is not reported: it ends by itself.`,
	Bad:     "group app \"App servers\"\ninternet -> app tcp/8443 because \"partner callbacks\"",
	Good:    "group app \"App servers\"\nnetwork partner 198.51.100.0/24 \"Partner API senders\"\npartner -> app tcp/8443 because \"partner callbacks\"",
	Checkov: []string{"CKV_AWS_260", "CKV_AWS_24", "CKV_AWS_25"}, Trivy: []string{"AVD-AWS-0107"}, CfnNag: []string{"W2"},
	Run: func(p *Pass) {
		for _, f := range p.Program.ActiveFlows() {
			g, ok := f.To.(*model.Group)
			if ok && openToWorld(f.From) && !g.InternetFacing && !f.Temporary() {
				p.Report(f, f.FromRange, "%q is open to the internet but not marked internet-facing", g.Name).
					WithSuggestion("Mark the group internet-facing, narrow the source, or give the flow an until date.")
			}
		}
	},
}

// AdminPortOpen reports administration and database ports open to the internet.
var AdminPortOpen = &Check{
	ID: "SG102", Name: "admin-port-open", Severity: diag.Error,
	Title: "administration or database port open to the internet",
	Doc: `SSH, RDP, database and cache ports (22, 3389, 3306, 5432, 1433, 6379, 27017, 9200, ...)
open to 0.0.0.0/0 or ::/0 are found by scanners within minutes. Reach them through a
bastion, a VPN or a named network. The list of ports is configurable (admin_ports).`,
	Bad:     "group db \"Databases\"\ninternet -> db tcp/5432 because \"analysts connect\"",
	Good:    "group db \"Databases\"\nnetwork office 203.0.113.0/28 \"Analysts' office\"\noffice -> db tcp/5432 because \"analysts connect\"",
	Checkov: []string{"CKV_AWS_24", "CKV_AWS_25"}, Trivy: []string{"AVD-AWS-0107"}, CfnNag: []string{"W2"},
	Run: func(p *Pass) {
		for _, f := range p.Program.ActiveFlows() {
			if !fromInternet(f) {
				continue
			}
			var hit []string
			for _, port := range f.Ports {
				if port.Protocol != model.TCP && port.Protocol != model.UDP {
					continue
				}
				for _, a := range p.Config.AdminPorts {
					if a >= port.From && a <= port.To {
						hit = append(hit, fmt.Sprint(a))
					}
				}
			}
			if len(hit) > 0 {
				p.Report(f, f.PortsRange, "administration or database port %s open to the internet", strings.Join(dedupe(hit), ", ")).
					WithSuggestion("Reach it through a bastion, a VPN or a named network instead of the internet.")
			}
		}
	},
}

// OpenEgress reports egress to the internet on all ports.
var OpenEgress = &Check{
	ID: "SG103", Name: "open-egress", Severity: diag.Warning,
	Title: "egress to the internet on all ports",
	Doc: `A group may send anything anywhere: exfiltration and command-and-control traffic go
out unhindered. Name the ports (and, where possible, the destinations) the group needs.`,
	Bad:     "group app \"App servers\"\napp -> internet all because \"outbound\"",
	Good:    "group app \"App servers\"\napp -> internet tcp/443 because \"call the payment provider API\"",
	Checkov: []string{"CKV_AWS_382"}, Trivy: []string{"AVD-AWS-0104"}, CfnNag: []string{"W5", "W40"},
	Run: func(p *Pass) {
		for _, f := range p.Program.ActiveFlows() {
			if _, ok := f.From.(*model.Group); !ok || !openToWorld(f.To) {
				continue
			}
			for _, port := range f.Ports {
				if portCount(port) >= 65536 {
					p.Report(f, f.PortsRange, "%s may send %s to the internet", f.From.Declared().Name, describeAll(port))
					break
				}
			}
		}
	},
}

func describeAll(p model.Port) string {
	if p.Protocol == model.All {
		return "all traffic"
	}
	return "on every " + string(p.Protocol) + " port"
}

// WideSource reports wide address blocks as sources.
var WideSource = &Check{
	ID: "SG104", Name: "wide-source", Severity: diag.Warning,
	Title: "wide address block as a source",
	Doc: `A source block shorter than /16 (IPv6: /48) admits far more hosts than a flow usually
needs; it is often a typo (/8 for /28) or a shortcut. Name the smaller blocks. The internet
itself is reported by SG101. The threshold is configurable (wide_cidr_prefix).`,
	Bad:    "group app \"App servers\"\nnetwork corp 10.0.0.0/8 \"Everything internal\"\ncorp -> app tcp/443 because \"internal users\"",
	Good:   "group app \"App servers\"\nnetwork corp 10.20.0.0/20 \"Office VPN pool\"\ncorp -> app tcp/443 because \"internal users\"",
	CfnNag: []string{"W9"},
	Run: func(p *Pass) {
		for _, f := range p.Program.ActiveFlows() {
			n, ok := f.From.(*model.Network)
			if _, toGroup := f.To.(*model.Group); !ok || !toGroup || n.Predeclared {
				continue
			}
			for _, c := range n.CIDRs {
				limit := p.Config.WideCIDRPrefix
				if c.Addr().Is6() {
					limit += 32
				}
				if c.Bits() > 0 && c.Bits() < limit {
					p.Report(f, f.FromRange, "source %s includes %s, a /%d block", n.Name, c, c.Bits()).
						WithDetail("Blocks shorter than /%d are reported as wide.", limit)
					break
				}
			}
		}
	},
}

// AllBetweenGroups reports `all` used between groups.
var AllBetweenGroups = &Check{
	ID: "SG105", Name: "all-between-groups", Severity: diag.Warning,
	Title: "every protocol and port allowed between groups",
	Doc: `"all" between two groups lets any service of one reach any service of the other, now
and after every future deploy. Name the ports. (Node-to-node traffic of some clusters does
need it: waive the finding with the reason.)`,
	Bad:    "group web \"Web\"\ngroup db \"DB\"\nweb -> db all because \"web talks to the database\"",
	Good:   "group web \"Web\"\ngroup db \"DB\"\nweb -> db tcp/5432 because \"web talks to the database\"",
	CfnNag: []string{"W40", "W42"},
	Run: func(p *Pass) {
		for _, f := range p.Program.ActiveFlows() {
			if !betweenGroups(f) {
				continue
			}
			for _, port := range f.Ports {
				if port.Protocol == model.All {
					p.Report(f, f.PortsRange, "all traffic allowed from %s to %s", f.From.Declared().Name, f.To.Declared().Name)
					break
				}
			}
		}
	},
}

// ShadowedFlow reports flows whose access other flows already grant.
var ShadowedFlow = &Check{
	ID: "SG106", Name: "shadowed-flow", Severity: diag.Warning,
	Title: "flow already allowed by another flow",
	Doc: `Every rule of this flow is covered by rules of other flows (a wider port range, all
protocols, any ICMP code) that last at least as long. The flow adds nothing but a second
reason; when the wider flow goes, the reviewer may not expect this access to remain.
Remove it, or narrow the other flow.`,
	Bad:  "group web \"Web\"\ngroup db \"DB\"\nweb -> db tcp/5000-6000 because \"app ports\"\nweb -> db tcp/5432 because \"database\"",
	Good: "group web \"Web\"\ngroup db \"DB\"\nweb -> db tcp/5432 because \"database\"",
	Run:  runShadowed,
}

// UnusedDeclaration reports names no flow uses.
var UnusedDeclaration = &Check{
	ID: "SG107", Name: "unused-declaration", Severity: diag.Warning,
	Title: "declaration that no flow uses",
	Doc: `A network, prefix list, external group or service that no flow names is dead weight, and
a sign that a flow was deleted or misspelled. Groups without flows are SG114.`,
	Bad:  "network old-office 192.0.2.0/24 \"Closed in 2024\"",
	Good: "# (deleted)",
	Run: func(p *Pass) {
		used := map[string]bool{}
		for _, f := range p.Program.Flows {
			used[f.From.Declared().Name] = true
			used[f.To.Declared().Name] = true
		}
		// A service is used when a flow or a used service names it. The model
		// keeps expanded ports only, so match by the services' port sets.
		usedSvc := usedServices(p.Program)
		report := func(kind, name string, d model.Decl) {
			p.Report(nil, d.NameRange, "%s %q is never used", kind, name).WithSuggestion("Delete the declaration, or add the flow it was meant for.")
		}
		for _, n := range p.Program.Networks {
			if !n.Predeclared && !used[n.Name] {
				report("network", n.Name, n.Decl)
			}
		}
		for _, l := range p.Program.PrefixLists {
			if !used[l.Name] {
				report("prefix list", l.Name, l.Decl)
			}
		}
		for _, e := range p.Program.Externals {
			if !used[e.Name] {
				report("external", e.Name, e.Decl)
			}
		}
		for _, s := range p.Program.Services {
			if !usedSvc[s] {
				report("service", s.Name, s.Decl)
			}
		}
	},
}

func usedServices(p *model.Program) map[*model.Service]bool {
	used := map[*model.Service]bool{}
	var mark func(s *model.Service)
	mark = func(s *model.Service) {
		if used[s] {
			return
		}
		used[s] = true
		for _, inner := range s.Includes {
			mark(inner)
		}
	}
	for _, f := range p.Flows {
		for _, s := range f.Services {
			mark(s)
		}
	}
	return used
}

// ExpiringFlow reports temporary flows about to end.
var ExpiringFlow = &Check{
	ID: "SG108", Name: "expiring-flow", Severity: diag.Warning,
	Title: "temporary flow about to expire",
	Doc: `The flow ends within the expiry window (14 days by default, expiring_within): after its
date builds leave it out and the access stops. Extend it deliberately, or let it go and
delete it. Expired flows are reported by the compiler (ExpiredFlow).`,
	Bad:  "office -> db tcp/5432 because \"incident INC-2211\" until 2026-06-03",
	Good: "office -> db tcp/5432 because \"incident INC-2211\" until 2026-09-30",
	Run: func(p *Pass) {
		for _, f := range p.Program.ActiveFlows() {
			if !f.Temporary() {
				continue
			}
			left := f.Until.Sub(p.Program.Now)
			if left <= p.Config.ExpiringWithin {
				days := int(left.Hours() / 24)
				when := fmt.Sprintf("in %d days", days)
				if days == 1 {
					when = "tomorrow"
				}
				p.Report(f, f.UntilRange, "flow expires %s (%s)", when, f.Until.Format("2006-01-02"))
			}
		}
	},
}

var (
	ruleWords  = map[string]bool{"allow": true, "allowed": true, "deny": true, "open": true, "permit": true, "access": true, "ssh": true, "rdp": true, "http": true, "https": true, "tcp": true, "udp": true, "icmp": true, "ingress": true, "egress": true, "inbound": true, "outbound": true, "port": true, "ports": true, "rule": true, "rules": true, "any": true}
	wellKnown  = map[string]bool{"21": true, "22": true, "23": true, "25": true, "53": true, "80": true, "443": true, "3389": true}
	trailingNo = regexp.MustCompile(`[-_.](\d+)$`)
)

// RuleNamedGroup reports groups named after what they allow.
var RuleNamedGroup = &Check{
	ID: "SG109", Name: "rule-named-group", Severity: diag.Warning,
	Title: "group named after its rules instead of its contents",
	Doc: `Groups are named after what they contain (game-servers-production), never after what
they allow (allow-https-8443, ssh-access): the rules change, the contents do not, and a
group named after a rule soon allows something else. The name also becomes the AWS group
name, which cannot be changed without replacing the group.`,
	Bad:  "group allow-ssh-22 \"SSH servers\"",
	Good: "group bastion-hosts \"SSH bastion hosts\"",
	Run: func(p *Pass) {
		for _, g := range p.Program.Groups {
			var why string
			for _, w := range strings.FieldsFunc(strings.ToLower(g.Name), func(r rune) bool { return r == '-' || r == '_' || r == '.' }) {
				if ruleWords[w] {
					why = fmt.Sprintf("%q describes a rule", w)
					break
				}
			}
			if m := trailingNo.FindStringSubmatch(g.Name); why == "" && m != nil {
				if n := atoi(m[1]); wellKnown[m[1]] || (n >= 1024 && n <= 65535 && (n < 1990 || n > 2100)) {
					why = fmt.Sprintf("%q reads as a port", m[1])
				}
			}
			if why != "" {
				p.Report(nil, g.NameRange, "group %q is named after a rule: %s", g.Name, why).
					WithSuggestion("Name the group after what it contains, such as game-servers-production.")
			}
		}
	},
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
		if n > 1<<20 {
			return n
		}
	}
	return n
}

// OpenAllPorts reports internet ingress on all ports or protocols.
var OpenAllPorts = &Check{
	ID: "SG111", Name: "open-all-ports", Severity: diag.Error,
	Title: "internet ingress on all ports or protocols",
	Doc: `Every port of the group is reachable from anywhere: whatever listens, now or after the
next deploy, is exposed. Even an internet-facing group takes only the ports it serves.`,
	Bad:     "group lb \"Load balancer\" internet-facing\ninternet -> lb all because \"public\"",
	Good:    "group lb \"Load balancer\" internet-facing\ninternet -> lb tcp/443 because \"public HTTPS\"",
	Checkov: []string{"CKV_AWS_277"}, Trivy: []string{"AVD-AWS-0107"}, CfnNag: []string{"W2", "W42"},
	Run: func(p *Pass) {
		for _, f := range p.Program.ActiveFlows() {
			if !fromInternet(f) {
				continue
			}
			for _, port := range f.Ports {
				if portCount(port) >= 65536 {
					p.Report(f, f.PortsRange, "%s is open to the internet %s", f.To.Declared().Name, strings.TrimPrefix(describeAll(port), "all traffic"))
					break
				}
			}
		}
	},
}

// ProtocolFromInternet reports IP protocol numbers allowed from the internet.
var ProtocolFromInternet = &Check{
	ID: "SG112", Name: "protocol-from-internet", Severity: diag.Warning,
	Title: "IP protocol number allowed from the internet",
	Doc: `A rule for an IP protocol number (GRE, ESP, ...) admits all of that protocol's traffic
from anywhere. VPN and tunnel endpoints should take it from their peers' addresses only.`,
	Bad:     "group vpn \"VPN gateways\" internet-facing\ninternet -> vpn proto/50 because \"IPsec\"",
	Good:    "group vpn \"VPN gateways\" internet-facing\nnetwork peer 198.51.100.7 \"Branch office gateway\"\npeer -> vpn proto/50 because \"IPsec from the branch\"",
	Checkov: []string{"CKV_AWS_277"}, Trivy: []string{"AVD-AWS-0107"},
	Run: func(p *Pass) {
		for _, f := range p.Program.ActiveFlows() {
			if !fromInternet(f) {
				continue
			}
			for _, port := range f.Ports {
				if !port.HasPorts() && port.Protocol != model.All {
					p.Report(f, f.PortsRange, "protocol %s allowed from the internet", port.Protocol)
					break
				}
			}
		}
	},
}

// purposeWords returns the words of a purpose: the matches of
// [A-Za-z0-9]+(?:[-'][A-Za-z0-9]+)*, found by hand because a regexp made
// this check the slowest of all on large policies (TestPurposeWords holds
// the two to the same result).
func purposeWords(s string) []string {
	var words []string
	for i := 0; i < len(s); {
		if !isAlnum(s[i]) {
			i++
			continue
		}
		start := i
		for i < len(s) && isAlnum(s[i]) {
			i++
		}
		for i+1 < len(s) && (s[i] == '-' || s[i] == '\'') && isAlnum(s[i+1]) {
			i++
			for i < len(s) && isAlnum(s[i]) {
				i++
			}
		}
		words = append(words, s[start:i])
	}
	return words
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// VaguePurpose reports purposes too vague to audit.
var VaguePurpose = &Check{
	ID: "SG113", Name: "vague-purpose", Severity: diag.Warning,
	Title: "purpose too vague to audit",
	Doc: `The purpose becomes the rule's description in AWS and is what an auditor reads. "TODO",
"test", "temp", "access" or a single word do not say why the access exists. Say who needs
it for what. The words and the minimum length are configurable (vague_words,
min_purpose_words).`,
	Bad:     "web -> db tcp/5432 because \"TODO\"",
	Good:    "web -> db tcp/5432 because \"orders and catalogue queries\"",
	Checkov: []string{"CKV_AWS_23"}, Trivy: []string{"AVD-AWS-0124"}, CfnNag: []string{"W36"},
	Run: func(p *Pass) {
		vague := map[string]bool{}
		for _, w := range p.Config.VagueWords {
			vague[strings.ToLower(w)] = true
		}
		for _, f := range p.Program.ActiveFlows() {
			words := purposeWords(f.Purpose)
			switch {
			case vague[strings.ToLower(strings.TrimSpace(f.Purpose))]:
				p.Report(f, f.PurposeRange, "purpose %q does not say why the flow exists", f.Purpose)
			case len(words) < p.Config.MinPurposeWords:
				p.Report(f, f.PurposeRange, "purpose %q is too short to audit", f.Purpose).
					WithDetail("A purpose has at least %d words.", p.Config.MinPurposeWords)
			default:
				for _, w := range words {
					if lw := strings.ToLower(w); vague[lw] && (lw == "todo" || lw == "tbd" || lw == "fixme" || lw == "xxx") {
						p.Report(f, f.PurposeRange, "purpose %q is marked %s", f.Purpose, w)
						break
					}
				}
			}
		}
	},
}

// EmptyGroup reports groups without any flow.
var EmptyGroup = &Check{
	ID: "SG114", Name: "empty-group", Severity: diag.Warning,
	Title: "group with no inbound and no outbound flows",
	Doc: `A group that nothing may reach and that may reach nothing is either unfinished or
left over. (It still denies all egress, which may be the point: then waive it in the
configuration by turning the check off.)`,
	Bad:     "group legacy-batch \"Old batch servers\"",
	Good:    "# (deleted, or given its flows)",
	Checkov: []string{"CKV2_AWS_5"},
	Run: func(p *Pass) {
		has := map[*model.Group]bool{}
		for _, f := range p.Program.Flows {
			if g, ok := f.From.(*model.Group); ok {
				has[g] = true
			}
			if g, ok := f.To.(*model.Group); ok {
				has[g] = true
			}
		}
		for _, g := range p.Program.Groups {
			if !has[g] {
				p.Report(nil, g.NameRange, "group %q has no flows", g.Name)
			}
		}
	},
}

// WidePortRange reports very wide port ranges between groups.
var WidePortRange = &Check{
	ID: "SG115", Name: "wide-port-range", Severity: diag.Warning,
	Title: "very wide port range between groups",
	Doc: `A range of more than 1000 ports (wide_port_range) between groups allows far more
services than one flow needs. Name the ports, or waive the finding where a wide range is
the design (ephemeral ports, cluster internals).`,
	Bad:    "web -> app tcp/1024-65535 because \"app ports\"",
	Good:   "web -> app tcp/8080-8089 because \"app instances on ten ports\"",
	CfnNag: []string{"W27", "W29"},
	Run: func(p *Pass) {
		for _, f := range p.Program.ActiveFlows() {
			if !betweenGroups(f) {
				continue
			}
			for _, port := range f.Ports {
				if port.Protocol != model.All && portCount(port) > p.Config.WidePortRange {
					p.Report(f, f.PortsRange, "%s opens %d ports between groups", port, portCount(port))
					break
				}
			}
		}
	},
}

// DuplicateDeclaration reports one thing declared under several names.
var DuplicateDeclaration = &Check{
	ID: "SG116", Name: "duplicate-declaration", Severity: diag.Warning,
	Title: "the same addresses, prefix list or group declared under two names",
	Doc: `Two networks with the same blocks, two prefix lists with the same id, or two externals
with the same group id: flows written against one name are not found when reviewing the
other, and changes must be made twice. Keep one name.`,
	Bad:  "network office 203.0.113.0/28 \"Office\"\nnetwork hq 203.0.113.0/28 \"Head office\"",
	Good: "network office 203.0.113.0/28 \"Head office\"",
	Run: func(p *Pass) {
		type decl struct {
			kind string
			d    model.Decl
		}
		seen := map[string]decl{}
		check := func(kind, key string, d model.Decl) {
			if prev, ok := seen[key]; ok {
				p.Report(nil, d.NameRange, "%s %q is the same as %s %q", kind, d.Name, prev.kind, prev.d.Name).
					WithRelated(prev.d.NameRange, "declared here")
				return
			}
			seen[key] = decl{kind, d}
		}
		for _, d := range sortedDecls(p.Program) {
			switch e := d.(type) {
			case *model.Network:
				if !e.Predeclared {
					check("network", "net:"+prefixesKey(e.CIDRs), e.Decl)
				}
			case *model.PrefixList:
				check("prefix list", "pl:"+e.ID, e.Decl)
			case *model.External:
				if e.ID != "" {
					check("external", "sg:"+e.ID, e.Decl)
				}
			}
		}
	},
}

// sortedDecls returns networks, prefix lists and externals in source order,
// so that the later declaration is the one reported.
func sortedDecls(p *model.Program) []model.Endpoint {
	var out []model.Endpoint
	for _, n := range p.Networks {
		out = append(out, n)
	}
	for _, l := range p.PrefixLists {
		out = append(out, l)
	}
	for _, e := range p.Externals {
		out = append(out, e)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Declared().Range.Before(out[j].Declared().Range) })
	return out
}

func prefixesKey(ps []netip.Prefix) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.String()
	}
	return strings.Join(s, ",")
}

// UnusedWaiver reports waivers that waive nothing. It is applied by Run
// itself, after the other checks.
var UnusedWaiver = &Check{
	ID: "SG190", Name: "unused-waiver", Severity: diag.Warning,
	Title: "waiver that waives nothing",
	Doc: `A waiver whose finding is gone (the flow was fixed) or that names no check keeps a
stale exception in the file. Delete it. Expired waivers are not reported here: they stop
waiving, and the finding they waived comes back with a note.`,
	Bad:  "# sgc:waive SG101 until 2027-01-31 because \"partner callbacks\"\npartner -> app tcp/8443 because \"partner callbacks\"",
	Good: "partner -> app tcp/8443 because \"partner callbacks\"",
	Run:  func(*Pass) {},
}

func dedupe(s []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}
