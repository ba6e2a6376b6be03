package cli

import (
	"fmt"

	"github.com/spf13/cobra"
)

const checkDoc = `Check parses and validates a policy: syntax, names, ports, addresses,
descriptions, group names, ids, and rules AWS would refuse as duplicates.
It reports every problem, not just the first, each at its file:line:col.

A PATH is an intent file or a directory, whose *.intent files (not those in
subdirectories) form the policy together. Several PATHs form one policy.

Flows whose until date has passed are reported as warnings: the access has
ended and the file needs cleaning up. Warnings alone do not fail the check.

Exit status: 0 when there are no errors, 1 when there are, 2 for bad usage
or unreadable paths.`

const checkExamples = `  sgc check                          # the policy in the current directory
  sgc check examples/game            # a policy directory
  sgc check net.intent web.intent    # files forming one policy
  sgc check --format json policy/    # diagnostics as JSON, for editors and scripts
  sgc check --now 2027-01-01 policy/ # what will have expired by then`

func newCheckCmd(e *env) *cobra.Command {
	var (
		now    nowFlag
		format string
	)
	cmd := &cobra.Command{
		Use:     "check [PATH...]",
		Short:   "Validate a policy and report every problem",
		Long:    checkDoc,
		Example: checkExamples,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format, "text", "json"); err != nil {
				return err
			}
			t, err := now.time()
			if err != nil {
				return err
			}
			p, err := load(args, t)
			if err != nil {
				return err
			}
			if err := printDiags(e, p, format); err != nil {
				return err
			}
			if format == "text" {
				prog := p.Program
				status := "ok"
				if s := p.Diags.Summary(); s != "" {
					status = s
				}
				fmt.Fprintf(e.stderr, "%s, %s, %s, %s: %s\n", plural(len(prog.Files), "file"),
					plural(len(prog.Groups), "group"), plural(len(prog.Flows), "flow"), plural(len(prog.Rules), "rule"), status)
			}
			if p.Diags.HasErrors() {
				return findings
			}
			return nil
		},
	}
	now.register(cmd)
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	return cmd
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
