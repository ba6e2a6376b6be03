// Package adopt is the mapping between a policy and the live objects it
// took over: which security group each intent group is (its sg- id, and
// the live name and description the build must keep so that AWS does not
// replace it), and which sgr- rule each of its rules is. import writes it
// beside the drafts (<draft>.adopt.hcl), people review it, and build reads
// it to emit Terraform import blocks and a CloudFormation resources-to-
// import file, so that existing groups are adopted, never replaced.
package adopt

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/lang/diag"
	"github.com/sgc-dev/sgc/lang/source"
)

// Ext ends the name of a mapping file in a policy directory.
const Ext = ".adopt.hcl"

// InvalidAdopt is the code of every problem with a mapping file.
const InvalidAdopt = "InvalidAdopt"

// Group ties an intent group to a live one.
type Group struct {
	Name        string `hcl:"name,label"`           // the intent's name
	ID          string `hcl:"id"`                   // sg-...
	LiveName    string `hcl:"live_name,optional"`   // the AWS name, when the intent's differs
	Description string `hcl:"description,optional"` // the AWS description, when the intent's differs
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
	LiveDescription *string `hcl:"live_description,optional"`
}

// Key identifies the rule as AWS does.
func (r Rule) Key() string {
	return fmt.Sprintf("%s|%s|%s|%d|%d|%s", r.Group, r.Direction, r.Protocol, r.FromPort, r.ToPort, r.Peer)
}

// Mapping is every adopted group and rule of a policy.
type Mapping struct {
	Groups []Group `hcl:"group,block"`
	Rules  []Rule  `hcl:"rule,block"`
}

// Empty reports whether nothing is adopted.
func (m *Mapping) Empty() bool { return m == nil || len(m.Groups)+len(m.Rules) == 0 }

// GroupOf returns the adoption of the intent group named name, or nil.
func (m *Mapping) GroupOf(name string) *Group {
	if m == nil {
		return nil
	}
	for i := range m.Groups {
		if m.Groups[i].Name == name {
			return &m.Groups[i]
		}
	}
	return nil
}

// RuleID returns the sgr- id of the live rule r of the model adopts, or "".
func (m *Mapping) RuleID(r *model.Rule) string {
	if m == nil {
		return ""
	}
	k := KeyOf(r)
	for _, a := range m.Rules {
		if a.Key() == k {
			return a.ID
		}
	}
	return ""
}

// KeyOf is the Key of the mapping entry that would adopt r.
func KeyOf(r *model.Rule) string {
	from, to := r.Port.From, r.Port.To
	if !r.Port.HasPorts() {
		from, to = -1, -1
	}
	var peer string
	switch r.Peer.Kind {
	case model.PeerCIDR:
		peer = r.Peer.CIDR.String()
	case model.PeerPrefixList:
		peer = r.Peer.PrefixList.ID
	case model.PeerGroup:
		peer = "group:" + r.Peer.Group.Name
	case model.PeerExternal:
		peer = r.Peer.External.ID
	}
	return fmt.Sprintf("%s|%s|%s|%d|%d|%s", r.Group.Name, r.Direction, r.Port.Protocol, from, to, peer)
}

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

// Parse reads one mapping file.
func Parse(filename string, src []byte) (*Mapping, diag.List) {
	var diags diag.List
	f, hd := hclsyntax.ParseConfig(src, filename, hcl.InitialPos)
	if hd.HasErrors() {
		return nil, convert(hd)
	}
	var m Mapping
	if hd := gohcl.DecodeBody(f.Body, nil, &m); hd.HasErrors() {
		return nil, convert(hd)
	}
	return &m, diags
}

// Load reads every mapping file of the policy directory dir and joins them.
// A directory without one adopts nothing (nil).
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
		src, err := os.ReadFile(n)
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

func convert(hd hcl.Diagnostics) diag.List {
	var out diag.List
	for _, d := range hd {
		var r source.Range
		if d.Subject != nil {
			r = source.Range{
				Start: source.Pos{Filename: d.Subject.Filename, Offset: d.Subject.Start.Byte, Line: d.Subject.Start.Line, Column: d.Subject.Start.Column},
				End:   source.Pos{Filename: d.Subject.Filename, Offset: d.Subject.End.Byte, Line: d.Subject.End.Line, Column: d.Subject.End.Column},
			}
		}
		out = append(out, &diag.Diagnostic{Code: InvalidAdopt, Severity: diag.Error, Subject: r,
			Summary: strings.ToLower(d.Summary[:1]) + d.Summary[1:], Detail: d.Detail})
	}
	return out
}

// Check reports mapping entries that name no group of the program: a
// group renamed or removed since import, whose adoption would silently
// not happen. They are warnings: the build goes on without them.
func Check(m *Mapping, p *model.Program) diag.List {
	var diags diag.List
	if m == nil || p == nil {
		return nil
	}
	groups := map[string]bool{}
	for _, g := range p.Groups {
		groups[g.Name] = true
	}
	for _, g := range m.Groups {
		if !groups[g.Name] {
			diags.Warnf(source.Range{}, InvalidAdopt, "the mapping adopts %s (%s) for group %q, which the policy does not declare", g.ID, g.LiveName, g.Name)
		}
	}
	return diags
}

// Notes says, for people, what building p with m does to the live
// account before anyone applies it: the groups adopted and the AWS names
// and descriptions they keep, the rules adopted, and the rules of the
// policy no live rule matches, which the apply creates.
func Notes(m *Mapping, p *model.Program) []string {
	if m.Empty() || p == nil {
		return nil
	}
	var notes []string
	groups := 0
	for _, g := range p.Groups {
		a := m.GroupOf(g.Name)
		if a == nil {
			notes = append(notes, fmt.Sprintf("group %s is not adopted: the apply creates it", g.Name))
			continue
		}
		groups++
		if a.LiveName != "" {
			notes = append(notes, fmt.Sprintf("group %s keeps its AWS name %q (%s): renaming it would replace it", g.Name, a.LiveName, a.ID))
		}
		if a.Description != "" {
			notes = append(notes, fmt.Sprintf("group %s keeps its AWS description %q: changing it would replace it", g.Name, a.Description))
		}
	}
	rules, created := 0, 0
	for _, r := range p.Rules {
		id := m.RuleID(r)
		if id == "" {
			created++
			continue
		}
		rules++
		for _, a := range m.Rules {
			if a.ID == id && a.LiveDescription != nil && *a.LiveDescription != r.Flow.Purpose {
				notes = append(notes, fmt.Sprintf("rule %s (%s): its description %q becomes %q, in place (no replacement)", id, KeyOf(r), *a.LiveDescription, r.Flow.Purpose))
			}
		}
	}
	notes = append(notes, fmt.Sprintf("adopting %d groups and %d rules; %d rules of the policy have no live counterpart and are created", groups, rules, created))
	return notes
}
