package review

import (
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/sgc-dev/sgc/compiler"
	"github.com/sgc-dev/sgc/internal/synth"
	"github.com/sgc-dev/sgc/internal/testkit"
	"github.com/sgc-dev/sgc/load"
)

func loadPolicy(t *testing.T, srcs map[string]string) *load.Policy {
	t.Helper()
	in := map[string][]byte{}
	for k, v := range srcs {
		in[k] = []byte(v)
	}
	p := load.FromSources(in, compiler.Options{Now: testkit.Now})
	if p.Diags.HasErrors() {
		t.Fatalf("policy has errors: %v", p.Diags)
	}
	p.RunLint()
	return p
}

func TestMdText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"order queries", "order queries"},
		{"a -> b", "a -> b"},
		{`<img src=x onerror=alert(1)>`, `\<img src=x onerror=alert(1)>`},
		{"a | b", `a \| b`},
		{"[click](javascript:alert(1))", `\[click\](javascript:alert(1))`},
		{"`code` and *bold* and _em_", "\\`code\\` and \\*bold\\* and \\_em\\_"},
		{"# heading", `\# heading`},
		{"- item", `\- item`},
		{"> quote", `\> quote`},
		{"1. first", `1\. first`},
		{"12) first", `12\) first`},
		{"line\nbreak\x1b[31m", `line break \[31m`},
		{"right\u202eleft", "right left"},
		{"$x$ ~~gone~~ &amp;", `\$x\$ \~\~gone\~\~ \&amp;`},
	}
	for _, tt := range tests {
		if got := mdText(tt.in); got != tt.want {
			t.Errorf("mdText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestMdCode(t *testing.T) {
	tests := []struct{ in, want string }{
		{`a -> b tcp/443 because "x"`, "`a -> b tcp/443 because \"x\"`"},
		{"a ` b", "``a ` b``"},
		{"``x", "``` ``x ```"},
		{"a | b\nc", "`a \\| b c`"},
	}
	for _, tt := range tests {
		if got := mdCode(tt.in); got != tt.want {
			t.Errorf("mdCode(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestMarkdownEscapesInput: what a policy says reaches the Markdown report
// and diff as text, never as markup.
func TestMarkdownEscapesInput(t *testing.T) {
	old := loadPolicy(t, map[string]string{"a.intent": "group web \"Web\"\ngroup db \"DB\"\nweb -> db tcp/5432 because \"queries\"\n"})
	src := "group web \"Web\"\ngroup db \"DB\"\nweb -> db tcp/5432 because \"queries\"\n" +
		"# sgc:waive SG101 until 2099-01-01 because \"<img src=x onerror=alert(1)> | [x](javascript:y)\"\n" +
		"internet -> web tcp/443 because \"[a](javascript:b) *b*\"\n"
	p := loadPolicy(t, map[string]string{"a.intent": src, "x<img src=y onerror=z>.intent": "group app \"App\"\napp -> db tcp/1 because \"[a](javascript:b)\"\n"})
	md := Markdown(p.Program, p.Lint)
	var diff strings.Builder
	if err := Compare(old.Program, p.Program).WriteMarkdown(&diff); err != nil {
		t.Fatal(err)
	}
	codeSpan := regexp.MustCompile("`[^`\n]*`")
	for name, out := range map[string]string{"doc": md, "diff": diff.String()} {
		out = codeSpan.ReplaceAllString(out, "")
		for _, bad := range []string{`(^|[^\\])<img`, `[^\\]\]\(javascript`, ` \*b\*`} {
			if regexp.MustCompile(bad).MatchString(out) {
				t.Errorf("%s output carries %q raw:\n%s", name, bad, out)
			}
		}
	}
}

// TestDocLinear: the audit report's cost grows with the policy, not with
// groups × flows (which took 32 s at 50,000 flows). It measures bytes
// allocated, which unlike time is the same from run to run: ten times the
// groups and flows may cost at most about ten times the memory.
func TestDocLinear(t *testing.T) {
	cost := func(groups, flows int) uint64 {
		p := load.FromSources(synth.Generate(synth.Config{Groups: groups, Flows: flows, Seed: 1, GroupsPerFile: 50}),
			compiler.Options{Now: testkit.Now})
		if p.Diags.HasErrors() {
			t.Fatal(p.Diags)
		}
		p.RunLint()
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		Markdown(p.Program, p.Lint)
		runtime.ReadMemStats(&after)
		return after.TotalAlloc - before.TotalAlloc
	}
	small, big := cost(200, 2000), cost(2000, 20000)
	if ratio := float64(big) / float64(small); ratio > 15 {
		t.Errorf("10x the policy costs %.1fx the memory (%d -> %d bytes): the report is not linear", ratio, small, big)
	}
}
