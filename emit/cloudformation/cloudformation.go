// Package cloudformation emits a policy as a CloudFormation template: one
// AWS::EC2::SecurityGroup per group and one AWS::EC2::SecurityGroupIngress
// or ::SecurityGroupEgress resource per AWS rule. Rules are separate
// resources so that groups referencing each other never form a circular
// dependency, and every group carries an inline egress rule that matches
// no traffic, so that AWS never creates its default allow-all egress.
//
// Logical IDs come from content, like Terraform resource names. A policy
// too big for one stack is reported with its counts; with Split it is
// spread over group stacks that export their ids and rule stacks that
// import them.
package cloudformation

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/emit"
	"github.com/sgc-dev/sgc/internal/awsform"
	"github.com/sgc-dev/sgc/internal/naming"
	"github.com/sgc-dev/sgc/lang/diag"
	"github.com/sgc-dev/sgc/lang/source"
)

// Target is the CloudFormation target.
var Target = &emit.Target{
	Name:       "cloudformation",
	Doc:        "a CloudFormation template (--format yaml|json, --split for big policies)",
	Emit:       Emit,
	Resources:  Resources,
	Style:      style,
	Formats:    []string{"yaml", "json"},
	AdoptFile:  ResourcesToImport,
	ReadInputs: ReadInputs,
	Splits:     true,
	Earlier:    earlier,
	// The rule stacks of a split output are never read back.
	EarlierReads: earlierReads,
}

// CloudFormation's hard limits for one template.
const (
	MaxResources   = 500
	MaxOutputs     = 200
	MaxParameters  = 200
	MaxBytes       = 1 << 20 // a template uploaded to S3
	MaxInlineBytes = 51200   // a template passed inline
	maxDescription = 1024
	maxLogicalID   = 255
)

// The inline egress rule that matches nothing: ICMP type 252 code 86 to the
// broadcast address. Its presence keeps AWS from adding the default
// allow-all egress rule when the group is created.
var denyAllEgress = obj().
	set("CidrIp", "255.255.255.255/32").
	set("IpProtocol", "icmp").
	set("FromPort", 252).
	set("ToPort", 86).
	set("Description", "Disallow all traffic")

// names holds the logical IDs of a program's entities.
type names struct {
	group  map[*model.Group]string
	input  map[*model.External]string   // the parameter of an external without id
	list   map[*model.PrefixList]string // the parameter of an AWS-managed prefix list's id
	rule   []string                     // the logical ID of each of the program's rules, by its index in Program.Rules
	export map[*model.Group]string      // the role name made safe for an export name
}

// camel joins words in CamelCase; adjacent numbers (the parts of a CIDR
// block) are kept apart by an "x" so that they stay readable.
func camel(words []string) string {
	var b strings.Builder
	size := 0
	for _, w := range words {
		size += len(w) + 1
	}
	b.Grow(size)
	for i, w := range words {
		if i > 0 && isDigit(w[0]) && isDigit(words[i-1][len(words[i-1])-1]) {
			b.WriteByte('x')
		}
		if c := w[0]; c < utf8.RuneSelf {
			if c >= 'a' && c <= 'z' {
				c -= 'a' - 'A'
			}
			b.WriteByte(c)
			b.WriteString(w[1:])
			continue
		}
		b.WriteString(strings.ToUpper(w[:1]) + w[1:])
	}
	return b.String()
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// style names resources as logical IDs: words in CamelCase.
var style = emit.Style{Join: camel, Sep: "", Ident: ident}

// plainName reports whether name's logical ID is its words in CamelCase:
// lower-case words between single dashes, each starting with a letter
// (^[a-z][a-z0-9]*(-[a-z][a-z0-9]*)*$). Splitting such an ID before its
// capitals gives the words back, so two plain names never share an ID.
// Written out, not a regular expression: it runs for every name of a
// build, and compiling one at start-up cost every command a share of its
// start (TestFormsMatchTheirExpressions holds it to the expression).
func plainName(name string) bool {
	wordStart := true
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c >= 'a' && c <= 'z':
			wordStart = false
		case c >= '0' && c <= '9':
			if wordStart {
				return false
			}
		case c == '-':
			if wordStart {
				return false
			}
			wordStart = true
		default:
			return false
		}
	}
	return !wordStart
}

// maxIdent bounds the ID of a name, leaving room in a rule's ID for the
// peer and the ports.
const maxIdent = 100

// ident is the logical ID of a declared name. A plain name is its words
// in CamelCase; any other ("web_a", "web-2", "Web") starts with a small
// letter and ends with a hash of the name, whether or not another name
// shares its words today, so adding a name never renames another. IDs of
// plain names start with a capital, so the two kinds never meet.
func ident(name string) string {
	c := camel(naming.Words(name))
	if plainName(name) && len(c) <= maxIdent {
		return c
	}
	c = c[:min(len(c), maxIdent-8)]
	return strings.ToLower(c[:1]) + c[1:] + naming.Hash(name)
}

func concat(name, suffix string) string { return name + suffix }

// exportName is a group's part of its export name ("${AWS::StackName}-" and
// this): a plain name as it is; any other, its words between dashes and a
// hash of the name.
func exportName(name string) string {
	if plainName(name) {
		return name
	}
	return strings.Join(naming.Words(name), "-") + "-" + naming.Hash(name)
}

// nameAll names p's entities. CloudFormation cannot move a resource to a
// new logical ID, nor change an export another stack imports, so a group
// renamed with formerly, and its rules, are named as under its first name
// (model.Group.Identity): only its Name tag follows the role.
func nameAll(p *model.Program) names {
	n := names{group: make(map[*model.Group]string, len(p.Groups)), input: map[*model.External]string{},
		rule: make([]string, len(p.Rules)), export: make(map[*model.Group]string, len(p.Groups))}
	view := p
	if emit.Renames(p) {
		view = emit.Renamed(p, (*model.Group).Identity)
	}
	for i, g := range p.Groups {
		name := view.Groups[i].Name
		n.group[g] = ident(name)
		if n.group[g] == "VpcId" { // the group "vpc-id" yields to the parameter
			n.group[g] = "vpcId" + naming.Hash(name)
		}
		n.export[g] = exportName(name)
	}
	groupIDs := make(map[string]bool, len(n.group))
	for _, id := range n.group {
		groupIDs[id] = true
	}
	for _, e := range p.Inputs() {
		id := ident(e.Name) + "SecurityGroupId"
		if groupIDs[id] { // a group "x-security-group-id" beside an external "x"
			id = ident(e.Name) + "SecurityGroupId" + naming.Hash(e.Name)
		}
		n.input[e] = id
	}
	for _, l := range p.PrefixLists {
		if l.Managed == "" {
			continue
		}
		id := ident(l.Name) + "PrefixListId"
		if groupIDs[id] { // a group "x-prefix-list-id" beside a list "x"
			id += naming.Hash(l.Name)
		}
		if n.list == nil {
			n.list = map[*model.PrefixList]string{}
		}
		n.list[l] = id
	}
	// Rules share the namespace of logical IDs with groups and parameters.
	// Their names are unique among themselves unless group names spell
	// sgc's own words ("a-ingress-from-b"); those, and a rule that takes a
	// group's or parameter's ID, get a hash of the rule.
	taken := make(map[string]bool, 1+len(n.group)+len(n.input))
	taken["VpcId"] = true
	for _, id := range n.group {
		taken[id] = true
	}
	for _, id := range n.input {
		taken[id] = true
	}
	for _, id := range n.list {
		taken[id] = true
	}
	ids := emit.RuleNames(style, view.Rules)
	key := func(i int) string { return "rule:" + view.Rules[i].Key() }
	for i, id := range naming.Unique(ids, key, maxLogicalID, concat) {
		if taken[id] {
			id = id[:min(len(id), maxLogicalID-8)] + naming.Hash(key(i))
		}
		n.rule[i] = id
	}
	return n
}

// namesFor names p's entities as a build with opts does: one template
// keeps the logical IDs an earlier build gave (keepAddresses).
func namesFor(p *model.Program, opts emit.Options) names {
	n := nameAll(p)
	if !opts.Split {
		n.keepAddresses(p, opts.Earlier.Addresses)
	}
	return n
}

// description returns the template description: the generated-file notice,
// which JSON templates can carry nowhere else.
func description(p *model.Program, what string) string {
	if env := p.Environment; env != nil {
		// The template is one environment's: say where it goes.
		what += " in the environment " + env.Name
		switch {
		case env.Account != "" && env.Region != "":
			what += fmt.Sprintf(" (deploy to account %s, Region %s)", env.Account, env.Region)
		case env.Account != "":
			what += fmt.Sprintf(" (deploy to account %s)", env.Account)
		case env.Region != "":
			what += fmt.Sprintf(" (deploy to Region %s)", env.Region)
		}
	}
	d := fmt.Sprintf("%s. %s", what, emit.Header(p))
	if len(d) > maxDescription {
		d = fmt.Sprintf("%s. %s from %d intent files. DO NOT EDIT.", what, emit.Marker, len(p.Files))
	}
	return d
}

// template is one template being built.
type template struct {
	name      string // file name without extension
	root      *object
	params    *object
	resources *object
	outputs   *object
	imports   map[string]map[string]string // logical id -> the identifier of the live object it adopts
}

func newTemplate(name, desc string) *template {
	t := &template{name: name, root: obj(), params: obj(), resources: obj(), outputs: obj()}
	t.root.set("AWSTemplateFormatVersion", "2010-09-09")
	t.root.set("Description", desc)
	t.root.set("Parameters", t.params)
	t.root.set("Resources", t.resources)
	t.root.set("Outputs", t.outputs)
	return t
}

func vpcParam() *object {
	return obj().set("Type", "AWS::EC2::VPC::Id").set("Description", "The VPC in which the security groups are created.")
}

// listParam is the parameter that takes an AWS-managed prefix list's id,
// which differs per Region and which no intrinsic function looks up: its
// description gives the command that does.
func listParam(l *model.PrefixList) *object {
	name := strings.ReplaceAll(l.AWSName, "{region}", "REGION")
	return obj().set("Type", "String").
		set("AllowedPattern", awsform.PrefixListIDSource).
		set("Description", inert(fmt.Sprintf("Id of the AWS-managed prefix list %s (prefix list %q) in the stack's Region: "+
			"aws ec2 describe-managed-prefix-lists --filters Name=prefix-list-name,Values=%s --query PrefixLists[0].PrefixListId --output text", name, l.Name, name)))
}

// AssociationType is the resource that serves a group in another VPC
// (security group VPC associations, 2024).
const AssociationType = "AWS::EC2::SecurityGroupVpcAssociation"

// associate adds to t the associations of group g, whose id is groupID,
// with its other VPCs, and a parameter for each VPC given as an input;
// the ones the live group already has (adopt) are imported.
func associate(t *template, g *model.Group, groupID any, n names, adopt *model.Adoption) {
	for _, v := range g.AlsoIn {
		var vpc any = v.ID
		if v.ID == "" {
			param := vpcParamName(v.Input)
			vpc = ref{param}
			t.params.set(param, obj().set("Type", "AWS::EC2::VPC::Id").
				set("Description", inert(fmt.Sprintf("Id of the VPC %q, which groups of this template also serve (also-in).", v.Input))))
		}
		id := associationID(n, g, v)
		res := objN(4).set("Type", AssociationType).set("Properties", objN(2).set("GroupId", groupID).set("VpcId", vpc))
		if adopt.Associated(g, v) {
			res = t.adoptAs(id, res, map[string]string{"GroupId": adopt.Group(g.Name).ID, "VpcId": v.ID})
		}
		t.resources.set(id, res)
	}
}

// vpcParamName is the parameter of a VPC named in also-in.
func vpcParamName(input string) string { return ident(input) + "VpcId" }

// associationID is the logical ID of group g's association with v.
func associationID(n names, g *model.Group, v model.VPC) string {
	return n.group[g] + "In" + ident(v.Key())
}

func inputParam(e *model.External) *object {
	return obj().set("Type", "AWS::EC2::SecurityGroup::Id").
		set("Description", inert(fmt.Sprintf("Id of the security group %q, managed elsewhere: %s.", e.Name, e.Description)))
}

// groupResource builds a group. With exact names (or adopting a group that
// has its name) the role name is the GroupName; otherwise there is none and
// CloudFormation names the group after the stack and logical ID. The role
// name is always the Name tag. A group whose description the policy
// changed keeps the one the previous build gave it (keptDescription) and
// carries the new one in its Description tag: a tag changes in place, the
// description only by replacing the group, which CloudFormation cannot do
// safely while the group is in use (it deletes the old group's rules
// before the instances leave it, and refuses while another stack imports
// its id).
func groupResource(g *model.Group, opts emit.Options) *object {
	props := obj()
	a := opts.Adopt.Group(g.Name)
	switch {
	case a != nil && a.LiveName != "":
		props.set("GroupName", a.LiveName)
	case a != nil || opts.Exact():
		props.set("GroupName", g.Identity()) // the name AWS gave it: a rename changes only the Name tag
	}
	desc, tags := g.Description, []any{obj().set("Key", "Name").set("Value", g.Name)}
	if kept, ok := keptDescription(g, opts); ok {
		desc = kept
		tags = append(tags, obj().set("Key", awsform.DescriptionTag).set("Value", literal(g.Description)))
	}
	if a != nil {
		keys := make([]string, 0, len(a.Tags))
		for k := range a.Tags {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys { // its other tags in AWS, kept
			tags = append(tags, obj().set("Key", literal(k)).set("Value", literal(a.Tags[k])))
		}
	}
	return obj().set("Type", "AWS::EC2::SecurityGroup").set("Properties", props.
		set("GroupDescription", literal(desc)).
		set("VpcId", ref{"VpcId"}).
		set("SecurityGroupEgress", []any{denyAllEgress}).
		set("Tags", tags))
}

// keptNotes says of each group that keeps an older AWS description that
// it does, and why.
func keptNotes(p *model.Program, opts emit.Options) diag.List {
	var diags diag.List
	for _, g := range p.Groups {
		if kept, ok := keptDescription(g, opts); ok {
			diags.Infof(g.Range, DescriptionKept, "group %s keeps its AWS description %q; the new one goes into its %s tag", g.Name, kept, awsform.DescriptionTag).
				WithDetail("AWS cannot change a group's description, only replace the group, and CloudFormation cannot replace a group in use: it deletes the old group's rules before your instances leave it, and refuses while another stack imports the group's id. The description comes from the previous build in the output directory.").
				WithSuggestion("To have AWS show the new text, add the group under a new role name, move its flows and instances to it, and remove the old one in a later change.")
		}
	}
	return diags
}

func groupOutput(g *model.Group, n names) *object {
	return obj().
		set("Description", fmt.Sprintf("Id of the security group %q.", g.Name)).
		set("Value", getAtt{n.group[g], "GroupId"}).
		set("Export", obj().set("Name", sub{"${AWS::StackName}-" + n.export[g]}))
}

// ruleResource builds one rule. group is the value that stands for the
// rule's group id (!GetAtt in one template, an import across stacks);
// peer the one that stands for a peer group's or an input's id, nil for
// address and prefix list peers. The tree is the definition of a rule's
// resource: ruleRes.writeYAML writes the same bytes without building it.
func ruleResource(r *model.Rule, group, peer any, sourceLines bool) *object {
	kind, peerGroup, peerPL := ruleTerms(r.Direction)
	props := objN(6).set("GroupId", group).set("IpProtocol", string(r.Port.Protocol))
	if r.Port.HasPorts() {
		props.set("FromPort", r.Port.From).set("ToPort", r.Port.To)
	}
	switch r.Peer.Kind {
	case model.PeerCIDR:
		props.set(cidrKey(r.Peer), r.Peer.CIDR.String())
	case model.PeerPrefixList:
		if peer != nil {
			props.set(peerPL, peer) // an AWS-managed list's parameter
		} else {
			props.set(peerPL, r.Peer.PrefixList.ID)
		}
	case model.PeerGroup, model.PeerExternal:
		props.set(peerGroup, peer)
		if owner := ownerOf(r); owner != "" {
			props.set(ownerKey, owner)
		}
	}
	props.set("Description", literal(r.Flow.Purpose))
	meta := objN(2).set("source", inert(emit.SourceOf(r.Flow, sourceLines)))
	if r.Flow.Temporary() {
		meta.set("until", r.Flow.Until.Format("2006-01-02"))
	}
	metadata := objN(2).set("sgc", meta)
	if checks := lintFalsePositives(r.Port); len(checks) > 0 {
		metadata.set("cfn-lint", obj().set("config", obj().set("ignore_checks", checks)))
	}
	return objN(3).set("Type", kind).set("Metadata", metadata).set("Properties", props)
}

// ownerKey is the property of an inbound rule that names the account of
// the group it references. Outbound rules have none
// (AWS::EC2::SecurityGroupEgress): a reference to another account's group
// there is refused (CrossAccountEgress).
const ownerKey = "SourceSecurityGroupOwnerId"

// ownerOf is the account of the external group an inbound rule
// references, when the policy says it is another account's.
func ownerOf(r *model.Rule) string {
	if r.Direction == model.Ingress && r.Peer.Kind == model.PeerExternal {
		return r.Peer.External.Account
	}
	return ""
}

// crossAccountEgress refuses the outbound rules that reference a group of
// another account, which a template cannot write: the egress resource has
// no owner property, and AWS documents such references with the account.
func crossAccountEgress(p *model.Program) diag.List {
	var diags diag.List
	seen := map[*model.Flow]bool{}
	for _, r := range p.Rules {
		if r.Direction != model.Egress || r.Peer.Kind != model.PeerExternal || r.Peer.External.Account == "" || seen[r.Flow] {
			continue
		}
		seen[r.Flow] = true
		diags.Errorf(r.Flow.ToRange(), CrossAccountEgress, "CloudFormation cannot write an outbound rule to %s, a group of account %s", r.Peer.External.Name, r.Peer.External.Account).
			WithDetail("AWS::EC2::SecurityGroupEgress has no property for the account of the group it references (inbound rules have SourceSecurityGroupOwnerId).").
			WithSuggestion("Build with -t terraform, which writes the reference as %s, or write the flow to the addresses of %s (a network or a prefix list).", r.Peer.External.Reference(), r.Peer.External.Name)
	}
	return diags
}

// cidrKey is the property that holds an address peer of the family of
// its block.
func cidrKey(peer model.Peer) string {
	if peer.CIDR.Addr().Is4() {
		return "CidrIp"
	}
	return "CidrIpv6"
}

// peerValue is what stands for r's peer group, input or AWS-managed
// prefix list in a template: groupID, inputID and listID give it for a
// group, an external without an id and a managed list; nil for address
// peers and prefix lists given by id.
func peerValue(r *model.Rule, groupID func(*model.Group) any, inputID func(*model.External) any, listID func(*model.PrefixList) any) any {
	switch peer := r.Peer; peer.Kind {
	case model.PeerPrefixList:
		if peer.PrefixList.Managed != "" {
			return listID(peer.PrefixList)
		}
	case model.PeerGroup:
		return groupID(peer.Group)
	case model.PeerExternal:
		if peer.External.ID != "" {
			return peer.External.ID
		}
		return inputID(peer.External)
	}
	return nil
}

// ruleTerms are the resource type of a rule in direction d and the
// properties that name a peer group or prefix list.
func ruleTerms(d model.Direction) (kind, peerGroup, peerPL string) {
	if d == model.Egress {
		return "AWS::EC2::SecurityGroupEgress", "DestinationSecurityGroupId", "DestinationPrefixListId"
	}
	return "AWS::EC2::SecurityGroupIngress", "SourceSecurityGroupId", "SourcePrefixListId"
}

// lintFalsePositives names the cfn-lint (1.51) rules that misjudge a
// correct rule for port p, to be ignored on that resource alone. Both are
// about ICMPv6, for which CloudFormation's and EC2's documentation say
// FromPort is the type and ToPort the code, -1 meaning any:
//
//   - W3687 says ports are ignored for icmpv6; they are not (fixed in
//     cfn-lint after 1.51, pull request 4600).
//   - E3688 wants both -1 when one is; it exempts icmp (type 8, code -1:
//     echo request, any code) but not icmpv6, where the same holds.
//
// Nothing else is ever suppressed.
func lintFalsePositives(p model.Port) []any {
	if p.Protocol != model.ICMPv6 {
		return nil
	}
	checks := []any{"W3687"}
	if p.From != -1 && p.To == -1 {
		checks = append(checks, "E3688")
	}
	return checks
}

// Emit generates one template, or with opts.Split a set of stacks and a
// README that gives their deploy order.
func Emit(p *model.Program, opts emit.Options) ([]emit.File, diag.List) {
	var (
		files []emit.File
		diags diag.List
	)
	ext := opts.Format
	switch ext {
	case "":
		ext = "yaml"
	case "yaml", "json":
	default:
		diags.Errorf(noPos, emit.UnsupportedOption, "unknown CloudFormation format %q", opts.Format).
			WithSuggestion("Use --format yaml (the default) or --format json.")
		return nil, diags
	}
	if opts.Split && !opts.Adopt.Empty() {
		diags.Errorf(noPos, emit.UnsupportedOption, "the cloudformation target cannot adopt groups into split stacks").
			WithDetail("Adopting existing groups needs one IMPORT change set per stack; build the adopted policy without --split.")
		return nil, diags
	}
	// No ExactNames warning: a CloudFormation group is never replaced (it
	// keeps its description), so an exact name never stands in the way.
	diags = append(diags, keptNotes(p, opts)...)
	n := namesFor(p, opts)
	header := emit.Header(p)
	// render may run for several templates at once: each takes a scalar
	// cache from the pool, so no cache is shared while in use.
	caches := sync.Pool{New: func() any { return new(scalarCache) }}
	render := func(t *template) []byte {
		if ext == "json" {
			return renderJSON(t.root)
		}
		cache := caches.Get().(*scalarCache)
		defer caches.Put(cache)
		// About 500 bytes a resource and 150 an output (more with long
		// descriptions): one allocation for most templates.
		return renderYAML(header, t.root, cache, 2048+520*len(t.resources.keys)+160*len(t.outputs.keys))
	}
	var (
		templates []*template
		rendered  [][]byte
		imp       *template // the IMPORT template, when adopting
		toImport  []byte    // its resources-to-import file
	)
	diags = append(diags, placeholderQuota(p, opts)...)
	if refused := crossAccountEgress(p); len(refused) > 0 {
		return nil, append(diags, refused...)
	}
	if opts.Split {
		if len(p.Nevers) > 0 {
			diags.Warnf(noPos, ScopesNotWritten, "the never statements' Network Access Analyzer scopes are not written with --split").
				WithDetail("The compile-time check still holds; build without --split, or with -t terraform, for the scopes.")
		}
		templates, rendered = splitTemplates(p, n, opts, render)
	} else {
		t := single(p, n, opts)
		if !opts.Adopt.Empty() {
			imp, toImport = importTemplate(t)
		}
		templates, rendered = []*template{t}, [][]byte{render(t)}
	}
	for i, t := range templates {
		diags = append(diags, checkLimits(t, rendered[i], opts.Split)...)
		files = append(files, emit.File{Path: t.name + "." + ext, Data: rendered[i]})
	}
	if opts.Split {
		files = append(files, emit.File{Path: "README.md", Data: deployReadme(p, templates, ext)})
	}
	if imp != nil {
		files = append(files, emit.File{Path: ImportTemplate + "." + ext, Data: render(imp)},
			emit.File{Path: ResourcesToImport, Data: toImport, NoNotice: true})
	}
	return files, diags
}

// noPos is the subject of findings about the output as a whole.
var noPos = source.Range{}

func single(p *model.Program, n names, opts emit.Options) *template {
	t := newTemplate("template", description(p, "Security groups of the policy"))
	t.params.set("VpcId", vpcParam())
	for _, e := range p.Inputs() {
		t.params.set(n.input[e], inputParam(e))
	}
	rulesOf := map[*model.Group][]int{} // indexes in p.Rules
	for i, r := range p.Rules {
		rulesOf[r.Group] = append(rulesOf[r.Group], i)
	}
	groupID := func(g *model.Group) any { return getAtt{n.group[g], "GroupId"} }
	inputID := func(e *model.External) any { return ref{n.input[e]} }
	lists := map[*model.PrefixList]bool{}
	listID := func(l *model.PrefixList) any {
		lists[l] = true
		return ref{n.list[l]}
	}
	for _, g := range p.Groups {
		t.resources.set(n.group[g], t.adoptGroup(n.group[g], groupResource(g, opts), opts.Adopt.Group(g.Name)))
		associate(t, g, groupID(g), n, opts.Adopt)
		for _, i := range rulesOf[g] {
			r := p.Rules[i]
			group, peer := groupID(r.Group), peerValue(r, groupID, inputID, listID)
			if id := opts.Adopt.RuleID(r); id != "" {
				t.resources.set(n.rule[i], t.adopt(n.rule[i], ruleResource(r, group, peer, opts.SourceLines), id))
			} else {
				t.resources.set(n.rule[i], ruleRes{r: r, group: group, peer: peer, sourceLines: opts.SourceLines})
			}
		}
		t.outputs.set(n.group[g]+"Id", groupOutput(g, n))
	}
	for _, s := range emit.AccessScopes(p) {
		t.resources.set("Never"+s.ID, scopeResource(s, groupID, inputID, listID))
	}
	// A managed list's parameter is there while a rule or scope uses it:
	// one no rule uses is an unused declaration (SG107), and CloudFormation
	// linters refuse a parameter nothing uses.
	for _, l := range p.PrefixLists {
		if lists[l] {
			t.params.set(n.list[l], listParam(l))
		}
	}
	// An external no rule uses still has its parameter, so that the
	// stack's parameters stay the same while it is declared; an output
	// says so (and uses it, as CloudFormation linters want of a
	// parameter).
	used := map[*model.External]bool{}
	for _, r := range p.Rules {
		if r.Peer.Kind == model.PeerExternal {
			used[r.Peer.External] = true
		}
	}
	for _, e := range p.Inputs() {
		if !used[e] {
			t.outputs.set(n.input[e]+"Given", obj().
				set("Description", inert(fmt.Sprintf("The id given for external %s, which no rule uses now: its parameter stays while it is declared.", e.Name))).
				set("Value", ref{n.input[e]}))
		}
	}
	return t
}

// checkLimits reports what CloudFormation would refuse about one template.
func checkLimits(t *template, data []byte, split bool) diag.List {
	var diags diag.List
	hint := "Build with --split to spread the policy over several stacks."
	if split {
		hint = ""
	}
	over := func(what string, n, max int) {
		d := diags.Errorf(noPos, TemplateLimit, "template %s has %d %s; CloudFormation allows at most %d", t.name, n, what, max)
		if hint != "" {
			d.WithSuggestion("%s", hint)
		}
	}
	if c := len(t.resources.keys); c > MaxResources {
		over("resources", c, MaxResources)
	}
	if c := len(t.outputs.keys); c > MaxOutputs {
		over("outputs", c, MaxOutputs)
	}
	if c := len(t.params.keys); c > MaxParameters {
		over("parameters", c, MaxParameters)
	}
	if len(data) > MaxBytes {
		over("bytes", len(data), MaxBytes)
	} else if len(data) > MaxInlineBytes {
		diags.Warnf(noPos, TemplateSize, "template %s is %d bytes; templates over %d bytes must be uploaded to S3", t.name, len(data), MaxInlineBytes).
			WithSuggestion("Deploy with: aws cloudformation deploy --s3-bucket BUCKET ...")
	}
	return diags
}

// InputNames returns the template's parameter for each external of p
// declared without an id, as Emit names them: for reading a parameters
// file back (drift --var-file).
func InputNames(p *model.Program) map[*model.External]string {
	return nameAll(p).input
}

// Resources lists the template's resources as a change set compares them:
// by logical ID, with the stack's name before a "/" when split (a resource
// that moves between stacks is deleted from one and created in the other).
// CloudFormation replaces a group when its GroupName or GroupDescription
// changes, and a rule when anything but its description does, including
// the id of its group or of the group it references.
func Resources(p *model.Program, opts emit.Options) []emit.Resource {
	n := namesFor(p, opts)
	stack := func(string) string { return "" }
	if opts.Split {
		in := map[string]string{}
		templates, _ := splitTemplates(p, n, opts, func(*template) []byte { return nil })
		for _, t := range templates {
			for _, id := range t.resources.keys {
				in[id] = t.name + "/"
			}
		}
		stack = func(id string) string { return in[id] }
	}
	out := make([]emit.Resource, 0, len(p.Groups)+len(p.Rules))
	for _, e := range p.Inputs() {
		out = append(out, emit.Resource{Address: "parameter " + n.input[e], Identity: "input:" + e.Name, Input: true})
	}
	for _, input := range p.VPCInputs() {
		out = append(out, emit.Resource{Address: "parameter " + vpcParamName(input), Identity: "vpc-input:" + input, Input: true})
	}
	addr := make(map[*model.Group]string, len(p.Groups))
	// A group's address as a list, shared (read only) by the resources its
	// replacement replaces: its associations and its rules.
	addrList := make(map[*model.Group][]string, len(p.Groups))
	for _, g := range p.Groups {
		addr[g] = stack(n.group[g]) + n.group[g]
		addrList[g] = []string{addr[g]}
		props := groupResource(g, opts).get("Properties").(*object)
		name, _ := props.get("GroupName").(string)
		desc, tag := g.Description, ""
		if kept, ok := keptDescription(g, opts); ok {
			desc, tag = kept, g.Description
		}
		out = append(out, emit.Resource{Address: addr[g], Identity: "group:" + g.Identity(), Group: g,
			Replace: name + "\x00" + desc, Update: g.Name + "\x00" + tag})
		for _, v := range g.AlsoIn {
			id := associationID(n, g, v)
			out = append(out, emit.Resource{Address: stack(id) + id, Identity: emit.AssociationIdentity(g, v), ReplacedWith: addrList[g]})
		}
	}
	for i, r := range p.Rules {
		id := r.IdentityKey()
		res := emit.Resource{Address: stack(n.rule[i]) + n.rule[i], Identity: id, Group: r.Group, Rule: r,
			Replace: id, Update: r.Flow.Purpose, ReplacedWith: addrList[r.Group]}
		if owner := ownerOf(r); owner != "" {
			res.Replace += "\x00" + owner // every property of a rule but its description replaces it
		}
		if r.Peer.Kind == model.PeerGroup {
			res.ReplacedWith = []string{addr[r.Group], addr[r.Peer.Group]}
		}
		out = append(out, res)
	}
	if !opts.Split {
		// A scope's ID is a hash of its never: any change is a new scope.
		for _, s := range emit.AccessScopes(p) {
			out = append(out, emit.Resource{Address: "Never" + s.ID, Identity: "never:" + s.Key, Replace: s.Key})
		}
	}
	return out
}

// placeholderQuota reports the groups whose IPv4 outbound rules leave no
// room for the placeholder egress rule (denyAllEgress), which AWS counts
// against the rules-per-group quota like any other.
func placeholderQuota(p *model.Program, opts emit.Options) diag.List {
	quota, maxEntries := opts.Quota, opts.DefaultMaxEntries
	if quota == 0 {
		quota = emit.DefaultQuota
	}
	if maxEntries == 0 {
		maxEntries = 1
	}
	var diags diag.List
	counts := p.QuotaCounts(maxEntries)
	for _, g := range p.Groups {
		c := counts[model.QuotaKey{Group: g, Direction: model.Egress}]
		if c == nil || c.V4+1 <= quota || c.V4 > quota {
			continue // room for it, or over the quota already (SG110 says so)
		}
		diags.Errorf(g.NameRange, PlaceholderOverQuota, "group %q has %d outbound IPv4 rules, and the CloudFormation template adds one more; the quota is %d", g.Name, c.V4, quota).
			WithDetail("The template gives every group an inline egress rule that matches nothing (ICMP 252/86 to 255.255.255.255/32), so that AWS adds no allow-all egress; AWS counts it against the quota, and would refuse the stack (RulesPerSecurityGroupLimitExceeded).").
			WithSuggestion("Remove an outbound rule (merge blocks, use a prefix list), or raise the quota in the account and set quota in sgc.hcl.")
	}
	return diags
}
