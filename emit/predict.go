package emit

import (
	"fmt"
	"sort"
	"strings"

	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/internal/parallel"
	"github.com/sgc-dev/sgc/internal/plan"
)

// PredictPlan compares the resources target t emits for old and new. A
// resource only in new is created, one only in old destroyed; one in both
// is replaced when its replace-content differs or a resource it is
// replaced with is, and updated when its in-place content differs or a
// resource it is updated with is replaced.
func PredictPlan(t *Target, old, new *model.Program, opts Options) plan.Plan {
	pl := plan.Plan{Target: t.Name}
	// The two builds are independent (the new one needs only the old
	// program's descriptions): they are made side by side.
	var oldRes, newRes []Resource
	parallel.Do(
		func() { oldRes = t.Resources(old, opts) },
		func() {
			// The new build is made over the old one's output, whose
			// descriptions a target that keeps them keeps (Earlier).
			newOpts := opts
			newOpts.Earlier = Earlier{Descriptions: DescribedAfter(old, opts)}
			newRes = t.Resources(new, newOpts)
		},
	)
	// Resources are indexed by pointer into their lists: a resource is
	// ten words, and copying each into a map was a tenth of a diff.
	before := make(map[string]*Resource, len(oldRes))
	inputsBefore := map[string]bool{}
	for i := range oldRes {
		if r := &oldRes[i]; r.Input {
			inputsBefore[r.Address] = true
		} else {
			before[r.Address] = r
		}
	}
	after := make([]*Resource, 0, len(newRes))
	inputsAfter := map[string]bool{}
	for i := range newRes {
		if r := &newRes[i]; r.Input {
			inputsAfter[r.Address] = true
		} else {
			after = append(after, r)
		}
	}
	for a := range inputsAfter {
		if !inputsBefore[a] {
			pl.Warnings = append(pl.Warnings, fmt.Sprintf("input %s is new (an external declared without an id, or a VPC named in also-in): every caller must now pass it", a))
		}
	}
	for a := range inputsBefore {
		if !inputsAfter[a] {
			pl.Warnings = append(pl.Warnings, fmt.Sprintf("input %s is gone (its external is no longer declared, or no group names its VPC): a caller that still passes it fails", a))
		}
	}
	replaced := map[string]bool{}
	// Groups come before their rules in Resources, so a group's
	// replacement is known when its rules are judged.
	moved := map[string]bool{} // old addresses a resource moved from
	for _, r := range after {
		b, ok := before[r.Address]
		for _, from := range r.MovedFrom {
			if ok {
				break
			}
			if b, ok = before[from]; ok {
				moved[from] = true
			}
		}
		if !ok {
			pl.Create = append(pl.Create, r.Address)
			continue
		}
		switch {
		case b.Replace != r.Replace || anyIn(r.ReplacedWith, replaced):
			replaced[r.Address] = true
			pl.Replace = append(pl.Replace, r.Address)
		case b.Update != r.Update || anyIn(r.UpdatedWith, replaced):
			pl.Update = append(pl.Update, r.Address)
		}
	}
	afterBy := make(map[string]*Resource, len(after))
	for _, r := range after {
		afterBy[r.Address] = r
	}
	createdAt := map[string]string{} // identity -> address, of created resources
	for _, a := range pl.Create {
		createdAt[afterBy[a].Identity] = a
	}
	for a, r := range before {
		if _, ok := afterBy[a]; ok || moved[a] {
			continue
		}
		pl.Destroy = append(pl.Destroy, a)
		if to, ok := createdAt[r.Identity]; ok {
			pl.Warnings = append(pl.Warnings, fmt.Sprintf("%s moves to %s: AWS refuses the new one while the old one exists "+
				"(a duplicate rule or group name); deploy the removal first, and the rule is absent until the second deploy", a, to))
		}
	}
	for _, s := range [][]string{pl.Create, pl.Update, pl.Replace, pl.Destroy} {
		sort.Strings(s)
	}
	pl.Warnings = append(pl.Warnings, splitRemovalWarnings(pl, before, afterBy)...)
	for _, a := range pl.Replace {
		r := afterBy[a]
		if r.Rule != nil || r.Group == nil {
			continue
		}
		pl.Warnings = append(pl.Warnings, replacementWarning(t, *r, opts)...)
		if r.Group.LoadBalancer == model.NetworkLoadBalancer {
			pl.Warnings = append(pl.Warnings, fmt.Sprintf("group %s is a Network Load Balancer's and is replaced: the balancer keeps the old group "+
				"until it is given the new one (aws elbv2 set-security-groups, or the load balancer's own configuration) before the old one is deleted; "+
				"an NLB created with groups can change them but never drop to none", r.Group.Name))
		}
	}
	for _, a := range pl.Destroy {
		if r := before[a]; r.Rule == nil && r.Group != nil && r.Group.LoadBalancer == model.NetworkLoadBalancer {
			pl.Warnings = append(pl.Warnings, fmt.Sprintf("group %s is a Network Load Balancer's and is removed: give the balancer another group first; "+
				"AWS refuses to leave an NLB created with groups without any", r.Group.Name))
		}
	}
	sort.Strings(pl.Warnings)
	return pl
}

// replacementWarning says what goes wrong when the target replaces a
// group under the chosen naming, if anything does. Only Terraform
// replaces groups: CloudFormation keeps a group's description
// (Earlier), and a new name is a new logical ID.
func replacementWarning(t *Target, r Resource, opts Options) []string {
	exact := opts.Exact() || opts.Adopt.Group(r.Group.Name) != nil
	if t.Name != "terraform" {
		return nil
	}
	if !exact {
		return []string{fmt.Sprintf("group %s is replaced: Terraform creates the new group and moves what this configuration attaches to it, "+
			"then deletes the old group's rules and the old group. Move anything attached from outside (another state, an RDS instance, "+
			"a load balancer) to the new group before the apply reaches the delete: until then it keeps the old group, whose rules are gone, "+
			"and AWS refuses the delete while it is attached", r.Group.Name)}
	}
	return []string{fmt.Sprintf("group %s is replaced under its exact name: Terraform must delete it before creating the new one, "+
		"which AWS refuses while an instance, network interface or load balancer uses it (the apply waits, then fails). "+
		"Detach it first, or build with group_names = %q", r.Group.Name, NamePrefix)}
}

// splitRemovalWarnings says how to deploy a change that removes groups
// from split stacks: a group stack cannot drop a group's exported id while
// a rule stack imports it, so the rule stacks go first; and when the
// change also adds groups, which the rule stacks import, the two cannot
// be deployed in one go.
func splitRemovalWarnings(pl plan.Plan, before, after map[string]*Resource) []string {
	var removed, added []string
	for _, a := range pl.Destroy {
		if r := before[a]; r.Group != nil && r.Rule == nil && strings.Contains(a, "/") {
			removed = append(removed, r.Group.Name)
		}
	}
	for _, a := range pl.Create {
		if r := after[a]; r.Group != nil && r.Rule == nil && strings.Contains(a, "/") {
			added = append(added, r.Group.Name)
		}
	}
	if len(removed) == 0 {
		return nil
	}
	sort.Strings(removed)
	sort.Strings(added)
	if len(added) == 0 {
		return []string{fmt.Sprintf("group(s) %s removed: CloudFormation refuses to remove an exported id while a rule stack imports it, "+
			"so deploy the rule stacks first, then the group stacks", strings.Join(removed, ", "))}
	}
	return []string{fmt.Sprintf("group(s) %s removed and %s added: the rule stacks need the new groups' ids before they stop importing the old ones, "+
		"which no order of one deploy gives. Make two changes: first add the new groups and move the flows (group stacks, then rule stacks), "+
		"then remove the old groups (rule stacks, then group stacks)", strings.Join(removed, ", "), strings.Join(added, ", "))}
}

func anyIn(addrs []string, set map[string]bool) bool {
	for _, a := range addrs {
		if set[a] {
			return true
		}
	}
	return false
}
