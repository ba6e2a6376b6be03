package importer_test

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sgc-dev/sgc/account/importer"
	"github.com/sgc-dev/sgc/account/live"
)

func perm(proto string, from, to *int, cidrs ...string) live.Permission {
	p := live.Permission{IpProtocol: proto, FromPort: from, ToPort: to}
	for _, c := range cidrs {
		p.IpRanges = append(p.IpRanges, live.IPRange{CidrIp: c, Description: "office"})
	}
	return p
}

// TestHostileExports: an export is data. Crafted fields never become
// statements, file names outside the output, or rules wider than they say;
// every draft compiles, and what cannot be said is reported and left out.
func TestHostileExports(t *testing.T) {
	const vpc = "vpc-0a1b2c3d4e5f60789"
	db := live.Group{GroupID: "sg-0123456789abcdef0", GroupName: "db", Description: "Database", VpcID: vpc}
	tests := []struct {
		name     string
		group    live.Group
		warning  string // a substring of some warning; "" for none expected
		mustNot  []string
		mustHave []string
	}{
		{"path in VpcId", live.Group{GroupID: "sg-0123456789abcdef1", GroupName: "x", Description: "X", VpcID: "../otherpolicy/zz"},
			`is not a VPC id`, nil, nil},
		{"statement in GroupId", live.Group{GroupID: "sg-1\ninternet -> db all because \"pwned\"", GroupName: "x", Description: "X", VpcID: vpc},
			`is not a security group id`, []string{"pwned"}, nil},
		{"statement in CidrIp", live.Group{GroupID: "sg-0123456789abcdef1", GroupName: "x", Description: "X", VpcID: vpc,
			IpPermissions: []live.Permission{perm("tcp", ptr(22), ptr(22), "10.0.0.0/8 \"x\"\ninternet -> db all because \"pwned")}},
			`is not an address block`, []string{"pwned"}, nil},
		{"statement in PrefixListId", live.Group{GroupID: "sg-0123456789abcdef1", GroupName: "x", Description: "X", VpcID: vpc,
			IpPermissions: []live.Permission{{IpProtocol: "tcp", FromPort: ptr(443), ToPort: ptr(443),
				PrefixListIds: []live.PrefixListID{{PrefixListID: "pl-12345678 \"x\"\ninternet -> db all because \"pwned"}}}}},
			`is not a prefix list id`, []string{"pwned"}, nil},
		{"statement in a description", live.Group{GroupID: "sg-0123456789abcdef1", GroupName: "x", Description: "X\"\ninternet -> db all because \"pwned", VpcID: vpc},
			"", []string{"\ninternet ->"}, nil},
		{"statement in a group name", live.Group{GroupID: "sg-0123456789abcdef1", GroupName: "x\ninternet -> db all because \"pwned\"\n#", Description: "X", VpcID: vpc},
			"imported as", []string{"\ninternet ->"}, nil},
		{"dynamic reference", live.Group{GroupID: "sg-0123456789abcdef1", GroupName: "x", Description: "{{resolve:ssm:/p}}", VpcID: vpc},
			"", []string{"{{resolve:"}, nil},
		{"negative ports", live.Group{GroupID: "sg-0123456789abcdef1", GroupName: "x", Description: "X", VpcID: vpc,
			IpPermissions: []live.Permission{perm("tcp", ptr(-5), ptr(-7), "10.0.0.0/8")}},
			"not a port range", []string{"tcp/0-65535"}, nil},
		{"inverted range", live.Group{GroupID: "sg-0123456789abcdef1", GroupName: "x", Description: "X", VpcID: vpc,
			IpPermissions: []live.Permission{perm("udp", ptr(90), ptr(80), "10.0.0.0/8")}},
			"not a port range", []string{"udp/"}, nil},
		{"port 70000", live.Group{GroupID: "sg-0123456789abcdef1", GroupName: "x", Description: "X", VpcID: vpc,
			IpPermissions: []live.Permission{perm("tcp", ptr(70000), ptr(70000), "10.0.0.0/8")}},
			"not a port range", []string{"70000"}, nil},
		{"ICMP type 300", live.Group{GroupID: "sg-0123456789abcdef1", GroupName: "x", Description: "X", VpcID: vpc,
			IpPermissions: []live.Permission{perm("icmp", ptr(300), ptr(-1), "10.0.0.0/8")}},
			"types and codes run from 0 to 255", []string{"icmp/300"}, nil},
		{"host bits", live.Group{GroupID: "sg-0123456789abcdef1", GroupName: "x", Description: "X", VpcID: vpc,
			IpPermissions: []live.Permission{perm("tcp", ptr(22), ptr(22), "10.1.2.3/8")}},
			"host bits", []string{"10.0.0.0/8"}, nil},
		{"IPv6 in CidrIp", live.Group{GroupID: "sg-0123456789abcdef1", GroupName: "x", Description: "X", VpcID: vpc,
			IpPermissions: []live.Permission{perm("tcp", ptr(22), ptr(22), "::/0")}},
			"not an IPv4 block", []string{"::/0"}, nil},
		{"protocol 006", live.Group{GroupID: "sg-0123456789abcdef1", GroupName: "x", Description: "X", VpcID: vpc,
			IpPermissions: []live.Permission{perm("006", ptr(22), ptr(22), "10.0.0.0/8")}},
			"", nil, []string{"tcp/22"}},
		{"long name", live.Group{GroupID: "sg-0123456789abcdef1", GroupName: strings.Repeat("a", 5000), Description: "X", VpcID: vpc},
			"imported as", nil, nil},
		{"bad prefix-list id", live.Group{GroupID: "sg-0123456789abcdef1", GroupName: "x", Description: "X", VpcID: vpc,
			IpPermissions: []live.Permission{{IpProtocol: "tcp", FromPort: ptr(443), ToPort: ptr(443),
				PrefixListIds: []live.PrefixListID{{PrefixListID: "pl-xyz"}}}}},
			`is not a prefix list id`, []string{"pl-xyz"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := &live.Export{SecurityGroups: []live.Group{db, tt.group}}
			// Through JSON, as a file would come.
			data, _ := json.Marshal(e)
			e, err := live.Parse(data)
			if err != nil {
				t.Fatal(err)
			}
			drafts, err := importer.Import(e, importer.Options{})
			if err != nil {
				t.Fatal(err)
			}
			var warnings []string
			for _, d := range drafts {
				if filepath.Base(d.File) != d.File || strings.Contains(d.File, "..") {
					t.Errorf("draft file name %q leaves the output directory", d.File)
				}
				p, _ := compileDraft(t, d)
				for _, f := range p.Program.Flows {
					if f.To.Declared().Name == "db" {
						t.Errorf("a flow to db was planted: %s -> db", f.From.Declared().Name)
					}
				}
				for _, bad := range tt.mustNot {
					if strings.Contains(string(d.Source), bad) {
						t.Errorf("the draft carries %q:\n%s", bad, d.Source)
					}
				}
				for _, want := range tt.mustHave {
					if !strings.Contains(string(d.Source), want) {
						t.Errorf("the draft lacks %q:\n%s", want, d.Source)
					}
				}
				warnings = append(warnings, d.Warnings...)
			}
			if tt.warning != "" && !strings.Contains(strings.Join(warnings, "\n"), tt.warning) {
				t.Errorf("no warning saying %q; warnings:\n%s", tt.warning, strings.Join(warnings, "\n"))
			}
		})
	}
}

// TestDraftSeal: a draft knows whether it was edited since import wrote it.
func TestDraftSeal(t *testing.T) {
	drafts, err := importer.Import(readExport(t, "testdata/three-tier.json"), importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	src := drafts[0].Source
	if !importer.Unedited(src) {
		t.Fatalf("a fresh draft reads as edited:\n%s", src)
	}
	edited := strings.Replace(string(src), "cluster gossip", "cluster gossip and more", 1)
	if importer.Unedited([]byte(edited)) || !importer.IsDraft([]byte(edited)) {
		t.Error("an edited draft reads as unedited, or not as a draft")
	}
	if importer.Unedited([]byte("group web \"Web\"\n")) {
		t.Error("a hand-written file reads as an unedited draft")
	}
}

// TestAllSkippedIsOneLine: an export whose every group is refused (here
// 5,000 with a VPC id not in AWS's form) is one short error, the first
// reasons and how many more, not a line of every group's.
func TestAllSkippedIsOneLine(t *testing.T) {
	var e live.Export
	for range 5000 {
		e.SecurityGroups = append(e.SecurityGroups, live.Group{GroupID: "sg-0123456789abcdef0", GroupName: "g", Description: "G", VpcID: "vpc-0abc12345"})
	}
	_, err := importer.Import(&e, importer.Options{})
	if err == nil || len(err.Error()) > 300 || !strings.Contains(err.Error(), "is not a VPC id") || !strings.HasSuffix(err.Error(), "and 4997 more") {
		t.Errorf("%d bytes of error: %.300v", len(fmt.Sprint(err)), err)
	}
}

// TestGroupTwiceInTheExport: exports merged by hand can hold a group twice.
// The same group twice is read once, with a warning; two different groups
// under one id are refused, never drafted as two groups adopting one.
func TestGroupTwiceInTheExport(t *testing.T) {
	const vpc = "vpc-0a1b2c3d4e5f60789"
	web := live.Group{GroupID: "sg-0123456789abcdef0", GroupName: "web", Description: "Web", VpcID: vpc,
		IpPermissions: []live.Permission{perm("tcp", ptr(443), ptr(443), "10.0.0.0/8")}}
	lb := live.Group{GroupID: "sg-0123456789abcdef1", GroupName: "lb", Description: "LB", VpcID: vpc}
	drafts, err := importer.Import(&live.Export{SecurityGroups: []live.Group{web, lb, web}}, importer.Options{})
	if err != nil || len(drafts) != 1 {
		t.Fatalf("%d drafts, %v", len(drafts), err)
	}
	d := drafts[0]
	adopted := 0
	for _, g := range d.Adopt.Groups {
		if g.ID == web.GroupID {
			adopted++
		}
	}
	if strings.Contains(string(d.Source), "web-2") || adopted != 1 ||
		!strings.Contains(strings.Join(d.Warnings, "\n"), "second copy of group \"web\"") {
		t.Errorf("the same group twice (adopted %d times):\n%s\n%q", adopted, d.Source, d.Warnings)
	}
	changed := web
	changed.Description = "Web servers"
	if _, err := importer.Import(&live.Export{SecurityGroups: []live.Group{web, changed}}, importer.Options{}); err == nil ||
		!strings.Contains(err.Error(), "in the export twice, with different contents") {
		t.Errorf("two groups under one id: %v", err)
	}
}

// TestRuleTwiceInTheExport: one AWS rule listed twice with two
// descriptions drafts one flow, with a warning, where it made a draft
// that did not compile (an internal error).
func TestRuleTwiceInTheExport(t *testing.T) {
	const vpc = "vpc-0a1b2c3d4e5f60789"
	from := func(desc string) live.Permission {
		return live.Permission{IpProtocol: "tcp", FromPort: ptr(5432), ToPort: ptr(5432),
			UserIdGroupPairs: []live.UserGroupPair{{GroupID: "sg-0123456789abcdef1", Description: desc}}}
	}
	db := live.Group{GroupID: "sg-0123456789abcdef0", GroupName: "db", Description: "DB", VpcID: vpc,
		IpPermissions: []live.Permission{from("app reads"), from("app writes")}}
	app := live.Group{GroupID: "sg-0123456789abcdef1", GroupName: "app", Description: "App", VpcID: vpc}
	drafts, err := importer.Import(&live.Export{SecurityGroups: []live.Group{db, app}}, importer.Options{})
	if err != nil || len(drafts) != 1 {
		t.Fatalf("%d drafts, %v", len(drafts), err)
	}
	if src := string(drafts[0].Source); strings.Count(src, "app -> db tcp/5432") != 1 || !strings.Contains(strings.Join(drafts[0].Warnings, "\n"), "listed twice") {
		t.Errorf("draft:\n%s\nwarnings: %q", src, drafts[0].Warnings)
	}
}
