package api

import (
	"strings"
	"testing"
)

func TestHandle(t *testing.T) {
	bad := Handle(Request{Policy: "group web \"Web\"\ngroup db \"DB\"\nweb -> dbb tcp/5432 because \"orders\"\n", Target: "terraform"})
	if len(bad.Diagnostics) != 1 || bad.Diagnostics[0].Line != 3 || bad.Diagnostics[0].Col != 8 || bad.Diagnostics[0].Code != "UnknownName" ||
		!strings.Contains(bad.Diagnostics[0].Message, `Did you mean "db"?`) || len(bad.Files) != 0 {
		t.Errorf("a policy with an error: %+v", bad)
	}
	good := Handle(Request{Policy: "group web \"Web\"\ngroup db \"DB\"\nweb -> db tcp/5432 because \"the web servers store orders\"\n", Target: "cloudformation",
		Why: &Why{From: "web", To: "db", Port: "tcp/5432"}})
	if len(good.Diagnostics) != 0 || len(good.Files) == 0 || !strings.Contains(good.Files[0].Data, "AWS::EC2::SecurityGroupIngress") ||
		!strings.Contains(good.Graph, "flowchart") || !strings.HasPrefix(good.Why, "allowed: web -> db tcp/5432") {
		t.Errorf("a clean policy: %+v", good)
	}
	if r := Handle(Request{Policy: strings.Repeat("x", MaxPolicy+1)}); r.Error == "" {
		t.Errorf("an oversized policy was taken")
	}
}
