package load

import (
	"fmt"

	"github.com/sgc-dev/sgc/compiler"
	"github.com/sgc-dev/sgc/compiler/envs"
	"github.com/sgc-dev/sgc/compiler/lint"
	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/internal/parallel"
	"github.com/sgc-dev/sgc/lang/diag"
	"github.com/sgc-dev/sgc/lang/source"
)

// compileEnvs compiles each environment's projection of the policy, proves
// the guarantees between environments and merges the diagnostics. p.Diags
// holds the diagnostics of parsing and of the environments so far.
func (p *Policy) compileEnvs(ep *envs.Policy, opts compiler.Options) {
	p.Environments, p.opts = ep, opts
	p.common = append(diag.List(nil), p.Diags...)
	p.Envs = make([]*Env, len(ep.Envs))
	// Environments compile independently: spread them over the cores.
	parallel.Each(len(ep.Envs), func(i int) {
		env := ep.Envs[i]
		prog, diags := compiler.Compile(ep.Project(env.Name), opts)
		prog.Environment = env
		kept := diags[:0]
		for _, d := range diags {
			if d.Code == compiler.UnknownName && ep.Reported(env.Name, d.Subject.Start) {
				continue // NotInEnvironment said it, naming the environment
			}
			kept = append(kept, d)
		}
		p.Envs[i] = &Env{Environment: env, Program: prog, Diags: kept}
	})
	progs := map[string]*model.Program{}
	for _, e := range p.Envs {
		progs[e.Name] = e.Program
	}
	if iso := ep.Isolation(progs); len(iso) > 0 {
		// Between environments: each side's view has them too.
		p.common = append(p.common, iso...)
	}
	p.Program = &model.Program{Now: opts.Now}
	if len(p.Envs) > 0 {
		p.Program = p.Envs[0].Program
	}
	p.remerge()
}

// remerge rebuilds Diags from the common diagnostics, each environment's
// merged, and the merged lint findings.
func (p *Policy) remerge() {
	lists := make([]diag.List, len(p.Envs))
	progs := make([]*model.Program, len(p.Envs))
	for i, e := range p.Envs {
		lists[i], progs[i] = e.Diags, e.Program
	}
	// The lint findings are merged already (lintEnvs).
	p.Diags = append(append(append(diag.List(nil), p.common...), p.Environments.Merge(lists, progs)...), p.Lint.Diags...)
	p.Diags.Sort()
}

// addCommon adds diagnostics of the policy as a whole (settings,
// adoption, unread files).
func (p *Policy) addCommon(d diag.List) {
	if len(d) == 0 {
		return
	}
	if p.Environments == nil {
		p.Diags = append(p.Diags, d...)
		return
	}
	p.common = append(p.common, d...)
	p.remerge()
}

// lintEnvs lints each environment and merges the findings: a finding
// found in several environments is one, saying where.
func (p *Policy) lintEnvs() {
	parallel.Each(len(p.Envs), func(i int) {
		p.Envs[i].Lint = lint.Run(p.Envs[i].Program, lint.Checks, p.Config.Lint)
	})
	lists := make([]diag.List, len(p.Envs))
	progs := make([]*model.Program, len(p.Envs))
	for i, e := range p.Envs {
		lists[i], progs[i] = e.Lint.Diags, e.Program
		p.Lint.Waived = append(p.Lint.Waived, e.Lint.Waived...)
	}
	p.keepUsedWaivers(lists)
	p.Lint.Diags = p.Environments.Merge(lists, progs)
	p.remerge()
}

// keepUsedWaivers drops a waiver's "waives nothing" where it waives
// something in another environment: a flow in staging and production
// waived for a finding of production's only is a used waiver. One that
// waives nothing wherever its flow holds is still reported.
func (p *Policy) keepUsedWaivers(lists []diag.List) {
	type key struct {
		at   source.Range
		what string
	}
	unused := map[key]int{} // a waiver's id -> environments where it waives nothing
	for _, l := range lists {
		for _, d := range l {
			if d.Code == lint.UnusedWaiver.ID {
				unused[key{d.Subject, d.Summary}]++
			}
		}
	}
	if len(unused) == 0 {
		return
	}
	holds := map[source.Range]int{} // waiver -> environments its flow holds in
	for _, e := range p.Envs {
		seen := map[source.Range]bool{}
		for _, f := range e.Program.Flows {
			for _, w := range f.Waivers {
				if !seen[w.Range] {
					seen[w.Range] = true
					holds[w.Range]++
				}
			}
		}
	}
	for i, l := range lists {
		kept := l[:0:0]
		for _, d := range l {
			if d.Code == lint.UnusedWaiver.ID && unused[key{d.Subject, d.Summary}] < holds[d.Subject] {
				continue
			}
			kept = append(kept, d)
		}
		lists[i] = kept
	}
}

// ForEnv returns the policy of one environment, as if it had been written
// for that environment alone: its program, its own diagnostics (AWS names
// and all) and lint findings. A policy without environments has none.
func (p *Policy) ForEnv(name string) (*Policy, error) {
	if p.Environments == nil {
		return nil, &UsageError{fmt.Errorf("--env %s: the policy declares no environments", name)}
	}
	for _, e := range p.Envs {
		if e.Name != name {
			continue
		}
		q := *p
		q.Environments, q.Envs, q.common = nil, nil, nil
		q.Program, q.Lint = e.Program, e.Lint
		q.Diags = append(append(append(diag.List(nil), p.common...), e.Diags...), e.Lint.Diags...)
		q.Diags.Sort()
		return &q, nil
	}
	return nil, &UsageError{fmt.Errorf("--env %s: no such environment; the policy declares %s", name, p.Environments)}
}

// Roles compiles environment env with its groups under their role names
// (web, not web-staging): two environments' programs compared this way
// differ only where the environments do.
func (p *Policy) Roles(env string) (*model.Program, error) {
	if p.Environments == nil || p.Environments.Name(env) == nil {
		if p.Environments == nil {
			return nil, &UsageError{fmt.Errorf("%s: the policy declares no environments", env)}
		}
		return nil, &UsageError{fmt.Errorf("%s: no such environment; the policy declares %s", env, p.Environments)}
	}
	prog, _ := compiler.Compile(p.Environments.ProjectAs(env, "{name}"), p.opts)
	prog.Environment = p.Environments.Name(env)
	return prog, nil
}
