// Package envs compiles a policy that declares environments: it reads the
// environments and the `in` clauses, projects the policy onto each
// environment (the statements that hold there, each group given its AWS
// name by the naming pattern), and proves the guarantees between
// environments (`never staging -> production`) on the compiled programs.
//
// The projection is syntax to syntax: an environment's files are the
// policy as a team would have written it by hand for that environment
// alone, so everything after it (the compiler, lints, targets, drift)
// works unchanged, and a pair of copied policies moves to one with
// environments without a change to any output.
package envs

import (
	"slices"
	"strings"

	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/internal/awsform"
	"github.com/sgc-dev/sgc/lang/ast"
	"github.com/sgc-dev/sgc/lang/diag"
	"github.com/sgc-dev/sgc/lang/source"
)

// Policy is a policy's environments and what its statements say of them.
type Policy struct {
	// Envs are the declared environments, sorted by name: nothing about
	// them may depend on the order of statements or files.
	Envs []*model.Environment
	// Pattern names groups in AWS.
	Pattern   string
	files     []*ast.File
	decls     map[string]*ast.EnvironmentDecl
	isolation []*ast.Never
	// dropped are the uses NotInEnvironment reported, per environment:
	// the compile of that environment would report them again as unknown.
	dropped map[string]map[source.Pos]bool
}

// Read returns the environments the files declare (nil when they declare
// none, and then every `in` clause is an error) with every problem found
// in their use. files must be sorted by name.
func Read(files []*ast.File, pattern string) (*Policy, diag.List) {
	p := &Policy{Pattern: pattern, files: files, decls: map[string]*ast.EnvironmentDecl{}, dropped: map[string]map[source.Pos]bool{}}
	var diags diag.List
	names := map[string]bool{} // every name declared, in any environment
	for _, f := range files {
		for _, s := range f.Stmts {
			if n := ast.Declared(s); n != nil {
				names[n.Name] = true
			}
		}
	}
	for _, f := range files {
		for _, s := range f.Stmts {
			e, ok := s.(*ast.EnvironmentDecl)
			if !ok {
				continue
			}
			if first, dup := p.decls[e.Name.Name]; dup {
				diags.Errorf(e.Name.Range(), DuplicateEnvironment, "environment %s declared twice", e.Name.Name).
					WithRelated(first.Name.Range(), "first declared here")
				continue
			}
			ok = true
			if len(e.In) > 0 {
				diags.Errorf(e.In[0].Range(), InvalidEnvironment, "an environment holds in no other environment").
					WithSuggestion("Remove the in clause.")
				ok = false
			}
			if names[e.Name.Name] {
				diags.Errorf(e.Name.Range(), InvalidEnvironment, "environment %s has the name of a declaration", e.Name.Name).
					WithDetail("Environment names stand on the sides of a never between environments, where a declared name would be ambiguous.")
				ok = false
			}
			env := &model.Environment{Name: e.Name.Name, Description: e.Description.Value}
			if a := e.Account; a != nil {
				if !awsform.AccountID.MatchString(a.Text) {
					diags.Errorf(a.Range(), InvalidEnvironment, "account %q is not an AWS account id", a.Text).
						WithDetail("An AWS account id is 12 digits, such as 123456789012.")
					ok = false
				}
				env.Account = a.Text
			}
			if r := e.Region; r != nil {
				if !awsform.Region.MatchString(r.Text) {
					diags.Errorf(r.Range(), InvalidEnvironment, "region %q is not an AWS Region code", r.Text).
						WithDetail("A Region code is written as eu-west-1 or us-gov-west-1.")
					ok = false
				}
				env.Region = r.Text
			}
			p.decls[e.Name.Name] = e
			if ok {
				p.Envs = append(p.Envs, env)
			}
		}
	}
	slices.SortFunc(p.Envs, func(a, b *model.Environment) int { return strings.Compare(a.Name, b.Name) })
	declared := make([]string, 0, len(p.decls))
	for n := range p.decls {
		declared = append(declared, n)
	}
	slices.Sort(declared)
	for _, f := range files {
		for _, s := range f.Stmts {
			for _, id := range s.Base().In {
				if _, ok := p.decls[id.Name]; ok {
					continue
				}
				d := diags.Errorf(id.Range(), UnknownEnvironment, "unknown environment %s", id.Name)
				if len(declared) == 0 {
					d.WithDetail("The policy declares no environment: declare each with environment NAME \"description\" [account ACCOUNT] [region REGION].")
				} else if sug := diag.Suggest(id.Name, declared); sug != "" {
					d.WithSuggestion("Did you mean %q?", sug)
				} else {
					d.WithDetail("The environments are: %s.", strings.Join(declared, ", "))
				}
			}
			if n, ok := s.(*ast.Never); ok && p.isEnvSide(n.From) || ok && p.isEnvSide(n.To) {
				if p.checkIsolation(n, &diags) {
					p.isolation = append(p.isolation, n)
				}
			}
		}
	}
	if len(p.decls) == 0 {
		return nil, diags
	}
	diags = append(diags, p.checkUses()...)
	return p, diags
}

func (p *Policy) isEnvSide(s *ast.Selector) bool {
	if s.Name == nil {
		return false
	}
	_, ok := p.decls[s.Name.Name]
	return ok
}

// checkIsolation checks the form of a never between environments.
func (p *Policy) checkIsolation(n *ast.Never, diags *diag.List) bool {
	switch {
	case !p.isEnvSide(n.From) || !p.isEnvSide(n.To):
		diags.Errorf(source.Range{Start: n.From.Pos, End: n.To.EndPos}, InvalidIsolation, "a never between environments names an environment on both sides").
			WithDetail("never ENV -> ENV because \"...\" keeps two environments apart; a never between groups holds in each environment.")
	case n.From.Name.Name == n.To.Name.Name:
		diags.Errorf(n.To.Range(), InvalidIsolation, "an environment cannot be kept apart from itself")
	case n.Ports != nil || len(n.Except) > 0:
		diags.Errorf(n.Range(), InvalidIsolation, "a never between environments covers all traffic").
			WithSuggestion("Remove the ports and except: environments are kept apart entirely.")
	case len(n.In) > 0:
		diags.Errorf(n.In[0].Range(), InvalidIsolation, "a never between environments holds in no environment").
			WithSuggestion("Remove the in clause.")
	default:
		return true
	}
	return false
}

// Name returns the environment named name, or nil.
func (p *Policy) Name(name string) *model.Environment {
	for _, e := range p.Envs {
		if e.Name == name {
			return e
		}
	}
	return nil
}

// Names lists the environments' names, in the order declared.
func (p *Policy) Names() []string {
	out := make([]string, len(p.Envs))
	for i, e := range p.Envs {
		out[i] = e.Name
	}
	return out
}

// Reported says whether NotInEnvironment reported the use of a name at
// pos in env: the environment's compile reports it again as unknown.
func (p *Policy) Reported(env string, pos source.Pos) bool { return p.dropped[env][pos] }

// checkUses reports every use of a name in an environment where it is not
// declared but another environment declares it; a name no environment
// declares is left to the compiler's UnknownName.
func (p *Policy) checkUses() diag.List {
	var diags diag.List
	where := map[string][]string{} // name -> the environments declaring it
	for _, env := range p.Envs {
		seen := map[string]bool{}
		for _, f := range p.files {
			for _, s := range f.Stmts {
				if n := ast.Declared(s); n != nil && s.Base().HoldsIn(env.Name) && !seen[n.Name] {
					seen[n.Name] = true
					where[n.Name] = append(where[n.Name], env.Name)
				}
			}
		}
	}
	for _, f := range p.files {
		for _, s := range f.Stmts {
			if n, ok := s.(*ast.Never); ok && slices.Contains(p.isolation, n) {
				continue
			}
			for _, id := range ast.Uses(s) {
				in := where[id.Name]
				if len(in) == 0 || id.Name == "internet" {
					continue
				}
				var missing []string
				for _, env := range p.Envs {
					if s.Base().HoldsIn(env.Name) && !slices.Contains(in, env.Name) {
						missing = append(missing, env.Name)
						if p.dropped[env.Name] == nil {
							p.dropped[env.Name] = map[source.Pos]bool{}
						}
						p.dropped[env.Name][id.Pos] = true
					}
				}
				if len(missing) == 0 {
					continue
				}
				d := diags.Errorf(id.Range(), NotInEnvironment, "%s is declared only in %s; this %s holds in %s too",
					id.Name, list(in), what(s), list(missing))
				if len(s.Base().In) == 0 {
					d.WithSuggestion("Limit the %s with in %s, or declare %s in %s.", what(s), strings.Join(in, ", "), id.Name, list(missing))
				} else {
					d.WithSuggestion("Declare %s in %s, or leave %s out of the in clause.", id.Name, list(missing), list(missing))
				}
			}
		}
	}
	return diags
}

func what(s ast.Stmt) string {
	switch s.(type) {
	case *ast.Flow:
		return "flow"
	case *ast.Never:
		return "guarantee"
	case *ast.ServiceDecl:
		return "service"
	case *ast.InterfaceDecl:
		return "interface"
	}
	return "statement"
}

// list writes names as "a", "a and b" or "a, b and c".
func list(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// String describes the environments for messages: "staging, production".
func (p *Policy) String() string { return strings.Join(p.Names(), ", ") }
