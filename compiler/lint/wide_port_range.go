package lint

import (
	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/lang/diag"
)

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
		for f := range p.Program.Active() {
			if !betweenGroups(f) {
				continue
			}
			for _, port := range f.Ports {
				if port.Protocol != model.All && portCount(port) > p.Config.WidePortRange {
					p.Report(f, f.PortsRange(), "%s opens %d ports between groups", port, portCount(port))
					break
				}
			}
		}
	},
}
