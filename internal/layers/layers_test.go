package layers

import (
	"go/build"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

const module = "github.com/sgc-dev/sgc/"

// leaves are the internal packages anything may use: they import no
// package of sgc's but each other's (hclfile: lang's diagnostics).
var leaves = []string{"internal/awsform", "internal/fsutil", "internal/limits", "internal/markdown",
	"internal/naming", "internal/parallel", "internal/hclfile", "internal/testproc", "internal/plan", "internal/outdir", "internal/ghcomment", "internal/gcpace"}

var lang = []string{"lang/source", "lang/diag", "lang/ast", "lang/parser", "lang/format"}

// allowed lists, for each package, the packages of sgc's it may import
// besides the leaves. A package not listed (the CLI, tests, the
// performance kit) may import anything.
var allowed = map[string][]string{
	"lang/source":         {},
	"lang/diag":           {"lang/source"},
	"lang/ast":            {"lang/source"},
	"lang/parser":         {"lang/source", "lang/diag", "lang/ast"},
	"lang/format":         {"lang/source", "lang/diag", "lang/ast", "lang/parser"},
	"internal/hclfile":    {"lang/source", "lang/diag"},
	"internal/motoserver": {},
	"compiler/model":      {"lang/source"},
	"compiler":            append([]string{"compiler/model"}, lang...),
	"compiler/lint":       {"compiler/model", "lang/source", "lang/diag"},
	"compiler/envs":       {"compiler/model", "lang/source", "lang/diag", "lang/ast"},
	"config":              {"compiler/lint", "lang/source", "lang/diag"},
	"config/adopt":        {"compiler/model", "lang/source", "lang/diag"},
	"load":                append([]string{"compiler", "compiler/envs", "compiler/model", "compiler/lint", "config", "config/adopt"}, lang...),
	"emit":                {"compiler/model", "lang/source", "lang/diag"},
	"emit/terraform":      {"emit", "compiler/model", "lang/source", "lang/diag"},
	"emit/cloudformation": {"emit", "compiler/model", "lang/source", "lang/diag"},
	"emit/targets":        {"emit", "emit/terraform", "emit/cloudformation", "compiler/model"},
	"review":              {"compiler/model", "compiler/lint", "lang/source", "lang/diag"},
	"account/live":        {"compiler/model"},
	"account/drift":       {"compiler/model", "account/live", "lang/diag", "lang/ast"},
	"account/tfstate":     {"account/live"},
	"account/cfnstack":    {},
	"account/activity":    {"account/live", "compiler/model"},
	"account/usage":       {"account/live", "compiler/model", "compiler/lint"},
	"account/importer":    {"compiler/model", "account/live", "account/tfstate", "account/cfnstack", "config/adopt", "lang/source", "lang/diag", "lang/ast", "lang/parser", "lang/format", "compiler"},
	"internal/ruleset":    {"compiler/model", "account/live", "emit"},
	"internal/testkit":    {"compiler", "compiler/model", "lang/diag", "load"},
	"playground/api":      {"load", "compiler", "emit", "emit/targets", "review", "lang/diag"},
	"playground/site":     {},
	"lsp":                 {"load", "compiler", "compiler/model", "config", "lang/ast", "lang/diag", "lang/format", "lang/source"},
}

// testOnly are the packages only tests may import: what they hold (fixed
// clocks, skipping without a tool) has no place in the program.
var testOnly = map[string]bool{"internal/testkit": true}

// exceptions are today's edges against the rules, each to be removed (and
// taken out of this list, which the test holds to what exists).
var exceptions = map[string]string{}

func TestImportsGoDownward(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	isLeaf := map[string]bool{}
	for _, l := range leaves {
		isLeaf[l] = true
	}
	seen := map[string]bool{}
	var pkgs []string
	filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		if n := d.Name(); path != root && (strings.HasPrefix(n, ".") || n == "testdata") {
			return filepath.SkipDir
		}
		rel, _ := filepath.Rel(root, path)
		pkgs = append(pkgs, filepath.ToSlash(rel))
		return nil
	})
	sort.Strings(pkgs)
	for _, pkg := range pkgs {
		bp, err := build.ImportDir(filepath.Join(root, pkg), 0)
		if err != nil {
			continue // no Go files
		}
		rules, ruled := allowed[pkg]
		ok := map[string]bool{}
		for _, a := range rules {
			ok[a] = true
		}
		for _, imp := range bp.Imports {
			dep, own := strings.CutPrefix(imp, module)
			if !own {
				continue
			}
			edge := pkg + " -> " + dep
			if testOnly[dep] {
				t.Errorf("%s: only tests may import %s", edge, dep)
			}
			if isLeaf[pkg] && !ok[dep] && isLeaf[dep] {
				continue // leaves may use each other
			}
			if !ruled && !isLeaf[pkg] || ok[dep] || (isLeaf[dep] && !isLeaf[pkg]) {
				continue
			}
			if _, known := exceptions[edge]; known {
				seen[edge] = true
				continue
			}
			t.Errorf("%s: an import against the layers (add it to allowed only if the picture changes, in its own commit)", edge)
		}
	}
	for edge := range exceptions {
		if !seen[edge] {
			t.Errorf("%s is listed as an exception but no longer exists: remove it from the list", edge)
		}
	}
}
