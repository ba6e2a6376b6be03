package realtools

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/emit"
	"github.com/sgc-dev/sgc/emit/cloudformation"
	"github.com/sgc-dev/sgc/internal/ruleset"
	"github.com/sgc-dev/sgc/review"
)

// CloudFormation cannot run here (moto's skips egress resources and
// re-creates a security group on any update), so its change set is worked
// out from the templates themselves, as CloudFormation does: a resource
// only in the new templates is added, one only in the old removed, and one
// in both is replaced when a property the official resource schema lists
// as createOnly changes (a reference counting as changed when what it
// references is replaced: a !GetAtt in one template, an Fn::ImportValue of
// another stack's export in split stacks) and modified when any other
// property does. Metadata is not a property: it changes nothing in AWS.

// createOnly reads the createOnlyProperties of each resource type from the
// shared resource schemas.
func createOnly(t *testing.T) map[string]map[string]bool {
	t.Helper()
	dir := filepath.Join("..", "..", "..", "shared", "schemas", "cloudformation")
	out := map[string]map[string]bool{}
	for typ, name := range map[string]string{
		"AWS::EC2::SecurityGroup":        "aws-ec2-securitygroup.json",
		"AWS::EC2::SecurityGroupIngress": "aws-ec2-securitygroupingress.json",
		"AWS::EC2::SecurityGroupEgress":  "aws-ec2-securitygroupegress.json",
	} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			if os.Getenv("CI") != "" || os.Getenv("SGC_REQUIRE_SCHEMAS") != "" {
				t.Fatalf("the shared schemas are required in CI: %v", err)
			}
			t.Skipf("shared schemas not found beside the repository: %v", err)
		}
		var doc struct {
			CreateOnly []string `json:"createOnlyProperties"`
		}
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		out[typ] = map[string]bool{}
		for _, p := range doc.CreateOnly {
			out[typ][strings.TrimPrefix(p, "/properties/")] = true
		}
	}
	return out
}

// stackSet is a build's templates read back: resources by address (the
// logical ID, after "stack/" in split stacks) and split exports by
// "stack/name".
type stackSet struct {
	res     map[string]cfnResource
	exports map[string]string // "groups-1/web" -> "groups-1/Web"
}

type cfnResource struct {
	stack string // "" for one template
	typ   string
	props map[string]any
}

var (
	importSub = regexp.MustCompile(`^\$\{GroupsStack([0-9]+)\}-(.+)$`)
	exportSub = regexp.MustCompile(`^\$\{AWS::StackName\}-(.+)$`)
)

func readStacks(t *testing.T, files []emit.File, split bool) stackSet {
	t.Helper()
	s := stackSet{res: map[string]cfnResource{}, exports: map[string]string{}}
	for _, f := range files {
		if !strings.HasSuffix(f.Path, ".yaml") && !strings.HasSuffix(f.Path, ".json") || strings.HasPrefix(f.Path, "template-import") {
			continue
		}
		tpl, err := ruleset.DecodeTemplate(f.Path, f.Data)
		if err != nil {
			t.Fatal(err)
		}
		stack, prefix := "", ""
		if split {
			stack = strings.TrimSuffix(strings.TrimSuffix(f.Path, ".yaml"), ".json")
			prefix = stack + "/"
		}
		for id, r := range tpl.Section("Resources") {
			m := r.(map[string]any)
			props, _ := m["Properties"].(map[string]any)
			s.res[prefix+id] = cfnResource{stack: stack, typ: m["Type"].(string), props: props}
		}
		for _, o := range tpl.Section("Outputs") {
			out := o.(map[string]any)
			exp, ok := out["Export"].(map[string]any)
			if !ok {
				continue
			}
			name, _ := exp["Name"].(map[string]any)
			value, _ := out["Value"].(map[string]any)
			sub, _ := name["Fn::Sub"].(string)
			att, _ := value["Fn::GetAtt"].([]any)
			if m := exportSub.FindStringSubmatch(sub); m != nil && len(att) == 2 {
				s.exports[prefix+m[1]] = prefix + att[0].(string)
			}
		}
	}
	return s
}

// resolve writes a property value with its references made explicit: to
// the address they name, marked when that resource is replaced.
func (s stackSet) resolve(v any, stack string, replaced map[string]bool) any {
	prefix := ""
	if stack != "" {
		prefix = stack + "/"
	}
	ref := func(addr string) any {
		if replaced[addr] {
			return "replaced " + addr
		}
		return "ref " + addr
	}
	switch v := v.(type) {
	case map[string]any:
		if att, ok := v["Fn::GetAtt"].([]any); ok && len(v) == 1 {
			return ref(prefix + att[0].(string))
		}
		if id, ok := v["Ref"].(string); ok && len(v) == 1 {
			if _, isRes := s.res[prefix+id]; isRes {
				return ref(prefix + id)
			}
			return "param " + id
		}
		if imp, ok := v["Fn::ImportValue"].(map[string]any); ok && len(v) == 1 {
			sub, _ := imp["Fn::Sub"].(string)
			if m := importSub.FindStringSubmatch(sub); m != nil {
				if addr, ok := s.exports["groups-"+m[1]+"/"+m[2]]; ok {
					return ref(addr)
				}
			}
			return fmt.Sprintf("unresolved import %v", imp)
		}
		out := map[string]any{}
		for k, e := range v {
			out[k] = s.resolve(e, stack, replaced)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = s.resolve(e, stack, replaced)
		}
		return out
	}
	return v
}

// changeSet is what CloudFormation does deploying after over before, in
// the form of a predicted plan.
func changeSet(t *testing.T, schemas map[string]map[string]bool, before, after stackSet) review.Plan {
	t.Helper()
	plan := review.Plan{Target: "cloudformation"}
	replaced := map[string]bool{}
	// Replacement spreads through references: repeat until nothing more is
	// replaced (groups first, then the rules that reference them).
	for changed := true; changed; {
		changed = false
		for addr, n := range after.res {
			o, ok := before.res[addr]
			if !ok || replaced[addr] {
				continue
			}
			if n.typ != o.typ {
				t.Fatalf("%s changes type", addr)
			}
			for k := range union(o.props, n.props) {
				only, known := schemas[n.typ]
				if known && !only[k] {
					continue
				}
				if !reflect.DeepEqual(before.resolve(o.props[k], o.stack, nil), after.resolve(n.props[k], n.stack, replaced)) {
					replaced[addr], changed = true, true
					break
				}
			}
		}
	}
	for addr, n := range after.res {
		o, ok := before.res[addr]
		switch {
		case !ok:
			plan.Create = append(plan.Create, addr)
		case replaced[addr]:
			plan.Replace = append(plan.Replace, addr)
		case !reflect.DeepEqual(before.resolve(o.props, o.stack, nil), after.resolve(n.props, n.stack, replaced)):
			plan.Update = append(plan.Update, addr)
		}
	}
	for addr := range before.res {
		if _, ok := after.res[addr]; !ok {
			plan.Destroy = append(plan.Destroy, addr)
		}
	}
	for _, l := range [][]string{plan.Create, plan.Update, plan.Replace, plan.Destroy} {
		sort.Strings(l)
	}
	return plan
}

func union(a, b map[string]any) map[string]bool {
	out := map[string]bool{}
	for k := range a {
		out[k] = true
	}
	for k := range b {
		out[k] = true
	}
	return out
}

// TestChangeSet holds the change-set reading to what CloudFormation does:
// a group built without its earlier description is replaced, and so is
// every rule on it or referencing it, in the same template (!GetAtt) or in
// another stack (Fn::ImportValue); the same edit built over the earlier
// output only updates the group.
func TestChangeSet(t *testing.T) {
	schemas := createOnly(t)
	src := "group web \"Web\"\ngroup db \"DB\"\nnetwork office 203.0.113.0/24 \"office\"\n" +
		"office -> web tcp/443 because \"staff\"\nweb -> db tcp/5432 because \"reads\"\n"
	old := compile(t, map[string][]byte{"p.intent": []byte(src)})
	edited := compile(t, map[string][]byte{"p.intent": []byte(strings.Replace(src, `"DB"`, `"Databases"`, 1))})
	for _, split := range []bool{false, true} {
		emitted := func(p *model.Program, described map[string]string) stackSet {
			files, diags := cloudformation.Emit(p, emit.Options{Split: split, Earlier: emit.Earlier{Descriptions: described}})
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			return readStacks(t, files, split)
		}
		before := emitted(old, nil)
		got := changeSet(t, schemas, before, emitted(edited, nil))
		if len(got.Replace) != 3 || len(got.Create)+len(got.Update)+len(got.Destroy) > 0 {
			t.Errorf("split %v: a new description replaces db and its two rules, got %s", split, planString(got))
		}
		kept := changeSet(t, schemas, before, emitted(edited, map[string]string{"db": "DB", "web": "Web"}))
		if len(kept.Update) != 1 || !strings.HasSuffix(kept.Update[0], "Db") || len(kept.Create)+len(kept.Replace)+len(kept.Destroy) > 0 {
			t.Errorf("split %v: a kept description updates db alone, got %s", split, planString(kept))
		}
		if want := emit.PredictPlan(cloudformation.Target, old, edited, emit.Options{Split: split}); planString(want) != planString(kept) {
			t.Errorf("split %v: predicted %s", split, planString(want))
		}
	}
}
