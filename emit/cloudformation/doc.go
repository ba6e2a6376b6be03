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

// yaml11Words are the plain scalars a YAML 1.1 reader takes for booleans
// or null.
var yaml11Words = map[string]bool{"y": true, "Y": true, "yes": true, "Yes": true, "YES": true, "n": true, "N": true,
	"no": true, "No": true, "NO": true, "true": true, "True": true, "TRUE": true, "false": true, "False": true,
	"FALSE": true, "on": true, "On": true, "ON": true, "off": true, "Off": true, "OFF": true, "~": true,
	"null": true, "Null": true, "NULL": true}

// yaml11Ambiguous reports whether a YAML 1.1 reader would take s for
// something other than a string. Only strings that start like a number or
// a date, and hold no "/", can be numbers or dates, so the regular
// expression runs on those alone.
func yaml11Ambiguous(s string) bool {
	if s == "" || yaml11Words[s] {
		return true
	}
	switch c := s[0]; {
	case c >= '0' && c <= '9', c == '-', c == '+', c == '.':
		return !strings.Contains(s, "/") && yaml11Special.MatchString(s)
	}
	return false
}

// isPlainSafe reports whether yaml.v3 certainly writes s plain: letters,
// digits, inner spaces, and punctuation without meaning to YAML.
func isPlainSafe(s string) bool {
	if s == "" || !isAlnum(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !isAlnum(c) && !strings.ContainsRune(" ._/()=+-,", rune(c)) {
			return false
		}
	}
	return s[len(s)-1] != ' '
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func str(s string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
	if yaml11Ambiguous(s) || strings.HasPrefix(s, ":") {
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

// renderYAML writes the template with a comment header, in the block
// layout yaml.v3 gives with an indent of 2. The document is built as
// yaml.Node values; the block structure is written here, and yaml.v3
// decides how each distinct scalar is written (plain or quoted), which is
// where YAML's subtleties live. yaml.v3's own emitter keeps every event of
// a document in memory (a few hundred bytes each), which made it most of
// the cost of large templates; a test holds this writer to yaml.v3's bytes.
func renderYAML(header string, t *object) []byte {
	w := yamlWriter{scalars: map[scalarKey]string{}}
	w.buf.WriteString("# " + header + "\n")
	w.node(toYAML(t), "", false)
	return w.buf.Bytes()
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

type scalarKey struct {
	tag, value string
	style      yaml.Style
}

type yamlWriter struct {
	buf     bytes.Buffer
	scalars map[scalarKey]string // how yaml.v3 writes each scalar
}

// scalar returns the scalar as yaml.v3 writes it in block context.
func (w *yamlWriter) scalar(n *yaml.Node) string {
	if n.Style == 0 && isPlainSafe(n.Value) && !yaml11Ambiguous(n.Value) {
		switch n.Tag {
		case "!!str", "":
			return n.Value
		case "!!int":
			return n.Value
		case "!Ref", "!GetAtt", "!Sub":
			return n.Tag + " " + n.Value
		}
	}
	k := scalarKey{n.Tag, n.Value, n.Style}
	if s, ok := w.scalars[k]; ok {
		return s
	}
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	if err := enc.Encode(n); err != nil {
		panic(err)
	}
	enc.Close()
	s := strings.TrimSuffix(b.String(), "\n")
	w.scalars[k] = s
	return s
}

// node writes n at indent. inline is true when the caller has already
// written "- " and the first line of n continues that line.
func (w *yamlWriter) node(n *yaml.Node, indent string, inline bool) {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i < len(n.Content); i += 2 {
			if !(inline && i == 0) {
				w.buf.WriteString(indent)
			}
			w.buf.WriteString(w.scalar(n.Content[i]))
			w.buf.WriteByte(':')
			w.value(n.Content[i+1], indent)
		}
	case yaml.SequenceNode:
		for _, item := range n.Content {
			w.buf.WriteString(indent + "- ")
			w.itemValue(item, indent+"  ")
		}
	default:
		w.buf.WriteString(w.scalar(n) + "\n")
	}
}

// value writes a mapping value after "key:".
func (w *yamlWriter) value(v *yaml.Node, indent string) {
	switch {
	case v.Kind == yaml.MappingNode && len(v.Content) == 0:
		w.buf.WriteString(" {}\n")
	case v.Kind == yaml.SequenceNode && len(v.Content) == 0:
		w.buf.WriteString(" []\n")
	case v.Kind == yaml.MappingNode:
		w.buf.WriteByte('\n')
		w.node(v, indent+"  ", false)
	case v.Kind == yaml.SequenceNode:
		w.buf.WriteByte('\n')
		w.node(v, indent+"  ", false)
	default:
		w.buf.WriteString(" " + w.scalar(v) + "\n")
	}
}

// itemValue writes a sequence item after "- ".
func (w *yamlWriter) itemValue(v *yaml.Node, indent string) {
	switch {
	case v.Kind == yaml.MappingNode && len(v.Content) > 0:
		w.node(v, indent, true)
	case v.Kind == yaml.MappingNode:
		w.buf.WriteString("{}\n")
	case v.Kind == yaml.SequenceNode && len(v.Content) == 0:
		w.buf.WriteString("[]\n")
	case v.Kind == yaml.SequenceNode:
		w.buf.WriteByte('\n')
		w.node(v, indent, false)
	default:
		w.buf.WriteString(w.scalar(v) + "\n")
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
