package lint

import (
	"fmt"

	"github.com/sgc-dev/sgc/lang/diag"
)

// ExpiringFlow reports temporary flows about to end.
var ExpiringFlow = &Check{
	ID: "SG108", Name: "expiring-flow", Severity: diag.Warning,
	Title: "temporary flow about to expire",
	Doc: `The flow ends within the expiry window (14 days by default, expiring_within): after its
date builds leave it out and the access stops. Extend it deliberately, or let it go and
delete it. Expired flows are reported by the compiler (ExpiredFlow).`,
	Bad:  "office -> db tcp/5432 because \"incident INC-2211\" until 2026-06-03",
	Good: "office -> db tcp/5432 because \"incident INC-2211\" until 2026-09-30",
	Run: func(p *Pass) {
		for f := range p.Program.Active() {
			if !f.Temporary() {
				continue
			}
			left := f.Until.Sub(p.Program.Now)
			if left <= p.Config.ExpiringWithin {
				days := int(left.Hours() / 24)
				when := fmt.Sprintf("in %d days", days)
				if days == 1 {
					when = "tomorrow"
				}
				p.Report(f, f.UntilRange(), "flow expires %s (%s)", when, f.Until.Format("2006-01-02"))
			}
		}
	},
}
