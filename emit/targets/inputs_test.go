package targets_test

import (
	"strings"
	"testing"

	"github.com/sgc-dev/sgc/compiler"
	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/emit/targets"
	"github.com/sgc-dev/sgc/internal/testkit"
	"github.com/sgc-dev/sgc/load"
)

const inputsPolicy = `group app-servers "Application servers"
external bastion sg-0123456789abcdef0 "Bastion hosts"
external logging "Central logging"
bastion -> app-servers tcp/22 because "admin access"
app-servers -> logging udp/514 because "syslog to central logging"
`

func fuzzProgram(t testing.TB) *model.Program {
	p := load.FromSources(map[string][]byte{"p.intent": []byte(inputsPolicy)}, compiler.Options{Now: testkit.Now})
	if p.Diags.HasErrors() {
		t.Fatal(p.Diags)
	}
	return p.Program
}

// TestReadVarFile: a tfvars file is read as literal values; the input of
// an external is found, other variables are left alone, and what is not
// data (a stack bomb, an expression that runs for minutes) is an error,
// at once.
func TestReadVarFile(t *testing.T) {
	p := fuzzProgram(t)
	for _, tc := range []struct{ name, src, want, err string }{
		{"literal", "logging_security_group_id = \"sg-0123456789abcdef1\"\nother = 3\n", "sg-0123456789abcdef1", ""},
		{"parameters", `[{"ParameterKey": "LoggingSecurityGroupId", "ParameterValue": "sg-0123456789abcdef1"}]`, "sg-0123456789abcdef1", ""},
		{"nested brackets", "x = " + strings.Repeat("[", 200000) + strings.Repeat("]", 200000), "", "nested more than"},
		{"nested for", "x = [for a in [1,2,3,4,5,6,7,8,9,10]: [for b in [1,2,3,4,5,6,7,8,9,10]: [for c in [1,2,3]: c]]]", "", "for expression"},
		{"template", "logging_security_group_id = \"sg-${\"0123456789abcdef1\"}\"", "", "template"},
		{"not an id", "logging_security_group_id = \"sg-x\"", "", "not a security group id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := targets.ReadInputs("prod.tfvars", []byte(tc.src), p)
			switch {
			case tc.err != "":
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Errorf("error %v, want one saying %q", err, tc.err)
				}
			case err != nil:
				t.Fatal(err)
			case got["logging"] != tc.want:
				t.Errorf("logging = %q, want %q (%v)", got["logging"], tc.want, got)
			}
		})
	}
}

// FuzzVarFile: any var file is read or refused, never a crash, and
// whatever it yields is a group id.
func FuzzVarFile(f *testing.F) {
	for _, s := range []string{
		"logging_security_group_id = \"sg-0123456789abcdef1\"\n",
		`[{"ParameterKey": "LoggingSecurityGroupId", "ParameterValue": "sg-0123456789abcdef1"}]`,
		"x = [[[{a = -1}]]]\n", "x = <<EOT\nsg-1\nEOT\n", "x = 1 + 1\n",
	} {
		f.Add([]byte(s))
	}
	p := fuzzProgram(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		got, err := targets.ReadInputs("f.tfvars", src, p)
		if err != nil {
			return
		}
		for name, id := range got {
			if !strings.HasPrefix(id, "sg-") {
				t.Fatalf("%s = %q", name, id)
			}
		}
	})
}
