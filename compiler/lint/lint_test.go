package lint_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/sgc-dev/sgc/account/usage"
	"github.com/sgc-dev/sgc/compiler"
	"github.com/sgc-dev/sgc/compiler/lint"
	"github.com/sgc-dev/sgc/config"
	"github.com/sgc-dev/sgc/internal/golden"
	"github.com/sgc-dev/sgc/internal/testkit"
	"github.com/sgc-dev/sgc/lang/diag"
	"github.com/sgc-dev/sgc/load"
)

var testNow = testkit.Now

// lintSource compiles one intent file with the archive's sgc.hcl (if any)
// and lints it. Compile errors fail the test: lint cases are valid policies.
func lintSource(t *testing.T, a *txtar.Archive, name string) (*load.Policy, lint.Result) {
	t.Helper()
	cfg := config.Default()
	var src []byte
	for _, f := range a.Files {
		switch f.Name {
		case "sgc.hcl":
			var diags diag.List
			cfg, diags = config.Parse("sgc.hcl", f.Data)
			if len(diags) > 0 {
				t.Fatalf("sgc.hcl: %v", diags)
			}
		case "usage.json": // evidence of use, as sgc usage writes it
			u, err := usage.Evidence(f.Data)
			if err != nil {
				t.Fatal(err)
			}
			cfg.Lint.Usage = u
		case name:
			src = f.Data
		}
	}
	if src == nil {
		t.Fatalf("archive has no %s", name)
	}
	p := load.FromSources(map[string][]byte{name: src}, compiler.Options{Now: testNow, ExpiringWithin: cfg.Lint.ExpiringWithin})
	if p.Diags.HasErrors() {
		var b bytes.Buffer
		diag.Fprint(&b, p.Sources, p.Diags)
		t.Fatalf("%s has errors:\n%s", name, b.String())
	}
	return p, lint.Run(p.Program, lint.Checks, cfg.Lint)
}

func render(p *load.Policy, l diag.List) string {
	var b bytes.Buffer
	diag.Fprint(&b, p.Sources, l)
	return b.String()
}

func only(l diag.List, code string) diag.List {
	var out diag.List
	for _, d := range l {
		if d.Code == code {
			out = append(out, d)
		}
	}
	return out
}

// TestChecks runs each SGnnn-*.txtar: fires.intent must produce findings of
// check SGnnn (compared with the golden section), quiet.intent none.
func TestChecks(t *testing.T) {
	covered := map[string]bool{}
	golden.Run(t, "testdata", func(t *testing.T, a *txtar.Archive) map[string]string {
		name := t.Name()[strings.LastIndex(t.Name(), "/")+1:]
		id := strings.SplitN(name, "-", 2)[0]
		if lint.Lookup(id) == nil {
			// Not a single-check case: all findings are the golden output.
			p, res := lintSource(t, a, "in.intent")
			return map[string]string{"findings": render(p, res.Diags)}
		}
		covered[id] = true
		p, res := lintSource(t, a, "fires.intent")
		fires := only(res.Diags, id)
		if len(fires) == 0 {
			t.Errorf("fires.intent produced no %s finding", id)
		}
		qp, qres := lintSource(t, a, "quiet.intent")
		if quiet := only(qres.Diags, id); len(quiet) > 0 {
			t.Errorf("quiet.intent produced %s findings:\n%s", id, render(qp, quiet))
		}
		return map[string]string{"fires": render(p, fires)}
	})
	for _, c := range lint.Checks {
		if !covered[c.ID] && c != lint.UnusedWaiver {
			t.Errorf("check %s has no golden test (testdata/%s-*.txtar)", c.ID, c.ID)
		}
	}
}

// TestChecksDocumented holds every check to its documentation contract.
func TestChecksDocumented(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range lint.Checks {
		if seen[c.ID] || seen[c.Name] {
			t.Errorf("%s: id or name %s used twice", c.ID, c.Name)
		}
		seen[c.ID], seen[c.Name] = true, true
		if c.Title == "" || c.Doc == "" || c.Bad == "" || c.Good == "" || c.Severity == diag.Invalid || c.Run == nil {
			t.Errorf("%s: incomplete documentation or no Run", c.ID)
		}
		if m, _ := filepath.Match("SG1[0-9][0-9]", c.ID); !m {
			t.Errorf("%s: ids are SG1nn", c.ID)
		}
	}
}

// TestREADMEListsEveryCheck keeps the README's table of checks identical to
// the checks' own documentation.
func TestREADMEListsEveryCheck(t *testing.T) {
	readme, err := os.ReadFile("../../docs/lints.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), lint.MarkdownTable()) {
		t.Errorf("docs/lints.md's table of checks is out of date; replace it with:\n%s", lint.MarkdownTable())
	}
}
