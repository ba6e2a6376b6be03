package cli

import (
	"time"

	"github.com/spf13/cobra"

	"github.com/sgc-dev/sgc/config"
	"github.com/sgc-dev/sgc/lang/diag"
	"github.com/sgc-dev/sgc/review"
)

const expiringDoc = `Expiring lists the policy's temporary flows by end date, soonest first, with
their purpose and where they are written: for a weekly job, or a ticket.

With --within, only flows ending within that time from today (or --now) are
listed; flows already expired are always included, marked as such.`

func newExpiringCmd(e *env) *cobra.Command {
	var (
		now            nowFlag
		ef             envFlag
		within, format string
	)
	cmd := &cobra.Command{
		Use:     "expiring [PATH...]",
		Short:   "List temporary flows by end date",
		Long:    expiringDoc,
		Example: "  sgc expiring\n  sgc expiring --within 30d examples/game\n  sgc expiring --format json --within 2w > expiring.json",
		RunE: func(cmd *cobra.Command, args []string) error {
			window, err := parseWithin(within)
			if err != nil {
				return err
			}
			t, err := now.time()
			if err != nil {
				return err
			}
			p, err := loadPolicy(args, t)
			if err != nil {
				return err
			}
			if p, err = ef.pick(p, false); err != nil {
				return err
			}
			if p.Diags.HasErrors() {
				diag.Fprint(e.stderr, p.Sources, p.Diags) // stderr: stdout is the command's output
				return findings
			}
			report := review.ExpiringFlows(p.Program, window)
			if format == "json" {
				return report.WriteJSON(e.stdout)
			}
			sayEnv(e.stdout, p)
			return report.WriteText(e.stdout)
		},
	}
	now.register(cmd)
	ef.register(cmd)
	cmd.Flags().StringVar(&within, "within", "", "only flows ending within this time, such as 30d or 2w (default: all)")
	choiceVar(cmd, &format, "format", "output format", "text", "json")
	return cmd
}

func parseWithin(s string) (d time.Duration, err error) {
	if s == "" {
		return 0, nil
	}
	d, err = config.ParseDuration(s)
	if err != nil {
		return 0, usageErrorf("--within %v", err)
	}
	return d, nil
}
