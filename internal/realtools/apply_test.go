package realtools

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/sgc-dev/sgc/account/drift"
	"github.com/sgc-dev/sgc/account/live"
	"github.com/sgc-dev/sgc/compiler"
	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/emit"
	"github.com/sgc-dev/sgc/emit/terraform"
	"github.com/sgc-dev/sgc/internal/cli"
	"github.com/sgc-dev/sgc/internal/ruleset"
	"github.com/sgc-dev/sgc/internal/synth"
	"github.com/sgc-dev/sgc/internal/testkit"
	"github.com/sgc-dev/sgc/internal/testproc"
	"github.com/sgc-dev/sgc/load"
)

// managedListsPolicy is the applied policy that names AWS-managed prefix
// lists.
const managedListsPolicy = "managed_lists"

// pluginDir holds the hashicorp/aws provider for offline runs.
func pluginDir() string { return testkit.PluginDir() }

// providerSettings are the settings of every provider block the tests
// write: dummy keys, no account lookups. The emulator's address reaches
// the provider through its environment (useEndpoint).
const providerSettings = `  region                      = "us-east-1"
  access_key                  = "testing"
  secret_key                  = "testing"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
`

const provider = `terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
` + providerSettings + `}
`

// applied is one policy as the test applies it.
type applied struct {
	name      string
	env       string // the environment of srcs this is, for a policy with environments
	srcs      map[string][]byte
	prog      *model.Program
	vpc       string
	externals map[string]string // external name -> stand-in group id
}

// TestTerraformApply applies every example's module and random policies
// with the real terraform against moto_server, reads the groups back with
// the EC2 API (describe-security-groups), and requires the live rules of
// every managed group to be exactly the model's: both halves of every
// group-to-group flow, every description, no default allow-all egress,
// nothing extra. Then drift of each policy against the account is clean.
//
// The account has no groups for the policies' externals, which AWS (and
// moto) require to exist: the test makes a stand-in group for each and
// writes its id into the policy (or passes it as the input variable).
func TestTerraformApply(t *testing.T) {
	t.Parallel() // each has its own emulator and directories; terraform waits on it
	if testing.Short() {
		t.Skip("slow: runs terraform apply")
	}
	tf := needTerraform(t)
	m := startMoto(t)

	var policies []*applied
	for name, srcs := range examples(t) {
		policies = append(policies, &applied{name: "example_" + name, srcs: srcs})
	}
	for seed := int64(1); seed <= 2; seed++ { // the examples cover the language; two random policies its mixtures
		srcs := synth.Generate(synth.Config{Groups: 6, Flows: 24, Seed: seed, GroupsPerFile: 3})
		policies = append(policies, &applied{name: fmt.Sprintf("random_%d", seed), srcs: withoutProtocolNumbers(srcs)})
	}
	// AWS-managed prefix lists by name: the module looks their ids up in
	// the emulator (which knows these two) and the rules reference them.
	policies = append(policies, &applied{name: managedListsPolicy, srcs: map[string][]byte{"p.intent": []byte(`group web "Web servers"
prefix-list cdn aws:cloudfront.origin-facing "CloudFront origin-facing"
prefix-list s3 aws:s3 "S3 in this Region"
cdn -> web tcp/443 because "CloudFront reaches the origin"
web -> s3 tcp/443 because "reads objects"
`)}})
	// A policy with two environments, each applied as its own module
	// instance through its own aliased provider, as docs/environments.md
	// wires a root module.
	for _, env := range []string{"staging", "production"} {
		policies = append(policies, &applied{name: "env_" + env, env: env, srcs: map[string][]byte{"policy.intent": []byte(envPolicy)}})
	}
	sort.Slice(policies, func(i, j int) bool { return policies[i].name < policies[j].name })

	// A VPC per policy, and stand-ins for its externals.
	spec := map[string][]string{}
	for _, a := range policies {
		spec[a.name] = []string{}
		for _, e := range a.compile(t).Externals {
			spec[a.name] = append(spec[a.name], e.Name)
		}
	}
	var made map[string]struct {
		VPC       string            `json:"vpc"`
		Externals map[string]string `json:"externals"`
	}
	m.python(t, "setup", spec, &made)

	root := t.TempDir()
	var main, envProviders strings.Builder
	main.WriteString(provider)
	useEndpoint(t, m.endpoint)
	for _, a := range policies {
		a.vpc, a.externals = made[a.name].VPC, made[a.name].Externals
		prog := a.compile(t)
		// The policy with its externals' ids replaced by the stand-ins'.
		for _, e := range prog.Externals {
			if e.ID == "" {
				continue
			}
			for f, src := range a.srcs {
				a.srcs[f] = []byte(strings.ReplaceAll(string(src), e.ID, a.externals[e.Name]))
			}
		}
		a.prog = a.compile(t)
		files, diags := terraform.Emit(a.prog, emit.Options{})
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		if _, err := emit.WriteDir(filepath.Join(root, a.name), terraform.Target, files); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&main, "\nmodule %q {\n  source = \"./%s\"\n  vpc_id = %q\n", a.name, a.name, a.vpc)
		if a.env != "" {
			fmt.Fprintf(&main, "  providers = { aws = aws.%s }\n", a.env)
			fmt.Fprintf(&envProviders, envProvider, a.env)
		}
		inputs := terraform.InputNames(a.prog)
		for _, e := range a.prog.Inputs() {
			fmt.Fprintf(&main, "  %s = %q\n", inputs[e], a.externals[e.Name])
		}
		main.WriteString("}\n")
	}
	main.WriteString("\n" + envProviders.String())
	if err := os.WriteFile(filepath.Join(root, "main.tf"), []byte(main.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	terraformRun(t, tf, root, "init", "-input=false", "-no-color")
	terraformRun(t, tf, root, "apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=20")
	defer thirdEnvironment(t, tf, root, policies)

	var export live.Export
	m.python(t, "describe", nil, &export)
	var lists map[string]string // AWS-managed prefix list name -> id
	m.python(t, "prefix-lists", nil, &lists)
	data, _ := json.Marshal(export)
	ex, err := live.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range policies {
		t.Run(a.name, func(t *testing.T) {
			managed := map[string]bool{}
			for _, g := range a.prog.Groups {
				managed[g.Name] = true
			}
			inputs := map[string]string{} // stand-in id -> input external
			inputIDs := map[string]string{}
			for _, e := range a.prog.Inputs() {
				inputs[a.externals[e.Name]] = e.Name
				inputIDs[e.Name] = a.externals[e.Name]
			}
			got, problems := ruleset.FromLive(ex, a.vpc, managed, inputs)
			if len(problems) > 0 {
				t.Fatalf("the account holds rules sgc cannot read: %v", problems)
			}
			want := ruleset.FromModel(a.prog)
			for i, r := range want { // AWS-managed lists by the ids moto gave them
				for name, id := range lists {
					r = strings.ReplaceAll(r, " managed:"+strings.ReplaceAll(name, "us-east-1", "{region}")+" ", " "+id+" ")
				}
				want[i] = r
			}
			sort.Strings(want)
			if got, want := motoBlind(got), motoBlind(want); got.String() != want.String() {
				t.Errorf("live rules differ from the model\n%s", setDiff(want, got))
			}
			// Drift of the policy against its VPC, without the stand-ins.
			vpc := live.Export{PrefixLists: ex.PrefixLists} // the Region's AWS-managed lists, for aws:NAME
			for _, g := range ex.SecurityGroups {
				if g.VpcID == a.vpc && !strings.HasPrefix(g.GroupName, "stand-in-") {
					vpc.SecurityGroups = append(vpc.SecurityGroups, g)
				}
			}
			rep, err := drift.CompareWith(a.prog, &vpc, drift.Options{Inputs: inputIDs})
			if err != nil {
				t.Fatal(err)
			}
			var real []drift.Finding
			for _, f := range rep.Findings {
				if !(f.Kind == "description" && prefixListRule.MatchString(f.Rule)) {
					real = append(real, f)
				}
			}
			if len(real) > 0 || rep.Unverifiable > 0 {
				rep.Findings = real
				var b strings.Builder
				rep.WriteText(&b)
				t.Errorf("drift after apply:\n%s", b.String())
			}
			if a.env != "" {
				// And as a user runs it: sgc drift --env on the policy.
				dir := t.TempDir()
				os.WriteFile(filepath.Join(dir, "policy.intent"), a.srcs["policy.intent"], 0o644)
				export := filepath.Join(dir, "groups.json")
				os.WriteFile(export, data, 0o644)
				var stdout, stderr strings.Builder
				if code := cli.Main([]string{"drift", dir, "--env", a.env, "--live", export, "--vpc", a.vpc}, strings.NewReader(""), &stdout, &stderr); code != 0 {
					t.Errorf("sgc drift --env %s: exit %d\n%s%s", a.env, code, stdout.String(), stderr.String())
				}
			}
		})
	}
}

// compile compiles the policy, or its environment's program.
func (a *applied) compile(t *testing.T) *model.Program {
	t.Helper()
	if a.env == "" {
		return compile(t, a.srcs)
	}
	p, err := load.FromSources(a.srcs, compiler.Options{Now: testkit.Now}).ForEnv(a.env)
	if err != nil || p.Diags.HasErrors() {
		t.Fatalf("%s: %v %v", a.name, err, p.Diags)
	}
	return p.Program
}

// thirdEnvironment adds an environment to the policy with environments
// (a group of its own, a flow, a network): the modules of the other two
// come out byte for byte as they were, and the plan of the root, which
// does not call the new one yet, changes nothing.
func thirdEnvironment(t *testing.T, tf, root string, policies []*applied) {
	if t.Failed() {
		return
	}
	grown := strings.Replace(envPolicy, "\ngroup web", "\nenvironment qa \"QA\" account 123456789012 region us-east-1\n\ngroup web", 1)
	grown = strings.Replace(grown, "group bastion \"Bastion hosts\" in staging", "group bastion \"Bastion hosts\" in staging, qa", 1)
	grown += "network vpc 10.83.0.0/16 \"QA VPC\" in qa\noffice -> web tcp/8080 because \"testers try the site\" in qa\n"
	for _, a := range policies {
		if a.env == "" {
			continue
		}
		grownApplied := &applied{name: a.name, env: a.env, srcs: map[string][]byte{"policy.intent": []byte(grown)}}
		files, diags := terraform.Emit(grownApplied.compile(t), emit.Options{})
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		for _, f := range files {
			was, _ := os.ReadFile(filepath.Join(root, a.name, f.Path))
			if string(was) != string(f.Data) {
				t.Errorf("adding an environment changed %s/%s", a.name, f.Path)
			}
		}
		if _, err := emit.WriteDir(filepath.Join(root, a.name), terraform.Target, files); err != nil {
			t.Fatal(err)
		}
	}
	if out := terraformOutput(t, tf, root, "plan", "-input=false", "-no-color", "-refresh=false"); !strings.Contains(string(out), "No changes") {
		t.Errorf("adding an environment changes the plan of the others:\n%s", tail(string(out), 40))
	}
}

// moto 5.2 leaves out the description of prefix-list rules when it
// describes security groups: those descriptions are the one thing the
// emulator cannot confirm, so they are left out of the comparison (and
// drift's description findings on them ignored). Every other rule is
// compared with its description.
var (
	prefixListLine = regexp.MustCompile(`^(\S+ \S+ \S+ \S+ pl-[0-9a-f]+) ".*"$`)
	prefixListRule = regexp.MustCompile(`(to|from) pl-[0-9a-f]+$`)
)

func motoBlind(s ruleset.Set) ruleset.Set {
	out := make(ruleset.Set, len(s))
	for i, r := range s {
		out[i] = prefixListLine.ReplaceAllString(r, `$1 "(moto returns no description)"`)
	}
	sort.Strings(out)
	return out
}

// withoutProtocolNumbers drops the flows on proto/N: moto 5.2 fails with
// an internal error (int(None) for the missing ports) on a rule for any
// protocol but tcp, udp, icmp, icmpv6 and all, which AWS accepts, and the
// provider retries it for many minutes. cfn-lint and the schema tests
// cover those rules; the emulator cannot.
func withoutProtocolNumbers(srcs map[string][]byte) map[string][]byte {
	out := map[string][]byte{}
	for name, src := range srcs {
		var keep []string
		for _, line := range strings.SplitAfter(string(src), "\n") {
			if !(strings.Contains(line, " -> ") && strings.Contains(line, "proto/")) {
				keep = append(keep, line)
			}
		}
		out[name] = []byte(strings.Join(keep, ""))
	}
	return out
}

// terraformRun runs terraform in dir, offline, with the provider mirror.
func terraformRun(t *testing.T, tf, dir string, args ...string) {
	t.Helper()
	terraformOutput(t, tf, dir, args...)
}

// terraformOutput runs terraform like terraformRun and returns its output.
func terraformOutput(t *testing.T, tf, dir string, args ...string) []byte {
	t.Helper()
	out, stderr, err := terraformTry(t, tf, dir, args...)
	if err != nil {
		t.Fatalf("terraform %s: %v\n%s%s", args[0], err, tail(string(out), 60), tail(stderr, 40))
	}
	return out
}

// terraformTry runs terraform like terraformOutput and returns what it
// printed and its error, for a run that is expected to fail.
func terraformTry(t *testing.T, tf, dir string, args ...string) ([]byte, string, error) {
	t.Helper()
	rc := filepath.Join(t.TempDir(), "terraformrc")
	config := fmt.Sprintf(`provider_installation {
  filesystem_mirror {
    path    = %q
    include = ["registry.terraform.io/hashicorp/aws"]
  }
  direct {
    exclude = ["registry.terraform.io/hashicorp/aws"]
  }
}
`, pluginDir())
	if err := os.WriteFile(rc, []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := testproc.Command(t, tf, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+rc, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1")
	cmd.Env = append(cmd.Env, providerEnv(t)...)
	out, err := cmd.Output()
	stderr := ""
	if ee, ok := err.(*exec.ExitError); ok {
		stderr = string(ee.Stderr)
	}
	return out, stderr, err
}

func tail(s string, lines int) string {
	l := strings.Split(s, "\n")
	if len(l) > lines {
		l = l[len(l)-lines:]
	}
	return strings.Join(l, "\n")
}

// setDiff lists the rules only one side has.
func setDiff(want, got ruleset.Set) string {
	in := map[string]int{}
	for _, r := range want {
		in[r]++
	}
	for _, r := range got {
		in[r]--
	}
	var b strings.Builder
	for _, r := range want {
		if in[r] > 0 {
			fmt.Fprintf(&b, "missing: %s\n", r)
		}
	}
	for _, r := range got {
		if in[r] < 0 {
			fmt.Fprintf(&b, "extra:   %s\n", r)
		}
	}
	return b.String()
}
