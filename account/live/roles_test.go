package live

import "testing"

func tagged(id, name, tag string, more ...Tag) Group {
	g := Group{GroupID: id, GroupName: name}
	if tag != "" {
		g.Tags = append(g.Tags, Tag{Key: "Name", Value: tag})
	}
	g.Tags = append(g.Tags, more...)
	return g
}

// TestRoles: groups sgc created under a unique name are found by their
// Name tag; an exact name wins over a tag; during a swap the newest name
// is taken; tags of groups that are not sgc's own names are not role names.
func TestRoles(t *testing.T) {
	groups := []Group{
		tagged("sg-1", "web-20261130190000123400000001", "web"),
		tagged("sg-2", "web-20261130200000123400000002", "web"), // the replacement, mid-swap
		tagged("sg-3", "db", "Databases"),                       // exact name; the tag is prose
		tagged("sg-4", "db-20261130190000123400000003", "db"),   // a stray: db has its exact group
		tagged("sg-5", "prod-ApiGroup-1X2Y3Z", "api", Tag{Key: "aws:cloudformation:stack-name", Value: "prod"}),
		tagged("sg-6", "legacy", "cache"), // a hand-made group tagged with a role name
	}
	declared := map[string]bool{"web": true, "db": true, "api": true, "cache": true}
	got := Roles(groups, func(n string) bool { return declared[n] })
	want := map[string]string{"web": "sg-2", "db": "sg-3", "api": "sg-5", "cache": "sg-6"}
	for role, id := range want {
		if got[role] == nil || got[role].GroupID != id {
			t.Errorf("%s: got %+v, want %s", role, got[role], id)
		}
	}
	for i, want := range []string{"web", "web", "db", "db", "api", "legacy"} {
		if r := groups[i].RoleName(); r != want {
			t.Errorf("%s: role name %q, want %q", groups[i].GroupName, r, want)
		}
	}
}
