package activity

import (
	"encoding/json"
	"fmt"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/sgc-dev/sgc/account/live"
	"github.com/sgc-dev/sgc/compiler/model"
)

// Kind is the kind of a finding.
type Kind string

// The kinds of findings.
const (
	// OutsidePipeline: a change made by a principal that is not the
	// pipeline's.
	OutsidePipeline Kind = "outside-pipeline"
	// OpenedAndClosed: a rule opened and revoked again within the window,
	// the trace of a quick hand change (or of an attack).
	OpenedAndClosed Kind = "opened-and-closed"
	// OpenToInternet: a rule opened to 0.0.0.0/0 or ::/0.
	OpenToInternet Kind = "open-to-internet"
	// BrokeNever: a rule opened that breaks a never statement, for as long
	// as it lasted.
	BrokeNever Kind = "broke-never"
	// Failed: a call AWS refused; it changed nothing, and is said apart.
	Failed Kind = "failed"
)

// Finding is one thing the trail shows about a group.
type Finding struct {
	Kind      Kind      `json:"kind"`
	Group     string    `json:"group"`    // the policy's name, or the id
	GroupID   string    `json:"group_id"` // sg-…
	Call      string    `json:"call"`
	Rule      string    `json:"rule,omitempty"`
	RuleID    string    `json:"rule_id,omitempty"`
	Principal string    `json:"principal"`
	Time      time.Time `json:"time"`
	SourceIP  string    `json:"source_ip,omitempty"`
	Detail    string    `json:"detail,omitempty"`
}

// Options say what the report knows of the account and the pipeline.
type Options struct {
	// Groups names the policy's live groups by id: only their events are
	// reported.
	Groups map[string]string
	// Pipeline are the principals (ARN patterns, path.Match syntax: a role
	// name may end in *) whose changes are the pipeline's own.
	Pipeline []string
	// Window is how soon a revoke after an authorize of the same rule
	// makes the two one finding (default one hour).
	Window time.Duration
	// Breaks names the never statements a live rule breaks (drift's
	// judgement); nil checks none.
	Breaks func(live.Rule) []string
}

// Report is what the trail shows, per group.
type Report struct {
	Findings []Finding `json:"findings"`
	Events   int       `json:"events"`  // security group calls on the policy's groups
	Skipped  int       `json:"skipped"` // records that could not be read
}

// change is one rule an event opened or revoked.
type change struct {
	e      *Event
	rule   string // "ingress tcp/22 from 0.0.0.0/0"
	key    string // group|rule
	ruleID string
	open   bool
	group  string
	live   *live.Rule
}

// nextRevokes gives, for each change, the index of the first later change
// that revokes the same rule, or -1: in one pass from the end, where
// looking through the rest of the trail for each opening was quadratic
// in a trail of many rules opened and never revoked.
func nextRevokes(changes []change) []int {
	next := make([]int, len(changes))
	revoke := map[string]int{} // by key: the nearest revoke after the current change
	for i := len(changes) - 1; i >= 0; i-- {
		next[i] = -1
		if j, ok := revoke[changes[i].key]; ok {
			next[i] = j
		}
		if !changes[i].open {
			revoke[changes[i].key] = i
		}
	}
	return next
}

// Analyze reports the events of the policy's groups.
func Analyze(events []*Event, opts Options) Report {
	if opts.Window == 0 {
		opts.Window = time.Hour
	}
	sort.SliceStable(events, func(i, j int) bool { return events[i].Time.Before(events[j].Time) })
	var rep Report
	var changes []change
	for _, e := range events {
		group, rules := target(e)
		name, ours := opts.Groups[group]
		if !ours {
			continue
		}
		rep.Events++
		f := Finding{Group: name, GroupID: group, Call: e.Name, Principal: e.Principal(), Time: e.Time, SourceIP: e.SourceIP}
		if e.ErrorCode != "" {
			f.Kind, f.Detail = Failed, "refused: "+e.ErrorCode
			rep.Findings = append(rep.Findings, f)
			continue
		}
		if !pipeline(f.Principal, opts.Pipeline) {
			f.Kind, f.Detail, f.RuleID = OutsidePipeline, "a change made outside the pipeline", modifiedRule(e)
			if len(rules) > 0 {
				f.Rule = strings.Join(rules.texts(), "; ")
			}
			rep.Findings = append(rep.Findings, f)
		}
		for _, r := range rules {
			c := change{e: e, rule: r.text, key: group + "|" + r.text, ruleID: r.id, open: strings.HasPrefix(e.Name, "Authorize"), group: name, live: r.live}
			changes = append(changes, c)
			if c.open && r.internet {
				g := f
				g.Kind, g.Rule, g.RuleID, g.Detail = OpenToInternet, r.text, r.id, "opened to the whole internet"
				rep.Findings = append(rep.Findings, g)
			}
		}
	}
	// A rule that breaks a never, from its authorize to its revoke (or the
	// end of the trail).
	if opts.Breaks != nil {
		revokedAt := nextRevokes(changes)
		for i, c := range changes {
			if !c.open || c.live == nil {
				continue
			}
			nevers := opts.Breaks(*c.live)
			if len(nevers) == 0 {
				continue
			}
			lasted := "still open at the end of the trail"
			if j := revokedAt[i]; j >= 0 {
				later := changes[j]
				lasted = fmt.Sprintf("open %s, until revoked by %s", later.e.Time.Sub(c.e.Time).Round(time.Second), later.e.Principal())
			}
			rep.Findings = append(rep.Findings, Finding{Kind: BrokeNever, Group: c.group, GroupID: c.live.GroupID, Call: c.e.Name, Rule: c.rule, RuleID: c.ruleID,
				Principal: c.e.Principal(), Time: c.e.Time, SourceIP: c.e.SourceIP, Detail: "breaks " + strings.Join(nevers, "; ") + "; " + lasted})
		}
	}
	// A rule opened, then revoked within the window.
	opened := map[string]change{}
	for _, c := range changes {
		if c.open {
			opened[c.key] = c
			continue
		}
		if o, ok := opened[c.key]; ok && c.e.Time.Sub(o.e.Time) <= opts.Window {
			rep.Findings = append(rep.Findings, Finding{Kind: OpenedAndClosed, Group: c.group, GroupID: strings.SplitN(c.key, "|", 2)[0],
				Call: o.e.Name, Rule: c.rule, RuleID: o.ruleID, Principal: o.e.Principal(), Time: o.e.Time, SourceIP: o.e.SourceIP,
				Detail: fmt.Sprintf("revoked %s later by %s", c.e.Time.Sub(o.e.Time).Round(time.Second), c.e.Principal())})
			delete(opened, c.key)
		}
	}
	sort.SliceStable(rep.Findings, func(i, j int) bool {
		a, b := rep.Findings[i], rep.Findings[j]
		if !a.Time.Equal(b.Time) {
			return a.Time.Before(b.Time)
		}
		return a.Kind < b.Kind
	})
	return rep
}

// pipeline reports whether principal matches one of the patterns.
func pipeline(principal string, patterns []string) bool {
	for _, p := range patterns {
		if ok, _ := path.Match(p, principal); ok {
			return true
		}
	}
	return false
}

// eventRule is one rule an event names.
type eventRule struct {
	text, id string
	internet bool
	live     *live.Rule // in AWS's terms, when its ports are AWS's
}

type eventRules []eventRule

func (rs eventRules) texts() []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.text)
	}
	return out
}

// The parts of requestParameters and responseElements read, as CloudTrail
// writes EC2's: lists as {"items": [...]}.
type permission struct {
	Protocol string `json:"ipProtocol"`
	From     *int   `json:"fromPort"`
	To       *int   `json:"toPort"`
	Groups   struct {
		Items []struct {
			GroupID string `json:"groupId"`
			UserID  string `json:"userId"`
		} `json:"items"`
	} `json:"groups"`
	IPv4 struct {
		Items []struct {
			CIDR string `json:"cidrIp"`
		} `json:"items"`
	} `json:"ipRanges"`
	IPv6 struct {
		Items []struct {
			CIDR string `json:"cidrIpv6"`
		} `json:"items"`
	} `json:"ipv6Ranges"`
	Lists struct {
		Items []struct {
			ID string `json:"prefixListId"`
		} `json:"items"`
	} `json:"prefixListIds"`
}

type request struct {
	GroupID     string `json:"groupId"`
	Permissions struct {
		Items []permission `json:"items"`
	} `json:"ipPermissions"`
	Resources struct {
		Items []struct {
			ID string `json:"resourceId"`
		} `json:"items"`
	} `json:"resourcesSet"`
	Modify *struct {
		GroupID string `json:"GroupId"`
		Rule    struct {
			ID string `json:"SecurityGroupRuleId"`
		} `json:"SecurityGroupRule"`
	} `json:"ModifySecurityGroupRulesRequest"`
}

type response struct {
	GroupID string `json:"groupId"`
	Rules   struct {
		Items []struct {
			ID string `json:"securityGroupRuleId"`
		} `json:"items"`
	} `json:"securityGroupRuleSet"`
}

// modifiedRule is the sgr- id a ModifySecurityGroupRules call changed, or "".
func modifiedRule(e *Event) string {
	target(e)
	return e.parsed.modified
}

// GroupID returns the id of the group the event acts on.
func (e *Event) GroupID() string {
	g, _ := target(e)
	return g
}

// parsedEvent is what an event's parameters say, read once (the reader
// filters on the group, the report reads the rules).
type parsedEvent struct {
	group, modified string
	rules           eventRules
}

// target returns the group an event acts on and the rules it names.
func target(e *Event) (string, eventRules) {
	if e.parsed == nil {
		e.parsed = parse(e)
	}
	return e.parsed.group, e.parsed.rules
}

// parse reads an event's request and response parameters.
func parse(e *Event) *parsedEvent {
	var req request
	var resp response
	json.Unmarshal(e.Request, &req)
	json.Unmarshal(e.Response, &resp)
	out := &parsedEvent{}
	if req.Modify != nil {
		out.modified = req.Modify.Rule.ID
	}
	group := req.GroupID
	switch {
	case e.Name == "CreateSecurityGroup":
		group = resp.GroupID
	case e.Name == "CreateTags" || e.Name == "DeleteTags":
		for _, r := range req.Resources.Items {
			if strings.HasPrefix(r.ID, "sg-") {
				group = r.ID
			}
		}
	case req.Modify != nil:
		group = req.Modify.GroupID
	}
	dir, prep := "ingress", "from"
	if strings.HasSuffix(e.Name, "Egress") {
		dir, prep = "egress", "to"
	}
	var rules eventRules
	direction := model.Ingress
	if dir == "egress" {
		direction = model.Egress
	}
	for _, p := range req.Permissions.Items {
		port := ports(p)
		mport, portErr := live.Permission{IpProtocol: p.Protocol, FromPort: p.From, ToPort: p.To}.Port()
		add := func(peer, kind, id, owner string, internet bool) {
			r := eventRule{text: fmt.Sprintf("%s %s %s %s", dir, port, prep, peer), internet: internet}
			if n := len(rules); n < len(resp.Rules.Items) {
				r.id = resp.Rules.Items[n].ID // AWS answers with the rules in the order asked
			}
			if portErr == nil {
				r.live = &live.Rule{GroupID: group, Direction: direction, Port: mport, PeerKind: kind, Peer: id, PeerOwner: owner}
			}
			rules = append(rules, r)
		}
		for _, g := range p.Groups.Items {
			add("group "+g.GroupID, "sg", g.GroupID, g.UserID, false)
		}
		for _, c := range p.IPv4.Items {
			if cidr, err := live.CIDR(c.CIDR, false); err == nil {
				add(cidr, "cidr", cidr, "", cidr == "0.0.0.0/0")
			}
		}
		for _, c := range p.IPv6.Items {
			if cidr, err := live.CIDR(c.CIDR, true); err == nil {
				add(cidr, "cidr", cidr, "", cidr == "::/0")
			}
		}
		for _, l := range p.Lists.Items {
			add("prefix list "+l.ID, "pl", l.ID, "", false)
		}
	}
	out.group, out.rules = group, rules
	return out
}

// ports writes a permission's protocol and ports as sgc writes them.
func ports(p permission) string {
	proto := strings.ToLower(p.Protocol)
	switch proto {
	case "-1", "all":
		return "all"
	case "6":
		proto = "tcp"
	case "17":
		proto = "udp"
	case "1":
		proto = "icmp"
	}
	if p.From == nil || p.To == nil || *p.From == -1 {
		return proto
	}
	if *p.From == *p.To {
		return fmt.Sprintf("%s/%d", proto, *p.From)
	}
	return fmt.Sprintf("%s/%d-%d", proto, *p.From, *p.To)
}
