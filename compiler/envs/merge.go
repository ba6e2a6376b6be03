package envs

import (
	"strings"

	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/lang/diag"
)

// Merge turns each environment's diagnostics into the policy's: one
// diagnostic per finding, whatever number of environments it is found in,
// written with role names (web, not web-staging) and saying its
// environments when it is not found in all of them. perEnv and progs are
// in the order of p.Envs.
func (p *Policy) Merge(perEnv []diag.List, progs []*model.Program) diag.List {
	type entry struct {
		d    *diag.Diagnostic
		envs []string
	}
	var (
		order []string
		byKey = map[string]*entry{}
	)
	for i, list := range perEnv {
		roles := roleNames(progs[i])
		env := p.Envs[i].Name
		for _, d := range list {
			c := *d
			c.Summary, c.Detail, c.Suggestion = roles(d.Summary), roles(d.Detail), roles(d.Suggestion)
			c.Related = make([]diag.Related, len(d.Related))
			for j, r := range d.Related {
				c.Related[j] = diag.Related{Range: r.Range, Message: roles(r.Message)}
			}
			key := c.Severity.String() + "\x00" + c.Code + "\x00" + c.Subject.String() + "\x00" + c.Summary + "\x00" + c.Detail + "\x00" + c.Suggestion
			if e, ok := byKey[key]; ok {
				if e.envs[len(e.envs)-1] != env {
					e.envs = append(e.envs, env)
				}
				continue
			}
			byKey[key] = &entry{d: &c, envs: []string{env}}
			order = append(order, key)
		}
	}
	out := make(diag.List, 0, len(order))
	for _, k := range order {
		e := byKey[k]
		if len(e.envs) < len(p.Envs) {
			e.d.Summary += " (in " + list(e.envs) + ")"
		}
		out = append(out, e.d)
	}
	return out
}

// roleNames returns what writes a message of prog's with its groups'
// role names: each whole name (a run of the characters names are made of)
// that is a group's AWS name becomes its role name.
func roleNames(prog *model.Program) func(string) string {
	m := map[string]string{}
	if prog != nil {
		for _, g := range prog.Groups {
			if g.Role != "" {
				m[g.Name] = g.Role
			}
		}
	}
	return func(s string) string {
		if len(m) == 0 || s == "" {
			return s
		}
		var b strings.Builder
		for i := 0; i < len(s); {
			if !nameChar(s[i]) {
				b.WriteByte(s[i])
				i++
				continue
			}
			j := i
			for j < len(s) && nameChar(s[j]) {
				j++
			}
			// A name may hold dots, and a sentence ends in one.
			w := s[i:j]
			stem := strings.TrimRight(w, ".")
			if r, ok := m[stem]; ok {
				w = r + w[len(stem):]
			}
			b.WriteString(w)
			i = j
		}
		return b.String()
	}
}

func nameChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.'
}
