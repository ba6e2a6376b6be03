// Package live reads the output of `aws ec2 describe-security-groups`: the
// groups that exist in an account, with their rules. Import turns it into
// intent; drift compares it with a policy.
package live

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"

	"github.com/sgc-dev/sgc/compiler/model"
)

// Export is the AWS CLI's JSON document.
type Export struct {
	SecurityGroups []Group `json:"SecurityGroups"`
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
	if e.SecurityGroups == nil {
		return nil, fmt.Errorf("no SecurityGroups in the document: is it the output of aws ec2 describe-security-groups?")
	}
	return &e, nil
}

// Port converts a permission's protocol and ports into the model's terms,
// as AWS means them: -1 is all; tcp, udp (and 6, 17) take ports; icmp and
// icmpv6 (1, 58) take a type and code, -1 meaning any.
func (p Permission) Port() (model.Port, error) {
	from, to := -1, -1
	if p.FromPort != nil {
		from = *p.FromPort
	}
	if p.ToPort != nil {
		to = *p.ToPort
	}
	proto := p.IpProtocol
	switch proto {
	case "6":
		proto = "tcp"
	case "17":
		proto = "udp"
	case "1":
		proto = "icmp"
	case "58":
		proto = "icmpv6"
	}
	switch proto {
	case "-1", "all":
		return model.Port{Protocol: model.All, From: -1, To: -1}, nil
	case "tcp", "udp":
		if from < 0 || to < 0 {
			from, to = 0, 65535
		}
		return model.Port{Protocol: model.Protocol(proto), From: from, To: to}, nil
	case "icmp", "icmpv6":
		if from == -1 {
			to = -1
		}
		return model.Port{Protocol: model.Protocol(proto), From: from, To: to}, nil
	}
	n, err := strconv.Atoi(proto)
	if err != nil || n < 0 || n > 255 {
		return model.Port{}, fmt.Errorf("unknown IpProtocol %q", p.IpProtocol)
	}
	return model.Port{Protocol: model.Protocol(proto), From: -1, To: -1}, nil
}

// Rule is one AWS rule of a live group: one direction, port and peer.
type Rule struct {
	GroupID, GroupName, VpcID string
	Direction                 model.Direction
	Port                      model.Port
	// PeerKind is "cidr", "pl" or "sg"; Peer is the block, list id or group id.
	PeerKind, Peer string
	PeerOwner      string // the account of a group peer, when given
	Description    string
}

// Rules expands a group's permissions into single-peer rules, sorted.
func (g *Group) Rules() ([]Rule, error) {
	var out []Rule
	for dir, perms := range map[model.Direction][]Permission{model.Ingress: g.IpPermissions, model.Egress: g.IpPermissionsEgress} {
		for _, p := range perms {
			port, err := p.Port()
			if err != nil {
				return nil, fmt.Errorf("%s (%s): %v", g.GroupName, g.GroupID, err)
			}
			add := func(kind, peer, owner, desc string) {
				out = append(out, Rule{GroupID: g.GroupID, GroupName: g.GroupName, VpcID: g.VpcID, Direction: dir,
					Port: port, PeerKind: kind, Peer: peer, PeerOwner: owner, Description: desc})
			}
			for _, r := range p.IpRanges {
				add("cidr", r.CidrIp, "", r.Description)
			}
			for _, r := range p.Ipv6Ranges {
				add("cidr", r.CidrIpv6, "", r.Description)
			}
			for _, r := range p.PrefixListIds {
				add("pl", r.PrefixListID, "", r.Description)
			}
			for _, r := range p.UserIdGroupPairs {
				add("sg", r.GroupID, r.UserID, r.Description)
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Key() < out[j].Key() })
	return out, nil
}

// Key identifies the rule as AWS does (without the description).
func (r Rule) Key() string {
	return fmt.Sprintf("%s|%s|%s|%d|%d|%s:%s", r.GroupName, r.Direction, r.Port.Protocol, r.Port.From, r.Port.To, r.PeerKind, r.Peer)
}
