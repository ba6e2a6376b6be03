package realtools

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/sgc-dev/sgc/emit"
	"github.com/sgc-dev/sgc/internal/cli"
	"github.com/sgc-dev/sgc/internal/motoserver"
)

// TestMigrateFromCloudFormation: a stack that manages groups beside other
// resources (an inline rule, a SecurityGroupIngress referencing a group,
// references from other resources and an output) is deployed to moto, and
// sgc import --from-cloudformation reads its get-template and
// describe-stack-resources with the account. Every template written, the
// stack's two and sgc's IMPORT and update, is clean under cfn-lint; the
// Retain template changes no resource (the change set, worked out as
// CloudFormation does from the official schemas, is empty), and the
// release template replaces none, only removes the security group
// resources (retained); the IMPORT names exactly the stack's groups by
// their ids. moto has no IMPORT change set, so the import itself is not
// run.
func TestMigrateFromCloudFormation(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: runs cfn-lint")
	}
	cfnLint := need(t, "cfn-lint")
	schemas := createOnly(t)
	t.Parallel()
	m := motoserver.Start(t)
	vpc := motoserver.VPC(t, m.Client(), "10.60.0.0/16")
	legacy, err := os.ReadFile("../../account/cfnstack/testdata/legacy.yaml")
	if err != nil {
		t.Fatal(err)
	}
	// moto does not know the VPC endpoint's service: the stack here keeps
	// the queue, which references the groups as well.
	tpl := string(legacy)
	tpl = tpl[:strings.Index(tpl, "  Endpoint:")] + tpl[strings.Index(tpl, "Outputs:"):]
	var deployed struct {
		Template  json.RawMessage `json:"template"`
		Resources json.RawMessage `json:"resources"`
	}
	(&moto{endpoint: m.Endpoint}).python(t, "cfn-deploy", map[string]string{"stack": "legacy", "template": tpl, "vpc": vpc}, &deployed)
	tmp := t.TempDir()
	files := map[string][]byte{"template.json": deployed.Template, "resources.json": deployed.Resources}
	for name, data := range files {
		os.WriteFile(filepath.Join(tmp, name), data, 0o644)
	}
	export, _ := json.Marshal(describeWithRules(t, m))
	os.WriteFile(filepath.Join(tmp, "export.json"), export, 0o644)

	policy := filepath.Join(tmp, "policy")
	var stdout, stderr strings.Builder
	if code := cli.Main([]string{"import", filepath.Join(tmp, "export.json"), "--vpc", vpc, "--from-cloudformation", filepath.Join(tmp, "template.json"),
		"--stack-resources", filepath.Join(tmp, "resources.json"), "-o", policy}, strings.NewReader(""), &stdout, &stderr); code != 0 {
		t.Fatalf("import: exit %d\n%s", code, stderr.String())
	}
	t.Logf("import said:\n%s", stderr.String())
	out := filepath.Join(tmp, "cfn")
	stderr.Reset()
	if code := cli.Main([]string{"build", policy, "-t", "cloudformation", "-o", out}, strings.NewReader(""), &stdout, &stderr); code != 0 {
		t.Fatalf("build: exit %d\n%s", code, stderr.String())
	}
	paths := []string{filepath.Join(policy, "legacy.retain.yaml"), filepath.Join(policy, "legacy.release.yaml"),
		filepath.Join(out, "template-import.yaml"), filepath.Join(out, "template.yaml")}
	// The stack's own template has what cfn-lint warns of (a DependsOn a
	// reference already enforces): the Retain template may have that, and
	// nothing more; the others nothing.
	original := filepath.Join(tmp, "legacy.yaml")
	os.WriteFile(original, []byte(tpl), 0o644)
	own := map[string]bool{}
	findings, err := runCfnLint(t, cfnLint, append([]string{original}, paths...))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range findings {
		if strings.HasSuffix(f.Filename, "legacy.yaml") {
			own[f.Rule.ID+" "+f.Message] = true
		}
	}
	for _, f := range findings {
		if !strings.HasSuffix(f.Filename, "legacy.yaml") && !(strings.HasSuffix(f.Filename, "retain.yaml") && own[f.Rule.ID+" "+f.Message]) {
			t.Errorf("cfn-lint: %s: %s %s", f.Filename, f.Rule.ID, f.Message)
		}
	}
	read := func(path string) emit.File {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return emit.File{Path: "template.yaml", Data: data}
	}
	old := readStacks(t, []emit.File{{Path: "template.yaml", Data: []byte(tpl)}}, false)
	if plan := changeSet(t, schemas, old, readStacks(t, []emit.File{read(paths[0])}, false)); len(plan.Create)+len(plan.Update)+len(plan.Replace)+len(plan.Destroy) > 0 {
		t.Errorf("the Retain template changes resources:\n%s", planString(plan))
	}
	// The release: what CloudFormation evaluates, each reference to a
	// released group resolved to the group's id (worked out here on the
	// decoded template, apart from the rewriting sgc does), is unchanged
	// for every resource that stays; the security group resources go.
	var stack struct {
		StackResources []struct{ LogicalResourceId, PhysicalResourceId, ResourceType string }
	}
	json.Unmarshal(deployed.Resources, &stack)
	physical := map[string]string{}
	for _, r := range stack.StackResources {
		if r.ResourceType == "AWS::EC2::SecurityGroup" {
			physical[r.LogicalResourceId] = r.PhysicalResourceId
		}
	}
	released := readStacks(t, []emit.File{read(paths[1])}, false)
	for addr, o := range old.res {
		n, ok := released.res[addr]
		switch {
		case strings.HasPrefix(o.typ, "AWS::EC2::SecurityGroup"):
			if ok {
				t.Errorf("the release template keeps %s", addr)
			}
		case !ok:
			t.Errorf("the release template drops %s", addr)
		case !reflect.DeepEqual(resolveGroups(o.props, physical), n.props):
			t.Errorf("%s changes: %v, was %v", addr, n.props, resolveGroups(o.props, physical))
		}
	}
	if len(released.res) != 1 {
		t.Errorf("the release template holds %d resources, want the queue", len(released.res))
	}
	toImport, _ := os.ReadFile(filepath.Join(out, "resources-to-import.json"))
	var entries []struct {
		ResourceType       string
		ResourceIdentifier map[string]string
	}
	json.Unmarshal(toImport, &entries)
	ids := map[string]bool{}
	primary := primaryIdentifiers(t)
	for _, e := range entries {
		if e.ResourceType == "AWS::EC2::SecurityGroup" {
			ids[e.ResourceIdentifier["Id"]] = true
		}
		var keys []string
		for k := range e.ResourceIdentifier {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		if want := primary[e.ResourceType]; strings.Join(keys, ",") != want {
			t.Errorf("%s is imported by %v; its schema's primaryIdentifier is %s", e.ResourceType, keys, want)
		}
	}
	for _, r := range stack.StackResources {
		if r.ResourceType == "AWS::EC2::SecurityGroup" && !ids[r.PhysicalResourceId] {
			t.Errorf("the IMPORT does not adopt %s (%s):\n%s", r.LogicalResourceId, r.PhysicalResourceId, toImport)
		}
	}
	if len(ids) != 2 {
		t.Errorf("the IMPORT adopts %d groups, want the stack's 2:\n%s", len(ids), toImport)
	}
}

// resolveGroups evaluates, in a decoded template value, the references to
// the groups ids names (logical id -> sg- id) as CloudFormation does: Ref
// and Fn::GetAtt GroupId give the id, and so do ${X} and ${X.GroupId} in
// Fn::Sub.
func resolveGroups(v any, ids map[string]string) any {
	switch v := v.(type) {
	case map[string]any:
		if ref, ok := v["Ref"].(string); ok && len(v) == 1 && ids[ref] != "" {
			return ids[ref]
		}
		if att, ok := v["Fn::GetAtt"].([]any); ok && len(v) == 1 && len(att) == 2 && att[1] == "GroupId" {
			if id := ids[att[0].(string)]; id != "" {
				return id
			}
		}
		if sub, ok := v["Fn::Sub"].(string); ok && len(v) == 1 {
			for name, id := range ids {
				sub = strings.ReplaceAll(sub, "${"+name+"}", id)
				sub = strings.ReplaceAll(sub, "${"+name+".GroupId}", id)
			}
			return map[string]any{"Fn::Sub": sub}
		}
		out := map[string]any{}
		for k, x := range v {
			out[k] = resolveGroups(x, ids)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = resolveGroups(x, ids)
		}
		return out
	}
	return v
}

// primaryIdentifiers reads each security group resource type's
// primaryIdentifier from the official schemas: the keys an IMPORT names a
// resource by, sorted and joined.
func primaryIdentifiers(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	for typ, name := range map[string]string{
		"AWS::EC2::SecurityGroup":               "aws-ec2-securitygroup.json",
		"AWS::EC2::SecurityGroupIngress":        "aws-ec2-securitygroupingress.json",
		"AWS::EC2::SecurityGroupEgress":         "aws-ec2-securitygroupegress.json",
		"AWS::EC2::SecurityGroupVpcAssociation": "aws-ec2-securitygroupvpcassociation.json",
	} {
		data, err := os.ReadFile(filepath.Join("..", "..", "..", "shared", "schemas", "cloudformation", name))
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Primary []string `json:"primaryIdentifier"`
		}
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		var keys []string
		for _, p := range doc.Primary {
			keys = append(keys, strings.TrimPrefix(p, "/properties/"))
		}
		sort.Strings(keys)
		out[typ] = strings.Join(keys, ",")
	}
	return out
}
