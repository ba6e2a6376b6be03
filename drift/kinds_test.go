package drift_test

import (
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/sgc-dev/sgc/compiler"
	"github.com/sgc-dev/sgc/drift"
	"github.com/sgc-dev/sgc/live"
	"github.com/sgc-dev/sgc/policy"
)

func port(n int) *int { return &n }

// TestEveryKind: one export with one instance of every kind of drift, and
// the things that are not drift (the placeholder egress, a declared
// external's group, the default group).
func TestEveryKind(t *testing.T) {
	p := policy.FromSources(map[string][]byte{"p.intent": []byte(`group web "Web servers"
group db "Databases"
group cache "Cache"
external bastion sg-0000000000000000b "Bastion"
external logging "Central logging"
web -> db tcp/5432 because "orders queries"
bastion -> db tcp/22 because "admin"
web -> logging udp/514 because "syslog"
web -> db tcp/6379 because "sessions"
`)}, compiler.Options{Now: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)})
	if p.Diags.HasErrors() {
		t.Fatal(p.Diags)
	}
	tcp := func(n int) live.Permission {
		return live.Permission{IpProtocol: "tcp", FromPort: port(n), ToPort: port(n)}
	}
	pair := func(perm live.Permission, id, desc string) live.Permission {
		perm.UserIdGroupPairs = []live.UserGroupPair{{GroupID: id, Description: desc}}
		return perm
	}
	cidr := func(perm live.Permission, c, desc string) live.Permission {
		perm.IpRanges = []live.IPRange{{CidrIp: c, Description: desc}}
		return perm
	}
	const web, db, bastion, other = "sg-00000000000000001", "sg-00000000000000002", "sg-0000000000000000b", "sg-0000000000000000c"
	e := &live.Export{SecurityGroups: []live.Group{
		{GroupID: web, GroupName: "web", Description: "Web servers (old)", VpcID: "vpc-01234567",
			IpPermissionsEgress: []live.Permission{pair(tcp(5432), db, "orders queries"), pair(tcp(6379), db, "sessions"),
				cidr(live.Permission{IpProtocol: "icmp", FromPort: port(252), ToPort: port(86)}, "255.255.255.255/32", "Disallow all traffic")}},
		{GroupID: db, GroupName: "db", Description: "Databases", VpcID: "vpc-01234567",
			IpPermissions: []live.Permission{pair(tcp(5432), web, "order queries"), pair(tcp(22), bastion, "admin"),
				cidr(tcp(3306), "203.0.113.0/24", "analyst")}},
		{GroupID: bastion, GroupName: "bastion-hosts", Description: "Bastion", VpcID: "vpc-01234567"},
		{GroupID: other, GroupName: "legacy", Description: "Legacy", VpcID: "vpc-01234567"},
		{GroupID: "sg-0000000000000000d", GroupName: "default", Description: "default VPC security group", VpcID: "vpc-01234567"},
	}}
	rep, err := drift.Compare(p.Program, e)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range rep.Findings {
		got = append(got, f.Kind+" "+f.Group+": "+f.Rule)
	}
	sort.Strings(got)
	want := []string{
		"absent-group cache: ",
		"description db: ingress tcp/5432 from group web",
		"group-description web: ",
		"missing db: ingress tcp/6379 from group web",
		"unknown-group legacy: ",
		"unmanaged db: ingress tcp/3306 from 203.0.113.0/24",
		"unverifiable logging: ",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !rep.HasAccessDrift() {
		t.Error("no access drift reported")
	}
}
