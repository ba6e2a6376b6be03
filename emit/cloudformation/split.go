package cloudformation

import (
	"fmt"
	"sort"
	"strings"

	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/emit"
	"github.com/sgc-dev/sgc/internal/parallel"
)

// Sizes of split stacks, kept under the limits with room to spare: group
// stacks are bound by the outputs limit (one export per group), rule stacks
// by the resources limit and, for long descriptions, by size.
const (
	groupsPerStack = MaxOutputs
	rulesPerStack  = MaxResources
)

// groupsStackParam names the parameter through which a rule stack learns
// the name of group stack i, to import the ids it exports.
func groupsStackParam(i int) string { return fmt.Sprintf("GroupsStack%d", i) }

// DefaultStackName is the stack name the split README and the parameter
// defaults assume for a template.
func DefaultStackName(template string) string { return "sgc-" + template }

// splitTemplates spreads the program over group stacks (groups and their
// exported ids) and rule stacks (rules, importing the group ids), and
// renders each with render.
func splitTemplates(p *model.Program, n names, opts emit.Options, render func(*template) []byte) ([]*template, [][]byte) {
	var out []*template
	stackOf := groupStacks{}
	nGroupStacks := (len(p.Groups) + groupsPerStack - 1) / groupsPerStack
	for i := 0; i < nGroupStacks; i++ {
		t := newTemplate(fmt.Sprintf("groups-%d", i+1),
			description(p, fmt.Sprintf("Security groups, part %d of %d; their ids are exported for the rule stacks", i+1, nGroupStacks)))
		t.params.set("VpcId", vpcParam())
		for _, g := range p.Groups[i*groupsPerStack : min((i+1)*groupsPerStack, len(p.Groups))] {
			stackOf[g] = groupStack{i + 1, importVal{sub{fmt.Sprintf("${%s}-%s", groupsStackParam(i+1), n.export[g])}}}
			t.resources.set(n.group[g], groupResource(g))
			t.outputs.set(n.group[g]+"Id", groupOutput(g, n))
		}
		out = append(out, t)
	}

	// Rules in model order (by group), in chunks of rulesPerStack, each
	// stack rendered once. Only if one would pass the size limit (it takes
	// names and descriptions near AWS's maximum lengths) are the chunks cut
	// again: a chunk too big is halved until it fits, judged on the JSON
	// rendering, which is never smaller than the YAML.
	var chunks [][]*model.Rule
	for i := 0; i < len(p.Rules); i += rulesPerStack {
		chunks = append(chunks, p.Rules[i:min(i+rulesPerStack, len(p.Rules))])
	}
	rules, data := ruleStacks(p, n, chunks, stackOf, opts, render)
	for _, d := range data {
		if len(d) > MaxBytes {
			chunks = fitChunks(p, n, chunks, stackOf, opts)
			rules, data = ruleStacks(p, n, chunks, stackOf, opts, render)
			break
		}
	}
	all := append(out, rules...)
	return all, append(renderAll(out, render), data...)
}

// renderAll renders templates side by side.
func renderAll(templates []*template, render func(*template) []byte) [][]byte {
	data := make([][]byte, len(templates))
	parallel.Each(len(templates), func(i int) { data[i] = render(templates[i]) })
	return data
}

// ruleStacks builds and renders a rule stack per chunk. The stacks are
// independent, so they are made side by side; each lands in its own slot,
// so the result does not depend on the order they finish in.
func ruleStacks(p *model.Program, n names, chunks [][]*model.Rule, stackOf groupStacks, opts emit.Options, render func(*template) []byte) ([]*template, [][]byte) {
	rules := make([]*template, len(chunks))
	data := make([][]byte, len(chunks))
	parallel.Each(len(chunks), func(i int) {
		t := ruleStack(p, n, chunks[i], stackOf, i+1, opts)
		t.root.set("Description", description(p, fmt.Sprintf("Security group rules, part %d of %d", i+1, len(chunks))))
		rules[i], data[i] = t, render(t)
	})
	return rules, data
}

// fitChunks halves chunks until each one's stack is within the size limit.
func fitChunks(p *model.Program, n names, chunks [][]*model.Rule, stackOf groupStacks, opts emit.Options) [][]*model.Rule {
	var out [][]*model.Rule
	for len(chunks) > 0 {
		c := chunks[0]
		chunks = chunks[1:]
		t := ruleStack(p, n, c, stackOf, len(out)+1, opts)
		if len(c) > 1 && len(renderJSON(t.root)) > MaxBytes {
			chunks = append([][]*model.Rule{c[:len(c)/2], c[len(c)/2:]}, chunks...)
			continue
		}
		out = append(out, c)
	}
	return out
}

// groupStacks says for each group which group stack holds it.
type groupStacks map[*model.Group]groupStack

type groupStack struct {
	index int // of the groups-N stack
	id    any // the group's id, imported from that stack
}

func ruleStack(p *model.Program, n names, rules []*model.Rule, stackOf groupStacks, index int, opts emit.Options) *template {
	t := newTemplate(fmt.Sprintf("rules-%d", index), "")
	used := map[int]bool{}
	inputs := map[*model.External]bool{}
	groupID := func(g *model.Group) any {
		used[stackOf[g].index] = true
		return stackOf[g].id
	}
	inputID := func(e *model.External) any {
		inputs[e] = true
		return ref{n.input[e]}
	}
	for _, r := range rules {
		t.resources.set(n.rule[r], ruleResource(r, n, groupID, inputID, opts))
	}
	var stacks []int
	for s := range used {
		stacks = append(stacks, s)
	}
	sort.Ints(stacks)
	for _, s := range stacks {
		t.params.set(groupsStackParam(s), obj().set("Type", "String").
			set("Default", DefaultStackName(fmt.Sprintf("groups-%d", s))).
			set("Description", fmt.Sprintf("Name of the stack deployed from groups-%d, whose group ids this stack imports.", s)))
	}
	for _, e := range p.Externals {
		if inputs[e] {
			t.params.set(n.input[e], inputParam(e))
		}
	}
	return t
}

// deployReadme says in which order to deploy the split stacks.
func deployReadme(p *model.Program, templates []*template, ext string) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "<!-- %s -->\n\n", emit.Header(p))
	b.WriteString("# Deploying the split CloudFormation stacks\n\n")
	b.WriteString("The policy's groups and rules are spread over several stacks, each within\n")
	b.WriteString("CloudFormation's limits. Group stacks export their group ids; rule stacks import them, so the\n")
	b.WriteString("group stacks must be deployed first and deleted last.\n\n")
	b.WriteString("Templates over 51,200 bytes must be uploaded to S3: pass `--s3-bucket BUCKET`.\n\n")
	b.WriteString("1. Deploy the group stacks (in any order, or in parallel):\n\n```sh\n")
	var inputs []string
	for _, e := range p.Inputs() {
		inputs = append(inputs, e.Name)
	}
	for _, t := range templates {
		if strings.HasPrefix(t.name, "groups-") {
			fmt.Fprintf(&b, "aws cloudformation deploy --stack-name %s --template-file %s.%s --parameter-overrides VpcId=vpc-XXXXXXXX\n",
				DefaultStackName(t.name), t.name, ext)
		}
	}
	b.WriteString("```\n\n2. Then deploy the rule stacks (in any order, or in parallel):\n\n```sh\n")
	for _, t := range templates {
		if !strings.HasPrefix(t.name, "rules-") {
			continue
		}
		var overrides []string
		for _, k := range t.params.keys {
			if strings.HasPrefix(k, "GroupsStack") {
				overrides = append(overrides, k+"="+t.params.get(k).(*object).get("Default").(string))
			} else {
				overrides = append(overrides, k+"=sg-XXXXXXXX")
			}
		}
		fmt.Fprintf(&b, "aws cloudformation deploy --stack-name %s --template-file %s.%s", DefaultStackName(t.name), t.name, ext)
		if len(overrides) > 0 {
			fmt.Fprintf(&b, " --parameter-overrides %s", strings.Join(overrides, " "))
		}
		b.WriteString("\n")
	}
	b.WriteString("```\n\nTo remove everything, delete the rule stacks first, then the group stacks.\n")
	if len(inputs) > 0 {
		fmt.Fprintf(&b, "\nThe rule stacks that reference %s take their ids as parameters (`sg-XXXXXXXX` above).\n", strings.Join(inputs, ", "))
	}
	return []byte(b.String())
}
