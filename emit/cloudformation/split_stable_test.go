package cloudformation_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/sgc-dev/sgc/compiler"
	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/emit"
	"github.com/sgc-dev/sgc/emit/cloudformation"
	"github.com/sgc-dev/sgc/internal/synth"
	"github.com/sgc-dev/sgc/internal/testkit"
	"github.com/sgc-dev/sgc/load"
)

// TestSplitStacksAreStable: with --split, a resource's stack depends on
// the resource alone. Adding one flow to a policy of thousands of rules
// changes the resources of only the stacks that hold that flow's rules,
// and removing it again changes them back; no resource moves between
// stacks, so every stack can be updated in any order.
func TestSplitStacksAreStable(t *testing.T) {
	when := compiler.Options{Now: testkit.Now}
	files := synth.Generate(synth.Config{Groups: 300, Flows: 3000, Seed: 5, GroupsPerFile: 50})
	base := load.FromSources(files, when)
	if base.Diags.HasErrors() {
		t.Fatal(base.Diags)
	}
	opts := emit.Options{Split: true}
	before := stackResources(t, build(t, base.Program, opts))
	if len(before) < 6 {
		t.Fatalf("only %d stacks", len(before))
	}
	grown := map[string][]byte{}
	for k, v := range files {
		grown[k] = v
	}
	grown["extra.intent"] = []byte("api-production-n1 -> web-production-n0 tcp/4444 because \"a new flow\"\n")
	next := load.FromSources(grown, when)
	if next.Diags.HasErrors() {
		t.Fatal(next.Diags)
	}
	after := stackResources(t, build(t, next.Program, opts))
	var changed []string
	for name, ids := range after {
		if !reflect.DeepEqual(ids, before[name]) {
			changed = append(changed, name)
		}
	}
	// The flow is two rules (an egress and an ingress): at most two stacks.
	if len(changed) == 0 || len(changed) > 2 {
		t.Errorf("adding one flow changed the resources of %v", changed)
	}
	for _, name := range changed {
		if !strings.HasPrefix(name, "rules-") {
			t.Errorf("adding a flow changed %s", name)
		}
	}
	plan := emit.PredictPlan(cloudformation.Target, base.Program, next.Program, opts)
	if len(plan.Create) != 2 || len(plan.Update)+len(plan.Replace)+len(plan.Destroy)+len(plan.Warnings) > 0 {
		t.Errorf("plan of one added flow: %+v", plan)
	}
	back := emit.PredictPlan(cloudformation.Target, next.Program, base.Program, opts)
	if len(back.Destroy) != 2 || len(back.Create)+len(back.Update)+len(back.Replace)+len(back.Warnings) > 0 {
		t.Errorf("plan of one removed flow: %+v", back)
	}
}

// TestSplitGroupChanges: in split stacks, editing a group's description
// replaces nothing (the group keeps its AWS description, so its exported
// id stays); removing a group is deployed rule stacks first, and a rename
// (a group removed, another added) takes two changes: both are said.
func TestSplitGroupChanges(t *testing.T) {
	when := compiler.Options{Now: testkit.Now}
	src := "group web \"Web\"\ngroup db \"DB\"\nweb -> db tcp/5432 because \"reads\"\n"
	compile := func(src string) *model.Program {
		t.Helper()
		p := load.FromSources(map[string][]byte{"p.intent": []byte(src)}, when)
		if p.Diags.HasErrors() {
			t.Fatal(p.Diags)
		}
		return p.Program
	}
	old := compile(src)
	edited := compile(strings.Replace(src, `"DB"`, `"Databases"`, 1))
	for _, opts := range []emit.Options{{Split: true}, {}, {GroupNames: emit.NameExact}} {
		plan := emit.PredictPlan(cloudformation.Target, old, edited, opts)
		if len(plan.Update) != 1 || !strings.HasSuffix(plan.Update[0], "Db") || len(plan.Create)+len(plan.Replace)+len(plan.Destroy)+len(plan.Warnings) > 0 {
			t.Errorf("%+v: editing a description: %+v", opts, plan)
		}
	}
	split := emit.Options{Split: true}
	removed := emit.PredictPlan(cloudformation.Target, old, compile("group web \"Web\"\n"), split)
	if len(removed.Warnings) != 1 || !strings.Contains(removed.Warnings[0], "deploy the rule stacks first") {
		t.Errorf("removing a group: %+v", removed)
	}
	if plain := emit.PredictPlan(cloudformation.Target, old, compile("group web \"Web\"\n"), emit.Options{}); len(plain.Warnings) > 0 {
		t.Errorf("removing a group from one stack warns: %v", plain.Warnings)
	}
	renamed := emit.PredictPlan(cloudformation.Target, old, compile(strings.ReplaceAll(src, "db", "database")), split)
	if len(renamed.Warnings) != 1 || !strings.Contains(renamed.Warnings[0], "Make two changes") {
		t.Errorf("renaming a group: %+v", renamed)
	}
}

// stackResources returns each stack's resources: logical ID and properties.
func stackResources(t *testing.T, files []emit.File) map[string]map[string]string {
	out := map[string]map[string]string{}
	for name, tpl := range templates(t, files) {
		res := map[string]string{}
		for id, r := range tpl.Section("Resources") {
			res[id] = fmt.Sprint(r)
		}
		out[strings.TrimSuffix(name, ".yaml")] = res
	}
	return out
}
