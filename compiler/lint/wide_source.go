package lint

import (
	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/lang/diag"
)

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
		for f := range p.Program.Active() {
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
					p.Report(f, f.FromRange(), "source %s includes %s, a /%d block", n.Name, c, c.Bits()).
						WithDetail("Blocks shorter than /%d are reported as wide.", limit)
					break
				}
			}
		}
	},
}
