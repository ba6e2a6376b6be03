package realtools

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/sgc-dev/sgc/internal/cli"
	"github.com/sgc-dev/sgc/internal/motoserver"
)

// TestAdoptAssociationImportID: the import block sgc writes for a VPC
// association it adopts carries the id in the form the provider parses.
// moto 5.2 has no security group VPC association API, so the plan cannot
// finish: what it proves is that the provider accepted the id and went
// to AWS for the association (DescribeSecurityGroupVpcAssociations),
// where a wrong form stops it before any call ("Unexpected Import
// Identifier"), and that the adopted group beside it imports.
func TestAdoptAssociationImportID(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: runs terraform")
	}
	tf := needTerraform(t)
	if _, err := os.Stat(pluginDir()); err != nil {
		t.Skipf("the provider mirror %s is missing", pluginDir())
	}
	t.Parallel()
	m := motoserver.Start(t)
	useEndpoint(t, m.Endpoint)
	c := m.Client() // no environment: the test runs in parallel
	vpc := motoserver.VPC(t, c, "10.8.0.0/16")
	other := motoserver.VPC(t, c, "10.9.0.0/16")
	web := motoserver.Group(t, c, vpc, "web", "Web servers", false)
	root := t.TempDir()
	policy := filepath.Join(root, "policy")
	os.MkdirAll(policy, 0o755)
	os.WriteFile(filepath.Join(policy, "p.intent"), []byte(fmt.Sprintf("group web \"Web servers\" also-in %s\n", other)), 0o644)
	os.WriteFile(filepath.Join(policy, "p.adopt.hcl"), []byte(fmt.Sprintf("group \"web\" {\n  id = %q\n  associations = [%q]\n}\n", web, other)), 0o644)
	var stdout, stderr strings.Builder
	if code := cli.Main([]string{"build", policy, "-t", "terraform", "-o", filepath.Join(root, "sg")}, strings.NewReader(""), &stdout, &stderr); code != 0 {
		t.Fatalf("build: exit %d\n%s", code, stderr.String())
	}
	imports, err := os.ReadFile(filepath.Join(root, "sg", "imports.tf.example"))
	if err != nil || !strings.Contains(string(imports), web+","+other) {
		t.Fatalf("imports.tf.example (%v):\n%s", err, imports)
	}
	// The CloudFormation side: the IMPORT adopts the association by its
	// schema's primary identifier, GroupId and VpcId.
	cfn := filepath.Join(root, "cfn")
	if code := cli.Main([]string{"build", policy, "-t", "cloudformation", "-o", cfn}, strings.NewReader(""), &stdout, &stderr); code != 0 {
		t.Fatalf("build cloudformation: exit %d\n%s", code, stderr.String())
	}
	toImport, _ := os.ReadFile(filepath.Join(cfn, "resources-to-import.json"))
	var entries []struct {
		ResourceType       string
		ResourceIdentifier map[string]string
	}
	if err := json.Unmarshal(toImport, &entries); err != nil || len(entries) != 2 || entries[1].ResourceIdentifier["VpcId"] != other {
		t.Errorf("resources-to-import.json (%v):\n%s", err, toImport)
	}
	primary := primaryIdentifiers(t)
	for _, e := range entries {
		var keys []string
		for k := range e.ResourceIdentifier {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		if strings.Join(keys, ",") != primary[e.ResourceType] {
			t.Errorf("%s is imported by %v; its schema's primaryIdentifier is %s", e.ResourceType, keys, primary[e.ResourceType])
		}
	}
	// (cfn-lint checks an adopted association's templates in TestCfnLint.)
	os.WriteFile(filepath.Join(root, "imports.tf"), imports, 0o644)
	// moto answers the association API with HTTP 500, which the SDK
	// retries for minutes unless told not to.
	withRetries := strings.Replace(provider, "  skip_metadata_api_check     = true\n", "  skip_metadata_api_check     = true\n  max_retries                 = 1\n", 1)
	main := withRetries + fmt.Sprintf("\nmodule \"sg\" {\n  source = \"./sg\"\n  vpc_id = %q\n}\n", vpc)
	os.WriteFile(filepath.Join(root, "main.tf"), []byte(main), 0o644)
	terraformRun(t, tf, root, "init", "-input=false", "-no-color")
	out, msg, err := terraformTry(t, tf, root, "plan", "-input=false", "-no-color")
	all := string(out) + msg
	switch {
	case strings.Contains(all, "Unexpected Import Identifier"):
		t.Fatalf("the provider refuses the association's import id:\n%s", tail(all, 30))
	case err == nil:
		// An emulator that has the API: the association is imported.
		if !strings.Contains(all, "aws_vpc_security_group_vpc_association.web_in_") || !strings.Contains(all, "0 to add") {
			t.Errorf("plan:\n%s", tail(all, 40))
		}
	case !strings.Contains(all, "DescribeSecurityGroupVpcAssociations"):
		t.Fatalf("the plan failed before reading the association:\n%s", tail(all, 30))
	}
	if strings.Contains(all, "aws_security_group.web: Preparing import") && strings.Contains(all, "Error: reading Security Group") {
		t.Errorf("the adopted group does not import:\n%s", tail(all, 30))
	}
}
