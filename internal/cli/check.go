package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sgc-dev/sgc/account/usage"
	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/internal/fsutil"
	"github.com/sgc-dev/sgc/internal/limits"
	"github.com/sgc-dev/sgc/lang/diag"
	"github.com/sgc-dev/sgc/load"
)

const checkDoc = `Check parses and validates a policy: syntax, names, ports, addresses,
descriptions, group names, ids, and rules AWS would refuse as duplicates.
It reports every problem, not just the first, each at its file:line:col.

A PATH is an intent file or a directory, whose *.intent files (not those in
subdirectories) form the policy together. Several PATHs form one policy.

When the policy has no errors, the checks of 'sgc lints' run too, with the
settings of an sgc.hcl in the policy directory, and waivers apply.

Flows whose until date has passed are reported as warnings: the access has
ended and the file needs cleaning up. Warnings alone do not fail the check,
unless --fail-on warning.

Exit status: 0 when nothing reaches --fail-on (default: error), 1 when
something does, 2 for bad usage or unreadable paths.`

const checkExamples = `  sgc check                          # the policy in the current directory
  sgc check examples/game            # a policy directory
  sgc check net.intent web.intent    # files forming one policy
  sgc check --format json policy/    # diagnostics as JSON, for editors and scripts
  sgc check --now 2027-01-01 policy/ # what will have expired by then
  sgc check --format sarif . > sgc.sarif   # for GitHub code scanning
  sgc check --fail-on warning .            # strict CI gate
  sgc check --usage usage.json policy/     # flows the flow logs show unused (sgc usage)`

func newCheckCmd(e *env) *cobra.Command {
	var (
		now            nowFlag
		ef             envFlag
		format, failOn string
		usageFile      string
	)
	cmd := &cobra.Command{
		Use:     "check [PATH...]",
		Short:   "Validate a policy and report every problem",
		Long:    checkDoc,
		Example: checkExamples,
		RunE: func(cmd *cobra.Command, args []string) error {
			threshold, ok := diag.ParseSeverity(failOn)
			if !ok || threshold == diag.Info {
				return usageErrorf("--fail-on %q: want error or warning", failOn)
			}
			t, err := now.time()
			if err != nil {
				return err
			}
			// The lints run after the evidence of use, if any, is read.
			p, err := loadWith(load.Read, args, t)
			if err != nil {
				return err
			}
			if usageFile != "" {
				data, err := fsutil.ReadRegular(usageFile, limits.Export)
				if err != nil {
					return &exitError{Code: ExitUsage, Err: err}
				}
				if p.Config.Lint.Usage, err = usage.Evidence(data); err != nil {
					return &exitError{Code: ExitUsage, Err: fmt.Errorf("--usage %s: %v", usageFile, err)}
				}
			}
			p.RunLint()
			// Without --env every environment is checked, each finding said once.
			if p, err = ef.pick(p, true); err != nil {
				return err
			}
			if err := printDiags(e, p, format); err != nil {
				return err
			}
			if format == "text" {
				status := "ok"
				if s := p.Diags.Summary(); s != "" {
					status = s
				}
				fmt.Fprintf(e.stderr, "%s: %s\n", counts(p), status)
			}
			for _, d := range p.Diags {
				if d.Severity <= threshold {
					return findings
				}
			}
			return nil
		},
	}
	now.register(cmd)
	ef.register(cmd)
	cmd.Flags().StringVar(&usageFile, "usage", "", "evidence of use from VPC Flow Logs (sgc usage --format json): report flows unused for unused_for (SG121)")
	choiceVar(cmd, &format, "format", "output format", "text", "json", "sarif")
	cmd.Flags().StringVar(&failOn, "fail-on", "error", "exit 1 when a finding is at least this severe: error or warning")
	return cmd
}

// counts says how much the policy holds: files, groups, flows and rules,
// per environment when it has several.
func counts(p *load.Policy) string {
	count := func(prog *model.Program) string {
		return fmt.Sprintf("%s, %s, %s", plural(len(prog.Groups), "group"), plural(len(prog.Flows), "flow"), plural(len(prog.Rules), "rule"))
	}
	files := plural(len(p.Files), "file")
	if p.Envs == nil {
		if env := p.Program.Environment; env != nil {
			return fmt.Sprintf("%s, environment %s: %s", files, env.Name, count(p.Program))
		}
		return files + ", " + count(p.Program)
	}
	parts := make([]string, len(p.Envs))
	for i, e := range p.Envs {
		parts[i] = e.Name + ": " + count(e.Program)
	}
	return fmt.Sprintf("%s, %s (%s)", files, plural(len(p.Envs), "environment"), strings.Join(parts, "; "))
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
