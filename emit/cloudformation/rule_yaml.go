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
	w.value(v.group, in1)
	w.key(in1, "IpProtocol")
	w.strValue(string(r.Port.Protocol))
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
		w.value(v.peer, in1)
		if owner := ownerOf(r); owner != "" {
			w.key(in1, ownerKey)
			w.strValue(owner)
		}
	}
	w.key(in1, "Description")
	if strings.Contains(r.Flow.Purpose, "${") {
		w.value(literal(r.Flow.Purpose), in1) // an Fn::Join of its parts
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
