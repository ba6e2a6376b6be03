package drift_test

import (
	"testing"

	"github.com/sgc-dev/sgc/account/drift"
	"github.com/sgc-dev/sgc/account/live"
	"github.com/sgc-dev/sgc/internal/testkit"
)

// TestManagedPrefixListsUnverifiable: a rule on an AWS-managed list named
// in the intent (aws:s3) cannot be matched to the live rule's pl- id from
// an export, so neither is reported as drift: both are counted as
// unverifiable. A rule on a list declared by id still is.
func TestManagedPrefixListsUnverifiable(t *testing.T) {
	p := testkit.Compile(t, map[string][]byte{"p.intent": []byte(`group web "Web servers"
prefix-list s3 aws:s3 "S3"
prefix-list corp pl-0123456789abcdef0 "Corporate ranges"
web -> s3 tcp/443 because "reads objects"
corp -> web tcp/443 because "staff"
`)})
	e, err := live.Parse([]byte(`{"SecurityGroups": [
 {"GroupId": "sg-00000000000000001", "GroupName": "web-1", "Description": "Web servers", "VpcId": "vpc-01234567",
  "Tags": [{"Key": "Name", "Value": "web"}],
  "IpPermissions": [],
  "IpPermissionsEgress": [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "PrefixListIds": [{"PrefixListId": "pl-63a5400a", "Description": "reads objects"}]}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := drift.Compare(p, e)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Unverifiable != 2 {
		t.Errorf("unverifiable = %d, want 2 (the intent's rule on aws:s3 and the live rule on pl-63a5400a)", rep.Unverifiable)
	}
	if len(rep.Findings) != 1 || rep.Findings[0].Kind != drift.Missing {
		t.Errorf("findings = %+v, want the missing rule from corp alone", rep.Findings)
	}

	// With the Region's managed lists in the export (describe-managed-
	// prefix-lists merged in, or read with --aws), the rule is compared by
	// the list's id, and the live rule is the intent's.
	e.PrefixLists = []live.PrefixList{
		{PrefixListID: "pl-63a5400a", PrefixListName: "com.amazonaws.eu-west-1.s3", OwnerID: "AWS"},
		{PrefixListID: "pl-0123abcd", PrefixListName: "com.amazonaws.eu-west-1.dynamodb", OwnerID: "AWS"},
		{PrefixListID: "pl-99999999", PrefixListName: "com.amazonaws.eu-west-1.s3", OwnerID: "111122223333"}, // not AWS's
	}
	if rep, err = drift.Compare(p, e); err != nil {
		t.Fatal(err)
	}
	if rep.Unverifiable != 0 || len(rep.Findings) != 1 || rep.Findings[0].Kind != drift.Missing {
		t.Errorf("with the lists: unverifiable %d, findings %+v; want 0 and the missing rule from corp alone", rep.Unverifiable, rep.Findings)
	}
}

// TestForeignAccountShown: a rule opened by hand to a group of another
// account names the group as AWS does, with its account.
func TestForeignAccountShown(t *testing.T) {
	p := testkit.Compile(t, map[string][]byte{"p.intent": []byte("group web \"Web servers\"\nweb -> web tcp/443 because \"web calls web\"\n")})
	e, err := live.Parse([]byte(`{"SecurityGroups": [
 {"GroupId": "sg-00000000000000001", "GroupName": "web-1", "Description": "Web servers", "VpcId": "vpc-01234567", "OwnerId": "111111111111",
  "Tags": [{"Key": "Name", "Value": "web"}],
  "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "UserIdGroupPairs": [{"GroupId": "sg-00000000000000001", "Description": "web calls web"}, {"GroupId": "sg-0123456789abcdef0", "UserId": "222222222222", "Description": "monitoring"}]}],
  "IpPermissionsEgress": [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "UserIdGroupPairs": [{"GroupId": "sg-00000000000000001", "Description": "web calls web"}]}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := drift.Compare(p, e)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) != 1 || rep.Findings[0].Rule != "ingress tcp/443 from group 222222222222/sg-0123456789abcdef0" {
		t.Errorf("findings %+v, want the rule from the other account's group, with the account", rep.Findings)
	}
}
