package load_test

import (
	"bytes"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/sgc-dev/sgc/compiler"
	"github.com/sgc-dev/sgc/internal/testkit"
	"github.com/sgc-dev/sgc/lang/format"
	"github.com/sgc-dev/sgc/load"
)

var fuzzNow = testkit.Now

var positions = regexp.MustCompile(` @\d+:\d+`)

// meaning is what formatting must preserve: the model without positions,
// and the diagnostics without positions.
func meaning(src []byte) string {
	p := load.FromSources(map[string][]byte{"f.intent": src}, compiler.Options{Now: fuzzNow})
	var b strings.Builder
	p.Program.Dump(&b)
	for _, e := range p.Envs { // a policy with environments: each one's
		fmt.Fprintf(&b, "environment %s\n", e.Name)
		e.Program.Dump(&b)
	}
	var ds []string
	for _, d := range p.Diags {
		ds = append(ds, fmt.Sprintf("%s %s %s", d.Severity, d.Code, d.Summary))
	}
	sort.Strings(ds)
	return positions.ReplaceAllString(b.String(), "") + strings.Join(ds, "\n")
}

// FuzzPipeline feeds arbitrary bytes through parse, compile and fmt. It
// must never panic; when the input parses, formatting must be idempotent
// and must not change what the policy means. The seed corpus in
// testdata/fuzz/FuzzPipeline holds the examples and the golden inputs.
func FuzzPipeline(f *testing.F) {
	f.Add([]byte("group web \"Web\"\nweb -> internet tcp/443 because \"x\"\n"))
	f.Add([]byte("group web-db \"DB\"\ngroup b \"B\"\nnever internet -> \"*-db\" tcp/22, udp/53 except b because \"private\"\nnever ->\n  b because \"x\"\nb -> web-db tcp/5432 because \"reads\"\n"))
	f.Add([]byte("environment s \"S\" account 111111111111 region eu-west-1\nenvironment p \"P\"\ngroup web \"Web\" in s, p\nnetwork v 10.1.0.0/16 \"V\" in s\nnetwork v 10.2.0.0/16 \"V\" in p\nv -> web tcp/443 because \"x\"\nnever s -> p because \"apart\"\nservice in tcp/1 in s\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		before := meaning(src)
		out, diags := format.Source("f.intent", src)
		if diags.HasErrors() {
			return
		}
		again, diags := format.Source("f.intent", out)
		if diags.HasErrors() {
			t.Fatalf("formatted output does not parse: %v\n%s", diags, out)
		}
		if !bytes.Equal(out, again) {
			t.Fatalf("format is not idempotent:\n--- once\n%s\n--- twice\n%s", out, again)
		}
		if after := meaning(out); after != before {
			t.Fatalf("formatting changed the meaning:\n--- before\n%s\n--- after\n%s\n--- formatted\n%s", before, after, out)
		}
	})
}

// FuzzLint runs the whole front end, lint and waivers included, on
// arbitrary input (FuzzPipeline stops before lint). It must never panic,
// and its diagnostics must come out sorted and at positions in the file.
func FuzzLint(f *testing.F) {
	f.Add([]byte("group web \"Web\"\n# sgc:waive SG101 until 2027-01-31 because \"partner API\"\ninternet -> web tcp/443 because \"partner callbacks\"\n"))
	f.Add([]byte("group web \"Web\"\n# sgc:waive SG101, SG999 until 2020-01-01\ninternet -> web all because \"x\" until 2026-06-10\n# sgc:waive\n"))
	f.Add([]byte("group db \"DB\"\nservice s tcp/22, t\nservice t tcp/3306\ninternet -> db s because \"TODO\"\n"))
	f.Add([]byte("group db \"DB\"\nnetwork n 0.0.0.0/1 \"half\"\nnever internet -> \"d*\" tcp/1-100 except n because \"x\"\nn -> db tcp/22 because \"ssh in\"\n"))
	f.Add([]byte("environment s \"S\"\nenvironment p \"P\"\ngroup web \"Web\"\nnetwork a 10.0.0.0/8 \"A\" in p\n# sgc:waive SG104 until 2027-06-01 because \"wide in p\"\na -> web tcp/22 because \"admins\" in p\nnever \"*\" -> \"w*\" udp/53 because \"no dns\" in s\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		p := load.FromSources(map[string][]byte{"f.intent": src}, compiler.Options{Now: fuzzNow})
		p.RunLint()
		for i, d := range p.Diags {
			if d.Subject.Start.Offset > len(src)+3 {
				t.Fatalf("diagnostic past the end of the file: %v", d)
			}
			if i > 0 && p.Diags[i-1].Subject.Start.Filename == d.Subject.Start.Filename && p.Diags[i-1].Subject.Start.Offset > d.Subject.Start.Offset {
				t.Fatalf("diagnostics out of order: %v before %v", p.Diags[i-1], d)
			}
		}
	})
}
