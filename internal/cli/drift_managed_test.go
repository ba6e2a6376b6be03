package cli_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/sgc-dev/sgc/internal/motoserver"
)

// TestDriftManagedPrefixListAWS: with --aws, drift reads the Region's
// AWS-managed prefix lists for a policy that names one (aws:s3), so the
// rule to it is compared by the list's id: clean while the live rule is
// there, missing once it is revoked; never unverifiable.
func TestDriftManagedPrefixListAWS(t *testing.T) {
	m := motoserver.Start(t)
	c := m.EC2(t)
	ctx := context.Background()
	vpc := motoserver.VPC(t, c, "10.8.0.0/16")
	web := motoserver.Group(t, c, vpc, "web", "Web servers", false)
	lists, err := c.DescribeManagedPrefixLists(ctx, &ec2.DescribeManagedPrefixListsInput{
		Filters: []ec2types.Filter{{Name: aws.String("prefix-list-name"), Values: []string{"com.amazonaws.us-east-1.s3"}}}})
	if err != nil || len(lists.PrefixLists) != 1 {
		t.Fatalf("the emulator's S3 list: %v, %v", lists, err)
	}
	perm := ec2types.IpPermission{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(443), ToPort: aws.Int32(443),
		PrefixListIds: []ec2types.PrefixListId{{PrefixListId: lists.PrefixLists[0].PrefixListId, Description: aws.String("reads objects")}}}
	if _, err := c.AuthorizeSecurityGroupEgress(ctx, &ec2.AuthorizeSecurityGroupEgressInput{GroupId: aws.String(web), IpPermissions: []ec2types.IpPermission{perm}}); err != nil {
		t.Fatal(err)
	}
	dir := writeFiles(t, map[string]string{"p.intent": "group web \"Web servers\"\nprefix-list s3 aws:s3 \"S3 in this Region\"\nweb -> s3 tcp/443 because \"reads objects\"\n"})
	r := run(t, "", "drift", dir, "--aws", "--vpc", vpc)
	// moto leaves out the descriptions of prefix-list rules: a description
	// finding is the emulator's, and no access drift.
	if r.code != 0 || strings.Contains(r.stdout, "missing") || strings.Contains(r.stdout, "unmanaged") || strings.Contains(r.stdout, "not compared") {
		t.Errorf("drift with the rule in place: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if _, err := c.RevokeSecurityGroupEgress(ctx, &ec2.RevokeSecurityGroupEgressInput{GroupId: aws.String(web), IpPermissions: []ec2types.IpPermission{perm}}); err != nil {
		t.Fatal(err)
	}
	if r := run(t, "", "drift", dir, "--aws", "--vpc", vpc); r.code != 1 || !strings.Contains(r.stdout, "missing") {
		t.Errorf("drift after the rule is revoked: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}
