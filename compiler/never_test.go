package compiler_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/sgc-dev/sgc/compiler"
	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/internal/synth"
	"github.com/sgc-dev/sgc/internal/testkit"
	"github.com/sgc-dev/sgc/lang/diag"
	"github.com/sgc-dev/sgc/load"
)

// TestNeverOfOwnFlow: a random policy plus a never written from one of
// its own flows (the same two ends and ports) always fails, at that flow;
// without the flow, it passes. Flows whose ends other flows also join
// (or, for a network, whose group other address blocks reach) are
// skipped: those flows would break the never too.
func TestNeverOfOwnFlow(t *testing.T) {
	when := compiler.Options{Now: testkit.Now}
	tried := 0
	for seed := int64(1); seed <= 30; seed++ {
		files := synth.Generate(synth.Config{Groups: 8, Flows: 50, Seed: seed})
		src := string(files["policy.intent"])
		if src == "" {
			for _, v := range files {
				src = string(v)
			}
		}
		p := load.FromSources(map[string][]byte{"p.intent": []byte(src)}, when).Program
		for _, f := range p.ActiveFlows() {
			if !alone(p, f) {
				continue
			}
			tried++
			never := fmt.Sprintf("never %s -> %s %s because \"derived from its own flow\"\n",
				f.From.Declared().Name, f.To.Declared().Name, model.PortsString(f.Ports))
			with := load.FromSources(map[string][]byte{"p.intent": []byte(src + never)}, when)
			if got := violations(with.Diags); len(got) != 1 || got[0].Subject.Start.Line != f.Range.Start.Line {
				t.Fatalf("seed %d, %s: violations %v", seed, never, got)
			}
			lines := strings.Split(src, "\n")
			without := strings.Join(append(append([]string{}, lines[:f.Range.Start.Line-1]...), lines[f.Range.Start.Line:]...), "\n")
			res := load.FromSources(map[string][]byte{"p.intent": []byte(without + never)}, when)
			if got := violations(res.Diags); len(got) > 0 {
				t.Fatalf("seed %d, %s without its flow: %v", seed, never, got)
			}
		}
	}
	if tried < 100 {
		t.Fatalf("only %d flows tried", tried)
	}
}

// alone reports whether f is the only active flow that could break a never
// written from it.
func alone(p *model.Program, f *model.Flow) bool {
	_, fromGroup := f.From.(*model.Group)
	_, toGroup := f.To.(*model.Group)
	if !fromGroup || !toGroup {
		return false
	}
	for _, o := range p.ActiveFlows() {
		if o != f && o.From == f.From && o.To == f.To {
			return false
		}
	}
	return true
}

func violations(ds diag.List) []*diag.Diagnostic {
	var out []*diag.Diagnostic
	for _, d := range ds {
		if d.Code == compiler.NeverViolated {
			out = append(out, d)
		}
	}
	return out
}
