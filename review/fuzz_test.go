package review_test

import (
	"bytes"
	"net/netip"
	"testing"

	"github.com/sgc-dev/sgc/compiler"
	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/load"
	"github.com/sgc-dev/sgc/review"
)

const reviewBase = `group web "Web" internet-facing
group app "App"
group db "Database"
network office 203.0.113.0/24 "Office"
internet -> web tcp/443 because "shoppers over HTTPS"
web -> app tcp/8080 because "the web tier calls the app"
app -> db tcp/5432 because "orders queries"
office -> app tcp/22 because "debugging from the office" until 2026-12-31
`

// FuzzReview runs every review tool (doc in both formats, both diagrams,
// diff against a fixed policy both ways and in every format, why between
// every pair of names and an address) on every policy that compiles. None
// may panic, and a diff of a policy with itself must be empty.
func FuzzReview(f *testing.F) {
	f.Add([]byte(reviewBase))
	f.Add([]byte("group web \"Web\"\n# sgc:waive SG101 until 2027-01-31 because \"<img src=x> | [a](javascript:b)\"\ninternet -> web tcp/443 because \"[a](javascript:b) *b*\"\n"))
	f.Add([]byte("group a \"A\"\nservice s tcp/1-100, udp/53, icmp/all\na -> a s because \"self traffic\"\na -> internet all because \"egress everywhere\"\n"))
	bp := load.FromSources(map[string][]byte{"base.intent": []byte(reviewBase)}, compiler.Options{Now: testNow})
	if bp.Diags.HasErrors() {
		f.Fatal(bp.Diags)
	}
	base := bp.Program
	f.Fuzz(func(t *testing.T, src []byte) {
		p := load.FromSources(map[string][]byte{"f.intent": src}, compiler.Options{Now: testNow})
		if p.Diags.HasErrors() {
			return
		}
		p.RunLint()
		prog := p.Program
		review.Markdown(prog, p.Lint)
		if _, err := review.HTML(prog, p.Lint); err != nil {
			t.Fatal(err)
		}
		for _, g := range append([]string{""}, groupNames(prog)...) {
			if _, err := review.Mermaid(prog, review.GraphOptions{Group: g}); err != nil && g == "" {
				t.Fatal(err)
			}
			if _, err := review.DOT(prog, review.GraphOptions{Group: g}); err != nil && g == "" {
				t.Fatal(err)
			}
		}
		var b bytes.Buffer
		for _, d := range []review.Diff{review.Compare(base, prog), review.Compare(prog, base)} {
			d.WriteText(&b, true)
			d.WriteMarkdown(&b)
			if err := d.WriteJSON(&b); err != nil {
				t.Fatal(err)
			}
		}
		if d := review.Compare(prog, prog); len(d.Widened)+len(d.Narrowed)+len(d.Flows)+len(d.Groups) != 0 {
			t.Fatalf("a policy differs from itself: %+v", d)
		}
		names := append(groupNames(prog), "internet")
		parties := []review.Party{{Addr: netip.MustParseAddr("203.0.113.7")}}
		for _, n := range names {
			parties = append(parties, review.Party{Name: n})
		}
		for _, a := range parties {
			for _, c := range parties {
				review.Why(prog, a, c, []model.Port{{Protocol: model.TCP, From: 443, To: 443}})
			}
		}
	})
}

func groupNames(p *model.Program) []string {
	var out []string
	for _, g := range p.Groups {
		out = append(out, g.Name)
	}
	return out
}
