// Package drift compares a policy with the security groups that exist:
// rules someone opened by hand, rules the policy has that AWS does not,
// groups nobody declared, and descriptions that changed.
package drift

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"sort"
	"strings"

	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/live"
)

// Finding is one difference between the policy and the live groups.
type Finding struct {
	// Kind is "unmanaged" (live, not in the intent: someone opened it by
	// hand), "missing" (in the intent, not live), "unknown-group" (a live
	// group the policy does not declare), "absent-group" (a declared group
	// that does not exist), "description" or "group-description".
	Kind   string `json:"kind"`
	Group  string `json:"group"`
	Rule   string `json:"rule,omitempty"`
	Detail string `json:"detail,omitempty"`
	Where  string `json:"where,omitempty"` // the flow's file:line, for rules of the intent
}

// Report is the result of a comparison.
type Report struct {
	Findings []Finding `json:"findings"`
	// Unverifiable counts rules whose peer is an external given as an
	// input: its id is not in the policy, so they cannot be compared.
	Unverifiable int `json:"unverifiable"`
}

type rule struct {
	text, desc, where string
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
	// name: the values the generated code was given. Rules to an external
	// whose id is not known cannot be checked.
	Inputs map[string]string
}

// CompareWith is Compare with options.
func CompareWith(p *model.Program, e *live.Export, opts Options) (Report, error) {
	var rep Report
	liveByName := map[string]*live.Group{}
	nameOfID := map[string]string{}
	for i := range e.SecurityGroups {
		g := &e.SecurityGroups[i]
		nameOfID[g.GroupID] = g.GroupName
		if g.GroupName == "default" {
			continue
		}
		liveByName[g.GroupName] = g
	}
	declared := map[string]*model.Group{}
	for _, g := range p.Groups {
		declared[g.Name] = g
	}

	// The intent's rules, for groups that exist.
	want := map[string]rule{}
	for _, r := range p.Rules {
		lg := liveByName[r.Group.Name]
		if lg == nil {
			continue
		}
		var peer string
		switch r.Peer.Kind {
		case model.PeerCIDR:
			peer = r.Peer.CIDR.String()
		case model.PeerPrefixList:
			peer = r.Peer.PrefixList.ID
		case model.PeerGroup:
			peer = "group " + r.Peer.Group.Name
		case model.PeerExternal:
			id := r.Peer.External.ID
			if id == "" {
				id = opts.Inputs[r.Peer.External.Name]
			}
			if id == "" {
				rep.Unverifiable++
				continue
			}
			peer = "group " + id
		}
		k := fmt.Sprintf("%s|%s|%s|%s", r.Group.Name, r.Direction, r.Port, peer)
		want[k] = rule{ruleText(r.Direction, r.Port, peer), r.Flow.Purpose,
			fmt.Sprintf("%s:%d", r.Flow.Range.Start.Filename, r.Flow.Range.Start.Line)}
	}
	// The live rules of declared groups.
	have := map[string]rule{}
	for name, lg := range liveByName {
		if declared[name] == nil {
			continue
		}
		rules, problems := lg.Rules()
		if len(problems) > 0 {
			return rep, fmt.Errorf("%s: %w", name, errors.Join(problems...))
		}
		for _, r := range rules {
			peer := r.Peer
			switch r.PeerKind {
			case "cidr":
				peer = canonicalCIDR(peer)
			case "sg":
				if n, ok := nameOfID[r.Peer]; ok && declared[n] != nil && liveByName[n] != nil && liveByName[n].GroupID == r.Peer {
					peer = "group " + n
				} else {
					peer = "group " + r.Peer
				}
			}
			k := fmt.Sprintf("%s|%s|%s|%s", name, r.Direction, r.Port, peer)
			have[k] = rule{ruleText(r.Direction, r.Port, peer), r.Description, ""}
		}
	}
	for k, h := range have {
		w, ok := want[k]
		group := strings.SplitN(k, "|", 2)[0]
		switch {
		case !ok:
			rep.Findings = append(rep.Findings, Finding{Kind: "unmanaged", Group: group, Rule: h.text,
				Detail: fmt.Sprintf("live rule not in the intent (someone opened it by hand); its description: %q", h.desc)})
		case w.desc != h.desc:
			rep.Findings = append(rep.Findings, Finding{Kind: "description", Group: group, Rule: h.text,
				Detail: fmt.Sprintf("live description %q, intent purpose %q", h.desc, w.desc), Where: w.where})
		}
	}
	for k, w := range want {
		if _, ok := have[k]; !ok {
			rep.Findings = append(rep.Findings, Finding{Kind: "missing", Group: strings.SplitN(k, "|", 2)[0], Rule: w.text,
				Detail: fmt.Sprintf("in the intent, not live; purpose %q", w.desc), Where: w.where})
		}
	}
	for name, lg := range liveByName {
		d := declared[name]
		switch {
		case d == nil:
			rep.Findings = append(rep.Findings, Finding{Kind: "unknown-group", Group: name,
				Detail: fmt.Sprintf("live group %s (%s) is not in the intent", lg.GroupID, lg.VpcID)})
		case d.Description != lg.Description:
			rep.Findings = append(rep.Findings, Finding{Kind: "group-description", Group: name,
				Detail: fmt.Sprintf("live description %q, intent %q (changing it replaces the group)", lg.Description, d.Description)})
		}
	}
	for _, g := range p.Groups {
		if liveByName[g.Name] == nil {
			rep.Findings = append(rep.Findings, Finding{Kind: "absent-group", Group: g.Name, Detail: "declared in the intent, not live"})
		}
	}
	sort.Slice(rep.Findings, func(i, j int) bool {
		a, b := rep.Findings[i], rep.Findings[j]
		if a.Group != b.Group {
			return a.Group < b.Group
		}
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		return a.Rule < b.Rule
	})
	return rep, nil
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
	for _, f := range r.Findings {
		fmt.Fprintf(&b, "%-17s %s", f.Kind, f.Group)
		if f.Rule != "" {
			fmt.Fprintf(&b, ": %s", f.Rule)
		}
		if f.Where != "" {
			fmt.Fprintf(&b, " [%s]", f.Where)
		}
		fmt.Fprintf(&b, "\n                  %s\n", f.Detail)
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
			s += fmt.Sprintf(" (%d rules with an input external not compared)", r.Unverifiable)
		}
		return s
	}
	count := map[string]int{}
	for _, f := range r.Findings {
		count[f.Kind]++
	}
	var parts []string
	for _, k := range []string{"unmanaged", "missing", "unknown-group", "absent-group", "description", "group-description"} {
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
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", f.Kind, f.Group, f.Rule, strings.ReplaceAll(f.Detail, "|", `\|`), f.Where)
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
