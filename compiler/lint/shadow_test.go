package lint_test

import (
	"testing"

	"github.com/sgc-dev/sgc/compiler"
	"github.com/sgc-dev/sgc/compiler/lint"
	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/internal/synth"
	"github.com/sgc-dev/sgc/load"
)

// coversPort is the plain definition the sweep must agree with.
func coversPort(a, b model.Port) bool {
	switch {
	case a.Protocol == model.All:
		return true
	case a.Protocol != b.Protocol:
		return false
	case a.Protocol == model.TCP || a.Protocol == model.UDP:
		return a.From <= b.From && b.To <= a.To
	case a.Protocol == model.ICMP || a.Protocol == model.ICMPv6:
		return a.From == -1 || (a.From == b.From && (a.To == -1 || a.To == b.To))
	}
	return a == b
}

// bruteShadowed is the quadratic definition of SG106: every rule of a flow
// is covered by a rule of another flow that lasts at least as long.
func bruteShadowed(p *model.Program) map[*model.Flow]bool {
	out := map[*model.Flow]bool{}
	for _, f := range p.Flows {
		n, all := 0, true
		for _, r := range p.Rules {
			if r.Flow != f {
				continue
			}
			n++
			covered := false
			for _, o := range p.Rules {
				if o.Flow != f && o.Group == r.Group && o.Direction == r.Direction && o.Peer.Key() == r.Peer.Key() &&
					coversPort(o.Port, r.Port) && (!o.Flow.Temporary() || (f.Temporary() && !o.Flow.Until.Before(f.Until))) {
					covered = true
					break
				}
			}
			all = all && covered
		}
		if n > 0 && all {
			out[f] = true
		}
	}
	return out
}

// TestShadowedAgreesWithBruteForce compares the sorted sweep with the
// quadratic definition on random policies dense with overlaps.
func TestShadowedAgreesWithBruteForce(t *testing.T) {
	found := 0
	for seed := int64(1); seed <= 200; seed++ {
		p := load.FromSources(synth.Generate(synth.Config{Groups: 3, Flows: 40, Seed: seed}), compiler.Options{Now: testNow})
		if p.Diags.HasErrors() {
			t.Fatal(p.Diags)
		}
		res := lint.Run(p.Program, []*lint.Check{lint.ShadowedFlow}, lint.DefaultConfig())
		got := map[int]bool{}
		for _, d := range res.Diags {
			if d.Code == lint.ShadowedFlow.ID {
				got[d.Subject.Start.Offset+1000000*len(d.Subject.Start.Filename)] = true
			}
		}
		want := bruteShadowed(p.Program)
		for f := range want {
			if !got[f.Range.Start.Offset+1000000*len(f.Range.Start.Filename)] {
				t.Errorf("seed %d: %s is shadowed but not reported", seed, f.Range)
			}
		}
		if len(got) > len(want) {
			t.Errorf("seed %d: %d flows reported, %d shadowed", seed, len(got), len(want))
		}
		found += len(want)
	}
	if found < 20 {
		t.Fatalf("only %d shadowed flows in the sample; the test needs denser policies", found)
	}
}
