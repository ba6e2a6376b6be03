package cli

import (
	"encoding/json"
	"fmt"
	"github.com/sgc-dev/sgc/lang/diag"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/config"
)

const expiringDoc = `Expiring lists the policy's temporary flows by end date, soonest first, with
their purpose and where they are written: for a weekly job, or a ticket.

With --within, only flows ending within that time from today (or --now) are
listed; flows already expired are always included, marked as such.`

func newExpiringCmd(e *env) *cobra.Command {
	var (
		now            nowFlag
		within, format string
	)
	cmd := &cobra.Command{
		Use:     "expiring [PATH...]",
		Short:   "List temporary flows by end date",
		Long:    expiringDoc,
		Example: "  sgc expiring\n  sgc expiring --within 30d examples/game\n  sgc expiring --format json --within 2w > expiring.json",
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format, "text", "json"); err != nil {
				return err
			}
			window, err := parseWithin(within)
			if err != nil {
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
			if p.Diags.HasErrors() {
				diag.Fprint(e.stderr, p.Sources, p.Diags) // stderr: stdout is the command's output
				return findings
			}
			flows := p.Program.TemporaryFlows(window)
			if format == "json" {
				return writeExpiringJSON(e, p.Program, flows)
			}
			tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
			for _, f := range flows {
				fmt.Fprintf(tw, "%s\t%s\t%s -> %s %s\t%q\t%s\n", f.Until.Format("2006-01-02"), left(p.Program, f),
					f.From.Declared().Name, f.To.Declared().Name, model.PortsString(f.Ports), f.Purpose, f.Range.Start)
			}
			return tw.Flush()
		},
	}
	now.register(cmd)
	cmd.Flags().StringVar(&within, "within", "", "only flows ending within this time, such as 30d or 2w (default: all)")
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
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

func daysLeft(p *model.Program, f *model.Flow) int {
	return int(f.Until.Sub(p.Now).Hours() / 24)
}

func left(p *model.Program, f *model.Flow) string {
	switch n := daysLeft(p, f); {
	case f.Status == model.Expired:
		return fmt.Sprintf("expired %d days ago", -n)
	case n == 1:
		return "tomorrow"
	default:
		return fmt.Sprintf("in %d days", n)
	}
}

func writeExpiringJSON(e *env, p *model.Program, flows []*model.Flow) error {
	type item struct {
		Until    string `json:"until"`
		DaysLeft int    `json:"days_left"`
		Status   string `json:"status"`
		From     string `json:"from"`
		To       string `json:"to"`
		Ports    string `json:"ports"`
		Purpose  string `json:"purpose"`
		File     string `json:"file"`
		Line     int    `json:"line"`
	}
	out := []item{}
	for _, f := range flows {
		out = append(out, item{f.Until.Format("2006-01-02"), daysLeft(p, f), f.Status.String(), f.From.Declared().Name,
			f.To.Declared().Name, model.PortsString(f.Ports), f.Purpose, f.Range.Start.Filename, f.Range.Start.Line})
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
