// Package ruleset reduces a policy's AWS rules to comparable text, from the
// model or from emitted output read back as the real tools would read it.
// Property tests use it to check that every target says exactly what the
// model says, and that the targets agree with each other.
package ruleset

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/sgc-dev/sgc/account/live"
	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/emit"
)

// Rule is one AWS rule with its peer written by name: "group:NAME" for a
// group of the policy, "input:NAME" for an external whose id is an input,
// otherwise the CIDR, prefix list id or group id.
type Rule struct {
	Group, Direction, Protocol string
	From, To                   int // 0 when the protocol takes no ports
	Peer, Description          string
}

func (r Rule) String() string {
	return fmt.Sprintf("%s %s %s %d..%d %s %q", r.Group, r.Direction, r.Protocol, r.From, r.To, r.Peer, r.Description)
}

// Set is a sorted list of rules as text.
type Set []string

func (s Set) String() string { return strings.Join(s, "\n") }

func sorted(rules []Rule) Set {
	out := make(Set, len(rules))
	for i, r := range rules {
		out[i] = r.String()
	}
	sort.Strings(out)
	return out
}

// FromModel returns the program's rules.
func FromModel(p *model.Program) Set {
	var out []Rule
	for _, r := range p.Rules {
		var peer string
		switch r.Peer.Kind {
		case model.PeerCIDR:
			peer = r.Peer.CIDR.String()
		case model.PeerPrefixList:
			peer = r.Peer.PrefixList.ID
			if l := r.Peer.PrefixList; l.Managed != "" {
				peer = "managed:" + l.AWSName
			}
		case model.PeerGroup:
			peer = "group:" + r.Peer.Group.Name
		case model.PeerExternal:
			peer = r.Peer.External.Reference()
			if peer == "" {
				peer = "input:" + r.Peer.External.Name
				if a := r.Peer.External.Account; a != "" {
					peer = a + "/" + peer
				}
			}
		}
		from, to := r.Port.From, r.Port.To
		if !r.Port.HasPorts() {
			from, to = 0, 0
		}
		out = append(out, Rule{r.Group.Name, r.Direction.String(), string(r.Port.Protocol), from, to, peer, r.Flow.Purpose})
	}
	return sorted(out)
}

// managedListName reads the AWS name a managed prefix list's data source
// looks up: a literal, or format("com.amazonaws.%s.NAME", the Region).
func managedListName(b *hclsyntax.Block) (string, error) {
	attr, ok := b.Body.Attributes["name"]
	if !ok {
		return "", fmt.Errorf("data %v has no name", b.Labels)
	}
	if v, diags := attr.Expr.Value(nil); !diags.HasErrors() {
		return v.AsString(), nil
	}
	call, ok := attr.Expr.(*hclsyntax.FunctionCallExpr)
	if !ok || call.Name != "format" || len(call.Args) != 2 {
		return "", fmt.Errorf("data %v: name is neither a literal nor a format of the Region", b.Labels)
	}
	v, diags := call.Args[0].Value(nil)
	if diags.HasErrors() {
		return "", fmt.Errorf("data %v: %v", b.Labels, diags)
	}
	return strings.Replace(v.AsString(), "%s", "{region}", 1), nil
}

// managedListName finds an AWS-managed prefix list's AWS name in the
// description of its CloudFormation parameter.
var managedListParam = regexp.MustCompile(`AWS-managed prefix list (\S+) `)

// externalName finds the external's name in the description sgc gives the
// input of an external without id, in both targets.
var externalName = regexp.MustCompile(`security group "([^"]+)"`)

// FromTerraform parses an emitted module with hclparse and rebuilds its
// rules from the resources alone.
func FromTerraform(files []emit.File) (Set, error) {
	parser := hclparse.NewParser()
	groups := map[string]string{} // resource name -> group name
	inputs := map[string]string{} // variable name -> external name
	lists := map[string]string{}  // data source -> AWS name of a managed prefix list
	var rules []*hclsyntax.Block
	for _, f := range files {
		file, diags := parser.ParseHCL(f.Data, f.Path)
		if diags.HasErrors() {
			return nil, fmt.Errorf("%s: %v", f.Path, diags)
		}
		for _, b := range file.Body.(*hclsyntax.Body).Blocks {
			switch {
			case b.Type == "resource" && b.Labels[0] == "aws_security_group":
				// The role name: the exact name, or the prefix AWS's
				// unique name starts with.
				v, err := literal(b, "name")
				if _, ok := b.Body.Attributes["name"]; !ok {
					v, err = literal(b, "name_prefix")
					if err == nil {
						v = cty.StringVal(strings.TrimSuffix(v.AsString(), "-"))
					}
				}
				if err != nil {
					return nil, err
				}
				groups[b.Labels[1]] = v.AsString()
			case b.Type == "resource" && (b.Labels[0] == "aws_vpc_security_group_ingress_rule" || b.Labels[0] == "aws_vpc_security_group_egress_rule"):
				rules = append(rules, b)
			case b.Type == "resource":
				// Not a rule: a group's association with another VPC.
			case b.Type == "data" && b.Labels[0] == "aws_ec2_managed_prefix_list":
				name, err := managedListName(b)
				if err != nil {
					return nil, err
				}
				lists[b.Labels[1]] = name
			case b.Type == "variable" && b.Labels[0] != "vpc_id" && b.Labels[0] != "tags" && !strings.HasSuffix(b.Labels[0], "_vpc_id"):
				v, err := literal(b, "description")
				if err != nil {
					return nil, err
				}
				m := externalName.FindStringSubmatch(v.AsString())
				if m == nil {
					return nil, fmt.Errorf("variable %s: description names no group", b.Labels[0])
				}
				inputs[b.Labels[0]] = m[1]
			}
		}
	}
	var out []Rule
	for _, b := range rules {
		r := Rule{Direction: strings.TrimSuffix(strings.TrimPrefix(b.Labels[0], "aws_vpc_security_group_"), "_rule")}
		ref, err := reference(b, "security_group_id")
		if err != nil {
			return nil, err
		}
		r.Group = groups[ref[1]]
		for name, dst := range map[string]*string{"ip_protocol": &r.Protocol, "description": &r.Description} {
			v, err := literal(b, name)
			if err != nil {
				return nil, err
			}
			*dst = v.AsString()
		}
		if _, ok := b.Body.Attributes["from_port"]; ok {
			for name, dst := range map[string]*int{"from_port": &r.From, "to_port": &r.To} {
				v, err := literal(b, name)
				if err != nil {
					return nil, err
				}
				n, _ := v.AsBigFloat().Int64()
				*dst = int(n)
			}
		}
		peers := 0
		for _, a := range []string{"cidr_ipv4", "cidr_ipv6", "prefix_list_id", "referenced_security_group_id"} {
			attr, ok := b.Body.Attributes[a]
			if !ok {
				continue
			}
			peers++
			if v, diags := attr.Expr.Value(nil); !diags.HasErrors() {
				r.Peer = v.AsString()
				continue
			}
			account, rb := "", b
			if t, ok := attr.Expr.(*hclsyntax.TemplateExpr); ok && len(t.Parts) == 2 {
				// "ACCOUNT/${var.x}": an input of another account.
				lit, err := t.Parts[0].Value(nil)
				if err != nil || !strings.HasSuffix(lit.AsString(), "/") {
					return nil, fmt.Errorf("%v.%s is not a reference", b.Labels, a)
				}
				account = lit.AsString()
				rb = &hclsyntax.Block{Labels: b.Labels, Body: &hclsyntax.Body{Attributes: hclsyntax.Attributes{a: {Name: a, Expr: t.Parts[1]}}}}
			}
			ref, err := reference(rb, a)
			if err != nil {
				return nil, err
			}
			switch {
			case ref[0] == "var":
				r.Peer = account + "input:" + inputs[ref[1]]
			case ref[0] == "data" && len(ref) == 4 && ref[1] == "aws_ec2_managed_prefix_list":
				r.Peer = "managed:" + lists[ref[2]]
			default:
				r.Peer = "group:" + groups[ref[1]]
			}
		}
		if peers != 1 {
			return nil, fmt.Errorf("%s.%s has %d peers", b.Labels[0], b.Labels[1], peers)
		}
		out = append(out, r)
	}
	return sorted(out), nil
}

func literal(b *hclsyntax.Block, name string) (cty.Value, error) {
	attr, ok := b.Body.Attributes[name]
	if !ok {
		return cty.NilVal, fmt.Errorf("%v has no %s", b.Labels, name)
	}
	v, diags := attr.Expr.Value(nil)
	if diags.HasErrors() {
		return cty.NilVal, fmt.Errorf("%v.%s is not a literal: %v", b.Labels, name, diags)
	}
	return v, nil
}

func reference(b *hclsyntax.Block, name string) ([]string, error) {
	trav, diags := hcl.AbsTraversalForExpr(b.Body.Attributes[name].Expr)
	if diags.HasErrors() {
		return nil, fmt.Errorf("%v.%s is not a reference: %v", b.Labels, name, diags)
	}
	var parts []string
	for _, s := range trav {
		switch s := s.(type) {
		case hcl.TraverseRoot:
			parts = append(parts, s.Name)
		case hcl.TraverseAttr:
			parts = append(parts, s.Name)
		}
	}
	return parts, nil
}

// FromLive returns the rules of the live groups of vpc whose names are in
// managed, as the account describes them: a group peer that is a managed
// group of the VPC is "group:NAME", one whose id is in inputs is
// "input:NAME" (the external whose id was given as an input). Rules the
// export cannot describe are returned as problems.
func FromLive(e *live.Export, vpc string, managed map[string]bool, inputs map[string]string) (Set, []error) {
	names := map[string]string{} // group id -> managed name
	var inVPC []live.Group
	for _, g := range e.SecurityGroups {
		if g.VpcID == vpc {
			inVPC = append(inVPC, g)
		}
	}
	byRole := live.Roles(inVPC, func(n string) bool { return managed[n] })
	for role, g := range byRole {
		names[g.GroupID] = role
	}
	var out []Rule
	var problems []error
	for i := range e.SecurityGroups {
		g := &e.SecurityGroups[i]
		if g.VpcID != vpc || names[g.GroupID] == "" {
			continue
		}
		rules, bad := g.Rules()
		problems = append(problems, bad...)
		for _, r := range rules {
			peer := r.Peer
			if r.PeerKind == "sg" {
				if n, ok := names[peer]; ok {
					peer = "group:" + n
				} else if n, ok := inputs[peer]; ok {
					peer = "input:" + n
				}
			}
			from, to := r.Port.From, r.Port.To
			if !r.Port.HasPorts() {
				from, to = 0, 0
			}
			out = append(out, Rule{names[g.GroupID], r.Direction.String(), string(r.Port.Protocol), from, to, peer, r.Description})
		}
	}
	return sorted(out), problems
}
