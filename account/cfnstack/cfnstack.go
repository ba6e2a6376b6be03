// Package cfnstack reads the security groups that a CloudFormation stack
// manages today (also what CDK apps deploy): its deployed template (the
// output of aws cloudformation get-template, or the template itself) and
// its resources' physical ids (describe-stack-resources or
// list-stack-resources). It writes the two templates that let the stack
// let go of its groups without deleting them: the same template with
// DeletionPolicy and UpdateReplacePolicy Retain on every security group
// resource and nothing else changed, then the template without them, its
// references to them written as their ids. sgc import uses it beside the
// live account; sgc build then writes the IMPORT template for the new
// stack.
package cfnstack

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/sgc-dev/sgc/internal/awsform"
)

// The resource types a stack manages security groups with.
const (
	GroupType   = "AWS::EC2::SecurityGroup"
	IngressType = "AWS::EC2::SecurityGroupIngress"
	EgressType  = "AWS::EC2::SecurityGroupEgress"
)

func isSecurityGroupType(t string) bool {
	return t == GroupType || t == IngressType || t == EgressType
}

// Stack is a deployed stack's template and the groups it manages.
type Stack struct {
	Name string // the stack's name, from its resources, or ""
	// JSON reports whether the template was written in JSON: the files
	// written from it are too.
	JSON bool
	// Groups are the security groups the stack manages: logical id -> sg- id.
	Groups map[string]string
	// Resources are the logical ids of its security group resources
	// (groups and rules), in the template's order.
	Resources []string
	doc       *yaml.Node // the template
}

// GroupIDs returns the sg- ids of the stack's groups, sorted.
func (s *Stack) GroupIDs() []string {
	var out []string
	for _, id := range s.Groups {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

// Parse reads a template (or get-template's output) and the stack's
// resources. A template without security group resources, a group the
// resources do not give an sg- id for, or input that is neither is an
// error.
func Parse(template, resources []byte) (*Stack, error) {
	body, isJSON, err := templateBody(template)
	if err != nil {
		return nil, err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(body, &doc); err != nil {
		return nil, fmt.Errorf("the template: %v", err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("the template is not a mapping")
	}
	s := &Stack{JSON: isJSON, Groups: map[string]string{}, doc: &doc}
	res := lookup(doc.Content[0], "Resources")
	if res == nil || res.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("the template has no Resources")
	}
	physical, name, err := physicalIDs(resources)
	if err != nil {
		return nil, err
	}
	s.Name = name
	for i := 0; i+1 < len(res.Content); i += 2 {
		id, r := res.Content[i].Value, res.Content[i+1]
		typ := lookup(r, "Type")
		if typ == nil || !isSecurityGroupType(typ.Value) {
			continue
		}
		s.Resources = append(s.Resources, id)
		if typ.Value != GroupType {
			continue
		}
		sg, ok := physical[id]
		if !ok {
			return nil, fmt.Errorf("the stack's resources give no physical id for %s (%s): give the resources of the stack the template was deployed as", id, GroupType)
		}
		if !awsform.GroupID.MatchString(sg) {
			return nil, fmt.Errorf("%s: physical id %q is not a security group id (a group outside a VPC is not taken over)", id, sg)
		}
		s.Groups[id] = sg
	}
	if len(s.Groups) == 0 {
		return nil, fmt.Errorf("the template has no %s resources", GroupType)
	}
	return s, nil
}

// templateBody returns the template itself, from get-template's output
// ({"TemplateBody": ...}, a string or an object) or a template file, and
// whether it is JSON.
func templateBody(data []byte) ([]byte, bool, error) {
	trimmed := bytes.TrimSpace(data)
	if !bytes.HasPrefix(trimmed, []byte("{")) {
		return data, false, nil
	}
	var out struct {
		TemplateBody json.RawMessage `json:"TemplateBody"`
	}
	if err := json.Unmarshal(trimmed, &out); err != nil {
		return nil, false, fmt.Errorf("the template: %v", err)
	}
	if out.TemplateBody == nil {
		return trimmed, true, nil // a JSON template
	}
	var body string
	if err := json.Unmarshal(out.TemplateBody, &body); err == nil {
		return []byte(body), bytes.HasPrefix(bytes.TrimSpace([]byte(body)), []byte("{")), nil
	}
	return out.TemplateBody, true, nil
}

// physicalIDs reads describe-stack-resources (StackResources) or
// list-stack-resources (StackResourceSummaries): logical id -> physical id.
func physicalIDs(data []byte) (map[string]string, string, error) {
	type entry struct {
		StackName          string `json:"StackName"`
		LogicalResourceID  string `json:"LogicalResourceId"`
		PhysicalResourceID string `json:"PhysicalResourceId"`
	}
	var doc struct {
		StackResources         []entry `json:"StackResources"`
		StackResourceSummaries []entry `json:"StackResourceSummaries"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, "", fmt.Errorf("the stack's resources: not the JSON of describe-stack-resources: %v", err)
	}
	entries := append(doc.StackResources, doc.StackResourceSummaries...)
	if len(entries) == 0 {
		return nil, "", fmt.Errorf("the stack's resources: no StackResources (aws cloudformation describe-stack-resources --stack-name NAME)")
	}
	out := map[string]string{}
	name := ""
	for _, e := range entries {
		if e.PhysicalResourceID != "" {
			out[e.LogicalResourceID] = e.PhysicalResourceID
		}
		if e.StackName != "" && awsform.StackName.MatchString(e.StackName) {
			name = e.StackName
		}
	}
	return out, name, nil
}

// lookup returns the value of key in mapping m, or nil.
func lookup(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// set sets key to the scalar value in mapping m, adding it last.
func set(m *yaml.Node, key, value string) {
	if v := lookup(m, key); v != nil {
		*v = yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: value}
		return
	}
	m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key},
		&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: value})
}

// render writes the template as it was written: YAML, or JSON.
func (s *Stack) render(doc *yaml.Node) ([]byte, error) {
	if s.JSON {
		var b bytes.Buffer
		if err := writeJSON(&b, doc.Content[0], ""); err != nil {
			return nil, err
		}
		b.WriteByte('\n')
		return b.Bytes(), nil
	}
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	return b.Bytes(), enc.Close()
}

// clone copies the template, to change the copy.
func (s *Stack) clone() *yaml.Node {
	var copyNode func(n *yaml.Node) *yaml.Node
	copyNode = func(n *yaml.Node) *yaml.Node {
		c := *n
		c.Content = make([]*yaml.Node, len(n.Content))
		for i, k := range n.Content {
			c.Content[i] = copyNode(k)
		}
		return &c
	}
	return copyNode(s.doc)
}

// Retain returns the template with DeletionPolicy and UpdateReplacePolicy
// Retain on every security group resource, and nothing else changed: an
// update of the stack with it changes no resource, and from then on
// removing the resources from the stack leaves them in AWS.
func (s *Stack) Retain() ([]byte, error) {
	doc := s.clone()
	res := lookup(doc.Content[0], "Resources")
	for i := 0; i+1 < len(res.Content); i += 2 {
		r := res.Content[i+1]
		if typ := lookup(r, "Type"); typ != nil && isSecurityGroupType(typ.Value) {
			set(r, "DeletionPolicy", "Retain")
			set(r, "UpdateReplacePolicy", "Retain")
		}
	}
	return s.render(doc)
}

// writeJSON writes a node of a JSON document back as JSON, indented,
// keys in their order.
func writeJSON(b *bytes.Buffer, n *yaml.Node, indent string) error {
	switch n.Kind {
	case yaml.MappingNode:
		if len(n.Content) == 0 {
			b.WriteString("{}")
			return nil
		}
		b.WriteString("{\n")
		for i := 0; i+1 < len(n.Content); i += 2 {
			key, _ := json.Marshal(n.Content[i].Value)
			b.WriteString(indent + "  ")
			b.Write(key)
			b.WriteString(": ")
			if err := writeJSON(b, n.Content[i+1], indent+"  "); err != nil {
				return err
			}
			if i+2 < len(n.Content) {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		b.WriteString(indent + "}")
	case yaml.SequenceNode:
		if len(n.Content) == 0 {
			b.WriteString("[]")
			return nil
		}
		b.WriteString("[\n")
		for i, c := range n.Content {
			b.WriteString(indent + "  ")
			if err := writeJSON(b, c, indent+"  "); err != nil {
				return err
			}
			if i+1 < len(n.Content) {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		b.WriteString(indent + "]")
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!int", "!!float", "!!bool", "!!null":
			b.WriteString(n.Value)
		default:
			if strings.HasPrefix(n.Tag, "!") && !strings.HasPrefix(n.Tag, "!!") {
				return fmt.Errorf("a YAML tag %s in a JSON template", n.Tag)
			}
			v, _ := json.Marshal(n.Value)
			b.Write(v)
		}
	default:
		return fmt.Errorf("a YAML node of kind %d in a JSON template", n.Kind)
	}
	return nil
}
