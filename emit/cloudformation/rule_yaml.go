package cloudformation

import (
	"strconv"
	"strings"

	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/emit"
)

// ruleRes is a rule's resource in a template tree, not yet built: its
// rule and the values that stand for its group's and its peer's ids
// (ruleResource). Rules are nearly every resource of a large policy, and
// building each as a tree of objects only to write it out once was a
// third of a split build's time and most of its garbage; in YAML a rule
// is written straight from the model (writeYAML), in JSON and wherever
// the tree is read, it is built (object). TestRuleYAMLMatchesTree holds
// the two to the same bytes.
type ruleRes struct {
	r           *model.Rule
	group, peer any // as ruleResource takes them
	sourceLines bool
	// groupLine and peerLine are group's and peer's importLine, where the
	// caller made one (a split build, once per group): "" when not.
	groupLine, peerLine string
}

// object builds the resource's tree.
func (v ruleRes) object() *object { return ruleResource(v.r, v.group, v.peer, v.sourceLines) }

// spaces are sliced for indentation, so that writing a rule makes no
// indentation strings.
const spaces = "                                                                "

// indentBy returns indent with n more spaces.
func indentBy(indent string, n int) string {
	if len(indent)+n <= len(spaces) {
		return spaces[:len(indent)+n]
	}
	return indent + spaces[:n]
}

// writeYAML writes the resource's mapping at indent, as node writes
// v.object() there: the keys are plain, each value is written as value
// writes it.
func (v ruleRes) writeYAML(w *yamlWriter, indent string) {
	r := v.r
	in1, in2, in3 := indentBy(indent, 2), indentBy(indent, 4), indentBy(indent, 6)
	kind, peerGroup, peerPL := ruleTerms(r.Direction)
	w.key(indent, "Type")
	w.strValue(kind)
	w.key(indent, "Metadata")
	w.buf = append(w.buf, '\n')
	w.key(in1, "sgc")
	w.buf = append(w.buf, '\n')
	w.key(in2, "source")
	w.strValue(inert(emit.SourceOf(r.Flow, v.sourceLines)))
	if r.Flow.Temporary() {
		w.key(in2, "until")
		w.strValue(r.Flow.Until.Format("2006-01-02"))
	}
	if checks := lintFalsePositives(r.Port); len(checks) > 0 {
		w.key(in1, "cfn-lint")
		w.buf = append(w.buf, '\n')
		w.key(in2, "config")
		w.buf = append(w.buf, '\n')
		w.key(in3, "ignore_checks")
		w.value(checks, in3)
	}
	w.key(indent, "Properties")
	w.buf = append(w.buf, '\n')
	w.key(in1, "GroupId")
	w.id(v.group, v.groupLine, in1)
	w.key(in1, "IpProtocol")
	w.protocol(r.Port.Protocol)
	if r.Port.HasPorts() {
		w.key(in1, "FromPort")
		w.intValue(r.Port.From)
		w.key(in1, "ToPort")
		w.intValue(r.Port.To)
	}
	switch r.Peer.Kind {
	case model.PeerCIDR:
		w.key(in1, cidrKey(r.Peer))
		w.strValue(r.Peer.CIDR.String())
	case model.PeerPrefixList:
		w.key(in1, peerPL)
		if v.peer != nil {
			w.value(v.peer, in1) // an AWS-managed list's parameter
		} else {
			w.strValue(r.Peer.PrefixList.ID)
		}
	case model.PeerGroup, model.PeerExternal:
		w.key(in1, peerGroup)
		w.id(v.peer, v.peerLine, in1)
		if owner := ownerOf(r); owner != "" {
			w.key(in1, ownerKey)
			w.strValue(owner)
		}
	}
	w.key(in1, "Description")
	if strings.Contains(r.Flow.Purpose, "${") {
		w.join(r.Flow.Purpose, in1)
	} else {
		w.strValue(r.Flow.Purpose) // literal's value for it
	}
}

// key writes "key:" at indent, for a key that is plain in YAML.
func (w *yamlWriter) key(indent, k string) {
	w.buf = append(w.buf, indent...)
	w.buf = append(w.buf, k...)
	w.buf = append(w.buf, ':')
}

// strValue writes a string mapping value, as value writes it.
func (w *yamlWriter) strValue(s string) {
	w.buf = append(w.buf, ' ')
	w.str(s)
	w.buf = append(w.buf, '\n')
}

// intValue writes an integer mapping value, as value writes it.
func (w *yamlWriter) intValue(i int) {
	w.buf = append(w.buf, ' ')
	w.buf = strconv.AppendInt(w.buf, int64(i), 10)
	w.buf = append(w.buf, '\n')
}

// id writes a group's or a peer's id v after "key:", from its importLine
// line when the caller made one, as value writes v.
func (w *yamlWriter) id(v any, line, indent string) {
	if line == "" {
		w.value(v, indent)
		return
	}
	w.buf = append(w.buf, '\n')
	w.buf = append(w.buf, indentBy(indent, 2)...)
	w.buf = append(w.buf, line...)
}

// importLine is the one line, without its indentation, that value writes
// for an imported id whose !Sub text is plain in YAML, and "" for any
// other id. A split build makes it once per group, not once per rule that
// names the group (id writes it).
func importLine(v any) string {
	if iv, ok := v.(importVal); ok {
		if s, ok := iv.name.(sub); ok && isPlainSafe(s.text) && !yaml11Ambiguous(s.text) {
			return importKey + ": !Sub " + s.text + "\n"
		}
	}
	return ""
}

// protocol writes a rule's IpProtocol value, as strValue writes it: the
// named protocols are plain and "-1" is quoted, without asking.
func (w *yamlWriter) protocol(p model.Protocol) {
	switch p {
	case model.TCP, model.UDP, model.ICMP, model.ICMPv6:
		w.buf = append(w.buf, ' ')
		w.buf = append(w.buf, p...)
		w.buf = append(w.buf, '\n')
	case model.All:
		w.buf = append(w.buf, ` "-1"`+"\n"...)
	default:
		w.strValue(string(p))
	}
}

// join writes literal(s), for s holding "${", after "key:" as value
// writes it: an Fn::Join of s's parts, split between "$" and "{". Each
// part is a piece of s (the "$" that ends one and the "{" that starts the
// next are s's own), so it is written without building the list.
func (w *yamlWriter) join(s, indent string) {
	items, nested := indentBy(indent, 4), indentBy(indent, 6)
	w.buf = append(w.buf, '\n')
	w.buf = append(w.buf, indentBy(indent, 2)...)
	w.buf = append(w.buf, "Fn::Join:\n"...)
	w.buf = append(w.buf, items...)
	w.buf = append(w.buf, "- \"\"\n"...)
	w.buf = append(w.buf, items...)
	w.buf = append(w.buf, "- - "...)
	// As strings.Split(s, "${") cuts: left to right, without overlaps.
	from, search := 0, 0
	for {
		k := strings.Index(s[search:], "${")
		if k < 0 {
			w.str(s[from:])
			w.buf = append(w.buf, '\n')
			return
		}
		w.str(s[from : search+k+1])
		w.buf = append(w.buf, '\n')
		w.buf = append(w.buf, nested...)
		w.buf = append(w.buf, "- "...)
		from, search = search+k+1, search+k+2
	}
}
