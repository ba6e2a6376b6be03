package cli_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/sgc-dev/sgc/internal/motoserver"
)

// TestDriftAndImportAWS runs drift and import against an emulated account
// made by hand with the SDK: a policy with SSH open to the world (a lint
// error, which must not stop drift), a self reference, IPv6, the
// CloudFormation placeholder egress, an external with an id and one
// without. Then: clean; a rule opened by hand fails the run; the id-less
// external cannot be checked until --var names it; import --aws then
// drift of the draft is clean.
func TestDriftAndImportAWS(t *testing.T) {
	m := motoserver.Start(t)
	c := m.EC2(t)
	ctx := context.Background()
	vpc := motoserver.VPC(t, c, "10.9.0.0/16")
	// Groups start with AWS's allow-all egress; sgc's targets remove it.
	group := func(name, desc string) string { return motoserver.Group(t, c, vpc, name, desc, false) }
	web, db := group("web", "Web servers"), group("db", "Databases")
	bastion, logging := group("bastion", "Bastion hosts"), group("logs", "Central logging")
	c.CreateTags(ctx, &ec2.CreateTagsInput{Resources: []string{logging}, Tags: []ec2types.Tag{{Key: aws.String("Name"), Value: aws.String("central-logging-x")}}})
	ingress := func(g string, p ec2types.IpPermission) {
		if _, err := c.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String(g), IpPermissions: []ec2types.IpPermission{p}}); err != nil {
			t.Fatal(err)
		}
	}
	egress := func(g string, p ec2types.IpPermission) {
		if _, err := c.AuthorizeSecurityGroupEgress(ctx, &ec2.AuthorizeSecurityGroupEgressInput{GroupId: aws.String(g), IpPermissions: []ec2types.IpPermission{p}}); err != nil {
			t.Fatal(err)
		}
	}
	tcp := func(port int32) ec2types.IpPermission {
		return ec2types.IpPermission{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(port), ToPort: aws.Int32(port)}
	}
	withCIDR := func(p ec2types.IpPermission, cidr, desc string) ec2types.IpPermission {
		p.IpRanges = []ec2types.IpRange{{CidrIp: aws.String(cidr), Description: aws.String(desc)}}
		return p
	}
	withGroup := func(p ec2types.IpPermission, g, desc string) ec2types.IpPermission {
		p.UserIdGroupPairs = []ec2types.UserIdGroupPair{{GroupId: aws.String(g), Description: aws.String(desc)}}
		return p
	}
	ingress(web, withCIDR(tcp(22), "0.0.0.0/0", "emergency access"))
	ingress(web, ec2types.IpPermission{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(22), ToPort: aws.Int32(22),
		Ipv6Ranges: []ec2types.Ipv6Range{{CidrIpv6: aws.String("::/0"), Description: aws.String("emergency access")}}})
	ingress(web, ec2types.IpPermission{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(443), ToPort: aws.Int32(443),
		Ipv6Ranges: []ec2types.Ipv6Range{{CidrIpv6: aws.String("::/0"), Description: aws.String("shoppers over IPv6")}}})
	egress(web, withGroup(tcp(5432), db, "orders queries"))
	ingress(db, withGroup(tcp(5432), web, "orders queries"))
	egress(db, withGroup(tcp(7000), db, "replication"))
	ingress(db, withGroup(tcp(7000), db, "replication"))
	ingress(db, withGroup(tcp(5432), bastion, "admin queries"))
	egress(web, withGroup(ec2types.IpPermission{IpProtocol: aws.String("udp"), FromPort: aws.Int32(514), ToPort: aws.Int32(514)}, logging, "syslog"))
	egress(db, withCIDR(ec2types.IpPermission{IpProtocol: aws.String("icmp"), FromPort: aws.Int32(252), ToPort: aws.Int32(86)}, "255.255.255.255/32", "Disallow all traffic"))

	policy := `group web "Web servers"
group db "Databases"
external bastion ` + bastion + ` "Bastion hosts"
external central-logging "Central logging"
internet -> web tcp/22 because "emergency access"
web -> db tcp/5432 because "orders queries"
db -> db tcp/7000 because "replication"
bastion -> db tcp/5432 because "admin queries"
web -> central-logging udp/514 because "syslog"
`
	policy = strings.Replace(policy, `internet -> web tcp/22 because "emergency access"`,
		"network anywhere-v6 ::/0 \"Every IPv6 address\"\ninternet -> web tcp/22 because \"emergency access\"\nanywhere-v6 -> web tcp/443 because \"shoppers over IPv6\"", 1)
	dir := writeFiles(t, map[string]string{"p.intent": policy})
	if r := run(t, "", "check", dir); r.code != 1 {
		t.Fatalf("the policy should have a lint error (SSH open to the world): exit %d\n%s", r.code, r.stdout)
	}

	// central-logging has no id and no group is named or tagged so: its
	// rules cannot be checked, which is said, and is not access drift.
	r := run(t, "", "drift", dir, "--aws", "--vpc", vpc)
	if r.code != 0 || !strings.Contains(r.stdout, "cannot check rules to central-logging") || strings.Contains(r.stdout, "unmanaged") || strings.Contains(r.stdout, "unknown-group     bastion") {
		t.Errorf("drift --aws: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = run(t, "", "drift", dir, "--aws", "--vpc", vpc, "--var", "central-logging="+logging)
	if r.code != 0 || strings.Contains(r.stdout, "cannot check") || strings.Contains(r.stdout, "unknown-group     web") {
		t.Errorf("drift --aws --var: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// The same id from the deployment's tfvars file.
	tfvars := filepath.Join(t.TempDir(), "prod.tfvars")
	os.WriteFile(tfvars, []byte("vpc_id = \""+vpc+"\"\ncentral_logging_security_group_id = \""+logging+"\"\n"), 0o644)
	if r := run(t, "", "drift", dir, "--aws", "--vpc", vpc, "--var-file", tfvars); r.code != 0 || strings.Contains(r.stdout, "cannot check") {
		t.Errorf("drift --var-file: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// Scoped by tag: only the tagged groups are compared.
	c.CreateTags(ctx, &ec2.CreateTagsInput{Resources: []string{web, db}, Tags: []ec2types.Tag{{Key: aws.String("team"), Value: aws.String("platform")}}})
	if r := run(t, "", "drift", dir, "--aws", "--tag", "team=platform", "--var", "central-logging="+logging, "--fail-on", "any"); r.code != 0 {
		t.Errorf("drift --tag: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := run(t, "", "drift", dir, "--aws", "--tag", "team=nobody"); r.code != 1 || !strings.Contains(r.stdout, "absent-group") {
		t.Errorf("drift --tag with no tagged group: exit %d\n%s", r.code, r.stdout)
	}

	// Someone opens MySQL to the office by hand: access drift, exit 1.
	ingress(db, withCIDR(tcp(3306), "203.0.113.0/24", "temporary analyst access"))
	r = run(t, "", "drift", dir, "--aws", "--vpc", vpc, "--var", "central-logging="+logging, "--format", "json")
	if r.code != 1 || !strings.Contains(r.stdout, `"kind": "unmanaged"`) || !strings.Contains(r.stdout, "203.0.113.0/24") ||
		!strings.Contains(r.stdout, `"rule_id": "sgr-`) {
		t.Errorf("a hand-opened rule: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	// The rule opened by hand, as intent to paste: it compiles.
	paste := filepath.Join(t.TempDir(), "hand.intent")
	run(t, "", "drift", dir, "--aws", "--vpc", vpc, "--var", "central-logging="+logging, "--paste", paste)
	pasted, err := os.ReadFile(paste)
	if err != nil || !strings.Contains(string(pasted), "203.0.113.0/24") || !strings.Contains(string(pasted), "tcp/3306") ||
		!strings.Contains(string(pasted), "temporary analyst access") || strings.Contains(string(pasted), "tcp/5432") {
		t.Errorf("--paste wrote:\n%s (%v)", pasted, err)
	}
	// It names the policy's groups as the policy does, so it compiles
	// pasted into the policy.
	if r := run(t, "", "check", dir, paste); r.code == 2 || strings.Contains(r.stdout+r.stderr, "[UnknownName]") || strings.Contains(r.stdout+r.stderr, "[DuplicateName]") {
		t.Errorf("the policy with the pasted intent does not compile:\n%s%s", r.stdout, r.stderr)
	}

	// Import the account (the hand-opened rule is part of it now), then
	// drift the unedited draft against it.
	out := t.TempDir()
	if r := run(t, "", "import", "--aws", "--vpc", vpc, "-o", out); r.code != 0 {
		t.Fatalf("import --aws: exit %d\n%s", r.code, r.stderr)
	}
	drafts, _ := filepath.Glob(filepath.Join(out, "*.intent"))
	if len(drafts) != 1 {
		t.Fatalf("drafts: %v", drafts)
	}
	src, _ := os.ReadFile(drafts[0])
	// What remains is the truth, not drift: halves of group pairs AWS
	// lacked, which the draft's flows complete (a comment says so each
	// time) and an apply would add.
	r = run(t, "", "drift", out, "--aws", "--vpc", vpc, "--format", "json")
	if got, want := strings.Count(r.stdout, `"kind": "missing"`), strings.Count(string(src), "# only the"); r.code != 1 || got != want ||
		strings.Count(r.stdout, `"kind"`) != want {
		t.Errorf("drift of the unedited import: exit %d, %d missing for %d completed halves\n%s%s\n--- draft\n%s", r.code, got, want, r.stdout, r.stderr, src)
	}
	if r := run(t, "", "drift", dir, "--aws", "--live", "x.json"); r.code != 2 {
		t.Errorf("--aws with --live: exit %d", r.code)
	}
}
