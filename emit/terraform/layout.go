package terraform

import (
	"bytes"
	"strings"

	"github.com/hashicorp/hcl/v2/hclwrite"
)

// The module's repetitive blocks (a group, a rule, an output: thousands of
// them in a big policy) have a fixed shape, so they are laid out here
// directly in canonical `terraform fmt` form, with every value still
// rendered by hclwrite's token builders. hclwrite's own formatter measures
// every token with a fresh grapheme scanner, which made it cost most of a
// large build. Tests require hclwrite.Format to leave every emitted file
// unchanged, for the goldens and for hundreds of random policies.

// attribute is one attribute of a block: a single-line value, or an object
// written over several lines between open and close.
type attribute struct {
	name    string
	value   []byte      // the value as hclwrite's token builders render it
	open    string      // "{" or "merge(var.tags, {" for an object value
	entries []attribute // the object's entries (single-line values)
	close   string      // "}" or "})"
}

func (a attribute) multiline() bool { return len(a.entries) > 0 }

// writeBlock appends `TYPE "label"... { attributes }` to buf.
func writeBlock(buf *bytes.Buffer, typeName string, labels []string, attrs []attribute) {
	buf.WriteString(typeName)
	for _, l := range labels {
		buf.WriteByte(' ')
		buf.Write(hclwrite.TokensForValue(ctyString(l)).Bytes())
	}
	buf.WriteString(" {\n")
	writeAttributes(buf, "  ", attrs)
	buf.WriteString("}\n")
}

// writeAttributes aligns the "=" of each run of single-line attributes, as
// hclwrite.Format does; an attribute whose value spans lines stands alone.
func writeAttributes(buf *bytes.Buffer, indent string, attrs []attribute) {
	for i := 0; i < len(attrs); {
		if attrs[i].multiline() {
			a := attrs[i]
			buf.WriteString(indent + a.name + " = " + a.open + "\n")
			writeAttributes(buf, indent+"  ", a.entries)
			buf.WriteString(indent + a.close + "\n")
			i++
			continue
		}
		j, width := i, 0
		for ; j < len(attrs) && !attrs[j].multiline(); j++ {
			width = max(width, len(attrs[j].name))
		}
		for _, a := range attrs[i:j] {
			buf.WriteString(indent + a.name + strings.Repeat(" ", width-len(a.name)) + " = ")
			if a.open != "" { // an empty object is written on one line
				buf.WriteString(a.open + a.close)
			} else {
				buf.Write(a.value)
			}
			buf.WriteByte('\n')
		}
		i = j
	}
}
