package targets_test

import (
	"strings"
	"testing"

	"github.com/sgc-dev/sgc/compiler"
	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/emit"
	"github.com/sgc-dev/sgc/emit/targets"
	"github.com/sgc-dev/sgc/internal/synth"
	"github.com/sgc-dev/sgc/internal/testkit"
	"github.com/sgc-dev/sgc/load"
)

var now = testkit.Now

// addresses returns every resource of p's output in target t, by the
// AWS identity of what it manages.
func addresses(t *testing.T, target *emit.Target, p *model.Program) map[string]string {
	t.Helper()
	out := map[string]string{}
	seen := map[string]string{}
	for _, r := range target.Resources(p, emit.Options{}) {
		if other, ok := seen[r.Address]; ok {
			t.Fatalf("%s: %s and %s share the address %s", target.Name, other, r.Identity, r.Address)
		}
		seen[r.Address] = r.Identity
		out[r.Identity] = r.Address
	}
	return out
}

func compile(t *testing.T, src string) *model.Program {
	t.Helper()
	res := load.FromSources(map[string][]byte{"p.intent": []byte(src)}, compiler.Options{Now: now})
	if res.Diags.HasErrors() {
		t.Fatalf("%s\n%v", src, res.Diags)
	}
	return res.Program
}

// TestAddressesAreStable: in every target, a resource's address depends on
// what AWS identifies it by and nothing else. Names that share their words
// after normalisation ("web-a", "web_a", "web.a", "Web-A"), names that
// spell the targets' own words, networks renamed or grown, and any other
// addition leave every existing resource's address as it was, and no two
// resources ever share one.
func TestAddressesAreStable(t *testing.T) {
	base := `
group web-a "web"
group db "database"
network office 203.0.113.0/24 "the office"
prefix-list s3 pl-0123abcd "S3"
external partner sg-0123456789abcdef0 "partner"
external shared "shared, id given at deploy"
web-a -> db tcp/5432 because "the app reads the database"
office -> web-a tcp/443 because "staff use the app"
web-a -> s3 tcp/443 because "the app stores files"
partner -> web-a tcp/8443 because "the partner calls the app"
shared -> db tcp/5432 because "the shared tools read the database"
internet -> web-a tcp/443 because "customers use the app"
`
	additions := map[string]string{
		"a group with the same words": `
group web_a "web, spelled otherwise"
group web.a "web, spelled a third way"
group Web-A "web, in capitals"
web_a -> db tcp/5432 because "the other app reads the database"
web.a -> web-a tcp/443 because "web calls web"
Web-A -> web_a tcp/443 because "web calls web again"
`,
		"names spelling sgc's words": `
group web-a-ingress-from-office "tricky"
group vpc-id "trickier"
group web-a-egress-to-db "trickiest"
web-a-ingress-from-office -> db tcp/5432 because "reads the database"
vpc-id -> web-a-egress-to-db tcp/80 because "calls it"
`,
		"digits next to words": `
group web-2 "web two"
group web2 "web two, joined"
group web-20 "web twenty"
web-2 -> web2 tcp/80 because "calls it"
web2 -> web-20 tcp/80 because "calls it"
`,
		"the network grows": "network office2 198.51.100.0/24 \"branch\"\noffice2 -> web-a tcp/443 because \"branch staff\"\n",
		"a new flow":        "web-a -> db tcp/6379 because \"the app caches\"\n",
	}
	for _, target := range targets.All {
		old := addresses(t, target, compile(t, base))
		for name, add := range additions {
			grown := addresses(t, target, compile(t, base+add))
			for id, addr := range old {
				if grown[id] != addr {
					t.Errorf("%s, %s: %s moved from %s to %s", target.Name, name, id, addr, grown[id])
				}
			}
		}
		// Renaming a network, prefix list or external with an id, or
		// giving the network a second block, keeps every rule's address.
		renamed := strings.NewReplacer("office", "hq", "s3", "objects", "partner", "vendor").Replace(base)
		renamed = strings.Replace(renamed, "203.0.113.0/24 ", "203.0.113.0/24, 192.0.2.0/24 ", 1)
		now := addresses(t, target, compile(t, renamed))
		for id, addr := range old {
			if now[id] != addr {
				t.Errorf("%s, renamed: %s moved from %s to %s", target.Name, id, addr, now[id])
			}
		}
	}
}

// TestAddressesOfRandomPolicies: over random policies, no two resources
// share an address, and dropping half the flows leaves the others'
// addresses alone.
func TestAddressesOfRandomPolicies(t *testing.T) {
	for _, target := range targets.All {
		resources := 0
		for seed := int64(1); seed <= 20; seed++ {
			cfg := synth.Config{Groups: 10, Flows: 60, Seed: seed, GroupsPerFile: 5}
			files := synth.Generate(cfg)
			p := load.FromSources(files, compiler.Options{Now: now}).Program
			all := addresses(t, target, p)
			resources += len(all)
			// The same policy without every other flow line.
			fewer := map[string][]byte{}
			for name, data := range files {
				var kept []string
				for i, line := range strings.Split(string(data), "\n") {
					if strings.Contains(line, " -> ") && i%2 == 0 {
						continue
					}
					kept = append(kept, line)
				}
				fewer[name] = []byte(strings.Join(kept, "\n"))
			}
			q := load.FromSources(fewer, compiler.Options{Now: now})
			if q.Diags.HasErrors() {
				t.Fatalf("seed %d: %v", seed, q.Diags)
			}
			for id, addr := range addresses(t, target, q.Program) {
				if all[id] != addr {
					t.Fatalf("%s, seed %d: %s is %s with all flows, %s with half", target.Name, seed, id, all[id], addr)
				}
			}
		}
		if resources < 500 {
			t.Fatalf("%s: only %d resources", target.Name, resources)
		}
	}
}

// TestExactNamesWarning: exact group names are worth a warning where a
// group can be replaced (Terraform), and nowhere else: CloudFormation keeps
// a group's description, so it replaces no group.
func TestExactNamesWarning(t *testing.T) {
	p := compile(t, "group web \"Web\"\ngroup db \"DB\"\nweb -> db tcp/5432 because \"reads\"\n")
	for _, target := range targets.All {
		for _, names := range []string{emit.NamePrefix, emit.NameExact} {
			_, diags := target.Emit(p, emit.Options{GroupNames: names})
			warned := false
			for _, d := range diags {
				warned = warned || d.Code == emit.ExactNames
			}
			if want := names == emit.NameExact && target.Name == "terraform"; warned != want {
				t.Errorf("%s with group_names = %q: warned %v, want %v", target.Name, names, warned, want)
			}
		}
	}
}
