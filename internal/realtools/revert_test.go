package realtools

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/sgc-dev/sgc/internal/cli"
	"github.com/sgc-dev/sgc/internal/motoserver"
)

// TestRevert: on moto, hand changes of every kind (a rule opened, one
// removed, a description changed, a rule open to the internet, and a
// rule on a group the policy does not manage) are planned by drift
// --revert, asked about with --dry-run (which changes nothing), and made
// with --yes; then drift is clean, the other group is untouched, the
// audit log holds every call, and a second run makes none.
func TestRevert(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: starts moto")
	}
	m := motoserver.Start(t)
	c := m.EC2(t)
	ctx := context.Background()
	vpc := motoserver.VPC(t, c, "10.70.0.0/16")
	web := motoserver.Group(t, c, vpc, "web", "Web servers", false)
	db := motoserver.Group(t, c, vpc, "db", "Databases", false)
	perm := func(port int32, desc string) ec2types.IpPermission {
		return ec2types.IpPermission{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(port), ToPort: aws.Int32(port)}
	}
	cidr := func(p ec2types.IpPermission, block, desc string) []ec2types.IpPermission {
		p.IpRanges = []ec2types.IpRange{{CidrIp: aws.String(block), Description: aws.String(desc)}}
		return []ec2types.IpPermission{p}
	}
	group := func(p ec2types.IpPermission, g, desc string) []ec2types.IpPermission {
		p.UserIdGroupPairs = []ec2types.UserIdGroupPair{{GroupId: aws.String(g), Description: aws.String(desc)}}
		return []ec2types.IpPermission{p}
	}
	in := func(g string, ps []ec2types.IpPermission) {
		if _, err := c.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String(g), IpPermissions: ps}); err != nil {
			t.Fatal(err)
		}
	}
	in(web, cidr(perm(443, ""), "0.0.0.0/0", "clients"))
	in(db, group(perm(5432, ""), web, "queries"))
	out := func(g string, ps []ec2types.IpPermission) {
		if _, err := c.AuthorizeSecurityGroupEgress(ctx, &ec2.AuthorizeSecurityGroupEgressInput{GroupId: aws.String(g), IpPermissions: ps}); err != nil {
			t.Fatal(err)
		}
	}
	out(web, group(perm(5432, ""), db, "queries"))
	out(web, cidr(perm(443, ""), "10.1.0.0/16", "updates"))
	dir := t.TempDir()
	policy := filepath.Join(dir, "policy")
	sgc := func(args ...string) (int, string) {
		var stdout, stderr strings.Builder
		code := cli.Main(args, strings.NewReader(""), &stdout, &stderr)
		return code, stdout.String() + stderr.String()
	}
	if code, out := sgc("import", "--aws", "--vpc", vpc, "-o", policy); code != 0 {
		t.Fatalf("import: exit %d\n%s", code, out)
	}
	drift := []string{"drift", policy, "--aws", "--vpc", vpc}
	if code, out := sgc(drift...); code != 0 {
		t.Fatalf("drift before the hand changes: exit %d\n%s", code, out)
	}

	// The hand changes, and a group the policy does not manage.
	in(db, cidr(perm(22, ""), "10.0.0.0/8", "debugging"))
	in(db, cidr(perm(5432, ""), "0.0.0.0/0", "temporary"))
	if _, err := c.RevokeSecurityGroupIngress(ctx, &ec2.RevokeSecurityGroupIngressInput{GroupId: aws.String(web), IpPermissions: cidr(perm(443, ""), "0.0.0.0/0", "")}); err != nil {
		t.Fatal(err)
	}
	// (moto changes the descriptions of address rules only, not of
	// group pairs.)
	if _, err := c.UpdateSecurityGroupRuleDescriptionsEgress(ctx, &ec2.UpdateSecurityGroupRuleDescriptionsEgressInput{GroupId: aws.String(web), IpPermissions: cidr(perm(443, ""), "10.1.0.0/16", "who knows")}); err != nil {
		t.Fatal(err)
	}
	other := motoserver.Group(t, c, vpc, "other", "Another team's", false)
	in(other, cidr(perm(22, ""), "0.0.0.0/0", "their bastion"))

	audit := filepath.Join(dir, "audit.jsonl")
	revert := append(drift, "--revert", "--audit-log", audit)
	code, said := sgc(revert...)
	if code != 1 || !strings.Contains(said, "revert: 4 change(s)") || !strings.Contains(said, "plan only") {
		t.Fatalf("the plan: exit %d\n%s", code, said)
	}
	for _, want := range []string{
		"1. revoke ingress tcp/22 from 10.0.0.0/8 on " + db,
		"2. revoke ingress tcp/5432 from 0.0.0.0/0 on " + db,
		"3. describe egress tcp/443 to 10.1.0.0/16 on " + web + " (sgr-", `described "updates"`,
		"4. authorize ingress tcp/443 from 0.0.0.0/0 on " + web + ` described "clients"`,
		"left as it is: other: not the policy's group; never touched",
	} {
		if !strings.Contains(said, want) {
			t.Errorf("the plan lacks %q:\n%s", want, said)
		}
	}
	if _, err := os.Stat(audit); err == nil {
		t.Errorf("the plan wrote the audit log")
	}

	// A dry run asks and changes nothing (moto honours DryRun on revoke
	// and authorize; it applies description updates regardless, so those
	// are not checked here).
	if code, out := sgc(append(revert, "--dry-run")...); code != 0 || strings.Count(out, "would succeed:") != 4 {
		t.Errorf("--dry-run: exit %d\n%s", code, out)
	}
	if _, out := sgc(drift...); !strings.Contains(out, "tcp/22 from 10.0.0.0/8") || !strings.Contains(out, "tcp/443 from 0.0.0.0/0") {
		t.Errorf("the dry run changed rules:\n%s", out)
	}

	// (Three calls or four: moto has already made the description.)
	code, made := sgc(append(revert, "--yes")...)
	if code != 0 || !strings.Contains(made, "call(s) made") || strings.Count(made, "done: revoke") != 2 || strings.Count(made, "done: authorize") != 1 {
		t.Fatalf("--yes: exit %d\n%s", code, made)
	}
	if code, out := sgc(drift...); code != 0 || strings.Contains(out, "unmanaged") || strings.Contains(out, "missing") || strings.Contains(out, "description ") {
		t.Errorf("drift after the revert: exit %d\n%s", code, out)
	}
	og, err := c.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{other}})
	if err != nil || len(og.SecurityGroups[0].IpPermissions) != 1 {
		t.Errorf("the other team's group was touched: %v %v", og, err)
	}
	log, _ := os.ReadFile(audit)
	if n := bytes.Count(log, []byte("\n")); n != 4+strings.Count(made, "done: ") || !bytes.Contains(log, []byte(`"call":"RevokeSecurityGroupIngress"`)) || !bytes.Contains(log, []byte(`"dry_run":true`)) {
		t.Errorf("audit log (%d lines):\n%s", n, log)
	}
	if code, out := sgc(append(revert, "--yes")...); code != 0 || !strings.Contains(out, "revert: 0 change(s)") {
		t.Errorf("a second run: exit %d\n%s", code, out)
	}
	if again, _ := os.ReadFile(audit); !bytes.Equal(again, log) {
		t.Errorf("a second run wrote to the audit log")
	}
}
