// Package vscode holds the tests of the VS Code extension: its TextMate
// grammar against fixtures (vscode-tmgrammar-test), its package (vsce),
// and the grammar's words against the language's.
package vscode

import (
	"archive/zip"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sgc-dev/sgc/internal/testkit"
	"github.com/sgc-dev/sgc/lang/ast"
)

// TestGrammarKnowsTheKeywords: every declaration keyword of the language
// is highlighted as one, and the statement keywords too; a keyword added
// to the language without the grammar fails here.
func TestGrammarKnowsTheKeywords(t *testing.T) {
	data, err := os.ReadFile("syntaxes/sgc.tmLanguage.json")
	if err != nil {
		t.Fatal(err)
	}
	var g struct {
		Repository map[string]struct {
			Match string `json:"match"`
		} `json:"repository"`
	}
	if err := json.Unmarshal(data, &g); err != nil {
		t.Fatal(err)
	}
	decl, kw := g.Repository["declaration"].Match, g.Repository["keyword"].Match
	for _, k := range append(append([]string{}, ast.Decls...), "environment") {
		if !strings.Contains(decl, k) {
			t.Errorf("the grammar's declarations lack %q", k)
		}
	}
	for _, k := range []string{"never", "because", "until", "except", "in", "internet-facing", "formerly", "also-in", "owner", "load-balancer", "max-entries", "account", "via", "region"} {
		if !strings.Contains(kw, "|"+k+"|") && !strings.Contains(kw, "("+k+"|") && !strings.Contains(kw, "|"+k+")") {
			t.Errorf("the grammar's keywords lack %q", k)
		}
	}
}

// node returns npx, skipping (or, with SGC_REQUIRE_EDITORS, failing)
// where Node.js or the extension's packages are not installed.
func node(t *testing.T) string {
	t.Helper()
	npx := testkit.Need(t, "npx", "SGC_REQUIRE_EDITORS")
	if _, err := os.Stat("node_modules/.bin/vscode-tmgrammar-test"); err != nil {
		if os.Getenv("SGC_REQUIRE_EDITORS") != "" {
			t.Fatalf("the extension's packages are required (SGC_REQUIRE_EDITORS): npm ci in editors/vscode")
		}
		t.Skip("the extension's packages are not installed (npm ci in editors/vscode)")
	}
	return npx
}

// TestGrammar runs the grammar's fixtures: each assertion line says the
// scopes of the line above.
func TestGrammar(t *testing.T) {
	npx := node(t)
	t.Parallel()
	out, err := exec.Command(npx, "--no-install", "vscode-tmgrammar-test", "test/*.intent").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "run successfuly") {
		t.Fatalf("vscode-tmgrammar-test: %v\n%s", err, out)
	}
}

// TestPackage packages the extension with vsce and checks the .vsix holds
// the client, the grammar, the language configuration and the client
// library, and leaves the tests out.
func TestPackage(t *testing.T) {
	npx := node(t)
	t.Parallel()
	vsix := filepath.Join(t.TempDir(), "sgc-intent.vsix")
	out, err := exec.Command(npx, "--no-install", "vsce", "package", "--allow-missing-repository", "-o", vsix).CombinedOutput()
	if err != nil {
		t.Fatalf("vsce package: %v\n%s", err, out)
	}
	z, err := zip.OpenReader(vsix)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	have := map[string]bool{}
	for _, f := range z.File {
		have[f.Name] = true
	}
	for _, want := range []string{"extension/package.json", "extension/extension.js", "extension/syntaxes/sgc.tmLanguage.json",
		"extension/language-configuration.json", "extension/node_modules/vscode-languageclient/package.json"} {
		if !have[want] {
			t.Errorf("the package lacks %s", want)
		}
	}
	if have["extension/test/syntax.intent"] {
		t.Errorf("the package holds the tests")
	}
}
