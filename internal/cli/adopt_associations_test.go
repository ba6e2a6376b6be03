package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAdoptAssociations: a group that serves other VPCs is imported with
// also-in and its associations in the mapping, and the build adopts each
// association (a Terraform import block with the provider's "sg-…,vpc-…"
// id, a CloudFormation import by GroupId and VpcId) instead of creating
// it again, which AWS refuses. A live association the policy drops is
// said, not silently left.
func TestAdoptAssociations(t *testing.T) {
	export := `{"SecurityGroups": [
 {"GroupId": "sg-00000000000000001", "GroupName": "web", "Description": "Web servers", "VpcId": "vpc-01234567",
  "IpPermissions": [], "IpPermissionsEgress": []}],
 "SecurityGroupVpcAssociations": [
  {"GroupId": "sg-00000000000000001", "VpcId": "vpc-0000000000000000b", "State": "associated"},
  {"GroupId": "sg-00000000000000001", "VpcId": "vpc-0000000000000000a", "State": "associated"}]}`
	dir := t.TempDir()
	if r := run(t, export, "import", "-", "-o", dir); r.code != 0 {
		t.Fatalf("import: exit %d\n%s", r.code, r.stderr)
	}
	mapping, _ := os.ReadFile(filepath.Join(dir, "vpc-01234567.adopt.hcl"))
	if !strings.Contains(string(mapping), `associations = ["vpc-0000000000000000a", "vpc-0000000000000000b"]`) {
		t.Fatalf("mapping:\n%s", mapping)
	}
	tf := t.TempDir()
	if r := run(t, "", "build", dir, "-t", "terraform", "-o", tf); r.code != 0 {
		t.Fatalf("build terraform: exit %d\n%s", r.code, r.stderr)
	}
	imports, _ := os.ReadFile(filepath.Join(tf, "imports.tf.example"))
	for _, want := range []string{
		"to = module.sg.aws_vpc_security_group_vpc_association.web_in_vpc_0000000000000000a\n  id = \"sg-00000000000000001,vpc-0000000000000000a\"",
		"to = module.sg.aws_vpc_security_group_vpc_association.web_in_vpc_0000000000000000b\n  id = \"sg-00000000000000001,vpc-0000000000000000b\"",
	} {
		if !strings.Contains(string(imports), want) {
			t.Errorf("imports.tf.example lacks %q:\n%s", want, imports)
		}
	}
	cfn := t.TempDir()
	if r := run(t, "", "build", dir, "-t", "cloudformation", "-o", cfn); r.code != 0 {
		t.Fatalf("build cloudformation: exit %d\n%s", r.code, r.stderr)
	}
	toImport, _ := os.ReadFile(filepath.Join(cfn, "resources-to-import.json"))
	if !strings.Contains(string(toImport), `"ResourceType": "AWS::EC2::SecurityGroupVpcAssociation"`) ||
		!strings.Contains(string(toImport), `"GroupId": "sg-00000000000000001",`+"\n      "+`"VpcId": "vpc-0000000000000000a"`) {
		t.Errorf("resources-to-import.json:\n%s", toImport)
	}
	// The policy drops one VPC: its association is not imported, and the
	// build says the live one stays, with the command that ends it.
	intent := filepath.Join(dir, "vpc-01234567.intent")
	src, _ := os.ReadFile(intent)
	edited := strings.Replace(string(src), "also-in vpc-0000000000000000a, vpc-0000000000000000b", "also-in vpc-0000000000000000a", 1)
	if edited == string(src) {
		t.Fatalf("draft:\n%s", src)
	}
	os.WriteFile(intent, []byte(edited), 0o644)
	r := run(t, "", "build", dir, "-t", "terraform", "-o", tf)
	if r.code != 0 || !strings.Contains(r.stderr, "also serves vpc-0000000000000000b in AWS, which its also-in does not name") ||
		!strings.Contains(r.stderr, "disassociate-security-group-vpc --group-id sg-00000000000000001 --vpc-id vpc-0000000000000000b") {
		t.Errorf("build without one VPC: exit %d\n%s", r.code, r.stderr)
	}
	imports, _ = os.ReadFile(filepath.Join(tf, "imports.tf.example"))
	if strings.Contains(string(imports), "vpc-0000000000000000b") || !strings.Contains(string(imports), "vpc-0000000000000000a") {
		t.Errorf("imports.tf.example after the edit:\n%s", imports)
	}
}
