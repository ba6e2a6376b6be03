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
	Bad:  "network partners 192.0.2.1, 192.0.2.2, ... (61 addresses) \"Partners\"\npartners -> api tcp/443 because \"partner calls\"",
	Good: "prefix-list partners pl-0123456789abcdef0 max-entries 61 \"Partners\"  # and a quota of 70 in sgc.hcl",
	Run: func(p *Pass) {
		type key struct {
			g   *model.Group
			dir model.Direction
		}
		type count struct {
			v4, v6  int
			assumed map[string]bool // prefix lists counted without max-entries
			flows   []*model.Flow
		}
		counts := map[key]*count{}
		for _, r := range p.Program.Rules {
			k := key{r.Group, r.Direction}
			c := counts[k]
			if c == nil {
				c = &count{assumed: map[string]bool{}}
				counts[k] = c
			}
			switch r.Peer.Kind {
			case model.PeerCIDR:
				if r.Peer.CIDR.Addr().Is4() {
					c.v4++
				} else {
					c.v6++
				}
			case model.PeerPrefixList:
				n := r.Peer.PrefixList.MaxEntries
				if n == 0 {
					n = p.Config.DefaultMaxEntries
					c.assumed[r.Peer.PrefixList.Name] = true
				}
				c.v4 += n
				c.v6 += n
			default:
				c.v4++
				c.v6++
			}
		}
		keys := make([]key, 0, len(counts))
		for k := range counts {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool {
			if keys[i].g.Name != keys[j].g.Name {
				return keys[i].g.Name < keys[j].g.Name
			}
			return keys[i].dir < keys[j].dir
		})
		for _, k := range keys {
			c := counts[k]
			word := map[model.Direction]string{model.Ingress: "inbound", model.Egress: "outbound"}[k.dir]
			for _, fam := range []struct {
				name string
				n    int
			}{{"IPv4", c.v4}, {"IPv6", c.v6}} {
				if fam.n <= p.Config.Quota {
					continue
				}
				d := p.Report(nil, k.g.NameRange, "group %q has %d %s %s rules; the quota is %d", k.g.Name, fam.n, word, fam.name, p.Config.Quota).
					WithDetail("Counted as AWS counts: each %s block one rule, each group reference one, each prefix list its max-entries.", fam.name)
				if len(c.assumed) > 0 {
					var names []string
					for n := range c.assumed {
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
