package usage

import (
	"net/netip"
	"slices"
	"strconv"

	"github.com/sgc-dev/sgc/account/live"
	"github.com/sgc-dev/sgc/compiler/model"
)

// MaxPeers bounds the distinct peers kept per flow and per group of
// unexplained or rejected traffic: past it, traffic is counted but its
// peers are not told apart (memory stays bounded whatever the logs hold).
const MaxPeers = 4096

// Analyzer folds flow log records into evidence about a policy's flows.
type Analyzer struct {
	prog   *model.Program
	enis   map[string]*eni
	byAddr map[netip.Addr]*eni
	rules  map[ruleKey][]*model.Rule
	flows  map[*model.Flow]*Tally
	// unexplained: accepted traffic at the policy's groups no rule allows;
	// rejected: traffic the groups refused. Keyed by group, direction,
	// protocol and port.
	unexplained, rejected map[trafficKey]*Tally
	// unverifiable counts accepted records only a rule to a prefix list
	// or an external group could explain (their members are not known).
	unverifiable int
	// others counts records of interfaces without the policy's groups.
	others   int
	credited []*model.Flow // scratch of explain
	from, to int64         // the window the records cover
}

type eni struct {
	id     string
	groups []*model.Group
	addrs  []netip.Addr
}

type ruleKey struct {
	group     *model.Group
	direction model.Direction
}

// trafficKey groups traffic the policy does not explain.
type trafficKey struct {
	Group     string
	Direction model.Direction
	Protocol  int
	Port      int
}

// Tally is what the records of one flow, or one group of traffic, add up to.
type Tally struct {
	Records, Bytes int64
	First, Last    int64 // Unix seconds
	Responses      int64 // records of replies to the flow's connections
	peers          map[netip.Addr]int64
	peersDropped   int64 // records whose peer was not kept (MaxPeers)
}

func (t *Tally) add(r *Record, peer netip.Addr) {
	t.Records++
	t.Bytes += r.Bytes
	if t.First == 0 || r.Start < t.First {
		t.First = r.Start
	}
	if r.End > t.Last {
		t.Last = r.End
	}
	if t.peers == nil {
		t.peers = map[netip.Addr]int64{}
	}
	if _, ok := t.peers[peer]; ok || len(t.peers) < MaxPeers {
		t.peers[peer]++
	} else {
		t.peersDropped++
	}
}

// NewAnalyzer prepares the evidence of prog's flows: groupIDs maps the
// live groups' ids to the policy's group names (drift's matching), and
// interfaces are the account's network interfaces.
func NewAnalyzer(prog *model.Program, groupIDs map[string]string, interfaces []live.Interface) *Analyzer {
	a := &Analyzer{prog: prog, enis: map[string]*eni{}, byAddr: map[netip.Addr]*eni{}, rules: map[ruleKey][]*model.Rule{},
		flows: map[*model.Flow]*Tally{}, unexplained: map[trafficKey]*Tally{}, rejected: map[trafficKey]*Tally{}}
	for _, in := range interfaces {
		e := &eni{id: in.ID, addrs: in.Addresses}
		for _, id := range in.Groups {
			if g, ok := prog.Lookup(groupIDs[id]).(*model.Group); ok {
				e.groups = append(e.groups, g)
			}
		}
		a.enis[in.ID] = e
		for _, ad := range in.Addresses {
			a.byAddr[ad] = e
		}
	}
	for _, r := range prog.Rules {
		k := ruleKey{r.Group, r.Direction}
		a.rules[k] = append(a.rules[k], r)
	}
	return a
}

// Add folds one record in.
func (a *Analyzer) Add(r *Record) {
	e := a.enis[r.Interface]
	if e == nil || len(e.groups) == 0 {
		a.others++
		return
	}
	if a.from == 0 || r.Start < a.from {
		a.from = r.Start
	}
	if r.End > a.to {
		a.to = r.End
	}
	dir, ok := a.direction(e, r)
	if !ok {
		a.others++
		return
	}
	peer, port := r.Src, r.DstPort
	if dir == model.Egress {
		peer = r.Dst
	}
	if !r.Accept {
		a.tally(a.rejected, e, dir, r, peer, port)
		return
	}
	if a.explain(e, dir, r, peer, port, false) {
		return
	}
	// Security groups are stateful: the reply of a connection a flow
	// allowed the other way is allowed too, and logged as its own record.
	back, backPort := model.Egress, r.SrcPort
	if dir == model.Egress {
		back = model.Ingress
	}
	if a.explain(e, back, r, peer, backPort, true) {
		return
	}
	if a.onlyUnverifiable(e, dir, r) {
		a.unverifiable++
		return
	}
	a.tally(a.unexplained, e, dir, r, peer, port)
}

// direction tells whether the record entered or left the interface: from
// the record's flow-direction, else from the interface's own addresses.
func (a *Analyzer) direction(e *eni, r *Record) (model.Direction, bool) {
	switch r.Direction {
	case 'i':
		return model.Ingress, true
	case 'e':
		return model.Egress, true
	}
	for _, ad := range e.addrs {
		if ad == r.Dst {
			return model.Ingress, true
		}
		if ad == r.Src {
			return model.Egress, true
		}
	}
	return 0, false
}

// explain credits the record to every flow whose rule on one of the
// interface's groups allows it; false when none does.
func (a *Analyzer) explain(e *eni, dir model.Direction, r *Record, peer netip.Addr, port int, response bool) bool {
	credited := a.credited[:0] // a record counts once per flow, whatever number of its rules allow it
	for _, g := range e.groups {
		for _, rule := range a.rules[ruleKey{g, dir}] {
			if !portMatches(rule.Port, r.Protocol, port) || !a.peerMatches(rule.Peer, peer) || slices.Contains(credited, rule.Flow) {
				continue
			}
			credited = append(credited, rule.Flow)
			t := a.flows[rule.Flow]
			if t == nil {
				t = &Tally{}
				a.flows[rule.Flow] = t
			}
			t.add(r, peer)
			if response {
				t.Responses++
			}
		}
	}
	a.credited = credited
	return len(credited) > 0
}

// onlyUnverifiable reports whether a rule to a prefix list or an external
// group might allow the record: sgc does not know their members.
func (a *Analyzer) onlyUnverifiable(e *eni, dir model.Direction, r *Record) bool {
	for _, g := range e.groups {
		for _, rule := range a.rules[ruleKey{g, dir}] {
			if (rule.Peer.Kind == model.PeerPrefixList || rule.Peer.Kind == model.PeerExternal) && portMatches(rule.Port, r.Protocol, r.DstPort) {
				return true
			}
		}
	}
	return false
}

func (a *Analyzer) tally(m map[trafficKey]*Tally, e *eni, dir model.Direction, r *Record, peer netip.Addr, port int) {
	p := port
	if r.Protocol != 6 && r.Protocol != 17 {
		p = -1 // no ports but TCP's and UDP's
	}
	for _, g := range e.groups {
		k := trafficKey{g.Name, dir, r.Protocol, p}
		t := m[k]
		if t == nil {
			t = &Tally{}
			m[k] = t
		}
		t.add(r, peer)
	}
}

// portMatches reports whether a rule's protocol and ports allow a record's.
func portMatches(p model.Port, proto, port int) bool {
	switch p.Protocol {
	case model.All:
		return true
	case model.TCP:
		return proto == 6 && p.From <= port && port <= p.To
	case model.UDP:
		return proto == 17 && p.From <= port && port <= p.To
	case model.ICMP:
		return proto == 1 // flow logs carry no ICMP type
	case model.ICMPv6:
		return proto == 58
	}
	n, err := strconv.Atoi(string(p.Protocol))
	return err == nil && n == proto
}

// peerMatches reports whether addr is the rule's peer: in its block, or an
// address of an interface in its group.
func (a *Analyzer) peerMatches(p model.Peer, addr netip.Addr) bool {
	switch p.Kind {
	case model.PeerCIDR:
		return p.CIDR.Contains(addr)
	case model.PeerGroup:
		if e := a.byAddr[addr]; e != nil {
			for _, g := range e.groups {
				if g == p.Group {
					return true
				}
			}
		}
	}
	return false
}
