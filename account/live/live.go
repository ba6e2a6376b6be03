// Package live reads the output of `aws ec2 describe-security-groups`: the
// groups that exist in an account, with their rules. Import turns it into
// intent; drift compares it with a policy.
package live

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"sort"
	"strconv"
	"strings"

	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/internal/awsform"
)

// Export is the AWS CLI's JSON document of describe-security-groups and,
// when read from the account (or merged from describe-security-group-rules),
// the rules with their ids and tags.
type Export struct {
	SecurityGroups     []Group             `json:"SecurityGroups"`
	SecurityGroupRules []SecurityGroupRule `json:"SecurityGroupRules,omitempty"`
	// PrefixLists are the AWS-managed prefix lists of the Region, as
	// describe-managed-prefix-lists gives them, when read (merged into an
	// export, or with --aws for a policy that names one): they say which
	// pl- id a list named aws:NAME has here.
	PrefixLists []PrefixList `json:"PrefixLists,omitempty"`
	// SecurityGroupVpcAssociations are the groups' associations with
	// other VPCs, as describe-security-group-vpc-associations gives them;
	// nil when not read (an export without the key), which is not "none".
	SecurityGroupVpcAssociations []VpcAssociation `json:"SecurityGroupVpcAssociations,omitempty"`
}

// VpcAssociation is a group's association with another VPC.
type VpcAssociation struct {
	GroupID string `json:"GroupId"`
	VpcID   string `json:"VpcId"`
	State   string `json:"State"`
}

// Associated reports whether the association serves the VPC (or is
// about to): not being removed, not failed.
func (a VpcAssociation) Associated() bool { return a.State == "associated" || a.State == "associating" }

// keepAssociations returns the associations of the groups in ids, nil
// when none were read.
func (e *Export) keepAssociations(ids map[string]bool) []VpcAssociation {
	if e.SecurityGroupVpcAssociations == nil {
		return nil
	}
	out := []VpcAssociation{}
	for _, a := range e.SecurityGroupVpcAssociations {
		if ids[a.GroupID] {
			out = append(out, a)
		}
	}
	return out
}

// PrefixList is a managed prefix list as describe-managed-prefix-lists
// gives it.
type PrefixList struct {
	PrefixListID   string `json:"PrefixListId"`
	PrefixListName string `json:"PrefixListName"`
	OwnerID        string `json:"OwnerId"`
}

// ManagedPrefixListID returns the id of the AWS-managed list whose name is
// awsName, "{region}" standing for the one Region the export is of: the
// name with any single segment there. ok is false when no list, or more
// than one, has such a name.
func (e *Export) ManagedPrefixListID(awsName string) (id string, ok bool) {
	before, after, regional := strings.Cut(awsName, "{region}")
	for _, l := range e.PrefixLists {
		if l.OwnerID != "AWS" || !awsform.PrefixListID.MatchString(l.PrefixListID) {
			continue
		}
		match := l.PrefixListName == awsName
		if regional {
			mid, found := strings.CutPrefix(l.PrefixListName, before)
			mid, found2 := strings.CutSuffix(mid, after)
			match = found && found2 && mid != "" && !strings.Contains(mid, ".")
		}
		if match {
			if id != "" {
				return "", false // two Regions in one export: not one answer
			}
			id = l.PrefixListID
		}
	}
	return id, id != ""
}

// InVPC returns the part of the export in vpc: its groups and their rules.
func (e *Export) InVPC(vpc string) *Export {
	out := &Export{SecurityGroups: []Group{}, PrefixLists: e.PrefixLists}
	ids := map[string]bool{}
	for _, g := range e.SecurityGroups {
		if g.VpcID == vpc {
			out.SecurityGroups = append(out.SecurityGroups, g)
			ids[g.GroupID] = true
		}
	}
	for _, r := range e.SecurityGroupRules {
		if ids[r.GroupID] {
			out.SecurityGroupRules = append(out.SecurityGroupRules, r)
		}
	}
	out.SecurityGroupVpcAssociations = e.keepAssociations(ids)
	return out
}

// WithTag returns the part of the export whose groups carry the tag
// key=value: a scope for drift in an account shared with other tools.
func (e *Export) WithTag(key, value string) *Export {
	out := &Export{SecurityGroups: []Group{}, PrefixLists: e.PrefixLists}
	ids := map[string]bool{}
	for _, g := range e.SecurityGroups {
		for _, t := range g.Tags {
			if t.Key == key && t.Value == value {
				out.SecurityGroups = append(out.SecurityGroups, g)
				ids[g.GroupID] = true
				break
			}
		}
	}
	for _, r := range e.SecurityGroupRules {
		if ids[r.GroupID] {
			out.SecurityGroupRules = append(out.SecurityGroupRules, r)
		}
	}
	out.SecurityGroupVpcAssociations = e.keepAssociations(ids)
	return out
}

// Rule returns r in the terms of Rules, for matching the two: its group,
// direction, port and peer. ok is false for a rule that cannot be read.
func (r SecurityGroupRule) Rule() (rule Rule, ok bool) {
	port, err := Permission{IpProtocol: r.IpProtocol, FromPort: r.FromPort, ToPort: r.ToPort}.Port()
	if err != nil {
		return Rule{}, false
	}
	rule = Rule{GroupID: r.GroupID, Direction: model.Ingress, Port: port, Description: r.Description}
	if r.IsEgress {
		rule.Direction = model.Egress
	}
	switch {
	case r.CidrIpv4 != "":
		rule.PeerKind, rule.Peer = "cidr", r.CidrIpv4
		if c, err := CIDR(r.CidrIpv4, false); err == nil {
			rule.Peer = c
		}
	case r.CidrIpv6 != "":
		rule.PeerKind, rule.Peer = "cidr", r.CidrIpv6
		if c, err := CIDR(r.CidrIpv6, true); err == nil {
			rule.Peer = c
		}
	case r.PrefixListID != "":
		rule.PeerKind, rule.Peer = "pl", r.PrefixListID
	case r.ReferencedGroupInfo != nil:
		rule.PeerKind, rule.Peer = "sg", r.ReferencedGroupInfo.GroupID
	default:
		return Rule{}, false
	}
	return rule, true
}

// PermissionOf writes one rule back as a permission of a group, the form
// describe-security-groups gives.
func PermissionOf(r Rule) Permission {
	p := Permission{IpProtocol: string(r.Port.Protocol)}
	if r.Port.HasPorts() {
		from, to := r.Port.From, r.Port.To
		p.FromPort, p.ToPort = &from, &to
	}
	switch r.PeerKind {
	case "cidr":
		if strings.Contains(r.Peer, ":") {
			p.Ipv6Ranges = []IPv6Range{{CidrIpv6: r.Peer, Description: r.Description}}
		} else {
			p.IpRanges = []IPRange{{CidrIp: r.Peer, Description: r.Description}}
		}
	case "pl":
		p.PrefixListIds = []PrefixListID{{PrefixListID: r.Peer, Description: r.Description}}
	case "sg":
		p.UserIdGroupPairs = []UserGroupPair{{GroupID: r.Peer, UserID: r.PeerOwner, Description: r.Description}}
	}
	return p
}

// Identity is what identifies a rule in AWS: group id, direction, port and
// peer; its description is not part of it.
func (r Rule) Identity() string {
	return fmt.Sprintf("%s|%s|%s|%s:%s", r.GroupID, r.Direction, r.Port, r.PeerKind, r.Peer)
}

// SecurityGroupRule is one rule as describe-security-group-rules gives it:
// with its sgr- id and its tags (sgc:source on rules sgc made).
type SecurityGroupRule struct {
	ID                  string           `json:"SecurityGroupRuleId"`
	GroupID             string           `json:"GroupId"`
	IsEgress            bool             `json:"IsEgress"`
	IpProtocol          string           `json:"IpProtocol"`
	FromPort            *int             `json:"FromPort"`
	ToPort              *int             `json:"ToPort"`
	CidrIpv4            string           `json:"CidrIpv4,omitempty"`
	CidrIpv6            string           `json:"CidrIpv6,omitempty"`
	PrefixListID        string           `json:"PrefixListId,omitempty"`
	ReferencedGroupInfo *ReferencedGroup `json:"ReferencedGroupInfo,omitempty"`
	Description         string           `json:"Description,omitempty"`
	Tags                []Tag            `json:"Tags,omitempty"`
}

// ReferencedGroup is the group a rule refers to.
type ReferencedGroup struct {
	GroupID string `json:"GroupId"`
	UserID  string `json:"UserId,omitempty"`
}

// Group is one security group as AWS describes it.
type Group struct {
	GroupID             string       `json:"GroupId"`
	GroupName           string       `json:"GroupName"`
	Description         string       `json:"Description"`
	VpcID               string       `json:"VpcId"`
	OwnerID             string       `json:"OwnerId"`
	IpPermissions       []Permission `json:"IpPermissions"`
	IpPermissionsEgress []Permission `json:"IpPermissionsEgress"`
	Tags                []Tag        `json:"Tags"`
}

// Permission is AWS's grouping of rules: one protocol and port range, any
// number of peers, each with its own description.
type Permission struct {
	IpProtocol       string          `json:"IpProtocol"`
	FromPort         *int            `json:"FromPort"`
	ToPort           *int            `json:"ToPort"`
	IpRanges         []IPRange       `json:"IpRanges"`
	Ipv6Ranges       []IPv6Range     `json:"Ipv6Ranges"`
	PrefixListIds    []PrefixListID  `json:"PrefixListIds"`
	UserIdGroupPairs []UserGroupPair `json:"UserIdGroupPairs"`
}

// IPRange is an IPv4 peer.
type IPRange struct {
	CidrIp      string `json:"CidrIp"`
	Description string `json:"Description"`
}

// IPv6Range is an IPv6 peer.
type IPv6Range struct {
	CidrIpv6    string `json:"CidrIpv6"`
	Description string `json:"Description"`
}

// PrefixListID is a prefix-list peer.
type PrefixListID struct {
	PrefixListID string `json:"PrefixListId"`
	Description  string `json:"Description"`
}

// UserGroupPair is a security-group peer, possibly of another account.
type UserGroupPair struct {
	GroupID     string `json:"GroupId"`
	GroupName   string `json:"GroupName"`
	UserID      string `json:"UserId"`
	Description string `json:"Description"`
}

// Tag is a resource tag.
type Tag struct {
	Key   string `json:"Key"`
	Value string `json:"Value"`
}

// Parse reads an export.
func Parse(data []byte) (*Export, error) {
	var e Export
	if err := json.Unmarshal(data, &e); err != nil {
		return nil, fmt.Errorf("not the JSON of aws ec2 describe-security-groups: %v", err)
	}
	if e.SecurityGroups == nil && e.SecurityGroupRules == nil {
		return nil, fmt.Errorf("no SecurityGroups in the document: is it the output of aws ec2 describe-security-groups?")
	}
	return &e, nil
}

// Port converts a permission's protocol and ports into the model's terms,
// as AWS means them: -1 (or "all") is every protocol; tcp and udp (6, 17)
// take a port range 0-65535; icmp and icmpv6 (1, 58) take a type and code
// 0-255, -1 meaning any; any other protocol number 0-255 takes no ports.
// Anything else is an error: a value AWS never returns is never read as a
// wider rule than it says.
func (p Permission) Port() (model.Port, error) {
	from, to := -1, -1
	if p.FromPort != nil {
		from = *p.FromPort
	}
	if p.ToPort != nil {
		to = *p.ToPort
	}
	proto := p.IpProtocol
	if n, err := strconv.Atoi(proto); err == nil && n >= 0 && n <= 255 && len(proto) <= 3 {
		proto = strconv.Itoa(n) // "006" is 6
		switch n {
		case 6:
			proto = "tcp"
		case 17:
			proto = "udp"
		case 1:
			proto = "icmp"
		case 58:
			proto = "icmpv6"
		}
	}
	switch proto {
	case "-1", "all":
		return model.Port{Protocol: model.All, From: -1, To: -1}, nil
	case "tcp", "udp":
		if p.FromPort == nil || p.ToPort == nil || from < 0 || to > 65535 || from > to {
			return model.Port{}, fmt.Errorf("%s ports %s-%s are not a port range 0-65535", proto, portText(p.FromPort), portText(p.ToPort))
		}
		return model.Port{Protocol: model.Protocol(proto), From: from, To: to}, nil
	case "icmp", "icmpv6":
		if from < -1 || from > 255 || to < -1 || to > 255 {
			return model.Port{}, fmt.Errorf("%s type %s code %s: types and codes run from 0 to 255 (-1: any)", proto, portText(p.FromPort), portText(p.ToPort))
		}
		if from == -1 {
			to = -1
		}
		return model.Port{Protocol: model.Protocol(proto), From: from, To: to}, nil
	}
	if n, err := strconv.Atoi(proto); err != nil || n < 0 || n > 255 || proto != strconv.Itoa(n) {
		return model.Port{}, fmt.Errorf("unknown IpProtocol %q", p.IpProtocol)
	}
	return model.Port{Protocol: model.Protocol(proto), From: -1, To: -1}, nil
}

func portText(p *int) string {
	if p == nil {
		return "(none)"
	}
	return strconv.Itoa(*p)
}

// Rule is one AWS rule of a live group: one direction, port and peer.
type Rule struct {
	GroupID, GroupName, VpcID string
	Direction                 model.Direction
	Port                      model.Port
	// PeerKind is "cidr", "pl" or "sg"; Peer is the block (canonical),
	// the list id or the group id, each checked against its AWS form.
	PeerKind, Peer string
	PeerOwner      string // the account of a group peer, when given
	Description    string
}

// tokenPattern is what any id must look like to be carried at all: a
// group id that is not in AWS's form (as in hand-made or anonymised
// exports) still ties rules to groups, but is never written where only
// a real id may go. Written out rather than a regular expression
// compiled at start-up, which every command paid for.
func tokenPattern(s string) bool {
	if len(s) == 0 || len(s) > 128 {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '.', c == '_', c == ':', c == '-':
		default:
			return false
		}
	}
	return true
}

// ValidToken reports whether s can serve as an identifier of an export's
// object: short, printable, no spaces or quotes.
func ValidToken(s string) bool { return tokenPattern(s) }

// Rules expands a group's permissions into single-peer rules, sorted. A
// rule that AWS could not have described (ports out of range, a peer that
// is not a block, a list id or an id-like token) is left out and returned
// as a problem, so that no caller ever reads it as something else. Group
// peers are checked only as tokens: see awsform.GroupID before writing one
// where AWS needs a real id.
func (g *Group) Rules() (rules []Rule, problems []error) {
	for _, dir := range []model.Direction{model.Ingress, model.Egress} {
		perms := g.IpPermissions
		if dir == model.Egress {
			perms = g.IpPermissionsEgress
		}
		for _, p := range perms {
			port, err := p.Port()
			if err != nil {
				problems = append(problems, fmt.Errorf("%s %s rule left out: %v", g.GroupID, dir, err))
				continue
			}
			add := func(kind, peer, owner, desc string) {
				rules = append(rules, Rule{GroupID: g.GroupID, GroupName: g.GroupName, VpcID: g.VpcID, Direction: dir,
					Port: port, PeerKind: kind, Peer: peer, PeerOwner: owner, Description: desc})
			}
			bad := func(what string) {
				problems = append(problems, fmt.Errorf("%s %s %s rule left out: %s", g.GroupID, dir, port, what))
			}
			for _, r := range p.IpRanges {
				if c, err := CIDR(r.CidrIp, false); err != nil {
					bad(err.Error())
				} else {
					add("cidr", c, "", r.Description)
				}
			}
			for _, r := range p.Ipv6Ranges {
				if c, err := CIDR(r.CidrIpv6, true); err != nil {
					bad(err.Error())
				} else {
					add("cidr", c, "", r.Description)
				}
			}
			for _, r := range p.PrefixListIds {
				if !awsform.PrefixListID.MatchString(r.PrefixListID) {
					bad(fmt.Sprintf("%q is not a prefix list id", r.PrefixListID))
				} else {
					add("pl", r.PrefixListID, "", r.Description)
				}
			}
			for _, r := range p.UserIdGroupPairs {
				owner := r.UserID
				if owner != "" && !awsform.AccountID.MatchString(owner) {
					owner = "" // an account id is only ever shown, never needed
				}
				if !ValidToken(r.GroupID) {
					bad(fmt.Sprintf("%q is not a security group id", r.GroupID))
				} else {
					add("sg", r.GroupID, owner, r.Description)
				}
			}
		}
	}
	// In AWS's order (Key, each taken once). AWS holds a rule once: an
	// export that lists one twice (merged by hand, or a rule's description
	// changed between two exports) keeps the first, and says so, rather
	// than give every reader two rules where AWS has one.
	keys := make([]string, len(rules))
	order := make([]int, len(rules))
	for i := range rules {
		keys[i], order[i] = rules[i].Key(), i
	}
	sort.SliceStable(order, func(a, b int) bool { return keys[order[a]] < keys[order[b]] })
	sorted := make([]Rule, 0, len(rules))
	for n, i := range order {
		if n > 0 && keys[i] == keys[order[n-1]] {
			first := sorted[len(sorted)-1]
			problems = append(problems, fmt.Errorf("%s %s %s rule with %s is listed twice (described %q and %q): the first is kept",
				g.GroupID, first.Direction, first.Port, first.Peer, first.Description, rules[i].Description))
			continue
		}
		sorted = append(sorted, rules[i])
	}
	return sorted, problems
}

// CIDR checks an address block as AWS gives it (CidrIp or, with v6,
// CidrIpv6) and returns it in canonical form. Host bits, an IPv4 block
// written as IPv6 and zones are refused: AWS never returns them, and
// guessing what was meant could widen the rule.
func CIDR(s string, v6 bool) (string, error) {
	p, err := netip.ParsePrefix(s)
	switch {
	case err != nil:
		return "", fmt.Errorf("%q is not an address block", s)
	case p.Addr().Is4In6():
		return "", fmt.Errorf("%q is an IPv4-mapped IPv6 block", s)
	case p.Addr().Is6() != v6:
		return "", fmt.Errorf("%q is not an IPv%s block", s, map[bool]string{false: "4", true: "6"}[v6])
	case p.Masked() != p:
		return "", fmt.Errorf("%q has host bits set", s)
	}
	return p.String(), nil
}

// Key identifies the rule as AWS does (without the description).
func (r Rule) Key() string {
	return fmt.Sprintf("%s|%s|%s|%d|%d|%s:%s", r.GroupName, r.Direction, r.Port.Protocol, r.Port.From, r.Port.To, r.PeerKind, r.Peer)
}

// The purposes import gives rules that had no description in AWS, so that
// the linter asks a person to justify them. Drift takes them as meaning
// "no description", so that an unedited draft has no drift.
const (
	UndescribedPurpose   = "TODO justify: imported without a description"
	DefaultEgressPurpose = "TODO justify or remove: AWS default allow-all egress"
)

// ImportedWithoutDescription reports whether purpose is one import gives a
// rule that had no description.
func ImportedWithoutDescription(purpose string) bool {
	return purpose == UndescribedPurpose || purpose == DefaultEgressPurpose
}

// IsPlaceholder reports whether r is the inline egress the CloudFormation
// target gives every group so that AWS drops its default allow-all egress
// (255.255.255.255/32, ICMP type 252 code 86: it matches nothing). It is
// the target's, not the policy's: import and drift pass over it.
func IsPlaceholder(r Rule) bool {
	return r.Direction == model.Egress && r.PeerKind == "cidr" && r.Peer == "255.255.255.255/32" &&
		r.Port == model.Port{Protocol: model.ICMP, From: 252, To: 86}
}
