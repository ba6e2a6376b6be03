package adopt_test

import (
	"strings"
	"testing"

	"github.com/sgc-dev/sgc/compiler"
	"github.com/sgc-dev/sgc/config/adopt"
	"github.com/sgc-dev/sgc/internal/awsform"
	"github.com/sgc-dev/sgc/internal/testkit"
	"github.com/sgc-dev/sgc/load"
)

// FuzzAdopt reads arbitrary mapping files against a fixed policy: never a
// crash, and whatever is adopted has AWS's forms and is adopted once.
func FuzzAdopt(f *testing.F) {
	f.Add([]byte(`group "app" {
  id = "sg-0123456789abcdef1"
  live_name = "app servers"
  description = "App (old)"
}
rule "sgr-0123456789abcdef0" {
  group     = "app"
  direction = "egress"
  protocol  = "-1"
  from_port = -1
  to_port   = -1
  peer      = "10.0.0.0/8"
  live_description = ""
}
`))
	f.Add([]byte("group \"db\" {\n  id = \"sg-0123456789abcdef1\"\n}\ngroup \"app\" {\n  id = \"sg-0123456789abcdef1\"\n}\n"))
	f.Add([]byte("x = [[[[{a = \"${1}\"}]]]]\n"))
	p := load.FromSources(map[string][]byte{"p.intent": []byte(policy)}, compiler.Options{Now: testkit.Now})
	if p.Diags.HasErrors() {
		f.Fatal(p.Diags)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		m, _ := adopt.Parse("x.adopt.hcl", src)
		a, _ := adopt.Resolve(m, p.Program)
		if a == nil {
			return
		}
		ids := map[string]bool{}
		for name, g := range a.Groups {
			if ids[g.ID] {
				t.Fatalf("%s adopted twice", g.ID)
			}
			ids[g.ID] = true
			if !awsform.GroupID.MatchString(g.ID) || strings.ContainsAny(g.LiveName+g.Description, "\n\r\"") ||
				strings.Contains(g.Description, "{{resolve:") {
				t.Fatalf("group %s adopted with %+v", name, g)
			}
		}
		for _, r := range a.Rules {
			if ids[r.ID] || !awsform.RuleID.MatchString(r.ID) {
				t.Fatalf("rule %s adopted twice or malformed", r.ID)
			}
			ids[r.ID] = true
		}
	})
}
