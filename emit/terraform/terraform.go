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
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/emit"
	"github.com/sgc-dev/sgc/internal/awsform"
	"github.com/sgc-dev/sgc/internal/naming"
	"github.com/sgc-dev/sgc/internal/parallel"
	"github.com/sgc-dev/sgc/lang/diag"
	"github.com/sgc-dev/sgc/lang/source"
)

// Target is the Terraform module target.
var Target = &emit.Target{
	Name:       "terraform",
	Doc:        "a Terraform module for the hashicorp/aws provider (>= 5.0)",
	Emit:       Emit,
	Resources:  Resources,
	Style:      style,
	Formats:    []string{"hcl"},
	AdoptFile:  ImportsFile,
	ReadInputs: ReadInputs,
	// The previous build's addresses, for moved blocks of an earlier
	// naming (nothing of it is kept: Terraform replaces what it must).
	Earlier:      earlier,
	EarlierReads: earlierReads,
	EarlierMax:   maxMainFile,
	Naming:       namingVersion,
}

// style names resources as Terraform addresses: words joined with "_".
var style = emit.Style{Join: identifier, Sep: "_", Ident: ident}

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
	external map[*model.External]string   // the input variable of an external without id
	list     map[*model.PrefixList]string // the data source of an AWS-managed prefix list
	rule     []string                     // of p.Rules[i]
}

func identifier(words []string) string { return strings.Join(words, "_") }

// plainName matches the names whose identifier is the name with each "-"
// written "_": lower-case words of letters and digits between single
// dashes, the usual form of a role name. Reading "_" back as "-" gives the
// name again, so two plain names never share an identifier.
var plainName = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)

// ident is the identifier of a declared name. A plain name is written
// with "_" for "-"; any other name (with "_", ".", capitals) gets its
// words and a "-" and a hash of the name, whether or not another name
// would share its words today: "web_a" is always web_a-<hash>, so adding
// "web-a" later never renames it, nor it "web-a". Identifiers of plain
// names have no "-", so the two kinds never meet.
func ident(name string) string {
	if plainName.MatchString(name) && len(name) <= maxName {
		return strings.ReplaceAll(name, "-", "_")
	}
	id := identifier(naming.Words(name))
	return id[:min(len(id), maxName-9)] + "-" + naming.Hash(name)
}

// joinSuffix marks a rule name that another rule's shares with a "-" and a
// hash, which no name of a plain group has. Only names of groups that
// spell sgc's own words ("a-ingress-from-b") can meet this way.
func joinSuffix(name, suffix string) string {
	if name == "" {
		return suffix
	}
	return name + "-" + suffix
}

func nameAll(p *model.Program) names {
	n := names{group: make(map[*model.Group]string, len(p.Groups)), external: map[*model.External]string{}}
	for _, g := range p.Groups {
		n.group[g] = ident(g.Name)
	}
	for _, e := range p.Inputs() {
		n.external[e] = ident(e.Name) + "_security_group_id"
	}
	for _, l := range p.PrefixLists {
		if l.Managed != "" {
			if n.list == nil {
				n.list = map[*model.PrefixList]string{}
			}
			n.list[l] = ident(l.Name)
		}
	}
	ids := emit.RuleNames(style, p.Rules)
	n.rule = naming.Unique(ids, func(i int) string { return p.Rules[i].Key() }, maxName, joinSuffix)
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
	diags = append(diags, emit.NamingNote(opts)...)
	n := nameAll(p)
	header := "# " + emit.Header(p) + "\n"
	// The files are independent: the small ones are made while the rules
	// are laid out.
	var vars, outs []byte
	done := make(chan struct{})
	go func() {
		defer close(done)
		vars, outs = variables(header, p, n).bytes(), outputs(header, p, n).bytes()
	}()
	main := mainFile(header, p, n, opts).bytes()
	<-done
	files := []emit.File{
		{Path: VersionsFile, Data: versions(header).bytes()},
		{Path: VariablesFile, Data: vars},
		{Path: MainFile, Data: main},
		{Path: OutputsFile, Data: outs},
	}
	if moved := movedFile(header, moves(p, n, opts.Earlier.Addresses)); moved != nil {
		files = append(files, emit.File{Path: MovedFile, Data: moved})
	}
	if env := environment(header, p); env != nil {
		files = append(files, emit.File{Path: EnvironmentFile, Data: env})
	}
	if !opts.Adopt.Empty() {
		files = append(files, emit.File{Path: ImportsFile, Data: imports(header, p, n, opts.Adopt)})
	}
	return files, diags
}

// ImportsFile holds the import blocks that adopt existing groups and
// rules. Terraform reads import blocks in the root module only, so the file
// is an example for the root module that calls this one, not part of it.
const ImportsFile = "imports.tf.example"

// ModuleName is the name the import blocks give the module: the README's
// usage calls it "sg".
const ModuleName = "sg"

// imports writes an import block for every adopted group and rule.
func imports(header string, p *model.Program, n names, m *model.Adoption) []byte {
	var b strings.Builder
	b.WriteString(header)
	fmt.Fprintf(&b, "#\n# Import blocks (Terraform >= 1.5) that adopt the existing security groups\n"+
		"# and rules instead of creating new ones. Copy this file into the root\n"+
		"# module that calls this module, as imports.tf, with the module's name\n"+
		"# in place of %q if it differs; plan shows the imports, then apply.\n"+
		"# Then delete imports.tf: an import block is needed once, and one whose\n"+
		"# resource the policy later removes fails every plan (\"Configuration\n"+
		"# for import target does not exist\").\n", ModuleName)
	for _, g := range p.Groups {
		if a := m.Group(g.Name); a != nil {
			fmt.Fprintf(&b, "\nimport {\n  to = module.%s.aws_security_group.%s\n  id = %s\n}\n", ModuleName, n.group[g], string(str(a.ID)))
			for _, v := range g.AlsoIn {
				if m.Associated(g, v) { // the provider's import id: "sg-…,vpc-…"
					fmt.Fprintf(&b, "\nimport {\n  to = module.%s.%s.%s\n  id = %s\n}\n", ModuleName, AssociationType, associationName(n, g, v), string(str(a.ID+","+v.ID)))
				}
			}
		}
	}
	for i, r := range p.Rules {
		id := m.RuleID(r)
		if id == "" {
			continue
		}
		fmt.Fprintf(&b, "\nimport {\n  to = module.%s.%s.%s\n  id = %s\n}\n", ModuleName, ruleType(r), n.rule[i], string(str(id)))
	}
	return hclwrite.Format([]byte(b.String()))
}

// blocks accumulates a file's top-level blocks after its header, each
// built and laid out on its own. Top-level blocks are separated by blank
// lines, so formatting them one by one gives the bytes hclwrite.Format
// gives the whole file, without its cost on a file of many thousand blocks.
type blocks struct{ buf []byte }

// newBlocks starts a file with header, with room for about size bytes.
func newBlocks(header string, size int) *blocks {
	return &blocks{buf: append(make([]byte, 0, len(header)+size), header...)}
}

// add builds one top-level block with hclwrite and appends it in
// canonical layout.
func (bs *blocks) add(typeName string, labels []string, build func(b *hclwrite.Body)) {
	f := hclwrite.NewEmptyFile()
	build(f.Body().AppendNewBlock(typeName, labels).Body())
	bs.buf = append(bs.buf, '\n')
	bs.buf = append(bs.buf, hclwrite.Format(f.Bytes())...)
}

// addLaidOut appends a block laid out by appendBlock.
func (bs *blocks) addLaidOut(typeName string, labels []string, attrs []attribute) {
	bs.buf = append(bs.buf, '\n')
	bs.buf = appendBlock(bs.buf, typeName, labels, attrs)
}

func (bs *blocks) bytes() []byte { return bs.buf }

func traversal(parts ...string) hcl.Traversal {
	t := hcl.Traversal{hcl.TraverseRoot{Name: parts[0]}}
	for _, p := range parts[1:] {
		t = append(t, hcl.TraverseAttr{Name: p})
	}
	return t
}

func versions(header string) *blocks {
	bs := newBlocks(header, 256)
	bs.add("terraform", nil, func(tf *hclwrite.Body) {
		tf.SetAttributeValue("required_version", cty.StringVal(">= 1.3"))
		rp := tf.AppendNewBlock("required_providers", nil).Body()
		rp.SetAttributeValue("aws", cty.ObjectVal(map[string]cty.Value{
			"source":  cty.StringVal("hashicorp/aws"),
			"version": cty.StringVal(">= 5.0"),
		}))
	})
	return bs
}

func variables(header string, p *model.Program, n names) *blocks {
	bs := newBlocks(header, 512)
	bs.add("variable", []string{"vpc_id"}, func(v *hclwrite.Body) {
		v.SetAttributeValue("description", cty.StringVal("The VPC in which the security groups are created."))
		v.SetAttributeRaw("type", hclwrite.TokensForIdentifier("string"))
	})
	bs.add("variable", []string{"tags"}, func(v *hclwrite.Body) {
		v.SetAttributeValue("description", cty.StringVal("Tags added to every security group and rule."))
		v.SetAttributeRaw("type", hclwrite.TokensForFunctionCall("map", hclwrite.TokensForIdentifier("string")))
		v.SetAttributeValue("default", cty.MapValEmpty(cty.String))
	})
	for _, input := range p.VPCInputs() {
		idVariable(bs, vpcVariable(input), fmt.Sprintf("Id of the VPC %q, which groups of this module also serve (also-in).", input),
			awsform.VPCIDSource, "a VPC id such as vpc-0123456789abcdef0")
	}
	for _, e := range p.Inputs() {
		idVariable(bs, n.external[e], fmt.Sprintf("Id of the security group %q, managed elsewhere: %s.", e.Name, e.Description),
			awsform.GroupIDSource, "a security group id such as sg-0123456789abcdef0")
	}
	return bs
}

// idVariable adds the required string variable name, an AWS id of the
// form source (a regular expression), checked by a validation block. It is
// laid out as main.tf's blocks are: a module has one per input, and making
// each with hclwrite and formatting it was a twentieth of a large module's
// emit.
func idVariable(bs *blocks, name, desc, source, what string) {
	bs.addLaidOut("variable", []string{name}, []attribute{
		{name: "description", value: quoted(desc)},
		{name: "type", value: expr("string")},
		{name: "validation", block: true, tight: true, entries: []attribute{
			{name: "condition", value: expr("can(regex(" + string(appendStr(nil, source)) + ", var." + name + "))")},
			{name: "error_message", value: quoted(name + " must be " + what + ".")},
		}},
	})
}

// tags is the attribute tags = merge(var.tags, { entries... }), the
// caller's tags first so that sgc's own keys win.
func tags(entries []attribute) attribute {
	return attribute{name: "tags", open: "merge(var.tags, {", entries: entries, close: "})"}
}

// Tag keys as written in the module: "Name" bare, sgc's own quoted.
var (
	nameKey   = string(keyTokens("Name").Bytes())
	descKey   = string(keyTokens(awsform.DescriptionTag).Bytes())
	sourceKey = string(keyTokens(TagSource).Bytes())
	untilKey  = string(keyTokens(TagUntil).Bytes())
)

// keyTokens writes an object key bare when it is an identifier, quoted otherwise.
func keyTokens(k string) hclwrite.Tokens {
	if hclsyntaxValidIdentifier(k) {
		return hclwrite.TokensForIdentifier(k)
	}
	return hclwrite.TokensForValue(cty.StringVal(k))
}

// str renders a string as hclwrite.TokensForValue does. Nearly every
// string sgc writes is printable ASCII, which comes out between quotes
// with the few escapes HCL has (quotes, backslashes, and the "$" or "%"
// that would start a template); only the others go through hclwrite,
// whose Unicode normalisation and escaping cost most of a large build.
// TestQuotedMatchesHCLWrite and FuzzQuoted hold the shortcut to
// hclwrite's result.
func str(s string) []byte { return appendStr(nil, s) }

// appendStr appends str(s) to buf.
func appendStr(buf []byte, s string) []byte {
	plain := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e {
			return append(buf, hclwrite.TokensForValue(cty.StringVal(s)).Bytes()...)
		} else if c == '"' || c == '\\' || c == '$' || c == '%' {
			plain = false
		}
	}
	buf = append(buf, '"')
	if plain {
		buf = append(buf, s...)
		return append(buf, '"')
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '"', '\\':
			buf = append(buf, '\\', c)
		case '$', '%':
			buf = append(buf, c)
			if i+1 < len(s) && s[i+1] == '{' {
				buf = append(buf, c) // "$${" is a literal "${"
			}
		default:
			buf = append(buf, c)
		}
	}
	return append(buf, '"')
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

// groupRef is the expression for a group's id.
func groupRef(n names, g *model.Group) string { return "aws_security_group." + n.group[g] + ".id" }

func mainFile(header string, p *model.Program, n names, opts emit.Options) *blocks {
	head := newBlocks(header, 1024)
	managedPrefixLists(head, p, n)
	rulesOf := make(map[*model.Group][]int, len(p.Groups))
	for i, r := range p.Rules {
		rulesOf[r.Group] = append(rulesOf[r.Group], i)
	}
	refs := make(map[*model.Group]string, len(p.Groups))
	for _, g := range p.Groups {
		refs[g] = groupRef(n, g)
	}
	// Each group's blocks (the group, its associations, its rules) depend
	// on it alone: runs of groups are laid out side by side, each into a
	// buffer of its own. A run is small enough that the cores share the
	// work evenly while the lints take one of them. The worker that
	// finishes the run the file waits for appends it, and every finished
	// run after it, and frees their buffers for the next runs: a joining
	// goroutine ran only when the scheduler got round to it, and the
	// workers, finding no buffer free, took 63 MB of fresh memory for a
	// 52 MB file at 50,000 flows.
	nRuns := (len(p.Groups) + groupsPerRun - 1) / groupsPerRun
	out := &blocks{buf: append(make([]byte, 0, len(head.buf)+roomFor(len(p.Groups), len(p.Rules))), head.buf...)}
	var (
		mu       sync.Mutex
		finished = make([][]byte, nRuns) // runs laid out, not yet appended
		next     int                     // the run the file waits for
		free     [][]byte                // buffers of appended runs
	)
	parallel.Each(nRuns, func(k int) {
		groups := p.Groups[k*groupsPerRun : min(len(p.Groups), (k+1)*groupsPerRun)]
		var buf []byte
		mu.Lock()
		if n := len(free); n > 0 {
			buf, free = free[n-1], free[:n-1]
		}
		mu.Unlock()
		if buf == nil {
			rules := 0
			for _, g := range groups {
				rules += len(rulesOf[g])
			}
			buf = make([]byte, 0, roomFor(len(groups), rules))
		}
		bs := &blocks{buf: buf}
		var attrs [8]attribute // a block's attributes, reused: none of them outlives it
		var entries [3]attribute
		for _, g := range groups {
			entries[0] = attribute{name: nameKey, value: quoted(g.Name)}
			// The policy's description rides in a tag: AWS changes a group's
			// own only by replacing the group, so the module ignores changes
			// to it (groupLifecycle) and an edited description is this tag's
			// update in place.
			entries[1] = attribute{name: descKey, value: quoted(g.Description)}
			groupEntries := entries[:2]
			if a := opts.Adopt.Group(g.Name); a != nil && len(a.Tags) > 0 {
				groupEntries = append([]attribute(nil), entries[:2]...)
				for _, k := range sortedKeys(a.Tags) { // its other tags in AWS, kept
					groupEntries = append(groupEntries, attribute{name: string(keyTokens(k).Bytes()), value: quoted(a.Tags[k])})
				}
			}
			bs.addLaidOut("resource", []string{"aws_security_group", n.group[g]}, groupAttrs(attrs[:0], groupEntries, g, opts))
			for _, v := range g.AlsoIn {
				bs.addLaidOut("resource", []string{AssociationType, associationName(n, g, v)}, []attribute{
					{name: "security_group_id", value: expr(refs[g])},
					{name: "vpc_id", value: vpcValue(v)},
				})
			}
			for _, i := range rulesOf[g] {
				r := p.Rules[i]
				bs.addLaidOut("resource", []string{ruleType(r), n.rule[i]}, rule(attrs[:0], entries[:0], r, n, refs, opts))
			}
		}
		mu.Lock()
		defer mu.Unlock()
		finished[k] = bs.buf
		for next < nRuns && finished[next] != nil {
			out.buf = append(out.buf, finished[next]...)
			free = append(free, finished[next][:0])
			finished[next] = nil
			next++
		}
	})
	return out
}

// roomFor is the room main.tf's blocks of groups and rules take: about
// 600 bytes a rule with a purpose of common length, with room for more,
// which costs only address space where it is not written.
func roomFor(groups, rules int) int { return 500*groups + 800*rules }

// groupsPerRun is how many groups' blocks mainFile lays out in one run.
// A variable for TestMainFileRunsJoinAsOne, which lays out one run.
var groupsPerRun = 64

// AssociationType is the resource that serves a group in another VPC
// (security group VPC associations, 2024).
const AssociationType = "aws_vpc_security_group_vpc_association"

// associationName is the address label of group g's association with v:
// the group's, "_in_", and the VPC's id or input.
func associationName(n names, g *model.Group, v model.VPC) string {
	if v.ID != "" {
		return n.group[g] + "_in_" + strings.ReplaceAll(v.ID, "-", "_")
	}
	return n.group[g] + "_in_" + ident(v.Input)
}

// vpcValue is a VPC's id: literal, or its input variable.
func vpcValue(v model.VPC) value {
	if v.ID != "" {
		return quoted(v.ID)
	}
	return expr("var." + vpcVariable(v.Input))
}

// vpcVariable is the input variable of a VPC named in also-in.
func vpcVariable(input string) string { return ident(input) + "_vpc_id" }

// VPCVariable is the input variable of the VPC named input in also-in.
func VPCVariable(input string) string { return vpcVariable(input) }

// managedPrefixLists adds a data source for each AWS-managed prefix list
// the policy declares: its id differs per Region (and per partition), so
// the module looks it up by its AWS name where it is applied. A regional
// list's name holds the Region of the provider.
func managedPrefixLists(bs *blocks, p *model.Program, n names) {
	regional := false
	for _, l := range p.PrefixLists {
		if l.Managed == "" {
			continue
		}
		before, after, inRegion := strings.Cut(l.AWSName, "{region}")
		regional = regional || inRegion
		bs.add("data", []string{"aws_ec2_managed_prefix_list", n.list[l]}, func(b *hclwrite.Body) {
			if !inRegion {
				b.SetAttributeValue("name", cty.StringVal(l.AWSName))
				return
			}
			b.SetAttributeRaw("name", hclwrite.TokensForFunctionCall("format",
				hclwrite.TokensForValue(cty.StringVal(before+"%s"+after)),
				hclwrite.TokensForTraversal(traversal("data", "aws_region", "current", "name"))))
		})
	}
	if regional {
		bs.add("data", []string{"aws_region", "current"}, func(*hclwrite.Body) {})
	}
}

// maxNamePrefix is the longest name_prefix the provider takes.
const maxNamePrefix = 100

// lifecycle is the group's lifecycle block: a replacement creates the new
// group, moves the rules and the resources that use the group over, and
// deletes the old group last, which AWS refuses to do while the group is
// in use.
var lifecycle = attribute{name: "lifecycle", block: true, entries: []attribute{{name: "create_before_destroy", value: expr("true")}}}

// groupLifecycle is a group's lifecycle block. AWS changes a group's
// name and description only by replacing the group, which cannot be done
// safely while anything outside the module (an instance, a database,
// another state) uses it: its rules go before its delete is refused. So
// the group keeps the name (or prefix) it was created under and the
// description it has (ignore_changes), for good: a group renamed with
// formerly changes only its Name tag, an edited description only its
// Description tag, and dropping formerly later replaces nothing either.
func groupLifecycle(exact bool) attribute {
	if exact {
		return attribute{name: "lifecycle", block: true, entries: []attribute{{name: "ignore_changes", value: expr("[name, description]")}}}
	}
	return attribute{name: "lifecycle", block: true, entries: []attribute{
		{name: "create_before_destroy", value: expr("true")},
		{name: "ignore_changes", value: expr("[name_prefix, description]")},
	}}
}

// groupAttrs appends a group's attributes to attrs. The AWS name is the
// role name given as a prefix, which the provider makes unique, so that the
// new group can exist beside the old one while it replaces it; the role
// name itself is the Name tag (entries). With exact names, or for a group
// adopted from the account, the name is set as it is, and there is no
// create_before_destroy: AWS refuses a second group of the same name.
func groupAttrs(attrs, entries []attribute, g *model.Group, opts emit.Options) []attribute {
	name, desc, exact := groupNaming(g, opts)
	if exact {
		attrs = append(attrs, attribute{name: "name", value: quoted(name)})
	} else {
		attrs = append(attrs, attribute{name: "name_prefix", value: quoted(NamePrefix(g.Name))})
	}
	attrs = append(attrs,
		attribute{name: "description", value: quoted(desc)},
		attribute{name: "vpc_id", value: expr("var.vpc_id")},
		tags(entries),
		groupLifecycle(exact),
	)
	return attrs
}

// groupNaming returns a group's AWS name (or role name, when not exact)
// and description, and whether the name is set exactly. An adopted group
// keeps the name and description it has in AWS: changing either would
// replace it.
func groupNaming(g *model.Group, opts emit.Options) (name, desc string, exact bool) {
	name, desc, exact = g.Name, g.Description, opts.Exact()
	if a := opts.Adopt.Group(g.Name); a != nil {
		exact = true
		if a.LiveName != "" {
			name = a.LiveName
		}
		if a.Description != "" {
			desc = a.Description
		}
	}
	return name, desc, exact
}

// NamePrefix is the name_prefix of a group: its role name and a "-",
// cut to the provider's limit.
func NamePrefix(role string) string { return role[:min(len(role), maxNamePrefix-1)] + "-" }

// externalRef is the referenced_security_group_id of an external: its id,
// or its input; for a group of another account, "ACCOUNT/sg-...", the
// form the provider reads back (without the account it plans a change on
// every run: hashicorp/terraform-provider-aws#36623).
func externalRef(e *model.External, n names) value {
	switch {
	case e.ID != "":
		return quoted(e.Reference())
	case e.Account != "":
		// The account is 12 digits and the variable an identifier: the
		// template holds nothing from the policy that HCL would read.
		return expr(`"` + e.Account + `/${var.` + n.external[e] + `}"`)
	}
	return expr("var." + n.external[e])
}

// rule appends a rule's attributes to attrs, its tags to entries.
func rule(attrs, entries []attribute, r *model.Rule, n names, refs map[*model.Group]string, opts emit.Options) []attribute {
	attrs = append(attrs,
		attribute{name: "security_group_id", value: expr(refs[r.Group])},
		attribute{name: "description", value: quoted(r.Flow.Purpose)},
		attribute{name: "ip_protocol", value: quoted(string(r.Port.Protocol))},
	)
	if r.Port.HasPorts() {
		attrs = append(attrs, attribute{name: "from_port", value: number(r.Port.From)}, attribute{name: "to_port", value: number(r.Port.To)})
	}
	switch peer := r.Peer; peer.Kind {
	case model.PeerCIDR:
		if peer.CIDR.Addr().Is4() {
			attrs = append(attrs, attribute{name: "cidr_ipv4", value: quoted(peer.CIDR.String())})
		} else {
			attrs = append(attrs, attribute{name: "cidr_ipv6", value: quoted(peer.CIDR.String())})
		}
	case model.PeerPrefixList:
		if l := peer.PrefixList; l.Managed != "" {
			attrs = append(attrs, attribute{name: "prefix_list_id", value: expr("data.aws_ec2_managed_prefix_list." + n.list[l] + ".id")})
		} else {
			attrs = append(attrs, attribute{name: "prefix_list_id", value: quoted(l.ID)})
		}
	case model.PeerGroup:
		attrs = append(attrs, attribute{name: "referenced_security_group_id", value: expr(refs[peer.Group])})
	case model.PeerExternal:
		attrs = append(attrs, attribute{name: "referenced_security_group_id", value: externalRef(peer.External, n)})
	}
	entries = append(entries, attribute{name: sourceKey, value: quoted(emit.SourceOf(r.Flow, opts.SourceLines))})
	if r.Flow.Temporary() {
		entries = append(entries, attribute{name: untilKey, value: quoted(r.Flow.Until.Format("2006-01-02"))})
	}
	attrs = append(attrs, tags(entries))
	// A rule is replaced only with its group (its address is its
	// identity), and the old group may still be attached to instances
	// until the apply moves them: the rule on the new group is created
	// before the one on the old group is deleted, so the old group keeps
	// its rules until then. With exact names the group itself cannot be
	// created first, and create_before_destroy on a rule would force it
	// onto the group.
	if !opts.Exact() && opts.Adopt.Group(r.Group.Name) == nil {
		attrs = append(attrs, lifecycle)
	}
	return attrs
}

func outputs(header string, p *model.Program, n names) *blocks {
	bs := newBlocks(header, 200*len(p.Groups))
	ids := attribute{name: "value", open: "{", close: "}"}
	for _, g := range p.Groups {
		ids.entries = append(ids.entries, attribute{name: string(str(g.Name)), value: expr(groupRef(n, g))})
	}
	bs.addLaidOut("output", []string{"security_group_ids"}, []attribute{
		{name: "description", value: quoted("The security group ids, by role name.")},
		ids,
	})
	for _, g := range p.Groups {
		bs.addLaidOut("output", []string{n.group[g] + "_id"}, []attribute{
			{name: "description", value: quoted(fmt.Sprintf("Id of the security group %q.", g.Name))},
			{name: "value", value: expr(groupRef(n, g))},
		})
	}
	scopesOutput(bs, p, n)
	return bs
}

// Resources lists the module's resources as a plan compares them. The
// provider replaces a group when its name (or prefix) or description
// changes; a rule's address is its identity, so only its description and
// tags can differ under one address, and those change in place. A rule
// is replaced with its own group (security_group_id forces a new rule),
// and changed in place when a group it references is replaced.
func Resources(p *model.Program, opts emit.Options) []emit.Resource {
	n := nameAll(p)
	_, moved := renameMoves(p, n)
	out := make([]emit.Resource, 0, len(p.Groups)+len(p.Rules))
	for _, e := range p.Inputs() {
		out = append(out, emit.Resource{Address: "var." + n.external[e], Identity: "input:" + e.Name, Input: true})
	}
	for _, input := range p.VPCInputs() {
		out = append(out, emit.Resource{Address: "var." + vpcVariable(input), Identity: "vpc-input:" + input, Input: true})
	}
	addr := make(map[*model.Group]string, len(p.Groups))
	// A group's address as a list, shared (read only) by the resources its
	// replacement replaces or updates: its associations, its rules and the
	// rules that reference it.
	addrList := make(map[*model.Group][]string, len(p.Groups))
	for _, g := range p.Groups {
		addr[g] = "aws_security_group." + n.group[g]
		addrList[g] = []string{addr[g]}
		// The name (or prefix) and the description are ignore_changes:
		// nothing replaces a group at its address; the tags that carry
		// the role and the policy's description change in place.
		out = append(out, emit.Resource{Address: addr[g], Identity: "group:" + g.Identity(), Group: g,
			Update: g.Name + "\x00" + g.Description, MovedFrom: moved[addr[g]]})
		for _, v := range g.AlsoIn {
			out = append(out, emit.Resource{Address: AssociationType + "." + associationName(n, g, v), Identity: emit.AssociationIdentity(g, v),
				ReplacedWith: addrList[g]})
		}
	}
	for i, r := range p.Rules {
		a := ruleType(r) + "." + n.rule[i]
		id := r.IdentityKey()
		res := emit.Resource{Address: a, Identity: id, Group: r.Group, Rule: r,
			Replace: id, ReplacedWith: addrList[r.Group], MovedFrom: moved[a]}
		res.Update = r.Flow.Purpose + "\x00" + emit.SourceOf(r.Flow, opts.SourceLines)
		if r.Flow.Temporary() {
			res.Update += "\x00" + r.Flow.Until.Format("2006-01-02")
		}
		switch {
		case r.Peer.Kind == model.PeerGroup:
			res.UpdatedWith = addrList[r.Peer.Group]
		case r.Peer.Kind == model.PeerExternal && r.Peer.External.ID == "":
			res.Update += "\x00var." + n.external[r.Peer.External] + "\x00" + r.Peer.External.Account
		case r.Peer.Kind == model.PeerExternal && r.Peer.External.Account != "":
			res.Update += "\x00" + r.Peer.External.Reference()
		}
		out = append(out, res)
	}
	return out
}

// InputNames returns the module's input variable for each external of p
// declared without an id, as Emit names them: for reading a tfvars file
// back (drift --var-file).
func InputNames(p *model.Program) map[*model.External]string {
	return nameAll(p).external
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
