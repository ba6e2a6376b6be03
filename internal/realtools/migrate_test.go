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

// TestMigrateFromTerraform moves a configuration that manages security
// groups in every style of the wild (inline rules with IPv4 and IPv6, the
// one-rule resources, aws_security_group_rule with several CIDRs, self, a
// prefix list and no description, a module called with for_each that
// holds other resources, one called with count that holds only groups,
// count inside both) to sgc without replacing anything: applied to moto,
// its state read by sgc import --from-terraform, the security group code
// deleted, sgc's module, imports and removed blocks added. The plan must
// only import and forget (no create, no delete, no replace); once applied
// the account holds exactly the rules it held, under the same sgr- ids, a
// second plan is empty, and drift is clean.
func TestMigrateFromTerraform(t *testing.T) {
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
	vpc := motoserver.VPC(t, m.Client(), "10.40.0.0/16")
	root := t.TempDir()
	copyTree(t, "testdata/migrate/before", root)
	os.WriteFile(filepath.Join(root, "provider.tf"), []byte(provider), 0o644)
	os.WriteFile(filepath.Join(root, "terraform.tfvars"), []byte(fmt.Sprintf("vpc_id = %q\n", vpc)), 0o644)
	terraformRun(t, tf, root, "init", "-input=false", "-no-color")
	terraformRun(t, tf, root, "apply", "-input=false", "-no-color", "-auto-approve")

	before := liveRules(t, m, vpc)
	if len(before) != 14 {
		t.Fatalf("the legacy configuration made %d rules, want 14:\n%s", len(before), strings.Join(sortedKeys(before), "\n"))
	}
	state := filepath.Join(t.TempDir(), "state.json")
	os.WriteFile(state, terraformOutput(t, tf, root, "show", "-json"), 0o644)
	export := filepath.Join(t.TempDir(), "export.json")
	data, _ := json.Marshal(describeWithRules(t, m))
	os.WriteFile(export, data, 0o644)

	policy := filepath.Join(t.TempDir(), "policy")
	var stdout, stderr strings.Builder
	if code := cli.Main([]string{"import", export, "--vpc", vpc, "--from-terraform", state, "-o", policy}, strings.NewReader(""), &stdout, &stderr); code != 0 {
		t.Fatalf("import: exit %d\n%s", code, stderr.String())
	}
	t.Logf("import said:\n%s", stderr.String())
	removed, _ := os.ReadFile(filepath.Join(policy, "removed.tf.example"))
	t.Logf("removed.tf.example:\n%s", removed)
	for _, want := range []string{"module.cache holds only security groups", "module.db also manages 1 other resources"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("import does not say %q:\n%s", want, stderr.String())
		}
	}
	stderr.Reset()
	if code := cli.Main([]string{"build", policy, "-t", "terraform", "-o", filepath.Join(root, "sg")}, strings.NewReader(""), &stdout, &stderr); code != 0 {
		t.Fatalf("build: exit %d\n%s", code, stderr.String())
	}

	// The move: the security group code goes, sgc's module, its imports
	// and the removed blocks come.
	for _, f := range []string{"main.tf", "dbmod/main.tf"} {
		src, err := os.ReadFile(filepath.Join("testdata/migrate/after", f))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(root, f), src, 0o644)
	}
	os.RemoveAll(filepath.Join(root, "cachemod"))
	copyFile(t, filepath.Join(root, "sg", "imports.tf.example"), filepath.Join(root, "imports.tf"))
	copyFile(t, filepath.Join(policy, "removed.tf.example"), filepath.Join(root, "removed.tf"))
	terraformRun(t, tf, root, "get", "-no-color") // the new module; the provider is installed
	terraformRun(t, tf, root, "plan", "-input=false", "-no-color", "-out=move.plan")
	var plan struct {
		ResourceChanges []struct {
			Address string `json:"address"`
			Change  struct {
				Actions   []string        `json:"actions"`
				Importing json.RawMessage `json:"importing"`
			} `json:"change"`
		} `json:"resource_changes"`
	}
	if err := json.Unmarshal(terraformOutput(t, tf, root, "show", "-json", "move.plan"), &plan); err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for _, rc := range plan.ResourceChanges {
		actions := strings.Join(rc.Change.Actions, ",")
		switch {
		case actions == "forget":
			counts["forget"]++
		case rc.Change.Importing != nil && (actions == "no-op" || actions == "update"):
			counts["import"]++
			if actions == "update" {
				counts["update"]++
			}
		case actions == "no-op" && strings.HasPrefix(rc.Address, "module.db"):
			// the module's other resource, kept as it was
		default:
			t.Errorf("%s: %s (a move may only import, forget, or update an imported resource in place)", rc.Address, actions)
		}
	}
	// 13 resource instances of the old code; 4 groups and 14 rules of the new.
	if counts["forget"] != 13 || counts["import"] != 18 {
		t.Errorf("plan: %v, want 13 forgotten and 18 imported", counts)
	}
	t.Logf("plan: %v", counts)
	terraformRun(t, tf, root, "apply", "-input=false", "-no-color", "move.plan")

	after := liveRules(t, m, vpc)
	if !equalMaps(before, after) {
		t.Errorf("the rules in AWS changed:\nbefore\n%s\nafter\n%s", strings.Join(sortedKeys(before), "\n"), strings.Join(sortedKeys(after), "\n"))
	}
	// moto leaves the descriptions of group and prefix-list rules out of
	// what it reads back, so the second plan does not refresh.
	if out := terraformOutput(t, tf, root, "plan", "-input=false", "-no-color", "-refresh=false"); !strings.Contains(string(out), "No changes") {
		t.Errorf("a second plan has changes:\n%s", tail(string(out), 40))
	}
	data, _ = json.Marshal(describeWithRules(t, m))
	os.WriteFile(export, data, 0o644)
	stdout.Reset()
	stderr.Reset()
	if code := cli.Main([]string{"drift", policy, "--live", export, "--vpc", vpc}, strings.NewReader(""), &stdout, &stderr); code != 0 {
		t.Errorf("drift after the move: exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
}

// liveRules reads the rules of the VPC's groups: identity -> sgr- id.
func liveRules(t *testing.T, m *motoserver.Server, vpc string) map[string]string {
	t.Helper()
	e := describeWithRules(t, m)
	inVPC := map[string]bool{}
	for _, g := range e.SecurityGroups {
		inVPC[g.GroupID] = g.VpcID == vpc && g.GroupName != "default"
	}
	out := map[string]string{}
	for _, r := range e.SecurityGroupRules {
		if !inVPC[r.GroupID] {
			continue
		}
		if lr, ok := r.Rule(); ok {
			out[lr.Identity()] = r.ID
		}
	}
	return out
}

func sortedKeys(m map[string]string) []string {
	var out []string
	for k, v := range m {
		out = append(out, k+" "+v)
	}
	sort.Strings(out)
	return out
}

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// copyTree copies the files under src into dst.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		copyFile(t, path, filepath.Join(dst, rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o644); err != nil {
		t.Fatal(err)
	}
}
