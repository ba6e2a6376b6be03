package cloudformation

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
)

// jsonQuote quotes s as jsonString does; printable ASCII without quotes or
// backslashes, nearly every string of a template, needs no encoder.
func jsonQuote(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' {
			return jsonString(s)
		}
	}
	return `"` + s + `"`
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
			b.WriteString(indent + "  " + jsonQuote(k) + ": ")
			toJSON(b, v.vals[i], indentBy(indent, 2))
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
			toJSON(b, e, indentBy(indent, 2))
			if i < len(v)-1 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		b.WriteString(indent + "]")
	case string:
		b.WriteString(jsonQuote(v))
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
	case ruleRes:
		toJSON(b, v.object(), indent)
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
