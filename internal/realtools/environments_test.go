package realtools

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sgc-dev/sgc/compiler"
	"github.com/sgc-dev/sgc/internal/cli"
	"github.com/sgc-dev/sgc/internal/motoserver"
	"github.com/sgc-dev/sgc/internal/ruleset"
	"github.com/sgc-dev/sgc/internal/testkit"
	"github.com/sgc-dev/sgc/load"
)

// envPolicy has two environments of moto's account and Region; the
// groups and addresses differ between them as they do in life.
const envPolicy = `environment staging    "Staging"    account 123456789012 region us-east-1
environment production "Production" account 123456789012 region us-east-1

group web "Web servers"
group db "Databases"
group bastion "Bastion hosts" in staging
network office 203.0.113.0/24 "Head office"
network partner 198.51.100.0/24 "Partner API" in production
network vpc 10.81.0.0/16 "Staging VPC" in staging
network vpc 10.82.0.0/16 "Production VPC" in production

office  -> bastion tcp/22  because "engineers reach the bastion" in staging
bastion -> db      tcp/5432 because "engineers query the data" in staging
partner -> web     tcp/443 because "partner callbacks" in production
vpc     -> web     tcp/443 because "internal clients"
web     -> db      tcp/5432 because "the site reads its data"
never internet -> db because "the data stays inside"
never staging -> production because "an environment never reaches another"
`

// envRoot is the root module of the docs: one aliased provider and one
// module block per environment.
const envRoot = `terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

%s
%s`

const envProvider = `provider "aws" {
  alias                       = %q
  region                      = "us-east-1"
  access_key                  = "testing"
  secret_key                  = "testing"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  endpoints {
    ec2 = %q
    sts = %q
  }
}
`

const envModule = `module "sg_%s" {
  source    = "./sg/%s"
  providers = { aws = aws.%s }
  vpc_id    = %q
}
`

// TestEnvironments applies a two-environment policy as two module
// instances in two VPCs with the real Terraform: each VPC then holds
// exactly its environment's rules, drift --env is clean for each, the
// modules' checks of their account and Region pass (their data sources
// read moto's), and adding a third environment changes nothing in the
// first two (their files are byte-identical and the plan is empty). That
// a module refuses another account's provider was seen once by hand
// (Resource postcondition failed, with the module's message) and is not
// repeated here: each terraform command costs the suite seconds.
func TestEnvironments(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: runs terraform")
	}
	tf := needTerraform(t)
	if _, err := os.Stat(pluginDir()); err != nil {
		t.Skipf("the provider mirror %s is missing", pluginDir())
	}
	t.Parallel()
	m := motoserver.Start(t)
	vpcs := map[string]string{
		"staging":    motoserver.VPC(t, m.Client(), "10.81.0.0/16"),
		"production": motoserver.VPC(t, m.Client(), "10.82.0.0/16"),
	}
	policy := filepath.Join(t.TempDir(), "policy")
	os.MkdirAll(policy, 0o755)
	os.WriteFile(filepath.Join(policy, "policy.intent"), []byte(envPolicy), 0o644)
	root := t.TempDir()
	sgc := func(args ...string) string {
		t.Helper()
		var stdout, stderr strings.Builder
		if code := cli.Main(args, strings.NewReader(""), &stdout, &stderr); code != 0 {
			t.Fatalf("sgc %s: exit %d\n%s%s", strings.Join(args, " "), code, stdout.String(), stderr.String())
		}
		return stdout.String()
	}
	sgc("build", policy, "-t", "terraform", "-o", filepath.Join(root, "sg"))
	writeRoot := func(envs ...string) {
		var providers, modules strings.Builder
		for _, e := range envs {
			fmt.Fprintf(&providers, envProvider, e, m.Endpoint, m.Endpoint)
			fmt.Fprintf(&modules, envModule, e, e, e, vpcs[e])
		}
		os.WriteFile(filepath.Join(root, "main.tf"), []byte(fmt.Sprintf(envRoot, providers.String(), modules.String())), 0o644)
	}
	writeRoot("staging", "production")
	terraformRun(t, tf, root, "init", "-input=false", "-no-color")
	terraformRun(t, tf, root, "apply", "-auto-approve", "-input=false", "-no-color")

	p, err := load.Load([]string{policy}, compiler.Options{Now: testkit.Now})
	if err != nil || p.Diags.HasErrors() {
		t.Fatalf("load: %v %v", err, p.Diags)
	}
	ex := describeWithRules(t, m)
	export := filepath.Join(t.TempDir(), "export.json")
	data, _ := json.Marshal(ex)
	os.WriteFile(export, data, 0o644)
	for _, env := range p.Envs {
		managed := map[string]bool{}
		for _, g := range env.Program.Groups {
			managed[g.Name] = true
		}
		got, problems := ruleset.FromLive(ex, vpcs[env.Name], managed, nil)
		if len(problems) > 0 {
			t.Fatalf("%s: the account holds rules sgc cannot read: %v", env.Name, problems)
		}
		want := ruleset.FromModel(env.Program)
		if got, want := motoBlind(got), motoBlind(want); got.String() != want.String() {
			t.Errorf("%s: live rules differ from the environment's model\n%s", env.Name, setDiff(want, got))
		}
		if len(want) == 0 {
			t.Fatalf("%s: the environment has no rules", env.Name)
		}
		sgc("drift", policy, "--env", env.Name, "--live", export, "--vpc", vpcs[env.Name])
	}

	// A third environment: the first two modules' files do not change, and
	// the plan of the root (which does not call the new one yet) is empty.
	before := map[string][]byte{}
	for _, e := range []string{"staging", "production"} {
		for _, f := range []string{"main.tf", "variables.tf", "outputs.tf", "versions.tf", "environment.tf"} {
			before[e+"/"+f], _ = os.ReadFile(filepath.Join(root, "sg", e, f))
		}
	}
	grown := strings.Replace(envPolicy, "\ngroup web", "\nenvironment qa \"QA\" account 123456789012 region us-east-1\n\ngroup web", 1)
	grown = strings.Replace(grown, "group bastion \"Bastion hosts\" in staging", "group bastion \"Bastion hosts\" in staging, qa", 1)
	grown += "network vpc 10.83.0.0/16 \"QA VPC\" in qa\noffice -> web tcp/8080 because \"testers try the site\" in qa\n"
	os.WriteFile(filepath.Join(policy, "policy.intent"), []byte(grown), 0o644)
	sgc("build", policy, "-t", "terraform", "-o", filepath.Join(root, "sg"))
	for k, v := range before {
		now, _ := os.ReadFile(filepath.Join(root, "sg", k))
		if string(now) != string(v) {
			t.Errorf("adding an environment changed %s", k)
		}
	}
	if _, err := os.Stat(filepath.Join(root, "sg", "qa", "main.tf")); err != nil {
		t.Errorf("the new environment was not built: %v", err)
	}
	if out := terraformOutput(t, tf, root, "plan", "-input=false", "-no-color", "-refresh=false"); !strings.Contains(string(out), "No changes") {
		t.Errorf("adding an environment changes the plan of the others:\n%s", tail(string(out), 40))
	}
}
