package cloudformation_test

import (
	"strings"
	"testing"

	"github.com/sgc-dev/sgc/emit"
	"github.com/sgc-dev/sgc/internal/ruleset"
)

// TestDollarBraceIsLiteral: a purpose or description with "${...}" reaches
// AWS exactly as written, and no string of the template outside Fn::Sub
// holds "${" (which cfn-lint reports as E1029); an external without an id
// that no rule uses is no parameter (cfn-lint W2001).
func TestDollarBraceIsLiteral(t *testing.T) {
	p := compile(t, map[string][]byte{"a.intent": []byte(`group web "Web ${AWS::Region}"
group db "Database"
external unused "Nobody uses it ${x}"
external logging "Central logging"
web -> db tcp/5432 because "cost center ${ops-42} and ${AWS::StackName}"
web -> logging udp/514 because "syslog"
`)})
	for _, opts := range []emit.Options{{}, {Format: "json"}, {Split: true}} {
		files := build(t, p, opts)
		for name, tpl := range templates(t, files) {
			var walk func(v any, inSub bool)
			walk = func(v any, inSub bool) {
				switch v := v.(type) {
				case string:
					if !inSub && strings.Contains(v, "${") {
						t.Errorf("%+v %s: %q outside Fn::Sub", opts, name, v)
					}
				case map[string]any:
					for k, e := range v {
						walk(e, inSub || k == "Fn::Sub")
					}
				case []any:
					for _, e := range v {
						walk(e, inSub)
					}
				}
			}
			walk(map[string]any(tpl), false)
			// An external no rule uses keeps its parameter (the stack's
			// parameters stay while it is declared), used by an output.
			if _, ok := tpl.Section("Parameters")["UnusedSecurityGroupId"]; !ok && !opts.Split {
				t.Errorf("%+v %s: no parameter for the external no rule uses", opts, name)
			}
			if _, ok := tpl.Section("Outputs")["UnusedSecurityGroupIdGiven"]; !ok && !opts.Split {
				t.Errorf("%+v %s: no output uses the parameter of the external no rule uses", opts, name)
			}
		}
		got, err := ruleset.FromCloudFormation(files)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(got.String(), "cost center ${ops-42} and ${AWS::StackName}") {
			t.Errorf("%+v: the purpose does not read back as written:\n%s", opts, got)
		}
	}
}
