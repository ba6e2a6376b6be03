package review

import (
	"fmt"
	"sort"

	"github.com/sgc-dev/sgc/compiler/model"
)

// Approval is who must approve some of a change: a group's owner, for the
// flows into the group (its ingress) and out of it (its egress).
type Approval struct {
	Owner   string   `json:"owner"`   // a GitHub user or org/team
	Changes []string `json:"changes"` // "added web -> db tcp/5432", in order
}

// approvals lists, per owner, the flow changes of d that touch a group
// the owner owns: a flow into a group is its owner's to approve, a flow
// out of one its owner's. A flow between two owned groups needs both.
func (d Diff) approvals() []Approval {
	byOwner := map[string][]string{}
	for _, c := range d.Flows {
		f := c.New
		if f == nil {
			f = c.Old
		}
		text := fmt.Sprintf("%s %s", c.Kind, flowLine(f))
		seen := map[string]bool{}
		for _, e := range []model.Endpoint{f.To, f.From} {
			if g, ok := e.(*model.Group); ok && g.Owner != "" && !seen[g.Owner] {
				seen[g.Owner] = true
				byOwner[g.Owner] = append(byOwner[g.Owner], text)
			}
		}
	}
	owners := make([]string, 0, len(byOwner))
	for o := range byOwner {
		owners = append(owners, o)
	}
	sort.Strings(owners)
	out := make([]Approval, 0, len(owners))
	for _, o := range owners {
		out = append(out, Approval{Owner: o, Changes: byOwner[o]})
	}
	return out
}
