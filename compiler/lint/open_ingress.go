package lint

import (
	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/lang/diag"
)

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
		for f := range p.Program.Active() {
			g, ok := f.To.(*model.Group)
			if ok && openToWorld(f.From) && !g.InternetFacing && !f.Temporary() {
				p.Report(f, f.FromRange(), "%q is open to the internet but not marked internet-facing", g.Name).
					WithSuggestion("Mark the group internet-facing, narrow the source, or give the flow an until date.")
			}
		}
	},
}
