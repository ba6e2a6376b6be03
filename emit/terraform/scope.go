package terraform

import (
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/emit"
)

// ScopesOutput is the output that holds each never's Network Access
// Analyzer scope. Provider 5.x has no resource for scopes, so the module
// hands them over as the input of
// `aws ec2 create-network-insights-access-scope --cli-input-json`, with
// the group ids filled in by the apply.
const ScopesOutput = "network_access_scopes"

// scopesOutput adds the output: a map from each scope's key to its JSON.
func scopesOutput(bs *blocks, p *model.Program, n names) {
	scopes := emit.AccessScopes(p)
	if len(scopes) == 0 {
		return
	}
	var b strings.Builder
	b.WriteString("value = {\n")
	for _, s := range scopes {
		b.WriteString(`"never-` + s.Key + `" = jsonencode({` + "\n")
		writePaths(&b, "MatchPaths", s.Match, n)
		if len(s.Exclude) > 0 {
			writePaths(&b, "ExcludePaths", s.Exclude, n)
		}
		b.WriteString("})\n")
	}
	b.WriteString("}\n")
	f, diags := hclwrite.ParseConfig([]byte(b.String()), "scopes", hcl.InitialPos)
	if diags.HasErrors() {
		panic("terraform: a scope's expression does not parse: " + diags.Error())
	}
	value := f.Body().GetAttribute("value").Expr().BuildTokens(nil)
	bs.add("output", []string{ScopesOutput}, func(o *hclwrite.Body) {
		o.SetAttributeValue("description", cty.StringVal("Network Access Analyzer scopes of the policy's never statements, by key: each is the input of aws ec2 create-network-insights-access-scope --cli-input-json."))
		o.SetAttributeRaw("value", value)
	})
}

func writePaths(b *strings.Builder, name string, paths []emit.ScopePath, n names) {
	b.WriteString(name + " = [\n")
	for _, p := range paths {
		b.WriteString("{\n")
		writeSide(b, "Source", p.Source, true, n)
		writeSide(b, "Destination", p.Destination, false, n)
		b.WriteString("},\n")
	}
	b.WriteString("]\n")
}

// writeSide writes one side of a path, as the CLI's JSON names it.
func writeSide(b *strings.Builder, name string, s emit.ScopeSide, source bool, n names) {
	var parts []string
	switch {
	case s.InternetGateway:
		parts = append(parts, `ResourceStatement = { ResourceTypes = ["AWS::EC2::InternetGateway"] }`)
	case s.Resources():
		var ids []string
		for _, g := range s.Groups {
			ids = append(ids, groupRef(n, g))
		}
		for _, id := range s.IDs {
			ids = append(ids, string(str(id)))
		}
		for _, e := range s.Inputs {
			ids = append(ids, "var."+n.external[e])
		}
		parts = append(parts, "ResourceStatement = { Resources = ["+strings.Join(ids, ", ")+"] }")
	}
	var header []string
	addrs, lists := "DestinationAddresses", "DestinationPrefixLists"
	if source {
		addrs, lists = "SourceAddresses", "SourcePrefixLists"
	}
	for _, f := range []struct {
		key  string
		vals []string
		refs []string // expressions, after the literal values
	}{{addrs, s.Addresses, nil}, {lists, s.PrefixLists, managedRefs(s.Managed, n)}, {"Protocols", s.Protocols, nil}, {"DestinationPorts", s.Ports, nil}} {
		if len(f.vals)+len(f.refs) > 0 {
			q := make([]string, len(f.vals), len(f.vals)+len(f.refs))
			for i, v := range f.vals {
				q[i] = string(str(v))
			}
			header = append(header, f.key+" = ["+strings.Join(append(q, f.refs...), ", ")+"]")
		}
	}
	if len(header) > 0 {
		parts = append(parts, "PacketHeaderStatement = {\n"+strings.Join(header, "\n")+"\n}")
	}
	if len(parts) > 0 {
		b.WriteString(name + " = {\n" + strings.Join(parts, "\n") + "\n}\n")
	}
}

// managedRefs are the ids of AWS-managed prefix lists, as the module looks
// them up.
func managedRefs(lists []*model.PrefixList, n names) []string {
	var out []string
	for _, l := range lists {
		out = append(out, "data.aws_ec2_managed_prefix_list."+n.list[l]+".id")
	}
	return out
}
