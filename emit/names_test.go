package emit_test

import (
	"math/rand"
	"net/netip"
	"strings"
	"testing"

	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/emit"
	"github.com/sgc-dev/sgc/internal/synth"
	"github.com/sgc-dev/sgc/internal/testkit"
)

// TestRuleNamesDependOnTheRuleAlone holds the namer's memory of the rule
// before (its group and ports) to naming each rule afresh: rules named in
// the program's order, in a shuffled order, and one by one with a new
// namer each get the same names.
func TestRuleNamesDependOnTheRuleAlone(t *testing.T) {
	style := emit.Style{Join: func(w []string) string { return strings.Join(w, "_") }, Sep: "_",
		Ident: func(s string) string { return "g_" + s }}
	for seed := int64(1); seed <= 5; seed++ {
		rules := testkit.Compile(t, synth.Generate(synth.Config{Groups: 20, Flows: 600, Seed: seed, GroupsPerFile: 5})).Rules
		inOrder := emit.RuleNames(style, rules)
		shuffled := rand.New(rand.NewSource(seed)).Perm(len(rules))
		n := emit.NewRuleNamer(style)
		for _, i := range shuffled {
			if got, want := n.Name(rules[i]), emit.NewRuleNamer(style).Name(rules[i]); got != want || got != inOrder[i] {
				t.Fatalf("seed %d, rule %s: %q shuffled, %q alone, %q in order", seed, rules[i].Key(), got, want, inOrder[i])
			}
		}
	}
}

// TestRuleNamerAllocations counts what naming a rule allocates when its
// ports differ from the rule before's: the ports' joined words and the
// name, and nothing for the words themselves.
func TestRuleNamerAllocations(t *testing.T) {
	style := emit.Style{Join: func(w []string) string { return strings.Join(w, "_") }, Sep: "_",
		Ident: func(s string) string { return "g_" + s }}
	web := &model.Group{Decl: model.Decl{Name: "web"}}
	peer := model.Peer{Kind: model.PeerCIDR, CIDR: netip.MustParsePrefix("10.0.0.0/8")}
	rules := []*model.Rule{
		{Group: web, Peer: peer, Port: model.Port{Protocol: model.TCP, From: 22, To: 22}},
		{Group: web, Peer: peer, Port: model.Port{Protocol: model.TCP, From: 23, To: 23}},
	}
	n := emit.NewRuleNamer(style)
	i := 0
	if got := testing.AllocsPerRun(100, func() { n.Name(rules[i%2]); i++ }); got > 2 {
		t.Errorf("%.0f allocations a rule, want 2 (the ports' words joined, the name)", got)
	}
}
