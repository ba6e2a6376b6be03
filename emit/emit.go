// Package emit holds what the code generators share: the Target type they
// each provide, the files they produce, content-derived resource naming,
// and the writer that puts files on disk without ever clobbering a file
// sgc did not generate. It imports no target; the list of targets lives in
// the CLI.
package emit

import (
	"fmt"
	"net/netip"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/sgc-dev/sgc/account/adopt"
	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/internal/fsutil"
	"github.com/sgc-dev/sgc/internal/naming"
	"github.com/sgc-dev/sgc/internal/parallel"
	"github.com/sgc-dev/sgc/lang/diag"
)

// Target is one kind of output, such as a Terraform module.
type Target struct {
	Name string // the --target value: "terraform"
	Doc  string // one line for help output
	// Join makes a resource name of words, and Sep is what it puts
	// between two joined parts: RuleNamer builds names from parts.
	Join func(words []string) string
	Sep  string
	// Emit generates the output files for a program that compiled without
	// errors. It reports what it cannot express as diagnostics.
	Emit func(p *model.Program, opts Options) ([]File, diag.List)
	// Formats are the --format values the target takes, its default first.
	Formats []string
	// Splits reports whether the target takes --split.
	Splits bool
	// Owns reports whether name is a file this target can produce. In an
	// output directory without a manifest (one built by an sgc that kept
	// none) only such files, at the top level, are ever replaced or removed.
	Owns func(name string) bool
}

// Options are the settings shared by every target.
type Options struct {
	// Format selects a target's output format where it has several
	// ("yaml" or "json" for CloudFormation); "" is the target's default.
	Format string
	// SourceLines puts the flow's line number, not just its file, into each
	// rule's source tag. Off by default: line numbers move whenever a line is
	// added above, and every moved tag would show as a change in a plan.
	SourceLines bool
	// Split asks a target that has size limits to spread its output over
	// several files (CloudFormation stacks).
	Split bool
	// Adopt ties groups and rules to live ones, which the output adopts
	// (keeping their AWS names and descriptions) instead of creating.
	Adopt *adopt.Mapping
}

// Check reports an option the target cannot honour (an unknown --format,
// --split where it does not split) as an error for the user: the CLI
// refuses it as bad usage before anything is built.
func (t *Target) Check(opts Options) error {
	if opts.Format != "" {
		ok := false
		for _, f := range t.Formats {
			ok = ok || f == opts.Format
		}
		if !ok {
			return fmt.Errorf("--format %q: the %s target writes %s", opts.Format, t.Name, strings.Join(t.Formats, " or "))
		}
	}
	if opts.Split && !t.Splits {
		return fmt.Errorf("--split: the %s target has no size limit to split for", t.Name)
	}
	return nil
}

// UnsupportedOption is the code of a finding that a target cannot honour an
// option given to it, such as --split for Terraform.
const UnsupportedOption = "UnsupportedOption"

// File is one generated file.
type File struct {
	Path string // relative to the output directory, with forward slashes
	Data []byte
	// NoNotice marks a file whose format has no room for the generated-
	// file notice (a JSON array another tool reads). WriteDir replaces such
	// a file only when this target's manifest lists it.
	NoNotice bool
}

// Marker is the text that identifies a generated file, in the Go
// convention ("Code generated ... DO NOT EDIT.").
const Marker = fsutil.Marker

// maxHeaderNames bounds the length of the file list in a header: a
// policy of thousands of files is named by its count, so that headers stay
// one short line that every reader (and IsGenerated) handles.
const maxHeaderNames = 200

// Header returns the generated-file notice naming the policy's files, by
// base name so that the output does not depend on where sgc was run from.
// A long list, or a name with a character that could end a comment or a
// line in some output format, is replaced by the number of files.
func Header(p *model.Program) string {
	names := SourceNames(p)
	list := strings.Join(names, ", ")
	if len(list) > maxHeaderNames || !headerSafe(list) {
		list = fmt.Sprintf("%d intent files", len(names))
	}
	return fmt.Sprintf("%s from %s. DO NOT EDIT.", Marker, list)
}

// headerSafe reports whether s can stand in a comment of every output
// format: letters, digits, spaces and a few punctuation marks, none of
// which ends a comment (HCL and YAML end theirs at a line break, Markdown
// at "-->") or starts a template directive.
func headerSafe(s string) bool {
	for _, r := range s {
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune(" ._+@,()=-", r)) {
			return false
		}
	}
	return !strings.Contains(s, "--")
}

// SourceNames returns the base names of the policy's files, sorted.
func SourceNames(p *model.Program) []string {
	names := make([]string, len(p.Files))
	for i, f := range p.Files {
		names[i] = filepath.Base(f)
	}
	sort.Strings(names)
	return names
}

// SourceOf returns where a flow was written: "file" or "file:line".
func SourceOf(f *model.Flow, withLine bool) string {
	name := filepath.Base(f.Range.Start.Filename)
	if withLine {
		return fmt.Sprintf("%s:%d", name, f.Range.Start.Line)
	}
	return name
}

// RuleNamer names rules from their content only: group, direction, peer,
// protocol and ports, in words that a target joins in its own style. A
// rule's name thus changes only when the rule does. The joined words of
// groups and peers, which recur in many rules, are made once.
type RuleNamer struct {
	join   func(words []string) string
	sep    string
	groups map[*model.Group]string
	peers  map[peerName]string
}

// peerName is what PeerWords depends on.
type peerName struct {
	via  model.Endpoint
	cidr netip.Prefix
}

// NewRuleNamer returns a RuleNamer whose names are join(words) of the
// rule's words. join must be the concatenation, with sep between, of its
// results on the parts: group, direction, peer and port words.
func NewRuleNamer(join func(words []string) string, sep string) *RuleNamer {
	return &RuleNamer{join: join, sep: sep, groups: map[*model.Group]string{}, peers: map[peerName]string{}}
}

var (
	ingressWords = []string{"ingress", "from"}
	egressWords  = []string{"egress", "to"}
)

// Name returns the name of r.
func (n *RuleNamer) Name(r *model.Rule) string {
	g, ok := n.groups[r.Group]
	if !ok {
		g = n.join(naming.Words(r.Group.Name))
		n.groups[r.Group] = g
	}
	key := peerName{r.Peer.Via, r.Peer.CIDR}
	p, ok := n.peers[key]
	if !ok {
		p = n.join(PeerWords(r.Peer))
		n.peers[key] = p
	}
	dir := ingressWords
	if r.Direction == model.Egress {
		dir = egressWords
	}
	var port [5]string
	return g + n.sep + n.join(dir) + n.sep + p + n.sep + n.join(appendPortWords(port[:0], r.Port))
}

// RuleNames returns the names of rules, as a RuleNamer with join and sep
// gives them. The rules are named in parallel parts, each with its own
// RuleNamer: a big policy has tens of thousands.
func RuleNames(rules []*model.Rule, join func(words []string) string, sep string) []string {
	names := make([]string, len(rules))
	parts := parallel.Parts(len(rules))
	size := (len(rules) + parts - 1) / parts
	parallel.Each(parts, func(part int) {
		n := NewRuleNamer(join, sep)
		for i := part * size; i < min((part+1)*size, len(rules)); i++ {
			names[i] = n.Name(rules[i])
		}
	})
	return names
}

// RuleWords describes a rule in words: what RuleNamer's names are made of.
func RuleWords(r *model.Rule) []string {
	w := naming.Words(r.Group.Name)
	if r.Direction == model.Ingress {
		w = append(w, ingressWords...)
	} else {
		w = append(w, egressWords...)
	}
	w = append(w, PeerWords(r.Peer)...)
	return appendPortWords(w, r.Port)
}

// PeerWords names a peer: the name it was written by, plus the block for a
// network of several blocks (the internet's are "ipv4" and "ipv6").
func PeerWords(p model.Peer) []string {
	w := naming.Words(p.Via.Declared().Name)
	if n, ok := p.Via.(*model.Network); ok && len(n.CIDRs) > 1 {
		if n.Predeclared {
			if p.CIDR.Addr().Is4() {
				return append(w, "ipv4")
			}
			return append(w, "ipv6")
		}
		w = append(w, cidrWords(p.CIDR)...)
	}
	return w
}

func cidrWords(c netip.Prefix) []string {
	return strings.FieldsFunc(c.String(), func(r rune) bool { return r == '.' || r == ':' || r == '/' })
}

// appendPortWords appends the words naming a port: "tcp 443",
// "tcp 8000 to 8099", "icmp 3 4", "all".
func appendPortWords(w []string, p model.Port) []string {
	proto := string(p.Protocol)
	switch p.Protocol {
	case model.All:
		return append(w, "all")
	case model.TCP, model.UDP:
		if p.From == p.To {
			return append(w, proto, strconv.Itoa(p.From))
		}
		return append(w, proto, strconv.Itoa(p.From), "to", strconv.Itoa(p.To))
	case model.ICMP, model.ICMPv6:
		switch {
		case p.From == -1:
			return append(w, proto, "all")
		case p.To == -1:
			return append(w, proto, strconv.Itoa(p.From))
		}
		return append(w, proto, strconv.Itoa(p.From), strconv.Itoa(p.To))
	}
	return append(w, "proto", proto)
}
