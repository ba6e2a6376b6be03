package review

import (
	"fmt"
	"sort"

	"github.com/sgc-dev/sgc/compiler/model"
)

func compareGroups(old, new *model.Program) []GroupChange {
	oldBy, newBy := map[string]*model.Group{}, map[string]*model.Group{}
	for _, g := range old.Groups {
		oldBy[g.Name] = g
	}
	for _, g := range new.Groups {
		newBy[g.Name] = g
	}
	var out []GroupChange
	renamedFrom := map[string]bool{}
	for _, n := range new.Groups {
		o, ok := oldBy[n.Name]
		switch {
		case ok && o.Description != n.Description:
			out = append(out, GroupChange{Kind: "changed", Name: n.Name, Detail: fmt.Sprintf("description %q → %q: AWS changes a group's description only by replacing the group, "+
				"so the group keeps the one it has in AWS and carries the new one in its Description tag (updated in place)", o.Description, n.Description)})
		case ok && o.InternetFacing != n.InternetFacing:
			out = append(out, GroupChange{Kind: "changed", Name: n.Name, Detail: fmt.Sprintf("internet-facing %v → %v", o.InternetFacing, n.InternetFacing)})
		case !ok:
			// A group renamed with formerly is the same AWS group.
			for _, f := range n.Formerly {
				if og, was := oldBy[f]; was && newBy[f] == nil && !renamedFrom[f] {
					renamedFrom[f] = true
					detail := fmt.Sprintf("renamed from %q (formerly): the same AWS group, only its Name tag changes", f)
					if og.Description != n.Description {
						detail += fmt.Sprintf("; description %q → %q: it keeps the one it has in AWS and carries the new one in its Description tag", og.Description, n.Description)
					}
					out = append(out, GroupChange{Kind: "renamed", Name: n.Name, From: f, Detail: detail})
					ok = true
					break
				}
			}
			// A group that took the place of a removed one with the same description was renamed.
			for _, og := range old.Groups {
				if ok {
					break
				}
				if _, still := newBy[og.Name]; !still && og.Description == n.Description && !renamedFrom[og.Name] {
					renamedFrom[og.Name] = true
					out = append(out, GroupChange{Kind: "replaced", Name: n.Name, From: og.Name, Detail: fmt.Sprintf("renamed from %q: AWS cannot rename a security group, so it is replaced; to keep it, write: group %s \"...\" formerly %s", og.Name, n.Name, og.Name)})
					ok = true
					break
				}
			}
			if !ok {
				out = append(out, GroupChange{Kind: "added", Name: n.Name, Detail: n.Description})
			}
		}
	}
	for _, o := range old.Groups {
		if _, ok := newBy[o.Name]; !ok && !renamedFrom[o.Name] {
			out = append(out, GroupChange{Kind: "removed", Name: o.Name, Detail: o.Description})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
