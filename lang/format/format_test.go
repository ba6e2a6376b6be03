package format_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/sgc-dev/sgc/internal/golden"
	"github.com/sgc-dev/sgc/lang/diag"
	"github.com/sgc-dev/sgc/lang/format"
	"github.com/sgc-dev/sgc/lang/source"
)

// TestGolden formats in.intent into out.intent, and checks that formatting
// the output again changes nothing.
func TestGolden(t *testing.T) {
	golden.Run(t, "testdata", func(t *testing.T, a *txtar.Archive) map[string]string {
		src := golden.Input(a, "in.intent")
		out, diags := format.Source("in.intent", src)
		var d strings.Builder
		diag.Fprint(&d, source.Files{"in.intent": {Name: "in.intent", Src: src}}, diags)
		if out != nil {
			again, _ := format.Source("out.intent", out)
			if !bytes.Equal(again, out) {
				t.Errorf("format is not idempotent:\n--- once\n%s\n--- twice\n%s", out, again)
			}
		}
		return map[string]string{"out.intent": string(out), "diagnostics": d.String()}
	})
}

// TestIdempotentOnTestdata formats every intent file kept in the
// repository's test data and examples, and requires a second pass to
// change nothing.
func TestIdempotentOnTestdata(t *testing.T) {
	var files []string
	for _, pattern := range []string{"../../examples/*/*.intent"} {
		m, _ := filepath.Glob(pattern)
		files = append(files, m...)
	}
	archives, _ := filepath.Glob("../../*/testdata/*.txtar")
	more, _ := filepath.Glob("../../*/*/testdata/*.txtar")
	archives = append(archives, more...)
	n := 0
	check := func(name string, src []byte) {
		once, diags := format.Source(name, src)
		if diags.HasErrors() {
			return // error cases have no canonical form
		}
		n++
		twice, _ := format.Source(name, once)
		if !bytes.Equal(once, twice) {
			t.Errorf("%s: format is not idempotent:\n--- once\n%s\n--- twice\n%s", name, once, twice)
		}
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		check(f, src)
	}
	for _, path := range archives {
		a, err := txtar.ParseFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range a.Files {
			if strings.HasSuffix(f.Name, ".intent") {
				check(path+"/"+f.Name, f.Data)
			}
		}
	}
	if n < 10 {
		t.Fatalf("only %d files formatted; the globs are wrong", n)
	}
}
