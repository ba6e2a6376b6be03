package ruleset

import (
	"encoding/json"
	"fmt"
	"path"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/sgc-dev/sgc/emit"
)

// Template is a CloudFormation template decoded into plain values, with
// intrinsic functions in their long form ({"Fn::GetAtt": [...]},
// {"Ref": ...}), whichever of YAML or JSON it was written in.
type Template map[string]any

// Section returns a top-level mapping of the template, such as "Resources".
func (t Template) Section(name string) map[string]any {
	m, _ := t[name].(map[string]any)
	return m
}

// DecodeTemplate reads a YAML or JSON template. YAML short forms (!Ref,
// !GetAtt, !Sub, ...) become their long forms.
func DecodeTemplate(name string, data []byte) (Template, error) {
	if strings.HasSuffix(name, ".json") {
		var t Template
		err := json.Unmarshal(data, &t)
		return t, err
	}
	var n yaml.Node
	if err := yaml.Unmarshal(data, &n); err != nil {
		return nil, err
	}
	v, err := fromYAML(&n)
	if err != nil {
		return nil, err
	}
	t, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s: not a mapping", name)
	}
	return t, nil
}

func fromYAML(n *yaml.Node) (any, error) {
	switch n.Kind {
	case yaml.DocumentNode:
		return fromYAML(n.Content[0])
	case yaml.MappingNode:
		m := map[string]any{}
		for i := 0; i < len(n.Content); i += 2 {
			v, err := fromYAML(n.Content[i+1])
			if err != nil {
				return nil, err
			}
			m[n.Content[i].Value] = v
		}
		return m, nil
	case yaml.SequenceNode:
		var out []any
		for _, c := range n.Content {
			v, err := fromYAML(c)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case yaml.ScalarNode:
		switch n.Tag {
		case "!Ref":
			return map[string]any{"Ref": n.Value}, nil
		case "!GetAtt":
			res, attr, _ := strings.Cut(n.Value, ".")
			return map[string]any{"Fn::GetAtt": []any{res, attr}}, nil
		case "!Sub":
			return map[string]any{"Fn::Sub": n.Value}, nil
		case "!ImportValue":
			return map[string]any{"Fn::ImportValue": n.Value}, nil
		case "!!int":
			var i int
			err := n.Decode(&i)
			return float64(i), err // as JSON decodes numbers
		case "!!str", "":
			return n.Value, nil
		}
		if strings.HasPrefix(n.Tag, "!") && !strings.HasPrefix(n.Tag, "!!") {
			return nil, fmt.Errorf("line %d: unexpected tag %s", n.Line, n.Tag)
		}
		var v any
		err := n.Decode(&v)
		return v, err
	}
	return nil, fmt.Errorf("line %d: unexpected YAML node", n.Line)
}

// nameTag returns a group's role name: its Name tag.
func nameTag(props map[string]any) string {
	tags, _ := props["Tags"].([]any)
	for _, t := range tags {
		if tag, _ := t.(map[string]any); tag["Key"] == "Name" {
			v, _ := tag["Value"].(string)
			return v
		}
	}
	return ""
}

// FromCloudFormation rebuilds the rules of one template or of a set of
// split stacks: group ids are followed through !GetAtt, or through
// Fn::ImportValue to the export of another stack.
func FromCloudFormation(files []emit.File) (Set, error) {
	templates := map[string]Template{}
	for _, f := range files {
		if ext := path.Ext(f.Path); ext != ".yaml" && ext != ".json" {
			continue
		}
		t, err := DecodeTemplate(f.Path, f.Data)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", f.Path, err)
		}
		templates[strings.TrimSuffix(f.Path, path.Ext(f.Path))] = t
	}
	// Group names by logical id, and by export (as "${GroupsStackN}-x",
	// with N the group stack's number, as rule stacks import them).
	groupOf := map[string]string{}
	exported := map[string]string{}
	inputs := map[string]string{}
	lists := map[string]string{} // parameter -> AWS name of a managed prefix list
	for name, t := range templates {
		for id, r := range t.Section("Resources") {
			res := r.(map[string]any)
			if res["Type"] == "AWS::EC2::SecurityGroup" {
				groupOf[id] = nameTag(res["Properties"].(map[string]any))
			}
		}
		for id, o := range t.Section("Outputs") {
			out := o.(map[string]any)
			exp, ok := out["Export"].(map[string]any)
			if !ok {
				continue
			}
			ga := out["Value"].(map[string]any)["Fn::GetAtt"].([]any)
			sub := exp["Name"].(map[string]any)["Fn::Sub"].(string)
			n := strings.TrimPrefix(name, "groups-")
			exported[strings.Replace(sub, "${AWS::StackName}", "${GroupsStack"+n+"}", 1)] = ga[0].(string)
			_ = id
		}
		for id, p := range t.Section("Parameters") {
			desc, _ := p.(map[string]any)["Description"].(string)
			if m := externalName.FindStringSubmatch(desc); m != nil {
				inputs[id] = m[1]
			}
			if m := managedListParam.FindStringSubmatch(desc); m != nil {
				lists[id] = strings.ReplaceAll(m[1], "REGION", "{region}")
			}
		}
	}
	groupID := func(v any) (string, error) {
		m, ok := v.(map[string]any)
		if !ok {
			return "", fmt.Errorf("group id %v is no reference", v)
		}
		if ga, ok := m["Fn::GetAtt"].([]any); ok && ga[1] == "GroupId" {
			return groupOf[ga[0].(string)], nil
		}
		if imp, ok := m["Fn::ImportValue"].(map[string]any); ok {
			id, ok := exported[imp["Fn::Sub"].(string)]
			if !ok {
				return "", fmt.Errorf("import %v matches no export", imp)
			}
			return groupOf[id], nil
		}
		return "", fmt.Errorf("group id %v is no reference", v)
	}
	var out []Rule
	for _, t := range templates {
		for id, r := range t.Section("Resources") {
			res := r.(map[string]any)
			var dir string
			switch res["Type"] {
			case "AWS::EC2::SecurityGroupIngress":
				dir = "ingress"
			case "AWS::EC2::SecurityGroupEgress":
				dir = "egress"
			default:
				continue
			}
			props := res["Properties"].(map[string]any)
			g, err := groupID(props["GroupId"])
			if err != nil {
				return nil, fmt.Errorf("%s: %v", id, err)
			}
			rule := Rule{Group: g, Direction: dir, Protocol: props["IpProtocol"].(string), Description: literalText(props["Description"])}
			if f, ok := props["FromPort"].(float64); ok {
				rule.From, rule.To = int(f), int(props["ToPort"].(float64))
			}
			peers := 0
			for _, k := range []string{"CidrIp", "CidrIpv6", "SourcePrefixListId", "DestinationPrefixListId", "SourceSecurityGroupId", "DestinationSecurityGroupId"} {
				v, ok := props[k]
				if !ok {
					continue
				}
				peers++
				switch v := v.(type) {
				case string:
					rule.Peer = v
				case map[string]any:
					if r, ok := v["Ref"].(string); ok {
						rule.Peer = "input:" + inputs[r]
						if l, ok := lists[r]; ok {
							rule.Peer = "managed:" + l
						}
						continue
					}
					g, err := groupID(v)
					if err != nil {
						return nil, fmt.Errorf("%s: %v", id, err)
					}
					rule.Peer = "group:" + g
				}
			}
			if peers != 1 {
				return nil, fmt.Errorf("%s has %d peers", id, peers)
			}
			if owner, ok := props["SourceSecurityGroupOwnerId"].(string); ok {
				rule.Peer = owner + "/" + rule.Peer
			}
			out = append(out, rule)
		}
	}
	return sorted(out), nil
}

// literalText reads a property value the emitter wrote as text: a string,
// or the Fn::Join of strings it uses for text holding "${".
func literalText(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	if m, ok := v.(map[string]any); ok {
		if j, ok := m["Fn::Join"].([]any); ok && len(j) == 2 {
			var b strings.Builder
			parts, _ := j[1].([]any)
			for i, p := range parts {
				if i > 0 {
					b.WriteString(j[0].(string))
				}
				b.WriteString(p.(string))
			}
			return b.String()
		}
	}
	panic(fmt.Sprintf("ruleset: %v is not text", v))
}
