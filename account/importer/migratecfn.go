package importer

import (
	"fmt"

	"github.com/sgc-dev/sgc/account/cfnstack"
	"github.com/sgc-dev/sgc/account/live"
)

// cfnHeader begins the YAML templates a migration from CloudFormation
// writes (a comment: the template is otherwise the stack's own).
const cfnHeader = "# Written by sgc import from a CloudFormation stack"

// MigrateCloudFormation writes the two templates that let the stack st
// release its security groups without deleting them (the stack's template
// with Retain on every security group resource, nothing else changed;
// then the template without them, references written as their ids), and
// says what the account and the stack disagree on and what the release
// cannot rewrite. sgc build -t cloudformation then writes the IMPORT
// template of the new stack from the drafts' mapping.
func MigrateCloudFormation(st *cfnstack.Stack, e *live.Export, drafts []Draft) (*Migration, error) {
	m := &Migration{}
	liveGroup := map[string]bool{}
	for _, g := range e.SecurityGroups {
		liveGroup[g.GroupID] = true
	}
	for _, id := range st.GroupIDs() {
		if !liveGroup[id] {
			m.Warnings = append(m.Warnings, fmt.Sprintf("the stack manages %s, which the account does not have (deleted outside CloudFormation?): nothing is drafted for it", id))
		}
	}
	base, ext := orDefault(st.Name, "stack"), ".yaml"
	if st.JSON {
		base, ext = orDefault(st.Name, "stack"), ".json"
	}
	retain, err := st.Retain()
	if err != nil {
		return nil, err
	}
	release, notes, err := st.WithoutGroups()
	if err != nil {
		return nil, err
	}
	header := ""
	if !st.JSON {
		header = cfnHeader
		retain = append([]byte(cfnHeader+": step 1 of 3.\n# Update the stack with it: it changes no resource, and makes CloudFormation\n# keep the security groups when the next step takes them out of the stack.\n"), retain...)
		release = append([]byte(cfnHeader+": step 2 of 3.\n# Update the stack with it once step 1 is deployed: the security groups leave\n# the stack and stay in AWS; what referred to them refers to their ids.\n"), release...)
	}
	m.Files = append(m.Files,
		MigrationFile{Name: base + ".retain" + ext, Data: retain, Header: header, What: "step 1: the stack's template with Retain on its security groups"},
		MigrationFile{Name: base + ".release" + ext, Data: release, Header: header, What: "step 2: the stack's template without its security groups"})
	for _, n := range notes {
		m.Warnings = append(m.Warnings, "the release template: "+n)
	}
	m.Warnings = append(m.Warnings, fmt.Sprintf("then step 3: sgc build -t cloudformation writes template-import and resources-to-import.json, the IMPORT change set of the new stack, with the same %d groups", len(st.Groups)))
	return m, nil
}
