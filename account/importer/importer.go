// Package importer drafts intent from existing security groups: the output
// of `aws ec2 describe-security-groups`, one draft per VPC. A draft
// compiles; what a person must still decide (a purpose for a rule that had
// no description, AWS's default egress, a half of a group pair whose other
// half did not exist) is written so that the linter or a comment says so.
package importer

import (
	"fmt"
	"sort"
	"strings"

	"github.com/sgc-dev/sgc/account/live"
	"github.com/sgc-dev/sgc/compiler"
	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/config/adopt"
	"github.com/sgc-dev/sgc/internal/awsform"
	"github.com/sgc-dev/sgc/lang/ast"
	"github.com/sgc-dev/sgc/lang/parser"
)

// Options choose what to import.
type Options struct {
	VPC string // only this VPC; "" for all
	// Known is the policy the draft is to be pasted into (drift --paste):
	// groups it declares are not declared again, and networks of the same
	// blocks, prefix lists and externals of the same ids are named as the
	// policy names them. The draft is then not a policy of its own.
	Known *model.Program
	// KnownIDs names, with Known, the live groups of the policy's groups
	// by id, for rules that reference them.
	KnownIDs map[string]string
}

// Draft is the intent drafted for one VPC.
type Draft struct {
	VPC      string   // the VPC id, or "" for groups without one
	File     string   // a file name for it: "vpc-0abc.intent"
	Source   []byte   // formatted intent
	Warnings []string // what was skipped or changed, for the user
	// Adopt ties the draft's groups and rules to the live ones they came
	// from, for build to adopt them instead of creating new ones.
	Adopt *adopt.Mapping
}

// AdoptFile is the name of the mapping file written beside a draft.
func (d Draft) AdoptFile() string { return strings.TrimSuffix(d.File, ".intent") + adopt.Ext }

// DraftHeader starts every draft, so that a later import may replace it.
const DraftHeader = "# Drafted by sgc import from describe-security-groups"

// UndescribedPurpose is the purpose given to rules that had no description:
// the linter reports it (SG113) until a person writes the real one.
const UndescribedPurpose = live.UndescribedPurpose

// DefaultEgressPurpose is the purpose of AWS's default allow-all egress.
const DefaultEgressPurpose = live.DefaultEgressPurpose

// Import drafts intent for each VPC of the export.
func Import(e *live.Export, opts Options) ([]Draft, error) {
	byVPC := map[string][]*live.Group{}
	var skipped []string
	for i := range e.SecurityGroups {
		g := &e.SecurityGroups[i]
		// The VPC id names the draft's file and the group id ties rules to
		// their group: a value that is not in AWS's form could write
		// outside the output directory or mix groups up.
		switch {
		case g.VpcID != "" && !awsform.VPCID.MatchString(g.VpcID):
			skipped = append(skipped, fmt.Sprintf("skipped group %q: %q is not a VPC id", g.GroupName, g.VpcID))
			continue
		case !live.ValidToken(g.GroupID):
			skipped = append(skipped, fmt.Sprintf("skipped group %q: %q is not a security group id", g.GroupName, g.GroupID))
			continue
		}
		if opts.VPC == "" || g.VpcID == opts.VPC {
			byVPC[g.VpcID] = append(byVPC[g.VpcID], g)
		}
	}
	if len(byVPC) == 0 {
		if len(skipped) > 0 {
			return nil, fmt.Errorf("no security groups to import: %s", strings.Join(skipped, "; "))
		}
		return nil, fmt.Errorf("no security groups in VPC %q", opts.VPC)
	}
	vpcs := make([]string, 0, len(byVPC))
	for v := range byVPC {
		vpcs = append(vpcs, v)
	}
	sort.Strings(vpcs)
	var out []Draft
	for _, v := range vpcs {
		d, err := draft(v, byVPC[v], e, opts.Known, opts.KnownIDs)
		if err != nil {
			return nil, err
		}
		if len(out) == 0 {
			d.Warnings = append(skipped, d.Warnings...)
		}
		out = append(out, d)
	}
	return out, nil
}

// namer hands out unique valid names.
type namer struct{ used map[string]bool }

// BaseName is ast.BaseName: the name a draft gives an AWS object.
func BaseName(want, prefix string) string { return ast.BaseName(want, prefix) }

func slug(s string) string { return ast.Slug(s) }

// name returns want if it is a free valid name, else a valid variant.
func (n *namer) name(want, prefix string) string {
	cand := BaseName(want, prefix)
	base := cand
	for i := 2; n.used[cand]; i++ {
		cand = fmt.Sprintf("%s-%d", base, i)
	}
	n.used[cand] = true
	return cand
}

// clean makes s a description AWS and the language accept: characters
// outside AWS's alphabet become spaces, a CloudFormation dynamic reference
// is broken up, and the result is cut to AWS's length.
func clean(s string) string {
	var b strings.Builder
	for _, r := range s {
		if awsform.DescriptionChar(r) {
			b.WriteRune(r)
		} else {
			b.WriteByte(' ')
		}
	}
	out := strings.Join(strings.Fields(b.String()), " ")
	for compiler.FindDynamicReference(out) >= 0 {
		out = strings.ReplaceAll(out, "{{resolve:", "{ {resolve:")
	}
	if len(out) > awsform.MaxDescription {
		out = strings.TrimSpace(out[:awsform.MaxDescription])
	}
	return out
}

// flowKey gathers rules into one flow: same peer, group, direction and
// description; the ports are joined.
type flowKey struct {
	from, to, purpose string
	comment           string
}

func draft(vpc string, groups []*live.Group, e *live.Export, known *model.Program, knownIDs map[string]string) (Draft, error) {
	d := Draft{VPC: vpc, File: "no-vpc.intent"}
	label := vpc
	if label == "" {
		label = "no VPC"
	}
	if vpc != "" {
		d.File = vpc + ".intent"
	}
	names := &namer{used: map[string]bool{}}
	if known != nil {
		for _, n := range knownNames(known) {
			names.used[n] = true
		}
	}
	managed := map[string]string{} // group id -> name
	var decls []ast.Stmt
	sort.SliceStable(groups, func(i, j int) bool { return groups[i].GroupName < groups[j].GroupName })
	var kept []*live.Group
	for _, g := range groups {
		if g.GroupName == "default" {
			d.Warnings = append(d.Warnings, fmt.Sprintf("%s: skipped the VPC's default group %s (sgc does not manage it; keep it empty)", vpc, g.GroupID))
			continue
		}
		if known != nil {
			if kg, ok := known.Lookup(g.RoleName()).(*model.Group); ok {
				managed[g.GroupID] = kg.Name // the policy's own group
				kept = append(kept, g)
				continue
			}
		}
		n := names.name(g.RoleName(), "group")
		managed[g.GroupID] = n
		if n != g.GroupName && n == g.RoleName() {
			decls = append(decls, comment(fmt.Sprintf("imported from %q (%s): the role name is its Name tag", g.GroupName, g.GroupID)))
		} else if n != g.GroupName {
			decls = append(decls, comment(fmt.Sprintf("imported from %q (%s): renamed, AWS names and sgc names differ", g.GroupName, g.GroupID)))
			d.Warnings = append(d.Warnings, fmt.Sprintf("%s: group %q imported as %q", label, g.GroupName, n))
		}
		gd := groupDecl(n, draftDescription(g))
		if servesTheWeb(g) {
			// What the linter asks of a group open to the internet on
			// purpose: a load balancer, a web front.
			gd.InternetFacing = &ast.Keyword{Name: "internet-facing"}
		}
		decls = append(decls, gd)
		kept = append(kept, g)
	}

	dr := &drafter{d: &d, label: label, names: names, externals: map[string]string{}, prefixLists: map[string]string{},
		networks: map[string]string{}, ports: map[flowKey][]model.Port{}}
	if known != nil {
		dr.knowNames(known)
		for id, name := range knownIDs {
			if _, ok := known.Lookup(name).(*model.Group); ok && managed[id] == "" {
				managed[id] = name
			}
		}
	}

	// Group-to-group halves, to merge into flows.
	type half struct {
		r    live.Rule
		used bool
	}
	var halves []*half
	// Address blocks, gathered per group, direction, port and description.
	type cidrKey struct {
		group string
		dir   model.Direction
		port  model.Port
		desc  string
	}
	cidrSets := map[cidrKey][]string{}
	var cidrOrder []cidrKey
	// The live rules' sgr- ids, where the export has them.
	ruleIDs := map[string]string{}
	for _, sr := range e.SecurityGroupRules {
		if r, ok := sr.Rule(); ok {
			ruleIDs[r.Identity()] = sr.ID
		}
	}
	d.Adopt = &adopt.Mapping{}
	for _, g := range kept {
		rules, problems := g.Rules()
		for _, p := range problems {
			d.Warnings = append(d.Warnings, fmt.Sprintf("%s: %v", label, p))
		}
		name := managed[g.GroupID]
		ag := adopt.Group{Name: name, ID: g.GroupID}
		if name != g.GroupName {
			ag.LiveName = g.GroupName
		}
		if draftDescription(g) != g.Description {
			ag.Description = g.Description // kept, so that adopting never replaces the group
		}
		for _, tag := range g.Tags {
			// Its other tags are kept: the build manages the group's tags,
			// and would otherwise remove them. Ones sgc writes itself, AWS's
			// own, and ones AWS would refuse are left to AWS.
			if awsform.Tag(tag.Key, tag.Value) == "" {
				if ag.Tags == nil {
					ag.Tags = map[string]string{}
				}
				ag.Tags[tag.Key] = tag.Value
			}
		}
		adoptable := awsform.GroupID.MatchString(g.GroupID)
		if why := liveNaming(ag); why != "" {
			// A name or description that is not AWS's own form (a forged
			// or corrupt export) would reach a template verbatim; a group
			// is adopted only with values AWS could have given it.
			d.Warnings = append(d.Warnings, fmt.Sprintf("%s: group %s (%s) is not adopted: %s", label, g.GroupID, name, why))
			adoptable = false
		}
		if adoptable {
			d.Adopt.Groups = append(d.Adopt.Groups, ag)
		}
		for _, r := range rules {
			if live.IsPlaceholder(r) {
				continue // the CloudFormation target's, not intent
			}
			if id := ruleIDs[r.Identity()]; id != "" && adoptable {
				if peer := adoptPeer(r, managed); peer != "" {
					from, to := r.Port.From, r.Port.To
					if !r.Port.HasPorts() {
						from, to = -1, -1
					}
					ar := adopt.Rule{ID: id, Group: name, Direction: r.Direction.String(),
						Protocol: string(r.Port.Protocol), FromPort: from, ToPort: to, Peer: peer}
					// The live description is for the note that says it
					// changes; one AWS could not have given is left out.
					if (clean(r.Description) != r.Description || r.Description == "") &&
						awsform.Text(r.Description, "description", descriptionChars(r.PeerKind)) == "" {
						desc := r.Description
						ar.LiveDescription = &desc
					}
					d.Adopt.Rules = append(d.Adopt.Rules, ar)
				}
			}
			switch r.PeerKind {
			case "cidr":
				k := cidrKey{name, r.Direction, r.Port, r.Description}
				if _, ok := cidrSets[k]; !ok {
					cidrOrder = append(cidrOrder, k)
				}
				cidrSets[k] = append(cidrSets[k], r.Peer)
			case "pl":
				pl := dr.prefixListOf(r.Peer, r.Description)
				if r.Direction == model.Ingress {
					dr.addFlow(flowKey{from: pl, to: name, purpose: purposeOf(r.Description)}, r.Port)
				} else {
					dr.addFlow(flowKey{from: name, to: pl, purpose: purposeOf(r.Description)}, r.Port)
				}
			case "sg":
				if _, ok := managed[r.Peer]; ok && (r.PeerOwner == "" || r.PeerOwner == g.OwnerID) {
					halves = append(halves, &half{r: r})
					continue
				}
				peerName := ""
				for _, p := range append(append([]live.Permission{}, g.IpPermissions...), g.IpPermissionsEgress...) {
					for _, u := range p.UserIdGroupPairs {
						if u.GroupID == r.Peer && u.GroupName != "" {
							peerName = u.GroupName
						}
					}
				}
				for _, og := range e.SecurityGroups {
					if og.GroupID == r.Peer {
						peerName = og.GroupName
					}
				}
				ext := dr.externalOf(r.Peer, peerName, r.PeerOwner)
				if r.Direction == model.Ingress {
					dr.addFlow(flowKey{from: ext, to: name, purpose: purposeOf(r.Description)}, r.Port)
				} else {
					dr.addFlow(flowKey{from: name, to: ext, purpose: purposeOf(r.Description)}, r.Port)
				}
			}
		}
	}
	for _, k := range cidrOrder {
		cidrs := cidrSets[k]
		net := dr.networkOf(cidrs, k.desc)
		p := purposeOf(k.desc)
		comment := ""
		if k.dir == model.Egress && k.port.Protocol == model.All && (net == "internet" || net == "anywhere-ipv4" || net == "anywhere-ipv6") && k.desc == "" {
			p = DefaultEgressPurpose
			comment = "AWS's default allow-all egress, made explicit: the linter reports it until it is justified or removed"
		}
		if k.dir == model.Ingress {
			dr.addFlow(flowKey{from: net, to: k.group, purpose: p, comment: comment}, k.port)
		} else {
			dr.addFlow(flowKey{from: k.group, to: net, purpose: p, comment: comment}, k.port)
		}
	}
	// Merge an egress half on A to B with the ingress half on B from A.
	for _, h := range halves {
		if h.used || h.r.Direction != model.Egress {
			continue
		}
		a, b := managed[h.r.GroupID], managed[h.r.Peer]
		for _, o := range halves {
			if !o.used && o.r.Direction == model.Ingress && o.r.GroupID == h.r.Peer && o.r.Peer == h.r.GroupID && o.r.Port == h.r.Port {
				o.used, h.used = true, true
				desc := o.r.Description
				if desc == "" {
					desc = h.r.Description
				}
				dr.addFlow(flowKey{from: a, to: b, purpose: purposeOf(desc)}, h.r.Port)
				break
			}
		}
	}
	for _, h := range halves {
		if h.used {
			continue
		}
		self, peer := managed[h.r.GroupID], managed[h.r.Peer]
		if h.r.Direction == model.Ingress {
			dr.addFlow(flowKey{from: peer, to: self, purpose: purposeOf(h.r.Description),
				comment: fmt.Sprintf("only the ingress half existed in AWS (on %s); this flow adds the egress half on %s", self, peer)}, h.r.Port)
		} else {
			dr.addFlow(flowKey{from: self, to: peer, purpose: purposeOf(h.r.Description),
				comment: fmt.Sprintf("only the egress half existed in AWS (on %s); this flow adds the ingress half on %s", self, peer)}, h.r.Port)
		}
	}

	where := vpc
	if where == "" {
		where = "groups without a VPC"
	}
	var f file
	f.add(comment(fmt.Sprintf("%s: %s.", strings.TrimPrefix(DraftHeader, "# "), where)))
	f.add(comment("Review every purpose marked TODO before relying on this policy."))
	for _, sec := range [][]ast.Stmt{decls, dr.netDecls, dr.plDecls, dr.externalDecls} {
		f.section()
		for _, s := range sec {
			f.add(s)
		}
	}
	sort.SliceStable(dr.order, func(i, j int) bool {
		if dr.order[i].from != dr.order[j].from {
			return dr.order[i].from < dr.order[j].from
		}
		return dr.order[i].to < dr.order[j].to
	})
	f.section()
	for _, k := range dr.order {
		if k.comment != "" {
			f.add(comment(k.comment))
		}
		f.add(flowStmt(k.from, k.to, dedupePorts(dr.ports[k]), k.purpose))
	}
	d.Source = seal(f.print(d.File))
	if known != nil {
		return d, nil // names the policy's declarations: not a policy alone
	}
	// The draft must compile: a rule the language cannot say was left out
	// above, so an error here is sgc's own.
	file, diags := parser.ParseFile(d.File, d.Source)
	prog, more := compiler.Compile([]*ast.File{file}, compiler.Options{})
	if diags = append(diags, more...); diags.HasErrors() {
		return d, fmt.Errorf("internal error: the draft for %s does not compile: %v", where, diags)
	}
	d.Warnings = append(d.Warnings, hubWarnings(label, prog)...)
	return d, nil
}

// hubWarnings says where the draft gives a group more outbound rules
// than AWS's default quota because AWS held only the ingress halves of
// its group references (a bastion many groups let in): a flow between
// groups is both halves, and with the group's allow-all egress the new
// egress halves add nothing but rules. The draft stays exact; the user
// chooses: remove the allow-all egress flow (the group then reaches only
// what its flows name), or raise the quota (SG110 says the count).
func hubWarnings(label string, p *model.Program) []string {
	var out []string
	counts := p.QuotaCounts(1)
	for _, g := range p.Groups {
		c := counts[model.QuotaKey{Group: g, Direction: model.Egress}]
		if c == nil || (c.V4 <= emitQuota && c.V6 <= emitQuota) {
			continue
		}
		allOut := false
		for _, r := range p.Rules {
			if r.Group == g && r.Direction == model.Egress && r.Port.Protocol == model.All && r.Peer.Kind == model.PeerCIDR && r.Peer.CIDR.Bits() == 0 {
				allOut = true
			}
		}
		if allOut {
			out = append(out, fmt.Sprintf("%s: group %s would have %d outbound rules (the quota is %d): AWS held only the ingress halves of the groups it reaches, and its allow-all egress covered them; "+
				"every flow between groups adds the egress half too. Remove its allow-all egress flow (it then reaches only what its flows name), or raise the quota and set quota in sgc.hcl",
				label, g.Name, max(c.V4, c.V6), emitQuota))
		}
	}
	return out
}

// emitQuota is AWS's default rules-per-group quota, as SG110 counts it.
const emitQuota = 60

// adoptPeer is the peer of live rule r as the mapping writes it, or "" for
// one the build cannot adopt (a group whose id is an input).
func adoptPeer(r live.Rule, managed map[string]string) string {
	switch r.PeerKind {
	case "sg":
		if n, ok := managed[r.Peer]; ok {
			return "group:" + n
		}
		if awsform.GroupID.MatchString(r.Peer) {
			return r.Peer
		}
		return ""
	}
	return r.Peer
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func dedupePorts(s []model.Port) []model.Port {
	seen := map[model.Port]bool{}
	var out []model.Port
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// draftDescription is the description a draft gives the live group g: the
// one its policy gave it (the Description tag of a group that kept an
// earlier AWS description, or its AWS description), made valid.
func draftDescription(g *live.Group) string {
	return orDefault(clean(g.PolicyDescription()), "imported group "+g.GroupID)
}

// liveNaming says why the live name or description a mapping would keep
// for ag is not one AWS accepts, or "".
func liveNaming(ag adopt.Group) string {
	if ag.LiveName != "" {
		if why := awsform.GroupName(ag.LiveName); why != "" {
			return why
		}
	}
	if ag.Description != "" {
		return awsform.Text(ag.Description, "description", awsform.DescriptionChar)
	}
	return ""
}

// descriptionChars is the alphabet AWS gives the description of a rule
// whose peer is of kind ("cidr", "pl", "sg").
func descriptionChars(kind string) func(rune) bool {
	if kind == "cidr" {
		return awsform.DescriptionChar
	}
	return awsform.ReferenceDescriptionChar
}

// servesTheWeb reports whether live group g takes HTTP or HTTPS from
// anywhere: a load balancer or web front, internet-facing on purpose.
func servesTheWeb(g *live.Group) bool {
	rules, _ := g.Rules()
	for _, r := range rules {
		if r.Direction != model.Ingress || r.PeerKind != "cidr" || (r.Peer != "0.0.0.0/0" && r.Peer != "::/0") {
			continue
		}
		if r.Port.Protocol == model.TCP && (r.Port.Covers(model.Port{Protocol: model.TCP, From: 443, To: 443}) || r.Port.Covers(model.Port{Protocol: model.TCP, From: 80, To: 80})) {
			return true
		}
	}
	return false
}
