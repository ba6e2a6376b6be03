package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	legacyState  = "../../account/tfstate/testdata/state.json"
	legacyExport = "../../account/importer/testdata/migrate/export.json"
)

// TestImportFromTerraform: import --from-terraform drafts the groups the
// state manages (no others), maps them for adoption, and writes removed
// blocks for every old address (a module of groups only, whole); what the
// state and the account disagree on is said before any plan. The real
// plan and apply are internal/realtools TestMigrateFromTerraform; the
// fixtures are the state and account that test made.
func TestImportFromTerraform(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "policy")
	r := run(t, "", "import", legacyExport, "--from-terraform", legacyState, "-o", dir)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	removed, err := os.ReadFile(filepath.Join(dir, "removed.tf.example"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"from = module.cache\n",
		"from = module.db.aws_security_group.this\n",
		"from = aws_security_group_rule.app_out_https\n",
		"from = aws_vpc_security_group_ingress_rule.app_from_lb\n",
		`module.db["main"].aws_security_group.this[0].id -> module.sg.security_group_ids["db"]`,
	} {
		if !strings.Contains(string(removed), want) {
			t.Errorf("removed.tf.example lacks %q:\n%s", want, removed)
		}
	}
	if strings.Count(string(removed), "removed {") != 12 {
		t.Errorf("%d removed blocks, want 12 (9 in the root, module.cache, 2 in module.db):\n%s", strings.Count(string(removed), "removed {"), removed)
	}
	mapping, _ := os.ReadFile(filepath.Join(dir, "vpc-f7ab813d86a0d2d71.adopt.hcl"))
	if strings.Count(string(mapping), "group \"") != 4 || strings.Count(string(mapping), "rule \"sgr-") != 14 {
		t.Errorf("mapping:\n%s", mapping)
	}
	if drafts, _ := filepath.Glob(filepath.Join(dir, "*.intent")); len(drafts) != 1 {
		t.Errorf("drafts %v: the other VPC's default group is not the state's", drafts)
	}
	if !strings.Contains(r.stderr, "module.db also manages 1 other resources") {
		t.Errorf("stderr:\n%s", r.stderr)
	}
	// The account and the state disagree: a rule gone from AWS, one
	// opened by hand.
	var export map[string]any
	data, _ := os.ReadFile(legacyExport)
	json.Unmarshal(data, &export)
	for _, g := range export["SecurityGroups"].([]any) {
		g := g.(map[string]any)
		if g["GroupName"] == "db" {
			g["IpPermissions"] = []any{}
		}
		if g["GroupName"] == "cache" {
			g["IpPermissionsEgress"] = []any{map[string]any{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": []any{map[string]any{"CidrIp": "192.0.2.0/24"}}}}
		}
	}
	edited := filepath.Join(t.TempDir(), "export.json")
	data, _ = json.Marshal(export)
	os.WriteFile(edited, data, 0o644)
	r = run(t, "", "import", edited, "--from-terraform", legacyState, "-o", filepath.Join(t.TempDir(), "p"))
	for _, want := range []string{
		`module.db["main"].aws_security_group_rule.ingress_with_source_security_group_id[0] manages ingress tcp/5432 group sg-560098601d5470d4a, which AWS does not have`,
		"group cache (sg-46425b8d72c1934af) has egress tcp/22 192.0.2.0/24 in AWS, which the Terraform state does not manage",
	} {
		if r.code != 0 || !strings.Contains(r.stderr, want) {
			t.Errorf("exit %d, want %q in:\n%s", r.code, want, r.stderr)
		}
	}
}

// TestImportFromTerraformRefuses: a document that is not a state, a state
// without groups, and a missing -o are exit 2, and nothing is written.
func TestImportFromTerraformRefuses(t *testing.T) {
	tmp := t.TempDir()
	write := func(name, src string) string {
		p := filepath.Join(tmp, name)
		os.WriteFile(p, []byte(src), 0o644)
		return p
	}
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"another format", []string{"--from-terraform", write("v2.json", `{"format_version": "2.0", "values": {}}`)}, `format_version "2.0"`},
		{"a raw tfstate", []string{"--from-terraform", write("raw.json", `{"version": 4, "resources": []}`)}, "run terraform show -json"},
		{"no groups", []string{"--from-terraform", write("none.json", `{"format_version": "1.0", "values": {"root_module": {}}}`)}, "manages no security groups"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(tmp, "out-"+tc.name)
			r := run(t, "", append([]string{"import", legacyExport, "-o", out}, tc.args...)...)
			if r.code != 2 || !strings.Contains(r.stderr, tc.want) {
				t.Errorf("exit %d, want 2 saying %q:\n%s", r.code, tc.want, r.stderr)
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("%s was written", out)
			}
		})
	}
	if r := run(t, "", "import", legacyExport, "--from-terraform", legacyState); r.code != 2 || !strings.Contains(r.stderr, "give -o DIR") {
		t.Errorf("without -o: exit %d\n%s", r.code, r.stderr)
	}
}
