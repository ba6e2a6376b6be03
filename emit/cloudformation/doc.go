package cloudformation

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// A template is built as a small tree of values with a fixed key order,
// then rendered as YAML (through yaml.Node, with the short-form intrinsic
// tags) or as JSON. Keeping one tree for both formats is what makes them
// say the same thing.

// object is a mapping whose keys keep the order they were set in.
type object struct {
	keys []string
	vals map[string]any
}

func obj() *object { return &object{vals: map[string]any{}} }

// set adds or replaces key and returns o, for chaining.
func (o *object) set(key string, v any) *object {
	if _, ok := o.vals[key]; !ok {
		o.keys = append(o.keys, key)
	}
	o.vals[key] = v
	return o
}

func (o *object) get(key string) any { return o.vals[key] }

// Intrinsic functions. Each renders as a short-form tag in YAML and as
// {"Fn::...": ...} in JSON.
type (
	ref       struct{ name string }           // !Ref name
	getAtt    struct{ resource, attr string } // !GetAtt resource.attr
	sub       struct{ text string }           // !Sub text
	importVal struct{ name any }              // Fn::ImportValue: name (long form: it may hold a !Sub)
)

// yaml11Special matches plain scalars that a YAML 1.1 reader, such as
// CloudFormation's, would take for something other than a string:
// booleans, null, numbers, sexagesimals and dates.
var yaml11Special = regexp.MustCompile(`^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|~|null|Null|NULL|` +
	`[-+]?(?:0|[1-9][0-9_]*|0x[0-9a-fA-F_]+|0o?[0-7_]+|0b[01_]+|[0-9][0-9_]*(?::[0-5]?[0-9])+)|` +
	`[-+]?(?:\.[0-9]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|` +
	`[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}.*)$`)

func str(s string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
	if s == "" || yaml11Special.MatchString(s) || strings.HasPrefix(s, ":") {
		n.Style = yaml.DoubleQuotedStyle
	}
	return n
}

func toYAML(v any) *yaml.Node {
	switch v := v.(type) {
	case *object:
		n := &yaml.Node{Kind: yaml.MappingNode}
		for _, k := range v.keys {
			n.Content = append(n.Content, str(k), toYAML(v.vals[k]))
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
	case importVal:
		// AWS does not accept the short form !ImportValue around a !Sub.
		return toYAML(obj().set("Fn::ImportValue", v.name))
	}
	panic("cloudformation: cannot render " + strconv.Quote(strings.TrimSpace(jsonString(v))))
}

// yamlChunk is how many entries of a big section are encoded at once.
// yaml.v3's emitter keeps every event of a document, so one document of
// thousands of resources costs far more than many small ones.
const yamlChunk = 64

// renderYAML writes the template with a comment header. Top-level keys are
// encoded one by one, and big sections in chunks of entries indented under
// their key: block YAML whose scalars never wrap (yaml.v3 does not wrap,
// and no value here spans lines) reads the same shifted right.
func renderYAML(header string, t *object) []byte {
	var b bytes.Buffer
	b.WriteString("# " + header + "\n")
	for _, k := range t.keys {
		v := t.vals[k]
		section, ok := v.(*object)
		if !ok || len(section.keys) == 0 {
			encodeYAML(&b, obj().set(k, v), "")
			continue
		}
		encodeYAML(&b, str(k), "") // the key alone, as yaml.v3 writes it
		b.Truncate(b.Len() - 1)
		b.WriteString(":\n")
		for i := 0; i < len(section.keys); i += yamlChunk {
			chunk := obj()
			for _, ck := range section.keys[i:min(i+yamlChunk, len(section.keys))] {
				chunk.set(ck, section.vals[ck])
			}
			encodeYAML(&b, chunk, "  ")
		}
	}
	return b.Bytes()
}

// encodeYAML appends v as YAML, every line prefixed with indent.
func encodeYAML(b *bytes.Buffer, v any, indent string) {
	var tmp bytes.Buffer
	enc := yaml.NewEncoder(&tmp)
	enc.SetIndent(2)
	var n *yaml.Node
	if node, ok := v.(*yaml.Node); ok {
		n = node
	} else {
		n = toYAML(v)
	}
	if err := enc.Encode(n); err != nil {
		panic(err) // only node trees built here are encoded
	}
	enc.Close()
	if indent == "" {
		b.Write(tmp.Bytes())
		return
	}
	for _, line := range bytes.SplitAfter(tmp.Bytes(), []byte("\n")) {
		if len(line) > 0 {
			b.WriteString(indent)
			b.Write(line)
		}
	}
}

func jsonString(s any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(s)
	return strings.TrimSuffix(b.String(), "\n")
}

// toJSON writes v as indented JSON, keeping object key order.
func toJSON(b *bytes.Buffer, v any, indent string) {
	switch v := v.(type) {
	case *object:
		if len(v.keys) == 0 {
			b.WriteString("{}")
			return
		}
		b.WriteString("{\n")
		for i, k := range v.keys {
			b.WriteString(indent + "  " + jsonString(k) + ": ")
			toJSON(b, v.vals[k], indent+"  ")
			if i < len(v.keys)-1 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		b.WriteString(indent + "}")
	case []any:
		if len(v) == 0 {
			b.WriteString("[]")
			return
		}
		b.WriteString("[\n")
		for i, e := range v {
			b.WriteString(indent + "  ")
			toJSON(b, e, indent+"  ")
			if i < len(v)-1 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		b.WriteString(indent + "]")
	case string:
		b.WriteString(jsonString(v))
	case int:
		b.WriteString(strconv.Itoa(v))
	case ref:
		toJSON(b, obj().set("Ref", v.name), indent)
	case getAtt:
		toJSON(b, obj().set("Fn::GetAtt", []any{v.resource, v.attr}), indent)
	case sub:
		toJSON(b, obj().set("Fn::Sub", v.text), indent)
	case importVal:
		toJSON(b, obj().set("Fn::ImportValue", v.name), indent)
	default:
		panic("cloudformation: cannot render value")
	}
}

func renderJSON(t *object) []byte {
	var b bytes.Buffer
	toJSON(&b, t, "")
	b.WriteByte('\n')
	return b.Bytes()
}
