package lint

import (
	"strings"

	"github.com/sgc-dev/sgc/lang/diag"
)

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
		for f := range p.Program.Active() {
			if !fromInternet(f) {
				continue
			}
			for _, port := range f.Ports {
				if portCount(port) >= 65536 {
					p.Report(f, f.PortsRange(), "%s is open to the internet %s", f.To.Declared().Name, strings.TrimPrefix(describeAll(port), "all traffic"))
					break
				}
			}
		}
	},
}
