package cloudformation_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/tools/txtar"

	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/emit"
	"github.com/sgc-dev/sgc/emit/cloudformation"
	"github.com/sgc-dev/sgc/emit/terraform"
	"github.com/sgc-dev/sgc/internal/golden"
	"github.com/sgc-dev/sgc/internal/ruleset"
	"github.com/sgc-dev/sgc/internal/synth"
	"github.com/sgc-dev/sgc/internal/testkit"
	"github.com/sgc-dev/sgc/lang/diag"
)

var testNow = testkit.Now

func compile(t testing.TB, srcs map[string][]byte) *model.Program {
	t.Helper()
	return testkit.Compile(t, srcs)
}

func build(t testing.TB, p *model.Program, opts emit.Options) []emit.File {
	t.Helper()
	files, diags := cloudformation.Emit(p, opts)
	if diags.HasErrors() {
		t.Fatalf("emit: %v", diags)
	}
	return files
}

func TestGolden(t *testing.T) {
	golden.Run(t, "testdata", func(t *testing.T, a *txtar.Archive) map[string]string {
		srcs := golden.Inputs(a, ".intent")
		opts := emit.Options{SourceLines: bytes.Contains(a.Comment, []byte("[source-lines]")), Split: bytes.Contains(a.Comment, []byte("[split]"))}
		if bytes.Contains(a.Comment, []byte("[json]")) {
			opts.Format = "json"
		}
		out := map[string]string{}
		for _, f := range build(t, compile(t, srcs), opts) {
			out[f.Path] = string(f.Data)
		}
		return out
	})
}

// resources returns each template's resources with intrinsic functions.
func templates(t *testing.T, files []emit.File) map[string]ruleset.Template {
	t.Helper()
	out := map[string]ruleset.Template{}
	for _, f := range files {
		if strings.HasSuffix(f.Path, ".md") {
			continue
		}
		tpl, err := ruleset.DecodeTemplate(f.Path, f.Data)
		if err != nil {
			t.Fatalf("%s does not decode: %v\n%s", f.Path, err, f.Data)
		}
		out[f.Path] = tpl
	}
	return out
}

// TestRoundTrip: for hundreds of random policies, the rule set read back
// from the YAML template, from the JSON template and from the Terraform
// module all equal the model's.
func TestRoundTrip(t *testing.T) {
	n := 300
	if testing.Short() {
		n = 30
	}
	for seed := int64(1); seed <= int64(n); seed++ {
		r := rand.New(rand.NewSource(seed))
		p := compile(t, synth.Generate(synth.Config{Groups: 1 + r.Intn(15), Flows: r.Intn(60), Seed: seed, GroupsPerFile: 1 + r.Intn(5)}))
		want := ruleset.FromModel(p)
		tf, _ := terraform.Emit(p, emit.Options{})
		sets := map[string]func() (ruleset.Set, error){
			"yaml": func() (ruleset.Set, error) { return ruleset.FromCloudFormation(build(t, p, emit.Options{})) },
			"json": func() (ruleset.Set, error) {
				return ruleset.FromCloudFormation(build(t, p, emit.Options{Format: "json"}))
			},
			"split":     func() (ruleset.Set, error) { return ruleset.FromCloudFormation(build(t, p, emit.Options{Split: true})) },
			"terraform": func() (ruleset.Set, error) { return ruleset.FromTerraform(tf) },
		}
		for name, get := range sets {
			got, err := get()
			if err != nil {
				t.Fatalf("seed %d, %s: %v", seed, name, err)
			}
			if got.String() != want.String() {
				t.Fatalf("seed %d: %s rule set differs from the model\n--- model\n%s\n--- %s\n%s", seed, name, want, name, got)
			}
		}
	}
}

// TestYAMLAndJSONAgree decodes both formats of the same policy to the same
// document.
func TestYAMLAndJSONAgree(t *testing.T) {
	for seed := int64(1); seed <= 20; seed++ {
		p := compile(t, synth.Generate(synth.Config{Groups: 10, Flows: 40, Seed: seed}))
		y := templates(t, build(t, p, emit.Options{}))["template.yaml"]
		j := templates(t, build(t, p, emit.Options{Format: "json"}))["template.json"]
		yb, _ := json.Marshal(y)
		jb, _ := json.Marshal(j)
		if !bytes.Equal(yb, jb) {
			t.Fatalf("seed %d: YAML and JSON templates differ:\n%s\n%s", seed, yb, jb)
		}
	}
}

const sharedDir = "../../../shared"

// schemas compiles the CloudFormation resource schemas by resource type.
func schemas(t *testing.T) map[string]*jsonschema.Schema {
	t.Helper()
	dir := filepath.Join(sharedDir, "schemas", "cloudformation")
	files := map[string]string{
		"AWS::EC2::SecurityGroup":        "aws-ec2-securitygroup.json",
		"AWS::EC2::SecurityGroupIngress": "aws-ec2-securitygroupingress.json",
		"AWS::EC2::SecurityGroupEgress":  "aws-ec2-securitygroupegress.json",
	}
	out := map[string]*jsonschema.Schema{}
	for typ, name := range files {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			if os.Getenv("CI") != "" || os.Getenv("SGC_REQUIRE_SCHEMAS") != "" {
				t.Fatalf("the shared schemas are required in CI: %v", err)
			}
			t.Skipf("shared schemas not found beside the repository: %v", err)
		}
		var doc map[string]any
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		// The meta-schema URL is not reachable offline; the resource schema
		// is plain JSON Schema for the validator's purposes.
		delete(doc, "$schema")
		c := jsonschema.NewCompiler()
		if err := c.AddResource(name, doc); err != nil {
			t.Fatal(err)
		}
		s, err := c.Compile(name)
		if err != nil {
			t.Fatal(err)
		}
		out[typ] = s
	}
	return out
}

// literalize replaces intrinsic functions with values of the type they
// resolve to at deploy time, so that the schema can check the rest.
func literalize(v any) any {
	switch v := v.(type) {
	case map[string]any:
		if len(v) == 1 {
			for k, arg := range v {
				switch k {
				case "Ref":
					if arg == "VpcId" {
						return "vpc-0123456789abcdef0"
					}
					return "sg-0123456789abcdef0"
				case "Fn::GetAtt", "Fn::ImportValue":
					return "sg-0123456789abcdef0"
				case "Fn::Sub":
					return "x"
				case "Fn::Join":
					// As CloudFormation joins it: the parts with the separator.
					j := arg.([]any)
					var parts []string
					for _, p := range j[1].([]any) {
						parts = append(parts, p.(string))
					}
					return strings.Join(parts, j[0].(string))
				}
			}
		}
		out := map[string]any{}
		for k, e := range v {
			out[k] = literalize(e)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = literalize(e)
		}
		return out
	case float64:
		return json.Number(fmt.Sprint(int64(v)))
	}
	return v
}

// TestSchemaConformance validates every emitted resource's Properties
// against the CloudFormation resource schemas, for the golden cases and
// many random policies, split and not.
func TestSchemaConformance(t *testing.T) {
	ss := schemas(t)
	checked := 0
	check := func(files []emit.File) {
		for name, tpl := range templates(t, files) {
			for id, r := range tpl.Section("Resources") {
				res := r.(map[string]any)
				s, ok := ss[res["Type"].(string)]
				if !ok {
					t.Fatalf("%s: %s has unexpected type %v", name, id, res["Type"])
				}
				if err := s.Validate(literalize(res["Properties"])); err != nil {
					t.Errorf("%s: %s: %v", name, id, err)
				}
				checked++
			}
		}
	}
	for seed := int64(1); seed <= 60; seed++ {
		p := compile(t, synth.Generate(synth.Config{Groups: 10, Flows: 50, Seed: seed, GroupsPerFile: 3}))
		check(build(t, p, emit.Options{}))
		check(build(t, p, emit.Options{Split: seed%3 == 0, Format: map[bool]string{true: "json"}[seed%2 == 0]}))
	}
	if checked < 2000 {
		t.Fatalf("only %d resources checked", checked)
	}
}

// references lists the resources a value refers to by Ref or Fn::GetAtt.
func references(v any, out map[string]bool) {
	switch v := v.(type) {
	case map[string]any:
		if r, ok := v["Ref"].(string); ok {
			out[r] = true
		}
		if ga, ok := v["Fn::GetAtt"].([]any); ok {
			out[ga[0].(string)] = true
		}
		for _, e := range v {
			references(e, out)
		}
	case []any:
		for _, e := range v {
			references(e, out)
		}
	}
}

// acyclic checks that the resources of tpl form no dependency cycle.
func acyclic(t *testing.T, name string, tpl ruleset.Template) {
	t.Helper()
	res := tpl.Section("Resources")
	deps := map[string][]string{}
	for id, r := range res {
		refs := map[string]bool{}
		references(r, refs)
		if d, ok := r.(map[string]any)["DependsOn"]; ok {
			references(map[string]any{"Ref": d}, refs)
		}
		for ref := range refs {
			if _, isResource := res[ref]; isResource {
				deps[id] = append(deps[id], ref)
			} else if _, isParam := tpl.Section("Parameters")[ref]; !isParam && !strings.HasPrefix(ref, "AWS::") {
				t.Errorf("%s: %s refers to %s, which is neither a resource nor a parameter", name, id, ref)
			}
		}
	}
	const (
		unvisited = iota
		visiting
		done
	)
	state := map[string]int{}
	var visit func(id string, path []string)
	visit = func(id string, path []string) {
		switch state[id] {
		case visiting:
			t.Fatalf("%s: dependency cycle: %s -> %s", name, strings.Join(path, " -> "), id)
		case done:
			return
		}
		state[id] = visiting
		for _, d := range deps[id] {
			if d == id {
				t.Fatalf("%s: %s depends on itself", name, id)
			}
			visit(d, append(path, id))
		}
		state[id] = done
	}
	for id := range res {
		visit(id, nil)
	}
}

// TestNoDependencyCycles builds the Ref/GetAtt graph of every template of
// random policies full of mutual and self references: it must be acyclic.
func TestNoDependencyCycles(t *testing.T) {
	for seed := int64(1); seed <= 40; seed++ {
		p := compile(t, synth.Generate(synth.Config{Groups: 6, Flows: 80, Seed: seed}))
		for _, split := range []bool{false, true} {
			for name, tpl := range templates(t, build(t, p, emit.Options{Split: split})) {
				acyclic(t, name, tpl)
			}
		}
	}
}

// TestDenyAllEgress: every group has the inline egress that matches no
// traffic, also when it has real egress rules, so AWS never adds its
// default allow-all egress.
func TestDenyAllEgress(t *testing.T) {
	p := compile(t, synth.Generate(synth.Config{Groups: 12, Flows: 100, Seed: 5}))
	groups := 0
	for _, tpl := range templates(t, build(t, p, emit.Options{})) {
		for id, r := range tpl.Section("Resources") {
			res := r.(map[string]any)
			if res["Type"] != "AWS::EC2::SecurityGroup" {
				continue
			}
			groups++
			egress, _ := res["Properties"].(map[string]any)["SecurityGroupEgress"].([]any)
			want := `[{"CidrIp":"255.255.255.255/32","Description":"Disallow all traffic","FromPort":252,"IpProtocol":"icmp","ToPort":86}]`
			if got, _ := json.Marshal(egress); string(got) != want {
				t.Errorf("%s: SecurityGroupEgress = %s, want %s", id, got, want)
			}
		}
	}
	if groups != 12 {
		t.Fatalf("found %d groups, want 12", groups)
	}
}

var logicalIDForm = regexp.MustCompile(`^[A-Za-z0-9]{1,255}$`)

// TestLogicalIDs: alphanumeric, at most 255 characters, unique, stable
// under reordering (the shuffled policy gives byte-identical output).
func TestLogicalIDs(t *testing.T) {
	srcs := map[string][]byte{"a.intent": []byte(`group web-a "A"
group web_a "A too"
group ` + strings.Repeat("very-long-name-", 16) + `x "Long"
network n 10.0.0.0/8, 2001:db8::/32 "N"
web-a -> web_a tcp/1 because "one"
n -> ` + strings.Repeat("very-long-name-", 16) + `x tcp/2-3 because "two"
`)}
	p := compile(t, srcs)
	files := build(t, p, emit.Options{})
	for name, tpl := range templates(t, files) {
		for _, section := range []string{"Parameters", "Resources", "Outputs"} {
			for id := range tpl.Section(section) {
				if !logicalIDForm.MatchString(id) {
					t.Errorf("%s: %s logical ID %q is not alphanumeric, at most 255", name, section, id)
				}
			}
		}
	}
	r := rand.New(rand.NewSource(1))
	for seed := int64(1); seed <= 10; seed++ {
		srcs := synth.Generate(synth.Config{Groups: 12, Flows: 60, Seed: seed, GroupsPerFile: 4})
		want := build(t, compile(t, srcs), emit.Options{})[0].Data
		for name, src := range srcs {
			lines := strings.Split(strings.TrimSpace(string(src)), "\n")
			r.Shuffle(len(lines), func(i, j int) { lines[i], lines[j] = lines[j], lines[i] })
			srcs[name] = []byte(strings.Join(lines, "\n") + "\n")
		}
		if got := build(t, compile(t, srcs), emit.Options{})[0].Data; !bytes.Equal(got, want) {
			t.Fatalf("seed %d: template changed under reordering", seed)
		}
	}
}

// TestLimits: a policy too big for one stack is an error with the counts
// and a pointer to --split; with --split, a 3,000-flow policy gives
// templates within every limit whose imports all resolve to exports.
func TestLimits(t *testing.T) {
	p := compile(t, synth.Generate(synth.Config{Groups: 300, Flows: 3000, Seed: 1, GroupsPerFile: 50}))
	if len(p.Flows) < 3000 {
		t.Fatalf("only %d flows", len(p.Flows))
	}
	_, diags := cloudformation.Emit(p, emit.Options{})
	var b bytes.Buffer
	diag.Fprint(&b, nil, diags)
	text := b.String()
	for _, want := range []string{"template template has " + fmt.Sprint(len(p.Groups)+len(p.Rules)) + " resources; CloudFormation allows at most 500",
		"has 300 outputs; CloudFormation allows at most 200", "--split"} {
		if !strings.Contains(text, want) {
			t.Errorf("limit report lacks %q:\n%s", want, text)
		}
	}

	files := build(t, p, emit.Options{Split: true})
	tpls := templates(t, files)
	exports := map[string]string{} // export name, with the stack as its default name -> template
	for name, tpl := range tpls {
		if !strings.HasPrefix(name, "groups-") {
			continue
		}
		stack := cloudformation.DefaultStackName(strings.TrimSuffix(name, ".yaml"))
		for _, o := range tpl.Section("Outputs") {
			sub := o.(map[string]any)["Export"].(map[string]any)["Name"].(map[string]any)["Fn::Sub"].(string)
			exports[strings.Replace(sub, "${AWS::StackName}", stack, 1)] = name
		}
	}
	var readme string
	for _, f := range files {
		size := len(f.Data)
		if f.Path == "README.md" {
			readme = string(f.Data)
			continue
		}
		if size > cloudformation.MaxBytes {
			t.Errorf("%s is %d bytes", f.Path, size)
		}
		tpl := tpls[f.Path]
		for section, max := range map[string]int{"Resources": cloudformation.MaxResources, "Outputs": cloudformation.MaxOutputs, "Parameters": cloudformation.MaxParameters} {
			if n := len(tpl.Section(section)); n > max {
				t.Errorf("%s has %d %s", f.Path, n, section)
			}
		}
		// Every import names a stack parameter whose default is the name
		// the README deploys that group stack under, and an export of it.
		params := tpl.Section("Parameters")
		var imports []string
		collectImports(tpl, &imports)
		for _, imp := range imports {
			m := regexp.MustCompile(`^\$\{(GroupsStack\d+)\}-(.+)$`).FindStringSubmatch(imp)
			if m == nil {
				t.Fatalf("%s: unexpected import %q", f.Path, imp)
			}
			param, ok := params[m[1]].(map[string]any)
			if !ok {
				t.Fatalf("%s: import %q uses undeclared parameter %s", f.Path, imp, m[1])
			}
			stack := param["Default"].(string)
			if _, ok := exports[stack+"-"+m[2]]; !ok {
				t.Errorf("%s: import %q resolves to %s-%s, which no group stack exports", f.Path, imp, stack, m[2])
			}
			if !strings.Contains(readme, "--stack-name "+stack+" ") {
				t.Errorf("the README does not deploy %s", stack)
			}
		}
		acyclic(t, f.Path, tpl)
	}
	if len(tpls) < 3 {
		t.Fatalf("split gave %d templates", len(tpls))
	}
	got, err := ruleset.FromCloudFormation(files)
	if err != nil {
		t.Fatal(err)
	}
	if got.String() != ruleset.FromModel(p).String() {
		t.Fatal("the split stacks do not hold the model's rules")
	}
}

func collectImports(v any, out *[]string) {
	switch v := v.(type) {
	case map[string]any:
		if imp, ok := v["Fn::ImportValue"].(map[string]any); ok {
			*out = append(*out, imp["Fn::Sub"].(string))
		}
		for _, e := range v {
			collectImports(e, out)
		}
	case []any:
		for _, e := range v {
			collectImports(e, out)
		}
	}
}

// TestPlaceholderCountsAgainstTheQuota: a group with as many IPv4
// outbound rules as the quota allows has no room for the placeholder
// egress rule the template adds; AWS would refuse the stack, so the build
// does, at the group. One fewer builds.
func TestPlaceholderCountsAgainstTheQuota(t *testing.T) {
	src := func(n int) map[string][]byte {
		var b strings.Builder
		b.WriteString("group app \"App\"\n")
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, "network n%d 10.%d.0.0/16 \"N\"\napp -> n%d tcp/443 because \"calls\"\n", i, i, i)
		}
		return map[string][]byte{"p.intent": []byte(b.String())}
	}
	_, diags := cloudformation.Target.Emit(compile(t, src(60)), emit.Options{})
	if n := diags.CountCode(cloudformation.PlaceholderOverQuota); n != 1 || diags[0].Subject.Start.Line != 1 {
		t.Errorf("60 outbound rules: %v", diags)
	}
	if _, diags := cloudformation.Target.Emit(compile(t, src(59)), emit.Options{}); diags.HasErrors() {
		t.Errorf("59 outbound rules: %v", diags)
	}
	if _, diags := cloudformation.Target.Emit(compile(t, src(60)), emit.Options{Quota: 100}); diags.HasErrors() {
		t.Errorf("60 outbound rules, quota 100: %v", diags)
	}
}

// TestCrossAccountEgress: an outbound rule to a group of another account
// is refused at the flow, since AWS::EC2::SecurityGroupEgress cannot name
// the account; the inbound rule of the same external is written.
func TestCrossAccountEgress(t *testing.T) {
	p := compile(t, map[string][]byte{"a.intent": []byte(`group api "API"
external mon 123456789012/sg-0123456789abcdef0 "Monitoring"
mon -> api tcp/9100 because "scrapes metrics"
api -> mon tcp/443 because "pushes alerts"
`)})
	for _, split := range []bool{false, true} {
		files, diags := cloudformation.Emit(p, emit.Options{Split: split})
		if !diags.HasErrors() || files != nil {
			t.Fatalf("split=%v: files %d, diags %v: want the outbound rule refused", split, len(files), diags)
		}
		var found bool
		for _, d := range diags {
			if d.Code == cloudformation.CrossAccountEgress {
				found = true
				if d.Subject.Start.Line != 4 || d.Subject.Start.Column != 8 {
					t.Errorf("split=%v: refused at %v, want the flow's destination (4:8)", split, d.Subject.Start)
				}
			}
		}
		if !found {
			t.Errorf("split=%v: no %s in %v", split, cloudformation.CrossAccountEgress, diags)
		}
	}
}
