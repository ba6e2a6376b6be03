package compiler_test

import (
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/sgc-dev/sgc/compiler"
	"github.com/sgc-dev/sgc/internal/golden"
	"github.com/sgc-dev/sgc/internal/testkit"
	"github.com/sgc-dev/sgc/lang/diag"
	"github.com/sgc-dev/sgc/load"
)

// testNow is the fixed "today" of every golden test.
var testNow = testkit.Now

// inputs returns the archive's intent files.
func inputs(a *txtar.Archive) map[string][]byte { return golden.Inputs(a, ".intent") }

// render compiles the archive's files and renders diagnostics and model.
func render(srcs map[string][]byte) map[string]string {
	p := load.FromSources(srcs, compiler.Options{Now: testNow})
	var d, m strings.Builder
	diag.Fprint(&d, p.Sources, p.Diags)
	p.Program.Dump(&m)
	return map[string]string{"diagnostics": d.String(), "model": m.String()}
}

func TestGolden(t *testing.T) {
	golden.Run(t, "testdata", func(t *testing.T, a *txtar.Archive) map[string]string {
		return render(inputs(a))
	})
}
