package live

import (
	"sort"
	"strings"

	"github.com/sgc-dev/sgc/internal/awsform"
)

// Groups that sgc creates under a unique name (Terraform's name_prefix,
// CloudFormation's generated names) carry their role name in the Name tag
// only: "web-20261130190000123400000001" is the group "web". Groups named
// exactly (group_names = "exact", or adopted) carry it as their name.

// NameTag returns the value of the group's Name tag, or "".
func (g *Group) NameTag() string {
	for _, t := range g.Tags {
		if t.Key == "Name" {
			return t.Value
		}
	}
	return ""
}

// PolicyDescription is the description the group's policy gives it: its
// Description tag, which a group that kept an earlier AWS description
// carries, or else its AWS description.
func (g *Group) PolicyDescription() string {
	for _, t := range g.Tags {
		if t.Key == awsform.DescriptionTag {
			return t.Value
		}
	}
	return g.Description
}

// RoleName is the name a group is known by in a policy: its Name tag when
// its AWS name was made from it (Terraform's name_prefix: the tag, a "-",
// a generated suffix; CloudFormation's: the stack's name and the logical
// ID, on a group that carries the stack's tag), else its AWS name.
func (g *Group) RoleName() string {
	t := g.NameTag()
	if t == "" || t == g.GroupName {
		return g.GroupName
	}
	if strings.HasPrefix(g.GroupName, t+"-") {
		return t
	}
	for _, tag := range g.Tags {
		if tag.Key == "aws:cloudformation:stack-name" && strings.HasPrefix(g.GroupName, tag.Value+"-") {
			return t
		}
	}
	return g.GroupName
}

// Roles finds the live groups of declared role names: the group of that
// exact name, or else the one whose Name tag is the role name. During a
// replacement two groups may carry the tag: the old one, still in use, and
// the new one; the name AWS or the tool generated last (the greatest, as
// Terraform's names hold the time) is taken. It returns the groups by role
// name, only for names that have one.
func Roles(groups []Group, declared func(role string) bool) map[string]*Group {
	out := map[string]*Group{}
	for i := range groups {
		if g := &groups[i]; declared(g.GroupName) {
			out[g.GroupName] = g
		}
	}
	tagged := map[string][]*Group{}
	for i := range groups {
		g := &groups[i]
		if t := g.NameTag(); t != "" && t != g.GroupName && declared(t) && out[t] == nil && !declared(g.GroupName) {
			tagged[t] = append(tagged[t], g)
		}
	}
	for role, gs := range tagged {
		sort.Slice(gs, func(i, j int) bool { return gs[i].GroupName > gs[j].GroupName })
		out[role] = gs[0]
	}
	return out
}
