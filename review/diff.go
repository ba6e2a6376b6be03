package review

import (
	"cmp"
	"fmt"
	"strings"

	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/internal/parallel"
	"github.com/sgc-dev/sgc/internal/plan"
)

// FlowChange is a flow added, removed, changed or expired between two
// policies.
type FlowChange struct {
	Kind     string      // "added", "removed", "changed" or "expired"
	Old, New *model.Flow // nil where the flow does not exist
	Details  []string    // for changes: what changed, in words
}

// Access is a piece of access that one policy allows and the other does
// not: a source (a group, external, prefix list, or one address block of a
// network), a destination, and ports.
type Access struct {
	Source, Dest string
	Ports        []model.Port
	Flows        []*model.Flow // the flows that grant it, in the policy that has it
	Note         string        // such as "was 10.0.0.0/24"
}

// GroupChange is a group added, removed or replaced. AWS cannot rename a
// security group or change its description: both replace the group.
type GroupChange struct {
	Kind   string `json:"kind"` // "added", "removed", "replaced", "changed"
	Name   string `json:"name"`
	Detail string `json:"detail"`
	From   string `json:"from,omitempty"` // the name a renamed group had
}

// Diff is what changed between two policies, in role terms, and what
// deploying the change does in each target.
type Diff struct {
	Widened, Narrowed []Access
	Flows             []FlowChange
	Groups            []GroupChange
	Plans             []Plan    // one per target, from Predict
	Findings          []Finding // new lint findings, from AddFindings
	// Environment is the environment compared, of a policy with
	// environments; "a..b" for two environments of one version.
	Environment string
	// priorOwners are the owners the old version gave its groups, by the
	// name each has in the new one (Approvals).
	priorOwners map[string]string
}

// Empty reports whether the policies allow and say the same.
func (d Diff) Empty() bool {
	return len(d.Widened) == 0 && len(d.Narrowed) == 0 && len(d.Flows) == 0 && len(d.Groups) == 0
}

// Predict adds to d the plans the targets predict between the two
// versions (emit.PredictPlan): the CLI composes them, so that review need
// not know the targets.
func (d *Diff) Predict(plans []plan.Plan) {
	d.Plans = append(d.Plans, plans...)
}

// Compare computes what changed from old to new.
func Compare(old, new *model.Program) Diff { return compare(old, new, true) }

// CompareFlows is Compare without the access either allows: the groups
// and flows that changed, all that Approvals reads (sgc owners), for a
// fraction of the work.
func CompareFlows(old, new *model.Program) Diff { return compare(old, new, false) }

func compare(old, new *model.Program, access bool) Diff {
	var d Diff
	d.Groups = compareGroups(old, new)
	// A renamed group is compared as the group it became.
	rename := map[string]string{}
	for _, g := range d.Groups {
		if g.From != "" {
			rename[g.From] = g.Name
		}
	}
	for _, g := range old.Groups {
		if g.Owner != "" {
			if d.priorOwners == nil {
				d.priorOwners = map[string]string{}
			}
			d.priorOwners[cmp.Or(rename[g.Name], g.Name)] = g.Owner
		}
	}
	// The pieces read the two programs and write results of their own:
	// they are made side by side.
	var before, after map[accessKey]*grant
	var beforeNames, afterNames atomNames
	work := []func(){func() { d.Flows = compareFlows(old.Flows, new.Flows, rename) }}
	if access {
		work = append(work,
			func() { before, beforeNames = accessSet(old, rename) },
			func() { after, afterNames = accessSet(new, nil) })
	}
	parallel.Do(work...)
	if access {
		parallel.Do(
			func() { d.Widened = subtract(after, before, afterNames, beforeNames) },
			func() { d.Narrowed = subtract(before, after, beforeNames, afterNames) },
		)
	}
	return d
}

// Summary is the one-line digest of a diff.
func (d Diff) Summary() string {
	count := map[string]int{}
	for _, c := range d.Flows {
		count[c.Kind]++
	}
	var parts []string
	for _, k := range []string{"added", "removed", "changed", "expired"} {
		if count[k] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", count[k], k))
		}
	}
	flows := "no flow changes"
	if len(parts) > 0 {
		flows = "flows: " + strings.Join(parts, ", ")
	}
	access := "access unchanged"
	switch {
	case len(d.Widened) > 0 && len(d.Narrowed) > 0:
		access = "access widened and narrowed"
	case len(d.Widened) > 0:
		access = "access widened"
	case len(d.Narrowed) > 0:
		access = "access narrowed"
	}
	s := flows + "; " + access
	replaced := 0
	for _, g := range d.Groups {
		if g.Kind == "replaced" {
			replaced++
		}
	}
	if replaced > 0 {
		s += fmt.Sprintf("; %d security group(s) replaced", replaced)
	}
	return s
}

// Plan is a target's predicted plan (plan.Plan).
type Plan = plan.Plan
