package docs

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
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
			line = strings.Trim(strings.TrimSpace(line), "'")
			if rest, ok := strings.CutPrefix(line, `"$RUNNER_TEMP/sgc" `); ok {
				commands++
				words := strings.NewReplacer(`"$RUNNER_TEMP/review.md"`, "FILE", `"$BASE"`, "REV", `"$POLICY"`, "DIR", `"$PR"`, "1").Replace(rest)
				checkCommand(t, "action.yml", "sgc "+words)
			}
		}
	}
	if commands != 2 {
		t.Errorf("%d sgc commands in action.yml, want diff and pr-comment", commands)
	}
}
