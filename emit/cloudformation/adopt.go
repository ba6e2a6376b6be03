package cloudformation

import (
	"encoding/json"

	"github.com/sgc-dev/sgc/compiler/model"
)

// Adopting existing groups and rules into a stack takes an IMPORT change
// set, and an IMPORT may only bring resources in: it cannot create others
// or add outputs at the same time. So with a mapping the target writes
//
//   - template-import.(yaml|json): the adopted groups and rules alone, each
//     with DeletionPolicy Retain (which CloudFormation requires of imported
//     resources) and UpdateReplacePolicy Retain (so a replacement never
//     deletes the group that was there before), to create the stack from
//     with the IMPORT change set;
//   - resources-to-import.json: each one's logical id and identifier, for
//     `--resources-to-import file://resources-to-import.json`;
//   - template.(yaml|json) as usual, the adopted resources keeping their
//     AWS names and descriptions and DeletionPolicy Retain, for the update
//     that then adds the rules no live rule matched and the outputs.
//
// AWS::EC2::SecurityGroup, ::SecurityGroupIngress and ::SecurityGroupEgress
// all have Id as their primary identifier (the sg- or sgr- id): that is
// what the file gives. ::SecurityGroupVpcAssociation has GroupId and VpcId.

// The files of an adoption.
const (
	ImportTemplate    = "template-import"
	ResourcesToImport = "resources-to-import.json"
)

// adoptGroup makes the group resource id the live group a, when there is
// one: its AWS name and description (changing either replaces a group),
// and adopted.
func (t *template) adoptGroup(id string, res *object, a *model.AdoptedGroup) *object {
	if a == nil {
		return res
	}
	props := res.get("Properties").(*object)
	if a.Description != "" {
		props.set("GroupDescription", literal(a.Description))
	}
	return t.adopt(id, res, a.ID)
}

// adopt marks the resource id as the live object liveID (none when ""):
// it is recorded for the IMPORT, and kept by CloudFormation whatever
// happens to the stack.
func (t *template) adopt(id string, res *object, liveID string) *object {
	if liveID == "" {
		return res
	}
	return t.adoptAs(id, res, map[string]string{"Id": liveID})
}

// adoptAs marks the resource id as the live object with the resource
// identifier ident (its type's primaryIdentifier properties).
func (t *template) adoptAs(id string, res *object, ident map[string]string) *object {
	if t.imports == nil {
		t.imports = map[string]map[string]string{}
	}
	t.imports[id] = ident
	return res.set("DeletionPolicy", "Retain").set("UpdateReplacePolicy", "Retain")
}

// importTemplate returns t with only the adopted resources and no
// outputs, and the resources-to-import file.
func importTemplate(t *template) (*template, []byte) {
	imp := newTemplate(ImportTemplate, "")
	imp.root.set("Description", t.root.get("Description"))
	for i, k := range t.params.keys {
		imp.params.set(k, t.params.vals[i])
	}
	type entry struct {
		ResourceType       string            `json:"ResourceType"`
		LogicalResourceId  string            `json:"LogicalResourceId"`
		ResourceIdentifier map[string]string `json:"ResourceIdentifier"`
	}
	var toImport []entry
	for i, k := range t.resources.keys {
		if ident, ok := t.imports[k]; ok {
			res := t.resources.vals[i].(*object)
			imp.resources.set(k, res)
			toImport = append(toImport, entry{res.get("Type").(string), k, ident})
		}
	}
	data, _ := json.MarshalIndent(toImport, "", "  ")
	return imp, append(data, '\n')
}
