package cloudformation

import (
	"bytes"
	"errors"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

// yaml11Special matches plain scalars that a YAML 1.1 reader, such as
// CloudFormation's, would take for something other than a string:
// booleans, null, numbers, sexagesimals and dates. It is compiled on
// first use: most builds never ask it, and every command paid for it at
// start-up.
var yaml11Special = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|~|null|Null|NULL|` +
		`[-+]?(?:0|[1-9][0-9_]*|0[xX][0-9a-fA-F_]+|0[oO]?[0-7_]+|0[bB][01_]+|[0-9][0-9_]*(?::[0-5]?[0-9])+)|` +
		`[-+]?(?:\.[0-9]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|` +
		`[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|` + // a sexagesimal float, 1:20.5
		`[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}.*)$`)
})

// yaml11Words are the plain scalars a YAML 1.1 reader takes for booleans,
// null, or one of its special types.
var yaml11Words = map[string]bool{"y": true, "Y": true, "yes": true, "Yes": true, "YES": true, "n": true, "N": true,
	"no": true, "No": true, "NO": true, "true": true, "True": true, "TRUE": true, "false": true, "False": true,
	"FALSE": true, "on": true, "On": true, "ON": true, "off": true, "Off": true, "OFF": true, "~": true,
	"null": true, "Null": true, "NULL": true,
	// PyYAML, and so cfn-lint and the AWS CLI, resolve these two to the
	// "value" and "merge" types, which they then cannot construct.
	"=": true, "<<": true}

// yaml11Ambiguous reports whether a YAML 1.1 reader would take s for
// something other than a string. Only strings that start like a number or
// a date, and hold no "/", can be numbers or dates, so the regular
// expression runs on those alone.
func yaml11Ambiguous(s string) bool {
	if s == "" || len(s) <= yaml11WordsLongest && yaml11Words[s] {
		return true
	}
	switch c := s[0]; {
	case c >= '0' && c <= '9', c == '-', c == '+', c == '.':
		if integerOrDate(s) {
			return true // the regular expression's commonest yes ("-1", a date), without it
		}
		return !strings.Contains(s, "/") && (yaml11Special().MatchString(s) || goNumber(s))
	}
	return false
}

// yaml11WordsLongest is the length of the longest of yaml11Words: longer
// strings (nearly all) are not looked up.
var yaml11WordsLongest = func() (n int) {
	for w := range yaml11Words {
		n = max(n, len(w))
	}
	return n
}()

// integerOrDate reports whether s is [-+]?[0-9]+ or [0-9]{4}-[0-9]{2}-[0-9]{2},
// which yaml11Special matches: a protocol number ("-1" is all of them) or
// a flow's expiry date in every rule.
func integerOrDate(s string) bool {
	digits := func(t string) bool {
		for i := 0; i < len(t); i++ {
			if t[i] < '0' || t[i] > '9' {
				return false
			}
		}
		return t != ""
	}
	if len(s) == 10 && s[4] == '-' && s[7] == '-' {
		return digits(s[:4]) && digits(s[5:7]) && digits(s[8:])
	}
	if s[0] == '-' || s[0] == '+' {
		s = s[1:]
	}
	return digits(s)
}

// goNumber reports whether yaml.v3 reads s as a number: it drops
// underscores and asks strconv, which takes forms such as 0X1F and +Inf
// that YAML 1.1's patterns do not.
func goNumber(s string) bool {
	s = strings.ReplaceAll(s, "_", "")
	if _, err := strconv.ParseInt(s, 0, 64); err == nil {
		return true
	}
	if _, err := strconv.ParseUint(s, 0, 64); err == nil {
		return true
	}
	_, err := strconv.ParseFloat(s, 64)
	return err == nil || errors.Is(err, strconv.ErrRange)
}

// isPlainSafe reports whether yaml.v3 certainly writes s plain: a letter,
// digit or "$" first, a letter, digit or closing mark last, and between
// them inner spaces and punctuation that means nothing to YAML there: a
// ":" not followed by a space (as in ${AWS::StackName} and IPv6
// addresses), "$", braces, quotes and the like.
// FuzzPlainSafe holds it to yaml.v3.
func isPlainSafe(s string) bool {
	if s == "" || !(isAlnum(s[0]) || s[0] == '$') || !(isAlnum(s[len(s)-1]) || strings.IndexByte(".)}$", s[len(s)-1]) >= 0) {
		return false
	}
	for i := 1; i < len(s)-1; i++ {
		c := s[i]
		if plainInner[c] {
			continue
		}
		switch c {
		case ' ':
			if s[i+1] == '#' {
				return false // a comment
			}
		case ':':
			if s[i+1] == ' ' {
				return false // a mapping key
			}
		default:
			return false
		}
	}
	return true
}

// plainInner marks the bytes that mean nothing to YAML inside a plain
// scalar, whatever follows them: looked up, as every string of a
// template passes through isPlainSafe.
var plainInner = func() (t [256]bool) {
	for c := range t {
		t[c] = isAlnum(byte(c)) || strings.IndexByte("._/()=+-,${}'@\"", byte(c)) >= 0
	}
	return t
}()

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// quoteString reports whether a string is written double-quoted whatever
// yaml.v3 would choose: where a YAML 1.1 reader would take it for
// something else, and where it starts with ":", which YAML 1.1 readers
// do not accept at the start of a plain scalar.
func quoteString(s string) bool { return yaml11Ambiguous(s) || strings.HasPrefix(s, ":") }

// renderYAML writes the template with a comment header, in the block
// layout yaml.v3 gives with an indent of 2. The block structure is written
// here, straight from the tree; yaml.v3 decides how each scalar that is
// not plainly safe is written (plain or quoted, once per distinct scalar),
// which is where YAML's subtleties live. yaml.v3's own emitter keeps every
// event of a document in memory (a few hundred bytes each), which made it
// most of the cost of large templates; a test holds this writer to the
// bytes yaml.v3 writes for the same tree (renderYAMLReference).
func renderYAML(header string, t *object, cache *scalarCache, sizeHint int) []byte {
	w := yamlWriter{scalars: cache, buf: make([]byte, 0, sizeHint)}
	w.buf = append(w.buf, "# "+header+"\n"...)
	w.node(t, "", false)
	return w.buf
}

type scalarKey struct {
	tag, value string
	style      yaml.Style
}

// scalarCache remembers how yaml.v3 writes scalars, across the templates
// of one build.
type scalarCache map[scalarKey]string

type yamlWriter struct {
	buf     []byte
	scalars *scalarCache
}

// scalar appends the scalar as yaml.v3 writes it in block context.
func (w *yamlWriter) scalar(tag, value string, style yaml.Style) {
	if style == 0 && isPlainSafe(value) && !yaml11Ambiguous(value) {
		switch tag {
		case "!!str", "!!int":
			w.buf = append(w.buf, value...)
			return
		case "!Ref", "!GetAtt", "!Sub":
			w.buf = append(w.buf, tag...)
			w.buf = append(w.buf, ' ')
			w.buf = append(w.buf, value...)
			return
		}
	}
	k := scalarKey{tag, value, style}
	out, ok := (*w.scalars)[k]
	if !ok {
		var b bytes.Buffer
		enc := yaml.NewEncoder(&b)
		if err := enc.Encode(&yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: value, Style: style}); err != nil {
			panic(err)
		}
		enc.Close()
		out = strings.TrimSuffix(b.String(), "\n")
		if strings.Contains(out, "\n") && style != yaml.DoubleQuotedStyle {
			// yaml.v3 writes text over several lines as a block scalar,
			// indented for the top level: under a key it would end the
			// mapping, and its lines would become keys of their own. Text
			// is written on one line, double-quoted, its breaks escaped.
			w.scalar(tag, value, yaml.DoubleQuotedStyle)
			return
		}
		if *w.scalars == nil {
			*w.scalars = scalarCache{}
		}
		(*w.scalars)[k] = out
	}
	w.buf = append(w.buf, out...)
}

// singleQuoted reports whether yaml.v3 writes s in single quotes as it
// is: printable ASCII without quotes, backslashes or spaces at its ends,
// that cannot be plain because it starts with a flow indicator ("{",
// "["), as the parts of a purpose split at "${" do. It saves creating a
// yaml.v3 encoder for each such part, most of a big build's YAML time.
// FuzzPlainSafe holds it to yaml.v3.
func singleQuoted(s string) bool {
	if len(s) < 2 || (s[0] != '{' && s[0] != '[') || s[len(s)-1] == ' ' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '\'' || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

// str appends a string scalar, quoted where str would have it quoted.
func (w *yamlWriter) str(s string) {
	if isPlainSafe(s) && !yaml11Ambiguous(s) {
		w.buf = append(w.buf, s...)
		return
	}
	if singleQuoted(s) {
		w.buf = append(append(append(w.buf, '\''), s...), '\'')
		return
	}
	var style yaml.Style
	if quoteString(s) {
		if bareDoubleQuoted(s) {
			// A protocol number, a date, an empty string: yaml.v3 writes
			// them between double quotes as they are, and asking it costs
			// a small build a twentieth of its time.
			w.buf = append(append(append(w.buf, '"'), s...), '"')
			return
		}
		style = yaml.DoubleQuotedStyle
	}
	w.scalar("!!str", s, style)
}

// bareDoubleQuoted reports whether yaml.v3 writes s double-quoted as it
// is: printable ASCII with nothing to escape (no quote, no backslash) and
// no space, where a long line could be folded. TestBareDoubleQuoted and
// FuzzBareDoubleQuoted hold it to yaml.v3.
func bareDoubleQuoted(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c > '~' || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

// leaf appends a value that is not an object or a list.
func (w *yamlWriter) leaf(v any) {
	switch v := v.(type) {
	case string:
		w.str(v)
	case int:
		w.buf = strconv.AppendInt(w.buf, int64(v), 10)
	case ref:
		w.scalar("!Ref", v.name, 0)
	case getAtt:
		w.scalar("!GetAtt", v.resource+"."+v.attr, 0)
	case sub:
		w.scalar("!Sub", v.text, 0)
	default:
		panic("cloudformation: cannot render " + strconv.Quote(strings.TrimSpace(jsonString(v))))
	}
}

// importKey is the one key of the mapping an importVal is written as.
const importKey = "Fn::ImportValue"

// node writes v, an object or a list, at indent. inline is true when the
// caller has already written "- " and the first line of v continues that
// line.
func (w *yamlWriter) node(v any, indent string, inline bool) {
	switch v := v.(type) {
	case *object:
		for i, k := range v.keys {
			if !(inline && i == 0) {
				w.buf = append(w.buf, indent...)
			}
			w.str(k)
			w.buf = append(w.buf, ':')
			w.value(v.vals[i], indent)
		}
	case importVal:
		if !inline {
			w.buf = append(w.buf, indent...)
		}
		w.str(importKey)
		w.buf = append(w.buf, ':')
		w.value(v.name, indent)
	case []any:
		for i, item := range v {
			if !(inline && i == 0) {
				w.buf = append(w.buf, indent...)
			}
			w.buf = append(w.buf, "- "...)
			w.itemValue(item, indentBy(indent, 2))
		}
	default:
		w.leaf(v)
		w.buf = append(w.buf, '\n')
	}
}

// value writes a mapping value after "key:".
func (w *yamlWriter) value(v any, indent string) {
	switch v := v.(type) {
	case ruleRes:
		w.buf = append(w.buf, '\n')
		v.writeYAML(w, indentBy(indent, 2))
	case *object:
		if len(v.keys) == 0 {
			w.buf = append(w.buf, " {}\n"...)
			return
		}
		w.buf = append(w.buf, '\n')
		w.node(v, indentBy(indent, 2), false)
	case importVal:
		w.buf = append(w.buf, '\n')
		w.node(v, indentBy(indent, 2), false)
	case []any:
		if len(v) == 0 {
			w.buf = append(w.buf, " []\n"...)
			return
		}
		w.buf = append(w.buf, '\n')
		w.node(v, indentBy(indent, 2), false)
	default:
		w.buf = append(w.buf, ' ')
		w.leaf(v)
		w.buf = append(w.buf, '\n')
	}
}

// itemValue writes a sequence item after "- ".
func (w *yamlWriter) itemValue(v any, indent string) {
	switch v := v.(type) {
	case *object:
		if len(v.keys) == 0 {
			w.buf = append(w.buf, "{}\n"...)
			return
		}
		w.node(v, indent, true)
	case importVal:
		w.node(v, indent, true)
	case []any:
		if len(v) == 0 {
			w.buf = append(w.buf, "[]\n"...)
			return
		}
		// A list in a list starts on the item's line, as yaml.v3 writes it.
		w.node(v, indent, true)
	default:
		w.leaf(v)
		w.buf = append(w.buf, '\n')
	}
}
