// Package drift compares a policy with the security groups that exist:
// rules someone opened by hand, rules the policy has that AWS does not,
// groups nobody declared, and descriptions that changed.
package drift

import (
	"encoding/json"
	"fmt"
	"io"
	"net/netip"
	"slices"
	"strings"

	"github.com/sgc-dev/sgc/account/live"
	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/internal/markdown"
	"github.com/sgc-dev/sgc/lang/diag"
)

// Kind is the kind of a finding: one of Kinds.
type Kind string

// The kinds of findings, in the order the summary counts them.
const (
	Unmanaged        Kind = "unmanaged"         // live, not in the intent: someone opened it by hand
	Missing          Kind = "missing"           // in the intent, not live
	UnknownGroup     Kind = "unknown-group"     // a live group the policy does not declare
	AbsentGroup      Kind = "absent-group"      // a declared group that does not exist
	Description      Kind = "description"       // a rule's live description differs from its purpose
	GroupDescription Kind = "group-description" // a group's live description differs
	Unverifiable     Kind = "unverifiable"      // rules to an external whose id is not known
)

// Kinds lists every kind, in the summary's order.
var Kinds = []Kind{Unmanaged, Missing, UnknownGroup, AbsentGroup, Description, GroupDescription, Unverifiable}

// Finding is one difference between the policy and the live groups.
type Finding struct {
	Kind   Kind   `json:"kind"`
	Group  string `json:"group"`
	Rule   string `json:"rule,omitempty"`
	Detail string `json:"detail,omitempty"`
	Where  string `json:"where,omitempty"` // the flow's file:line, for rules of the intent
	// RuleID is the live rule's sgr- id, where the export has it.
	RuleID string `json:"rule_id,omitempty"`
	// Guarantees names the never statements a live rule breaks ("never
	// internet -> db (databases are private)"): such a finding comes first.
	Guarantees []string `json:"guarantees,omitempty"`
}

// Access reports whether the finding changes who can reach whom: a rule
// opened by hand, a missing rule, a missing group. Descriptions, unknown
// groups and rules that cannot be checked do not.
func (f Finding) Access() bool {
	return f.Kind == Unmanaged || f.Kind == Missing || f.Kind == AbsentGroup
}

// HasAccessDrift reports whether any finding changes access.
func (r Report) HasAccessDrift() bool {
	for _, f := range r.Findings {
		if f.Access() {
			return true
		}
	}
	return false
}

// Report is the result of a comparison.
type Report struct {
	Findings []Finding `json:"findings"`
	// Unverifiable counts rules whose peer is an external given as an
	// input: its id is not in the policy, so they cannot be compared.
	Unverifiable int `json:"unverifiable"`

	// groupIDs are the live ids of the policy's groups, by id.
	groupIDs map[string]string
	// externalIDs names the externals' groups by id.
	externalIDs map[string]string
	// handAdded holds the live rules behind "unmanaged" findings, with the
	// groups they belong to, for Paste.
	handAdded *live.Export
	// changes put the live rules back to the intent (Changes); held says
	// what they leave as it is, and why.
	changes []live.Change
	held    []string
}

type rule struct {
	live              *live.Rule // the live rule, for rules read from AWS
	text, desc, where string
	id, source        string // the live rule's sgr- id and sgc:source tag
	// account is the account the intent's external names, for a live
	// rule whose peer group has its id but another owner.
	account string
	// want is an intent rule in AWS's terms (group and peer ids), for
	// the change that authorizes it; nil when a group it names is absent.
	want *live.Rule
}

// ruleText describes a rule for people.
func ruleText(dir model.Direction, port model.Port, peer string) string {
	prep := "from"
	if dir == model.Egress {
		prep = "to"
	}
	return fmt.Sprintf("%s %s %s %s", dir, port, prep, peer)
}

// Compare matches live groups to the policy's by name. The VPCs' default
// groups are not compared: sgc never manages them.
func Compare(p *model.Program, e *live.Export) (Report, error) {
	return CompareWith(p, e, Options{})
}

// Options are what Compare needs to know beyond the policy and the export.
type Options struct {
	// Inputs gives the ids of externals declared without one, by external
	// name: the values the generated code was given (--var NAME=sg-...).
	// Without one, an external is found by a live group whose Name tag or
	// name is the external's name; rules to an external that is still not
	// found cannot be checked, and are said to be so, never "opened by hand".
	Inputs map[string]string
}

// CompareWith is Compare with options.
func CompareWith(p *model.Program, e *live.Export, opts Options) (Report, error) {
	c := newComparison(p, e, opts)
	c.matchGroups()
	c.resolveExternals()
	c.rep.externalIDs = c.externalIDs
	c.wantedRules()
	if err := c.liveRules(); err != nil {
		return c.rep, err
	}
	c.compareRules()
	c.compareGroups()
	c.compareAssociations()
	c.sortFindings()
	return c.rep, nil
}

// addHandAdded keeps a rule opened by hand, in a copy of its group that
// holds only such rules, for Paste.
func (r *Report) addHandAdded(g *live.Group, role string, rule *live.Rule) {
	if g == nil || rule == nil {
		return
	}
	if r.handAdded == nil {
		r.handAdded = &live.Export{SecurityGroups: []live.Group{}}
	}
	var kept *live.Group
	for i := range r.handAdded.SecurityGroups {
		if r.handAdded.SecurityGroups[i].GroupID == g.GroupID {
			kept = &r.handAdded.SecurityGroups[i]
		}
	}
	if kept == nil {
		r.handAdded.SecurityGroups = append(r.handAdded.SecurityGroups, live.Group{GroupID: g.GroupID, GroupName: role,
			Description: g.Description, VpcID: g.VpcID, OwnerID: g.OwnerID})
		kept = &r.handAdded.SecurityGroups[len(r.handAdded.SecurityGroups)-1]
	}
	p := live.PermissionOf(*rule)
	if rule.Direction == model.Egress {
		kept.IpPermissionsEgress = append(kept.IpPermissionsEgress, p)
	} else {
		kept.IpPermissions = append(kept.IpPermissions, p)
	}
}

// HandAdded returns the rules opened by hand, each in a copy of its group
// named by its role and holding only such rules, and the live ids of the
// policy's groups: what drift --paste drafts intent from, in the policy's
// names. It is nil when no rule was opened by hand.
func (r Report) HandAdded() (*live.Export, map[string]string) {
	return r.handAdded, r.groupIDs
}

// GroupIDs returns the live ids of the policy's groups, each to its name
// in the policy: the groups drift matched, which activity reports on.
func (r Report) GroupIDs() map[string]string { return r.groupIDs }

// Breaks names the never statements of p that live rule lr, on one of the
// policy's groups, breaks ("never internet -> db (databases are private)"),
// as drift judges a rule opened by hand.
func (r Report) Breaks(p *model.Program, lr live.Rule) []string {
	g, ok := p.Lookup(r.groupIDs[lr.GroupID]).(*model.Group)
	if !ok {
		return nil
	}
	return broken(p, modelRule(p, g, &lr, r.groupIDs, r.externalIDs))
}

// findByName finds the live group of an external declared without an id:
// the one whose Name tag, or else whose name, is the external's name, when
// exactly one is.
func findByName(e *live.Export, name string) string {
	for _, byTag := range []bool{true, false} {
		found := ""
		for _, g := range e.SecurityGroups {
			match := g.GroupName == name
			if byTag {
				match = false
				for _, t := range g.Tags {
					if t.Key == "Name" && t.Value == name {
						match = true
					}
				}
			}
			if match {
				if found != "" {
					return "" // ambiguous: better unchecked than wrong
				}
				found = g.GroupID
			}
		}
		if found != "" {
			return found
		}
	}
	return ""
}

// canonicalCIDR writes a block as the model does, so that AWS's spelling
// of an IPv6 block compares equal.
func canonicalCIDR(s string) string {
	if p, err := netip.ParsePrefix(s); err == nil {
		return p.Masked().String()
	}
	return s
}

// WriteText writes the findings, one per line, and a summary.
func (r Report) WriteText(w io.Writer) error {
	var b strings.Builder
	line := diag.OneLine // every field may hold text from the account
	for _, f := range r.Findings {
		fmt.Fprintf(&b, "%-17s %s", f.Kind, line(f.Group))
		if f.Rule != "" {
			fmt.Fprintf(&b, ": %s", line(f.Rule))
		}
		if f.Where != "" {
			fmt.Fprintf(&b, " [%s]", line(f.Where))
		}
		if f.RuleID != "" {
			fmt.Fprintf(&b, " (%s)", line(f.RuleID))
		}
		fmt.Fprintf(&b, "\n                  %s\n", line(f.Detail))
	}
	fmt.Fprintf(&b, "%s\n", r.Summary())
	_, err := io.WriteString(w, b.String())
	return err
}

// Summary counts the findings by kind.
func (r Report) Summary() string {
	if len(r.Findings) == 0 {
		s := "no drift"
		if r.Unverifiable > 0 {
			s += fmt.Sprintf(" (%d rules with an input external or an AWS-managed prefix list of unknown id not compared)", r.Unverifiable)
		}
		return s
	}
	count := map[Kind]int{}
	for _, f := range r.Findings {
		count[f.Kind]++
	}
	var parts []string
	for _, k := range Kinds {
		if count[k] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", count[k], k))
		}
	}
	return "drift: " + strings.Join(parts, ", ")
}

// WriteMarkdown writes the findings as a table.
func (r Report) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "**sgc drift**: %s\n", r.Summary())
	if len(r.Findings) > 0 {
		b.WriteString("\n| kind | group | rule | detail | intent |\n|---|---|---|---|---|\n")
		for _, f := range r.Findings {
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", f.Kind, markdown.Text(f.Group), markdown.Text(f.Rule), markdown.Text(f.Detail), markdown.Text(f.Where))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteJSON writes the report for machines.
func (r Report) WriteJSON(w io.Writer) error {
	if r.Findings == nil {
		r.Findings = []Finding{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(struct {
		Summary string `json:"summary"`
		Report
	}{r.Summary(), r})
}

// modelRule is live rule r of group g as the model would have it, its
// peer resolved to what the policy declares where it can be: so that the
// policy's guarantees can be tested against a rule nobody wrote.
func modelRule(p *model.Program, g *model.Group, r *live.Rule, nameOfID, externalIDs map[string]string) *model.Rule {
	out := &model.Rule{Group: g, Direction: r.Direction, Port: r.Port}
	switch r.PeerKind {
	case "cidr":
		b, err := netip.ParsePrefix(canonicalCIDR(r.Peer))
		if err != nil {
			return nil
		}
		out.Peer = model.Peer{Kind: model.PeerCIDR, CIDR: b}
		for _, n := range p.Networks {
			if slices.Contains(n.CIDRs, b) {
				out.Peer.Via = n
				break
			}
		}
	case "pl":
		pl := &model.PrefixList{Decl: model.Decl{Name: r.Peer}, ID: r.Peer}
		for _, l := range p.PrefixLists {
			if l.ID == r.Peer {
				pl = l
			}
		}
		out.Peer = model.Peer{Kind: model.PeerPrefixList, PrefixList: pl, Via: pl}
	case "sg":
		if grp, ok := p.Lookup(nameOfID[r.Peer]).(*model.Group); ok {
			out.Peer = model.Peer{Kind: model.PeerGroup, Group: grp, Via: grp}
			break
		}
		x := &model.External{Decl: model.Decl{Name: r.Peer}, ID: r.Peer}
		if ext, ok := p.Lookup(externalIDs[r.Peer]).(*model.External); ok {
			x = ext
		}
		out.Peer = model.Peer{Kind: model.PeerExternal, External: x, Via: x}
	default:
		return nil
	}
	return out
}

// broken lists the never statements of p that rule r breaks.
func broken(p *model.Program, r *model.Rule) []string {
	if r == nil {
		return nil
	}
	var out []string
	for _, n := range p.Nevers {
		if model.Forbids(n, r) {
			out = append(out, fmt.Sprintf("never %s -> %s (%s)", n.From, n.To, n.Reason))
		}
	}
	return out
}
