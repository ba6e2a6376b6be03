package lint

import (
	"fmt"
	"sort"
	"strings"

	"github.com/sgc-dev/sgc/compiler/model"
	"github.com/sgc-dev/sgc/lang/diag"
)

// OverQuota reports groups with more rules than AWS allows.
var OverQuota = &Check{
	ID: "SG110", Name: "over-quota", Severity: diag.Error,
	Title: "group over AWS's rules-per-group quota",
	Doc: `AWS allows 60 inbound and 60 outbound rules per security group by default, counted
separately for IPv4 and IPv6: each IPv4 block counts for IPv4, each IPv6 block for IPv6,
and each group reference and each prefix list (by its max-entries) for both. A group over
the quota fails at deploy time. Merge blocks, use a prefix list with fewer entries, split
the group, or set quota in sgc.hcl after raising the quota in the account. A prefix list
declared without max-entries is counted as 1 entry (default_max_entries).`,
	Bad:          "network partners 192.0.2.1, 192.0.2.2, ... (61 addresses) \"Partners\"\npartners -> api tcp/443 because \"partner calls\"",
	Good:         "prefix-list partners pl-0123456789abcdef0 max-entries 61 \"Partners\"  # and a quota of 70 in sgc.hcl",
	Declarations: true,
	Run: func(p *Pass) {
		type key = model.QuotaKey
		counts := p.Program.QuotaCounts(p.Config.DefaultMaxEntries)
		keys := make([]key, 0, len(counts))
		for k := range counts {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool {
			if keys[i].Group.Name != keys[j].Group.Name {
				return keys[i].Group.Name < keys[j].Group.Name
			}
			return keys[i].Direction < keys[j].Direction
		})
		for _, k := range keys {
			c := counts[k]
			word := map[model.Direction]string{model.Ingress: "inbound", model.Egress: "outbound"}[k.Direction]
			for _, fam := range []struct {
				name string
				n    int
			}{{"IPv4", c.V4}, {"IPv6", c.V6}} {
				if fam.n <= p.Config.Quota {
					continue
				}
				d := p.Report(nil, k.Group.NameRange, "group %q has %d %s %s rules; the quota is %d", k.Group.Name, fam.n, word, fam.name, p.Config.Quota).
					WithDetail("Counted as AWS counts: each %s block one rule, each group reference one, each prefix list its max-entries (an AWS-managed one its published weight).", fam.name)
				if len(c.Assumed) > 0 {
					var names []string
					for n := range c.Assumed {
						names = append(names, n)
					}
					sort.Strings(names)
					unit := "entries"
					if p.Config.DefaultMaxEntries == 1 {
						unit = "entry"
					}
					d.Detail += fmt.Sprintf(" Prefix lists without max-entries (%s) were counted as %d %s each.", strings.Join(names, ", "), p.Config.DefaultMaxEntries, unit)
				}
			}
		}
	},
}
