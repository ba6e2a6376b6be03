package lint

import (
	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/lang/diag"
)

// UnusedDeclaration reports names no flow uses.
var UnusedDeclaration = &Check{
	ID: "SG107", Name: "unused-declaration", Severity: diag.Warning,
	Title: "declaration that no flow uses",
	Doc: `A network, prefix list, external group or service that no flow names is dead weight, and
a sign that a flow was deleted or misspelled. Groups without flows are SG114.`,
	Bad:          "network old-office 192.0.2.0/24 \"Closed in 2024\"",
	Good:         "# (deleted)",
	Declarations: true,
	Run: func(p *Pass) {
		used := map[string]bool{}
		for _, f := range p.Program.Flows {
			// Groups are not this check's (SG114 is), and nearly every
			// end of a flow is one: passed over by their type, their
			// names are neither read nor hashed.
			for _, e := range [2]model.Endpoint{f.From, f.To} {
				if _, group := e.(*model.Group); !group {
					used[e.Declared().Name] = true
				}
			}
		}
		// A never uses the names it guards and excepts.
		for _, n := range p.Program.Nevers {
			for _, sel := range []model.Selector{n.From, n.To} {
				if sel.Endpoint != nil {
					used[sel.Endpoint.Declared().Name] = true
				}
			}
			for _, name := range n.Except {
				used[name] = true
			}
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
