package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestAdoptionMappingRefusals: a mapping that adopts one live group as two
// intent groups (which put the web group's internet ingress on the
// database group), a value AWS would refuse, a CloudFormation dynamic
// reference, or a mapping file that is not a regular file stops the build
// before anything is written, for both targets.
func TestAdoptionMappingRefusals(t *testing.T) {
	const policy = "group web \"Web\" internet-facing\ngroup db \"DB\"\n\ninternet -> web all because \"the public web\"\nweb -> db tcp/5432 because \"order queries\"\nnever internet -> db because \"databases are private\"\n"
	for _, tc := range []struct{ name, mapping, want string }{
		{"one group twice", "group \"web\" {\n  id = \"sg-0123456789abcdef0\"\n}\ngroup \"db\" {\n  id = \"sg-0123456789abcdef0\"\n}\n", `adopted as group "web" and as group "db"`},
		{"a newline in a live name", "group \"db\" {\n  id = \"sg-0123456789abcdef0\"\n  live_name = \"x\\n    Properties: {}\"\n}\n", "live_name"},
		{"a dynamic reference", "group \"db\" {\n  id = \"sg-0123456789abcdef0\"\n  description = \"{{resolve:secretsmanager:db}}\"\n}\n", "dynamic reference"},
	} {
		for _, target := range []string{"terraform", "cloudformation"} {
			t.Run(tc.name+"/"+target, func(t *testing.T) {
				dir := writeFiles(t, map[string]string{"p.intent": policy, "p.adopt.hcl": tc.mapping})
				out := filepath.Join(t.TempDir(), "out")
				r := run(t, "", "build", dir, "-t", target, "-o", out)
				if r.code != 1 || !strings.Contains(r.stderr, tc.want) || !strings.Contains(r.stderr, "p.adopt.hcl:") {
					t.Errorf("exit %d, want 1 with %q at the mapping\n%s", r.code, tc.want, r.stderr)
				}
				if _, err := os.Stat(out); err == nil {
					t.Errorf("the refused build wrote %s", out)
				}
			})
		}
	}
	t.Run("a FIFO", func(t *testing.T) {
		dir := writeFiles(t, map[string]string{"p.intent": policy})
		if err := syscall.Mkfifo(filepath.Join(dir, "p.adopt.hcl"), 0o644); err != nil {
			t.Skip(err)
		}
		if r := run(t, "", "check", dir); r.code != 2 || !strings.Contains(r.stderr, "not a regular file") {
			t.Errorf("exit %d\n%s", r.code, r.stderr)
		}
	})
	t.Run("a link to /dev/zero", func(t *testing.T) {
		dir := writeFiles(t, map[string]string{"p.intent": policy})
		os.Symlink("/dev/zero", filepath.Join(dir, "p.adopt.hcl"))
		if r := run(t, "", "check", dir); r.code != 2 || !strings.Contains(r.stderr, "not a regular file") {
			t.Errorf("exit %d\n%s", r.code, r.stderr)
		}
	})
}
