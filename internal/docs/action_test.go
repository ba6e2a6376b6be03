package docs

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/sgc-dev/sgc/internal/testkit"
)

// TestAction: the pull-request action (action.yml) is a composite action
// whose sgc commands exist with the flags it gives them, and which passes
// every value of the event or its inputs through the environment, never
// into a script (a branch name or a label is data).
func TestAction(t *testing.T) {
	data, err := os.ReadFile("../../action.yml")
	if err != nil {
		t.Fatal(err)
	}
	var action struct {
		Runs struct {
			Using string
			Steps []struct {
				Run  string
				Uses string
			}
		}
	}
	if err := yaml.Unmarshal(data, &action); err != nil {
		t.Fatal(err)
	}
	if action.Runs.Using != "composite" {
		t.Errorf("runs.using %q, want composite", action.Runs.Using)
	}
	expr := regexp.MustCompile(`\$\{\{`)
	commands := 0
	for _, s := range action.Runs.Steps {
		if expr.MatchString(s.Run) {
			t.Errorf("a script interpolates an expression: %q", s.Run)
		}
		for _, line := range strings.Split(s.Run, "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "go build") {
				continue // the build of sgc, not a run of it
			}
			parts := strings.Split(line, `"$RUNNER_TEMP/sgc" `)
			for _, rest := range parts[1:] {
				rest, _, _ = strings.Cut(rest, ";")
				commands++
				words := strings.NewReplacer(`"$RUNNER_TEMP/review.md"`, "FILE", `"$RUNNER_TEMP/review.json"`, "FILE", `"$BASE"`, "REV", `"$POLICY"`, "DIR", `"$PR"`, "1").Replace(rest)
				checkCommand(t, "action.yml", "sgc "+words)
			}
		}
	}
	if commands != 5 {
		t.Errorf("%d sgc commands in action.yml, want diff twice (markdown, JSON), pr-comment twice (with and without reviewers) and pr-approved", commands)
	}
}

// TestActionScripts runs the action's own scripts (the diff step and the
// approval step, as GitHub would: bash, the step's environment, an output
// file) on a git repository: a change that widens fails unless the label
// is on the pull request; one that does not passes; a version with errors
// fails whatever the label, and the comment shows sgc's messages indented.
func TestActionScripts(t *testing.T) {
	if testing.Short() {
		t.Skip("builds sgc")
	}
	bash := testkit.Need(t, "bash", "SGC_REQUIRE_REALTOOLS")
	git := testkit.Need(t, "git", "SGC_REQUIRE_REALTOOLS")
	data, err := os.ReadFile("../../action.yml")
	if err != nil {
		t.Fatal(err)
	}
	var action struct {
		Runs struct {
			Steps []struct {
				ID  string
				Run string
			}
		}
	}
	yaml.Unmarshal(data, &action)
	var diffStep, gateStep string
	for _, s := range action.Runs.Steps {
		if s.ID == "diff" {
			diffStep = s.Run
		}
		if strings.Contains(s.Run, "APPROVED") {
			gateStep = s.Run
		}
	}
	tmp := t.TempDir()
	build := exec.Command("go", "build", "-o", filepath.Join(tmp, "sgc"), "../../cmd/sgc")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	repo := t.TempDir()
	gitDo := func(args ...string) {
		cmd := exec.Command(git, args...)
		cmd.Dir = repo
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	os.MkdirAll(filepath.Join(repo, "policy"), 0o755)
	base := "group web \"Web servers\"\ngroup db \"Databases\"\nweb -> db tcp/5432 because \"the site reads orders\"\n"
	os.WriteFile(filepath.Join(repo, "policy", "p.intent"), []byte(base), 0o644)
	gitDo("init", "-q")
	gitDo("add", ".")
	gitDo("commit", "-qm", "base")
	step := func(script string, env ...string) (int, string) {
		out := filepath.Join(tmp, "output")
		os.WriteFile(out, nil, 0o644)
		cmd := exec.Command(bash, "-e", "-c", script)
		cmd.Dir = repo
		cmd.Env = append(os.Environ(), append(env, "RUNNER_TEMP="+tmp, "GITHUB_OUTPUT="+out, "GITHUB_STEP_SUMMARY="+filepath.Join(tmp, "summary"))...)
		logged, err := cmd.CombinedOutput()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		}
		outputs, _ := os.ReadFile(out)
		return code, string(outputs) + string(logged)
	}
	for _, tc := range []struct {
		name, change, approved string
		status                 string
		gate                   int
		comment                string
	}{
		{"narrowing", "group web \"Web servers\"\ngroup db \"Databases\"\n", "false", "status=0", 0, "access narrowed"},
		{"widening", base + "web -> db tcp/6379 because \"the site caches sessions\"\n", "false", "status=1", 1, "### Widened access"},
		{"widening, approved", base + "web -> db tcp/6379 because \"the site caches sessions\"\n", "true", "status=1", 0, "### Widened access"},
		{"errors", base + "web -> nowhere tcp/1 because \"a typo\"\n", "true", "status=error", 1, "cannot compare the versions (exit 1):\n\n    "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			os.WriteFile(filepath.Join(repo, "policy", "p.intent"), []byte(tc.change), 0o644)
			_, outputs := step(diffStep, "BASE=HEAD", "POLICY=policy")
			if !strings.Contains(outputs, tc.status+"\n") {
				t.Fatalf("diff step: %s", outputs)
			}
			status := strings.TrimPrefix(strings.Split(outputs, "\n")[0], "status=")
			comment, _ := os.ReadFile(filepath.Join(tmp, "review.md"))
			if !strings.Contains(string(comment), tc.comment) {
				t.Errorf("the comment:\n%s", comment)
			}
			if code, logged := step(gateStep, "STATUS="+status, "APPROVED="+tc.approved, "LABEL=sgc-widening-approved"); code != tc.gate {
				t.Errorf("the gate: exit %d, want %d\n%s", code, tc.gate, logged)
			}
		})
	}
}
