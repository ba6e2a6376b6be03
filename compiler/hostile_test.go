package compiler_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/sgc-dev/sgc/compiler"
	"github.com/sgc-dev/sgc/internal/limits"
	"github.com/sgc-dev/sgc/load"
)

// serviceChain is `service s_i tcp/i, s_{i+1}` for i < n: each service
// names the next, so expanded flat each would hold all ports after it.
func serviceChain(n int) []byte {
	var b strings.Builder
	b.WriteString("group a \"A\"\ngroup b \"B\"\n")
	for i := 0; i < n; i++ {
		if i+1 < n {
			fmt.Fprintf(&b, "service s%d tcp/%d, s%d\n", i, i%65536, i+1)
		} else {
			fmt.Fprintf(&b, "service s%d tcp/%d\n", i, i%65536)
		}
	}
	fmt.Fprintf(&b, "a -> b s%d because \"uses the short end of the chain\"\n", n-10)
	return []byte(b.String())
}

// TestServiceChainBounded: a chain of 20,000 services (quadratic: 200
// million ports stored before) keeps at most limits.ServicePorts ports per
// service, reports the first service that grows too large, once, and
// still compiles flows that use services within the limit.
func TestServiceChainBounded(t *testing.T) {
	const n = 20000
	p := load.FromSources(map[string][]byte{"chain.intent": serviceChain(n)}, compiler.Options{Now: testNow})
	stored := 0
	for _, s := range p.Program.Services {
		stored += len(s.Ports)
	}
	if stored > (limits.ServicePorts+1)*limits.ServicePorts/2+n {
		t.Errorf("%d ports stored for %d services: expansion is not bounded", stored, n)
	}
	var tooLarge []string
	for _, d := range p.Diags {
		if d.Code == compiler.ServiceTooLarge {
			tooLarge = append(tooLarge, d.Summary)
		}
	}
	if len(tooLarge) != 1 || !strings.Contains(tooLarge[0], fmt.Sprintf(`service "s%d"`, n-limits.ServicePorts-1)) {
		t.Errorf("ServiceTooLarge findings: %q", tooLarge)
	}
	if len(p.Program.Rules) != 2*10 {
		t.Errorf("%d rules, want 20 (10 ports, egress and ingress)", len(p.Program.Rules))
	}
}

// TestUnknownNamesBounded: thousands of unknown names among thousands of
// declared ones are all reported; suggestions stop at the limit instead of
// costing unknown × declared × length².
func TestUnknownNamesBounded(t *testing.T) {
	var b strings.Builder
	for i := 0; i < 3000; i++ {
		fmt.Fprintf(&b, "group team-%05d-production \"Group %d\"\n", i, i)
	}
	for i := 0; i < 3000; i++ {
		fmt.Fprintf(&b, "team-%05d-prodution -> team-%05d-production tcp/443 because \"calls it\"\n", i, (i+1)%3000)
	}
	p := load.FromSources(map[string][]byte{"many.intent": []byte(b.String())}, compiler.Options{Now: testNow})
	unknown, suggested := 0, 0
	for _, d := range p.Diags {
		if d.Code == compiler.UnknownName {
			unknown++
			if d.Suggestion != "" {
				suggested++
			}
		}
	}
	if unknown != 3000 {
		t.Errorf("%d unknown names reported, want 3000", unknown)
	}
	if suggested == 0 || suggested > limits.Suggestions {
		t.Errorf("%d suggestions, want some and at most %d", suggested, limits.Suggestions)
	}
}

// TestNeverChecksBounded: never statements over "*" in a policy of 100,000
// rules examine at most limits.NeverChecks rules together, then report
// an error instead of running on: 600 of them would examine 60 million.
func TestNeverChecksBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString("service wide ")
	for i := 0; i < 1000; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "tcp/%d", 1000+i)
	}
	b.WriteString("\n")
	for i := 0; i < 51; i++ {
		fmt.Fprintf(&b, "group g%d \"G\"\n", i)
	}
	for i := 0; i < 50; i++ {
		fmt.Fprintf(&b, "g%d -> g%d wide because \"a wide service\"\n", i, i+1)
	}
	for i := 0; i < 600; i++ {
		fmt.Fprintf(&b, "never \"*\" -> \"*\" udp/%d because \"never udp\"\n", i+1)
	}
	p := load.FromSources(map[string][]byte{"wide.intent": []byte(b.String())}, compiler.Options{Now: testNow})
	if n := len(p.Program.Rules); n != 100000 {
		t.Fatalf("%d rules", n)
	}
	found := 0
	for _, d := range p.Diags {
		switch d.Code {
		case compiler.NeverViolated:
			t.Fatalf("unexpected violation: %s", d.Summary)
		case compiler.NeverTooCostly:
			found++
		}
	}
	if found != 1 {
		t.Fatalf("%d budget errors, want 1: %v", found, p.Diags)
	}
}

// TestNeverPatternsBounded: matching patterns is charged to the never
// budget too: a pattern of a million stars is one star, and a pattern of
// a million segments over a thousand groups stops at the budget, at once,
// instead of running for a minute with gigabytes.
func TestNeverPatternsBounded(t *testing.T) {
	var b strings.Builder
	for i := 0; i < 1000; i++ {
		fmt.Fprintf(&b, "group g%d \"G\"\n", i)
	}
	b.WriteString("never \"" + strings.Repeat("*", 1000000) + "\" -> g1 because \"stars\"\n")
	b.WriteString("never \"" + strings.Repeat("a*", 500000) + "\" -> g1 because \"segments\"\n")
	p := load.FromSources(map[string][]byte{"stars.intent": []byte(b.String())}, compiler.Options{Now: testNow})
	names := 0
	for _, d := range p.Diags {
		if d.Code == compiler.NeverTooCostly && strings.Contains(d.Summary, "too many names") {
			names++
			if d.Subject.Start.Line != 1002 {
				t.Errorf("the budget ran out at line %d, want 1002 (the segments)", d.Subject.Start.Line)
			}
		}
	}
	if names != 1 {
		t.Errorf("%d NeverTooCostly for names, want 1:\n%v", names, p.Diags)
	}
}

// TestPolicyTooLarge: a policy that expands to more rules than the limit
// gets one PolicyTooLarge error, on the flow whose rules cross it, and no
// rules; a policy of exactly the limit compiles. Each flow here is two
// rules, and the limit is lowered to reach it with a few.
func TestPolicyTooLarge(t *testing.T) {
	src := `group a "A"
group b "B"
a -> b tcp/1 because "first flow"
a -> b tcp/2 because "second flow"
a -> b tcp/3 because "third flow"
a -> b tcp/4 because "fourth flow"
`
	for _, c := range []struct{ limit, line int }{{3, 4}, {7, 6}, {8, 0}} {
		restore := compiler.SetMaxRules(c.limit)
		p := load.FromSources(map[string][]byte{"big.intent": []byte(src)}, compiler.Options{Now: testNow})
		restore()
		var lines []int
		for _, d := range p.Diags {
			if d.Code == compiler.PolicyTooLarge {
				lines = append(lines, d.Subject.Start.Line)
				if want := fmt.Sprintf("more than %d AWS rules", c.limit); !strings.Contains(d.Summary, want) {
					t.Errorf("limit %d: %q does not say %q", c.limit, d.Summary, want)
				}
			}
		}
		switch {
		case c.line == 0 && (len(lines) != 0 || len(p.Program.Rules) != 8):
			t.Errorf("limit %d: PolicyTooLarge on lines %v and %d rules, want none and 8", c.limit, lines, len(p.Program.Rules))
		case c.line != 0 && (len(lines) != 1 || lines[0] != c.line || len(p.Program.Rules) != 0):
			t.Errorf("limit %d: PolicyTooLarge on lines %v and %d rules, want line %d and none", c.limit, lines, len(p.Program.Rules), c.line)
		}
	}
}
