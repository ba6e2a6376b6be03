package synth_test

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/sgc-dev/sgc/compiler"
	"github.com/sgc-dev/sgc/internal/synth"
	"github.com/sgc-dev/sgc/internal/testkit"
	"github.com/sgc-dev/sgc/lang/diag"
	"github.com/sgc-dev/sgc/load"
)

func TestGeneratedPoliciesCompileClean(t *testing.T) {
	for seed := int64(1); seed <= 50; seed++ {
		cfg := synth.Config{Groups: 1 + int(seed)%30, Flows: int(seed) * 7, Seed: seed, GroupsPerFile: 7}
		files := synth.Generate(cfg)
		p := load.FromSources(files, compiler.Options{Now: testkit.Now})
		// Notes that ICMP pairs of dual-stack networks were left out are
		// the only diagnostics a generated policy may have.
		var found diag.List
		for _, d := range p.Diags {
			if d.Code != compiler.FamilySkipped {
				found = append(found, d)
			}
		}
		if len(found) > 0 {
			var b bytes.Buffer
			diag.Fprint(&b, p.Sources, found)
			t.Fatalf("seed %d: diagnostics:\n%s", seed, b.String())
		}
		if len(p.Program.Flows) == 0 {
			t.Fatalf("seed %d: no flows", seed)
		}
	}
}

func TestDeterministic(t *testing.T) {
	cfg := synth.Config{Groups: 40, Flows: 300, Seed: 7, GroupsPerFile: 10}
	if !reflect.DeepEqual(synth.Generate(cfg), synth.Generate(cfg)) {
		t.Fatal("the same config gave different policies")
	}
}

func TestPortChanged(t *testing.T) {
	src := synth.Generate(synth.Config{Groups: 20, Flows: 200, Seed: 1, GroupsPerFile: 10})
	changed, ok := synth.PortChanged(src)
	if !ok {
		t.Fatal("no port changed")
	}
	files, lines := 0, 0
	for name, data := range src {
		if bytes.Equal(data, changed[name]) {
			continue
		}
		files++
		a, b := strings.Split(string(data), "\n"), strings.Split(string(changed[name]), "\n")
		if len(a) != len(b) {
			t.Fatalf("%s: %d lines became %d", name, len(a), len(b))
		}
		for i := range a {
			if a[i] != b[i] {
				lines++
				t.Logf("%s\n  %s", a[i], b[i])
			}
		}
	}
	if files != 1 || lines != 1 || len(changed) != len(src) {
		t.Errorf("%d files and %d lines changed, want one line of one file", files, lines)
	}
	if _, ok := synth.PortChanged(nil); ok {
		t.Error("an empty policy had a port to change")
	}
}
