package cloudformation

import (
	"bytes"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// The reference renderer: the template tree as yaml.v3's encoder writes it,
// which renderYAML is held to (TestYAMLWriterMatchesYAMLv3).

func toYAML(v any) *yaml.Node {
	switch v := v.(type) {
	case *object:
		n := &yaml.Node{Kind: yaml.MappingNode}
		for i, k := range v.keys {
			n.Content = append(n.Content, str(k), toYAML(v.vals[i]))
		}
		return n
	case []any:
		n := &yaml.Node{Kind: yaml.SequenceNode}
		for _, e := range v {
			n.Content = append(n.Content, toYAML(e))
		}
		return n
	case string:
		return str(v)
	case int:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.Itoa(v)}
	case ref:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!Ref", Value: v.name}
	case getAtt:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!GetAtt", Value: v.resource + "." + v.attr}
	case sub:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!Sub", Value: v.text}
	case ruleRes:
		return toYAML(v.object())
	case importVal:
		// AWS does not accept the short form !ImportValue around a !Sub.
		return toYAML(obj().set("Fn::ImportValue", v.name))
	}
	panic("cloudformation: cannot render " + strconv.Quote(strings.TrimSpace(jsonString(v))))
}

func str(s string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
	if quoteString(s) {
		n.Style = yaml.DoubleQuotedStyle
	}
	return n
}

// renderYAMLReference writes the template with yaml.v3's encoder alone: the
// specification renderYAML is tested against.
func renderYAMLReference(header string, t *object) []byte {
	var b bytes.Buffer
	b.WriteString("# " + header + "\n")
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(toYAML(t)); err != nil {
		panic(err)
	}
	enc.Close()
	return b.Bytes()
}
