package terraform_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/emit"
	"github.com/sgc-dev/sgc/emit/terraform"
	"github.com/sgc-dev/sgc/internal/testkit"
	"github.com/sgc-dev/sgc/internal/testproc"
)

// pluginDir holds the hashicorp/aws provider for offline runs.
func pluginDir() string { return testkit.PluginDir() }

const provider = `provider "aws" {
  region                      = "us-east-1"
  access_key                  = "AKIAEXAMPLEEXAMPLE00"
  secret_key                  = "not-a-secret-offline-plans-only"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}
`

// TestTerraform runs the real terraform init and plan (which validates) on the
// generated module of every golden case, fully offline: one root module
// calls them all, so that terraform and its 700 MB provider start three
// times in all rather than three times a case. It needs terraform and the
// provider in pluginDir; without them it is skipped, except in CI
// (SGC_REQUIRE_TERRAFORM=1), where it fails.
func TestTerraform(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("slow: runs terraform")
	}
	tf := testkit.NeedTerraform(t, "SGC_REQUIRE_TERRAFORM")
	dir := t.TempDir()
	root := provider
	want := 0
	var purposes []string
	paths, _ := filepath.Glob("testdata/*.txtar")
	for _, path := range paths {
		name := strings.TrimSuffix(filepath.Base(path), ".txtar")
		a, err := txtar.ParseFile(path)
		if err != nil {
			t.Fatal(err)
		}
		prog, files := build(t, intents(a), emit.Options{})
		if slices.ContainsFunc(prog.PrefixLists, func(l *model.PrefixList) bool { return l.Managed != "" }) {
			// Its data sources look AWS up even in a plan: applied to the
			// emulator in internal/realtools (TestTerraformApply) instead.
			continue
		}
		if _, err := emit.WriteDir(filepath.Join(dir, name), terraform.Target, files); err != nil {
			t.Fatal(err)
		}
		root += fmt.Sprintf("\nmodule %q {\n  source = \"./%s\"\n  vpc_id = \"vpc-0123456789abcdef0\"\n", strings.ReplaceAll(name, "-", "_"), name)
		for _, e := range prog.Externals {
			if e.ID == "" {
				root += "  " + strings.ReplaceAll(e.Name, "-", "_") + "_security_group_id = \"sg-0fedcba9876543210\"\n"
			}
		}
		for _, input := range prog.VPCInputs() {
			root += "  " + terraform.VPCVariable(input) + " = \"vpc-0fedcba9876543210\"\n"
		}
		root += "}\n"
		want += len(prog.Groups) + len(prog.Rules)
		for _, g := range prog.Groups {
			want += len(g.AlsoIn) // an association with each other VPC
		}
		for _, f := range prog.Flows {
			purposes = append(purposes, f.Purpose)
		}
	}
	write(t, filepath.Join(dir, "main.tf"), root)
	write(t, filepath.Join(dir, "cli.tfrc"), `provider_installation {
  filesystem_mirror {
    path    = "`+pluginDir()+`"
    include = ["registry.terraform.io/hashicorp/aws"]
  }
  direct {
    exclude = ["registry.terraform.io/hashicorp/aws"]
  }
}
`)
	env := append(os.Environ(), "TF_CLI_CONFIG_FILE="+filepath.Join(dir, "cli.tfrc"), "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1")
	run := func(args ...string) string {
		cmd := testproc.Command(t, tf, args...)
		cmd.Dir, cmd.Env = dir, env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("terraform %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	run("init", "-input=false", "-no-color")
	// (No separate validate: plan validates the configuration first, and
	// each command costs a few seconds of loading the provider's schema.)
	plan := run("plan", "-refresh=false", "-input=false", "-no-color")
	if !strings.Contains(plan, "Plan: "+strconv.Itoa(want)+" to add, 0 to change, 0 to destroy.") {
		t.Fatalf("plan does not add %d resources:\n%s", want, plan)
	}
	// Descriptions reach AWS literally, template sequences included.
	for _, p := range purposes {
		if !strings.Contains(plan, `"`+p+`"`) {
			t.Errorf("plan lacks the literal description %q", p)
		}
	}
}

func write(t *testing.T, path, data string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}
