// Package docs holds the tests that keep the README in step with the code.
package docs

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"time"

	"github.com/sgc-dev/sgc/compiler"
	"github.com/sgc-dev/sgc/load"
)

// codeName is the form of a diagnostic code: a CamelCase name.
var codeName = regexp.MustCompile(`^[A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*$`)

// TestREADMEListsEveryCode: every diagnostic code, wherever it is declared
// (a constant whose value is its own name, as `UnknownName =
// "UnknownName"`), is named in docs/commands.md's list of error codes, is
// declared in its package's codes.go and is documented with an example.
func TestREADMEListsEveryCode(t *testing.T) {
	readme, err := os.ReadFile("../../docs/commands.md")
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	fset := token.NewFileSet()
	err = filepath.WalkDir("../..", func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") && path != "../.." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ParseComments)
		if err != nil {
			return err
		}
		for _, decl := range f.Decls {
			g, ok := decl.(*ast.GenDecl)
			if !ok || g.Tok != token.CONST {
				continue
			}
			for _, spec := range g.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, name := range vs.Names {
					if i >= len(vs.Values) {
						continue
					}
					lit, ok := vs.Values[i].(*ast.BasicLit)
					if !ok || lit.Kind != token.STRING {
						continue
					}
					if v, _ := strconv.Unquote(lit.Value); v == name.Name && codeName.MatchString(v) {
						codes = append(codes, v)
						// Each stage's codes are in its codes.go, each
						// with an example of what reports it.
						if filepath.Base(path) != "codes.go" {
							t.Errorf("%s: the code %s is declared outside the package's codes.go", path, v)
						}
						if !strings.Contains(vs.Doc.Text(), "Example:") {
							t.Errorf("%s: the code %s has no Example: in its documentation", path, v)
						}
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(codes) < 30 {
		t.Fatalf("found only %d codes: the search is broken", len(codes))
	}
	for _, c := range codes {
		if !strings.Contains(string(readme), "`"+c+"`") {
			t.Errorf("README does not list the diagnostic code %s", c)
		}
	}
}

// tourNow is the day the tour is read on: before its flow expires.
var tourNow = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

// TestREADMETourCompiles: the policy on the README's front page compiles
// without errors, as every example a newcomer copies must.
func TestREADMETourCompiles(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	body := tourOf(t, string(readme))
	p := load.FromSources(map[string][]byte{"production.intent": []byte(body)}, compiler.Options{Now: tourNow})
	if p.Diags.HasErrors() {
		t.Errorf("the README's tour does not compile: %v", p.Diags)
	}
}

// TestLinksResolve: every relative link of the README and the docs pages
// names a file that exists, and the README stays a front page.
func TestLinksResolve(t *testing.T) {
	link := regexp.MustCompile(`\]\(([^)#:]+\.md)(#[^)]*)?\)`)
	pages, _ := filepath.Glob("../../docs/*.md")
	pages = append(pages, "../../README.md")
	for _, page := range pages {
		data, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range link.FindAllStringSubmatch(string(data), -1) {
			if _, err := os.Stat(filepath.Join(filepath.Dir(page), m[1])); err != nil {
				t.Errorf("%s links to %s, which does not exist", page, m[1])
			}
		}
		if filepath.Base(page) == "README.md" {
			if n := strings.Count(string(data), "\n"); n >= 200 {
				t.Errorf("the README has %d lines: it is the front page, the rest belongs in docs/", n)
			}
		}
	}
}
