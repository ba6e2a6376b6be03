package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRevertRefuses: revert changes the account, so it needs --aws; --yes
// and --dry-run go with it, one at a time. The calls themselves are
// internal/realtools TestRevert, against moto.
func TestRevertRefuses(t *testing.T) {
	dir := writeFiles(t, map[string]string{"p.intent": "group web \"Web\"\ninternet -> web tcp/443 because \"clients\"\n"})
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--live", "-", "--revert"}, "--revert changes the account: give --aws"},
		{[]string{"--live", "-", "--yes"}, "--yes and --dry-run go with --revert"},
		{[]string{"--aws", "--revert", "--yes", "--dry-run"}, "give one"},
	} {
		r := run(t, `{"SecurityGroups": []}`, append([]string{"drift", dir}, tc.args...)...)
		if r.code != 2 || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("drift %v: exit %d, want 2 saying %q:\n%s", tc.args, r.code, tc.want, r.stderr)
		}
	}
}

// TestAuditLogIsOurs: revert appends its audit log only to a log it wrote.
func TestAuditLogIsOurs(t *testing.T) {
	dir := writeFiles(t, map[string]string{"p.intent": "group web \"Web\"\ninternet -> web tcp/443 because \"clients\"\n"})
	notes := filepath.Join(t.TempDir(), "notes.txt")
	os.WriteFile(notes, []byte("my notes\n"), 0o644)
	// Checked before the account is read: no endpoint is needed.
	t.Setenv("AWS_ENDPOINT_URL_EC2", "http://127.0.0.1:9")
	r := run(t, "", "drift", dir, "--aws", "--revert", "--yes", "--audit-log", notes)
	if r.code != 2 || !strings.Contains(r.stderr, "notes.txt was not written by sgc drift --revert; refusing to append to it") {
		t.Errorf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if data, _ := os.ReadFile(notes); string(data) != "my notes\n" {
		t.Errorf("notes.txt changed: %q", data)
	}
}
