package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/sgc-dev/sgc/compiler/lint"
)

const lintsDoc = `Lints lists sgc's checks: what AWS would accept and you would regret.
With an id or name it prints that check's documentation: why it matters, an
example that fires it and one that does not, and the equivalent checkov,
trivy and cfn_nag rules.

Checks run as part of 'sgc check' and 'sgc build'. Change their severity or
turn them off in sgc.hcl; waive one finding for one flow with a reason and an
end date:

  # sgc:waive SG101 until 2027-01-31 because "partner API has no fixed source addresses"`

func newLintsCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:     "lints [ID|NAME]",
		Short:   "List the checks, or explain one",
		Long:    lintsDoc,
		Example: "  sgc lints\n  sgc lints SG101\n  sgc lints open-ingress",
		Args:    cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				fmt.Fprint(e.stdout, lint.Table())
				return nil
			}
			c := lint.Lookup(args[0])
			if c == nil {
				return usageErrorf("%q is not a check; run 'sgc lints' for the list", args[0])
			}
			fmt.Fprint(e.stdout, lint.Describe(c))
			return nil
		},
	}
}
