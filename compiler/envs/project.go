package envs

import (
	"slices"

	"github.com/sgc-dev/sgc/internal/naming"
	"github.com/sgc-dev/sgc/lang/ast"
)

// Project returns the files of environment env: the statements that hold
// there, without the environment declarations and the nevers between
// environments, each group named by the pattern (web -> web-staging) with
// its role name kept (GroupDecl.Role) for never patterns and messages.
// Positions are the policy's own, so every diagnostic points at what was
// written. The files given are not changed.
func (p *Policy) Project(env string) []*ast.File { return p.ProjectAs(env, p.Pattern) }

// ProjectAs is Project with another naming pattern: "{name}" keeps the role
// names, for comparing two environments group by group.
func (p *Policy) ProjectAs(env, pattern string) []*ast.File {
	groups := map[string]bool{}
	for _, f := range p.files {
		for _, s := range f.Stmts {
			if g, ok := s.(*ast.GroupDecl); ok && g.HoldsIn(env) {
				groups[g.Name.Name] = true
			}
			if b, ok := s.(*ast.BadStmt); ok && b.Keyword == "group" && b.Name != nil {
				groups[b.Name.Name] = true
			}
		}
	}
	rename := func(id *ast.Ident) *ast.Ident {
		if id == nil || !groups[id.Name] {
			return id
		}
		c := *id
		c.Name = naming.EnvironmentGroupName(pattern, id.Name, env)
		return &c
	}
	renameAll := func(ids []*ast.Ident) []*ast.Ident {
		out := make([]*ast.Ident, len(ids))
		for i, id := range ids {
			out[i] = rename(id)
		}
		return out
	}
	out := make([]*ast.File, len(p.files))
	for i, f := range p.files {
		nf := &ast.File{Name: f.Name}
		for _, s := range f.Stmts {
			if !s.Base().HoldsIn(env) {
				continue
			}
			switch s := s.(type) {
			case *ast.EnvironmentDecl:
				continue
			case *ast.GroupDecl:
				c := *s
				c.Role = s.Name.Name
				c.Name = rename(s.Name)
				// Former names are former role names: they had the
				// environment's pattern too.
				c.Formerly = make([]*ast.Ident, len(s.Formerly))
				for j, id := range s.Formerly {
					r := *id
					r.Name = naming.EnvironmentGroupName(pattern, id.Name, env)
					c.Formerly[j] = &r
				}
				nf.Stmts = append(nf.Stmts, &c)
				continue
			case *ast.Flow:
				c := *s
				c.From, c.To = rename(s.From), rename(s.To)
				nf.Stmts = append(nf.Stmts, &c)
				continue
			case *ast.InterfaceDecl:
				c := *s
				c.Groups = renameAll(s.Groups)
				nf.Stmts = append(nf.Stmts, &c)
				continue
			case *ast.Never:
				if slices.Contains(p.isolation, s) || p.isEnvSide(s.From) || p.isEnvSide(s.To) {
					continue
				}
				c := *s
				for _, side := range []**ast.Selector{&c.From, &c.To} {
					if (*side).Name != nil {
						sel := **side
						sel.Name = rename(sel.Name)
						*side = &sel
					}
				}
				c.Except = renameAll(s.Except)
				nf.Stmts = append(nf.Stmts, &c)
				continue
			}
			nf.Stmts = append(nf.Stmts, s)
		}
		out[i] = nf
	}
	return out
}
