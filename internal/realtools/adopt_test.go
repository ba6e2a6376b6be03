package realtools

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/sgc-dev/sgc/internal/cli"
	"github.com/sgc-dev/sgc/internal/motoserver"
)

// TestAdoptExistingGroups: groups and rules made by hand (cross-group
// references, a self reference, IPv6, a prefix list, a rule without a
// description, a group whose name has a space) are imported, built and
// planned: Terraform only imports them (nothing added or destroyed; some
// updates in place, such as tags and descriptions), applies, and then has
// nothing left to do.
func TestAdoptExistingGroups(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: runs terraform")
	}
	tf := needTerraform(t)
	if _, err := os.Stat(pluginDir()); err != nil {
		t.Skipf("the provider mirror %s is missing", pluginDir())
	}
	t.Parallel()
	m := motoserver.Start(t)
	c := m.Client() // no environment: the test runs in parallel, reading the account through exports
	ctx := context.Background()
	vpc := motoserver.VPC(t, c, "10.7.0.0/16")
	// AWS's default allow-all egress would be adopted as an explicit flow,
	// and its description updated in place; moto 5.2 refuses
	// ModifySecurityGroupRules on an all-protocol rule ("Must specify both
	// from and to ports"), which AWS accepts. So the groups here start
	// without it.
	group := func(name, desc string) string { return motoserver.Group(t, c, vpc, name, desc, false) }
	lb, app, db := group("lb web", "Load balancer"), group("app", "Application servers"), group("db", "Databases")
	perm := func(proto string, port int32) ec2types.IpPermission {
		return ec2types.IpPermission{IpProtocol: aws.String(proto), FromPort: aws.Int32(port), ToPort: aws.Int32(port)}
	}
	ref := func(p ec2types.IpPermission, g, desc string) ec2types.IpPermission {
		p.UserIdGroupPairs = []ec2types.UserIdGroupPair{{GroupId: aws.String(g), Description: aws.String(desc)}}
		return p
	}
	in := func(g string, p ec2types.IpPermission) {
		if _, err := c.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String(g), IpPermissions: []ec2types.IpPermission{p}}); err != nil {
			t.Fatal(err)
		}
	}
	out := func(g string, p ec2types.IpPermission) {
		if _, err := c.AuthorizeSecurityGroupEgress(ctx, &ec2.AuthorizeSecurityGroupEgressInput{GroupId: aws.String(g), IpPermissions: []ec2types.IpPermission{p}}); err != nil {
			t.Fatal(err)
		}
	}
	https := perm("tcp", 443)
	https.IpRanges = []ec2types.IpRange{{CidrIp: aws.String("0.0.0.0/0"), Description: aws.String("clients over HTTPS")}}
	https.Ipv6Ranges = []ec2types.Ipv6Range{{CidrIpv6: aws.String("::/0"), Description: aws.String("clients over HTTPS")}}
	in(lb, https)
	out(lb, ref(perm("tcp", 8080), app, "the LB forwards requests"))
	in(app, ref(perm("tcp", 8080), lb, "the LB forwards requests"))
	out(app, ref(perm("tcp", 5432), db, "")) // no description
	in(db, ref(perm("tcp", 5432), app, ""))
	out(db, ref(perm("tcp", 7000), db, "replication"))
	in(db, ref(perm("tcp", 7000), db, "replication"))
	s3 := perm("tcp", 443)
	s3.PrefixListIds = []ec2types.PrefixListId{{PrefixListId: aws.String("pl-63a5400a"), Description: aws.String("S3 gateway endpoint")}}
	out(app, s3)
	// A rule the team will not keep, and a tag of another team's.
	legacy := perm("tcp", 9999)
	legacy.IpRanges = []ec2types.IpRange{{CidrIp: aws.String("198.51.100.0/24"), Description: aws.String("legacy reporting")}}
	out(app, legacy)
	if _, err := c.CreateTags(ctx, &ec2.CreateTagsInput{Resources: []string{db}, Tags: []ec2types.Tag{{Key: aws.String("team"), Value: aws.String("data")}}}); err != nil {
		t.Fatal(err)
	}

	root := t.TempDir()
	policyDir := filepath.Join(root, "policy")
	var stdout, stderr strings.Builder
	exportFile := func() string {
		data, err := json.Marshal(describeWithRules(t, m))
		if err != nil {
			t.Fatal(err)
		}
		f := filepath.Join(t.TempDir(), "export.json")
		os.WriteFile(f, data, 0o644)
		return f
	}
	if code := cli.Main([]string{"import", exportFile(), "--vpc", vpc, "-o", policyDir}, strings.NewReader(""), &stdout, &stderr); code != 0 {
		t.Fatalf("import: exit %d\n%s", code, stderr.String())
	}
	// The team drops the legacy rule from the draft: the build says,
	// before the apply, that the rule stays open, and how to revoke it.
	drafts, _ := filepath.Glob(filepath.Join(policyDir, "*.intent"))
	editDrafts := func(drop string) {
		for _, d := range drafts {
			data, _ := os.ReadFile(d)
			var kept []string
			for _, line := range strings.Split(string(data), "\n") {
				if !strings.Contains(line, drop) {
					kept = append(kept, line)
				}
			}
			os.WriteFile(d, []byte(strings.Join(kept, "\n")), 0o644)
		}
	}
	editDrafts("tcp/9999")
	stderr.Reset()
	if code := cli.Main([]string{"build", policyDir, "-t", "terraform", "-o", filepath.Join(root, "sg")}, strings.NewReader(""), &stdout, &stderr); code != 0 {
		t.Fatalf("build: exit %d\n%s", code, stderr.String())
	}
	if !strings.Contains(stderr.String(), "the apply leaves it open") || !strings.Contains(stderr.String(), "revoke-security-group-egress") {
		t.Errorf("the build does not say that the dropped live rule stays open:\n%s", stderr.String())
	}
	checkCloudFormationAdoption(t, policyDir)
	imports, err := os.ReadFile(filepath.Join(root, "sg", "imports.tf.example"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(root, "imports.tf"), imports, 0o644)
	useEndpoint(t, m.Endpoint)
	main := provider + fmt.Sprintf("\nmodule \"sg\" {\n  source = \"./sg\"\n  vpc_id = %q\n}\n", vpc)
	os.WriteFile(filepath.Join(root, "main.tf"), []byte(main), 0o644)

	terraformRun(t, tf, root, "init", "-input=false", "-no-color")
	terraformRun(t, tf, root, "plan", "-input=false", "-no-color", "-out=adopt.plan")
	var plan struct {
		ResourceChanges []struct {
			Address string `json:"address"`
			Change  struct {
				Actions   []string `json:"actions"`
				Importing *struct {
					ID string `json:"id"`
				} `json:"importing"`
			} `json:"change"`
		} `json:"resource_changes"`
	}
	if err := json.Unmarshal(terraformOutput(t, tf, root, "show", "-json", "adopt.plan"), &plan); err != nil {
		t.Fatal(err)
	}
	imported, updated := 0, 0
	for _, rc := range plan.ResourceChanges {
		actions := strings.Join(rc.Change.Actions, ",")
		switch {
		case rc.Change.Importing == nil:
			t.Errorf("%s is not imported: %s", rc.Address, actions)
		case actions == "no-op":
			imported++
		case actions == "update":
			imported++
			updated++
		default:
			t.Errorf("%s: %s (an adopted resource may only be imported, or updated in place)", rc.Address, actions)
		}
	}
	if imported == 0 {
		t.Fatal("nothing imported")
	}
	t.Logf("plan: %d to import (%d of them updated in place), 0 to add, 0 to destroy", imported, updated)
	terraformRun(t, tf, root, "apply", "-input=false", "-no-color", "adopt.plan")
	// moto leaves the descriptions of group and prefix-list rules out of
	// what it reads back, so the second plan does not refresh.
	if plan := terraformOutput(t, tf, root, "plan", "-input=false", "-no-color", "-refresh=false", "-detailed-exitcode"); !strings.Contains(string(plan), "No changes") {
		t.Errorf("a second plan has changes:\n%s", plan)
	}
	// The other team's tag is still on the database group.
	dg, err := c.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{db}})
	if err != nil || len(dg.SecurityGroups) != 1 {
		t.Fatal(err)
	}
	tagged := false
	for _, tag := range dg.SecurityGroups[0].Tags {
		tagged = tagged || (aws.ToString(tag.Key) == "team" && aws.ToString(tag.Value) == "data")
	}
	if !tagged {
		t.Errorf("adoption dropped the group's tag team=data: %v", dg.SecurityGroups[0].Tags)
	}
	// The account has no drift from the adopted policy but the rule the
	// build said stays open.
	stdout.Reset()
	stderr.Reset()
	code := cli.Main([]string{"drift", policyDir, "--live", exportFile(), "--vpc", vpc, "--fail-on", "any"}, strings.NewReader(""), &stdout, &stderr)
	if code != 1 || strings.Count(stdout.String(), "unmanaged") != 2 || !strings.Contains(stdout.String(), "tcp/9999") {
		t.Errorf("drift after adoption: exit %d, want the dropped rule alone\n%s%s", code, stdout.String(), stderr.String())
	}
	// Later the team removes an adopted flow. As imports.tf says, it goes
	// once applied; without it the next plan destroys just those rules.
	editDrafts("replication")
	stderr.Reset()
	if code := cli.Main([]string{"build", policyDir, "-t", "terraform", "-o", filepath.Join(root, "sg")}, strings.NewReader(""), &stdout, &stderr); code != 0 {
		t.Fatalf("build without the replication flow: exit %d\n%s", code, stderr.String())
	}
	if !strings.Contains(string(imports), "Then delete imports.tf") {
		t.Errorf("imports.tf does not say to delete it once applied")
	}
	os.Remove(filepath.Join(root, "imports.tf"))
	later := string(terraformOutput(t, tf, root, "plan", "-input=false", "-no-color", "-refresh=false"))
	if !strings.Contains(later, "0 to add, 0 to change, 2 to destroy") {
		t.Errorf("the plan after removing an adopted flow:\n%s", later)
	}
}

// checkCloudFormationAdoption builds the adopted policy for CloudFormation:
// an IMPORT template with exactly the adopted resources (each with
// DeletionPolicy Retain, the groups with their AWS names), a
// resources-to-import file naming each by its sg- or sgr- id, and both
// templates clean under cfn-lint. moto cannot run IMPORT change sets, so
// this is as far as the emulator goes.
func checkCloudFormationAdoption(t *testing.T, policyDir string) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "cfn")
	var stdout, stderr strings.Builder
	if code := cli.Main([]string{"build", policyDir, "-t", "cloudformation", "--format", "json", "-o", out}, strings.NewReader(""), &stdout, &stderr); code != 0 {
		t.Fatalf("build -t cloudformation: exit %d\n%s", code, stderr.String())
	}
	var tpl struct {
		Resources map[string]struct {
			Type           string         `json:"Type"`
			DeletionPolicy string         `json:"DeletionPolicy"`
			Properties     map[string]any `json:"Properties"`
		} `json:"Resources"`
		Outputs map[string]any `json:"Outputs"`
	}
	data, err := os.ReadFile(filepath.Join(out, "template-import.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &tpl); err != nil {
		t.Fatal(err)
	}
	var toImport []struct {
		ResourceType       string            `json:"ResourceType"`
		LogicalResourceID  string            `json:"LogicalResourceId"`
		ResourceIdentifier map[string]string `json:"ResourceIdentifier"`
	}
	data, err = os.ReadFile(filepath.Join(out, "resources-to-import.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &toImport); err != nil {
		t.Fatal(err)
	}
	if len(toImport) != len(tpl.Resources) || len(toImport) != 12 || len(tpl.Outputs) != 0 {
		t.Errorf("%d resources to import, %d in the IMPORT template (want 12 each, no outputs)", len(toImport), len(tpl.Resources))
	}
	names := map[string]bool{}
	for _, e := range toImport {
		res, ok := tpl.Resources[e.LogicalResourceID]
		id := e.ResourceIdentifier["Id"]
		if !ok || res.Type != e.ResourceType || res.DeletionPolicy != "Retain" || !(strings.HasPrefix(id, "sg-") || strings.HasPrefix(id, "sgr-")) {
			t.Errorf("resource to import %+v does not match the IMPORT template (%+v)", e, res)
		}
		if n, ok := res.Properties["GroupName"].(string); ok {
			names[n] = true
		}
	}
	if !names["lb web"] {
		t.Errorf("the adopted group does not keep its AWS name: %v", names)
	}
	if _, err := exec.LookPath("cfn-lint"); err == nil {
		findings, err := runCfnLint(t, "cfn-lint", []string{filepath.Join(out, "template.json"), filepath.Join(out, "template-import.json")})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range findings {
			t.Errorf("%s:%d: %s %s", filepath.Base(f.Filename), f.Location.Start.LineNumber, f.Rule.ID, f.Message)
		}
	}
}
