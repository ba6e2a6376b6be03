package emit

import "github.com/sgc-dev/sgc/compiler/model"

// Renamed returns p as it would be with each group named nameOf(g): a
// copy whose groups, and rules (in the same order, referring to the
// copies), are new values, everything else shared. A target names a
// renamed group's resources as before by naming this view: Terraform
// finds the addresses to move from, CloudFormation keeps the logical IDs
// and exports of the group's first name (model.Group.Identity).
func Renamed(p *model.Program, nameOf func(*model.Group) string) *model.Program {
	view := *p
	view.Groups = make([]*model.Group, len(p.Groups))
	clone := make(map[*model.Group]*model.Group, len(p.Groups))
	for i, g := range p.Groups {
		c := *g
		c.Name = nameOf(g)
		view.Groups[i], clone[g] = &c, &c
	}
	view.Rules = make([]*model.Rule, len(p.Rules))
	for i, r := range p.Rules {
		c := *r
		c.Group = clone[r.Group]
		if r.Peer.Kind == model.PeerGroup {
			c.Peer.Group = clone[r.Peer.Group]
			if r.Peer.Via == model.Endpoint(r.Peer.Group) {
				c.Peer.Via = c.Peer.Group
			}
		}
		view.Rules[i] = &c
	}
	return &view
}

// Renames reports whether any group of p has former names.
func Renames(p *model.Program) bool {
	for _, g := range p.Groups {
		if len(g.Formerly) > 0 {
			return true
		}
	}
	return false
}
