package review_test

import (
	"strings"
	"testing"

	"github.com/sgc-dev/sgc/emit"
	"github.com/sgc-dev/sgc/emit/cloudformation"
	"github.com/sgc-dev/sgc/emit/terraform"
)

// TestInputsStayWhileDeclared: removing the last flow of an external
// declared without an id keeps its input (the module's callers pass it
// still); declaring one is a new input every caller must pass, and the
// predicted plan says so, as does removing the declaration.
func TestInputsStayWhileDeclared(t *testing.T) {
	const base = "group app \"App\"\nexternal logging \"Central logging\"\n"
	used := compile(t, map[string][]byte{"p.intent": []byte(base + "app -> logging udp/514 because \"syslog\"\n")})
	unused := compile(t, map[string][]byte{"p.intent": []byte(base + "app -> app tcp/80 because \"self\"\n")})
	gone := compile(t, map[string][]byte{"p.intent": []byte("group app \"App\"\napp -> app tcp/80 because \"self\"\n")})
	for _, target := range []*emit.Target{terraform.Target, cloudformation.Target} {
		if p := emit.PredictPlan(target, used, unused, emit.Options{}); strings.Contains(strings.Join(p.Warnings, "\n"), "input") {
			t.Errorf("%s: the last use removed changes an input: %v", target.Name, p.Warnings)
		}
		if p := emit.PredictPlan(target, gone, unused, emit.Options{}); !strings.Contains(strings.Join(p.Warnings, "\n"), "is new") {
			t.Errorf("%s: a new external: %v", target.Name, p.Warnings)
		}
		if p := emit.PredictPlan(target, unused, gone, emit.Options{}); !strings.Contains(strings.Join(p.Warnings, "\n"), "is gone") {
			t.Errorf("%s: an external removed: %v", target.Name, p.Warnings)
		}
	}
}
