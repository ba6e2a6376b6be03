package model

// QuotaKey is a group and a direction: AWS's rules-per-group quota is
// counted for each, and for each address family apart.
type QuotaKey struct {
	Group     *Group
	Direction Direction
}

// QuotaCount is how many rules AWS counts against the quota of one group
// and direction.
type QuotaCount struct {
	V4, V6 int
	// Assumed names the prefix lists counted without max-entries, by
	// defaultMaxEntries.
	Assumed map[string]bool
}

// QuotaCounts counts p's rules as AWS counts them against the
// rules-per-group quota: each IPv4 block one IPv4 rule, each IPv6 block
// one IPv6 rule, each group reference one of each, and each prefix list
// its max-entries of each (an AWS-managed list its weight, AWS's own
// count; defaultMaxEntries where it has neither). The lint
// (SG110) and the targets that add rules of their own (CloudFormation's
// placeholder egress) count with it.
func (p *Program) QuotaCounts(defaultMaxEntries int) map[QuotaKey]*QuotaCount {
	counts := map[QuotaKey]*QuotaCount{}
	// The rules of a group and direction are next to each other in a
	// compiled program: the map is asked once per run of them.
	var last QuotaKey
	var c *QuotaCount
	for _, r := range p.Rules {
		if k := (QuotaKey{r.Group, r.Direction}); c == nil || k != last {
			last = k
			if c = counts[k]; c == nil {
				c = &QuotaCount{}
				counts[k] = c
			}
		}
		switch r.Peer.Kind {
		case PeerCIDR:
			if r.Peer.CIDR.Addr().Is4() {
				c.V4++
			} else {
				c.V6++
			}
		case PeerPrefixList:
			n := r.Peer.PrefixList.Quota(0)
			if n == 0 {
				n = defaultMaxEntries
				if c.Assumed == nil {
					c.Assumed = map[string]bool{}
				}
				c.Assumed[r.Peer.PrefixList.Name] = true
			}
			c.V4 += n
			c.V6 += n
		default:
			c.V4++
			c.V6++
		}
	}
	return counts
}
