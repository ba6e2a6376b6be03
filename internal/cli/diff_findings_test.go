package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sgc-dev/sgc/internal/testkit"
)

// TestDiffNewFindings: diff lists the lint findings the new version has
// and the old did not — a finding both have (moved by an edit above it)
// is not new — in every format, against a git revision as between paths.
func TestDiffNewFindings(t *testing.T) {
	testkit.Need(t, "git", "SGC_REQUIRE_REALTOOLS")
	repo := t.TempDir()
	policyDir := filepath.Join(repo, "policy")
	os.MkdirAll(policyDir, 0o755)
	v1 := "group web \"Web\"\ngroup app \"App\"\nweb -> app tcp/8080 because \"tmp\"\n"
	v2 := "# a comment moves every line\n" + v1 + "web -> app tcp/9090 because \"todo\"\n"
	write := func(s string) { os.WriteFile(filepath.Join(policyDir, "p.intent"), []byte(s), 0o644) }
	gitRun(t, repo, "init", "-q")
	write(v1)
	gitRun(t, repo, "add", ".")
	gitRun(t, repo, "commit", "-qm", "v1")
	write(v2)
	t.Chdir(repo)
	r := run(t, "", "diff", "--git", "HEAD", "--format", "markdown", "policy")
	if !strings.Contains(r.stdout, "### New findings") || !strings.Contains(r.stdout, `purpose "todo" does not say why the flow exists (policy/p.intent:5)`) ||
		strings.Contains(r.stdout, `purpose "tmp"`) {
		t.Errorf("markdown: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := run(t, "", "diff", "--git", "HEAD", "--format", "json", "policy"); !strings.Contains(r.stdout, `"code": "SG113"`) {
		t.Errorf("json:\n%s", r.stdout)
	}
	if r := run(t, "", "diff", "--git", "HEAD", "policy"); !strings.Contains(r.stdout, "New findings:") {
		t.Errorf("text:\n%s", r.stdout)
	}
	write(v1)
	if r := run(t, "", "diff", "--git", "HEAD", "--format", "markdown", "policy"); strings.Contains(r.stdout, "New findings") {
		t.Errorf("no change, yet new findings:\n%s", r.stdout)
	}
}
