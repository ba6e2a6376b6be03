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
	"bytes"
	"fmt"
	"strconv"
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
		diags.Errorf(source.Range{}, emit.UnsupportedOption, "the terraform target has no format %q", opts.Format).
			WithDetail("Terraform modules are written in HCL; --format applies to the cloudformation target.")
		return nil, diags
	}
	if opts.Split {
		diags.Errorf(source.Range{}, emit.UnsupportedOption, "the terraform target cannot --split").
			WithDetail("A Terraform module has no size limit; --split applies to the cloudformation target.")
		return nil, diags
	}
	n := nameAll(p)
	header := "# " + emit.Header(p) + "\n"
	files := []emit.File{
		{Path: VersionsFile, Data: versions().bytes(header)},
		{Path: VariablesFile, Data: variables(p, n).bytes(header)},
		{Path: MainFile, Data: mainFile(p, n, opts).bytes(header)},
		{Path: OutputsFile, Data: outputs(p, n).bytes(header)},
	}
	return files, nil
}

// blocks accumulates top-level blocks, each built and formatted on its
// own. Top-level blocks are separated by blank lines, so formatting them
// one by one gives the bytes hclwrite.Format gives the whole file, without
// its cost on a file of many thousand blocks.
type blocks struct{ buf bytes.Buffer }

// add builds one top-level block and appends it in canonical layout.
func (bs *blocks) add(typeName string, labels []string, build func(b *hclwrite.Body)) {
	f := hclwrite.NewEmptyFile()
	build(f.Body().AppendNewBlock(typeName, labels).Body())
	bs.buf.WriteByte('\n')
	bs.buf.Write(hclwrite.Format(f.Bytes()))
}

// addLaidOut appends a block laid out by writeBlock.
func (bs *blocks) addLaidOut(typeName string, labels []string, attrs []attribute) {
	bs.buf.WriteByte('\n')
	writeBlock(&bs.buf, typeName, labels, attrs)
}

func (bs *blocks) bytes(header string) []byte {
	return append([]byte(header), bs.buf.Bytes()...)
}

func traversal(parts ...string) hcl.Traversal {
	t := hcl.Traversal{hcl.TraverseRoot{Name: parts[0]}}
	for _, p := range parts[1:] {
		t = append(t, hcl.TraverseAttr{Name: p})
	}
	return t
}

func versions() *blocks {
	var bs blocks
	bs.add("terraform", nil, func(tf *hclwrite.Body) {
		tf.SetAttributeValue("required_version", cty.StringVal(">= 1.3"))
		rp := tf.AppendNewBlock("required_providers", nil).Body()
		rp.SetAttributeValue("aws", cty.ObjectVal(map[string]cty.Value{
			"source":  cty.StringVal("hashicorp/aws"),
			"version": cty.StringVal(">= 5.0"),
		}))
	})
	return &bs
}

func variables(p *model.Program, n names) *blocks {
	var bs blocks
	bs.add("variable", []string{"vpc_id"}, func(v *hclwrite.Body) {
		v.SetAttributeValue("description", cty.StringVal("The VPC in which the security groups are created."))
		v.SetAttributeRaw("type", hclwrite.TokensForIdentifier("string"))
	})
	bs.add("variable", []string{"tags"}, func(v *hclwrite.Body) {
		v.SetAttributeValue("description", cty.StringVal("Tags added to every security group and rule."))
		v.SetAttributeRaw("type", hclwrite.TokensForFunctionCall("map", hclwrite.TokensForIdentifier("string")))
		v.SetAttributeValue("default", cty.MapValEmpty(cty.String))
	})
	for _, e := range p.Externals {
		if e.ID != "" {
			continue
		}
		name := n.external[e]
		bs.add("variable", []string{name}, func(v *hclwrite.Body) {
			v.SetAttributeValue("description", cty.StringVal(fmt.Sprintf("Id of the security group %q, managed elsewhere: %s.", e.Name, e.Description)))
			v.SetAttributeRaw("type", hclwrite.TokensForIdentifier("string"))
			val := v.AppendNewBlock("validation", nil).Body()
			val.SetAttributeRaw("condition", hclwrite.TokensForFunctionCall("can",
				hclwrite.TokensForFunctionCall("regex", hclwrite.TokensForValue(cty.StringVal(`^sg-([0-9a-f]{8}|[0-9a-f]{17})$`)),
					hclwrite.TokensForTraversal(traversal("var", name)))))
			val.SetAttributeValue("error_message", cty.StringVal(fmt.Sprintf("%s must be a security group id such as sg-0123456789abcdef0.", name)))
		})
	}
	return &bs
}

// tags is the attribute tags = merge(var.tags, { extra... }), the caller's
// tags first so that sgc's own keys win.
func tags(extra [][2]string) attribute {
	a := attribute{name: "tags", open: "merge(var.tags, {", close: "})"}
	for _, kv := range extra {
		a.entries = append(a.entries, attribute{name: string(keyTokens(kv[0]).Bytes()), value: str(kv[1])})
	}
	return a
}

// keyTokens writes an object key bare when it is an identifier, quoted otherwise.
func keyTokens(k string) hclwrite.Tokens {
	if hclsyntaxValidIdentifier(k) {
		return hclwrite.TokensForIdentifier(k)
	}
	return hclwrite.TokensForValue(cty.StringVal(k))
}

func ctyString(s string) cty.Value { return cty.StringVal(s) }

// str, num and ref render values with hclwrite's token builders.
func str(s string) []byte { return hclwrite.TokensForValue(cty.StringVal(s)).Bytes() }

// num writes an integer as hclwrite does, without its arbitrary-precision
// formatting.
func num(n int) []byte { return strconv.AppendInt(nil, int64(n), 10) }

// ref writes a traversal of identifiers, as hclwrite.TokensForTraversal does.
func ref(parts ...string) []byte { return []byte(strings.Join(parts, ".")) }

func hclsyntaxValidIdentifier(s string) bool {
	for i, r := range s {
		letter := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '_'
		if !letter && (i == 0 || !(r >= '0' && r <= '9' || r == '-')) {
			return false
		}
	}
	return s != ""
}

func mainFile(p *model.Program, n names, opts emit.Options) *blocks {
	var bs blocks
	rulesOf := map[*model.Group][]*model.Rule{}
	for _, r := range p.Rules {
		rulesOf[r.Group] = append(rulesOf[r.Group], r)
	}
	for _, g := range p.Groups {
		bs.addLaidOut("resource", []string{"aws_security_group", n.group[g]}, []attribute{
			{name: "name", value: str(g.Name)},
			{name: "description", value: str(g.Description)},
			{name: "vpc_id", value: ref("var", "vpc_id")},
			tags([][2]string{{"Name", g.Name}}),
		})
		for _, r := range rulesOf[g] {
			kind := "aws_vpc_security_group_ingress_rule"
			if r.Direction == model.Egress {
				kind = "aws_vpc_security_group_egress_rule"
			}
			bs.addLaidOut("resource", []string{kind, n.rule[r]}, rule(r, n, opts))
		}
	}
	return &bs
}

func rule(r *model.Rule, n names, opts emit.Options) []attribute {
	attrs := []attribute{
		{name: "security_group_id", value: ref("aws_security_group", n.group[r.Group], "id")},
		{name: "description", value: str(r.Flow.Purpose)},
		{name: "ip_protocol", value: str(string(r.Port.Protocol))},
	}
	if r.Port.HasPorts() {
		attrs = append(attrs, attribute{name: "from_port", value: num(r.Port.From)}, attribute{name: "to_port", value: num(r.Port.To)})
	}
	switch peer := r.Peer; peer.Kind {
	case model.PeerCIDR:
		if peer.CIDR.Addr().Is4() {
			attrs = append(attrs, attribute{name: "cidr_ipv4", value: str(peer.CIDR.String())})
		} else {
			attrs = append(attrs, attribute{name: "cidr_ipv6", value: str(peer.CIDR.String())})
		}
	case model.PeerPrefixList:
		attrs = append(attrs, attribute{name: "prefix_list_id", value: str(peer.PrefixList.ID)})
	case model.PeerGroup:
		attrs = append(attrs, attribute{name: "referenced_security_group_id", value: ref("aws_security_group", n.group[peer.Group], "id")})
	case model.PeerExternal:
		if peer.External.ID != "" {
			attrs = append(attrs, attribute{name: "referenced_security_group_id", value: str(peer.External.ID)})
		} else {
			attrs = append(attrs, attribute{name: "referenced_security_group_id", value: ref("var", n.external[peer.External])})
		}
	}
	extra := [][2]string{{TagSource, emit.SourceOf(r.Flow, opts.SourceLines)}}
	if r.Flow.Temporary() {
		extra = append(extra, [2]string{TagUntil, r.Flow.Until.Format("2006-01-02")})
	}
	return append(attrs, tags(extra))
}

func outputs(p *model.Program, n names) *blocks {
	var bs blocks
	ids := attribute{name: "value", open: "{", close: "}"}
	for _, g := range p.Groups {
		ids.entries = append(ids.entries, attribute{name: string(str(g.Name)), value: ref("aws_security_group", n.group[g], "id")})
	}
	bs.addLaidOut("output", []string{"security_group_ids"}, []attribute{
		{name: "description", value: str("The security group ids, by role name.")},
		ids,
	})
	for _, g := range p.Groups {
		bs.addLaidOut("output", []string{n.group[g] + "_id"}, []attribute{
			{name: "description", value: str(fmt.Sprintf("Id of the security group %q.", g.Name))},
			{name: "value", value: ref("aws_security_group", n.group[g], "id")},
		})
	}
	return &bs
}
