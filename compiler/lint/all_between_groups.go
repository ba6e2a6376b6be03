package lint

import (
	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/lang/diag"
)

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
		for f := range p.Program.Active() {
			if !betweenGroups(f) {
				continue
			}
			for _, port := range f.Ports {
				if port.Protocol == model.All {
					p.Report(f, f.PortsRange(), "all traffic allowed from %s to %s", f.From.Declared().Name, f.To.Declared().Name)
					break
				}
			}
		}
	},
}
