package drift_test

import (
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/sgc-dev/sgc/account/drift"
	"github.com/sgc-dev/sgc/account/live"
	"github.com/sgc-dev/sgc/compiler"
	"github.com/sgc-dev/sgc/internal/golden"
	"github.com/sgc-dev/sgc/internal/testkit"
	"github.com/sgc-dev/sgc/load"
)

// TestGolden compares each archive's policy (*.intent) with its export
// (live.json) and writes the report in every format, and the changes that
// revert the account to the intent (drift --revert).
func TestGolden(t *testing.T) {
	golden.Run(t, "testdata", func(t *testing.T, a *txtar.Archive) map[string]string {
		p := load.FromSources(golden.Inputs(a, ".intent"), compiler.Options{Now: testkit.Now})
		if p.Diags.HasErrors() {
			t.Fatal(p.Diags)
		}
		e, err := live.Parse(golden.Input(a, "live.json"))
		if err != nil {
			t.Fatal(err)
		}
		rep, err := drift.Compare(p.Program, e)
		if err != nil {
			t.Fatal(err)
		}
		var text, md, js strings.Builder
		rep.WriteText(&text)
		rep.WriteMarkdown(&md)
		rep.WriteJSON(&js)
		var changes strings.Builder
		cs, held := rep.Changes()
		for _, c := range cs {
			changes.WriteString(c.String() + "\n")
		}
		for _, h := range held {
			changes.WriteString("held: " + h + "\n")
		}
		return map[string]string{"report.txt": text.String(), "report.md": md.String(), "report.json": js.String(), "changes.txt": changes.String()}
	})
}
