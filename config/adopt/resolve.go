package adopt

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/internal/awsform"
	"github.com/sgc-dev/sgc/internal/hclfile"
	"github.com/sgc-dev/sgc/lang/diag"
	"github.com/sgc-dev/sgc/lang/source"
)

// Resolve checks m against the program and returns what it adopts,
// indexed by group name and rule identity.
//
// Errors: a value not in the form AWS gives it (ids, names, descriptions
// within AWS's alphabet and length, no CloudFormation dynamic reference,
// protocols, ports, peers); one live group or rule adopted twice, one
// intent group or rule mapped twice. Adopting one live group as two intent
// groups would put both groups' rules on it (a database group open to
// whatever the web group allows), so it is never a warning.
//
// Warnings: an entry for a group the policy does not declare, or for a
// rule the policy does not have (renamed or removed since import): the
// build goes on without it.
func Resolve(m *Mapping, p *model.Program) (*model.Adoption, diag.List) {
	if m == nil || p == nil {
		return nil, nil
	}
	var diags diag.List
	a := &model.Adoption{Groups: map[string]*model.AdoptedGroup{}, Rules: map[model.RuleID]*model.AdoptedRule{}}
	groups := make(map[string]*model.Group, len(p.Groups))
	for _, g := range p.Groups {
		groups[g.Name] = g
	}
	liveGroup := map[string]*Group{} // sg- id -> its first entry
	for i := range m.Groups {
		g := &m.Groups[i]
		at := hclfile.Range(g.At)
		if why := groupProblem(g); why != "" {
			diags.Errorf(at, InvalidAdopt, "group %q: %s", g.Name, why)
			continue
		}
		if first, ok := liveGroup[g.ID]; ok {
			diags.Errorf(at, InvalidAdopt, "%s is adopted as group %q and as group %q", g.ID, first.Name, g.Name).
				WithRelated(hclfile.Range(first.At), "adopted first here").
				WithDetail("One live group can be only one group of the policy: adopting it twice would put the rules of both on it.")
			continue
		}
		liveGroup[g.ID] = g
		if prev, ok := a.Groups[g.Name]; ok {
			diags.Errorf(at, InvalidAdopt, "group %q is mapped twice, to %s and %s", g.Name, prev.ID, g.ID).
				WithRelated(prev.At, "mapped first here")
			continue
		}
		if groups[g.Name] == nil {
			diags.Warnf(at, InvalidAdopt, "the mapping adopts %s for group %q, which the policy does not declare", g.ID, g.Name)
			continue
		}
		ag := &model.AdoptedGroup{ID: g.ID, LiveName: g.LiveName, Description: g.Description, Tags: g.Tags, At: at}
		ag.Associations = associations(g, groups[g.Name], at, &diags)
		a.Groups[g.Name] = ag
	}
	wanted := make(map[model.RuleID]bool, len(p.Rules))
	for _, r := range p.Rules {
		wanted[r.ID()] = true
	}
	liveRule := map[string]*Rule{}
	first := map[model.RuleID]*Rule{}
	for i := range m.Rules {
		r := &m.Rules[i]
		at := hclfile.Range(r.At)
		id, why := ruleID(r, groups)
		if why != "" {
			diags.Errorf(at, InvalidAdopt, "rule %q: %s", r.ID, why)
			continue
		}
		if prev, ok := liveRule[r.ID]; ok {
			diags.Errorf(at, InvalidAdopt, "rule %s is adopted twice", r.ID).
				WithRelated(hclfile.Range(prev.At), "adopted first here")
			continue
		}
		liveRule[r.ID] = r
		if prev, ok := first[id]; ok {
			diags.Errorf(at, InvalidAdopt, "the rule %s is mapped twice, to %s and %s", id, prev.ID, r.ID).
				WithRelated(hclfile.Range(prev.At), "mapped first here").
				WithDetail("AWS holds one rule per group, direction, protocol, ports and peer.")
			continue
		}
		first[id] = r
		if a.Groups[r.Group] == nil {
			diags.Warnf(at, InvalidAdopt, "rule %s belongs to group %q, which is not adopted; it is left out", r.ID, r.Group)
			continue
		}
		if !wanted[id] {
			// A live rule of an adopted group that the policy does not
			// keep (AWS's default allow-all egress, with the draft's line
			// deleted): neither target removes a rule it does not manage,
			// so it stays open unless someone revokes it. Say so before
			// the apply, with the command.
			verb := "revoke-security-group-ingress"
			if id.Direction == model.Egress {
				verb = "revoke-security-group-egress"
			}
			diags.Warnf(at, InvalidAdopt, "live rule %s of adopted group %s (%s %s %s) is not in the policy: the apply leaves it open", r.ID, r.Group, id.Direction, id.Port, r.Peer).
				WithDetail("Terraform and CloudFormation adopt only the rules the policy has; a live rule they do not manage stays as it is, and drift reports it as opened by hand.").
				WithSuggestion("Revoke it (aws ec2 %s --group-id %s --security-group-rule-ids %s), or keep it with a flow, then remove this entry.", verb, a.Groups[r.Group].ID, r.ID)
			continue
		}
		a.Rules[id] = &model.AdoptedRule{ID: r.ID, LiveDescription: r.LiveDescription, At: at}
	}
	return a, diags
}

// groupProblem says why g is not in the form AWS gives a group, or "".
func groupProblem(g *Group) string {
	if !awsform.GroupID.MatchString(g.ID) {
		return fmt.Sprintf("id %q is not a security group id (sg- and 8 or 17 hexadecimal digits)", g.ID)
	}
	if g.LiveName != "" {
		if why := awsform.GroupName(g.LiveName); why != "" {
			return "live_name: " + why
		}
	}
	if g.Description != "" {
		if why := awsform.Text(g.Description, "description", awsform.DescriptionChar); why != "" {
			return "description: " + why
		}
	}
	for k, v := range g.Tags {
		if why := awsform.Tag(k, v); why != "" {
			return "tags: " + why
		}
	}
	seen := map[string]bool{}
	for _, v := range g.Associations {
		if !awsform.VPCID.MatchString(v) {
			return fmt.Sprintf("associations: %q is not a VPC id (vpc- and 8 or 17 hexadecimal digits)", v)
		}
		if seen[v] {
			return fmt.Sprintf("associations: %s is listed twice", v)
		}
		seen[v] = true
	}
	return ""
}

// associations returns the live associations of the mapping's group m
// that the policy's group g keeps (its also-in, by VPC id). One the
// policy does not list stays in AWS, untouched by the apply: said, with
// the command that ends it. An also-in given as an input cannot be
// matched to a live VPC id: if the live group already serves that VPC,
// creating the association again fails, so that is said too.
func associations(m *Group, g *model.Group, at source.Range, diags *diag.List) map[string]bool {
	if len(m.Associations) == 0 {
		return nil
	}
	kept := map[string]bool{}
	ids := map[string]bool{}
	inputs := []string{}
	for _, v := range g.AlsoIn {
		if v.ID != "" {
			ids[v.ID] = true
		} else {
			inputs = append(inputs, v.Input)
		}
	}
	for _, v := range m.Associations {
		if ids[v] {
			kept[v] = true
			continue
		}
		d := diags.Warnf(at, InvalidAdopt, "group %q (%s) also serves %s in AWS, which its also-in does not name: the apply leaves the association as it is", m.Name, m.ID, v)
		if len(inputs) > 0 {
			d.WithDetail("%s", fmt.Sprintf("The group's also-in names the input(s) %s, whose VPC ids the mapping cannot match; if one of them is %s, name it by id so the build adopts the association instead of creating it again, which AWS refuses.", strings.Join(inputs, ", "), v))
		}
		d.WithSuggestion("Add %s to the group's also-in to keep it, or end it (aws ec2 disassociate-security-group-vpc --group-id %s --vpc-id %s) and remove it from this entry.", v, m.ID, v)
	}
	return kept
}

// ruleID checks r and returns the identity of the rule it adopts, or why
// it is not in AWS's form.
func ruleID(r *Rule, groups map[string]*model.Group) (model.RuleID, string) {
	var id model.RuleID
	if !awsform.RuleID.MatchString(r.ID) {
		return id, "not a security group rule id (sgr- and 8 or 17 hexadecimal digits)"
	}
	id.Group = r.Group
	switch r.Direction {
	case "ingress":
		id.Direction = model.Ingress
	case "egress":
		id.Direction = model.Egress
	default:
		return id, fmt.Sprintf("direction %q is neither ingress nor egress", r.Direction)
	}
	port, why := portOf(r.Protocol, r.FromPort, r.ToPort)
	if why != "" {
		return id, why
	}
	id.Port = port
	peer, why := peerOf(r.Peer, groups)
	if why != "" {
		return id, why
	}
	id.Peer = peer
	if r.LiveDescription != nil {
		chars := awsform.DescriptionChar
		if peer.Kind != model.PeerCIDR {
			chars = awsform.ReferenceDescriptionChar
		}
		if why := awsform.Text(*r.LiveDescription, "live_description", chars); why != "" {
			return id, why
		}
	}
	return id, ""
}

func portOf(protocol string, from, to int) (model.Port, string) {
	p := model.Port{Protocol: model.Protocol(protocol), From: from, To: to}
	switch p.Protocol {
	case model.TCP, model.UDP:
		if from < 0 || to > 65535 || from > to {
			return p, fmt.Sprintf("ports %d-%d are not a port range", from, to)
		}
	case model.ICMP, model.ICMPv6:
		if from < -1 || from > 255 || to < -1 || to > 255 {
			return p, fmt.Sprintf("ICMP type %d and code %d are not -1 to 255", from, to)
		}
	default:
		n, err := strconv.Atoi(protocol)
		if protocol != "-1" && (err != nil || n < 0 || n > 255 || strconv.Itoa(n) != protocol) {
			return p, fmt.Sprintf("protocol %q is not tcp, udp, icmp, icmpv6, -1 or a protocol number", protocol)
		}
		if from != -1 || to != -1 {
			return p, fmt.Sprintf("protocol %s takes no ports (from_port and to_port -1)", protocol)
		}
	}
	return p, ""
}

func peerOf(peer string, groups map[string]*model.Group) (model.PeerID, string) {
	switch {
	case strings.HasPrefix(peer, "group:"):
		name := strings.TrimPrefix(peer, "group:")
		if groups[name] == nil {
			return model.PeerID{}, fmt.Sprintf("peer %q names no group of the policy", peer)
		}
		return model.PeerID{Kind: model.PeerGroup, Name: name}, ""
	case awsform.GroupID.MatchString(peer):
		return model.PeerID{Kind: model.PeerExternal, Name: peer, ByID: true}, ""
	case awsform.PrefixListID.MatchString(peer):
		return model.PeerID{Kind: model.PeerPrefixList, Name: peer}, ""
	}
	b, err := netip.ParsePrefix(peer)
	if err != nil || b != b.Masked() {
		return model.PeerID{}, fmt.Sprintf("peer %q is not an address block, a prefix list id, a group id or group:NAME", peer)
	}
	return model.PeerID{Kind: model.PeerCIDR, CIDR: b}, ""
}
