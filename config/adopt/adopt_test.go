package adopt_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/sgc-dev/sgc/compiler"
	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/config/adopt"
	"github.com/sgc-dev/sgc/internal/testkit"
	"github.com/sgc-dev/sgc/load"
)

const policy = `group lb-web "LB"
group app "App"
group db "Database"
network inside 10.0.0.0/8 "Inside"
internet -> lb-web tcp/443 because "clients"
lb-web -> app tcp/8080 because "forwarding"
app -> inside all because "everything inside"
app -> db tcp/5432 because "queries"
`

func program(t *testing.T) *model.Program {
	t.Helper()
	p := load.FromSources(map[string][]byte{"p.intent": []byte(policy)}, compiler.Options{Now: testkit.Now})
	if p.Diags.HasErrors() {
		t.Fatal(p.Diags)
	}
	return p.Program
}

// TestRoundTripAndMatch: a mapping written reads back equal, and it adopts
// exactly the rules of the policy it names, by their AWS identity.
func TestRoundTripAndMatch(t *testing.T) {
	m := &adopt.Mapping{
		Groups: []adopt.Group{{Name: "lb-web", ID: "sg-0123456789abcdef0", LiveName: "lb web", Description: "LB front ${x}"},
			{Name: "app", ID: "sg-0123456789abcdef1"}},
		Rules: []adopt.Rule{
			{ID: "sgr-0123456789abcdef0", Group: "app", Direction: "ingress", Protocol: "tcp", FromPort: 8080, ToPort: 8080, Peer: "group:lb-web"},
			{ID: "sgr-0123456789abcdef1", Group: "lb-web", Direction: "ingress", Protocol: "tcp", FromPort: 443, ToPort: 443, Peer: "0.0.0.0/0"},
			{ID: "sgr-0123456789abcdef2", Group: "app", Direction: "egress", Protocol: "-1", FromPort: -1, ToPort: -1, Peer: "10.0.0.0/8", LiveDescription: ptr("")},
		},
	}
	src := adopt.Write(m, "a header\nof two lines")
	back, diags := adopt.Parse("x.adopt.hcl", src)
	if diags.HasErrors() {
		t.Fatalf("%v\n%s", diags, src)
	}
	if !strings.HasPrefix(string(src), "# a header\n# of two lines\n") {
		t.Errorf("header:\n%s", src)
	}
	// Write sorts groups by name and rules by key; nothing else changes.
	for i := range back.Groups {
		back.Groups[i].At = hcl.Range{}
	}
	for i := range back.Rules {
		back.Rules[i].At = hcl.Range{}
	}
	sorted := &adopt.Mapping{Groups: []adopt.Group{m.Groups[1], m.Groups[0]}, Rules: []adopt.Rule{m.Rules[2], m.Rules[0], m.Rules[1]}}
	if !reflect.DeepEqual(back, sorted) {
		t.Errorf("read back %+v, want %+v", back, sorted)
	}
	p := program(t)
	a, diags := adopt.Resolve(back, p)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	got := map[string]string{}
	for _, r := range p.Rules {
		if r.Group.Name != "db" {
			got[r.Key()] = a.RuleID(r)
		}
	}
	want := map[string]string{
		"app|ingress|tcp|8080|8080|group:lb-web":    "sgr-0123456789abcdef0",
		"lb-web|ingress|tcp|443|443|cidr:0.0.0.0/0": "sgr-0123456789abcdef1",
		"app|egress|-1|-1|-1|cidr:10.0.0.0/8":       "sgr-0123456789abcdef2",
		"app|egress|tcp|5432|5432|group:db":         "",
		"lb-web|egress|tcp|8080|8080|group:app":     "",
		"lb-web|ingress|tcp|443|443|cidr:::/0":      "",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("adopted rules:\n%v\nwant\n%v", got, want)
	}
	notes := strings.Join(adopt.Notes(a, p), "\n")
	for _, s := range []string{`keeps its AWS name "lb web"`, "adopting 2 groups and 3 rules; 4 rules", "created",
		`its description "" becomes "everything inside", in place`} {
		if !strings.Contains(notes, s) {
			t.Errorf("notes lack %q:\n%s", s, notes)
		}
	}
}

// TestResolveRefuses: whatever would adopt one live object twice, or put
// a value AWS does not accept into a template, is an error at its entry.
// The first case is the one that opened a database group to the internet:
// the web group's rules were put on the database group it also adopted.
func TestResolveRefuses(t *testing.T) {
	const (
		web = `group "lb-web" {
  id = "sg-0123456789abcdef0"
}
`
		rule = `rule "sgr-0123456789abcdef0" {
  group     = "app"
  direction = "ingress"
  protocol  = "tcp"
  from_port = 8080
  to_port   = 8080
  peer      = "group:lb-web"
}
`
		app = `group "app" {
  id = "sg-0123456789abcdef1"
}
`
	)
	for _, tc := range []struct{ name, src, want string }{
		{"one live group for two intent groups", web + `group "db" {
  id = "sg-0123456789abcdef0"
}
`, `sg-0123456789abcdef0 is adopted as group "lb-web" and as group "db"`},
		{"one intent group mapped twice", web + `group "lb-web" {
  id = "sg-0123456789abcdef9"
}
`, `group "lb-web" is mapped twice`},
		{"one live rule twice", app + web + rule + strings.Replace(rule, "8080", "8081", 2), "rule sgr-0123456789abcdef0 is adopted twice"},
		{"one intent rule twice", app + web + rule + strings.Replace(rule, "sgr-0123456789abcdef0", "sgr-0123456789abcdef1", 1), "is mapped twice, to sgr-0123456789abcdef0 and sgr-0123456789abcdef1"},
		{"a newline in a live name", `group "app" {
  id = "sg-0123456789abcdef1"
  live_name = "x\nProperties: {}"
}
`, `live_name: the group name holds '\n'`},
		{"a dynamic reference in a description", `group "app" {
  id = "sg-0123456789abcdef1"
  description = "{{resolve:ssm:/prod/db/password}}"
}
`, "dynamic reference"},
		{"a name AWS reserves", `group "app" {
  id = "sg-0123456789abcdef1"
  live_name = "sg-web"
}
`, "begins with sg-"},
		{"a long description", `group "app" {
  id = "sg-0123456789abcdef1"
  description = "` + strings.Repeat("x", 256) + `"
}
`, "256 bytes"},
		{"a malformed group id", `group "app" {
  id = "sg-XYZ"
}
`, "not a security group id"},
		{"a malformed rule id", app + strings.Replace(rule, "sgr-0123456789abcdef0", "sgr-1", 1), "not a security group rule id"},
		{"ports out of range", app + strings.Replace(rule, "to_port   = 8080", "to_port   = 70000", 1), "not a port range"},
		{"a bad peer", app + strings.Replace(rule, "group:lb-web", "10.0.0.1/8", 1), "is not an address block"},
		{"a peer group not declared", app + strings.Replace(rule, "group:lb-web", "group:nope", 1), "names no group"},
		{"& in a reference rule's description", app + strings.Replace(rule, `peer      = "group:lb-web"`, `peer      = "group:lb-web"
  live_description = "a & b"`, 1), `holds '&'`},
		{"a reserved tag", `group "app" {
  id = "sg-0123456789abcdef1"
  tags = { "aws:cloudformation:stack-name" = "x" }
}
`, "reserves the aws: prefix"},
		{"a tag with a line break", `group "app" {
  id = "sg-0123456789abcdef1"
  tags = { team = "data\nName: x" }
}
`, "control character"},
		{"an association that is not a VPC id", `group "app" {
  id = "sg-0123456789abcdef1"
  associations = ["vpc-1\nx"]
}
`, "is not a VPC id"},
		{"an association listed twice", `group "app" {
  id = "sg-0123456789abcdef1"
  associations = ["vpc-01234567", "vpc-01234567"]
}
`, "vpc-01234567 is listed twice"},
		{"an expression", `group "app" {
  id = "sg-${1}"
}
`, "not a literal value"},
		{"nested too deep", `x = ` + strings.Repeat("[", 40) + strings.Repeat("]", 40), "nested more than 32"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, diags := adopt.Parse("x.adopt.hcl", []byte(tc.src))
			if m != nil {
				_, d := adopt.Resolve(m, program(t))
				diags = append(diags, d...)
			}
			if !diags.HasErrors() || !strings.Contains(diags.Error(), tc.want) {
				t.Errorf("diagnostics %v, want an error saying %q", diags, tc.want)
			}
			for _, d := range diags {
				if d.Subject.Start.Line == 0 {
					t.Errorf("%s has no position", d.Summary)
				}
			}
		})
	}
}

func ptr(s string) *string { return &s }

// TestLiveRuleNotKept: a live rule of an adopted group that the policy
// does not keep (AWS's allow-all egress, its draft line deleted) is named
// before the apply, with the command that revokes it: neither target
// removes a rule it does not manage.
func TestLiveRuleNotKept(t *testing.T) {
	m, diags := adopt.Parse("x.adopt.hcl", []byte(`group "app" {
  id = "sg-0123456789abcdef1"
}
rule "sgr-0123456789abcdef7" {
  group     = "app"
  direction = "egress"
  protocol  = "-1"
  from_port = -1
  to_port   = -1
  peer      = "0.0.0.0/0"
}
`))
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	_, diags = adopt.Resolve(m, program(t))
	if len(diags) != 1 || diags[0].Severity.String() != "warning" || !strings.Contains(diags[0].Summary, "the apply leaves it open") ||
		!strings.Contains(diags[0].Suggestion, "aws ec2 revoke-security-group-egress --group-id sg-0123456789abcdef1 --security-group-rule-ids sgr-0123456789abcdef7") {
		t.Errorf("diagnostics: %v", diags)
	}
}
