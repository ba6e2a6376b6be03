package cli

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/sgc-dev/sgc/compiler"
	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/emit"
	"github.com/sgc-dev/sgc/emit/targets"
	"github.com/sgc-dev/sgc/internal/gcpace"
	"github.com/sgc-dev/sgc/internal/parallel"
	"github.com/sgc-dev/sgc/lang/diag"
	"github.com/sgc-dev/sgc/load"
	"github.com/sgc-dev/sgc/review"
)

const diffDoc = `Diff compares two versions of a policy in the terms a reviewer needs: who
can newly reach whom, on what, and why; what access goes away; which flows
were added, removed or changed (ports, purpose, expiry extended or
shortened); and which security groups change in a way AWS cannot make in
place (a renamed group, or one whose description changed: Terraform
replaces it, CloudFormation keeps its AWS description and tags the new one).

It also predicts the plan of each target (or of -t TARGET): which resources
terraform plan, or a CloudFormation change set, will create, change in
place, replace and destroy, by address, and warns about each change the
target cannot make without downtime or a failed deploy (a group replaced
under an exact name, a rule moving between split stacks, a group removed
while a split rule stack imports its id). Each new build is taken to be
made over the old one's output, as build into the same directory is.

Widening and narrowing are computed on the sets of (source, destination,
protocol, port) the two versions allow, with networks taken block by block,
so a network grown from a /24 to a /16 shows as widened.

Compare two paths, or the working tree against a git revision (read with
your own git): sgc diff --git main policy/.

Expiry is judged on each side as of the day that side was built: the new
one as of --now (today), the old one as of --old-now, by default the day
of the revision's commit (--git) or --now (two paths). So a flow that
expired since the deployed build shows as expired, and its rules in the
predicted plan's destroys, as terraform plan will show them; give
--old-now the day of the deployed build when it differs.`

func newDiffCmd(e *env) *cobra.Command { return diffCommand(e, false) }

const ownersDoc = `Owners says who must approve a policy change: for each owner (a group's
owner TEAM, or sgc.hcl's owners { files = {...} }), the flow changes that
touch its groups — a flow into a group is its owner's to approve, a flow
out of one its owner's. It compares as sgc diff does (two paths, or --git
REV), and is what the pull-request action requests reviewers from.

Exit status: 0, or 2 for bad usage.`

func newOwnersCmd(e *env) *cobra.Command { return diffCommand(e, true) }

// diffCommand builds sgc diff, or with owners sgc owners: the same
// comparison, reporting who must approve it.
func diffCommand(e *env, owners bool) *cobra.Command {
	var (
		now                 nowFlag
		ef                  envFlag
		format, rev, colour string
		failOnWiden, split  bool
		target, oldNow      string
	)
	cmd := &cobra.Command{
		Use:   "diff OLD NEW | diff --git REV [PATH...]",
		Short: "Show what a policy change allows and forbids, in role terms",
		Long:  diffDoc,
		Example: `  sgc diff old/ new/
  sgc diff --git HEAD~1 policy/
  sgc diff --git origin/main --format markdown policy/ > comment.md
  sgc diff --git origin/main --fail-on-widen policy/     # exit 1 when access widens
  sgc diff --git origin/main -t terraform policy/        # the plan of the Terraform module only
  sgc diff deployed/ policy/ --old-now 2026-11-20       # deployed/ was built on 2026-11-20
  sgc diff --git origin/main --env production policy/   # one environment of a policy with environments
  sgc diff --env staging..production policy/            # what production allows that staging does not, and the reverse
  sgc diff copies/staging/ policy/ --env staging        # a copied policy against the environment replacing it`,
		RunE: func(cmd *cobra.Command, args []string) error {
			gcpace.Often() // a comparison drops most of what it makes
			t, err := now.time()
			if err != nil {
				return err
			}
			oldDay := t
			switch {
			case oldNow != "":
				if oldDay, err = time.Parse("2006-01-02", oldNow); err != nil {
					return usageErrorf("--old-now %q: want a date such as 2026-12-31", oldNow)
				}
			case rev != "":
				if oldDay, err = load.GitDate(rev); err != nil {
					return &exitError{Code: ExitUsage, Err: err}
				}
				if oldDay.After(t) {
					oldDay = t // a commit dated after --now: judge both as of --now
				}
			}
			if !oldDay.Equal(t) {
				fmt.Fprintf(e.stderr, "diff: the old version is judged as of %s, the day it was built (--old-now to change), the new as of %s\n",
					oldDay.Format("2006-01-02"), t.Format("2006-01-02"))
			}
			if a, b, ok := strings.Cut(ef.name, ".."); ok {
				return diffEnvironments(e, args, t, a, b, diffOutput{format: format, owners: owners, colour: colour == "always" || (colour == "auto" && isTerminal(e.stdout))}, failOnWiden)
			}
			var old, cur *load.Policy
			if rev != "" {
				var oldErr, curErr error
				parallel.Do(
					func() { old, oldErr = load.FromGit(rev, args, compiler.Options{Now: oldDay}) },
					func() { cur, curErr = loadPolicy(args, t) },
				)
				if oldErr != nil {
					return &exitError{Code: ExitUsage, Err: oldErr}
				}
				if curErr != nil {
					return curErr
				}
			} else {
				if len(args) != 2 {
					return usageErrorf("diff takes OLD and NEW, or --git REV [PATH...]")
				}
				// The two versions are read and compiled side by side; the
				// old one's error, if both have one, is the one reported.
				var oldErr, curErr error
				parallel.Do(
					func() { old, oldErr = loadPolicy(args[:1], oldDay) },
					func() { cur, curErr = loadPolicy(args[1:], t) },
				)
				if err := cmp.Or(oldErr, curErr); err != nil {
					return err
				}
			}
			for _, p := range []*load.Policy{old, cur} {
				if p.Diags.HasErrors() {
					diag.Fprint(e.stderr, p.Sources, p.Diags) // stderr: stdout is the command's output
					if n := p.Diags.CountCode(compiler.NeverViolated); n > 0 && p == cur {
						return &exitError{Code: ExitFindings, Err: fmt.Errorf("the change breaks %s: the flows above would open access a never statement forbids", plural(n, "guarantee"))}
					}
					return &exitError{Code: ExitFindings, Err: fmt.Errorf("a version of the policy has errors; diff compares valid policies")}
				}
			}
			o := diffOutput{format: format, owners: owners, colour: colour == "always" || (colour == "auto" && isTerminal(e.stdout))}
			one := func(env string, oldProg, curProg *model.Program, oldDiags, curDiags diag.List) error {
				predicted := targets.All
				if target != "" {
					t, err := findTarget(target)
					if err != nil {
						return err
					}
					predicted = []*emit.Target{t}
				}
				// The comparison and each target's plan read the two
				// programs only: they are made side by side.
				var d review.Diff
				if o.flowsOnly(failOnWiden) {
					d = review.CompareFlows(oldProg, curProg)
					d.Environment = env
					return o.add(d)
				}
				plans := make([]review.Plan, len(predicted))
				work := []func(){func() { d = review.Compare(oldProg, curProg) }}
				for i, t := range predicted {
					work = append(work, func() {
						plans[i] = emit.PredictPlan(t, oldProg, curProg, emit.Options{GroupNames: cur.Config.GroupNames, Adopt: cur.Adopt, Split: split})
					})
				}
				parallel.Do(work...)
				d.Environment = env
				d.Predict(plans)
				d.AddFindings(oldDiags, curDiags)
				return o.add(d)
			}
			if rev != "" {
				// The revision's files are compiled, not linted: lint them
				// with the working tree's settings, so that only what the
				// change brings counts as a new finding.
				old.Config.Lint = cur.Config.Lint
				old.RunLint()
			}
			if old.Environments == nil && cur.Environments == nil || ef.name != "" {
				if ef.name != "" {
					// A side without environments is the environment's
					// policy written alone (a copy being moved over).
					if old, err = ef.side(old); err != nil {
						return err
					}
					if cur, err = ef.side(cur); err != nil {
						return err
					}
				}
				if err := one(ef.name, old.Program, cur.Program, old.Diags, cur.Diags); err != nil {
					return err
				}
			} else if old.Environments == nil || cur.Environments == nil {
				return usageErrorf("one version declares environments and the other does not: give --env NAME to compare the one without with that environment")
			} else {
				// Every environment of either version, each as its own diff.
				for _, name := range envNames(old, cur) {
					oldProg, oldDiags := envSide(old, name)
					curProg, curDiags := envSide(cur, name)
					if err := one(name, oldProg, curProg, oldDiags, curDiags); err != nil {
						return err
					}
				}
			}
			if err := o.flush(e.stdout); err != nil {
				return err
			}
			if failOnWiden && o.widened {
				return findings
			}
			return nil
		},
	}
	if owners {
		cmd.Use = "owners OLD NEW | owners --git REV [PATH...]"
		cmd.Short = "Who must approve a policy change"
		cmd.Long = ownersDoc
		cmd.Example = "  sgc owners --git origin/main policy/\n  sgc owners old/ new/ --format json"
	}
	cmd.Flags().StringVar(&ef.name, "env", "", "the environment to compare, of policies that declare environments; A..B compares two environments of one policy")
	now.register(cmd)
	cmd.Flags().StringVar(&rev, "git", "", "compare the working tree with the policy at this git revision")
	cmd.Flags().StringVar(&oldNow, "old-now", "", "judge the old version's expiry dates as of this day, YYYY-MM-DD (default: its commit's day with --git, else --now)")
	if owners {
		choiceVar(cmd, &format, "format", "output format", "text", "json")
	} else {
		choiceVar(cmd, &format, "format", "output format (markdown: a pull-request comment)", "text", "markdown", "json")
	}
	choiceVar(cmd, &colour, "color", "colour the text output", "auto", "always", "never")
	cmd.Flags().BoolVar(&failOnWiden, "fail-on-widen", false, "exit 1 when access widens (a gate for approvals)")
	targetVar(cmd, &target, "predict the plan of this target only")
	splitVar(cmd, &split, "predict the plan of split stacks, as build --split writes them")
	if owners { // what only the diff's report uses
		for _, f := range []string{"color", "fail-on-widen", "target", "split"} {
			cmd.Flags().MarkHidden(f)
		}
	}
	return cmd
}

func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

// diffOutput gathers the diffs of one run: one, or one per environment.
type diffOutput struct {
	format  string
	owners  bool // sgc owners: who must approve, not the diff
	colour  bool
	diffs   []review.Diff
	widened bool
}

// flowsOnly reports whether the run needs only the flows that changed:
// who must approve depends on them alone, unless --fail-on-widen asks
// whether access widens.
func (o *diffOutput) flowsOnly(failOnWiden bool) bool { return o.owners && !failOnWiden }

func (o *diffOutput) add(d review.Diff) error {
	o.diffs = append(o.diffs, d)
	o.widened = o.widened || len(d.Widened) > 0
	return nil
}

// flush writes the diffs: one as always; several (one per environment)
// one after another, or as a JSON array.
func (o *diffOutput) flush(w io.Writer) error {
	if o.owners {
		for _, d := range o.diffs {
			if err := d.WriteOwners(w, o.format == "json"); err != nil {
				return err
			}
		}
		return nil
	}
	if o.format == "json" && len(o.diffs) > 1 {
		var parts []json.RawMessage
		for _, d := range o.diffs {
			var b bytes.Buffer
			if err := d.WriteJSON(&b); err != nil {
				return err
			}
			parts = append(parts, json.RawMessage(b.Bytes()))
		}
		out, err := json.MarshalIndent(parts, "", "  ")
		if err != nil {
			return err
		}
		_, err = w.Write(append(out, '\n'))
		return err
	}
	for i, d := range o.diffs {
		if i > 0 {
			fmt.Fprintln(w)
		}
		var err error
		switch o.format {
		case "markdown":
			err = d.WriteMarkdown(w)
		case "json":
			err = d.WriteJSON(w)
		default:
			err = d.WriteText(w, o.colour)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// side returns the policy of the chosen environment, or the policy itself
// when it declares no environments.
func (f envFlag) side(p *load.Policy) (*load.Policy, error) {
	if p.Environments == nil {
		return p, nil
	}
	return f.pick(p, false)
}

// envNames lists the environments of either version: the new one's in
// its order, then those only the old one had.
func envNames(old, cur *load.Policy) []string {
	var out []string
	for _, p := range []*load.Policy{cur, old} {
		if p.Environments == nil {
			continue
		}
		for _, n := range p.Environments.Names() {
			if !slices.Contains(out, n) {
				out = append(out, n)
			}
		}
	}
	return out
}

// envSide is one version's program of environment name: the whole policy
// when that version has no environments (the policy before they came),
// nothing when it lacks that environment.
func envSide(p *load.Policy, name string) (*model.Program, diag.List) {
	if p.Environments == nil {
		return p.Program, p.Diags
	}
	q, err := p.ForEnv(name)
	if err != nil {
		return &model.Program{Now: p.Program.Now}, nil
	}
	return q.Program, q.Diags
}

// diffEnvironments answers the promotion question between two
// environments of one policy, group by group under role names: what b
// allows that a does not (widened), and the reverse (narrowed).
func diffEnvironments(e *env, args []string, t time.Time, a, b string, o diffOutput, failOnWiden bool) error {
	if a == "" || b == "" || a == b {
		return usageErrorf("--env %s..%s: want two environments, A..B", a, b)
	}
	p, err := loadPolicy(args, t)
	if err != nil {
		return err
	}
	if p.Diags.HasErrors() {
		diag.Fprint(e.stderr, p.Sources, p.Diags)
		return &exitError{Code: ExitFindings, Err: fmt.Errorf("the policy has errors; diff compares valid policies")}
	}
	from, err := p.Roles(a)
	if err != nil {
		return &exitError{Code: ExitUsage, Err: err}
	}
	to, err := p.Roles(b)
	if err != nil {
		return &exitError{Code: ExitUsage, Err: err}
	}
	compare := review.Compare
	if o.flowsOnly(failOnWiden) {
		compare = review.CompareFlows
	}
	d := compare(from, to)
	d.Environment = a + ".." + b
	o.add(d)
	if err := o.flush(e.stdout); err != nil {
		return err
	}
	if failOnWiden && o.widened {
		return findings
	}
	return nil
}
