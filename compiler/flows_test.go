package compiler_test

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/sgc-dev/sgc/compiler"
	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/internal/synth"
	"github.com/sgc-dev/sgc/lang/ast"
	"github.com/sgc-dev/sgc/lang/parser"
)

// TestParallelFlowsAreSequential holds flows resolved side by side to
// flows resolved in statement order: the same program and the same
// diagnostics in the same order, on policies of several workers' worth of
// flows with every kind of finding a flow can have (unknown names with
// and without a suggestion, a name of the wrong kind, descriptions AWS
// refuses, address families that never meet, expired and expiring
// flows) among nevers.
func TestParallelFlowsAreSequential(t *testing.T) {
	groupName := regexp.MustCompile(`(?m)^group ([a-z0-9-]+) `)
	for seed := int64(1); seed <= 4; seed++ {
		srcs := synth.Generate(synth.Config{Groups: 200, Flows: 3000, Seed: seed, GroupsPerFile: 40})
		var names []string
		for _, src := range srcs {
			for _, m := range groupName.FindAllSubmatch(src, -1) {
				names = append(names, string(m[1]))
			}
		}
		sort.Strings(names)
		var bad strings.Builder
		bad.WriteString("service web-ports tcp/80, tcp/443\nnetwork office 10.9.0.0/16, 2001:db8:9::/48 \"The office\"\nnetwork lab 2001:db8:7::/48 \"The IPv6 lab\"\n")
		for i, n := range names {
			m := names[(i*7+3)%len(names)]
			switch i % 9 {
			case 0:
				fmt.Fprintf(&bad, "%s -> %sx tcp/%d because \"a typo that has a suggestion\"\n", n, m, 1000+i)
			case 1:
				fmt.Fprintf(&bad, "%s -> nothing-like-it-%d tcp/%d because \"unknown, far from any name\"\n", n, i, 1000+i)
			case 2:
				fmt.Fprintf(&bad, "web-ports -> %s tcp/%d because \"a service is not an endpoint\"\n", n, 1000+i)
			case 3:
				fmt.Fprintf(&bad, "%s -> %s tcp/%d because \"100%% sure, which AWS refuses\"\n", n, m, 1000+i)
			case 4:
				fmt.Fprintf(&bad, "%s -> %s tcp/%d because \"R&D calls it\"\n", n, m, 1000+i)
			case 5:
				fmt.Fprintf(&bad, "office -> %s icmp/8 because \"echo from the office, IPv4 only\"\n", n)
				fmt.Fprintf(&bad, "lab -> %s icmp/8 because \"IPv4 echo from an IPv6 lab\"\n", n)
			case 6:
				fmt.Fprintf(&bad, "%s -> %s tcp/%d because \"over\" until 2020-01-0%d\n", n, m, 1000+i, 1+i%9)
			case 7:
				fmt.Fprintf(&bad, "never %s -> %s because \"kept apart\"\n", n, m)
			case 8:
				fmt.Fprintf(&bad, "%s -> %s web-ports, udp/%d because \"soon over\" until 2026-06-1%d\n", n, m, 1000+i, i%9)
			}
		}
		srcs["zz-findings.intent"] = []byte(bad.String())

		compile := func() (string, string) {
			var files []*ast.File
			for name, src := range srcs {
				f, diags := parser.ParseFile(name, src)
				if diags.HasErrors() {
					t.Fatal(diags)
				}
				files = append(files, f)
			}
			prog, diags := compiler.Compile(files, compiler.Options{Now: testNow})
			var d strings.Builder
			for _, x := range diags {
				fmt.Fprintf(&d, "%v %s %s %s %v\n", x.Subject, x.Code, x.Summary, x.Suggestion, x.Related)
			}
			return fmt.Sprintf("%d flows %d rules", len(prog.Flows), len(prog.Rules)), d.String() + fmt.Sprintf("%#v", flowsOf(prog))
		}
		gotProg, gotDiags := compile()
		restore := compiler.ResolveFlowsInOrder()
		wantProg, wantDiags := compile()
		restore()
		if gotProg != wantProg || gotDiags != wantDiags {
			t.Fatalf("seed %d: side by side %s, in order %s; diagnostics and flows the same: %v", seed, gotProg, wantProg, gotDiags == wantDiags)
		}
		for _, code := range []string{compiler.UnknownName, compiler.WrongKind, compiler.InvalidDescription, compiler.FamilyMismatch, compiler.FamilySkipped, compiler.ExpiredFlow, "Did you mean"} {
			if !strings.Contains(gotDiags, code) {
				t.Fatalf("seed %d: no %s among the diagnostics: the policy does not cover it", seed, code)
			}
		}
	}
}

// flowsOf describes the program's flows and its rules, every field.
func flowsOf(p *model.Program) []string {
	var out []string
	for _, f := range p.Flows {
		var svcs []string
		for _, s := range f.Services {
			svcs = append(svcs, s.Name)
		}
		out = append(out, fmt.Sprintf("%s %q %v %v %v %v %v %v %v %v %+v %v", f.Key(), f.Purpose, f.Until, f.Status, f.Range, f.FromRange(), f.ToRange(), f.PortsRange(), f.UntilRange(), f.PurposeRange(), f.Waivers, svcs))
	}
	for _, r := range p.Rules {
		out = append(out, r.Key()+" "+r.Flow.Key())
	}
	return out
}
