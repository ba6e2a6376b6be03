package terraform

import (
	"strconv"
)

// The module's repetitive blocks (a group, a rule, an output: thousands of
// them in a big policy) have a fixed shape, so they are laid out here
// directly in canonical `terraform fmt` form, appending to one buffer
// without building a syntax tree. Strings are quoted as hclwrite's token
// builders quote them (str). hclwrite's own formatter measures every
// token with a fresh grapheme scanner, which made it cost most of a large
// build. Tests require hclwrite.Format to leave every emitted file
// unchanged, for the goldens and for hundreds of random policies.

// valueKind says how a value is written.
type valueKind uint8

const (
	exprValue   valueKind = iota // written as it is: a reference such as var.vpc_id
	quotedValue                  // a string, quoted and escaped
	numberValue                  // a decimal integer
)

// value is an attribute's single-line value.
type value struct {
	kind valueKind
	s    string
	n    int
}

func quoted(s string) value { return value{kind: quotedValue, s: s} }
func number(n int) value    { return value{kind: numberValue, n: n} }
func expr(s string) value   { return value{kind: exprValue, s: s} }

func (v value) appendTo(buf []byte) []byte {
	switch v.kind {
	case quotedValue:
		return appendStr(buf, v.s)
	case numberValue:
		return strconv.AppendInt(buf, int64(v.n), 10)
	}
	return append(buf, v.s...)
}

// attribute is one attribute of a block: a single-line value, or an object
// written over several lines between open and close.
type attribute struct {
	name    string
	value   value
	open    string      // "{" or "merge(var.tags, {" for an object value
	entries []attribute // the object's entries (single-line values)
	close   string      // "}" or "})"
	block   bool        // a nested block (name { entries }) after a blank line
	tight   bool        // a nested block right after the line before
}

func (a *attribute) multiline() bool { return len(a.entries) > 0 || a.block }

// appendBlock appends `TYPE "label"... { attributes }` to buf.
func appendBlock(buf []byte, typeName string, labels []string, attrs []attribute) []byte {
	buf = append(buf, typeName...)
	for _, l := range labels {
		buf = append(buf, ' ')
		buf = appendStr(buf, l)
	}
	buf = append(buf, " {\n"...)
	buf = appendAttributes(buf, 1, attrs)
	return append(buf, "}\n"...)
}

const spaces = "                                                                "

// appendAttributes aligns the "=" of each run of single-line attributes,
// as hclwrite.Format does; an attribute whose value spans lines stands
// alone. depth is the nesting level, two spaces each.
func appendAttributes(buf []byte, depth int, attrs []attribute) []byte {
	indent := spaces[:2*depth]
	for i := 0; i < len(attrs); {
		if a := &attrs[i]; a.block {
			if !a.tight {
				buf = append(buf, '\n')
			}
			buf = append(buf, indent...)
			buf = append(buf, a.name...)
			buf = append(buf, " {\n"...)
			buf = appendAttributes(buf, depth+1, a.entries)
			buf = append(buf, indent...)
			buf = append(buf, "}\n"...)
			i++
			continue
		}
		if a := &attrs[i]; a.multiline() {
			buf = append(buf, indent...)
			buf = append(buf, a.name...)
			buf = append(buf, " = "...)
			buf = append(buf, a.open...)
			buf = append(buf, '\n')
			buf = appendAttributes(buf, depth+1, a.entries)
			buf = append(buf, indent...)
			buf = append(buf, a.close...)
			buf = append(buf, '\n')
			i++
			continue
		}
		j, width := i, 0
		for ; j < len(attrs) && !attrs[j].multiline(); j++ {
			width = max(width, len(attrs[j].name))
		}
		for k := i; k < j; k++ {
			a := &attrs[k]
			buf = append(buf, indent...)
			buf = append(buf, a.name...)
			for pad := width - len(a.name); pad > 0; {
				n := min(pad, len(spaces))
				buf = append(buf, spaces[:n]...)
				pad -= n
			}
			buf = append(buf, " = "...)
			if a.open != "" { // an empty object is written on one line
				buf = append(buf, a.open...)
				buf = append(buf, a.close...)
			} else {
				buf = a.value.appendTo(buf)
			}
			buf = append(buf, '\n')
		}
		i = j
	}
	return buf
}
