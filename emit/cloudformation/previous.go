package cloudformation

import (
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/emit"
	"github.com/sgc-dev/sgc/internal/awsform"
)

// DescriptionTag is the tag that carries a group's description from the
// policy when the group keeps an older AWS description (emit.Options.Described).
const DescriptionTag = awsform.DescriptionTag

// described reads the GroupDescription of every group in the templates
// an earlier build wrote (one template, or the split stacks), by its Name
// tag: the role name. Templates are YAML or JSON, which YAML reads too.
// Only a description AWS would accept is kept: a file edited by hand
// cannot make the build write what the compiler refuses.
func described(previous []emit.File) map[string]string {
	out := map[string]string{}
	for _, f := range previous {
		// Groups are in the one template or the group stacks; rule stacks
		// and the IMPORT template (adopted groups keep their own) are not read.
		if !strings.HasSuffix(f.Path, ".yaml") && !strings.HasSuffix(f.Path, ".json") ||
			strings.HasPrefix(f.Path, ImportTemplate+".") || strings.HasPrefix(f.Path, "rules-") {
			continue
		}
		var doc yaml.Node
		if yaml.Unmarshal(f.Data, &doc) != nil || len(doc.Content) == 0 {
			continue
		}
		for _, res := range mappingValues(field(doc.Content[0], "Resources")) {
			if field(res, "Type") == nil || field(res, "Type").Value != "AWS::EC2::SecurityGroup" {
				continue
			}
			props := field(res, "Properties")
			desc, ok := text(field(props, "GroupDescription"))
			role := ""
			for _, tag := range seq(field(props, "Tags")) {
				if k := field(tag, "Key"); k != nil && k.Value == "Name" {
					role, _ = text(field(tag, "Value"))
				}
			}
			if ok && role != "" && validDescription(desc) {
				out[role] = desc
			}
		}
	}
	return out
}

// validDescription reports whether AWS takes s as a group's description
// and the compiler would let it through.
func validDescription(s string) bool {
	if s == "" || len(s) > awsform.MaxDescription || !utf8.ValidString(s) || awsform.FindDynamicReference(s) >= 0 {
		return false
	}
	for _, r := range s {
		if !awsform.DescriptionChar(r) {
			return false
		}
	}
	return true
}

// keptDescription returns the AWS description group g keeps instead of
// the policy's, if any: the one the previous build gave it, when the
// policy's differs. An adopted group keeps the live one (adoptGroup).
func keptDescription(g *model.Group, opts emit.Options) (string, bool) {
	d, ok := opts.Described[g.Name]
	if !ok || d == g.Description || !validDescription(d) {
		return "", false
	}
	if a := opts.Adopt.GroupOf(g.Name); a != nil && a.Description != "" {
		return "", false
	}
	return d, true
}

// field returns the value of key in the mapping n, or nil.
func field(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

func mappingValues(n *yaml.Node) []*yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	out := make([]*yaml.Node, 0, len(n.Content)/2)
	for i := 1; i < len(n.Content); i += 2 {
		out = append(out, n.Content[i])
	}
	return out
}

func seq(n *yaml.Node) []*yaml.Node {
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	return n.Content
}

// text reads a string property as literal wrote it: a plain string, or an
// Fn::Join of strings with an empty delimiter.
func text(n *yaml.Node) (string, bool) {
	switch {
	case n == nil:
		return "", false
	case n.Kind == yaml.ScalarNode && n.Tag == "!!str":
		return n.Value, true
	case n.Kind == yaml.ScalarNode:
		return "", false // a number, a boolean, or a short-form function
	}
	join := seq(field(n, "Fn::Join"))
	if len(n.Content) != 2 || len(join) != 2 || join[0].Value != "" || join[0].Kind != yaml.ScalarNode {
		return "", false
	}
	var b strings.Builder
	for _, part := range seq(join[1]) {
		s, ok := text(part)
		if !ok || part.Kind != yaml.ScalarNode {
			return "", false
		}
		b.WriteString(s)
	}
	return b.String(), true
}
