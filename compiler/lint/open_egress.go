package lint

import (
	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/lang/diag"
)

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
		for f := range p.Program.Active() {
			if _, ok := f.From.(*model.Group); !ok || !openToWorld(f.To) {
				continue
			}
			for _, port := range f.Ports {
				if portCount(port) >= 65536 {
					p.Report(f, f.PortsRange(), "%s may send %s to the internet", f.From.Declared().Name, describeAll(port))
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
