package tfstate

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/sgc-dev/sgc/account/live"
	"github.com/sgc-dev/sgc/internal/awsform"
)

// groupValues are the attributes of an aws_security_group that matter.
type groupValues struct {
	ID          string        `json:"id"`
	Name        string        `json:"name"`
	Description string        `json:"description"`
	VpcID       string        `json:"vpc_id"`
	Ingress     []inlineValue `json:"ingress"`
	Egress      []inlineValue `json:"egress"`
}

// inlineValue is one ingress or egress block of an aws_security_group.
type inlineValue struct {
	Protocol       string   `json:"protocol"`
	FromPort       *int     `json:"from_port"`
	ToPort         *int     `json:"to_port"`
	CidrBlocks     []string `json:"cidr_blocks"`
	IPv6CidrBlocks []string `json:"ipv6_cidr_blocks"`
	PrefixListIDs  []string `json:"prefix_list_ids"`
	SecurityGroups []string `json:"security_groups"`
	Self           bool     `json:"self"`
	Description    string   `json:"description"`
}

// ruleValues are the attributes of an aws_security_group_rule.
type ruleValues struct {
	inlineValue
	Type                  string  `json:"type"`
	SecurityGroupID       string  `json:"security_group_id"`
	SourceSecurityGroupID *string `json:"source_security_group_id"`
}

// vpcRuleValues are the attributes of an aws_vpc_security_group_*_rule.
type vpcRuleValues struct {
	ID                string  `json:"id"`
	SecurityGroupID   string  `json:"security_group_id"`
	IPProtocol        string  `json:"ip_protocol"`
	FromPort          *int    `json:"from_port"`
	ToPort            *int    `json:"to_port"`
	CidrIPv4          *string `json:"cidr_ipv4"`
	CidrIPv6          *string `json:"cidr_ipv6"`
	PrefixListID      *string `json:"prefix_list_id"`
	ReferencedGroupID *string `json:"referenced_security_group_id"`
	Description       *string `json:"description"`
}

// read turns one resource instance into what it manages, its values
// checked against AWS's forms: an id that is not one is never carried into
// an import block or a removed block's neighbour.
func read(r resource, config, top string) ([]Resource, error) {
	base := Resource{Address: r.Address, Config: config, Module: top, Type: r.Type}
	switch r.Type {
	case GroupType:
		var v groupValues
		if err := json.Unmarshal(r.Values, &v); err != nil {
			return nil, err
		}
		if !awsform.GroupID.MatchString(v.ID) {
			return nil, fmt.Errorf("id %q is not a security group id", v.ID)
		}
		if v.VpcID != "" && !awsform.VPCID.MatchString(v.VpcID) {
			return nil, fmt.Errorf("vpc_id %q is not a VPC id", v.VpcID)
		}
		base.GroupID, base.Name, base.Description, base.VpcID = v.ID, v.Name, v.Description, v.VpcID
		g := live.Group{GroupID: v.ID, GroupName: v.Name, VpcID: v.VpcID}
		for _, in := range v.Ingress {
			p, err := in.permission(v.ID)
			if err != nil {
				return nil, err
			}
			g.IpPermissions = append(g.IpPermissions, p)
		}
		for _, out := range v.Egress {
			p, err := out.permission(v.ID)
			if err != nil {
				return nil, err
			}
			g.IpPermissionsEgress = append(g.IpPermissionsEgress, p)
		}
		rules, problems := g.Rules()
		if len(problems) > 0 {
			return nil, problems[0]
		}
		base.Rules = rules
	case RuleType:
		var v ruleValues
		if err := json.Unmarshal(r.Values, &v); err != nil {
			return nil, err
		}
		if !awsform.GroupID.MatchString(v.SecurityGroupID) {
			return nil, fmt.Errorf("security_group_id %q is not a security group id", v.SecurityGroupID)
		}
		if v.SourceSecurityGroupID != nil && *v.SourceSecurityGroupID != "" {
			v.SecurityGroups = append(v.SecurityGroups, *v.SourceSecurityGroupID)
		}
		p, err := v.permission(v.SecurityGroupID)
		if err != nil {
			return nil, err
		}
		g := live.Group{GroupID: v.SecurityGroupID}
		switch v.Type {
		case "ingress":
			g.IpPermissions = []live.Permission{p}
		case "egress":
			g.IpPermissionsEgress = []live.Permission{p}
		default:
			return nil, fmt.Errorf("type %q is neither ingress nor egress", v.Type)
		}
		rules, problems := g.Rules()
		if len(problems) > 0 {
			return nil, problems[0]
		}
		base.GroupID, base.Rules = v.SecurityGroupID, rules
	case IngressType, EgressType:
		var v vpcRuleValues
		if err := json.Unmarshal(r.Values, &v); err != nil {
			return nil, err
		}
		if !awsform.RuleID.MatchString(v.ID) {
			return nil, fmt.Errorf("id %q is not a security group rule id", v.ID)
		}
		if !awsform.GroupID.MatchString(v.SecurityGroupID) {
			return nil, fmt.Errorf("security_group_id %q is not a security group id", v.SecurityGroupID)
		}
		p := live.Permission{IpProtocol: v.IPProtocol, FromPort: v.FromPort, ToPort: v.ToPort}
		desc := ""
		if v.Description != nil {
			desc = *v.Description
		}
		switch {
		case v.CidrIPv4 != nil && *v.CidrIPv4 != "":
			p.IpRanges = []live.IPRange{{CidrIp: *v.CidrIPv4, Description: desc}}
		case v.CidrIPv6 != nil && *v.CidrIPv6 != "":
			p.Ipv6Ranges = []live.IPv6Range{{CidrIpv6: *v.CidrIPv6, Description: desc}}
		case v.PrefixListID != nil && *v.PrefixListID != "":
			p.PrefixListIds = []live.PrefixListID{{PrefixListID: *v.PrefixListID, Description: desc}}
		case v.ReferencedGroupID != nil && *v.ReferencedGroupID != "":
			p.UserIdGroupPairs = []live.UserGroupPair{groupPair(*v.ReferencedGroupID, desc)}
		default:
			return nil, fmt.Errorf("no peer (cidr_ipv4, cidr_ipv6, prefix_list_id or referenced_security_group_id)")
		}
		g := live.Group{GroupID: v.SecurityGroupID}
		if r.Type == IngressType {
			g.IpPermissions = []live.Permission{p}
		} else {
			g.IpPermissionsEgress = []live.Permission{p}
		}
		rules, problems := g.Rules()
		if len(problems) > 0 {
			return nil, problems[0]
		}
		base.GroupID, base.Rules, base.RuleID = v.SecurityGroupID, rules, v.ID
	}
	return []Resource{base}, nil
}

// permission is an inline block or a rule resource as AWS groups rules:
// one protocol and port range, every peer it lists (self: the group
// itself). The provider writes ports 0 for protocol -1.
func (v inlineValue) permission(group string) (live.Permission, error) {
	p := live.Permission{IpProtocol: v.Protocol, FromPort: v.FromPort, ToPort: v.ToPort}
	for _, c := range v.CidrBlocks {
		p.IpRanges = append(p.IpRanges, live.IPRange{CidrIp: c, Description: v.Description})
	}
	for _, c := range v.IPv6CidrBlocks {
		p.Ipv6Ranges = append(p.Ipv6Ranges, live.IPv6Range{CidrIpv6: c, Description: v.Description})
	}
	for _, l := range v.PrefixListIDs {
		p.PrefixListIds = append(p.PrefixListIds, live.PrefixListID{PrefixListID: l, Description: v.Description})
	}
	for _, g := range v.SecurityGroups {
		p.UserIdGroupPairs = append(p.UserIdGroupPairs, groupPair(g, v.Description))
	}
	if v.Self {
		p.UserIdGroupPairs = append(p.UserIdGroupPairs, live.UserGroupPair{GroupID: group, Description: v.Description})
	}
	if len(p.IpRanges)+len(p.Ipv6Ranges)+len(p.PrefixListIds)+len(p.UserIdGroupPairs) == 0 {
		return p, fmt.Errorf("a %s rule with no peer", v.Protocol)
	}
	return p, nil
}

// groupPair reads a group reference, which the provider writes as
// ACCOUNT/sg-… for a group of another account.
func groupPair(ref, desc string) live.UserGroupPair {
	if account, id, ok := strings.Cut(ref, "/"); ok {
		return live.UserGroupPair{GroupID: id, UserID: account, Description: desc}
	}
	return live.UserGroupPair{GroupID: ref, Description: desc}
}
