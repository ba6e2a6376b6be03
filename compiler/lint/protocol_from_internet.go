package lint

import (
	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/lang/diag"
)

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
		for f := range p.Program.Active() {
			if !fromInternet(f) {
				continue
			}
			for _, port := range f.Ports {
				if !port.HasPorts() && port.Protocol != model.All {
					p.Report(f, f.PortsRange(), "protocol %s allowed from the internet", port.Protocol)
					break
				}
			}
		}
	},
}
