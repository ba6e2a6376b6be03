package cfnstack

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// WithoutGroups returns the template without its security group
// resources, for the update that releases them (retained, once Retain is
// deployed), and what a person must still change by hand. What referred
// to a group refers to its id instead, which CloudFormation resolves to
// the same value: Ref and Fn::GetAtt GroupId (long and short forms), ${X}
// and ${X.GroupId} in Fn::Sub, and DependsOn entries naming it are
// dropped. A reference to a rule resource, or to another attribute of a
// group, cannot be written as a literal and is listed instead.
func (s *Stack) WithoutGroups() ([]byte, []string, error) {
	doc := s.clone()
	res := lookup(doc.Content[0], "Resources")
	removed := map[string]bool{}
	kept := res.Content[:0:0]
	for i := 0; i+1 < len(res.Content); i += 2 {
		if typ := lookup(res.Content[i+1], "Type"); typ != nil && isSecurityGroupType(typ.Value) {
			removed[res.Content[i].Value] = true
			continue
		}
		kept = append(kept, res.Content[i], res.Content[i+1])
	}
	res.Content = kept
	var notes []string
	r := &rewriter{groups: s.Groups, removed: removed}
	for _, section := range []string{"Resources", "Outputs", "Conditions"} {
		sec := lookup(doc.Content[0], section)
		if sec == nil || sec.Kind != yaml.MappingNode {
			continue
		}
		for i := 0; i+1 < len(sec.Content); i += 2 {
			r.where = section + "." + sec.Content[i].Value
			r.walk(sec.Content[i+1])
			if section == "Resources" {
				r.dependsOn(sec.Content[i+1])
			}
		}
	}
	notes = append(notes, r.notes...)
	notes = append(notes, dropUnusedParameters(doc.Content[0])...)
	sort.Strings(notes)
	if len(res.Content) == 0 {
		notes = append(notes, "the stack has no other resources: CloudFormation refuses a template without resources; delete the stack instead (its groups are retained)")
	}
	out, err := s.render(doc)
	return out, notes, err
}

// rewriter writes references to released resources as literals.
type rewriter struct {
	groups  map[string]string // logical id -> sg- id
	removed map[string]bool   // every released logical id
	where   string
	notes   []string
}

var subRef = regexp.MustCompile(`\$\{([A-Za-z0-9]+)(\.[A-Za-z0-9.]+)?\}`)

func (r *rewriter) note(format string, args ...any) {
	r.notes = append(r.notes, r.where+": "+fmt.Sprintf(format, args...))
}

// literal makes n the scalar id.
func literal(n *yaml.Node, id string) {
	*n = yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: id}
}

func (r *rewriter) walk(n *yaml.Node) {
	switch {
	case n.Kind == yaml.ScalarNode && n.Tag == "!Ref":
		r.ref(n, n.Value)
	case n.Kind == yaml.ScalarNode && n.Tag == "!GetAtt":
		res, attr, _ := strings.Cut(n.Value, ".")
		r.getAtt(n, res, attr)
	case n.Kind == yaml.SequenceNode && n.Tag == "!GetAtt" && len(n.Content) == 2:
		r.getAtt(n, n.Content[0].Value, n.Content[1].Value)
	case n.Kind == yaml.ScalarNode && n.Tag == "!Sub":
		n.Value = r.sub(n.Value)
	case n.Kind == yaml.SequenceNode && n.Tag == "!Sub" && len(n.Content) > 0 && n.Content[0].Kind == yaml.ScalarNode:
		n.Content[0].Value = r.sub(n.Content[0].Value)
		for _, c := range n.Content[1:] {
			r.walk(c)
		}
	case n.Kind == yaml.MappingNode && len(n.Content) == 2 && n.Content[0].Value == "Ref" && n.Content[1].Kind == yaml.ScalarNode:
		r.ref(n, n.Content[1].Value)
	case n.Kind == yaml.MappingNode && len(n.Content) == 2 && n.Content[0].Value == "Fn::GetAtt":
		v := n.Content[1]
		switch {
		case v.Kind == yaml.SequenceNode && len(v.Content) == 2:
			r.getAtt(n, v.Content[0].Value, v.Content[1].Value)
		case v.Kind == yaml.ScalarNode:
			res, attr, _ := strings.Cut(v.Value, ".")
			r.getAtt(n, res, attr)
		}
	case n.Kind == yaml.MappingNode && len(n.Content) == 2 && n.Content[0].Value == "Fn::Sub":
		v := n.Content[1]
		if v.Kind == yaml.ScalarNode {
			v.Value = r.sub(v.Value)
		} else if v.Kind == yaml.SequenceNode && len(v.Content) > 0 {
			v.Content[0].Value = r.sub(v.Content[0].Value)
			for _, c := range v.Content[1:] {
				r.walk(c)
			}
		}
	default:
		for _, c := range n.Content {
			r.walk(c)
		}
	}
}

func (r *rewriter) ref(n *yaml.Node, name string) {
	if id, ok := r.groups[name]; ok {
		literal(n, id)
	} else if r.removed[name] {
		r.note("refers to %s, a security group rule the stack releases: remove the reference", name)
	}
}

func (r *rewriter) getAtt(n *yaml.Node, res, attr string) {
	id, ok := r.groups[res]
	switch {
	case ok && attr == "GroupId":
		literal(n, id)
	case ok || r.removed[res]:
		r.note("uses %s.%s of a resource the stack releases: write its value (aws ec2 describe-security-groups --group-ids %s)", res, attr, id)
	}
}

// sub writes ${X} and ${X.GroupId} of a released group as its id.
func (r *rewriter) sub(s string) string {
	return subRef.ReplaceAllStringFunc(s, func(m string) string {
		parts := subRef.FindStringSubmatch(m)
		id, ok := r.groups[parts[1]]
		switch {
		case ok && (parts[2] == "" || parts[2] == ".GroupId"):
			return id
		case ok || r.removed[parts[1]]:
			r.note("uses %s in Fn::Sub, a resource the stack releases: write its value", m)
		}
		return m
	})
}

// dependsOn drops released resources from a resource's DependsOn: they
// exist before and after.
func (r *rewriter) dependsOn(res *yaml.Node) {
	for i := 0; i+1 < len(res.Content); i += 2 {
		if res.Content[i].Value != "DependsOn" {
			continue
		}
		v := res.Content[i+1]
		switch v.Kind {
		case yaml.ScalarNode:
			if r.removed[v.Value] {
				res.Content = append(res.Content[:i], res.Content[i+2:]...)
			}
		case yaml.SequenceNode:
			kept := v.Content[:0]
			for _, c := range v.Content {
				if !r.removed[c.Value] {
					kept = append(kept, c)
				}
			}
			v.Content = kept
			if len(kept) == 0 {
				res.Content = append(res.Content[:i], res.Content[i+2:]...)
			}
		}
		return
	}
}

// dropUnusedParameters removes the parameters only the released resources
// used (cfn-lint warns of an unused one, and the stack's update would
// still ask for it), and says which.
func dropUnusedParameters(root *yaml.Node) []string {
	params := lookup(root, "Parameters")
	if params == nil || params.Kind != yaml.MappingNode {
		return nil
	}
	used := map[string]bool{}
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		switch {
		case n.Kind == yaml.ScalarNode && n.Tag == "!Ref":
			used[n.Value] = true
		case n.Kind == yaml.ScalarNode && n.Tag == "!Sub":
			for _, m := range subRef.FindAllStringSubmatch(n.Value, -1) {
				used[m[1]] = true
			}
		case n.Kind == yaml.MappingNode && len(n.Content) == 2 && n.Content[0].Value == "Ref" && n.Content[1].Kind == yaml.ScalarNode:
			used[n.Content[1].Value] = true
		case n.Kind == yaml.ScalarNode && strings.Contains(n.Value, "${"):
			for _, m := range subRef.FindAllStringSubmatch(n.Value, -1) {
				used[m[1]] = true // a string of Fn::Sub, long form
			}
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value != "Parameters" {
			walk(root.Content[i+1])
		}
	}
	var notes []string
	kept := params.Content[:0:0]
	for i := 0; i+1 < len(params.Content); i += 2 {
		if name := params.Content[i].Value; !used[name] {
			notes = append(notes, fmt.Sprintf("Parameters.%s: only the released resources used it; it is left out (the update no longer takes it)", name))
			continue
		}
		kept = append(kept, params.Content[i], params.Content[i+1])
	}
	params.Content = kept
	if len(kept) == 0 {
		for i := 0; i+1 < len(root.Content); i += 2 {
			if root.Content[i].Value == "Parameters" {
				root.Content = append(root.Content[:i], root.Content[i+2:]...)
				break
			}
		}
	}
	return notes
}
