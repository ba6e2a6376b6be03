// Package review answers the questions reviewers and auditors ask of a
// policy, from the model alone: what talks to what (graphs), and why a
// given source may reach a destination on a port.
package review

import (
	"fmt"
	"sort"
	"strings"

	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/internal/naming"
)

// GraphOptions select what a graph shows.
type GraphOptions struct {
	// Group limits the graph to the flows of one group and its neighbours.
	Group string
}

// graphFlows returns the active flows to draw.
func graphFlows(p *model.Program, opts GraphOptions) ([]*model.Flow, error) {
	if opts.Group != "" {
		if e := p.Lookup(opts.Group); e == nil || e.Kind() != model.KindGroup {
			return nil, fmt.Errorf("no group named %q", opts.Group)
		}
	}
	var out []*model.Flow
	for _, f := range p.Flows {
		if f.Status == model.Expired {
			continue
		}
		if opts.Group != "" && f.From.Declared().Name != opts.Group && f.To.Declared().Name != opts.Group {
			continue
		}
		out = append(out, f)
	}
	return out, nil
}

// nodes returns the endpoints the flows touch, sorted by kind then name,
// with identifiers safe for Mermaid and stable under edits elsewhere.
func nodes(flows []*model.Flow) ([]model.Endpoint, map[model.Endpoint]string) {
	seen := map[model.Endpoint]bool{}
	var eps []model.Endpoint
	for _, f := range flows {
		for _, e := range []model.Endpoint{f.From, f.To} {
			if !seen[e] {
				seen[e] = true
				eps = append(eps, e)
			}
		}
	}
	sort.Slice(eps, func(i, j int) bool {
		if eps[i].Kind() != eps[j].Kind() {
			return eps[i].Kind() < eps[j].Kind()
		}
		return eps[i].Declared().Name < eps[j].Declared().Name
	})
	ids := make([]string, len(eps))
	for i, e := range eps {
		// A kind prefix keeps ids clear of Mermaid's keywords ("end", "graph").
		prefix := map[model.Kind]string{model.KindGroup: "g_", model.KindNetwork: "n_", model.KindPrefixList: "p_", model.KindExternal: "x_"}[e.Kind()]
		ids[i] = prefix + strings.Join(naming.Words(e.Declared().Name), "_")
	}
	idOf := map[model.Endpoint]string{}
	for i, id := range naming.Unique(ids, func(i int) string { return eps[i].Declared().Name }, 200, func(n, s string) string { return n + "_" + s }) {
		idOf[eps[i]] = id
	}
	return eps, idOf
}

func label(f *model.Flow) string {
	l := model.PortsString(f.Ports)
	if f.Temporary() {
		l += " until " + f.Until.Format("2006-01-02")
	}
	return l
}

// Mermaid draws the policy as a Mermaid flowchart: groups as boxes, the
// internet as a circle, networks as parallelograms, prefix lists as
// cylinders, external groups as hexagons; an edge per flow labelled with
// its ports, dashed with its date when temporary.
func Mermaid(p *model.Program, opts GraphOptions) (string, error) {
	flows, err := graphFlows(p, opts)
	if err != nil {
		return "", err
	}
	eps, id := nodes(flows)
	var b strings.Builder
	if env := p.Environment; env != nil {
		b.WriteString("---\ntitle: environment " + env.Name + "\n---\n")
	}
	b.WriteString("flowchart LR\n")
	for _, e := range eps {
		name := e.Declared().Name
		var shape string
		switch v := e.(type) {
		case *model.Group:
			shape = fmt.Sprintf("[%q]", name)
		case *model.Network:
			if v.Predeclared {
				shape = fmt.Sprintf("((%q))", name)
			} else {
				shape = fmt.Sprintf("[/%q/]", name)
			}
		case *model.PrefixList:
			shape = fmt.Sprintf("[(%q)]", name)
		case *model.External:
			shape = fmt.Sprintf("{{%q}}", name)
		}
		fmt.Fprintf(&b, "  %s%s\n", id[e], shape)
	}
	for _, f := range flows {
		arrow := "-->"
		if f.Temporary() {
			arrow = "-.->"
		}
		fmt.Fprintf(&b, "  %s %s|%q| %s\n", id[f.From], arrow, label(f), id[f.To])
	}
	return b.String(), nil
}

// DOT draws the policy for Graphviz, with the same shapes and styles as
// Mermaid.
func DOT(p *model.Program, opts GraphOptions) (string, error) {
	flows, err := graphFlows(p, opts)
	if err != nil {
		return "", err
	}
	eps, _ := nodes(flows)
	var b strings.Builder
	b.WriteString("digraph sgc {\n  rankdir=LR;\n  node [fontname=\"Helvetica\"];\n  edge [fontname=\"Helvetica\", fontsize=10];\n")
	if env := p.Environment; env != nil {
		b.WriteString("  labelloc=t;\n  label=\"environment " + env.Name + "\";\n")
	}
	for _, e := range eps {
		attrs := "shape=box"
		switch v := e.(type) {
		case *model.Network:
			attrs = "shape=parallelogram"
			if v.Predeclared {
				attrs = "shape=doublecircle"
			}
		case *model.PrefixList:
			attrs = "shape=cylinder"
		case *model.External:
			attrs = "shape=hexagon, style=dashed"
		}
		fmt.Fprintf(&b, "  %q [%s];\n", e.Declared().Name, attrs)
	}
	for _, f := range flows {
		style := ""
		if f.Temporary() {
			style = ", style=dashed"
		}
		fmt.Fprintf(&b, "  %q -> %q [label=%q%s];\n", f.From.Declared().Name, f.To.Declared().Name, label(f), style)
	}
	b.WriteString("}\n")
	return b.String(), nil
}
