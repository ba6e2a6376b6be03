package cli

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/config/adopt"
	"github.com/sgc-dev/sgc/emit"
	"github.com/sgc-dev/sgc/emit/targets"
	"github.com/sgc-dev/sgc/internal/fsutil"
	"github.com/sgc-dev/sgc/internal/gcpace"
	"github.com/sgc-dev/sgc/lang/diag"
	"github.com/sgc-dev/sgc/lang/source"
	"github.com/sgc-dev/sgc/load"
)

const buildDoc = `Build checks a policy and writes it out as infrastructure code.

It runs every check of 'sgc check' first and writes nothing when there is
an error. Flows whose until date has passed are left out (the access ends)
and reported as warnings.

The output directory belongs to you; sgc only keeps its own files in it.
A build replaces or removes only the top-level files that the same target
wrote into that directory before (listed in DIR/.sgc/<target>.json with
their checksums), and only while they are still what it wrote: a file
edited since, written over (a report), or in a directory no build has
written is never overwritten (build refuses, exit 2). Subdirectories,
other targets' files and everything else (.terraform/, state, a README)
are left alone.

A PATH is a file, a directory (its *.intent files), or DIR/... (every
*.intent file under DIR, as one policy). A policy that declares no group
is not built unless --allow-empty is given: applied over a deployment, its
output would delete every group.

A CloudFormation build reads the previous build's templates in DIR (its
own files only) for the description each group has in AWS: a group whose
description the policy changed keeps that one and carries the new one in
its Description tag (note DescriptionKept), because AWS changes a
description only by replacing the group, which CloudFormation cannot do
while the group is in use. Build into the same directory every time, or,
building into a new one, name the deployed templates with --earlier.

The files are staged inside DIR/.sgc and moved into place after a journal
is written; a build killed before that leaves the old output, one killed
after it is finished by the next build into DIR. A lock makes a second
build into the same directory at the same time fail (exit 2).

Targets:
%s`

const buildExamples = `  sgc build examples/game -t terraform -o out/
  sgc build . -t terraform -o modules/security-groups --now 2026-12-01
  sgc build . -t terraform -o out/ --source-lines   # tag rules with file:line
  sgc build policy/... -t terraform -o out/         # every *.intent under policy/, one policy
  sgc build examples/game -t cloudformation -o cfn/
  sgc build . -t cloudformation --format json -o cfn/
  sgc build big-policy/ -t cloudformation --split -o cfn/   # several stacks and a deploy README
  aws cloudformation get-template --stack-name sg --query TemplateBody --output text > deployed.yaml
  sgc build . -t cloudformation -o "$(mktemp -d)" --earlier deployed.yaml   # keep what is deployed`

func newBuildCmd(e *env) *cobra.Command {
	var (
		now         nowFlag
		ef          envFlag
		target, dir string
		earlier     []string
		opts        emit.Options
		allowEmpty  bool
	)
	var docs []string
	for _, t := range targets.All {
		docs = append(docs, fmt.Sprintf("  %-15s %s", t.Name, t.Doc))
	}
	cmd := &cobra.Command{
		Use:     "build [PATH...] -t TARGET -o DIR",
		Short:   "Check a policy and write Terraform or CloudFormation",
		Long:    fmt.Sprintf(buildDoc, strings.Join(docs, "\n")),
		Example: buildExamples,
		RunE: func(cmd *cobra.Command, args []string) error {
			t, err := findTarget(target)
			if err != nil {
				return err
			}
			if err := t.Check(opts); err != nil {
				return &exitError{Code: ExitUsage, Err: err}
			}
			if dir == "" {
				return usageErrorf("-o DIR is required: the directory to write the %s output to", t.Name)
			}
			day, err := now.time()
			if err != nil {
				return err
			}
			// What the previous build in DIR gave AWS is read while the
			// policy loads (it depends on the directory alone), and the
			// output is generated while the lints run (both only read the
			// program), and thrown away if they find an error.
			readEarlier := startEarlier(dir, earlier, t)
			defer readEarlier() // nothing reads DIR once the command returns
			p, err := loadWith(load.Read, args, day)
			if err != nil {
				return err
			}
			if p.Environments == nil {
				p.DropSyntax() // nothing from here on reads the syntax trees
				gcpace.Reclaim()
				return buildInto(e, p, t, dir, readEarlier, opts, allowEmpty, true)
			}
			// Every environment (or the one chosen) into a directory of
			// its own, each built as the policy of that environment alone
			// (and keeping what its own directory holds: the read begun
			// for DIR itself goes unused).
			p.RunLint()
			diag.Fprint(e.stderr, p.Sources, p.Diags)
			if p.Diags.HasErrors() {
				fmt.Fprintf(e.stderr, "%s; nothing written\n", p.Diags.Summary())
				return findings
			}
			names := p.Environments.Names()
			if ef.name != "" {
				names = []string{ef.name}
			}
			for _, name := range names {
				q, err := ef.pick(p, true)
				if ef.name == "" {
					q, err = p.ForEnv(name)
				}
				if err != nil {
					return &exitError{Code: ExitUsage, Err: err}
				}
				if err := buildInto(e, q, t, filepath.Join(dir, name), startEarlier(filepath.Join(dir, name), earlier, t), opts, allowEmpty, false); err != nil {
					return err
				}
			}
			return nil
		},
	}
	now.register(cmd)
	ef.register(cmd)
	targetVar(cmd, &target, "output target")
	cmd.Flags().StringVarP(&dir, "out", "o", "", "output directory")
	cmd.Flags().StringVar(&opts.Format, "format", "", formatUsage())
	splitVar(cmd, &opts.Split, "spread a policy too big for one stack over several, with a README giving the deploy order")
	cmd.Flags().StringArrayVar(&earlier, "earlier", nil, "cloudformation: read what to keep (group descriptions, logical IDs) from these templates of an earlier build, not from -o DIR (repeatable)")
	cmd.Flags().BoolVar(&allowEmpty, "allow-empty", false, "build a policy that declares no group (its output removes every group)")
	cmd.Flags().BoolVar(&opts.SourceLines, "source-lines", false, "tag each rule with the file:line of its flow (line numbers change whenever lines are added above)")
	return cmd
}

// startEarlier starts reading what the earlier build of t into dir (or
// the templates named) must keep, and returns the wait for it. At 50,000
// flows the reading takes a tenth of a second, which the policy's loading
// hides.
func startEarlier(dir string, named []string, t *emit.Target) func() (emit.Earlier, error) {
	var (
		earlier emit.Earlier
		err     error
	)
	done := make(chan struct{})
	go func() {
		defer close(done)
		earlier, err = emit.ReadEarlier(dir, named, t)
	}()
	return func() (emit.Earlier, error) {
		<-done
		return earlier, err
	}
}

// buildInto builds the policy p (one environment's, or one without
// environments) into dir, keeping what readEarlier gives. With runLint
// the lints run while the output is generated; without, p has been
// linted.
func buildInto(e *env, p *load.Policy, t *emit.Target, dir string, readEarlier func() (emit.Earlier, error), opts emit.Options, allowEmpty, runLint bool) error {
	var (
		files []emit.File
		diags diag.List
		err   error
	)
	if !p.Diags.HasErrors() {
		opts.Adopt = p.Adopt                  // groups and rules taken over, from *.adopt.hcl
		opts.GroupNames = p.Config.GroupNames // sgc.hcl's build { group_names }
		opts.Quota, opts.DefaultMaxEntries = p.Config.Lint.Quota, p.Config.Lint.DefaultMaxEntries
		// What the previous build gave AWS and must keep.
		if opts.Earlier, err = readEarlier(); err != nil {
			return outputError(err)
		}
		if runLint {
			done := make(chan struct{})
			go func() {
				defer close(done)
				files, diags = t.Emit(p.Program, opts)
			}()
			p.RunLint()
			<-done
		} else {
			files, diags = t.Emit(p.Program, opts)
		}
		if len(p.Program.Groups) == 0 && !allowEmpty {
			diags.Errorf(source.Range{}, load.EmptyPolicy, "the policy declares no group: its output would delete every group of a deployment built from it").
				WithSuggestion("Check the paths (a tree of directories is read with DIR/...), or pass --allow-empty to build it anyway.")
		}
	}
	if runLint { // else the caller printed the policy's diagnostics
		diag.Fprint(e.stderr, p.Sources, p.Diags)
	}
	if p.Diags.HasErrors() {
		fmt.Fprintf(e.stderr, "%s; nothing written\n", p.Diags.Summary())
		return findings
	}
	diag.Fprint(e.stderr, p.Sources, diags)
	if diags.HasErrors() {
		fmt.Fprintf(e.stderr, "%s; nothing written\n", diags.Summary())
		return findings
	}
	// What is adopted is said once: a build whose adoption file is
	// the one already in DIR (applied, or about to be) says so in
	// a line instead of every note again.
	sameAdoption := false
	for _, f := range files {
		if t.AdoptFile != "" && f.Path == t.AdoptFile {
			old, err := fsutil.ReadRegular(filepath.Join(dir, f.Path), int64(len(f.Data))+1)
			sameAdoption = err == nil && bytes.Equal(old, f.Data)
		}
	}
	unchanged, err := emit.WriteDir(dir, t, files)
	if err != nil {
		return outputError(err)
	}
	if sameAdoption {
		fmt.Fprintf(e.stderr, "adopt: unchanged since the last build into %s (%s); once applied, the import file in the root module can go\n", dir, t.AdoptFile)
	} else {
		for _, n := range adopt.Notes(p.Adopt, p.Program) {
			fmt.Fprintf(e.stderr, "adopt: %s\n", n)
		}
	}
	expired := 0
	for _, f := range p.Program.Flows {
		if f.Status == model.Expired {
			expired++
		}
	}
	written := plural(len(files)-unchanged, "file") + " to " + dir
	if unchanged > 0 { // a rebuild: say what it changed
		written += ", " + fmt.Sprint(unchanged) + " unchanged"
	}
	msg := fmt.Sprintf("wrote %s: %s, %s", written,
		plural(len(p.Program.Groups), "group"), plural(len(p.Program.Rules), "rule"))
	if expired > 0 {
		msg += fmt.Sprintf("; left out %s that expired", plural(expired, "flow"))
	}
	fmt.Fprintln(e.stderr, msg)
	return nil
}
