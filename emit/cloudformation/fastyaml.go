package cloudformation

import (
	"bytes"
	"strings"

	"go.yaml.in/yaml/v3"
)

// fastYAML reads a template in the block YAML sgc writes into the tree
// yaml.v3 would give for it, or reports false for anything outside that
// narrow form: the caller then asks yaml.v3. A rebuild reads every group
// stack of the previous output; at 50,000 flows yaml.v3 took a fifth of a
// second of CPU and 40 MB for them.
//
// The form: full-line comments; block mappings and sequences indented by
// spaces, each nested block deeper than its key; keys plain words that
// start with a letter; values on the key's line, never continued on the
// next. A value is single-quoted, double-quoted without escapes, tagged
// with a CloudFormation short form (!Ref X), a decimal integer, or a plain
// string that yaml.v3 resolves to a string for certain (it starts with a
// letter and is no YAML 1.1 word, or starts with a digit and holds a
// "/"). Anything else (flow collections, anchors, block scalars, !!tags,
// tabs, duplicate keys, empty values) is left to yaml.v3.
// TestFastYAMLIsYAML and FuzzFastYAML hold the trees to yaml.v3's.
func fastYAML(data []byte) (*yaml.Node, bool) {
	type frame struct {
		indent int
		node   *yaml.Node
		keys   map[string]bool // a mapping's keys, when it has many
	}
	var (
		stack   []frame
		pending *yaml.Node // the value of a "key:" line, waiting for its block
		pendAt  int        // that key's indent
		root    *yaml.Node
	)
	// addKey adds key to the mapping of the top frame, refusing a repeat.
	addKey := func(f *frame, key string) bool {
		m := f.node
		if f.keys != nil {
			if f.keys[key] {
				return false
			}
			f.keys[key] = true
		} else {
			for i := 0; i < len(m.Content); i += 2 {
				if m.Content[i].Value == key {
					return false
				}
			}
			if len(m.Content) >= 16 {
				f.keys = make(map[string]bool, 64)
				for i := 0; i < len(m.Content); i += 2 {
					f.keys[m.Content[i].Value] = true
				}
				f.keys[key] = true
			}
		}
		return true
	}
	// entry reads "key:" or "key: value" at column indent into the
	// mapping of the top frame.
	entry := func(line string, indent int) bool {
		key, rest, ok := splitKey(line)
		if !ok {
			return false
		}
		f := &stack[len(stack)-1]
		if !addKey(f, key) {
			return false
		}
		k := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key}
		if rest == "" {
			v := &yaml.Node{}
			f.node.Content = append(f.node.Content, k, v)
			pending, pendAt = v, indent
			return true
		}
		v, ok := fastScalar(rest)
		if !ok {
			return false
		}
		f.node.Content = append(f.node.Content, k, v)
		return true
	}
	for len(data) > 0 {
		var raw []byte
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			raw, data = data[:i], data[i+1:]
		} else {
			raw, data = data, nil
		}
		if bytes.ContainsAny(raw, "\t\r") {
			return nil, false
		}
		line := string(raw)
		body := strings.TrimLeft(line, " ")
		if body == "" {
			continue
		}
		if body[0] == '#' {
			// yaml.v3 keeps comments apart from the tree, but refuses
			// one that is not printable text.
			if !printableASCII(body) {
				return nil, false
			}
			continue
		}
		indent := len(line) - len(body)
		if body == "---" || body == "..." || body[0] == '%' {
			return nil, false
		}
		if root == nil {
			if indent != 0 {
				return nil, false
			}
			root = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
			stack = append(stack, frame{indent: 0, node: root})
		} else {
			for len(stack) > 0 && stack[len(stack)-1].indent > indent {
				stack = stack[:len(stack)-1]
			}
			if pending != nil {
				// The block of a "key:" line: deeper than its key.
				if indent <= pendAt || len(stack) == 0 || stack[len(stack)-1].indent >= indent {
					return nil, false
				}
				if strings.HasPrefix(body, "- ") {
					pending.Kind, pending.Tag = yaml.SequenceNode, "!!seq"
				} else {
					pending.Kind, pending.Tag = yaml.MappingNode, "!!map"
				}
				if len(stack) >= maxFastDepth {
					return nil, false
				}
				stack = append(stack, frame{indent: indent, node: pending})
				pending = nil
			}
			if len(stack) == 0 || stack[len(stack)-1].indent != indent {
				return nil, false // deeper than its block, or between two: not this form
			}
		}
		top := stack[len(stack)-1].node
		if top.Kind == yaml.SequenceNode {
			if !strings.HasPrefix(body, "- ") {
				return nil, false
			}
			item := body[2:]
			if item == "" || item[0] == ' ' || item[0] == '-' {
				return nil, false
			}
			if _, _, isKey := splitKey(item); isKey {
				// "- key: value" opens a mapping at the item's column.
				m := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
				top.Content = append(top.Content, m)
				stack = append(stack, frame{indent: indent + 2, node: m})
				if !entry(item, indent+2) {
					return nil, false
				}
				continue
			}
			v, ok := fastScalar(item)
			if !ok {
				return nil, false
			}
			top.Content = append(top.Content, v)
			continue
		}
		if strings.HasPrefix(body, "-") || !entry(body, indent) {
			return nil, false
		}
	}
	if root == nil || pending != nil {
		return nil, false
	}
	return &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{root}}, true
}

// maxFastDepth bounds fastYAML's nesting, far below yaml.v3's own limit:
// a template sgc writes nests six deep.
const maxFastDepth = 32

// splitKey splits "key:" or "key: value" into the key and the value (""
// for the first), for a key that is a plain word starting with a letter.
func splitKey(s string) (key, rest string, ok bool) {
	i := strings.Index(s, ": ")
	if i < 0 {
		if !strings.HasSuffix(s, ":") {
			return "", "", false
		}
		i = len(s) - 1
	}
	key = s[:i]
	// yaml.v3 takes a key of at most 1,024 characters on its line.
	if key == "" || len(key) > 1000 || !isLetter(key[0]) || strings.HasSuffix(key, ":") {
		return "", "", false
	}
	for j := 1; j < len(key); j++ {
		if c := key[j]; !isAlnum(c) && c != '_' && c != '-' && c != '.' && c != ':' {
			return "", "", false
		}
	}
	if yaml11Words[key] {
		return "", "", false
	}
	if i == len(s)-1 {
		return key, "", true
	}
	rest = s[i+2:]
	if rest == "" || rest[0] == ' ' {
		return "", "", false
	}
	return key, rest, true
}

// fastScalar reads a value of fastYAML's form as yaml.v3 would.
func fastScalar(s string) (*yaml.Node, bool) {
	switch s[0] {
	case '\'':
		if len(s) < 2 || s[len(s)-1] != '\'' {
			return nil, false
		}
		inner := s[1 : len(s)-1]
		for i := 0; i < len(inner); i++ {
			if inner[i] == '\'' {
				if i+1 >= len(inner) || inner[i+1] != '\'' {
					return nil, false
				}
				i++
			}
		}
		if !printableASCII(inner) {
			return nil, false
		}
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: strings.ReplaceAll(inner, "''", "'"), Style: yaml.SingleQuotedStyle}, true
	case '"':
		if len(s) < 2 || s[len(s)-1] != '"' {
			return nil, false
		}
		inner := s[1 : len(s)-1]
		if strings.ContainsAny(inner, "\"\\") || !printableASCII(inner) {
			return nil, false
		}
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: inner, Style: yaml.DoubleQuotedStyle}, true
	case '!':
		tag, rest, ok := strings.Cut(s, " ")
		if !ok || len(tag) < 2 || !isLetter(tag[1]) || rest == "" {
			return nil, false
		}
		for i := 2; i < len(tag); i++ {
			if !isAlnum(tag[i]) {
				return nil, false
			}
		}
		// The tag decides the type: any plain text will do that does not
		// start with an indicator (a CloudFormation !Sub starts with "$").
		if !plainText(rest) || strings.IndexByte("-?:,[]{}#&*!|>'\"%@`", rest[0]) >= 0 {
			return nil, false
		}
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: rest, Style: yaml.TaggedStyle}, true
	}
	if !plainText(s) {
		return nil, false
	}
	switch c := s[0]; {
	case isLetter(c):
		if yaml11Words[s] {
			return nil, false
		}
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}, true
	case c >= '0' && c <= '9' && strings.Contains(s, "/"):
		// Neither a number nor a date can hold a "/": an address block.
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}, true
	case decimal(s):
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: s}, true
	}
	return nil, false
}

// plainText reports whether s is a plain scalar of one line that reads as
// itself: printable ASCII, no comment, no ": ", no space at either end.
func plainText(s string) bool {
	return s != "" && printableASCII(s) && s[0] != ' ' && s[len(s)-1] != ' ' && s[len(s)-1] != ':' &&
		!strings.Contains(s, ": ") && !strings.Contains(s, " #")
}

func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}

// decimal reports whether s is a decimal integer without a leading zero
// or a sign other than "-", which yaml.v3 resolves to !!int.
func decimal(s string) bool {
	s = strings.TrimPrefix(s, "-")
	if s == "" || (s[0] == '0' && len(s) > 1) || len(s) > 18 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
