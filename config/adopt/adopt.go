// Package adopt reads and writes the adoption mapping of a policy
// directory (*.adopt.hcl): which security group each intent group is (its
// sg- id, and the live name and description the build must keep so that
// AWS does not replace it), and which sgr- rule each of its rules is.
// import writes it beside the drafts, people review it, and the loader
// reads it into the program's model.Adoption, which the targets turn into
// Terraform import blocks and a CloudFormation resources-to-import file,
// so that existing groups are adopted, never replaced.
package adopt

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/sgc-dev/sgc/internal/fsutil"
	"github.com/sgc-dev/sgc/internal/hclfile"
	"github.com/sgc-dev/sgc/internal/limits"
	"github.com/sgc-dev/sgc/lang/diag"
	"github.com/sgc-dev/sgc/lang/source"
)

// Ext ends the name of a mapping file in a policy directory.
const Ext = ".adopt.hcl"

// Group ties an intent group to a live one.
type Group struct {
	Name        string `hcl:"name,label"`           // the intent's name
	ID          string `hcl:"id"`                   // sg-...
	LiveName    string `hcl:"live_name,optional"`   // the AWS name, when the intent's differs
	Description string `hcl:"description,optional"` // the AWS description, when the intent's differs
	// Tags are the group's other tags in AWS (team, cost centre), which
	// the build keeps: a managed tags argument would remove them.
	Tags map[string]string `hcl:"tags,optional"`
	// Associations are the other VPCs the live group serves (security
	// group VPC associations): the build adopts the ones the policy's
	// also-in names instead of creating them again, which AWS refuses.
	Associations []string  `hcl:"associations,optional"`
	At           hcl.Range `hcl:",def_range"` // where the block is; not written
}

// Rule ties one AWS rule of the intent to a live one, by what identifies
// it: group, direction, protocol, ports and peer.
type Rule struct {
	ID        string `hcl:"id,label"` // sgr-...
	Group     string `hcl:"group"`
	Direction string `hcl:"direction"` // ingress or egress
	Protocol  string `hcl:"protocol"`  // tcp, udp, icmp, icmpv6, -1, or a number
	FromPort  int    `hcl:"from_port"`
	ToPort    int    `hcl:"to_port"`
	// Peer is a CIDR block, a prefix-list id, "group:NAME" for a group of
	// the policy, or a security group id.
	Peer string `hcl:"peer"`
	// LiveDescription is the rule's description in AWS when it differs
	// from the purpose the intent gives it (an empty one, for a rule
	// nobody described): the build changes it in place.
	LiveDescription *string   `hcl:"live_description,optional"`
	At              hcl.Range `hcl:",def_range"` // where the block is; not written
}

// Key orders rules in a written mapping: group, direction, protocol,
// ports, peer.
func (r Rule) Key() string {
	return fmt.Sprintf("%s|%s|%s|%d|%d|%s", r.Group, r.Direction, r.Protocol, r.FromPort, r.ToPort, r.Peer)
}

// Mapping is a mapping file as written: every adopted group and rule.
type Mapping struct {
	Groups []Group `hcl:"group,block"`
	Rules  []Rule  `hcl:"rule,block"`
}

// Empty reports whether nothing is adopted.
func (m *Mapping) Empty() bool { return m == nil || len(m.Groups)+len(m.Rules) == 0 }

// Write renders the mapping as HCL, groups then rules, sorted.
func Write(m *Mapping, header string) []byte {
	f := hclwrite.NewEmptyFile()
	body := f.Body()
	groups := append([]Group(nil), m.Groups...)
	sort.Slice(groups, func(i, j int) bool { return groups[i].Name < groups[j].Name })
	for _, g := range groups {
		b := body.AppendNewBlock("group", []string{g.Name}).Body()
		b.SetAttributeValue("id", cty.StringVal(g.ID))
		if g.LiveName != "" {
			b.SetAttributeValue("live_name", cty.StringVal(g.LiveName))
		}
		if g.Description != "" {
			b.SetAttributeValue("description", cty.StringVal(g.Description))
		}
		if len(g.Tags) > 0 {
			tags := map[string]cty.Value{}
			for k, v := range g.Tags {
				tags[k] = cty.StringVal(v)
			}
			b.SetAttributeValue("tags", cty.MapVal(tags))
		}
		if len(g.Associations) > 0 {
			vpcs := append([]string(nil), g.Associations...)
			sort.Strings(vpcs)
			list := make([]cty.Value, len(vpcs))
			for i, v := range vpcs {
				list[i] = cty.StringVal(v)
			}
			b.SetAttributeValue("associations", cty.ListVal(list))
		}
	}
	rules := append([]Rule(nil), m.Rules...)
	sort.Slice(rules, func(i, j int) bool { return rules[i].Key() < rules[j].Key() })
	for _, r := range rules {
		body.AppendNewline()
		b := body.AppendNewBlock("rule", []string{r.ID}).Body()
		b.SetAttributeValue("group", cty.StringVal(r.Group))
		b.SetAttributeValue("direction", cty.StringVal(r.Direction))
		b.SetAttributeValue("protocol", cty.StringVal(r.Protocol))
		b.SetAttributeValue("from_port", cty.NumberIntVal(int64(r.FromPort)))
		b.SetAttributeValue("to_port", cty.NumberIntVal(int64(r.ToPort)))
		b.SetAttributeValue("peer", cty.StringVal(r.Peer))
		if r.LiveDescription != nil {
			b.SetAttributeValue("live_description", cty.StringVal(*r.LiveDescription))
		}
	}
	var out strings.Builder
	for _, line := range strings.Split(strings.TrimRight(header, "\n"), "\n") {
		out.WriteString("# " + line + "\n")
	}
	out.WriteString("\n")
	out.Write(hclwrite.Format(f.Bytes()))
	return []byte(out.String())
}

// Parse reads one mapping file: literal values only, bounded in size and
// nesting (hclfile). Values are checked against the program by Resolve.
func Parse(filename string, src []byte) (*Mapping, diag.List) {
	f, diags := hclfile.Parse(filename, src, InvalidAdopt, limits.AdoptFile, limits.ConfigDepth)
	if f == nil {
		return nil, diags
	}
	var m Mapping
	if hd := gohcl.DecodeBody(f.Body, nil, &m); hd.HasErrors() {
		return nil, append(diags, hclfile.Diagnostics(hd, InvalidAdopt)...)
	}
	return &m, diags
}

// Load reads every mapping file of the policy directory dir and joins them.
// A directory without one adopts nothing (nil). Only regular files are
// read (a FIFO or a link to /dev/zero is an error, not a hang).
func Load(dir string) (*Mapping, source.Files, diag.List, error) {
	names, err := filepath.Glob(filepath.Join(dir, "*"+Ext))
	if err != nil || len(names) == 0 {
		return nil, nil, nil, err
	}
	sort.Strings(names)
	all := &Mapping{}
	files := source.Files{}
	var diags diag.List
	for _, n := range names {
		src, err := fsutil.ReadRegular(n, limits.AdoptFile)
		if err != nil {
			return nil, nil, nil, err
		}
		files.Add(&source.File{Name: n, Src: src})
		m, d := Parse(n, src)
		diags = append(diags, d...)
		if m != nil {
			all.Groups = append(all.Groups, m.Groups...)
			all.Rules = append(all.Rules, m.Rules...)
		}
	}
	return all, files, diags, nil
}
