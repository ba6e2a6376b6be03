package adopt_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/sgc-dev/sgc/account/adopt"
	"github.com/sgc-dev/sgc/compiler"
	"github.com/sgc-dev/sgc/load"
)

// TestRoundTripAndMatch: a mapping written reads back equal, and it adopts
// exactly the rules of the policy it names, by their AWS identity.
func TestRoundTripAndMatch(t *testing.T) {
	m := &adopt.Mapping{
		Groups: []adopt.Group{{Name: "lb-web", ID: "sg-0123456789abcdef0", LiveName: "lb web", Description: "LB \"front\" ${x}"},
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
	sorted := &adopt.Mapping{Groups: []adopt.Group{m.Groups[1], m.Groups[0]}, Rules: []adopt.Rule{m.Rules[2], m.Rules[0], m.Rules[1]}}
	if !reflect.DeepEqual(back, sorted) {
		t.Errorf("read back %+v, want %+v", back, sorted)
	}
	p := load.FromSources(map[string][]byte{"p.intent": []byte(`group lb-web "LB"
group app "App"
network inside 10.0.0.0/8 "Inside"
internet -> lb-web tcp/443 because "clients"
lb-web -> app tcp/8080 because "forwarding"
app -> inside all because "everything inside"
`)}, compiler.Options{Now: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)})
	if p.Diags.HasErrors() {
		t.Fatal(p.Diags)
	}
	got := map[string]string{}
	for _, r := range p.Program.Rules {
		got[adopt.KeyOf(r)] = m.RuleID(r)
	}
	want := map[string]string{
		"app|ingress|tcp|8080|8080|group:lb-web": "sgr-0123456789abcdef0",
		"lb-web|ingress|tcp|443|443|0.0.0.0/0":   "sgr-0123456789abcdef1",
		"app|egress|-1|-1|-1|10.0.0.0/8":         "sgr-0123456789abcdef2",
		"lb-web|egress|tcp|8080|8080|group:app":  "",
		"lb-web|ingress|tcp|443|443|::/0":        "",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("adopted rules:\n%v\nwant\n%v", got, want)
	}
	notes := strings.Join(adopt.Notes(m, p.Program), "\n")
	for _, s := range []string{`keeps its AWS name "lb web"`, "adopting 2 groups and 3 rules; 2 rules", "created",
		`its description "" becomes "everything inside", in place`} {
		if !strings.Contains(notes, s) {
			t.Errorf("notes lack %q:\n%s", s, notes)
		}
	}
}

func ptr(s string) *string { return &s }
