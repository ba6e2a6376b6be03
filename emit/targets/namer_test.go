package targets_test

import (
	"testing"
	"time"

	"github.com/sgc-dev/sgc/compiler"
	"github.com/sgc-dev/sgc/emit"
	"github.com/sgc-dev/sgc/emit/targets"
	"github.com/sgc-dev/sgc/internal/synth"
	"github.com/sgc-dev/sgc/load"
)

// TestRuleNamerJoinsParts: for every target, names made of separately
// joined parts equal the rule's words joined at once, as RuleNamer needs.
func TestRuleNamerJoinsParts(t *testing.T) {
	for _, target := range targets.All {
		rules := 0
		for seed := int64(1); seed <= 20; seed++ {
			p := load.FromSources(synth.Generate(synth.Config{Groups: 10, Flows: 60, Seed: seed, GroupsPerFile: 5}),
				compiler.Options{Now: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)})
			namer := emit.NewRuleNamer(target.Join, target.Sep)
			for _, r := range p.Program.Rules {
				rules++
				if got, want := namer.Name(r), target.Join(emit.RuleWords(r)); got != want {
					t.Fatalf("%s: rule %s: name %q, its words give %q", target.Name, r.Key(), got, want)
				}
			}
		}
		if rules < 500 {
			t.Fatalf("%s: only %d rules", target.Name, rules)
		}
	}
}
