package lint

import (
	"slices"

	"github.com/sgc-dev/sgc/compiler/model"
)

// lasts reports whether access granted by g lasts at least as long as f's.
func lasts(g, f *model.Flow) bool {
	if !g.Temporary() {
		return true
	}
	return f.Temporary() && !g.Until.Before(f.Until)
}

// runShadowed finds flows all of whose rules other flows' rules cover. The
// rules are bucketed by group, direction and peer and sorted by port, so
// each rule meets only the candidates that can cover it: the rules of its
// bucket with protocol all, and for ranges the earlier rules reaching
// furthest, found in one sweep.
func runShadowed(p *Pass) {
	// Peers are numbered once, so that buckets are keyed by small values.
	type bucketKey struct {
		group *model.Group
		dir   model.Direction
		peer  int
	}
	rules := p.Program.Rules
	peers := map[model.PeerID]int{}
	buckets := map[bucketKey][]*model.Rule{}
	index := make(map[*model.Rule]int, len(rules))
	for i, r := range rules {
		id := r.Peer.ID()
		n, ok := peers[id]
		if !ok {
			n = len(peers)
			peers[id] = n
		}
		k := bucketKey{r.Group, r.Direction, n}
		buckets[k] = append(buckets[k], r)
		index[r] = i
	}
	// coverer[i] is a flow that covers rules[i] and lasts as long.
	coverer := make([]*model.Flow, len(rules))
	for _, rules := range buckets {
		slices.SortFunc(rules, func(x, y *model.Rule) int {
			a, b := x.Port, y.Port
			switch {
			case a.Protocol != b.Protocol:
				if a.Less(b) {
					return -1
				}
				return 1
			case a.From != b.From:
				return a.From - b.From
			}
			return b.To - a.To // wider first
		})
		var alls []*model.Rule
		for _, r := range rules {
			if r.Port.Protocol == model.All {
				alls = append(alls, r)
			}
		}
		find := func(r *model.Rule, candidates []*model.Rule) *model.Flow {
			for _, c := range candidates {
				if c.Flow != r.Flow && c.Port.Covers(r.Port) && lasts(c.Flow, r.Flow) {
					return c.Flow
				}
			}
			return nil
		}
		// Ranges: sweep in order, keeping the few earlier rules that reach
		// furthest (one per flow is enough to find a coverer from another flow).
		var reach []*model.Rule
		var proto model.Protocol
		// ICMP rules with any code (or any type), indexed before the sweep
		// since they sort after the specific codes they cover.
		icmpAny := map[[2]any][]*model.Rule{}
		for _, r := range rules {
			if (r.Port.Protocol == model.ICMP || r.Port.Protocol == model.ICMPv6) && r.Port.To == -1 {
				k := [2]any{r.Port.Protocol, r.Port.From}
				icmpAny[k] = append(icmpAny[k], r)
			}
		}
		for _, r := range rules {
			if r.Port.Protocol == model.All {
				if f := find(r, alls); f != nil {
					coverer[index[r]] = f
				}
				continue
			}
			if f := find(r, alls); f != nil {
				coverer[index[r]] = f
				continue
			}
			switch r.Port.Protocol {
			case model.TCP, model.UDP:
				if r.Port.Protocol != proto {
					proto, reach = r.Port.Protocol, nil
				}
				if f := find(r, reach); f != nil {
					coverer[index[r]] = f
				}
				reach = keepFurthest(append(reach, r))
			case model.ICMP, model.ICMPv6:
				// Any type, or the same type with any code.
				for _, k := range [][2]any{{r.Port.Protocol, -1}, {r.Port.Protocol, r.Port.From}} {
					if f := find(r, icmpAny[k]); f != nil {
						coverer[index[r]] = f
						break
					}
				}
			}
		}
	}
	// A flow is shadowed when every one of its rules is covered. Counted in
	// one pass over the rules: how many each flow has, how many are covered,
	// and the coverer of its last one.
	type tally struct {
		rules, covered int
		by             *model.Flow
	}
	tallies := make(map[*model.Flow]*tally, len(p.Program.Flows))
	all := make([]tally, len(p.Program.Flows))
	for i, f := range p.Program.Flows {
		tallies[f] = &all[i]
	}
	for i, r := range rules {
		t := tallies[r.Flow]
		t.rules++
		t.by = coverer[i]
		if t.by != nil {
			t.covered++
		}
	}
	for i, f := range p.Program.Flows {
		if t := all[i]; t.rules > 0 && t.covered == t.rules {
			by := t.by
			p.Report(f, f.Range, "flow is already allowed by %s -> %s %s", by.From.Declared().Name, by.To.Declared().Name, model.PortsString(by.Ports)).
				WithRelated(by.Range, "the wider flow")
		}
	}
}

// keepFurthest keeps, of the rules swept so far, those that reach furthest:
// the furthest one, and the furthest of any other flow, so that a rule of
// the furthest flow itself can still find a coverer.
func keepFurthest(rs []*model.Rule) []*model.Rule {
	var best, other *model.Rule
	for _, r := range rs {
		switch {
		case best == nil || r.Port.To > best.Port.To || (r.Port.To == best.Port.To && !r.Flow.Temporary()):
			if best != nil && best.Flow != r.Flow {
				other = best
			}
			best = r
		case r.Flow != best.Flow && (other == nil || r.Port.To > other.Port.To):
			other = r
		}
	}
	out := []*model.Rule{best}
	if other != nil {
		out = append(out, other)
	}
	return out
}
