package cloudformation

import (
	"encoding/json"

	"github.com/sgc-dev/sgc/account/adopt"
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
// what the file gives.

// The files of an adoption.
const (
	ImportTemplate    = "template-import"
	ResourcesToImport = "resources-to-import.json"
)

// adoptGroup makes a group resource the live group a, when there is one:
// its AWS name and description (changing either replaces a group) and a
// DeletionPolicy that keeps it if the stack ever goes.
func adoptGroup(res *object, a *adopt.Group) *object {
	if a == nil {
		return res
	}
	props := res.get("Properties").(*object)
	if a.LiveName != "" {
		props.set("GroupName", a.LiveName)
	}
	if a.Description != "" {
		props.set("GroupDescription", literal(a.Description))
	}
	return withImport(res, a.ID)
}

// adoptRule marks a rule resource as the live rule id, when there is one.
func adoptRule(res *object, id string) *object {
	if id == "" {
		return res
	}
	return withImport(res, id)
}

// importIDKey is where the identifier to import is kept on a resource
// while the templates are built; it is never rendered.
const importIDKey = "\x00import"

func withImport(res *object, id string) *object {
	out := objN(len(res.keys) + 3)
	for i, k := range res.keys {
		out.set(k, res.vals[i])
	}
	out.set("DeletionPolicy", "Retain")
	out.set("UpdateReplacePolicy", "Retain")
	out.set(importIDKey, id)
	return out
}

// importTemplate returns t with only the adopted resources and no
// outputs, and the resources-to-import file; it removes the build-time
// marks from t's resources (which the returned template shares).
func importTemplate(t *template) (*template, []byte) {
	imp := newTemplate(ImportTemplate, "")
	imp.root.set("Description", t.root.get("Description"))
	for i, k := range t.params.keys {
		imp.params.set(k, t.params.vals[i])
	}
	for i, k := range t.resources.keys {
		res := t.resources.vals[i].(*object)
		if res.find(importIDKey) >= 0 {
			imp.resources.set(k, res)
		}
	}
	toImport := resourcesToImport(imp)
	strip(t)
	return imp, toImport
}

// strip removes the build-time import marks from t's resources.
func strip(t *template) {
	for _, v := range t.resources.vals {
		res := v.(*object)
		if i := res.find(importIDKey); i >= 0 {
			res.keys = append(res.keys[:i], res.keys[i+1:]...)
			res.vals = append(res.vals[:i], res.vals[i+1:]...)
		}
	}
}

// resourcesToImport writes the --resources-to-import file of imp.
func resourcesToImport(imp *template) []byte {
	type entry struct {
		ResourceType       string            `json:"ResourceType"`
		LogicalResourceId  string            `json:"LogicalResourceId"`
		ResourceIdentifier map[string]string `json:"ResourceIdentifier"`
	}
	var out []entry
	for i, k := range imp.resources.keys {
		res := imp.resources.vals[i].(*object)
		out = append(out, entry{res.get("Type").(string), k, map[string]string{"Id": res.get(importIDKey).(string)}})
	}
	data, _ := json.MarshalIndent(out, "", "  ")
	return append(data, '\n')
}
