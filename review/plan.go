package review

import (
	"fmt"
	"sort"
	"strings"

	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/emit"
)

// Plan is what deploying the new build of a policy over the old one does
// in one target, predicted from the resources both builds emit: what
// `terraform plan` or a CloudFormation change set will show, by address.
type Plan struct {
	Target  string   `json:"target"`
	Create  []string `json:"create"`
	Update  []string `json:"update"`
	Replace []string `json:"replace"`
	Destroy []string `json:"destroy"`
	// Warnings name each change that the target cannot make without
	// downtime or a failed deploy, with what to do instead.
	Warnings []string `json:"warnings"`
}

// Empty reports whether the plan changes nothing.
func (p Plan) Empty() bool {
	return len(p.Create)+len(p.Update)+len(p.Replace)+len(p.Destroy) == 0
}

// Counts says the plan as Terraform's summary line does: a replacement is
// one to add and one to destroy.
func (p Plan) Counts() string {
	s := fmt.Sprintf("%d to add, %d to change, %d to destroy", len(p.Create)+len(p.Replace), len(p.Update), len(p.Destroy)+len(p.Replace))
	if len(p.Replace) > 0 {
		s += fmt.Sprintf(" (%d replaced)", len(p.Replace))
	}
	return s
}

// PredictPlan compares the resources target t emits for old and new. A
// resource only in new is created, one only in old destroyed; one in both
// is replaced when its replace-content differs or a resource it is
// replaced with is, and updated when its in-place content differs or a
// resource it is updated with is replaced.
func PredictPlan(t *emit.Target, old, new *model.Program, opts emit.Options) Plan {
	plan := Plan{Target: t.Name}
	before := map[string]emit.Resource{}
	for _, r := range t.Resources(old, opts) {
		before[r.Address] = r
	}
	after := t.Resources(new, opts)
	replaced := map[string]bool{}
	// Groups come before their rules in Resources, so a group's
	// replacement is known when its rules are judged.
	for _, r := range after {
		b, ok := before[r.Address]
		if !ok {
			plan.Create = append(plan.Create, r.Address)
			continue
		}
		switch {
		case b.Replace != r.Replace || anyIn(r.ReplacedWith, replaced):
			replaced[r.Address] = true
			plan.Replace = append(plan.Replace, r.Address)
		case b.Update != r.Update || anyIn(r.UpdatedWith, replaced):
			plan.Update = append(plan.Update, r.Address)
		}
	}
	afterBy := map[string]emit.Resource{}
	for _, r := range after {
		afterBy[r.Address] = r
	}
	createdAt := map[string]string{} // identity -> address, of created resources
	for _, a := range plan.Create {
		createdAt[afterBy[a].Identity] = a
	}
	for a, r := range before {
		if _, ok := afterBy[a]; ok {
			continue
		}
		plan.Destroy = append(plan.Destroy, a)
		if to, ok := createdAt[r.Identity]; ok {
			plan.Warnings = append(plan.Warnings, fmt.Sprintf("%s moves to %s: AWS refuses the new one while the old one exists "+
				"(a duplicate rule or group name); deploy the removal first, and the rule is absent until the second deploy", a, to))
		}
	}
	for _, s := range [][]string{plan.Create, plan.Update, plan.Replace, plan.Destroy} {
		sort.Strings(s)
	}
	for _, a := range plan.Replace {
		r := afterBy[a]
		if r.Rule != nil || r.Group == nil {
			continue
		}
		plan.Warnings = append(plan.Warnings, replacementWarning(t, r, before[a], opts)...)
	}
	sort.Strings(plan.Warnings)
	return plan
}

// replacementWarning says what goes wrong when the target replaces a
// group under the chosen naming, if anything does.
func replacementWarning(t *emit.Target, r, old emit.Resource, opts emit.Options) []string {
	var out []string
	exact := opts.Exact() || opts.Adopt.GroupOf(r.Group.Name) != nil
	switch {
	case exact && t.Name == "terraform":
		out = append(out, fmt.Sprintf("group %s is replaced under its exact name: Terraform must delete it before creating the new one, "+
			"which AWS refuses while an instance, network interface or load balancer uses it (the apply waits, then fails). "+
			"Detach it first, or build with group_names = %q", r.Group.Name, emit.NamePrefix))
	case exact:
		out = append(out, fmt.Sprintf("group %s is replaced, and it has a GroupName: CloudFormation cannot replace a custom-named resource, "+
			"so the stack update fails. Build with group_names = %q, or give the changed group a new role name", r.Group.Name, emit.NamePrefix))
	}
	if opts.Split && strings.Contains(r.Address, "/") {
		out = append(out, fmt.Sprintf("group %s is replaced in %s: its exported id changes, which CloudFormation refuses while a rule stack imports it. "+
			"Add the group under a new role name, move its flows, and remove the old one in a later change", r.Group.Name, r.Address[:strings.Index(r.Address, "/")]))
	}
	return out
}

func anyIn(addrs []string, set map[string]bool) bool {
	for _, a := range addrs {
		if set[a] {
			return true
		}
	}
	return false
}
