package realtools

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/sgc-dev/sgc/compiler"
	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/load"
)

// now is the fixed "today" of every policy compiled here.
var now = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

// need returns the path of tool, or skips the test without it; with
// SGC_REQUIRE_REALTOOLS set (as CI sets it) a missing tool fails it.
func need(t *testing.T, tool string) string {
	t.Helper()
	path, err := exec.LookPath(tool)
	if err != nil {
		if os.Getenv("SGC_REQUIRE_REALTOOLS") != "" {
			t.Fatalf("%s is required (SGC_REQUIRE_REALTOOLS) but not installed: %v", tool, err)
		}
		t.Skipf("%s is not installed: this test is skipped", tool)
	}
	return path
}

// needTerraform returns the path of terraform, and requires the provider
// mirror beside it as need requires a tool.
func needTerraform(t *testing.T) string {
	t.Helper()
	tf := need(t, "terraform")
	if _, err := os.Stat(pluginDir()); err != nil {
		if os.Getenv("SGC_REQUIRE_REALTOOLS") != "" {
			t.Fatalf("the provider mirror %s is required: %v", pluginDir(), err)
		}
		t.Skipf("the provider mirror %s is missing: %v", pluginDir(), err)
	}
	startProvider(t)
	return tf
}

// examples returns the bundled examples' intent files, by example name.
func examples(t *testing.T) map[string]map[string][]byte {
	t.Helper()
	out := map[string]map[string][]byte{}
	dirs, _ := filepath.Glob("../../examples/*")
	for _, d := range dirs {
		files, _ := filepath.Glob(filepath.Join(d, "*.intent"))
		if len(files) == 0 {
			continue
		}
		srcs := map[string][]byte{}
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			srcs[filepath.Base(f)] = data
		}
		out[filepath.Base(d)] = srcs
	}
	if len(out) == 0 {
		t.Fatal("no examples found")
	}
	return out
}

// compile compiles a policy that must have no errors.
func compile(t *testing.T, srcs map[string][]byte) *model.Program {
	t.Helper()
	p := load.FromSources(srcs, compiler.Options{Now: now})
	if p.Diags.HasErrors() {
		t.Fatalf("policy has errors: %v", p.Diags)
	}
	return p.Program
}
