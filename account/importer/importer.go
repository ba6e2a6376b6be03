// Package importer drafts intent from existing security groups: the output
// of `aws ec2 describe-security-groups`, one draft per VPC. A draft
// compiles; what a person must still decide (a purpose for a rule that had
// no description, AWS's default egress, a half of a group pair whose other
// half did not exist) is written so that the linter or a comment says so.
package importer

import (
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/sgc-dev/sgc/account/live"
	"github.com/sgc-dev/sgc/compiler"
	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/config/adopt"
	"github.com/sgc-dev/sgc/internal/awsform"
	"github.com/sgc-dev/sgc/lang/ast"
)

// Options choose what to import.
type Options struct {
	VPC string // only this VPC; "" for all
	// Known is the policy the draft is to be pasted into (drift --paste):
	// groups it declares are not declared again, and networks of the same
	// blocks, prefix lists and externals of the same ids are named as the
	// policy names them. The draft is then not a policy of its own.
	Known *model.Program
	// KnownIDs names, with Known, the live groups of the policy's groups
	// by id, for rules that reference them.
	KnownIDs map[string]string
	// Only, when set, limits the drafts to these groups (by id): the ones
	// another configuration manages today (--from-terraform). Rules to the
	// others become externals by id.
	Only map[string]bool
}

// Draft is the intent drafted for one VPC.
type Draft struct {
	VPC      string   // the VPC id, or "" for groups without one
	File     string   // a file name for it: "vpc-0abc.intent"
	Source   []byte   // formatted intent
	Warnings []string // what was skipped or changed, for the user
	// Adopt ties the draft's groups and rules to the live ones they came
	// from, for build to adopt them instead of creating new ones.
	Adopt *adopt.Mapping
}

// AdoptFile is the name of the mapping file written beside a draft.
func (d Draft) AdoptFile() string { return strings.TrimSuffix(d.File, ".intent") + adopt.Ext }

// DraftHeader starts every draft, so that a later import may replace it.
const DraftHeader = "# Drafted by sgc import from describe-security-groups"

// UndescribedPurpose is the purpose given to rules that had no description:
// the linter reports it (SG113) until a person writes the real one.
const UndescribedPurpose = live.UndescribedPurpose

// DefaultEgressPurpose is the purpose of AWS's default allow-all egress.
const DefaultEgressPurpose = live.DefaultEgressPurpose

// Import drafts intent for each VPC of the export.
func Import(e *live.Export, opts Options) ([]Draft, error) {
	byVPC := map[string][]*live.Group{}
	seen := map[string]*live.Group{} // by group id
	var skipped []string
	for i := range e.SecurityGroups {
		g := &e.SecurityGroups[i]
		// The VPC id names the draft's file and the group id ties rules to
		// their group: a value that is not in AWS's form could write
		// outside the output directory or mix groups up.
		switch {
		case g.VpcID != "" && !awsform.VPCID.MatchString(g.VpcID):
			skipped = append(skipped, fmt.Sprintf("skipped group %q: %q is not a VPC id", g.GroupName, g.VpcID))
			continue
		case !live.ValidToken(g.GroupID):
			skipped = append(skipped, fmt.Sprintf("skipped group %q: %q is not a security group id", g.GroupName, g.GroupID))
			continue
		}
		// Exports merged by hand can hold a group twice: drafted twice, it
		// was two groups adopting one AWS group.
		if prev := seen[g.GroupID]; prev != nil {
			if !reflect.DeepEqual(prev, g) {
				return nil, fmt.Errorf("group %s (%q) is in the export twice, with different contents: export each group once (one describe-security-groups, not exports of different times merged)", g.GroupID, g.GroupName)
			}
			skipped = append(skipped, fmt.Sprintf("skipped a second copy of group %q (%s): the export holds it twice, the same both times", g.GroupName, g.GroupID))
			continue
		}
		seen[g.GroupID] = g
		if (opts.VPC == "" || g.VpcID == opts.VPC) && (opts.Only == nil || opts.Only[g.GroupID]) {
			byVPC[g.VpcID] = append(byVPC[g.VpcID], g)
		}
	}
	if len(byVPC) == 0 {
		if len(skipped) > 0 {
			return nil, fmt.Errorf("no security groups to import: %s", firstOf(skipped, 3))
		}
		if opts.Only != nil {
			return nil, fmt.Errorf("none of the %d groups to take over is in the account's groups (VPC %q)", len(opts.Only), opts.VPC)
		}
		return nil, fmt.Errorf("no security groups in VPC %q", opts.VPC)
	}
	vpcs := make([]string, 0, len(byVPC))
	for v := range byVPC {
		vpcs = append(vpcs, v)
	}
	sort.Strings(vpcs)
	var out []Draft
	for _, v := range vpcs {
		d, err := draft(v, byVPC[v], e, opts.Known, opts.KnownIDs)
		if err != nil {
			return nil, err
		}
		if len(out) == 0 {
			d.Warnings = append(skipped, d.Warnings...)
		}
		out = append(out, d)
	}
	return out, nil
}

// namer hands out unique valid names.
type namer struct {
	used map[string]bool
	// next is, for a base name, the suffix to try first: every one below
	// it is taken, and names are never given back. Trying from 2 each time
	// made an account of thousands of networks (all "net") quadratic.
	next  map[string]int
	tried int // suffixed names tried, for TestNamerIsLinear
}

// BaseName is ast.BaseName: the name a draft gives an AWS object.
func BaseName(want, prefix string) string { return ast.BaseName(want, prefix) }

func slug(s string) string { return ast.Slug(s) }

// name returns want if it is a free valid name, else a valid variant.
func (n *namer) name(want, prefix string) string {
	cand := BaseName(want, prefix)
	base := cand
	if n.used[cand] {
		if n.next == nil {
			n.next = map[string]int{}
		}
		i := max(2, n.next[base])
		for cand = base + "-" + strconv.Itoa(i); n.used[cand]; cand = base + "-" + strconv.Itoa(i) {
			i++
			n.tried++
		}
		n.next[base] = i + 1
	}
	n.used[cand] = true
	return cand
}

// clean makes s a description AWS and the language accept: characters
// outside AWS's alphabet become spaces, a CloudFormation dynamic reference
// is broken up, and the result is cut to AWS's length.
func clean(s string) string {
	var b strings.Builder
	for _, r := range s {
		if awsform.DescriptionChar(r) {
			b.WriteRune(r)
		} else {
			b.WriteByte(' ')
		}
	}
	out := strings.Join(strings.Fields(b.String()), " ")
	for compiler.FindDynamicReference(out) >= 0 {
		out = strings.ReplaceAll(out, "{{resolve:", "{ {resolve:")
	}
	if len(out) > awsform.MaxDescription {
		out = strings.TrimSpace(out[:awsform.MaxDescription])
	}
	return out
}

// flowKey gathers rules into one flow: same peer, group, direction and
// description; the ports are joined.
type flowKey struct {
	from, to, purpose string
	comment           string
}

// hubWarnings says where the draft gives a group more outbound rules
// than AWS's default quota because AWS held only the ingress halves of
// its group references (a bastion many groups let in): a flow between
// groups is both halves, and with the group's allow-all egress the new
// egress halves add nothing but rules. The draft stays exact; the user
// chooses: remove the allow-all egress flow (the group then reaches only
// what its flows name), or raise the quota (SG110 says the count).
func hubWarnings(label string, p *model.Program) []string {
	var out []string
	counts := p.QuotaCounts(1)
	for _, g := range p.Groups {
		c := counts[model.QuotaKey{Group: g, Direction: model.Egress}]
		if c == nil || (c.V4 <= emitQuota && c.V6 <= emitQuota) {
			continue
		}
		allOut := false
		for _, r := range p.Rules {
			if r.Group == g && r.Direction == model.Egress && r.Port.Protocol == model.All && r.Peer.Kind == model.PeerCIDR && r.Peer.CIDR.Bits() == 0 {
				allOut = true
			}
		}
		if allOut {
			out = append(out, fmt.Sprintf("%s: group %s would have %d outbound rules (the quota is %d): AWS held only the ingress halves of the groups it reaches, and its allow-all egress covered them; "+
				"every flow between groups adds the egress half too. Remove its allow-all egress flow (it then reaches only what its flows name), or raise the quota and set quota in sgc.hcl",
				label, g.Name, max(c.V4, c.V6), emitQuota))
		}
	}
	return out
}

// emitQuota is AWS's default rules-per-group quota, as SG110 counts it.
const emitQuota = 60

// adoptPeer is the peer of live rule r as the mapping writes it, or "" for
// one the build cannot adopt (a group whose id is an input).
func adoptPeer(r live.Rule, managed map[string]string) string {
	switch r.PeerKind {
	case "sg":
		if n, ok := managed[r.Peer]; ok {
			return "group:" + n
		}
		if awsform.GroupID.MatchString(r.Peer) {
			return r.Peer
		}
		return ""
	}
	return r.Peer
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func dedupePorts(s []model.Port) []model.Port {
	seen := map[model.Port]bool{}
	var out []model.Port
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// draftDescription is the description a draft gives the live group g: the
// one its policy gave it (the Description tag of a group that kept an
// earlier AWS description, or its AWS description), made valid.
func draftDescription(g *live.Group) string {
	return orDefault(clean(g.PolicyDescription()), "imported group "+g.GroupID)
}

// liveNaming says why the live name or description a mapping would keep
// for ag is not one AWS accepts, or "".
func liveNaming(ag adopt.Group) string {
	if ag.LiveName != "" {
		if why := awsform.GroupName(ag.LiveName); why != "" {
			return why
		}
	}
	if ag.Description != "" {
		return awsform.Text(ag.Description, "description", awsform.DescriptionChar)
	}
	return ""
}

// descriptionChars is the alphabet AWS gives the description of a rule
// whose peer is of kind ("cidr", "pl", "sg").
func descriptionChars(kind string) func(rune) bool {
	if kind == "cidr" {
		return awsform.DescriptionChar
	}
	return awsform.ReferenceDescriptionChar
}

// servesTheWeb reports whether live group g takes HTTP or HTTPS from
// anywhere: a load balancer or web front, internet-facing on purpose.
func servesTheWeb(g *live.Group) bool {
	rules, _ := g.Rules()
	for _, r := range rules {
		if r.Direction != model.Ingress || r.PeerKind != "cidr" || (r.Peer != "0.0.0.0/0" && r.Peer != "::/0") {
			continue
		}
		if r.Port.Protocol == model.TCP && (r.Port.Covers(model.Port{Protocol: model.TCP, From: 443, To: 443}) || r.Port.Covers(model.Port{Protocol: model.TCP, From: 80, To: 80})) {
			return true
		}
	}
	return false
}

// firstOf joins the first n of reasons, and says how many more there
// are: an export of thousands of groups that all fail the same way is
// one line of error, not thousands.
func firstOf(reasons []string, n int) string {
	if len(reasons) <= n {
		return strings.Join(reasons, "; ")
	}
	return fmt.Sprintf("%s; and %d more", strings.Join(reasons[:n], "; "), len(reasons)-n)
}
