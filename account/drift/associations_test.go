package drift_test

import (
	"strings"
	"testing"

	"github.com/sgc-dev/sgc/account/drift"
	"github.com/sgc-dev/sgc/account/live"
	"github.com/sgc-dev/sgc/internal/testkit"
)

// TestAssociations: with the associations in the export, a VPC the intent
// names and AWS does not serve is missing, one AWS serves and the intent
// does not name is unmanaged (both access drift), one being removed
// counts as gone; a VPC named by an input, or associations never read,
// are counted as not compared.
func TestAssociations(t *testing.T) {
	p := testkit.Compile(t, map[string][]byte{"p.intent": []byte(`group web "Web servers" also-in vpc-0000000000000000a, vpc-0000000000000000b
group api "API servers" also-in shared
web -> api tcp/443 because "web calls the API"
`)})
	const groups = `{"SecurityGroups": [
 {"GroupId": "sg-00000000000000001", "GroupName": "web-1", "Description": "Web servers", "VpcId": "vpc-01234567", "Tags": [{"Key": "Name", "Value": "web"}],
  "IpPermissions": [], "IpPermissionsEgress": [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "UserIdGroupPairs": [{"GroupId": "sg-00000000000000002", "Description": "web calls the API"}]}]},
 {"GroupId": "sg-00000000000000002", "GroupName": "api-1", "Description": "API servers", "VpcId": "vpc-01234567", "Tags": [{"Key": "Name", "Value": "api"}],
  "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "UserIdGroupPairs": [{"GroupId": "sg-00000000000000001", "Description": "web calls the API"}]}], "IpPermissionsEgress": []}]`
	e, err := live.Parse([]byte(groups + `,
 "SecurityGroupVpcAssociations": [
  {"GroupId": "sg-00000000000000001", "VpcId": "vpc-0000000000000000a", "State": "associated"},
  {"GroupId": "sg-00000000000000001", "VpcId": "vpc-0000000000000000b", "State": "disassociating"},
  {"GroupId": "sg-00000000000000001", "VpcId": "vpc-0000000000000000c", "State": "associated"},
  {"GroupId": "sg-00000000000000002", "VpcId": "vpc-0000000000000000d", "State": "associated"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := drift.Compare(p, e)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range rep.Findings {
		got = append(got, string(f.Kind)+" "+f.Group+" "+f.Rule)
	}
	want := "missing web serves vpc-0000000000000000b|unmanaged web serves vpc-0000000000000000c"
	if strings.Join(got, "|") != want || rep.Unverifiable != 2 {
		t.Errorf("findings %q, unverifiable %d; want %q and 2 (api's input VPC, and the live VPC it may be)", got, rep.Unverifiable, want)
	}

	// Without the associations in the export: nothing reported, each named VPC not compared.
	e, err = live.Parse([]byte(groups + "}"))
	if err != nil {
		t.Fatal(err)
	}
	if rep, err = drift.Compare(p, e); err != nil || len(rep.Findings) != 0 || rep.Unverifiable != 3 {
		t.Errorf("without associations: findings %+v, unverifiable %d, %v; want none and 3", rep.Findings, rep.Unverifiable, err)
	}
}
