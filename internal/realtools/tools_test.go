package realtools

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/sgc-dev/sgc/compiler"
	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/internal/testkit"
	"github.com/sgc-dev/sgc/load"
)

// now is the fixed "today" of every policy compiled here.
var now = testkit.Now

// need returns the path of tool, or skips the test without it; with
// SGC_REQUIRE_REALTOOLS set (as CI sets it) a missing tool fails it.
func need(t *testing.T, tool string) string {
	t.Helper()
	return testkit.Need(t, tool, "SGC_REQUIRE_REALTOOLS")
}

// needTerraform returns the path of terraform, and requires the provider
// mirror beside it as need requires a tool. The test then names its
// emulator with useEndpoint before its first terraform command.
func needTerraform(t *testing.T) string {
	t.Helper()
	return testkit.NeedTerraform(t, "SGC_REQUIRE_REALTOOLS")
}

// examples returns the bundled examples' intent files, by example name:
// those without environments (TestTerraformApply applies a policy with
// them, and TestCfnLint lints the environment examples' templates).
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
		if load.FromSources(srcs, compiler.Options{Now: testkit.Now}).Environments != nil {
			continue
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
	return testkit.Compile(t, srcs)
}
