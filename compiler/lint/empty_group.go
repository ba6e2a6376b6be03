package lint

import (
	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/lang/diag"
)

// EmptyGroup reports groups without any flow.
var EmptyGroup = &Check{
	ID: "SG114", Name: "empty-group", Severity: diag.Warning,
	Title: "group with no inbound and no outbound flows",
	Doc: `A group that nothing may reach and that may reach nothing is either unfinished or
left over. (It still denies all egress, which may be the point: then waive it in the
configuration by turning the check off.)`,
	Bad:          "group legacy-batch \"Old batch servers\"",
	Good:         "# (deleted, or given its flows)",
	Checkov:      []string{"CKV2_AWS_5"},
	Declarations: true,
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
