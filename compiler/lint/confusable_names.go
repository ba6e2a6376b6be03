package lint

import (
	"sort"
	"strings"

	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/lang/diag"
)

// punctuation spells "_" and "." as "-", for ConfusableNames (made once:
// building a Replacer per name was most of the check's memory).
var punctuation = strings.NewReplacer("_", "-", ".", "-")

// ConfusableNames reports names that differ only in case or in "-", "_"
// and ".": cache-payments-production beside cache_payments-production.
var ConfusableNames = &Check{
	ID: "SG117", Name: "confusable-names", Severity: diag.Warning,
	Title: "two names that differ only in case or punctuation",
	Doc: `Names that differ only in upper and lower case or in "-", "_" and "." read as one name:
a flow written against one is taken for the other in review, and a rename between them
looks like no change. Keep one spelling, or give the two things names that say how they
differ.`,
	Bad:          "group cache-payments-production \"Payment cache\"\ngroup cache_payments-production \"Payment cache (new)\"",
	Good:         "group cache-payments-production \"Payment cache\"\ngroup redis-payments-production \"Payment cache (Redis)\"",
	Declarations: true,
	Run: func(p *Pass) {
		var decls []*model.Decl
		for _, g := range p.Program.Groups {
			decls = append(decls, &g.Decl)
		}
		for _, e := range sortedDecls(p.Program) {
			if n, ok := e.(*model.Network); ok && n.Predeclared {
				continue
			}
			decls = append(decls, e.Declared())
		}
		for _, s := range p.Program.Services {
			decls = append(decls, &s.Decl)
		}
		sort.SliceStable(decls, func(i, j int) bool { return decls[i].Range.Before(decls[j].Range) })
		seen := map[string]*model.Decl{}
		for _, d := range decls {
			key := punctuation.Replace(strings.ToLower(d.Name))
			if prev, ok := seen[key]; ok && prev.Name != d.Name {
				p.Report(nil, d.NameRange, "%q reads as %q, declared before", d.Name, prev.Name).
					WithRelated(prev.NameRange, "declared here")
				continue
			}
			seen[key] = d
		}
	},
}
