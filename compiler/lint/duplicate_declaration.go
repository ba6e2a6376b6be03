package lint

import (
	"net/netip"
	"sort"
	"strings"

	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/lang/diag"
)

// DuplicateDeclaration reports one thing declared under several names.
var DuplicateDeclaration = &Check{
	ID: "SG116", Name: "duplicate-declaration", Severity: diag.Warning,
	Title: "the same addresses, prefix list or group declared under two names",
	Doc: `Two networks with the same blocks, two prefix lists with the same id, or two externals
with the same group id: flows written against one name are not found when reviewing the
other, and changes must be made twice. Keep one name.`,
	Bad:          "network office 203.0.113.0/28 \"Office\"\nnetwork hq 203.0.113.0/28 \"Head office\"",
	Good:         "network office 203.0.113.0/28 \"Head office\"",
	Declarations: true,
	Run: func(p *Pass) {
		type decl struct {
			kind string
			d    model.Decl
		}
		seen := map[string]decl{}
		check := func(kind, key string, d model.Decl) {
			if prev, ok := seen[key]; ok {
				p.Report(nil, d.NameRange, "%s %q is the same as %s %q", kind, d.Name, prev.kind, prev.d.Name).
					WithRelated(prev.d.NameRange, "declared here")
				return
			}
			seen[key] = decl{kind, d}
		}
		for _, d := range sortedDecls(p.Program) {
			switch e := d.(type) {
			case *model.Network:
				if !e.Predeclared {
					check("network", "net:"+prefixesKey(e.CIDRs), e.Decl)
				}
			case *model.PrefixList:
				check("prefix list", "pl:"+e.ID, e.Decl)
			case *model.External:
				if e.ID != "" {
					check("external", "sg:"+e.ID, e.Decl)
				}
			}
		}
	},
}

// sortedDecls returns networks, prefix lists and externals in source order,
// so that the later declaration is the one reported.
func sortedDecls(p *model.Program) []model.Endpoint {
	var out []model.Endpoint
	for _, n := range p.Networks {
		out = append(out, n)
	}
	for _, l := range p.PrefixLists {
		out = append(out, l)
	}
	for _, e := range p.Externals {
		out = append(out, e)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Declared().Range.Before(out[j].Declared().Range) })
	return out
}

func prefixesKey(ps []netip.Prefix) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.String()
	}
	return strings.Join(s, ",")
}
