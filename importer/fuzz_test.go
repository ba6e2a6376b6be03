package importer_test

import (
	"bytes"
	"os"
	"testing"

	"github.com/sgc-dev/sgc/compiler"
	"github.com/sgc-dev/sgc/importer"
	"github.com/sgc-dev/sgc/lang/diag"
	"github.com/sgc-dev/sgc/live"
	"github.com/sgc-dev/sgc/policy"
)

// FuzzImport feeds arbitrary documents to import. It must never panic,
// and every draft it produces must compile.
func FuzzImport(f *testing.F) {
	for _, path := range []string{"testdata/three-tier.json", "testdata/two-vpcs.json",
		"../../shared/fixtures/aws/batfish-hybrid-cloud-us-west-2.json", "../../shared/fixtures/aws/aws-security-viz-dummy.json"} {
		if data, err := os.ReadFile(path); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := live.Parse(data)
		if err != nil {
			return
		}
		drafts, err := importer.Import(e, importer.Options{})
		if err != nil {
			return
		}
		for _, d := range drafts {
			p := policy.FromSources(map[string][]byte{d.File: d.Source}, compiler.Options{Now: now})
			if p.Diags.HasErrors() {
				var b bytes.Buffer
				diag.Fprint(&b, p.Sources, p.Diags)
				t.Fatalf("draft does not compile:\n%s\n%s", b.String(), d.Source)
			}
		}
	})
}
