package importer

import (
	"fmt"
	"slices"
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

// half is one half of a group-to-group pair, to merge into a flow.
type half struct {
	r    live.Rule
	used bool
}

// cidrKey gathers address blocks per group, direction, port and
// description: one flow from a network of all of them.
type cidrKey struct {
	group string
	dir   model.Direction
	port  model.Port
	desc  string
}

// draft drafts the intent of one VPC's groups, in steps: declare the
// groups, read each group's rules into adoption entries and flows, turn
// the gathered address blocks and group halves into flows, print.
func draft(vpc string, groups []*live.Group, e *live.Export, known *model.Program, knownIDs map[string]string) (Draft, error) {
	dr := newDrafter(vpc, e, known)
	kept := dr.declareGroups(groups)
	dr.knowPolicy(knownIDs)
	for _, g := range kept {
		dr.readGroup(g)
	}
	dr.cidrFlows()
	dr.groupFlows()
	return dr.finish()
}

func newDrafter(vpc string, e *live.Export, known *model.Program) *drafter {
	d := &Draft{VPC: vpc, File: "no-vpc.intent", Adopt: &adopt.Mapping{}}
	label := vpc
	if label == "" {
		label = "no VPC"
	}
	if vpc != "" {
		d.File = vpc + ".intent"
	}
	dr := &drafter{d: d, label: label, names: &namer{used: map[string]bool{}}, externals: map[string]string{}, prefixLists: map[string]string{},
		networks: map[string]string{}, ports: map[flowKey][]model.Port{}, known: known, managed: map[string]string{},
		cidrSets: map[cidrKey][]string{}, ruleIDs: map[string]string{}, liveNames: map[string]string{}}
	if known != nil {
		for _, n := range knownNames(known) {
			dr.names.used[n] = true
		}
	}
	// The other VPCs each group serves, where the export says.
	dr.alsoIn = map[string][]string{}
	for _, a := range e.SecurityGroupVpcAssociations {
		if a.Associated() && awsform.VPCID.MatchString(a.VpcID) {
			dr.alsoIn[a.GroupID] = append(dr.alsoIn[a.GroupID], a.VpcID)
		}
	}
	// The live rules' sgr- ids, where the export has them, and the names
	// of the export's groups by id (one look-up a rule, not a scan).
	for _, sr := range e.SecurityGroupRules {
		if r, ok := sr.Rule(); ok {
			dr.ruleIDs[r.Identity()] = sr.ID
		}
	}
	for _, og := range e.SecurityGroups {
		dr.liveNames[og.GroupID] = og.GroupName
	}
	return dr
}

// declareGroups names and declares each group but the VPC's default (or,
// pasting into a policy, takes the policy's own), and returns those kept.
func (dr *drafter) declareGroups(groups []*live.Group) []*live.Group {
	sort.SliceStable(groups, func(i, j int) bool { return groups[i].GroupName < groups[j].GroupName })
	var kept []*live.Group
	for _, g := range groups {
		if g.GroupName == "default" {
			dr.d.Warnings = append(dr.d.Warnings, fmt.Sprintf("%s: skipped the VPC's default group %s (sgc does not manage it; keep it empty)", dr.d.VPC, g.GroupID))
			continue
		}
		kept = append(kept, g)
		if dr.known != nil {
			if kg, ok := dr.known.Lookup(g.RoleName()).(*model.Group); ok {
				dr.managed[g.GroupID] = kg.Name // the policy's own group
				continue
			}
		}
		n := dr.names.name(g.RoleName(), "group")
		dr.managed[g.GroupID] = n
		if n != g.GroupName && n == g.RoleName() {
			dr.decls = append(dr.decls, comment(fmt.Sprintf("imported from %q (%s): the role name is its Name tag", g.GroupName, g.GroupID)))
		} else if n != g.GroupName {
			dr.decls = append(dr.decls, comment(fmt.Sprintf("imported from %q (%s): renamed, AWS names and sgc names differ", g.GroupName, g.GroupID)))
			dr.d.Warnings = append(dr.d.Warnings, fmt.Sprintf("%s: group %q imported as %q", dr.label, g.GroupName, n))
		}
		gd := groupDecl(n, draftDescription(g))
		if servesTheWeb(g) {
			// What the linter asks of a group open to the internet on
			// purpose: a load balancer, a web front.
			gd.InternetFacing = &ast.Keyword{Name: "internet-facing"}
		}
		vpcs := slices.Clone(dr.alsoIn[g.GroupID])
		sort.Strings(vpcs)
		for _, v := range slices.Compact(vpcs) {
			gd.AlsoIn = append(gd.AlsoIn, &ast.Word{Text: v}) // the other VPCs it serves
		}
		dr.decls = append(dr.decls, gd)
	}
	return kept
}

// knowPolicy, pasting into a policy, names what it declares as it does.
func (dr *drafter) knowPolicy(knownIDs map[string]string) {
	if dr.known == nil {
		return
	}
	dr.knowNames(dr.known)
	for id, name := range knownIDs {
		if _, ok := dr.known.Lookup(name).(*model.Group); ok && dr.managed[id] == "" {
			dr.managed[id] = name
		}
	}
}

// readGroup adopts group g and its rules and gathers the rules into flows.
func (dr *drafter) readGroup(g *live.Group) {
	rules, problems := g.Rules()
	for _, p := range problems {
		dr.d.Warnings = append(dr.d.Warnings, fmt.Sprintf("%s: %v", dr.label, p))
	}
	name := dr.managed[g.GroupID]
	adoptable := dr.adoptGroup(g, name)
	for _, r := range rules {
		if live.IsPlaceholder(r) {
			continue // the CloudFormation target's, not intent
		}
		if adoptable {
			dr.adoptRule(r, name)
		}
		switch r.PeerKind {
		case "cidr":
			k := cidrKey{name, r.Direction, r.Port, r.Description}
			if _, ok := dr.cidrSets[k]; !ok {
				dr.cidrOrder = append(dr.cidrOrder, k)
			}
			dr.cidrSets[k] = append(dr.cidrSets[k], r.Peer)
		case "pl":
			dr.addPair(name, dr.prefixListOf(r.Peer, r.Description), r)
		case "sg":
			if _, ok := dr.managed[r.Peer]; ok && (r.PeerOwner == "" || r.PeerOwner == g.OwnerID) {
				dr.halves = append(dr.halves, &half{r: r})
				continue
			}
			peerName := dr.liveNames[r.Peer]
			if peerName == "" {
				for _, p := range append(append([]live.Permission{}, g.IpPermissions...), g.IpPermissionsEgress...) {
					for _, u := range p.UserIdGroupPairs {
						if u.GroupID == r.Peer && u.GroupName != "" {
							peerName = u.GroupName
						}
					}
				}
			}
			foreign := ""
			if r.PeerOwner != "" && g.OwnerID != "" && r.PeerOwner != g.OwnerID {
				foreign = r.PeerOwner
			}
			dr.addPair(name, dr.externalOf(r.Peer, peerName, r.PeerOwner, foreign), r)
		}
	}
}

// addPair adds the flow of rule r of group name with the peer other.
func (dr *drafter) addPair(name, other string, r live.Rule) {
	if r.Direction == model.Ingress {
		dr.addFlow(flowKey{from: other, to: name, purpose: purposeOf(r.Description)}, r.Port)
	} else {
		dr.addFlow(flowKey{from: name, to: other, purpose: purposeOf(r.Description)}, r.Port)
	}
}

// adoptGroup maps live group g to the draft's group name, keeping what a
// build must keep (its AWS name, description and other tags); it reports
// whether the group can be adopted: only with values AWS could have given
// it, so that a forged or corrupt export never reaches a template.
func (dr *drafter) adoptGroup(g *live.Group, name string) bool {
	ag := adopt.Group{Name: name, ID: g.GroupID}
	// The other VPCs it serves are drafted as also-in: the build adopts
	// those associations rather than creating them again.
	ag.Associations = dr.alsoIn[g.GroupID]
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
		dr.d.Warnings = append(dr.d.Warnings, fmt.Sprintf("%s: group %s (%s) is not adopted: %s", dr.label, g.GroupID, name, why))
		adoptable = false
	}
	if adoptable {
		dr.d.Adopt.Groups = append(dr.d.Adopt.Groups, ag)
	}
	return adoptable
}

// adoptRule maps live rule r, when the export has its sgr- id.
func (dr *drafter) adoptRule(r live.Rule, name string) {
	id := dr.ruleIDs[r.Identity()]
	peer := adoptPeer(r, dr.managed)
	if id == "" || peer == "" {
		return
	}
	from, to := r.Port.From, r.Port.To
	if !r.Port.HasPorts() {
		from, to = -1, -1
	}
	ar := adopt.Rule{ID: id, Group: name, Direction: r.Direction.String(),
		Protocol: string(r.Port.Protocol), FromPort: from, ToPort: to, Peer: peer}
	// The live description is for the note that says it changes; one AWS
	// could not have given is left out.
	if (clean(r.Description) != r.Description || r.Description == "") &&
		awsform.Text(r.Description, "description", descriptionChars(r.PeerKind)) == "" {
		desc := r.Description
		ar.LiveDescription = &desc
	}
	dr.d.Adopt.Rules = append(dr.d.Adopt.Rules, ar)
}

// cidrFlows turns the gathered address blocks into flows from networks,
// AWS's default allow-all egress made explicit for the linter.
func (dr *drafter) cidrFlows() {
	for _, k := range dr.cidrOrder {
		net := dr.networkOf(dr.cidrSets[k], k.desc)
		p := purposeOf(k.desc)
		note := ""
		if k.dir == model.Egress && k.port.Protocol == model.All && (net == "internet" || net == "anywhere-ipv4" || net == "anywhere-ipv6") && k.desc == "" {
			p = DefaultEgressPurpose
			note = "AWS's default allow-all egress, made explicit: the linter reports it until it is justified or removed"
		}
		if k.dir == model.Ingress {
			dr.addFlow(flowKey{from: net, to: k.group, purpose: p, comment: note}, k.port)
		} else {
			dr.addFlow(flowKey{from: k.group, to: net, purpose: p, comment: note}, k.port)
		}
	}
}

// groupFlows merges an egress half on A to B with the ingress half on B
// from A into one flow; a half alone becomes a flow that says it adds the
// other half.
func (dr *drafter) groupFlows() {
	for _, h := range dr.halves {
		if h.used || h.r.Direction != model.Egress {
			continue
		}
		a, b := dr.managed[h.r.GroupID], dr.managed[h.r.Peer]
		for _, o := range dr.halves {
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
	for _, h := range dr.halves {
		if h.used {
			continue
		}
		self, peer := dr.managed[h.r.GroupID], dr.managed[h.r.Peer]
		if h.r.Direction == model.Ingress {
			dr.addFlow(flowKey{from: peer, to: self, purpose: purposeOf(h.r.Description),
				comment: fmt.Sprintf("only the ingress half existed in AWS (on %s); this flow adds the egress half on %s", self, peer)}, h.r.Port)
		} else {
			dr.addFlow(flowKey{from: self, to: peer, purpose: purposeOf(h.r.Description),
				comment: fmt.Sprintf("only the egress half existed in AWS (on %s); this flow adds the ingress half on %s", self, peer)}, h.r.Port)
		}
	}
}

// finish prints the draft and, for a policy of its own, compiles it: a
// rule the language cannot say was left out above, so an error here is
// sgc's own.
func (dr *drafter) finish() (Draft, error) {
	d := dr.d
	where := d.VPC
	if where == "" {
		where = "groups without a VPC"
	}
	var f file
	f.add(comment(fmt.Sprintf("%s: %s.", strings.TrimPrefix(DraftHeader, "# "), where)))
	f.add(comment("Review every purpose marked TODO before relying on this policy."))
	for _, sec := range [][]ast.Stmt{dr.decls, dr.netDecls, dr.plDecls, dr.externalDecls} {
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
	if dr.known != nil {
		return *d, nil // names the policy's declarations: not a policy alone
	}
	file, diags := parser.ParseFile(d.File, d.Source)
	prog, more := compiler.Compile([]*ast.File{file}, compiler.Options{})
	if diags = append(diags, more...); diags.HasErrors() {
		return *d, fmt.Errorf("internal error: the draft for %s does not compile: %v", where, diags)
	}
	d.Warnings = append(d.Warnings, hubWarnings(dr.label, prog)...)
	return *d, nil
}
