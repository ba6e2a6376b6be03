package adopt

import (
	"fmt"

	"github.com/sgc-dev/sgc/compiler/model"
)

// Notes says, for people, what building p with a does to the live
// account before anyone applies it: the groups adopted and the AWS names
// and descriptions they keep, the rules adopted, and the rules of the
// policy no live rule matches, which the apply creates.
func Notes(a *model.Adoption, p *model.Program) []string {
	if a.Empty() || p == nil {
		return nil
	}
	var notes []string
	groups := 0
	for _, g := range p.Groups {
		ag := a.Group(g.Name)
		if ag == nil {
			notes = append(notes, fmt.Sprintf("group %s is not adopted: the apply creates it", g.Name))
			continue
		}
		groups++
		for _, v := range g.AlsoIn {
			if !a.Associated(g, v) {
				notes = append(notes, fmt.Sprintf("group %s does not serve VPC %s in AWS yet: the apply associates it", g.Name, v.Key()))
			}
		}
		if ag.LiveName != "" {
			notes = append(notes, fmt.Sprintf("group %s keeps its AWS name %q (%s): renaming it would replace it", g.Name, ag.LiveName, ag.ID))
		}
		if ag.Description != "" {
			notes = append(notes, fmt.Sprintf("group %s keeps its AWS description %q: changing it would replace it", g.Name, ag.Description))
		}
	}
	rules, created := 0, 0
	for _, r := range p.Rules {
		ar := a.Rule(r)
		if ar == nil {
			created++
			continue
		}
		rules++
		if ar.LiveDescription != nil && *ar.LiveDescription != r.Flow.Purpose {
			notes = append(notes, fmt.Sprintf("rule %s (%s): its description %q becomes %q, in place (no replacement)", ar.ID, r.ID(), *ar.LiveDescription, r.Flow.Purpose))
		}
	}
	notes = append(notes, fmt.Sprintf("adopting %d groups and %d rules; %d rules of the policy have no live counterpart and are created", groups, rules, created))
	if groups+rules > 0 {
		// Said before the plan shows it: every adopted resource is an
		// update in place as well as an import.
		notes = append(notes, "every adopted group and rule gets the tags sgc writes (the role's Name and Description, each rule's sgc:source): updates in place, no replacement")
	}
	return notes
}
