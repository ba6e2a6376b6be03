package importer_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/sgc-dev/sgc/account/importer"
	"github.com/sgc-dev/sgc/account/live"
	"github.com/sgc-dev/sgc/compiler"
	"github.com/sgc-dev/sgc/lang/diag"
	"github.com/sgc-dev/sgc/load"
)

// FuzzImport feeds arbitrary documents to import. It must never panic,
// and every draft it produces must compile.
func FuzzImport(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*.json")
	more, _ := filepath.Glob("testdata/seeds/*.json")
	for _, path := range append(seeds, more...) {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	// Hostile shapes the corpus should start from: fields that are not in
	// their AWS form.
	f.Add([]byte(`{"SecurityGroups":[{"GroupId":"sg-1\nx","GroupName":"a\nb","VpcId":"../x","IpPermissions":[{"IpProtocol":"tcp","FromPort":-5,"ToPort":-7,"IpRanges":[{"CidrIp":"1.2.3.4/8"}]}]}]}`))
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
			p := load.FromSources(map[string][]byte{d.File: d.Source}, compiler.Options{Now: now})
			if filepath.Base(d.File) != d.File {
				t.Fatalf("draft file name %q leaves the output directory", d.File)
			}
			if p.Diags.HasErrors() {
				var b bytes.Buffer
				diag.Fprint(&b, p.Sources, p.Diags)
				t.Fatalf("draft does not compile:\n%s\n%s", b.String(), d.Source)
			}
		}
	})
}
