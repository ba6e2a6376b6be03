package lint

import (
	"fmt"
	"sort"
	"strings"

	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/lang/diag"
)

// MaxRulesTimesGroups is AWS's bound on the product of the rules-per-group
// quota and the groups-per-interface quota: an account can raise either
// only as far as the product stays within it.
const MaxRulesTimesGroups = 1000

// InterfaceOverQuota reports interfaces whose groups AWS cannot attach
// together.
var InterfaceOverQuota = &Check{
	ID: "SG118", Name: "interface-over-quota", Severity: diag.Error,
	Title: "groups attached together beyond AWS's per-interface quotas",
	Doc: `A network interface takes 5 security groups by default (16 at most, on request), and AWS
bounds the rules-per-group quota times the groups-per-interface quota by 1,000: an account
whose interfaces take 5 groups can allow 200 rules per group, one whose interfaces take 16
only 62. An interface statement says which groups are attached together (an instance fleet,
an ECS service, a load balancer); they must be at most groups_per_interface (sgc.hcl), and
the group with the most rules, times their number, within 1,000, counted per direction and
family as SG110 counts. Merge or split the groups, or attach fewer together.`,
	Bad:          "interface web-fleet web, metrics, ssm, logs, backup, debug \"Web instances\"  # six groups",
	Good:         "interface web-fleet web, metrics, ssm \"Web instances\"",
	Declarations: true,
	Run: func(p *Pass) {
		if len(p.Program.Interfaces) == 0 {
			return // nothing to count for (counting is a pass over every rule)
		}
		counts := p.Program.QuotaCounts(p.Config.DefaultMaxEntries)
		for _, in := range p.Program.Interfaces {
			n := len(in.Groups)
			if n > p.Config.GroupsPerInterface {
				p.Report(nil, in.NameRange, "interface %s attaches %d groups; a network interface takes %d", in.Name, n, p.Config.GroupsPerInterface).
					WithDetail("AWS attaches at most %d security groups to a network interface in this account (groups_per_interface in sgc.hcl; 5 by default, 16 at most).", p.Config.GroupsPerInterface)
				continue
			}
			// The largest count of any member, in any direction and
			// family, and who holds it.
			type load struct {
				g    *model.Group
				n    int
				what string
			}
			var loads []load
			for _, g := range in.Groups {
				best := load{g: g}
				for _, d := range []model.Direction{model.Ingress, model.Egress} {
					c := counts[model.QuotaKey{Group: g, Direction: d}]
					if c == nil {
						continue
					}
					word := map[model.Direction]string{model.Ingress: "inbound", model.Egress: "outbound"}[d]
					if c.V4 > best.n {
						best.n, best.what = c.V4, word+" IPv4"
					}
					if c.V6 > best.n {
						best.n, best.what = c.V6, word+" IPv6"
					}
				}
				loads = append(loads, best)
			}
			sort.SliceStable(loads, func(i, j int) bool { return loads[i].n > loads[j].n })
			if len(loads) == 0 || loads[0].n*n <= MaxRulesTimesGroups {
				continue
			}
			var most []string
			for _, l := range loads[:min(3, len(loads))] {
				if l.n > 0 {
					most = append(most, fmt.Sprintf("%s %d %s", l.g.Name, l.n, l.what))
				}
			}
			top := loads[0]
			p.Report(nil, in.NameRange, "interface %s attaches %d groups and %s has %d %s rules: %d × %d = %d is over AWS's bound of %d",
				in.Name, n, top.g.Name, top.n, top.what, n, top.n, n*top.n, MaxRulesTimesGroups).
				WithDetail("AWS bounds the rules-per-group quota times the groups-per-interface quota by %d, so no account attaches %d groups to an interface and allows %d rules in one (the most rules: %s).",
					MaxRulesTimesGroups, n, top.n, strings.Join(most, ", "))
		}
	},
}
