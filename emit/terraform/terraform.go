// Package terraform emits a policy as a Terraform module for the
// hashicorp/aws provider (v5 and later): one aws_security_group per group
// and one aws_vpc_security_group_ingress_rule or _egress_rule per AWS rule,
// built with hclwrite and already in `terraform fmt` layout.
//
// Resource names come from content (group, direction, peer, protocol,
// ports), never from position, so adding or removing a flow changes only
// that flow's resources in a plan.
package terraform

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/emit"
	"github.com/sgc-dev/sgc/lang/diag"
	"github.com/sgc-dev/sgc/lang/source"
)

// Target is the Terraform module target.
var Target = &emit.Target{
	Name: "terraform",
	Doc:  "a Terraform module for the hashicorp/aws provider (>= 5.0)",
	Emit: Emit,
}

// The module's files.
const (
	VersionsFile  = "versions.tf"
	VariablesFile = "variables.tf"
	MainFile      = "main.tf"
	OutputsFile   = "outputs.tf"
)

// Tag keys sgc puts on rules besides the caller's tags.
const (
	TagSource = "sgc:source" // the intent file (and line, with SourceLines) of the flow
	TagUntil  = "sgc:until"  // the flow's expiry date, for temporary flows
)

// maxName bounds resource names; Terraform has no limit, but state
// addresses and plans stay readable.
const maxName = 200

// names holds the Terraform identifiers of a program's entities.
type names struct {
	group    map[*model.Group]string
	external map[*model.External]string // the input variable of an external without id
	rule     map[*model.Rule]string
}

func identifier(words []string) string { return strings.Join(words, "_") }

func joinSuffix(name, suffix string) string {
	if name == "" {
		return suffix
	}
	return name + "_" + suffix
}

func nameAll(p *model.Program) names {
	n := names{group: map[*model.Group]string{}, external: map[*model.External]string{}, rule: map[*model.Rule]string{}}
	var keys, ids []string
	for _, g := range p.Groups {
		keys = append(keys, g.Name)
		ids = append(ids, identifier(emit.Words(g.Name)))
	}
	for i, id := range emit.Unique(keys, ids, maxName, joinSuffix) {
		n.group[p.Groups[i]] = id
	}
	keys, ids = nil, nil
	var inputs []*model.External
	for _, e := range p.Externals {
		if e.ID == "" {
			inputs = append(inputs, e)
			keys = append(keys, e.Name)
			ids = append(ids, identifier(append(emit.Words(e.Name), "security", "group", "id")))
		}
	}
	for i, id := range emit.Unique(keys, ids, maxName, joinSuffix) {
		n.external[inputs[i]] = id
	}
	keys, ids = nil, nil
	for _, r := range p.Rules {
		keys = append(keys, r.Key())
		ids = append(ids, identifier(emit.RuleWords(r)))
	}
	for i, id := range emit.Unique(keys, ids, maxName, joinSuffix) {
		n.rule[p.Rules[i]] = id
	}
	return n
}

// Emit generates the module. It never fails on a program that compiled
// without errors.
func Emit(p *model.Program, opts emit.Options) ([]emit.File, diag.List) {
	var diags diag.List
	if opts.Format != "" && opts.Format != "hcl" {
		diags.Errorf(source.Range{}, "UnknownFormat", "the terraform target has no format %q", opts.Format).
			WithDetail("Terraform modules are written in HCL; --format applies to the cloudformation target.")
		return nil, diags
	}
	if opts.Split {
		diags.Errorf(source.Range{}, "UnknownFormat", "the terraform target cannot --split").
			WithDetail("A Terraform module has no size limit; --split applies to the cloudformation target.")
		return nil, diags
	}
	n := nameAll(p)
	header := "# " + emit.Header(p) + "\n\n"
	files := []emit.File{
		{Path: VersionsFile, Data: finish(header, versions())},
		{Path: VariablesFile, Data: finish(header, variables(p, n))},
		{Path: MainFile, Data: finish(header, mainFile(p, n, opts))},
		{Path: OutputsFile, Data: finish(header, outputs(p, n))},
	}
	return files, nil
}

func finish(header string, f *hclwrite.File) []byte {
	return append([]byte(header), hclwrite.Format(f.Bytes())...)
}

func traversal(parts ...string) hcl.Traversal {
	t := hcl.Traversal{hcl.TraverseRoot{Name: parts[0]}}
	for _, p := range parts[1:] {
		t = append(t, hcl.TraverseAttr{Name: p})
	}
	return t
}

func versions() *hclwrite.File {
	f := hclwrite.NewEmptyFile()
	tf := f.Body().AppendNewBlock("terraform", nil).Body()
	tf.SetAttributeValue("required_version", cty.StringVal(">= 1.3"))
	rp := tf.AppendNewBlock("required_providers", nil).Body()
	rp.SetAttributeValue("aws", cty.ObjectVal(map[string]cty.Value{
		"source":  cty.StringVal("hashicorp/aws"),
		"version": cty.StringVal(">= 5.0"),
	}))
	return f
}

func variables(p *model.Program, n names) *hclwrite.File {
	f := hclwrite.NewEmptyFile()
	b := f.Body()
	v := b.AppendNewBlock("variable", []string{"vpc_id"}).Body()
	v.SetAttributeValue("description", cty.StringVal("The VPC in which the security groups are created."))
	v.SetAttributeRaw("type", hclwrite.TokensForIdentifier("string"))
	b.AppendNewline()
	v = b.AppendNewBlock("variable", []string{"tags"}).Body()
	v.SetAttributeValue("description", cty.StringVal("Tags added to every security group and rule."))
	v.SetAttributeRaw("type", hclwrite.TokensForFunctionCall("map", hclwrite.TokensForIdentifier("string")))
	v.SetAttributeValue("default", cty.MapValEmpty(cty.String))
	for _, e := range p.Externals {
		if e.ID != "" {
			continue
		}
		name := n.external[e]
		b.AppendNewline()
		v = b.AppendNewBlock("variable", []string{name}).Body()
		v.SetAttributeValue("description", cty.StringVal(fmt.Sprintf("Id of the security group %q, managed elsewhere: %s.", e.Name, e.Description)))
		v.SetAttributeRaw("type", hclwrite.TokensForIdentifier("string"))
		val := v.AppendNewBlock("validation", nil).Body()
		val.SetAttributeRaw("condition", hclwrite.TokensForFunctionCall("can",
			hclwrite.TokensForFunctionCall("regex", hclwrite.TokensForValue(cty.StringVal(`^sg-([0-9a-f]{8}|[0-9a-f]{17})$`)),
				hclwrite.TokensForTraversal(traversal("var", name)))))
		val.SetAttributeValue("error_message", cty.StringVal(fmt.Sprintf("%s must be a security group id such as sg-0123456789abcdef0.", name)))
	}
	return f
}

// tags builds merge(var.tags, { extra... }), the caller's tags first so
// that sgc's own keys win.
func tags(extra [][2]string) hclwrite.Tokens {
	var attrs []hclwrite.ObjectAttrTokens
	for _, kv := range extra {
		attrs = append(attrs, hclwrite.ObjectAttrTokens{
			Name:  keyTokens(kv[0]),
			Value: hclwrite.TokensForValue(cty.StringVal(kv[1])),
		})
	}
	return hclwrite.TokensForFunctionCall("merge", hclwrite.TokensForTraversal(traversal("var", "tags")), hclwrite.TokensForObject(attrs))
}

// keyTokens writes an object key bare when it is an identifier, quoted otherwise.
func keyTokens(k string) hclwrite.Tokens {
	if hclsyntaxValidIdentifier(k) {
		return hclwrite.TokensForIdentifier(k)
	}
	return hclwrite.TokensForValue(cty.StringVal(k))
}

func hclsyntaxValidIdentifier(s string) bool {
	for i, r := range s {
		letter := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '_'
		if !letter && (i == 0 || !(r >= '0' && r <= '9' || r == '-')) {
			return false
		}
	}
	return s != ""
}

func mainFile(p *model.Program, n names, opts emit.Options) *hclwrite.File {
	f := hclwrite.NewEmptyFile()
	b := f.Body()
	rulesOf := map[*model.Group][]*model.Rule{}
	for _, r := range p.Rules {
		rulesOf[r.Group] = append(rulesOf[r.Group], r)
	}
	for i, g := range p.Groups {
		if i > 0 {
			b.AppendNewline()
		}
		sg := b.AppendNewBlock("resource", []string{"aws_security_group", n.group[g]}).Body()
		sg.SetAttributeValue("name", cty.StringVal(g.Name))
		sg.SetAttributeValue("description", cty.StringVal(g.Description))
		sg.SetAttributeTraversal("vpc_id", traversal("var", "vpc_id"))
		sg.SetAttributeRaw("tags", tags([][2]string{{"Name", g.Name}}))
		for _, r := range rulesOf[g] {
			b.AppendNewline()
			rule(b, r, n, opts)
		}
	}
	return f
}

func rule(b *hclwrite.Body, r *model.Rule, n names, opts emit.Options) {
	kind := "aws_vpc_security_group_ingress_rule"
	if r.Direction == model.Egress {
		kind = "aws_vpc_security_group_egress_rule"
	}
	rb := b.AppendNewBlock("resource", []string{kind, n.rule[r]}).Body()
	rb.SetAttributeTraversal("security_group_id", traversal("aws_security_group", n.group[r.Group], "id"))
	rb.SetAttributeValue("description", cty.StringVal(r.Flow.Purpose))
	rb.SetAttributeValue("ip_protocol", cty.StringVal(string(r.Port.Protocol)))
	if r.Port.HasPorts() {
		rb.SetAttributeValue("from_port", cty.NumberIntVal(int64(r.Port.From)))
		rb.SetAttributeValue("to_port", cty.NumberIntVal(int64(r.Port.To)))
	}
	switch peer := r.Peer; peer.Kind {
	case model.PeerCIDR:
		if peer.CIDR.Addr().Is4() {
			rb.SetAttributeValue("cidr_ipv4", cty.StringVal(peer.CIDR.String()))
		} else {
			rb.SetAttributeValue("cidr_ipv6", cty.StringVal(peer.CIDR.String()))
		}
	case model.PeerPrefixList:
		rb.SetAttributeValue("prefix_list_id", cty.StringVal(peer.PrefixList.ID))
	case model.PeerGroup:
		rb.SetAttributeTraversal("referenced_security_group_id", traversal("aws_security_group", n.group[peer.Group], "id"))
	case model.PeerExternal:
		if peer.External.ID != "" {
			rb.SetAttributeValue("referenced_security_group_id", cty.StringVal(peer.External.ID))
		} else {
			rb.SetAttributeTraversal("referenced_security_group_id", traversal("var", n.external[peer.External]))
		}
	}
	extra := [][2]string{{TagSource, emit.SourceOf(r.Flow, opts.SourceLines)}}
	if r.Flow.Temporary() {
		extra = append(extra, [2]string{TagUntil, r.Flow.Until.Format("2006-01-02")})
	}
	rb.SetAttributeRaw("tags", tags(extra))
}

func outputs(p *model.Program, n names) *hclwrite.File {
	f := hclwrite.NewEmptyFile()
	b := f.Body()
	o := b.AppendNewBlock("output", []string{"security_group_ids"}).Body()
	o.SetAttributeValue("description", cty.StringVal("The security group ids, by role name."))
	var attrs []hclwrite.ObjectAttrTokens
	for _, g := range p.Groups {
		attrs = append(attrs, hclwrite.ObjectAttrTokens{
			Name:  hclwrite.TokensForValue(cty.StringVal(g.Name)),
			Value: hclwrite.TokensForTraversal(traversal("aws_security_group", n.group[g], "id")),
		})
	}
	o.SetAttributeRaw("value", hclwrite.TokensForObject(attrs))
	for _, g := range p.Groups {
		b.AppendNewline()
		o := b.AppendNewBlock("output", []string{n.group[g] + "_id"}).Body()
		o.SetAttributeValue("description", cty.StringVal(fmt.Sprintf("Id of the security group %q.", g.Name)))
		o.SetAttributeTraversal("value", traversal("aws_security_group", n.group[g], "id"))
	}
	return f
}
