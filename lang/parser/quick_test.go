package parser

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/sgc-dev/sgc/internal/synth"
)

// sameParse parses src with quickParse on and off, and fails unless the
// trees and the diagnostics are identical: participle's grammar is the
// definition, quickParse only a faster way to the same result.
func sameParse(t testing.TB, name string, src []byte) {
	participleOnly = true
	want, wantDiags := ParseFile(name, src)
	participleOnly = false
	got, gotDiags := ParseFile(name, src)
	if !reflect.DeepEqual(got, want) {
		for i := range want.Stmts {
			if i >= len(got.Stmts) || !reflect.DeepEqual(got.Stmts[i], want.Stmts[i]) {
				var g any = "nothing"
				if i < len(got.Stmts) {
					g = got.Stmts[i]
				}
				t.Fatalf("%s: statement %d:\nquick      %#v\nparticiple %#v\nsource %q", name, i, g, want.Stmts[i], src)
			}
		}
		t.Fatalf("%s: %d statements, participle gives %d", name, len(got.Stmts), len(want.Stmts))
	}
	if !reflect.DeepEqual(gotDiags, wantDiags) {
		t.Fatalf("%s: diagnostics differ:\nquick      %v\nparticiple %v", name, gotDiags, wantDiags)
	}
}

// TestQuickParseAgrees compares the two ways of parsing on every input in
// the repository and on synthetic policies with every statement form.
func TestQuickParseAgrees(t *testing.T) {
	inputs := repoInputs(t)
	for seed := int64(1); seed <= 5; seed++ {
		for name, src := range synth.Generate(synth.Config{Groups: 30, Flows: 300, Seed: seed, GroupsPerFile: 10}) {
			inputs[fmt.Sprintf("synth-%d/%s", seed, name)] = src
		}
	}
	for name, src := range inputs {
		sameParse(t, name, src)
	}
	// The comparison means something only if quickParse does the work:
	// every statement of a synthetic policy is on one line and well formed.
	lines := 0
	for _, src := range synth.Generate(synth.Config{Groups: 30, Flows: 300, Seed: 1, GroupsPerFile: 10}) {
		for _, line := range strings.Split(string(src), "\n") {
			var sig []token
			for _, tok := range scan(line) {
				if tok.Type != tokWhitespace && tok.Type != tokComment && !tok.EOF() {
					sig = append(sig, tok)
				}
			}
			if len(sig) == 0 || strings.HasSuffix(strings.TrimSpace(line), ",") {
				continue
			}
			lines++
			if quickParse("f", sig) == nil {
				t.Errorf("quickParse declines %q", line)
			}
		}
	}
	if lines < 300 {
		t.Errorf("only %d statements checked", lines)
	}
}

func FuzzQuickParse(f *testing.F) {
	for _, src := range []string{
		"group web \"Web\" internet-facing\nnetwork n 10.0.0.0/8,\n  ::/0 \"n\"\n",
		"prefix-list s3 pl-1 max-entries 5 \"S3\"\nexternal e sg-1 \"e\"\nexternal f \"f\"\n",
		"service s tcp/80,443, udp/53\na -> b s, icmp/8 because \"x\" until 2027-01-01\n",
		"a -> b tcp/80, because because \"x\"\nprefix-list x max-entries 5 \"d\"\n",
		"group g \"G\" internet-facing load-balancer network formerly h also-in vpc-1, shared\ngroup n \"N\" load-balancer\ngroup k \"K\" also-in\ngroup m \"M\" also-in x,\n  y\n",
		"interface f a, b \"x\"\ninterface -> b tcp/1 because \"y\"\ninterface g \"z\"\ninterface h a,\n  b \"w\"\n",
		"external m 123456789012/sg-1 \"m\" via peering\nexternal s \"s\" account 210987654321 via transit-gateway\nexternal v \"v\" via\nexternal w \"w\" account via x\n",
	} {
		f.Add([]byte(src))
	}
	f.Fuzz(func(t *testing.T, src []byte) { sameParse(t, "fuzz", src) })
}
