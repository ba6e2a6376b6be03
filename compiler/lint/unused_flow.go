package lint

import (
	"time"

	"github.com/sgc-dev/sgc/lang/diag"
)

// Usage is evidence of which flows carried traffic, from VPC Flow Logs
// (sgc usage --format json, read back by sgc check --usage FILE).
type Usage struct {
	From, To time.Time // the window the logs cover
	// LastSeen is, by model.Flow.Key, when each flow the evidence knows
	// last carried traffic; the zero time when it carried none.
	LastSeen map[string]time.Time
}

// UnusedFlow reports flows the flow logs show carried nothing for a long time.
var UnusedFlow = &Check{
	ID: "SG121", Name: "unused-flow", Severity: diag.Warning,
	Title: "flow that carried no traffic for unused_for (flow logs, --usage)",
	Doc: `With evidence from VPC Flow Logs (sgc usage --format json > usage.json; sgc check
--usage usage.json), a flow that carried no traffic for unused_for (90 days by default) is
reported: access nobody uses is access to remove. Only logs that cover at least unused_for
count, and a flow the evidence does not know (newer than the logs) is not judged. A flow
kept on purpose (a disaster-recovery path) is waived with its reason and an end date.`,
	Bad:  "web -> legacy-db tcp/5432 because \"the old order service\"   # no record in 90 days of logs",
	Good: "web -> db tcp/5432 because \"the web servers store orders\"    # traffic every day",
	Run: func(p *Pass) {
		u, window := p.Config.Usage, p.Config.UnusedFor
		if u == nil || u.To.Sub(u.From) < window {
			return
		}
		days := int(window.Hours() / 24)
		for f := range p.Program.Active() {
			last, known := u.LastSeen[f.Key()]
			switch {
			case !known:
			case last.IsZero():
				p.Report(f, f.Range, "no traffic in the flow logs from %s to %s (%d days or more)", u.From.Format("2006-01-02"), u.To.Format("2006-01-02"), days)
			case u.To.Sub(last) >= window:
				p.Report(f, f.Range, "no traffic for %d days in the flow logs (last seen %s)", int(u.To.Sub(last).Hours()/24), last.Format("2006-01-02"))
			}
		}
	},
}
