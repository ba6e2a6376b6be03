package drift

import (
	"fmt"
	"sort"
	"strings"

	"github.com/sgc-dev/sgc/account/live"
)

// Changes returns the calls that put the live rules of the policy's groups
// back to the intent (drift --revert), and what they leave as it is, with
// why. Revokes come first, then descriptions, then authorizations: a run
// stopped half-way has only taken access away. Only rules of groups the
// policy declares are touched, and only the intent's rules authorized, so
// the changes never give more access than the intent does. Groups are not
// created, deleted or renamed: that is the apply's work, or a replacement.
func (r Report) Changes() (changes []live.Change, held []string) {
	changes = append(changes, r.changes...)
	order := map[live.ChangeKind]int{live.Revoke: 0, live.Describe: 1, live.Authorize: 2}
	sort.SliceStable(changes, func(i, j int) bool {
		a, b := changes[i], changes[j]
		if order[a.Kind] != order[b.Kind] {
			return order[a.Kind] < order[b.Kind]
		}
		return a.Rule.Identity() < b.Rule.Identity()
	})
	held = append(held, r.held...)
	for _, f := range r.Findings {
		switch f.Kind {
		case AbsentGroup:
			held = append(held, fmt.Sprintf("%s: the group does not exist; the apply creates it (revert changes rules, not groups)", f.Group))
		case GroupDescription:
			held = append(held, fmt.Sprintf("%s: its description differs; AWS changes a group's description only by replacing the group", f.Group))
		case UnknownGroup:
			held = append(held, fmt.Sprintf("%s: not the policy's group; never touched", f.Group))
		case Unverifiable:
			held = append(held, fmt.Sprintf("%s: %s", f.Group, f.Detail))
		case Missing, Unmanaged:
			if strings.HasPrefix(f.Rule, "serves ") { // a VPC association, not a rule
				held = append(held, fmt.Sprintf("%s: %s (%s): the apply associates groups with VPCs", f.Group, f.Rule, f.Kind))
			}
		}
	}
	sort.Strings(held)
	return changes, held
}
