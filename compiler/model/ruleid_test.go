package model

import (
	"fmt"
	"net/netip"
	"testing"
)

// TestRuleIDString holds the written-out identity to the form it was
// defined by, fmt's: every address sgc derives from it depends on it.
func TestRuleIDString(t *testing.T) {
	peers := []PeerID{
		{Kind: PeerCIDR, CIDR: netip.MustParsePrefix("10.0.0.0/8")},
		{Kind: PeerCIDR, CIDR: netip.MustParsePrefix("2001:db8::/32")},
		{Kind: PeerPrefixList, Name: "pl-63a5400a"},
		{Kind: PeerGroup, Name: "web-production"},
		{Kind: PeerExternal, Name: "sg-0123456789abcdef0", ByID: true},
		{Kind: PeerExternal, Name: "partner"},
	}
	ports := []Port{{TCP, 443, 443}, {UDP, 0, 65535}, {ICMP, 8, -1}, {ICMPv6, -1, -1}, {All, -1, -1}, {Protocol("47"), -1, -1}}
	n := 0
	for _, peer := range peers {
		for _, port := range ports {
			for _, d := range []Direction{Ingress, Egress} {
				id := RuleID{Group: "api-n" + fmt.Sprint(n), Direction: d, Port: port, Peer: peer}
				want := fmt.Sprintf("%s|%s|%s|%d|%d|%s", id.Group, id.Direction, id.Port.Protocol, id.Port.From, id.Port.To, id.Peer)
				if got := id.String(); got != want {
					t.Errorf("String() = %q, want %q", got, want)
				}
				n++
			}
		}
	}
}
