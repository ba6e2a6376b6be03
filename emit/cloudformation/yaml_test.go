package cloudformation

import (
	"bytes"
	"testing"
	"time"

	"github.com/sgc-dev/sgc/compiler"
	"github.com/sgc-dev/sgc/emit"
	"github.com/sgc-dev/sgc/internal/synth"
	"github.com/sgc-dev/sgc/policy"
)

// TestYAMLWriterMatchesYAMLv3 holds the block writer to the bytes of
// yaml.v3's encoder, on random policies, single and split, and on strings
// that need quoting.
func TestYAMLWriterMatchesYAMLv3(t *testing.T) {
	srcs := []map[string][]byte{{"q.intent": []byte(`group yes "on"
group no "2026-01-01"
group tricky "a: b # c {x} [y] & *z !w $v"
network v6 ::/0 "off"
network n 10.0.0.0/8 "1e3"
yes -> no all because "true"
v6 -> yes tcp/1 because "-1"
n -> tricky tcp/2 because "#hash first"
tricky -> n tcp/3 because "@at first, then: colon"
`)}}
	for seed := int64(1); seed <= 40; seed++ {
		srcs = append(srcs, synth.Generate(synth.Config{Groups: 1 + int(seed)%12, Flows: int(seed) * 3, Seed: seed, GroupsPerFile: 4}))
	}
	for i, s := range srcs {
		p := policy.FromSources(s, compiler.Options{Now: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)})
		if p.Diags.HasErrors() {
			t.Fatal(p.Diags)
		}
		n := nameAll(p.Program)
		templates := append([]*template{single(p.Program, n, emit.Options{})}, splitTemplates(p.Program, n, emit.Options{})...)
		for _, tpl := range templates {
			got, want := renderYAML("h", tpl.root), renderYAMLReference("h", tpl.root)
			if !bytes.Equal(got, want) {
				t.Fatalf("case %d, %s: the block writer differs from yaml.v3:\n--- yaml.v3\n%s\n--- writer\n%s", i, tpl.name, want, got)
			}
		}
	}
}
