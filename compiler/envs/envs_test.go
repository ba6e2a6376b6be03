package envs_test

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

// TestGolden compiles and lints each archive's policy and renders the
// policy's diagnostics (merged over the environments) and each
// environment's model.
func TestGolden(t *testing.T) {
	golden.Run(t, "testdata", func(t *testing.T, a *txtar.Archive) map[string]string {
		p := load.FromSources(golden.Inputs(a, ".intent"), compiler.Options{Now: testkit.Now})
		p.RunLint()
		var d strings.Builder
		diag.Fprint(&d, p.Sources, p.Diags)
		out := map[string]string{"diagnostics": d.String()}
		for _, e := range p.Envs {
			var m strings.Builder
			e.Program.Dump(&m)
			out["model."+e.Name] = m.String()
		}
		return out
	})
}
