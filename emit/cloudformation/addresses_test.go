package cloudformation

import (
	"testing"

	"github.com/sgc-dev/sgc/compiler"
	"github.com/sgc-dev/sgc/emit"
	"github.com/sgc-dev/sgc/internal/synth"
	"github.com/sgc-dev/sgc/internal/testkit"
	"github.com/sgc-dev/sgc/load"
)

// TestAddressesReadBack holds the two forms of a rule's key together:
// ruleKey (from the model) and ruleKeyOf (from a template read back). For
// random policies with every kind of peer, in YAML and JSON, reading the
// template gives every group and rule its own logical ID under the key the
// model gives it, so that a build over its own output keeps every ID.
func TestAddressesReadBack(t *testing.T) {
	when := compiler.Options{Now: testkit.Now}
	for seed := int64(1); seed <= 40; seed++ {
		srcs := synth.Generate(synth.Config{Groups: 3 + int(seed%9), Flows: 20 + int(seed%4)*20, Seed: seed, GroupsPerFile: 3})
		p := load.FromSources(srcs, when)
		if p.Diags.HasErrors() {
			t.Fatal(p.Diags)
		}
		n := nameAll(p.Program)
		for _, format := range []string{"yaml", "json"} {
			files, diags := Emit(p.Program, emit.Options{Format: format})
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			got := earlier(files).Addresses
			want := map[string]string{}
			for _, g := range p.Program.Groups {
				want["group|"+g.Name] = n.group[g]
			}
			for i, r := range p.Program.Rules {
				want[ruleKey(r, n)] = n.rule[i]
			}
			if len(got) != len(want) {
				t.Errorf("seed %d %s: read %d addresses, want %d", seed, format, len(got), len(want))
			}
			for k, id := range want {
				if got[k] != id {
					t.Errorf("seed %d %s: %s reads as %q, want %q", seed, format, k, got[k], id)
				}
			}
			if t.Failed() {
				t.FailNow()
			}
		}
	}
}
