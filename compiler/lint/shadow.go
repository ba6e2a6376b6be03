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
//
// The buckets are runs of one sort of the rules' indexes, not maps of
// slices: at 50,000 flows the maps (a bucket map, a rule-to-index map and
// a map per bucket for ICMP) made this check half of all the lints' time.
// Rules of the same port in a bucket keep the program's order, so the
// wider flow a finding names never depends on the sort.
func runShadowed(p *Pass) {
	rules := p.Program.Rules
	groupNum := make(map[*model.Group]int32, len(p.Program.Groups))
	for i, g := range p.Program.Groups {
		groupNum[g] = int32(i)
	}
	type key struct {
		group, peer int32
		dir         model.Direction
	}
	number := func(g *model.Group) int32 {
		n, ok := groupNum[g]
		if !ok { // a group the program does not list: numbered after those it does
			n = int32(len(groupNum))
			groupNum[g] = n
		}
		return n
	}
	// A group peer is numbered by its group (names are unique, so the
	// pointer is the identity, and cheaper to look up than the PeerID);
	// other peers by their PeerID, as negative numbers.
	peers := map[model.PeerID]int32{}
	keys := make([]key, len(rules))
	order := make([]int32, len(rules))
	for i, r := range rules {
		var n int32
		if r.Peer.Kind == model.PeerGroup {
			n = number(r.Peer.Group)
		} else {
			id := r.Peer.ID()
			var ok bool
			if n, ok = peers[id]; !ok {
				n = -1 - int32(len(peers))
				peers[id] = n
			}
		}
		keys[i] = key{group: number(r.Group), peer: n, dir: r.Direction}
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(x, y int32) int {
		kx, ky := keys[x], keys[y]
		switch {
		case kx.group != ky.group:
			return int(kx.group - ky.group)
		case kx.dir != ky.dir:
			return int(kx.dir) - int(ky.dir)
		case kx.peer != ky.peer:
			return int(kx.peer - ky.peer)
		}
		a, b := rules[x].Port, rules[y].Port
		switch {
		case a.Protocol != b.Protocol:
			if a.Less(b) {
				return -1
			}
			return 1
		case a.From != b.From:
			return a.From - b.From
		case a.To != b.To:
			return b.To - a.To // wider first
		}
		return int(x - y)
	})
	// coverer[i] is a flow that covers rules[i] and lasts as long.
	coverer := make([]*model.Flow, len(rules))
	var alls, icmpAny []*model.Rule
	for start := 0; start < len(order); {
		end := start + 1
		for end < len(order) && keys[order[end]] == keys[order[start]] {
			end++
		}
		bucket := order[start:end]
		start = end
		alls, icmpAny = alls[:0], icmpAny[:0]
		for _, i := range bucket {
			r := rules[i]
			switch {
			case r.Port.Protocol == model.All:
				alls = append(alls, r)
			case (r.Port.Protocol == model.ICMP || r.Port.Protocol == model.ICMPv6) && r.Port.To == -1:
				// With any code (or any type): they sort after the
				// specific codes they cover, so they are gathered first.
				icmpAny = append(icmpAny, r)
			}
		}
		// Ranges: sweep in order, keeping the few earlier rules that reach
		// furthest (one per flow is enough to find a coverer from another flow).
		var reach furthest
		var proto model.Protocol
		for _, i := range bucket {
			r := rules[i]
			if f := findCoverer(r, alls, anyPort); f != nil || r.Port.Protocol == model.All {
				coverer[i] = f
				continue
			}
			switch r.Port.Protocol {
			case model.TCP, model.UDP:
				if r.Port.Protocol != proto {
					proto, reach = r.Port.Protocol, furthest{}
				}
				if f := findCoverer(r, reach.rules(), anyPort); f != nil {
					coverer[i] = f
				}
				reach.add(r)
			case model.ICMP, model.ICMPv6:
				// Any type, or the same type with any code.
				if f := findCoverer(r, icmpAny, anyType); f != nil {
					coverer[i] = f
				} else if f := findCoverer(r, icmpAny, sameType); f != nil {
					coverer[i] = f
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

// Which candidates findCoverer considers, besides covering the rule.
const (
	anyPort  = iota // every candidate
	anyType         // ICMP candidates of any type
	sameType        // ICMP candidates of the rule's type, with any code
)

// findCoverer returns the flow of the first of candidates (of the kind
// asked) that covers r from another flow and lasts as long, or nil.
func findCoverer(r *model.Rule, candidates []*model.Rule, kind int) *model.Flow {
	for _, c := range candidates {
		switch kind {
		case anyType:
			if c.Port.Protocol != r.Port.Protocol || c.Port.From != -1 {
				continue
			}
		case sameType:
			if c.Port.Protocol != r.Port.Protocol || c.Port.From != r.Port.From {
				continue
			}
		}
		if c.Flow != r.Flow && c.Port.Covers(r.Port) && lasts(c.Flow, r.Flow) {
			return c.Flow
		}
	}
	return nil
}

// furthest keeps, of the rules swept so far, those that reach furthest:
// the furthest one, and the furthest of any other flow, so that a rule of
// the furthest flow itself can still find a coverer. Held in place, not
// a slice allocated for each rule swept.
type furthest struct {
	best, other *model.Rule
	buf         [2]*model.Rule
}

// rules returns the kept rules, the furthest first.
func (k *furthest) rules() []*model.Rule {
	switch {
	case k.best == nil:
		return nil
	case k.other == nil:
		k.buf[0] = k.best
		return k.buf[:1]
	}
	k.buf[0], k.buf[1] = k.best, k.other
	return k.buf[:2]
}

// add keeps r if it reaches as far as a kept rule: a fold over the kept
// rules, the furthest first, and r; at equal reach a permanent flow's rule
// wins, since it covers temporary ones too.
func (k *furthest) add(r *model.Rule) {
	best, other := k.best, k.other
	k.best, k.other = nil, nil
	for _, x := range [3]*model.Rule{best, other, r} {
		if x == nil {
			continue
		}
		switch {
		case k.best == nil || x.Port.To > k.best.Port.To || (x.Port.To == k.best.Port.To && !x.Flow.Temporary()):
			if k.best != nil && k.best.Flow != x.Flow {
				k.other = k.best
			}
			k.best = x
		case x.Flow != k.best.Flow && (k.other == nil || x.Port.To > k.other.Port.To):
			k.other = x
		}
	}
}
