package envs_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/sgc-dev/sgc/compiler"
	"github.com/sgc-dev/sgc/emit"
	"github.com/sgc-dev/sgc/emit/targets"
	"github.com/sgc-dev/sgc/internal/testkit"
	"github.com/sgc-dev/sgc/load"
)

var allEnvs = []string{"staging", "production", "qa"}

// stmt is one generated statement: its text with {G:name} where a group
// name stands, and the environments it holds in (nil: all).
type stmt struct {
	text string
	in   []string
}

func (s stmt) holds(env string) bool { return s.in == nil || slices.Contains(s.in, env) }

// write renders the statement: in the policy with environments (env ""),
// group names as written and the in clause kept; in the policy written by
// hand for env, group names as AWS has them and no in clause.
func (s stmt) write(env string) string {
	var b strings.Builder
	rest := s.text
	for {
		i := strings.Index(rest, "{G:")
		if i < 0 {
			b.WriteString(rest)
			break
		}
		j := strings.IndexByte(rest[i:], '}') + i
		b.WriteString(rest[:i])
		name := rest[i+3 : j]
		if env != "" {
			name += "-" + env
		}
		b.WriteString(name)
		rest = rest[j+1:]
	}
	if env == "" && s.in != nil {
		b.WriteString(" in " + strings.Join(s.in, ", "))
	}
	return b.String()
}

// randomEnvPolicy generates a policy with environments whose every
// environment compiles: each flow holds only where its names are declared.
func randomEnvPolicy(r *rand.Rand) []stmt {
	subset := func() []string {
		if r.IntN(3) == 0 {
			return nil
		}
		var out []string
		for _, e := range allEnvs {
			if r.IntN(2) == 0 {
				out = append(out, e)
			}
		}
		if len(out) == 0 {
			return nil
		}
		return out
	}
	var out []stmt
	for _, e := range allEnvs {
		out = append(out, stmt{text: fmt.Sprintf("environment %s %q", e, "The "+e+" environment")})
	}
	type decl struct {
		ref   string
		group bool
		in    []string
	}
	var decls []decl
	for i := range 2 + r.IntN(5) {
		in := subset()
		name := fmt.Sprintf("g%d", i)
		out = append(out, stmt{text: fmt.Sprintf("group {G:%s} %q", name, "Group "+name), in: in})
		decls = append(decls, decl{ref: "{G:" + name + "}", group: true, in: in})
	}
	for i := range r.IntN(4) {
		// A network declared once per environment, or once for all.
		name := fmt.Sprintf("n%d", i)
		if r.IntN(2) == 0 {
			for k, e := range allEnvs {
				out = append(out, stmt{text: fmt.Sprintf("network %s 10.%d.%d.0/24 %q", name, i, k, "Net "+name), in: []string{e}})
			}
			decls = append(decls, decl{ref: name})
		} else {
			in := subset()
			out = append(out, stmt{text: fmt.Sprintf("network %s 172.16.%d.0/24 %q", name, i, "Net "+name), in: in})
			decls = append(decls, decl{ref: name, in: in})
		}
	}
	holdsAll := func(d decl, envs []string) bool {
		for _, e := range envs {
			if d.in != nil && !slices.Contains(d.in, e) {
				return false
			}
		}
		return true
	}
	ports := []string{"tcp/443", "tcp/5432", "udp/53", "tcp/8000-8099", "icmp/echo-request", "all"}
	seen := map[string]bool{} // two flows of one rule are an error
	for i := range 3 + r.IntN(10) {
		from, to := decls[r.IntN(len(decls))], decls[r.IntN(len(decls))]
		port := ports[r.IntN(len(ports))]
		if !from.group && !to.group || seen[from.ref+to.ref] {
			continue
		}
		seen[from.ref+to.ref] = true
		in := subset()
		envs := in
		if envs == nil {
			envs = allEnvs
		}
		if !holdsAll(from, envs) || !holdsAll(to, envs) {
			// Narrow to where both are declared.
			var ok []string
			for _, e := range envs {
				if holdsAll(from, []string{e}) && holdsAll(to, []string{e}) {
					ok = append(ok, e)
				}
			}
			if len(ok) == 0 {
				continue
			}
			in = ok
		}
		until := ""
		if r.IntN(4) == 0 {
			until = " until 2027-0" + fmt.Sprint(1+r.IntN(9)) + "-15"
		}
		out = append(out, stmt{text: fmt.Sprintf("%s -> %s %s because \"flow %d\"%s", from.ref, to.ref, port, i, until), in: in})
	}
	return out
}

// TestEnvironmentIsItsProjection: for random policies, every target's
// output of environment E is byte for byte the output of the policy
// written by hand for E (the statements without in plus those in E, the
// groups named as in AWS), but for the template description that says the
// environment.
func TestEnvironmentIsItsProjection(t *testing.T) {
	for seed := range uint64(40) {
		r := rand.New(rand.NewPCG(seed, 7))
		stmts := randomEnvPolicy(r)
		var whole bytes.Buffer
		for _, s := range stmts {
			whole.WriteString(s.write("") + "\n")
		}
		p := load.FromSources(map[string][]byte{"policy.intent": whole.Bytes()}, compiler.Options{Now: testkit.Now})
		if p.Diags.HasErrors() {
			t.Fatalf("seed %d: the generated policy has errors:\n%s\n%v", seed, whole.String(), p.Diags)
		}
		for _, env := range allEnvs {
			var byHand bytes.Buffer
			for _, s := range stmts {
				if s.holds(env) && !strings.HasPrefix(s.text, "environment ") {
					byHand.WriteString(s.write(env) + "\n")
				}
			}
			want := load.FromSources(map[string][]byte{"policy.intent": byHand.Bytes()}, compiler.Options{Now: testkit.Now})
			got, err := p.ForEnv(env)
			if err != nil {
				t.Fatal(err)
			}
			if want.Diags.HasErrors() {
				t.Fatalf("seed %d %s: the policy by hand has errors:\n%s\n%v", seed, env, byHand.String(), want.Diags)
			}
			for _, target := range targets.All {
				gotFiles, _ := target.Emit(got.Program, emit.Options{})
				wantFiles, _ := target.Emit(want.Program, emit.Options{})
				if g, w := render(gotFiles), render(wantFiles); g != w {
					t.Errorf("seed %d, %s, %s: the environment's output differs from the policy written for it\npolicy:\n%s\nby hand:\n%s\ngot:\n%s\nwant:\n%s",
						seed, env, target.Name, whole.String(), byHand.String(), g, w)
				}
			}
		}
	}
}

// render joins a build's files, without the one line that says the
// environment (the template's description).
func render(files []emit.File) string {
	var b strings.Builder
	for _, f := range files {
		fmt.Fprintf(&b, "== %s\n", f.Path)
		for _, line := range strings.SplitAfter(string(f.Data), "\n") {
			if strings.HasPrefix(line, "Description: Security groups of the policy") {
				continue
			}
			b.WriteString(line)
		}
	}
	return b.String()
}

// TestAddingToOneEnvironment: statements added in one environment leave
// every other environment's output byte for byte as it was (a new
// environment is TestTerraformApply's case, applied with Terraform).
func TestAddingToOneEnvironment(t *testing.T) {
	build := func(src string, env string) string {
		p := load.FromSources(map[string][]byte{"policy.intent": []byte(src)}, compiler.Options{Now: testkit.Now})
		q, err := p.ForEnv(env)
		if err != nil || q.Diags.HasErrors() {
			t.Fatalf("%v %v\n%s", err, q.Diags, src)
		}
		var out strings.Builder
		for _, target := range targets.All {
			files, _ := target.Emit(q.Program, emit.Options{})
			out.WriteString(render(files))
		}
		return out.String()
	}
	for seed := range uint64(20) {
		r := rand.New(rand.NewPCG(seed, 11))
		var base strings.Builder
		for _, s := range randomEnvPolicy(r) {
			base.WriteString(s.write("") + "\n")
		}
		src := base.String()
		grown := src + "group extra \"Added in staging\" in staging\nextra -> extra tcp/9 because \"added in staging\" in staging\n"
		for _, env := range []string{"production", "qa"} {
			if build(src, env) != build(grown, env) {
				t.Errorf("seed %d: adding to staging changed %s's output", seed, env)
			}
		}
	}
}
