package drift

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/sgc-dev/sgc/account/live"
	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/lang/ast"
)

// ruleKey is what drift matches a live rule and an intent rule by: the
// group's name in the policy, direction, ports and peer (a block, a
// prefix list id, "group NAME" for a group of the policy, "group sg-..."
// for another).
type ruleKey struct {
	group string
	dir   model.Direction
	port  model.Port
	peer  string
}

// comparison is one drift comparison, step by step (CompareWith).
type comparison struct {
	p    *model.Program
	e    *live.Export
	opts Options
	rep  Report

	liveByName map[string]*live.Group  // live groups by the policy's name for them
	nameOfID   map[string]string       // live group id -> that name
	declared   map[string]*model.Group // the policy's groups by name
	former     map[string]*model.Group // a former name -> the group it is now

	externalIDs map[string]string // group id -> external name
	// externalAccount is the account of each external declared with
	// one, by its group id.
	externalAccount map[string]string
	inputs          map[string]string // external name -> id, for those without one
	unresolved      []string          // externals whose id is not known

	listIDs      map[string]bool              // the ids of the prefix lists declared, or found for a name
	managedIDs   map[*model.PrefixList]string // the ids of the AWS-managed lists found in the export
	managedLists bool                         // some AWS-managed list's id is not known

	want, have map[ruleKey]rule
}

func newComparison(p *model.Program, e *live.Export, opts Options) *comparison {
	c := &comparison{p: p, e: e, opts: opts, liveByName: map[string]*live.Group{}, nameOfID: map[string]string{},
		declared: map[string]*model.Group{}, former: map[string]*model.Group{}, externalIDs: map[string]string{}, externalAccount: map[string]string{},
		inputs: map[string]string{}, want: map[ruleKey]rule{}, have: map[ruleKey]rule{}, listIDs: map[string]bool{},
		managedIDs: map[*model.PrefixList]string{}}
	for _, l := range p.PrefixLists {
		switch id, ok := e.ManagedPrefixListID(l.AWSName); {
		case l.Managed == "":
			c.listIDs[l.ID] = true
		case ok:
			c.managedIDs[l], c.listIDs[id] = id, true
		default:
			c.managedLists = true
		}
	}
	for i := range e.SecurityGroups {
		g := &e.SecurityGroups[i]
		c.nameOfID[g.GroupID] = g.GroupName
		if g.GroupName != "default" {
			c.liveByName[g.GroupName] = g
		}
	}
	for _, g := range p.Groups {
		c.declared[g.Name] = g
		for _, f := range g.Formerly {
			c.former[f] = g
		}
	}
	return c
}

// name makes lg the live group of the policy's group name.
func (c *comparison) name(lg *live.Group, old, name string) {
	delete(c.liveByName, old)
	c.liveByName[name] = lg
	c.nameOfID[lg.GroupID] = name
}

// matchGroups finds the live group of each declared group: by name; by
// Name tag, for groups created under a unique name; by a former name, for
// a group renamed with formerly not yet applied; and by the name import
// gave a group whose AWS name the language does not take.
func (c *comparison) matchGroups() {
	known := func(n string) bool { return c.declared[n] != nil || c.former[n] != nil }
	for role, lg := range live.Roles(c.e.SecurityGroups, known) {
		if lg.GroupName != role {
			c.name(lg, lg.GroupName, role)
		}
	}
	for _, g := range c.p.Groups {
		for _, f := range g.Formerly {
			if lg := c.liveByName[f]; lg != nil && c.liveByName[g.Name] == nil {
				c.name(lg, f, g.Name)
			}
		}
	}
	// "vpn gateway" is vpn-gateway, when exactly one live group is.
	renamed := map[string][]*live.Group{}
	for name, lg := range c.liveByName {
		if c.declared[name] == nil {
			if base := ast.BaseName(name, "group"); base != name && c.declared[base] != nil && c.liveByName[base] == nil {
				renamed[base] = append(renamed[base], lg)
			}
		}
	}
	for base, lgs := range renamed {
		if len(lgs) == 1 {
			c.name(lgs[0], lgs[0].GroupName, base)
		}
	}
	c.rep.groupIDs = map[string]string{}
	for id, name := range c.nameOfID {
		if c.declared[name] != nil && c.liveByName[name] != nil && c.liveByName[name].GroupID == id {
			c.rep.groupIDs[id] = name
		}
	}
}

// resolveExternals finds each external's group id: declared, given
// (--var, --var-file) or found by name; those still unknown are listed.
func (c *comparison) resolveExternals() {
	for _, x := range c.p.Externals {
		id := x.ID
		if id == "" {
			id = c.opts.Inputs[x.Name]
		}
		if id == "" {
			id = findByName(c.e, x.Name)
		}
		if id == "" {
			c.unresolved = append(c.unresolved, x.Name)
			continue
		}
		c.externalIDs[id] = x.Name
		if x.Account != "" {
			c.externalAccount[id] = x.Account
		}
		if x.ID == "" {
			c.inputs[x.Name] = id
		}
	}
}

// wantedRules are the intent's rules of groups that exist.
func (c *comparison) wantedRules() {
	for _, r := range c.p.Rules {
		if c.liveByName[r.Group.Name] == nil {
			continue
		}
		var peer string
		switch r.Peer.Kind {
		case model.PeerCIDR:
			peer = r.Peer.CIDR.String()
		case model.PeerPrefixList:
			peer = r.Peer.PrefixList.ID
			if r.Peer.PrefixList.Managed != "" {
				// Named, not by id: its pl- id in this Region is in the
				// export when it holds the Region's managed lists.
				id, ok := c.managedIDs[r.Peer.PrefixList]
				if !ok {
					c.rep.Unverifiable++
					continue
				}
				peer = id
			}
		case model.PeerGroup:
			peer = "group " + r.Peer.Group.Name
		case model.PeerExternal:
			id := r.Peer.External.ID
			if id == "" {
				id = c.inputs[r.Peer.External.Name]
			}
			if id == "" {
				c.rep.Unverifiable++
				continue
			}
			peer = "group " + id
		}
		text := ruleText(r.Direction, r.Port, peer)
		if x := r.Peer.External; x != nil && x.Account != "" {
			text = ruleText(r.Direction, r.Port, "group "+x.Account+"/"+strings.TrimPrefix(peer, "group "))
		}
		c.want[ruleKey{r.Group.Name, r.Direction, r.Port, peer}] = rule{text: text, desc: r.Flow.Purpose,
			where: fmt.Sprintf("%s:%d", r.Flow.Range.Start.Filename, r.Flow.Range.Start.Line), want: c.awsRule(r, peer)}
	}
}

// awsRule is intent rule r in AWS's terms, its peer as the comparison
// keys it: the ids of its group and peer, its purpose as description; nil
// when its peer group does not exist (nothing can reference it yet).
func (c *comparison) awsRule(r *model.Rule, peer string) *live.Rule {
	out := &live.Rule{GroupID: c.liveByName[r.Group.Name].GroupID, Direction: r.Direction, Port: r.Port, Description: r.Flow.Purpose}
	switch r.Peer.Kind {
	case model.PeerCIDR:
		out.PeerKind, out.Peer = "cidr", peer
	case model.PeerPrefixList:
		out.PeerKind, out.Peer = "pl", peer
	case model.PeerGroup:
		lg := c.liveByName[r.Peer.Group.Name]
		if lg == nil {
			return nil
		}
		out.PeerKind, out.Peer = "sg", lg.GroupID
	case model.PeerExternal:
		out.PeerKind, out.Peer, out.PeerOwner = "sg", strings.TrimPrefix(peer, "group "), r.Peer.External.Account
	}
	return out
}

// liveRules are the live rules of declared groups, with their sgr- ids
// and sgc:source tags where the export has them. A rule to a group that
// may be an external's whose id is unknown cannot be checked.
func (c *comparison) liveRules() error {
	type idTag struct{ id, source string }
	byIdentity := map[string]idTag{}
	for _, sr := range c.e.SecurityGroupRules {
		if r, ok := sr.Rule(); ok {
			it := idTag{id: sr.ID}
			for _, t := range sr.Tags {
				if t.Key == "sgc:source" {
					it.source = t.Value
				}
			}
			byIdentity[r.Identity()] = it
		}
	}
	for name, lg := range c.liveByName {
		if c.declared[name] == nil {
			continue
		}
		rules, problems := lg.Rules()
		if len(problems) > 0 {
			return fmt.Errorf("%s: %w", name, errors.Join(problems...))
		}
		for _, r := range rules {
			if live.IsPlaceholder(r) {
				continue
			}
			if r.PeerKind == "sg" && len(c.unresolved) > 0 && c.externalIDs[r.Peer] == "" && c.declared[c.nameOfID[r.Peer]] == nil {
				c.rep.Unverifiable++
				continue
			}
			if r.PeerKind == "pl" && c.managedLists && !c.listIDs[r.Peer] {
				c.rep.Unverifiable++ // it may be an AWS-managed list's, named in the intent
				continue
			}
			peer := r.Peer
			switch r.PeerKind {
			case "cidr":
				peer = canonicalCIDR(peer)
			case "sg":
				peer = "group " + r.Peer
				if n, ok := c.nameOfID[r.Peer]; ok && c.declared[n] != nil && c.liveByName[n] != nil && c.liveByName[n].GroupID == r.Peer {
					peer = "group " + n
				}
			}
			it := byIdentity[r.Identity()]
			text := ruleText(r.Direction, r.Port, peer)
			if r.PeerKind == "sg" && r.PeerOwner != "" && r.PeerOwner != lg.OwnerID && peer == "group "+r.Peer {
				// A group of another account, written as AWS writes it:
				// the account is what a reader needs to find it.
				text = ruleText(r.Direction, r.Port, "group "+r.PeerOwner+"/"+r.Peer)
			}
			h := rule{live: &r, text: text, desc: r.Description, id: it.id, source: it.source}
			if want := c.externalAccount[r.Peer]; r.PeerKind == "sg" && want != "" && r.PeerOwner != "" && r.PeerOwner != want {
				// AWS names another account's group by account and id: a
				// rule to the id in another account than the external's
				// is not the intent's rule, whatever the id.
				peer = "group " + r.PeerOwner + "/" + r.Peer
				h.text, h.account = ruleText(r.Direction, r.Port, peer), want
			}
			c.have[ruleKey{name, r.Direction, r.Port, peer}] = h
		}
	}
	return nil
}

// compareRules reports rules live and not in the intent (made by sgc from
// a flow since removed, or opened by hand, tested against the
// guarantees), descriptions that differ, and rules in the intent and not
// live.
func (c *comparison) compareRules() {
	for k, h := range c.have {
		w, ok := c.want[k]
		if !ok { // whatever it is, revert revokes it
			c.rep.changes = append(c.rep.changes, live.Change{Kind: live.Revoke, Rule: *h.live, RuleID: h.id})
		}
		switch {
		case !ok && h.account != "":
			c.rep.Findings = append(c.rep.Findings, Finding{Kind: Unmanaged, Group: k.group, Rule: h.text, RuleID: h.id,
				Detail: fmt.Sprintf("live rule to %s in account %s, where the intent's external is in account %s; its description: %q", h.live.Peer, h.live.PeerOwner, h.account, h.desc)})
		case !ok && h.source != "":
			c.rep.Findings = append(c.rep.Findings, Finding{Kind: Unmanaged, Group: k.group, Rule: h.text, RuleID: h.id,
				Detail: fmt.Sprintf("live rule not in the intent, tagged sgc:source=%s: made by sgc from a flow since removed (not yet applied?); its description: %q", h.source, h.desc)})
		case !ok:
			c.rep.addHandAdded(c.liveByName[k.group], k.group, h.live)
			f := Finding{Kind: Unmanaged, Group: k.group, Rule: h.text, RuleID: h.id,
				Detail: fmt.Sprintf("live rule not in the intent (someone opened it by hand); its description: %q", h.desc)}
			if g := c.declared[k.group]; g != nil {
				f.Guarantees = broken(c.p, modelRule(c.p, g, h.live, c.nameOfID, c.externalIDs))
			}
			if len(f.Guarantees) > 0 {
				f.Detail = "breaks " + strings.Join(f.Guarantees, "; ") + ". " + f.Detail
			}
			c.rep.Findings = append(c.rep.Findings, f)
		case w.desc != h.desc && !(h.desc == "" && live.ImportedWithoutDescription(w.desc)):
			c.rep.Findings = append(c.rep.Findings, Finding{Kind: Description, Group: k.group, Rule: h.text, RuleID: h.id,
				Detail: fmt.Sprintf("live description %q, intent purpose %q", h.desc, w.desc), Where: w.where})
			described := *h.live
			described.Description = w.desc
			c.rep.changes = append(c.rep.changes, live.Change{Kind: live.Describe, Rule: described, RuleID: h.id})
		}
	}
	for k, w := range c.want {
		if _, ok := c.have[k]; !ok {
			if w.want != nil {
				c.rep.changes = append(c.rep.changes, live.Change{Kind: live.Authorize, Rule: *w.want})
			} else {
				c.rep.held = append(c.rep.held, fmt.Sprintf("%s: %s: its peer group does not exist yet; the apply creates both", k.group, w.text))
			}
			c.rep.Findings = append(c.rep.Findings, Finding{Kind: Missing, Group: k.group, Rule: w.text,
				Detail: fmt.Sprintf("in the intent, not live; purpose %q", w.desc), Where: w.where})
		}
	}
}

// compareGroups reports externals that cannot be checked, live groups the
// policy does not declare, descriptions that differ, and declared groups
// that do not exist.
func (c *comparison) compareGroups() {
	for _, name := range c.unresolved {
		c.rep.Findings = append(c.rep.Findings, Finding{Kind: Unverifiable, Group: name,
			Detail: fmt.Sprintf("cannot check rules to %s: its id is an input; pass --var %s=sg-...", name, name)})
	}
	for name, lg := range c.liveByName {
		d := c.declared[name]
		switch {
		case d == nil && c.externalIDs[lg.GroupID] != "":
			// The group of a declared external: managed elsewhere.
		case d == nil:
			c.rep.Findings = append(c.rep.Findings, Finding{Kind: UnknownGroup, Group: name,
				Detail: fmt.Sprintf("live group %s (%s) is not in the intent", lg.GroupID, lg.VpcID)})
		case d.Description != lg.PolicyDescription():
			c.rep.Findings = append(c.rep.Findings, Finding{Kind: GroupDescription, Group: name,
				Detail: fmt.Sprintf("live description %q, intent %q", lg.PolicyDescription(), d.Description)})
		}
	}
	for _, g := range c.p.Groups {
		if c.liveByName[g.Name] == nil {
			c.rep.Findings = append(c.rep.Findings, Finding{Kind: AbsentGroup, Group: g.Name, Detail: "declared in the intent, not live"})
		}
	}
}

// compareAssociations reports the other VPCs a group serves in the intent
// (also-in) and not live, and live and not in the intent, when the export
// holds the associations (drift --aws reads them for a policy that says
// also-in). A VPC given as an input, or associations never read, cannot
// be checked: counted so, never reported as drift.
func (c *comparison) compareAssociations() {
	live := map[string][]string{} // group id -> the VPCs it is associated with
	for _, a := range c.e.SecurityGroupVpcAssociations {
		if a.Associated() {
			live[a.GroupID] = append(live[a.GroupID], a.VpcID)
		}
	}
	for _, g := range c.p.Groups {
		lg := c.liveByName[g.Name]
		if lg == nil || c.declared[g.Name] == nil {
			continue
		}
		if c.e.SecurityGroupVpcAssociations == nil {
			c.rep.Unverifiable += len(g.AlsoIn)
			continue
		}
		want, inputs := map[string]bool{}, 0
		for _, v := range g.AlsoIn {
			if v.ID == "" {
				inputs++
				continue
			}
			want[v.ID] = true
			if !slices.Contains(live[lg.GroupID], v.ID) {
				c.rep.Findings = append(c.rep.Findings, Finding{Kind: Missing, Group: g.Name, Rule: "serves " + v.ID,
					Detail: "the intent associates the group with this VPC (also-in); AWS does not"})
			}
		}
		c.rep.Unverifiable += inputs
		have := slices.Clone(live[lg.GroupID])
		sort.Strings(have)
		for _, vpc := range have {
			switch {
			case want[vpc]:
			case inputs > 0:
				c.rep.Unverifiable++ // it may be the VPC an input names
			default:
				c.rep.Findings = append(c.rep.Findings, Finding{Kind: Unmanaged, Group: g.Name, Rule: "serves " + vpc,
					Detail: "live association with a VPC the intent does not name (also-in): the group serves it"})
			}
		}
	}
}

// sortFindings puts what breaks a guarantee first, then by group, kind
// and rule: a report whatever the order of maps and exports.
func (c *comparison) sortFindings() {
	sort.Slice(c.rep.Findings, func(i, j int) bool {
		a, b := c.rep.Findings[i], c.rep.Findings[j]
		if (len(a.Guarantees) > 0) != (len(b.Guarantees) > 0) {
			return len(a.Guarantees) > 0
		}
		if a.Group != b.Group {
			return a.Group < b.Group
		}
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		return a.Rule < b.Rule
	})
}
