// Package examples holds real policies that double as end-to-end tests:
// each must check clean and be formatted.
package examples

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/sgc-dev/sgc/compiler"
	"github.com/sgc-dev/sgc/emit"
	"github.com/sgc-dev/sgc/emit/cloudformation"
	"github.com/sgc-dev/sgc/emit/terraform"
	"github.com/sgc-dev/sgc/internal/golden"
	"github.com/sgc-dev/sgc/lang/diag"
	"github.com/sgc-dev/sgc/lang/format"
	"github.com/sgc-dev/sgc/policy"
)

// Now is the fixed day the examples are judged on, so that their expiry
// dates do not make the tests change with the calendar.
var Now = time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)

// Dirs lists the example policies.
func Dirs(t *testing.T) []string {
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if m, _ := filepath.Glob(filepath.Join(e.Name(), "*.intent")); e.IsDir() && len(m) > 0 {
			out = append(out, e.Name())
		}
	}
	if len(out) < 3 {
		t.Fatalf("found %d examples, want at least 3", len(out))
	}
	return out
}

func TestExamplesCheckClean(t *testing.T) {
	for _, dir := range Dirs(t) {
		t.Run(dir, func(t *testing.T) {
			p, err := policy.Load([]string{dir}, compiler.Options{Now: Now})
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Diags) > 0 {
				var b bytes.Buffer
				diag.Fprint(&b, p.Sources, p.Diags)
				t.Errorf("example has diagnostics:\n%s", b.String())
			}
			if len(p.Program.Rules) == 0 {
				t.Errorf("example produces no rules")
			}
		})
	}
}

func TestExamplesFormatted(t *testing.T) {
	for _, dir := range Dirs(t) {
		files, _ := filepath.Glob(filepath.Join(dir, "*.intent"))
		for _, f := range files {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			out, diags := format.Source(f, src)
			if diags.HasErrors() || !bytes.Equal(out, src) {
				t.Errorf("%s is not formatted: run sgc fmt -w %s", f, f)
			}
		}
	}
}

// TestExamplesOutput regenerates each example's checked-in output (with
// -update) or checks that it is current: readers see real output, and any
// change to it shows up in review.
func TestExamplesOutput(t *testing.T) {
	targets := []*emit.Target{terraform.Target, cloudformation.Target}
	for _, dir := range Dirs(t) {
		p, err := policy.Load([]string{dir}, compiler.Options{Now: Now})
		if err != nil {
			t.Fatal(err)
		}
		for _, target := range targets {
			files, diags := target.Emit(p.Program, emit.Options{})
			if len(diags) > 0 {
				t.Fatalf("%s: %s: %v", dir, target.Name, diags)
			}
			outDir := filepath.Join(dir, target.Name)
			want := map[string]bool{}
			for _, f := range files {
				want[f.Path] = true
				golden.File(t, filepath.Join(outDir, filepath.FromSlash(f.Path)), f.Data)
			}
			entries, _ := os.ReadDir(outDir)
			for _, e := range entries {
				if !want[e.Name()] {
					t.Errorf("%s holds %s, which the policy no longer produces", outDir, e.Name())
				}
			}
		}
	}
}
