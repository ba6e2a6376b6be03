package review

import (
	"net/netip"
	"sort"

	"github.com/sgc-dev/sgc/compiler/model"
)

// atom is one source or destination as access is compared: a name, or a
// network's block written "name (cidr)".
type atom struct {
	name string
	cidr netip.Prefix // the zero Prefix unless a network block
}

func (a atom) block() bool { return a.cidr.IsValid() }

func (a atom) String() string {
	if !a.block() {
		return a.name
	}
	return a.name + " (" + a.cidr.String() + ")"
}

func atoms(e model.Endpoint) []atom {
	if n, ok := e.(*model.Network); ok {
		out := make([]atom, len(n.CIDRs))
		for i, c := range n.CIDRs {
			out[i] = atom{n.Name, c}
		}
		return out
	}
	return []atom{{name: e.Declared().Name}}
}

// accessKey groups ports that can be compared as intervals: tcp and udp
// ports by protocol (port is zero); every other port (ICMP types, protocol
// numbers, all) stands for itself, in port.
type accessKey struct {
	src, dst atom
	proto    model.Protocol
	port     model.Port
}

// interval reports whether the key's ports compare as intervals.
func (k accessKey) interval() bool { return k.proto == model.TCP || k.proto == model.UDP }

// label orders keys as their ports read: "tcp", "udp", or the port itself.
func (k accessKey) label() string {
	if k.interval() {
		return string(k.proto)
	}
	return k.port.String()
}

type grant struct {
	ivals [][2]int
	flows map[[2]int][]*model.Flow
}

func accessSet(p *model.Program) map[accessKey]*grant {
	set := map[accessKey]*grant{}
	for _, f := range p.ActiveFlows() {
		for _, s := range atoms(f.From) {
			for _, t := range atoms(f.To) {
				for _, port := range f.Ports {
					k := accessKey{src: s, dst: t, proto: port.Protocol}
					iv := [2]int{port.From, port.To}
					if !k.interval() {
						k.port = port
						iv = [2]int{0, 0}
					}
					g := set[k]
					if g == nil {
						g = &grant{flows: map[[2]int][]*model.Flow{}}
						set[k] = g
					}
					g.ivals = append(g.ivals, iv)
					g.flows[iv] = append(g.flows[iv], f)
				}
			}
		}
	}
	return set
}

// covers reports whether atom x includes atom y: the same thing, or an
// address block holding y's block (the internet holds every block).
func (x atom) covers(y atom) bool {
	if x == y {
		return true
	}
	if !x.block() || !y.block() {
		return false
	}
	return x.cidr.Bits() <= y.cidr.Bits() && x.cidr.Contains(y.cidr.Addr())
}

// subtract returns the access in a that b does not allow. Access to or
// from an address block counts as allowed by b when b allows it for a block
// that holds it, so a network grown from /24 to /16 widens by the /16 and
// narrows by nothing.
func subtract(a, b map[accessKey]*grant) []Access {
	type pairKey struct{ src, dst atom }
	// b's blocks, by protocol, for the containment lookups.
	type family struct {
		proto model.Protocol
		port  model.Port
	}
	withBlocks := map[family][]accessKey{}
	for k := range b {
		if k.src.block() || k.dst.block() {
			withBlocks[family{k.proto, k.port}] = append(withBlocks[family{k.proto, k.port}], k)
		}
	}
	byPair := map[pairKey]*Access{}
	var order []pairKey
	keys := make([]accessKey, 0, len(a))
	for k := range a {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].src != keys[j].src {
			return keys[i].src.String() < keys[j].src.String()
		}
		if keys[i].dst != keys[j].dst {
			return keys[i].dst.String() < keys[j].dst.String()
		}
		return keys[i].label() < keys[j].label()
	})
	for _, k := range keys {
		g := a[k]
		var allowed [][2]int
		if other, ok := b[k]; ok {
			allowed = append(allowed, other.ivals...)
		}
		if k.src.block() || k.dst.block() {
			for _, k2 := range withBlocks[family{k.proto, k.port}] {
				if k2 != k && k2.src.covers(k.src) && k2.dst.covers(k.dst) {
					allowed = append(allowed, b[k2].ivals...)
				}
			}
		}
		rest := minus(merge(g.ivals), merge(allowed))
		if len(rest) == 0 {
			continue
		}
		pk := pairKey{k.src, k.dst}
		acc := byPair[pk]
		if acc == nil {
			acc = &Access{Source: k.src.String(), Dest: k.dst.String()}
			byPair[pk] = acc
			order = append(order, pk)
		}
		for _, iv := range rest {
			if k.interval() {
				acc.Ports = append(acc.Ports, model.Port{Protocol: k.proto, From: iv[0], To: iv[1]})
			} else {
				acc.Ports = append(acc.Ports, k.port)
			}
			// The flows whose ranges meet the difference grant it.
			for giv, fs := range g.flows {
				if giv[0] <= iv[1] && iv[0] <= giv[1] {
					acc.Flows = appendNew(acc.Flows, fs...)
				}
			}
		}
	}
	out := make([]Access, 0, len(order))
	for _, pk := range order {
		acc := byPair[pk]
		sortBySource(acc.Flows)
		if pk.src.block() {
			// A block that replaced a narrower one of the same network.
			for k := range b {
				if k.src.name == pk.src.name && k.src.block() && k.src.cidr != pk.src.cidr && k.dst == pk.dst {
					acc.Note = "was " + k.src.cidr.String()
				}
			}
		}
		out = append(out, *acc)
	}
	return out
}

func appendNew(fs []*model.Flow, more ...*model.Flow) []*model.Flow {
	for _, m := range more {
		dup := false
		for _, f := range fs {
			dup = dup || f == m
		}
		if !dup {
			fs = append(fs, m)
		}
	}
	return fs
}

// merge sorts and joins overlapping or adjacent intervals.
func merge(ivs [][2]int) [][2]int {
	s := append([][2]int(nil), ivs...)
	sort.Slice(s, func(i, j int) bool { return s[i][0] < s[j][0] })
	var out [][2]int
	for _, iv := range s {
		if n := len(out); n > 0 && iv[0] <= out[n-1][1]+1 {
			out[n-1][1] = max(out[n-1][1], iv[1])
			continue
		}
		out = append(out, iv)
	}
	return out
}

// minus returns the parts of a (merged) not in b (merged).
func minus(a, b [][2]int) [][2]int {
	var out [][2]int
	for _, iv := range a {
		cur := [][2]int{iv}
		for _, cut := range b {
			var next [][2]int
			for _, c := range cur {
				if cut[1] < c[0] || cut[0] > c[1] {
					next = append(next, c)
					continue
				}
				if c[0] < cut[0] {
					next = append(next, [2]int{c[0], cut[0] - 1})
				}
				if c[1] > cut[1] {
					next = append(next, [2]int{cut[1] + 1, c[1]})
				}
			}
			cur = next
		}
		out = append(out, cur...)
	}
	return out
}
