package realtools

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/sgc-dev/sgc/account/drift"
	"github.com/sgc-dev/sgc/account/live"
	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/emit"
	"github.com/sgc-dev/sgc/emit/cloudformation"
	"github.com/sgc-dev/sgc/emit/terraform"
	"github.com/sgc-dev/sgc/internal/motoserver"
	"github.com/sgc-dev/sgc/internal/ruleset"
	"github.com/sgc-dev/sgc/internal/synth"
	"github.com/sgc-dev/sgc/review"
)

// core is the hand-written part of the policy the safe-changes test
// changes step by step; PARTNER is the id of a stand-in group. web-a is
// attached to a network interface.
const core = `group web-a "Web tier A"
group app "Application servers"
group db "Database servers"
network office 203.0.113.0/24 "Head office"
network partners 198.51.100.0/25 "Partner range"
network dual 192.0.2.0/24, 2001:db8:100::/48 "Dual-stack monitoring"
prefix-list s3 pl-63a5400a "S3 gateway endpoint"
external partner PARTNER "Partner integration group"
service https tcp/443
office -> web-a https because "staff use the web tier"
partners -> web-a tcp/8443 because "partners call the API"
web-a -> app tcp/8080 because "the web tier calls the app"
app -> db tcp/5432 because "the app reads the database"
web-a -> s3 tcp/443 because "uploads to S3"
partner -> app tcp/9443 because "partner callbacks"
dual -> web-a icmp/echo-request, icmpv6/echo-request, tcp/9100 because "monitoring pings and scrapes"
app -> internet tcp/443 because "calls public APIs"
web-a -> app tcp/8081 because "debug port for INC-7" until 2027-06-30
`

// step is one change of the policy and what its plan must be.
type step struct {
	name   string
	change func(files map[string]string)
	// expect checks a predicted plan (Terraform's, which must also be
	// what terraform plan says, and CloudFormation's unless cfn is set).
	expect func(t *testing.T, p review.Plan)
	cfn    func(t *testing.T, p review.Plan)
}

func only(kinds ...string) func(*testing.T, review.Plan) {
	return func(t *testing.T, p review.Plan) {
		t.Helper()
		allowed := map[string]bool{}
		for _, k := range kinds {
			allowed[k] = true
		}
		for k, addrs := range map[string][]string{"create": p.Create, "update": p.Update, "replace": p.Replace, "destroy": p.Destroy} {
			if len(addrs) > 0 && !allowed[k] {
				t.Errorf("%s plan would %s %v", p.Target, k, addrs)
			}
		}
		for _, k := range kinds {
			if n := map[string]int{"create": len(p.Create), "update": len(p.Update), "replace": len(p.Replace), "destroy": len(p.Destroy)}[k]; n == 0 {
				t.Errorf("%s plan has nothing to %s", p.Target, k)
			}
		}
		if len(p.Warnings) > 0 {
			t.Errorf("%s plan warns: %v", p.Target, p.Warnings)
		}
	}
}

func replace(s, old, new string) func(map[string]string) {
	return func(files map[string]string) {
		if !strings.Contains(files[s], old) {
			panic(fmt.Sprintf("%s has no %q", s, old))
		}
		files[s] = strings.ReplaceAll(files[s], old, new)
	}
}

// TestSafeChanges applies a small policy to the emulator
// with terraform, then makes each change users make for years (add,
// remove, rename, edit a purpose, change ports, grow and widen a network,
// expire a flow, move a flow between files, reorder, rename a group, edit the description
// of a group attached to a network interface) and for each one requires:
// the plan terraform makes against the applied state is exactly the plan
// sgc diff predicts, by address and action; it has the shape the change
// calls for (a rename changes nothing, an addition only adds, an attached
// group is created before the old one is deleted); the CloudFormation
// template's logical IDs change the same way; and the apply succeeds. At
// the end the live rules are the model's and drift is clean.
//
// moto's DescribeSecurityGroupRules leaves out the descriptions of group
// and prefix-list rules, so a refreshing plan would update them every
// time: plans run with -refresh=false, and the final comparison reads the
// groups with DescribeSecurityGroups.
func TestSafeChanges(t *testing.T) {
	t.Parallel() // each has its own emulator and directories; terraform waits on it
	if testing.Short() {
		t.Skip("slow: runs terraform plan and apply a dozen times")
	}
	tf := needTerraform(t)
	m := motoserver.Start(t)
	useEndpoint(t, m.Endpoint)
	c := m.Client()
	vpc := motoserver.VPC(t, c, "10.0.0.0/16")

	files := map[string]string{}
	for name, data := range withoutProtocolNumbers(synth.Generate(synth.Config{Groups: 3, Flows: 8, Seed: 7, GroupsPerFile: 3})) {
		files[name] = string(data)
	}
	files["core.intent"] = core
	// Stand-ins for the externals, which AWS requires to exist.
	externals := map[string]string{}
	placeholder := compile(t, withStandIns(files, map[string]string{"PARTNER": "sg-00000000000000000"}))
	for _, e := range placeholder.Externals {
		externals[e.Name] = motoserver.Group(t, c, vpc, "stand-in-"+e.Name, "stand-in for "+e.Name, false)
	}
	ids := map[string]string{"PARTNER": externals["partner"]}
	for _, e := range placeholder.Externals {
		if e.ID != "" {
			ids[e.ID] = externals[e.Name]
		}
	}

	root := t.TempDir()
	build := func(p *model.Program) {
		t.Helper()
		out, diags := terraform.Emit(p, emit.Options{})
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		if _, err := emit.WriteDir(filepath.Join(root, "sg"), terraform.Target, out); err != nil {
			t.Fatal(err)
		}
		var main strings.Builder
		main.WriteString(provider)
		fmt.Fprintf(&main, "\nmodule \"sg\" {\n  source = \"./sg\"\n  vpc_id = %q\n", vpc)
		inputs := terraform.InputNames(p)
		for _, e := range p.Inputs() {
			fmt.Fprintf(&main, "  %s = %q\n", inputs[e], externals[e.Name])
		}
		main.WriteString("}\n")
		// web-a is in use: a network interface holds it, as an instance
		// or a load balancer would.
		fmt.Fprintf(&main, `
resource "aws_subnet" "app" {
  vpc_id     = %q
  cidr_block = "10.0.1.0/24"
}

resource "aws_network_interface" "web" {
  subnet_id       = aws_subnet.app.id
  security_groups = [module.sg.security_group_ids[%q]]
}
`, vpc, attached(p))
		if err := os.WriteFile(filepath.Join(root, "main.tf"), []byte(main.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	// The CloudFormation builds go into their own directories, each build
	// over the previous one as users build (keeping descriptions), and
	// each change set worked out from the templates must be the predicted
	// one, in one template and in split stacks.
	schemas := createOnly(t)
	cfnBuilt := map[bool]stackSet{}
	buildCFN := func(p *model.Program, split bool) stackSet {
		t.Helper()
		dir := filepath.Join(root, fmt.Sprintf("cfn-split-%v", split))
		prev, err := emit.Previous(dir, cloudformation.Target)
		if err != nil {
			t.Fatal(err)
		}
		out, diags := cloudformation.Emit(p, emit.Options{Split: split, Earlier: prev})
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		if _, err := emit.WriteDir(dir, cloudformation.Target, out); err != nil {
			t.Fatal(err)
		}
		return readStacks(t, out, split)
	}

	prog := compile(t, withStandIns(files, ids))
	if len(prog.Flows) < 15 {
		t.Fatalf("the policy has only %d flows", len(prog.Flows))
	}
	build(prog)
	for _, split := range []bool{false, true} {
		cfnBuilt[split] = buildCFN(prog, split)
	}
	terraformRun(t, tf, root, "init", "-input=false", "-no-color")
	terraformRun(t, tf, root, "apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=20")

	// Changes whose plans have the same shape are made together (one plan
	// and apply each): renames and reordering change nothing; a purpose
	// edited and a flow moved to another file update in place; ports
	// changed and a network widened replace rules; a flow expired and
	// another removed destroy rules. A change that breaks its step's shape
	// fails the step all the same.
	steps := []step{
		{"add web_a beside web-a; add a second block to a network of one", func(f map[string]string) {
			f["core.intent"] += "group web_a \"Web tier A, spelled the other way\"\nweb_a -> app tcp/8082 because \"the other web tier calls the app\"\n"
			replace("core.intent", "198.51.100.0/25 ", "198.51.100.0/25, 198.51.100.128/26 ")(f)
		}, only("create"), nil},
		{"rename a network, a prefix list, an external and a service; reorder lines and files", func(f map[string]string) {
			f["core.intent"] = strings.NewReplacer("network office", "network hq", "office ->", "hq ->",
				"prefix-list s3 ", "prefix-list objects ", "-> s3 ", "-> objects ",
				"external partner ", "external vendor ", "partner -> app", "vendor -> app",
				"service https", "service tls", "web-a https", "web-a tls").Replace(f["core.intent"])
			lines := strings.Split(strings.TrimSuffix(f["core.intent"], "\n"), "\n")
			sort.Sort(sort.Reverse(sort.StringSlice(lines)))
			f["core.intent"] = strings.Join(lines, "\n") + "\n"
		}, only(), nil},
		{"change ports; widen a network; rename a group", func(f map[string]string) {
			replace("core.intent", "web-a -> app tcp/8080", "web-a -> app tcp/8090")(f)
			replace("core.intent", "203.0.113.0/24", "203.0.112.0/23")(f)
			f["core.intent"] = strings.NewReplacer("group db ", "group database ", "-> db ", "-> database ").Replace(f["core.intent"])
		}, only("create", "destroy"), nil},
		{"expire a flow; remove a flow", func(f map[string]string) {
			replace("core.intent", "until 2027-06-30", "until 2026-05-15")(f)
			replace("core.intent", "vendor -> app tcp/9443 because \"partner callbacks\"\n", "")(f)
		}, only("destroy"), nil},
		// Both targets keep the AWS description and tag the new one: the
		// group, its rules and the interface stay.
		// The source file is in the tags (CloudFormation's metadata alone
		// updates nothing); the attached group keeps its AWS description
		// and gets the new one in a tag; with formerly, only its Name tag
		// changes: the group, its rules and the interface stay.
		{"edit a purpose; move a flow to another file; edit the description of the attached group and rename it, with formerly", func(f map[string]string) {
			replace("core.intent", "the app reads the database", "the app reads and writes the database")(f)
			line := "app -> internet tcp/443 because \"calls public APIs\"\n"
			replace("core.intent", line, "")(f)
			f["egress.intent"] = line
			f["core.intent"] = strings.NewReplacer("group web-a \"Web tier A\"", "group web-tier-a \"Web tier A (nginx)\" formerly web-a",
				"web-a ->", "web-tier-a ->", "-> web-a ", "-> web-tier-a ").Replace(f["core.intent"])
		}, only("update"), nil},
	}
	// moto's ModifySecurityGroupRules changes neither the description nor
	// the referenced group of a rule that references a group, as
	// DescribeSecurityGroups shows it (AWS changes both): such rules,
	// updated in place, cannot be compared at the end.
	stale := map[*model.Rule]bool{}
	staleLine := map[string]bool{}  // "group dir proto from..to", as ruleset writes it
	staleDrift := map[string]bool{} // "group|dir port", as drift writes it
	for _, s := range steps {
		if !t.Run(s.name, func(t *testing.T) {
			old := prog
			s.change(files)
			prog = compile(t, withStandIns(files, ids))
			predicted := emit.PredictPlan(terraform.Target, old, prog, emit.Options{})
			s.expect(t, predicted)
			cfn := s.cfn
			if cfn == nil {
				cfn = s.expect
			}
			cfn(t, emit.PredictPlan(cloudformation.Target, old, prog, emit.Options{}))
			var cfnCounts []string
			for _, split := range []bool{false, true} {
				want := emit.PredictPlan(cloudformation.Target, old, prog, emit.Options{Split: split})
				next := buildCFN(prog, split)
				got := changeSet(t, schemas, cfnBuilt[split], next)
				if planString(got) != planString(want) {
					t.Errorf("CloudFormation (split %v) changes %s\nsgc diff predicted %s", split, planString(got), planString(want))
				}
				cfnBuilt[split] = next
				cfnCounts = append(cfnCounts, got.Counts())
			}

			before := snapshotDir(t, root)
			build(prog)
			if predicted.Empty() && snapshotDir(t, root) == before {
				// The configuration is byte for byte the one just applied:
				// terraform has nothing to plan (the next step's plan would
				// show a perpetual difference), and a plan of it costs the
				// suite seconds on its longest test.
				t.Logf("%s: the module and root are unchanged, byte for byte; CloudFormation: %s; split: %s", s.name, cfnCounts[0], cfnCounts[1])
				return
			}
			start := time.Now()
			// The plan's machine-readable log names each change; the saved
			// plan is read (terraform show, another start of the provider)
			// only where a replacement's order must be checked.
			log := terraformOutput(t, tf, root, "plan", "-refresh=false", "-input=false", "-no-color", "-json", "-parallelism=20", "-out=plan.bin")
			updated := map[string]bool{}
			for _, a := range predicted.Update {
				updated[a] = true
			}
			for _, r := range terraform.Resources(prog, emit.Options{}) {
				if updated[r.Address] && r.Rule != nil && r.Rule.Peer.Kind == model.PeerGroup {
					stale[r.Rule] = true
				}
			}
			got := review.Plan{Target: "terraform"}
			eni := ""
			for _, line := range strings.Split(string(log), "\n") {
				var msg struct {
					Type   string `json:"type"`
					Change struct {
						Resource struct {
							Addr string `json:"addr"`
						} `json:"resource"`
						Action string `json:"action"`
					} `json:"change"`
				}
				if json.Unmarshal([]byte(line), &msg) != nil || msg.Type != "planned_change" {
					continue
				}
				actions := msg.Change.Action
				addr, inModule := strings.CutPrefix(msg.Change.Resource.Addr, "module.sg.")
				if !inModule {
					if actions != "noop" && actions != "move" {
						eni = msg.Change.Resource.Addr + " " + actions
					}
					continue
				}
				switch actions {
				case "create":
					got.Create = append(got.Create, addr)
				case "update":
					got.Update = append(got.Update, addr)
				case "delete":
					got.Destroy = append(got.Destroy, addr)
				case "replace":
					got.Replace = append(got.Replace, addr)
				case "noop", "move", "read":
				default:
					t.Errorf("%s: action %s", addr, actions)
				}
			}
			if len(got.Replace) > 0 {
				var plan struct {
					ResourceChanges []struct {
						Address string `json:"address"`
						Change  struct {
							Actions []string `json:"actions"`
						} `json:"change"`
					} `json:"resource_changes"`
				}
				if err := json.Unmarshal(terraformOutput(t, tf, root, "show", "-json", "plan.bin"), &plan); err != nil {
					t.Fatal(err)
				}
				for _, rc := range plan.ResourceChanges {
					if strings.Join(rc.Change.Actions, ",") == "delete,create" {
						// Destroying first fails on a group in use, and leaves
						// a rule missing until it is created again.
						t.Errorf("%s is destroyed before it is created again", rc.Address)
					}
				}
			}
			for _, l := range [][]string{got.Create, got.Update, got.Replace, got.Destroy} {
				sort.Strings(l)
			}
			if g, w := planString(got), planString(predicted); g != w {
				t.Errorf("terraform plans %s\nsgc diff predicted %s", g, w)
			}
			// The interface moves to the new group in place.
			if strings.Contains(s.name, "group in use") != (eni == "aws_network_interface.web update") {
				t.Errorf("the network interface: %q", eni)
			}
			planned := time.Since(start)
			if !got.Empty() || eni != "" {
				terraformRun(t, tf, root, "apply", "-input=false", "-no-color", "-parallelism=20", "plan.bin")
			}
			t.Logf("%s: %s (plan %v, apply %v); CloudFormation: %s; split: %s", s.name, got.Counts(), planned.Round(time.Second),
				(time.Since(start) - planned).Round(time.Second), cfnCounts[0], cfnCounts[1])
		}) {
			t.FailNow()
		}
	}

	// The account now holds exactly the last policy's rules.
	ex := describeAll(t, m)
	managed := map[string]bool{}
	for _, g := range prog.Groups {
		managed[g.Name] = true
	}
	inputs, inputIDs := map[string]string{}, map[string]string{}
	for _, e := range prog.Inputs() {
		inputs[externals[e.Name]] = e.Name
		inputIDs[e.Name] = externals[e.Name]
	}
	for r := range stale {
		from, to := r.Port.From, r.Port.To
		if !r.Port.HasPorts() {
			from, to = 0, 0
		}
		staleLine[fmt.Sprintf("%s %s %s %d..%d", r.Group.Name, r.Direction, r.Port.Protocol, from, to)] = true
		staleDrift[r.Group.Name+"|"+r.Direction.String()+" "+r.Port.String()] = true
	}
	t.Logf("%d rules updated in place on group references are left out of the final comparison", len(stale))
	got, problems := ruleset.FromLive(ex, vpc, managed, inputs)
	if len(problems) > 0 {
		t.Fatalf("the account holds rules sgc cannot read: %v", problems)
	}
	withoutStale := func(set ruleset.Set) ruleset.Set {
		var out ruleset.Set
		for _, l := range set {
			f := strings.Fields(l)
			if staleLine[strings.Join(f[:4], " ")] && (strings.HasPrefix(f[4], "group:") || strings.HasPrefix(f[4], "sg-")) {
				continue
			}
			out = append(out, l)
		}
		return out
	}
	if got, want := motoBlind(withoutStale(got)), motoBlind(withoutStale(ruleset.FromModel(prog))); got.String() != want.String() {
		t.Errorf("live rules differ from the model\n%s", setDiff(want, got))
	}
	var inVPC live.Export
	for _, g := range ex.SecurityGroups {
		if g.VpcID == vpc && !strings.HasPrefix(g.GroupName, "stand-in-") {
			inVPC.SecurityGroups = append(inVPC.SecurityGroups, g)
		}
	}
	rep, err := drift.CompareWith(prog, &inVPC, drift.Options{Inputs: inputIDs})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range rep.Findings {
		dirPort := strings.Join(strings.Fields(f.Rule)[:min(2, len(strings.Fields(f.Rule)))], " ")
		if staleDrift[f.Group+"|"+dirPort] {
			continue
		}
		if !(f.Kind == "description" && prefixListRule.MatchString(f.Rule)) {
			t.Errorf("drift after the changes: %+v", f)
		}
	}
}

// withStandIns replaces the policy's external ids (and placeholders) by
// the stand-in groups' ids.
func withStandIns(files map[string]string, ids map[string]string) map[string][]byte {
	var pairs []string
	for from, to := range ids {
		pairs = append(pairs, from, to)
	}
	r := strings.NewReplacer(pairs...)
	out := map[string][]byte{}
	for name, src := range files {
		out[name] = []byte(r.Replace(src))
	}
	return out
}

// describeAll reads every group of the emulator's account.
func describeAll(t *testing.T, m *motoserver.Server) *live.Export {
	t.Helper()
	return describe(t, m, "describe")
}

// describeWithRules reads every group of the emulator's account with its
// rules' sgr- ids (describe-security-group-rules).
func describeWithRules(t *testing.T, m *motoserver.Server) *live.Export {
	t.Helper()
	return describe(t, m, "describe-with-rules")
}

// describe reads the emulator's account with one of moto.py's commands,
// as an export read back the way sgc reads one.
func describe(t *testing.T, m *motoserver.Server, command string) *live.Export {
	t.Helper()
	var export live.Export
	(&moto{endpoint: m.Endpoint}).python(t, command, nil, &export)
	data, _ := json.Marshal(export)
	ex, err := live.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	return ex
}

func planString(p review.Plan) string {
	return fmt.Sprintf("create %v\n  update %v\n  replace %v\n  destroy %v", p.Create, p.Update, p.Replace, p.Destroy)
}

// attached is the role name of the group the network interface uses:
// web-a, or what it was renamed to.
func attached(p *model.Program) string {
	for _, g := range p.Groups {
		if g.Identity() == "web-a" {
			return g.Name
		}
	}
	return "web-a"
}

// snapshotDir is the content of the Terraform files of a root and its
// module sg, as one string.
func snapshotDir(t *testing.T, root string) string {
	t.Helper()
	var b strings.Builder
	for _, pattern := range []string{"*.tf", "sg/*.tf"} {
		files, _ := filepath.Glob(filepath.Join(root, pattern))
		sort.Strings(files)
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			b.WriteString(f + "\n" + string(data))
		}
	}
	return b.String()
}
