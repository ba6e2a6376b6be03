package cloudformation

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/sgc-dev/sgc/compiler"
	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/emit"
	"github.com/sgc-dev/sgc/internal/synth"
	"github.com/sgc-dev/sgc/internal/testkit"
	"github.com/sgc-dev/sgc/load"
)

// TestRuleYAMLMatchesTree is the differential test of the fast path: a
// rule written straight from the model (ruleRes.writeYAML) is the bytes
// of its tree (ruleResource) written by the tree writer, over random
// policies with every kind of peer and port, temporary flows, purposes
// with "${" and quotes, source lines, and both ways a group id is given.
func TestRuleYAMLMatchesTree(t *testing.T) {
	seen := map[string]int{}
	for seed := int64(1); seed <= 40; seed++ {
		srcs := synth.Generate(synth.Config{Groups: 8, Flows: 80, Seed: seed, GroupsPerFile: 3})
		if seed%3 == 0 {
			for name, src := range srcs {
				srcs[name] = []byte(strings.ReplaceAll(string(src), `because "`, `because "*star !tag [x] {y} ${x} #1: `))
			}
		}
		srcs["zz.intent"] = []byte(`group zz-extra "Extra group"
external zz-partner "Partner group, id at deploy"
external zz-other 123456789012/sg-0123456789abcdef0 "A group of another account"
external zz-other-input "Another account's group, id at deploy" account 210987654321
zz-partner -> zz-extra tcp/443 because "the partner calls"
zz-other -> zz-extra tcp/8443 because "another account calls"
zz-other-input -> zz-extra tcp/9443 because "another account calls too"
prefix-list zz-cdn aws:cloudfront.origin-facing "CloudFront"
zz-cdn -> zz-extra tcp/443 because "CloudFront reaches the origin"
zz-extra -> zz-partner icmpv6/1 because "unreachable to the partner"
`)
		p := load.FromSources(srcs, compiler.Options{Now: testkit.Now})
		if p.Diags.HasErrors() {
			t.Fatalf("seed %d: %v", seed, p.Diags)
		}
		opts := emit.Options{SourceLines: seed%2 == 0}
		n := namesFor(p.Program, opts)
		groupID := func(g *model.Group) any { return getAtt{n.group[g], "GroupId"} }
		if seed%4 == 1 {
			groupID = func(g *model.Group) any { return importVal{sub{"${GroupsStack1}-" + n.export[g]}} }
		}
		inputID := func(e *model.External) any { return ref{n.input[e]} }
		listID := func(l *model.PrefixList) any { return ref{n.list[l]} }
		cache := new(scalarCache)
		for _, r := range p.Program.Rules {
			// As a split build makes it: with the lines of imported ids
			// (importLine is "" for any other id).
			v := ruleRes{r: r, group: groupID(r.Group), peer: peerValue(r, groupID, inputID, listID), sourceLines: opts.SourceLines,
				groupLine: importLine(groupID(r.Group))}
			if r.Peer.Kind == model.PeerGroup {
				v.peerLine = importLine(groupID(r.Peer.Group))
			}
			fast := yamlWriter{scalars: cache}
			fast.value(v, "  ")
			tree := yamlWriter{scalars: cache}
			tree.value(v.object(), "  ")
			if string(fast.buf) != string(tree.buf) {
				t.Fatalf("seed %d, rule %s:\nfast:\n%s\ntree:\n%s", seed, r.Key(), fast.buf, tree.buf)
			}
			seen[kindOf(r)]++
		}
	}
	for _, k := range []string{"cidr4", "cidr6", "prefix-list", "group", "external-id", "external-input", "other-account", "managed-list", "icmpv6", "ports", "until", "join"} {
		if seen[k] == 0 {
			t.Errorf("no rule of kind %s was compared (seen %v)", k, seen)
		}
	}
}

// kindOf names what a rule exercises in the writer, one kind per rule,
// so that the test can say each was covered.
func kindOf(r *model.Rule) string {
	switch {
	case strings.Contains(r.Flow.Purpose, "${"):
		return "join"
	case r.Flow.Temporary():
		return "until"
	case r.Port.Protocol == model.ICMPv6:
		return "icmpv6"
	}
	switch r.Peer.Kind {
	case model.PeerCIDR:
		if r.Peer.CIDR.Addr().Is4() {
			if r.Port.HasPorts() {
				return "ports"
			}
			return "cidr4"
		}
		return "cidr6"
	case model.PeerPrefixList:
		if r.Peer.PrefixList.Managed != "" {
			return "managed-list"
		}
		return "prefix-list"
	case model.PeerExternal:
		if r.Peer.External.Account != "" {
			return "other-account"
		}
		if r.Peer.External.ID != "" {
			return "external-id"
		}
		return "external-input"
	}
	return "group"
}

// TestJoinMatchesLiteral holds join, which writes a purpose's Fn::Join
// from pieces of the purpose, to value writing literal's tree, on the
// edges of the cut: "${" first, last, doubled, after "$", and parts that
// YAML must quote.
func TestJoinMatchesLiteral(t *testing.T) {
	cases := []string{"${x}", "a${", "${", "$${x}", "${${", "x${y}z${w}", "${}", "{${", "${$",
		`"${a}" b`, "${a}: b", "- ${x}", "#${x}", "${x} #y", "yes${no}", "1${2}", " ${x} ", "a\tb${c}", "é${ü}"}
	for _, s := range cases {
		if fast, tree := joinAndLiteral(s, "      "); fast != tree {
			t.Errorf("%q:\njoin:\n%s\nliteral:\n%s", s, fast, tree)
		}
	}
}

// joinAndLiteral writes s at indent with join and as value writes
// literal(s).
func joinAndLiteral(s, indent string) (fast, tree string) {
	var cache scalarCache
	j := yamlWriter{scalars: &cache}
	j.join(s, indent)
	l := yamlWriter{scalars: &cache}
	l.value(literal(s), indent)
	return string(j.buf), string(l.buf)
}

// FuzzJoin is TestJoinMatchesLiteral on any purpose holding "${" (a
// purpose is UTF-8: the parser refuses a file that is not).
func FuzzJoin(f *testing.F) {
	f.Add("bills ${ops-42} for api")
	f.Add("$${${x}: #")
	f.Fuzz(func(t *testing.T, s string) {
		if !strings.Contains(s, "${") || !utf8.ValidString(s) {
			t.Skip()
		}
		if fast, tree := joinAndLiteral(s, "  "); fast != tree {
			t.Fatalf("%q:\njoin:\n%s\nliteral:\n%s", s, fast, tree)
		}
	})
}
