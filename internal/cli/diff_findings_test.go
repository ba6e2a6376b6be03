package cli_test

import (
	"encoding/json"
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

// TestDiffApprovals: a flow change needs the approval of the owner of each
// group it goes into or out of, once per owner; an unowned group needs
// none; in every format.
func TestDiffApprovals(t *testing.T) {
	base := "group web \"Web servers\" owner acme/web-team\ngroup db \"Databases\" owner acme/dba\ngroup batch \"Batch jobs\"\n" +
		"web -> db tcp/5432 because \"the site reads orders\"\n"
	dir := t.TempDir()
	old, cur := filepath.Join(dir, "old"), filepath.Join(dir, "new")
	os.MkdirAll(old, 0o755)
	os.MkdirAll(cur, 0o755)
	os.WriteFile(filepath.Join(old, "p.intent"), []byte(base), 0o644)
	os.WriteFile(filepath.Join(cur, "p.intent"), []byte(base+"batch -> db tcp/5432 because \"nightly exports\"\nbatch -> batch tcp/7000 because \"workers talk\"\n"), 0o644)
	r := run(t, "", "diff", old, cur, "--format", "json")
	var doc struct {
		Approvals []struct {
			Owner   string
			Changes []string
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil || len(doc.Approvals) != 1 || doc.Approvals[0].Owner != "acme/dba" ||
		len(doc.Approvals[0].Changes) != 1 || !strings.Contains(doc.Approvals[0].Changes[0], "batch -> db tcp/5432") {
		t.Errorf("json (%v):\n%s", err, r.stdout)
	}
	if r := run(t, "", "diff", old, cur, "--format", "markdown"); !strings.Contains(r.stdout, "### Approvals needed\n\n- @acme/dba: `added batch -> db tcp/5432") {
		t.Errorf("markdown:\n%s", r.stdout)
	}
	// sgc.hcl gives the groups of a file that name none an owner.
	os.WriteFile(filepath.Join(cur, "sgc.hcl"), []byte("owners {\n  files = { \"p*.intent\" = \"acme/batch\" }\n}\n"), 0o644)
	if r := run(t, "", "diff", old, cur); !strings.Contains(r.stdout, "@acme/batch\n    added batch -> batch tcp/7000") || !strings.Contains(r.stdout, "@acme/dba\n    added batch -> db tcp/5432") {
		t.Errorf("default owners:\n%s%s", r.stdout, r.stderr)
	}
	os.WriteFile(filepath.Join(cur, "sgc.hcl"), []byte("owners {\n  files = { \"p.intent\" = \"@acme\" }\n}\n"), 0o644)
	if r := run(t, "", "check", cur); r.code != 1 || !strings.Contains(r.stdout+r.stderr, `owners: "p.intent" = "@acme": want a file pattern and a GitHub user or org/team`) {
		t.Errorf("a bad owner in sgc.hcl: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}
