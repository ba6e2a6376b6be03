package live

import (
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/sgc-dev/sgc/compiler/model"
)

// TestPermissionsOf: a revoke names its rule without a description (AWS
// matches by content); an authorization or a description update carries
// the intent's; ports and peers are AWS's forms for each kind of peer.
func TestPermissionsOf(t *testing.T) {
	tcp := model.Port{Protocol: model.TCP, From: 443, To: 443}
	for _, tc := range []struct {
		c    Change
		want string
	}{
		{Change{Kind: Revoke, Rule: Rule{GroupID: "sg-01234567", Direction: model.Ingress, Port: tcp, PeerKind: "cidr", Peer: "0.0.0.0/0", Description: "was open"}}, "tcp 443-443 cidr 0.0.0.0/0 \"\""},
		{Change{Kind: Authorize, Rule: Rule{GroupID: "sg-01234567", Direction: model.Ingress, Port: tcp, PeerKind: "cidr", Peer: "2001:db8::/32", Description: "clients"}}, "tcp 443-443 cidr6 2001:db8::/32 \"clients\""},
		{Change{Kind: Describe, Rule: Rule{GroupID: "sg-01234567", Direction: model.Egress, Port: model.Port{Protocol: model.All, From: -1, To: -1}, PeerKind: "pl", Peer: "pl-01234567", Description: "S3"}}, "-1 pl pl-01234567 \"S3\""},
		{Change{Kind: Authorize, Rule: Rule{GroupID: "sg-01234567", Direction: model.Ingress, Port: tcp, PeerKind: "sg", Peer: "sg-89abcdef", PeerOwner: "111111111111", Description: "peering"}}, "tcp 443-443 sg 111111111111/sg-89abcdef \"peering\""},
	} {
		ps := permissionsOf(tc.c)
		if len(ps) != 1 {
			t.Fatalf("%v: %d permissions", tc.c, len(ps))
		}
		p := ps[0]
		got := aws.ToString(p.IpProtocol)
		if p.FromPort != nil {
			got += " " + itoa(*p.FromPort) + "-" + itoa(*p.ToPort)
		}
		switch {
		case len(p.IpRanges) == 1:
			got += " cidr " + aws.ToString(p.IpRanges[0].CidrIp) + " " + quote(p.IpRanges[0].Description)
		case len(p.Ipv6Ranges) == 1:
			got += " cidr6 " + aws.ToString(p.Ipv6Ranges[0].CidrIpv6) + " " + quote(p.Ipv6Ranges[0].Description)
		case len(p.PrefixListIds) == 1:
			got += " pl " + aws.ToString(p.PrefixListIds[0].PrefixListId) + " " + quote(p.PrefixListIds[0].Description)
		case len(p.UserIdGroupPairs) == 1:
			u := p.UserIdGroupPairs[0]
			got += " sg " + aws.ToString(u.UserId) + "/" + aws.ToString(u.GroupId) + " " + quote(u.Description)
		}
		if got != tc.want {
			t.Errorf("%s: %s, want %s", tc.c, got, tc.want)
		}
	}
}

func itoa(n int32) string { return fmt.Sprint(n) }

func quote(s *string) string { return fmt.Sprintf("%q", aws.ToString(s)) }
