// Package testkit is what sgc's tests share: the fixed "today" policies
// are compiled at, compiling a policy that must have no errors, and
// finding the real tools (terraform and its provider mirror, moto,
// cfn-lint), skipping without them or failing where CI requires them.
package testkit

import (
	"bytes"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/sgc-dev/sgc/compiler"
	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/lang/diag"
	"github.com/sgc-dev/sgc/load"
)

// Now is the fixed "today" of the policies tests compile.
var Now = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

// Compile compiles a policy that must have no errors, as of Now.
func Compile(t testing.TB, srcs map[string][]byte) *model.Program {
	t.Helper()
	p := load.FromSources(srcs, compiler.Options{Now: Now})
	if p.Diags.HasErrors() {
		var b bytes.Buffer
		diag.Fprint(&b, p.Sources, p.Diags)
		t.Fatalf("policy has errors:\n%s", b.String())
	}
	return p.Program
}

// Need returns the path of tool, or skips the test without it; with the
// environment variable require set (as CI sets it), a missing tool fails
// the test instead.
func Need(t testing.TB, tool, require string) string {
	t.Helper()
	path, err := exec.LookPath(tool)
	if err != nil {
		if os.Getenv(require) != "" {
			t.Fatalf("%s is required (%s) but not installed: %v", tool, require, err)
		}
		t.Skipf("%s is not installed: this test is skipped", tool)
	}
	return path
}

// PluginDir holds the hashicorp/aws provider for offline runs: the machine
// image ships it in /opt/tf-plugins; SGC_TF_PLUGIN_DIR overrides it.
func PluginDir() string {
	if d := os.Getenv("SGC_TF_PLUGIN_DIR"); d != "" {
		return d
	}
	return "/opt/tf-plugins"
}

// NeedTerraform returns the path of terraform, and requires the provider
// mirror (PluginDir) as Need requires a tool.
func NeedTerraform(t testing.TB, require string) string {
	t.Helper()
	tf := Need(t, "terraform", require)
	if _, err := os.Stat(PluginDir()); err != nil {
		if os.Getenv(require) != "" {
			t.Fatalf("the provider mirror %s is required (%s): %v", PluginDir(), require, err)
		}
		t.Skipf("the provider mirror %s is missing: %v", PluginDir(), err)
	}
	return tf
}
