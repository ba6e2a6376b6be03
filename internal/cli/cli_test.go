package cli_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sgc-dev/sgc/compiler/lint"
	"github.com/sgc-dev/sgc/internal/cli"
	"github.com/sgc-dev/sgc/internal/testkit"
)

type result struct {
	code           int
	stdout, stderr string
}

func run(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := cli.Main(args, strings.NewReader(stdin), &out, &errb)
	return result{code, out.String(), errb.String()}
}

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const clean = "group web \"Web\"\ngroup db  \"DB\"\n\nweb -> db tcp/5432 because \"order queries\"\n"

const threeMistakes = `group web "Web servers
group db "Databases"
web -> dbb tcp/5432 because "typo"
db -> web tcp/99999 because "range"
`

func TestExitCodes(t *testing.T) {
	cleanDir := writeFiles(t, map[string]string{"a.intent": clean})
	badDir := writeFiles(t, map[string]string{"a.intent": threeMistakes})
	emptyDir := t.TempDir()
	runCases(t, []cliCase{
		{"clean example", []string{"check", "../../examples/game", "--now", "2026-11-21"}, 0, nil, []string{"3 groups, 7 flows, 11 rules: ok"}},
		{"clean dir", []string{"check", cleanDir}, 0, nil, []string{"ok"}},
		{"three mistakes", []string{"check", badDir}, 1,
			[]string{"[UnterminatedString]", "[UnknownName]", "[PortOutOfRange]", `Did you mean "db"?`}, []string{"3 errors"}},
		{"missing path", []string{"check", filepath.Join(emptyDir, "nope")}, 2, nil, []string{"no such file or directory"}},
		{"no intent files", []string{"check", emptyDir}, 2, nil, []string{"no .intent files"}},
		{"bad format", []string{"check", cleanDir, "--format", "yaml"}, 2, nil, []string{`invalid argument "yaml" for "--format" flag: want one of text, json, sarif`}},
		{"bad now", []string{"check", cleanDir, "--now", "tomorrow"}, 2, nil, []string{`--now "tomorrow"`}},
		{"bad colour", []string{"diff", cleanDir, cleanDir, "--color", "red"}, 2, nil, []string{`"--color" flag: want one of auto, always, never`}},
		{"no target", []string{"build", cleanDir, "-o", t.TempDir()}, 2, nil, []string{"-t is required: the target to build, one of terraform, cloudformation"}},
		{"unknown target", []string{"build", cleanDir, "-t", "tf", "-o", t.TempDir()}, 2, nil, []string{`invalid argument "tf" for "-t, --target" flag: want one of terraform, cloudformation`}},
		{"unknown flag", []string{"check", "--frobnicate"}, 2, nil, []string{"unknown flag"}},
		{"unknown command", []string{"frobnicate"}, 2, nil, []string{"unknown command"}},
		{"expired flow warns but passes", []string{"check", writeFiles(t, map[string]string{"a.intent": clean + "web -> db tcp/1 because \"old access\" until 2020-01-01\n"})}, 0,
			[]string{"warning: flow expired on 2020-01-01 [ExpiredFlow]"}, []string{"1 warning"}},
		{"version", []string{"version"}, 0, []string{"sgc "}, nil},
		{"completion", []string{"completion", "bash"}, 0, []string{"bash completion"}, nil},
	})
}

// cliCase is a command line, the exit status it must end with, and
// substrings its standard output and error must hold.
type cliCase struct {
	name           string
	args           []string
	code           int
	stdout, stderr []string
}

// runCases runs each case as a subtest.
func runCases(t *testing.T, cases []cliCase) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			r := run(t, "", tt.args...)
			if r.code != tt.code {
				t.Errorf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, tt.code, r.stdout, r.stderr)
			}
			for _, s := range tt.stdout {
				if !strings.Contains(r.stdout, s) {
					t.Errorf("stdout lacks %q:\n%s", s, r.stdout)
				}
			}
			for _, s := range tt.stderr {
				if !strings.Contains(r.stderr, s) {
					t.Errorf("stderr lacks %q:\n%s", s, r.stderr)
				}
			}
		})
	}
}

func TestCheckJSON(t *testing.T) {
	dir := writeFiles(t, map[string]string{"a.intent": threeMistakes})
	r := run(t, "", "check", "--format", "json", dir)
	if r.code != 1 {
		t.Fatalf("exit %d", r.code)
	}
	var doc struct {
		Diagnostics []struct {
			Code     string `json:"code"`
			Severity string `json:"severity"`
			Range    struct {
				File  string `json:"file"`
				Start struct{ Line, Column int }
			} `json:"range"`
			Suggestion string `json:"suggestion"`
		} `json:"diagnostics"`
		Errors int `json:"errors"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, r.stdout)
	}
	if doc.Errors != 3 || len(doc.Diagnostics) != 3 {
		t.Fatalf("want 3 errors, got %+v", doc)
	}
	d := doc.Diagnostics[1]
	if d.Code != "UnknownName" || d.Severity != "error" || d.Range.Start.Line != 3 || d.Range.Start.Column != 8 || d.Suggestion != `Did you mean "db"?` {
		t.Errorf("unexpected diagnostic %+v", d)
	}
}

func TestFmt(t *testing.T) {
	messy := "group web \"Web\"\ngroup db \"DB\"\n\n\n\nweb -> db  tcp/5432 because \"order queries\"\n"
	dir := writeFiles(t, map[string]string{"a.intent": messy, "b.intent": clean})
	a, b := filepath.Join(dir, "a.intent"), filepath.Join(dir, "b.intent")
	os.Chmod(a, 0o600)

	r := run(t, "", "fmt", "--check", dir)
	if r.code != 1 || strings.TrimSpace(r.stdout) != a {
		t.Fatalf("--check: exit %d, stdout %q; want 1 and only %s", r.code, r.stdout, a)
	}
	r = run(t, "", "fmt", a)
	if r.code != 0 || r.stdout != clean {
		t.Fatalf("fmt to stdout: exit %d\n%s", r.code, r.stdout)
	}
	if got, _ := os.ReadFile(a); string(got) != messy {
		t.Fatal("fmt without -w changed the file")
	}
	r = run(t, "", "fmt", "-w", dir)
	if r.code != 0 {
		t.Fatalf("-w: exit %d: %s", r.code, r.stderr)
	}
	if got, _ := os.ReadFile(a); string(got) != clean {
		t.Fatalf("-w wrote:\n%s", got)
	}
	if info, _ := os.Stat(a); info.Mode().Perm() != 0o600 {
		t.Errorf("-w changed the mode to %v", info.Mode().Perm())
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 2 {
		t.Errorf("-w left temporary files: %v", entries)
	}
	if r := run(t, "", "fmt", "--check", a, b); r.code != 0 {
		t.Errorf("--check after -w: exit %d: %s", r.code, r.stdout)
	}
	if r := run(t, messy, "fmt", "-"); r.code != 0 || r.stdout != clean {
		t.Errorf("fmt -: exit %d: %q", r.code, r.stdout)
	}
	if r := run(t, "", "fmt", "-w", "--check", dir); r.code != 2 {
		t.Errorf("-w --check: exit %d, want 2", r.code)
	}
	bad := writeFiles(t, map[string]string{"bad.intent": "group web \"Web\n"})
	r = run(t, "", "fmt", "-w", bad)
	if r.code != 2 || !strings.Contains(r.stderr, "[UnterminatedString]") {
		t.Errorf("syntax error: exit %d, stderr %q", r.code, r.stderr)
	}
	if got, _ := os.ReadFile(filepath.Join(bad, "bad.intent")); string(got) != "group web \"Web\n" {
		t.Error("fmt -w touched a file with a syntax error")
	}
}

// TestHelpHasExamples requires every command to document examples.
// TestHelpHasExamples: every command sgc lists has examples in its help.
func TestHelpHasExamples(t *testing.T) {
	var cmds []string
	top := run(t, "", "--help").stdout
	_, list, _ := strings.Cut(top, "Available Commands:\n")
	for _, line := range strings.Split(list, "\n") {
		f := strings.Fields(line)
		if len(f) == 0 {
			break
		}
		if f[0] != "help" && f[0] != "completion" {
			cmds = append(cmds, f[0])
		}
	}
	if len(cmds) < 14 {
		t.Fatalf("only %d commands found in sgc --help:\n%s", len(cmds), top)
	}
	for _, cmd := range cmds {
		r := run(t, "", cmd, "--help")
		if r.code != 0 || !strings.Contains(r.stdout, "Examples:") {
			t.Errorf("%s --help: exit %d, no examples:\n%s", cmd, r.code, r.stdout)
		}
	}
}

func TestBuild(t *testing.T) {
	src := writeFiles(t, map[string]string{"a.intent": clean})
	out := filepath.Join(t.TempDir(), "out")
	r := run(t, "", "build", src, "-t", "terraform", "-o", out)
	if r.code != 0 || !strings.Contains(r.stderr, "wrote 4 files") {
		t.Fatalf("build: exit %d\n%s", r.code, r.stderr)
	}
	first, _ := os.ReadFile(filepath.Join(out, "main.tf"))
	if !strings.Contains(string(first), `resource "aws_vpc_security_group_ingress_rule" "db_ingress_from_web_tcp_5432"`) {
		t.Errorf("main.tf lacks the rule:\n%s", first)
	}
	// Building again changes nothing, and says so.
	if r := run(t, "", "build", src, "-t", "terraform", "-o", out); r.code != 0 || !strings.Contains(r.stderr, "wrote 0 files to "+out+", 4 unchanged:") {
		t.Fatalf("second build: exit %d: %s", r.code, r.stderr)
	}
	if again, _ := os.ReadFile(filepath.Join(out, "main.tf")); string(again) != string(first) {
		t.Error("a second build changed main.tf")
	}
	// A hand-written file in the way is never overwritten.
	os.WriteFile(filepath.Join(out, "outputs.tf"), []byte("# mine\n"), 0o644)
	r = run(t, "", "build", src, "-t", "terraform", "-o", out)
	if r.code != 2 || !strings.Contains(r.stderr, "changed since sgc wrote it") {
		t.Errorf("foreign file: exit %d: %s", r.code, r.stderr)
	}
	if got, _ := os.ReadFile(filepath.Join(out, "outputs.tf")); string(got) != "# mine\n" {
		t.Error("build overwrote a hand-written file")
	}
	// A policy with errors writes nothing.
	bad := writeFiles(t, map[string]string{"a.intent": threeMistakes})
	fresh := filepath.Join(t.TempDir(), "fresh")
	r = run(t, "", "build", bad, "-t", "terraform", "-o", fresh)
	if r.code != 1 || !strings.Contains(r.stderr, "nothing written") {
		t.Errorf("errors: exit %d: %s", r.code, r.stderr)
	}
	if _, err := os.Stat(fresh); err == nil {
		t.Error("build with errors created the output directory")
	}
	// Usage errors.
	if r := run(t, "", "build", src, "-t", "pulumi", "-o", out); r.code != 2 {
		t.Errorf("unknown target: exit %d", r.code)
	}
	if r := run(t, "", "build", src, "-t", "terraform"); r.code != 2 {
		t.Errorf("no -o: exit %d", r.code)
	}
}

func TestBuildCloudFormation(t *testing.T) {
	src := writeFiles(t, map[string]string{"a.intent": clean})
	out := filepath.Join(t.TempDir(), "cfn")
	if r := run(t, "", "build", src, "-t", "cloudformation", "-o", out); r.code != 0 {
		t.Fatalf("yaml: exit %d: %s", r.code, r.stderr)
	}
	yml, _ := os.ReadFile(filepath.Join(out, "template.yaml"))
	if !strings.Contains(string(yml), "DbIngressFromWebTcp5432:") || !strings.Contains(string(yml), "Disallow all traffic") {
		t.Errorf("template.yaml:\n%s", yml)
	}
	// Switching format replaces the generated YAML with JSON.
	if r := run(t, "", "build", src, "-t", "cloudformation", "--format", "json", "-o", out); r.code != 0 {
		t.Fatalf("json: exit %d: %s", r.code, r.stderr)
	}
	if entries, _ := os.ReadDir(out); len(entries) != 2 || entries[0].Name() != ".sgc" || entries[1].Name() != "template.json" {
		t.Errorf("after the JSON build the directory holds %v, want only template.json (and sgc's state)", entries)
	}
	var doc map[string]any
	data, _ := os.ReadFile(filepath.Join(out, "template.json"))
	if err := json.Unmarshal(data, &doc); err != nil || doc["AWSTemplateFormatVersion"] != "2010-09-09" {
		t.Errorf("template.json is not a template: %v", err)
	}
	split := filepath.Join(t.TempDir(), "split")
	if r := run(t, "", "build", src, "-t", "cloudformation", "--split", "-o", split); r.code != 0 {
		t.Fatalf("split: exit %d: %s", r.code, r.stderr)
	}
	for _, f := range []string{"README.md", "groups-1.yaml", "rules-1.yaml"} {
		if _, err := os.Stat(filepath.Join(split, f)); err != nil {
			t.Errorf("split output lacks %s", f)
		}
	}
	// Editing a group's description, then building into the same
	// directory: the group keeps its AWS description and tags the new one,
	// and build says so.
	edited := writeFiles(t, map[string]string{"a.intent": strings.Replace(clean, `"DB"`, `"PostgreSQL databases"`, 1)})
	r := run(t, "", "build", edited, "-t", "cloudformation", "--split", "-o", split)
	groups, _ := os.ReadFile(filepath.Join(split, "groups-1.yaml"))
	if r.code != 0 || !strings.Contains(r.stderr, "info: group db keeps its AWS description \"DB\"") || !strings.Contains(r.stderr, "[DescriptionKept]") ||
		!strings.Contains(string(groups), "GroupDescription: DB\n") || !strings.Contains(string(groups), "Value: PostgreSQL databases\n") {
		t.Errorf("an edited description: exit %d: %s\n%s", r.code, r.stderr, groups)
	}
	if r := run(t, "", "build", edited, "-t", "cloudformation", "-o", t.TempDir()); r.code != 0 || strings.Contains(r.stderr, "DescriptionKept") {
		t.Errorf("into a new directory nothing is kept: exit %d: %s", r.code, r.stderr)
	}
	// Into a new directory, with the deployed template named: kept.
	fresh := t.TempDir()
	r = run(t, "", "build", edited, "-t", "cloudformation", "-o", fresh, "--earlier", filepath.Join(out, "template.json"))
	tpl, _ := os.ReadFile(filepath.Join(fresh, "template.yaml"))
	if r.code != 0 || !strings.Contains(r.stderr, "[DescriptionKept]") || !strings.Contains(string(tpl), "GroupDescription: DB\n") {
		t.Errorf("--earlier: exit %d: %s\n%s", r.code, r.stderr, tpl)
	}
	tfFile := filepath.Join(t.TempDir(), "main.tf")
	os.WriteFile(tfFile, []byte("resource \"aws_security_group\" \"db\" {}\n"), 0o644)
	empty := filepath.Join(t.TempDir(), "empty.yaml")
	os.WriteFile(empty, nil, 0o644)
	for _, args := range [][]string{
		{"-t", "cloudformation", "--earlier", filepath.Join(out, "missing.yaml")},
		{"-t", "terraform", "--earlier", filepath.Join(out, "template.json")},
		{"-t", "cloudformation", "--earlier", tfFile},
		{"-t", "cloudformation", "--earlier", empty},
		{"-t", "cloudformation", "--earlier", "/dev/zero"},
	} {
		if r := run(t, "", append([]string{"build", edited, "-o", t.TempDir()}, args...)...); r.code != 2 || !strings.Contains(r.stderr, "earlier") {
			t.Errorf("%v: exit %d: %s", args, r.code, r.stderr)
		}
	}
	// Options a target cannot honour are bad usage, refused before building.
	if r := run(t, "", "build", src, "-t", "cloudformation", "--format", "toml", "-o", out); r.code != 2 || !strings.Contains(r.stderr, "yaml or json") {
		t.Errorf("bad format: exit %d: %s", r.code, r.stderr)
	}
	if r := run(t, "", "build", src, "-t", "terraform", "--format", "json", "-o", out); r.code != 2 || !strings.Contains(r.stderr, "writes hcl") {
		t.Errorf("terraform --format json: exit %d: %s", r.code, r.stderr)
	}
	if r := run(t, "", "build", src, "-t", "terraform", "--split", "-o", t.TempDir()); r.code != 2 || !strings.Contains(r.stderr, "--split") {
		t.Errorf("terraform --split: exit %d: %s", r.code, r.stderr)
	}
}

const withFindings = `group app "App servers"
group db  "DB"
network old 192.0.2.0/24 "Unused"

internet -> app tcp/8443 because "partner callbacks"
app      -> db  tcp/5432 because "TODO"
app      -> db  tcp/5433 because "replica reads" until 2026-06-03
`

// TestSARIF validates the SARIF log structurally: version, tool, rules with
// ids and help, results pointing at the intent lines.
func TestSARIF(t *testing.T) {
	dir := writeFiles(t, map[string]string{"p.intent": withFindings})
	r := run(t, "", "check", "--format", "sarif", "--now", "2026-06-01", dir)
	if r.code != 0 {
		t.Fatalf("exit %d (warnings only): %s", r.code, r.stderr)
	}
	var log struct {
		Schema  string `json:"$schema"`
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name  string `json:"name"`
					Rules []struct {
						ID               string `json:"id"`
						ShortDescription struct{ Text string }
						Help             *struct{ Text string }
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID    string `json:"ruleId"`
				RuleIndex int    `json:"ruleIndex"`
				Level     string `json:"level"`
				Message   struct{ Text string }
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
						Region           struct{ StartLine, StartColumn, EndLine, EndColumn int }
					}
				}
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &log); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if log.Version != "2.1.0" || !strings.Contains(log.Schema, "sarif-2.1.0") || len(log.Runs) != 1 {
		t.Fatalf("not a SARIF 2.1.0 log with one run: %s %s", log.Version, log.Schema)
	}
	run := log.Runs[0]
	if run.Tool.Driver.Name != "sgc" || len(run.Tool.Driver.Rules) < 17 {
		t.Fatalf("tool %q with %d rules", run.Tool.Driver.Name, len(run.Tool.Driver.Rules))
	}
	for _, rule := range run.Tool.Driver.Rules {
		if rule.ID == "" || rule.ShortDescription.Text == "" || rule.Help == nil || !strings.Contains(rule.Help.Text, rule.ID) {
			t.Errorf("rule %q lacks an id, description or help", rule.ID)
		}
	}
	want := map[string]int{"SG101": 5, "SG113": 6, "SG107": 3, "SG108": 7}
	if len(run.Results) != len(want) {
		t.Errorf("%d results, want %d", len(run.Results), len(want))
	}
	for _, res := range run.Results {
		line, ok := want[res.RuleID]
		if !ok {
			t.Errorf("unexpected result %s", res.RuleID)
			continue
		}
		if run.Tool.Driver.Rules[res.RuleIndex].ID != res.RuleID || res.Level != "warning" || res.Message.Text == "" {
			t.Errorf("%s: bad rule index, level or message: %+v", res.RuleID, res)
		}
		loc := res.Locations[0].PhysicalLocation
		if !strings.HasSuffix(loc.ArtifactLocation.URI, "p.intent") || loc.Region.StartLine != line || loc.Region.StartColumn < 1 || loc.Region.EndColumn <= loc.Region.StartColumn {
			t.Errorf("%s: location %+v, want line %d of p.intent", res.RuleID, loc, line)
		}
	}
}

func TestFailOnAndLints(t *testing.T) {
	dir := writeFiles(t, map[string]string{"p.intent": withFindings})
	if r := run(t, "", "check", "--now", "2026-06-01", dir); r.code != 0 {
		t.Errorf("warnings failed the default check: exit %d", r.code)
	}
	if r := run(t, "", "check", "--fail-on", "warning", "--now", "2026-06-01", dir); r.code != 1 {
		t.Errorf("--fail-on warning: exit %d, want 1", r.code)
	}
	if r := run(t, "", "check", "--fail-on", "info", dir); r.code != 2 {
		t.Errorf("--fail-on info: exit %d, want 2", r.code)
	}
	// A severity raised in sgc.hcl fails the check, and the build.
	os.WriteFile(filepath.Join(dir, "sgc.hcl"), []byte("lint {\n  severity = { SG101 = \"error\" }\n}\n"), 0o644)
	if r := run(t, "", "check", "--now", "2026-06-01", dir); r.code != 1 || !strings.Contains(r.stdout, "error: \"app\" is open to the internet") {
		t.Errorf("SG101 as error: exit %d\n%s", r.code, r.stdout)
	}
	if r := run(t, "", "build", dir, "-t", "terraform", "-o", filepath.Join(t.TempDir(), "o"), "--now", "2026-06-01"); r.code != 1 {
		t.Errorf("build with an error finding: exit %d", r.code)
	}
	os.WriteFile(filepath.Join(dir, "sgc.hcl"), []byte("lint {\n  sevrity = {}\n}\n"), 0o644)
	if r := run(t, "", "check", dir); r.code != 1 || !strings.Contains(r.stdout, `sgc.hcl:2:3: error: unknown setting "sevrity"`) {
		t.Errorf("bad sgc.hcl: exit %d\n%s", r.code, r.stdout)
	}

	r := run(t, "", "lints")
	if r.code != 0 || strings.Count(r.stdout, "\n") != len(lint.Checks) || !strings.Contains(r.stdout, "SG110  over-quota") {
		t.Errorf("lints:\n%s", r.stdout)
	}
	r = run(t, "", "lints", "open-ingress")
	if r.code != 0 || !strings.Contains(r.stdout, "SG101 open-ingress (warning)") || !strings.Contains(r.stdout, "CKV_AWS_24") {
		t.Errorf("lints open-ingress:\n%s", r.stdout)
	}
	if r := run(t, "", "lints", "SG000"); r.code != 2 {
		t.Errorf("unknown lint: exit %d", r.code)
	}
}

func TestExpiring(t *testing.T) {
	dir := writeFiles(t, map[string]string{"p.intent": `group app "App"
network office 10.1.0.0/16 "Office"
office -> app tcp/1 because "later access" until 2026-09-01
office -> app tcp/2 because "soon access" until 2026-06-03
office -> app tcp/3 because "old access" until 2026-05-01
office -> app tcp/4 because "permanent access"
`})
	r := run(t, "", "expiring", "--now", "2026-06-01", dir)
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if r.code != 0 || len(lines) != 3 || !strings.HasPrefix(lines[0], "2026-05-01  expired 31 days ago") ||
		!strings.HasPrefix(lines[1], "2026-06-03  in 2 days") || !strings.Contains(lines[2], `"later access"`) {
		t.Errorf("expiring:\n%s", r.stdout)
	}
	r = run(t, "", "expiring", "--now", "2026-06-01", "--within", "7d", "--format", "json", dir)
	var items []struct {
		Until    string `json:"until"`
		DaysLeft int    `json:"days_left"`
		Status   string `json:"status"`
		Line     int    `json:"line"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &items); err != nil || len(items) != 2 || items[1].Until != "2026-06-03" ||
		items[1].DaysLeft != 2 || items[1].Status != "expiring" || items[1].Line != 4 || items[0].Status != "expired" {
		t.Errorf("expiring json: %v\n%s", err, r.stdout)
	}
	if r := run(t, "", "expiring", "--within", "soon", dir); r.code != 2 {
		t.Errorf("bad --within: exit %d", r.code)
	}
}

func TestReviewCommands(t *testing.T) {
	game := "../../examples/game"
	r := run(t, "", "why", "monitoring", "game-servers-production", "tcp/9999", game, "--now", "2026-11-21")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "allowed: monitoring -> game-servers-production tcp/9999\n") ||
		!strings.Contains(r.stdout, `production.intent:16  monitoring -> game-servers-production tcp/9999 because "Prometheus scrapes game metrics"`) {
		t.Errorf("why allowed: exit %d\n%s", r.code, r.stdout)
	}
	r = run(t, "", "why", "monitoring", "game-servers-production", "tcp/9100", game, "--now", "2026-11-21")
	if r.code != 1 || !strings.Contains(r.stdout, "denied: no flow allows") || !strings.Contains(r.stdout, "nearest flows:") {
		t.Errorf("why denied: exit %d\n%s", r.code, r.stdout)
	}
	for _, bad := range [][]string{
		{"why", "nobody", "monitoring", "tcp/1", game},
		{"why", "monitoring", "game-servers-production", "tcp:1", game},
		{"who-can-reach", "nobody", game},
		{"graph", "--group", "nobody", game},
		{"graph", "--format", "png", game},
	} {
		if r := run(t, "", bad...); r.code != 2 {
			t.Errorf("%v: exit %d, want 2: %s", bad, r.code, r.stderr)
		}
	}
	r = run(t, "", "who-can-reach", "game-servers-production", game, "--now", "2026-11-21")
	if r.code != 0 || strings.Count(r.stdout, "\n") != 5 {
		t.Errorf("who-can-reach: exit %d\n%s", r.code, r.stdout)
	}
	r = run(t, "", "reaches", "game-servers-production", game, "--now", "2026-11-21")
	if r.code != 0 || strings.Count(r.stdout, "\n") != 2 {
		t.Errorf("reaches: exit %d\n%s", r.code, r.stdout)
	}
	r = run(t, "", "graph", "--format", "dot", game, "--now", "2026-11-21")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "digraph sgc {") || !strings.Contains(r.stdout, `"corp-office" -> "game-servers-production" [label="tcp/22 until 2026-12-31", style=dashed];`) {
		t.Errorf("graph dot: exit %d\n%s", r.code, r.stdout)
	}
}

func gitRun(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
}

// TestDiffGit runs sgc diff --git HEAD~1 in a real temporary repository.
func TestDiffGit(t *testing.T) {
	testkit.Need(t, "git", "SGC_REQUIRE_REALTOOLS")
	repo := t.TempDir()
	policyDir := filepath.Join(repo, "policy")
	os.MkdirAll(policyDir, 0o755)
	v1 := "group web \"Web\"\ngroup app \"App\"\n\nweb -> app tcp/8080 because \"web calls app\"\n"
	v2 := v1 + "web -> app tcp/9090 because \"admin API for the web tier\"\n"
	write := func(s string) { os.WriteFile(filepath.Join(policyDir, "p.intent"), []byte(s), 0o644) }
	gitRun(t, repo, "init", "-q")
	write(v1)
	gitRun(t, repo, "add", ".")
	gitRun(t, repo, "commit", "-qm", "v1")
	write(v2)
	gitRun(t, repo, "commit", "-qam", "v2")
	t.Chdir(repo)

	r := run(t, "", "diff", "--git", "HEAD~1", "policy")
	if r.code != 0 || !strings.Contains(r.stdout, "+ web can now reach app on tcp/9090") || !strings.Contains(r.stdout, `because "admin API for the web tier" (policy/p.intent:5)`) {
		t.Errorf("diff --git HEAD~1: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := run(t, "", "diff", "--git", "HEAD~1", "--fail-on-widen", "policy"); r.code != 1 {
		t.Errorf("--fail-on-widen: exit %d", r.code)
	}
	if r := run(t, "", "diff", "--git", "HEAD", "--fail-on-widen", "policy"); r.code != 0 || !strings.Contains(r.stdout, "no flow changes; access unchanged") {
		t.Errorf("diff against HEAD: exit %d\n%s", r.code, r.stdout)
	}
	r = run(t, "", "diff", "--git", "HEAD~1", "--format", "markdown", "policy")
	if !strings.Contains(r.stdout, "### Widened access") || !strings.Contains(r.stdout, "| web | app | tcp/9090 |") {
		t.Errorf("markdown:\n%s", r.stdout)
	}
	r = run(t, "", "diff", "--git", "HEAD~1", "--format", "json", "policy")
	var doc struct {
		Widened []struct{ Source, Ports string } `json:"widened"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil || len(doc.Widened) != 1 || doc.Widened[0].Ports != "tcp/9090" {
		t.Errorf("json: %v\n%s", err, r.stdout)
	}
	if r := run(t, "", "diff", "--git", "no-such-rev", "policy"); r.code != 2 {
		t.Errorf("bad revision: exit %d", r.code)
	}
	// Two paths.
	old := filepath.Join(repo, "old")
	os.MkdirAll(old, 0o755)
	os.WriteFile(filepath.Join(old, "p.intent"), []byte(v2), 0o644)
	write(v1)
	if r := run(t, "", "diff", old, "policy"); r.code != 0 || !strings.Contains(r.stdout, "- web can no longer reach app on tcp/9090") {
		t.Errorf("diff OLD NEW: exit %d\n%s", r.code, r.stdout)
	}
	if r := run(t, "", "diff", old); r.code != 2 {
		t.Errorf("one path: exit %d", r.code)
	}
}

func TestDoc(t *testing.T) {
	out := filepath.Join(t.TempDir(), "report.html")
	r := run(t, "", "doc", "../../examples/data-platform", "--format", "html", "-o", out, "--now", "2026-11-21")
	if r.code != 0 {
		t.Fatalf("doc: exit %d: %s", r.code, r.stderr)
	}
	html, _ := os.ReadFile(out)
	for _, want := range []string{"<h3>eks-nodes</h3>", "VPC CNI pods use any port across nodes", "waives SG115", "flowchart LR"} {
		if !strings.Contains(string(html), want) {
			t.Errorf("report lacks %q", want)
		}
	}
	r = run(t, "", "doc", "../../examples/game", "--now", "2026-11-21")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "<!-- Code generated by sgc doc. DO NOT EDIT. -->\n# Security group policy report") || !strings.Contains(r.stdout, "| 2026-12-31 | corp-office -> game-servers-production |") {
		t.Errorf("doc markdown: exit %d\n%s", r.code, r.stdout)
	}
}

func TestImportAndDrift(t *testing.T) {
	fixture, err := os.ReadFile("../../account/importer/testdata/three-tier.json")
	if err != nil {
		t.Fatal(err)
	}
	// Import from standard input: one VPC, printed.
	r := run(t, string(fixture), "import", "-")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "# Drafted by sgc import") || !strings.Contains(r.stderr, "skipped the VPC's default group") {
		t.Fatalf("import -: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "vpc-0a1b2c3d4e5f60789.intent"), []byte(r.stdout), 0o644)
	// The imported policy checks (warnings only) and shows no drift against the same account.
	if r := run(t, "", "check", dir); r.code != 0 {
		t.Errorf("check of the draft: exit %d\n%s", r.code, r.stdout)
	}
	r = run(t, string(fixture), "drift", dir, "--live", "-")
	if r.code != 0 || !strings.Contains(r.stdout, "no drift") {
		t.Errorf("drift: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// Drift shows as exit 1, in every format.
	os.WriteFile(filepath.Join(dir, "extra.intent"), []byte("group orders-db-replica \"Read replica\"\norders-db-replica -> internet tcp/443 because \"backups upload\"\n"), 0o644)
	for _, format := range []string{"text", "json", "markdown"} {
		r = run(t, string(fixture), "drift", dir, "--live", "-", "--format", format)
		if r.code != 1 || !strings.Contains(r.stdout, "absent-group") {
			t.Errorf("drift --format %s: exit %d\n%s", format, r.code, r.stdout)
		}
	}
	// Several VPCs need -o or --vpc; -o writes one draft each.
	two := "../../account/importer/testdata/two-vpcs.json"
	if r := run(t, "", "import", two); r.code != 2 || !strings.Contains(r.stderr, "--vpc") {
		t.Errorf("import of two VPCs without -o: exit %d: %s", r.code, r.stderr)
	}
	out := t.TempDir()
	if r := run(t, "", "import", two, "-o", out); r.code != 0 {
		t.Errorf("import -o: exit %d: %s", r.code, r.stderr)
	}
	if m, _ := filepath.Glob(filepath.Join(out, "*.intent")); len(m) != 2 {
		t.Errorf("import -o wrote %v", m)
	}
	if r := run(t, "", "import", two, "--vpc", "vpc-0c1b2c3d4e5f60789"); r.code != 0 || !strings.Contains(r.stdout, "group metrics") {
		t.Errorf("import --vpc: exit %d\n%s", r.code, r.stdout)
	}
	// A draft edited since, or a file import never wrote, is refused with
	// exit 2 and the one refusal message every writer shares.
	draft := filepath.Join(out, "vpc-0c1b2c3d4e5f60789.intent")
	old, _ := os.ReadFile(draft)
	os.WriteFile(draft, append(old, "# reviewed\n"...), 0o644)
	if r := run(t, "", "import", two, "-o", out); r.code != 2 || !strings.Contains(r.stderr, "is a draft someone has edited since sgc import wrote it; refusing to overwrite it (use --force to replace it)") {
		t.Errorf("import over an edited draft: exit %d: %s", r.code, r.stderr)
	}
	if r := run(t, "", "import", two, "-o", out, "--force"); r.code != 0 {
		t.Errorf("import --force over an edited draft: exit %d: %s", r.code, r.stderr)
	}
	os.WriteFile(draft, []byte("# my own notes\n"), 0o644)
	if r := run(t, "", "import", two, "-o", out); r.code != 2 || !strings.Contains(r.stderr, "was not drafted by sgc import; refusing to overwrite it") {
		t.Errorf("import over a hand-written file: exit %d: %s", r.code, r.stderr)
	}
	if r := run(t, "not json", "import", "-"); r.code != 2 {
		t.Errorf("bad JSON: exit %d", r.code)
	}
	if r := run(t, "", "drift", dir); r.code != 2 {
		t.Errorf("drift without --live: exit %d", r.code)
	}
}

// TestDiffRenameIsNotWidening: renaming a network, a prefix list and an
// external (the same addresses and ids) neither widens access nor changes
// a resource, so --fail-on-widen passes and the predicted plans are empty.
func TestDiffRenameIsNotWidening(t *testing.T) {
	policy := `group web "Web"
network office 203.0.113.0/24 "Office"
prefix-list s3 pl-0123abcd "S3"
external partner sg-0123456789abcdef0 "Partner"
office -> web tcp/443 because "staff"
web -> s3 tcp/443 because "uploads"
partner -> web tcp/8443 because "callbacks"
`
	old := writeFiles(t, map[string]string{"p.intent": policy})
	renamed := strings.NewReplacer("office", "hq", "s3", "objects", "partner", "vendor").Replace(policy)
	cur := writeFiles(t, map[string]string{"p.intent": renamed})
	r := run(t, "", "diff", old, cur, "--fail-on-widen", "--now", "2026-11-21")
	if r.code != 0 || !strings.Contains(r.stdout, "access unchanged") {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{"Plan, terraform: 0 to add, 0 to change, 0 to destroy", "Plan, cloudformation: 0 to add, 0 to change, 0 to destroy", "source renamed office → hq"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("diff lacks %q:\n%s", want, r.stdout)
		}
	}
}

// TestDiffFlagsABrokenGuarantee: a change that would open access a never
// statement forbids fails diff (exit 1) at the flow, before any build.
func TestDiffFlagsABrokenGuarantee(t *testing.T) {
	policy := "group orders-db \"Orders database\"\ngroup web \"Web\"\nnever internet -> \"*-db\" because \"databases are private\"\nweb -> orders-db tcp/5432 because \"reads orders\"\n"
	old := writeFiles(t, map[string]string{"p.intent": policy})
	cur := writeFiles(t, map[string]string{"p.intent": policy + "internet -> orders-db tcp/5432 because \"a quick test\"\n"})
	r := run(t, "", "diff", old, cur, "--now", "2026-11-21")
	if r.code != 1 || !strings.Contains(r.stderr, "NeverViolated") || !strings.Contains(r.stderr, "the change breaks 1 guarantee") {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
}

// TestDiffExpiryByTime: nothing edited, but a flow's day has come since
// the deployed build. Judged as of its commit's day, the old version still
// has the flow, so diff shows it expired and its rules destroyed, as
// terraform plan will; --old-now says the day of the deployed build. A
// revision that looks like an option is refused, never passed to git.
func TestDiffExpiryByTime(t *testing.T) {
	testkit.Need(t, "git", "SGC_REQUIRE_REALTOOLS")
	repo := t.TempDir()
	os.WriteFile(filepath.Join(repo, "p.intent"), []byte("group web \"Web\"\ngroup app \"App\"\n\nweb -> app tcp/8080 because \"web calls app\" until 2026-12-10\n"), 0o644)
	gitRun(t, repo, "init", "-q")
	gitRun(t, repo, "add", ".")
	cmd := exec.Command("git", "commit", "-qm", "v1")
	cmd.Dir = repo
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com",
		"GIT_COMMITTER_DATE=2026-12-01T10:00:00Z", "GIT_AUTHOR_DATE=2026-12-01T10:00:00Z")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	t.Chdir(repo)
	r := run(t, "", "diff", "--git", "HEAD", "--now", "2026-12-10", "-t", "terraform", ".")
	if r.code != 0 || !strings.Contains(r.stdout, "expired") || !strings.Contains(r.stdout, "destroy") || !strings.Contains(r.stderr, "judged as of 2026-12-01") {
		t.Errorf("a flow expired since the commit: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = run(t, "", "diff", "--git", "HEAD", "--now", "2026-12-10", "--old-now", "2026-12-10", ".")
	if r.code != 0 || !strings.Contains(r.stdout, "no flow changes") {
		t.Errorf("--old-now as --now: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, rev := range []string{"--output=/tmp/sgc-pwned", "-p"} {
		if r := run(t, "", "diff", "--git="+rev, "."); r.code != 2 || !strings.Contains(r.stderr, "not a git revision") {
			t.Errorf("--git=%s: exit %d\n%s", rev, r.code, r.stderr)
		}
	}
}

// TestChoiceFlagsComplete: shell completion offers a choice flag's values
// (the list the flag refuses others by), and the target table's names.
func TestChoiceFlagsComplete(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"check", "--format", ""}, "text\njson\nsarif\n"},
		{[]string{"diff", "--color", ""}, "auto\nalways\nnever\n"},
		{[]string{"graph", "--format", ""}, "mermaid\ndot\n"},
		{[]string{"build", "-t", ""}, "terraform\ncloudformation\n"},
	} {
		r := run(t, "", append([]string{"__complete"}, tc.args...)...)
		if r.code != 0 || !strings.HasPrefix(r.stdout, tc.want) {
			t.Errorf("completion of %v: exit %d\n%s", tc.args, r.code, r.stdout)
		}
	}
}
