package review

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/sgc-dev/sgc/compiler/model"
)

// Approval is who must approve some of a change: a group's owner, for the
// flows into the group (its ingress) and out of it (its egress).
type Approval struct {
	Owner   string   `json:"owner"`   // a GitHub user or org/team
	Changes []string `json:"changes"` // "added web -> db tcp/5432", in order
}

// Approvals lists, per owner, the flow changes of d that touch a group
// the owner owns: a flow into a group is its owner's to approve, a flow
// out of one its owner's. A flow between two owned groups needs both.
// A group's owner in either version counts, as GitHub asks the base
// branch's code owners: a change cannot drop a group's owner and change
// its flows without that owner.
func (d Diff) Approvals() []Approval {
	byOwner := map[string][]string{}
	for _, c := range d.Flows {
		f := c.New
		if f == nil {
			f = c.Old
		}
		text := fmt.Sprintf("%s %s", c.Kind, flowLine(f))
		seen := map[string]bool{}
		need := func(owner string) {
			if owner != "" && !seen[owner] {
				seen[owner] = true
				byOwner[owner] = append(byOwner[owner], text)
			}
		}
		for _, side := range []*model.Flow{c.New, c.Old} {
			if side == nil {
				continue
			}
			for _, e := range []model.Endpoint{side.To, side.From} {
				if g, ok := e.(*model.Group); ok {
					need(g.Owner)
					if side == c.New {
						need(d.priorOwners[g.Name])
					}
				}
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

// WriteOwners writes who must approve the change, owner by owner: text
// for a terminal, or JSON ({"environment", "approvals"}).
func (d Diff) WriteOwners(w io.Writer, asJSON bool) error {
	as := d.Approvals()
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(struct {
			Env       string     `json:"environment,omitempty"`
			Approvals []Approval `json:"approvals"`
		}{d.Environment, as})
	}
	var b strings.Builder
	if d.Environment != "" {
		fmt.Fprintf(&b, "%s:\n", d.environmentTitle())
	}
	if len(as) == 0 {
		b.WriteString("no owner's approval needed: no flow of an owned group changes\n")
	}
	for _, a := range as {
		fmt.Fprintf(&b, "%s must approve:\n", a.Owner)
		for _, c := range a.Changes {
			fmt.Fprintf(&b, "  %s\n", c)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
