package importer_test

import (
	"strings"
	"testing"

	"github.com/sgc-dev/sgc/account/importer"
	"github.com/sgc-dev/sgc/account/live"
)

// TestImportAssociations: a group associated with other VPCs is drafted
// with also-in, in order, each once; an association being removed is not.
func TestImportAssociations(t *testing.T) {
	e, err := live.Parse([]byte(`{"SecurityGroups": [
 {"GroupId": "sg-00000000000000001", "GroupName": "web", "Description": "Web servers", "VpcId": "vpc-01234567", "IpPermissions": [], "IpPermissionsEgress": []}],
 "SecurityGroupVpcAssociations": [
  {"GroupId": "sg-00000000000000001", "VpcId": "vpc-0000000000000000b", "State": "associated"},
  {"GroupId": "sg-00000000000000001", "VpcId": "vpc-0000000000000000a", "State": "associated"},
  {"GroupId": "sg-00000000000000001", "VpcId": "vpc-0000000000000000c", "State": "disassociating"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	drafts, err := importer.Import(e, importer.Options{})
	if err != nil || len(drafts) != 1 {
		t.Fatal(drafts, err)
	}
	src := string(drafts[0].Source)
	if !strings.Contains(src, `group web "Web servers" also-in vpc-0000000000000000a, vpc-0000000000000000b`) || strings.Contains(src, "vpc-0000000000000000c") {
		t.Errorf("draft:\n%s", src)
	}
}
