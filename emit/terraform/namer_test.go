package terraform

import (
	"testing"
	"time"

	"github.com/sgc-dev/sgc/compiler"
	"github.com/sgc-dev/sgc/emit"
	"github.com/sgc-dev/sgc/internal/synth"
	"github.com/sgc-dev/sgc/policy"
)

// TestRuleNamerJoinsParts: names made of separately joined parts equal
// the rule's words joined at once.
func TestRuleNamerJoinsParts(t *testing.T) {
	rules := 0
	for seed := int64(1); seed <= 20; seed++ {
		p := policy.FromSources(synth.Generate(synth.Config{Groups: 10, Flows: 60, Seed: seed, GroupsPerFile: 5}),
			compiler.Options{Now: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)})
		namer := emit.NewRuleNamer(identifier, "_")
		for _, r := range p.Program.Rules {
			rules++
			if got, want := namer.Name(r), identifier(emit.RuleWords(r)); got != want {
				t.Fatalf("rule %s: name %q, its words give %q", r.Key(), got, want)
			}
		}
	}
	if rules < 500 {
		t.Fatalf("only %d rules", rules)
	}
}
