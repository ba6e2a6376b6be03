package review

import (
	"cmp"
	"net/netip"
	"slices"
	"sort"
	"strings"
	"sync/atomic"

	"github.com/sgc-dev/sgc/compiler/model"
)

// atom is one source or destination as access is compared, by what it
// stands for in AWS: one address block of a network (whatever the network
// is called), a prefix list or external group by id, a group by name. A
// renamed network, prefix list or external is thus the same atom, and a
// pure rename neither widens nor narrows access.
type atom struct {
	id   string       // "" for an address block
	cidr netip.Prefix // the zero Prefix unless a block
}

func (a atom) block() bool { return a.cidr.IsValid() }

// atomNames gives each atom of a policy the name people know it by: the
// declared name, or "network (block)".
type atomNames map[atom]string

func (n atomNames) of(a atom) string {
	if s, ok := n[a]; ok {
		return s
	}
	return a.cidr.String()
}

// network returns the name of the network a block atom was named by.
func (n atomNames) network(a atom) string {
	s := n[a]
	if i := strings.LastIndex(s, " ("); i >= 0 {
		return s[:i]
	}
	return s
}

func atoms(e model.Endpoint, rename map[string]string, names atomNames) []atom {
	if n, ok := e.(*model.Network); ok {
		out := make([]atom, len(n.CIDRs))
		for i, c := range n.CIDRs {
			out[i] = atom{cidr: c}
			if _, seen := names[out[i]]; !seen || !n.Predeclared {
				names[out[i]] = n.Name + " (" + c.String() + ")"
			}
		}
		return out
	}
	id, name := endpointKey(e), e.Declared().Name
	if g, ok := e.(*model.Group); ok && rename[g.Name] != "" {
		id = "group:" + rename[g.Name] // renamed: compared as the group it became
	}
	a := atom{id: id}
	names[a] = name
	return []atom{a}
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

// grant is the ports a policy allows for one key, each with the flow that
// allows it (flows[i] allows ivals[i]).
type grant struct {
	ivals [][2]int
	flows []*model.Flow
}

// accessSet returns the access a policy allows, and the names of its atoms.
// rename maps groups of this policy to the names they have in the policy
// compared with (renamed groups).
func accessSet(p *model.Program, rename map[string]string) (map[accessKey]*grant, atomNames) {
	set := map[accessKey]*grant{}
	names := atomNames{}
	for _, f := range p.ActiveFlows() {
		for _, s := range atoms(f.From, rename, names) {
			for _, t := range atoms(f.To, rename, names) {
				for _, port := range f.Ports {
					k := accessKey{src: s, dst: t, proto: port.Protocol}
					iv := [2]int{port.From, port.To}
					if !k.interval() {
						k.port = port
						iv = [2]int{0, 0}
					}
					g := set[k]
					if g == nil {
						g = &grant{}
						set[k] = g
					}
					g.ivals = append(g.ivals, iv)
					g.flows = append(g.flows, f)
				}
			}
		}
	}
	return set, names
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

// replacedScanned counts the keys subtract reads to note the blocks a
// widened block replaced, for TestDiffOfUnrelatedPoliciesIsLinear: once
// per key of b, not once per pair.
var replacedScanned atomic.Int64

// sortedKeys counts the keys subtract sorts, for TestDiffSortsWhatChanged:
// those that differ, not all.
var sortedKeys atomic.Int64

// subtract returns the access in a that b does not allow. Access to or
// from an address block counts as allowed by b when b allows it for a block
// that holds it, so a network grown from /24 to /16 widens by the /16 and
// narrows by nothing.
func subtract(a, b map[accessKey]*grant, aNames, bNames atomNames) []Access {
	type pairKey struct{ src, dst atom }
	// b's blocks, by protocol, for the containment lookups.
	type family struct {
		proto model.Protocol
		port  model.Port
	}
	// Only a key with the same group on its other side can hold a block's
	// access (a flow has a group on one side at least), so the keys are
	// indexed by that side too: comparing each block key with every other
	// of its protocol made a big diff quadratic.
	type side struct {
		family
		other    atom // the side that is not the block
		srcBlock bool
	}
	sideOf := func(k accessKey) side {
		if k.src.block() {
			return side{family{k.proto, k.port}, k.dst, true}
		}
		return side{family{k.proto, k.port}, k.src, false}
	}
	withBlocks := map[side][]accessKey{}
	for k := range b {
		if k.src.block() || k.dst.block() {
			withBlocks[sideOf(k)] = append(withBlocks[sideOf(k)], k)
		}
	}
	// What a allows beyond b is found key by key, in any order; only those
	// keys are then put in the order the report reads (by the names and
	// the ports): a diff of a one-flow change sorts one key, not all of
	// the policy's (sorting them all was a quarter of a 50,000-flow diff).
	type found struct {
		k               accessKey
		g               *grant
		rest            [][2]int
		src, dst, ports string
	}
	var finds []found
	for k, g := range a {
		var allowed [][2]int
		if other, ok := b[k]; ok {
			allowed = append(allowed, other.ivals...)
		}
		if k.src.block() || k.dst.block() {
			for _, k2 := range withBlocks[sideOf(k)] {
				if k2 != k && k2.src.covers(k.src) && k2.dst.covers(k.dst) {
					allowed = append(allowed, b[k2].ivals...)
				}
			}
		}
		if rest := minus(merge(g.ivals), merge(allowed)); len(rest) > 0 {
			finds = append(finds, found{k, g, rest, aNames.of(k.src), aNames.of(k.dst), k.label()})
		}
	}
	sortedKeys.Add(int64(len(finds)))
	slices.SortFunc(finds, func(x, y found) int {
		return cmp.Or(strings.Compare(x.src, y.src), strings.Compare(x.dst, y.dst), strings.Compare(x.ports, y.ports),
			compareKeys(x.k, y.k)) // keys that read alike, in an order that is not the map's
	})
	byPair := map[pairKey]*Access{}
	var order []pairKey
	for _, f := range finds {
		k, rest, g := f.k, f.rest, f.g
		for _, pk := range remainders(k, rest, b, withBlocks[sideOf(k)]) {
			acc := byPair[pk]
			if acc == nil {
				acc = &Access{Source: blockName(aNames, k.src, pk.src), Dest: blockName(aNames, k.dst, pk.dst)}
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
				for i, giv := range g.ivals {
					if giv[0] <= iv[1] && iv[0] <= giv[1] {
						acc.Flows = append(acc.Flows, g.flows[i])
					}
				}
			}
		}
	}
	// A block that took the place of another of the same network and
	// address family is noted with the one it replaced: of several, the
	// first in address order, so the note does not depend on map order.
	// b's source blocks are indexed by what they are matched on, once:
	// looking through all of b for each pair made a diff of two unrelated
	// 50,000-flow policies take two minutes.
	type wasKey struct {
		dst     atom
		v4      bool
		network string
	}
	var was map[wasKey][]netip.Prefix
	out := make([]Access, 0, len(order))
	for _, pk := range order {
		acc := byPair[pk]
		acc.Flows = distinct(acc.Flows)
		sortBySource(acc.Flows)
		if pk.src.block() {
			if was == nil {
				was = map[wasKey][]netip.Prefix{}
				for k := range b {
					replacedScanned.Add(1)
					if k.src.block() {
						wk := wasKey{k.dst, k.src.cidr.Addr().Is4(), bNames.network(k.src)}
						was[wk] = append(was[wk], k.src.cidr)
					}
				}
				for _, l := range was {
					sort.Slice(l, func(i, j int) bool { return comparePrefixes(l[i], l[j]) < 0 })
				}
			}
			for _, c := range was[wasKey{pk.dst, pk.src.cidr.Addr().Is4(), aNames.network(pk.src)}] {
				if c != pk.src.cidr {
					acc.Note = "was " + c.String()
					break
				}
			}
		}
		out = append(out, *acc)
	}
	return out
}

// blockName names the part of atom whole that part is: the whole's own
// name, or for a block cut down, "network (part)".
func blockName(names atomNames, whole, part atom) string {
	if part == whole || !part.block() {
		return names.of(whole)
	}
	return names.network(whole) + " (" + part.cidr.String() + ")"
}

// remainders returns the source and destination pairs of key k that b does
// not allow on the ports rest: k's own pair, or, when b allows part of k's
// address block on all of them (a /8 narrowed to a /9), the parts of the
// block it does not (the other /9).
func remainders(k accessKey, rest [][2]int, b map[accessKey]*grant, blocks []accessKey) []struct{ src, dst atom } {
	type pk = struct{ src, dst atom }
	whole := []pk{{k.src, k.dst}}
	if !k.src.block() && !k.dst.block() {
		return whole
	}
	srcSide := k.src.block()
	block := k.dst.cidr
	if srcSide {
		block = k.src.cidr
	}
	var cuts []netip.Prefix
	for _, k2 := range blocks {
		var inner netip.Prefix
		switch {
		case srcSide && k2.dst == k.dst && k2.src.block():
			inner = k2.src.cidr
		case !srcSide && k2.src == k.src && k2.dst.block():
			inner = k2.dst.cidr
		default:
			continue
		}
		if inner.Bits() > block.Bits() && block.Contains(inner.Addr()) && len(minus(rest, merge(b[k2].ivals))) == 0 {
			cuts = append(cuts, inner)
		}
	}
	parts := prefixMinus(block, cuts)
	if len(cuts) == 0 || len(parts) > maxPieces {
		return whole // the whole block, and the "was" note says what stays
	}
	var out []pk
	for _, part := range parts {
		if srcSide {
			out = append(out, pk{atom{cidr: part}, k.dst})
		} else {
			out = append(out, pk{k.src, atom{cidr: part}})
		}
	}
	return out
}

// maxPieces is the most pieces a block is shown cut into: a /8 narrowed
// to a /9 reads best as the other /9, a /24 grown to a /16 as the /16.
const maxPieces = 4

// maxRemainders bounds the blocks prefixMinus returns: a block cut by many
// scattered smaller ones leaves many pieces, and a diff lists the first.
const maxRemainders = 64

// prefixMinus returns the smallest set of blocks covering x but none of
// cuts (each inside x), in address order: x halved until each half is
// either free of cuts or wholly cut.
func prefixMinus(x netip.Prefix, cuts []netip.Prefix) []netip.Prefix {
	var out []netip.Prefix
	var walk func(p netip.Prefix, cuts []netip.Prefix)
	walk = func(p netip.Prefix, cuts []netip.Prefix) {
		if len(out) >= maxRemainders {
			return
		}
		var inside []netip.Prefix
		for _, c := range cuts {
			switch {
			case c.Bits() <= p.Bits() && c.Contains(p.Addr()):
				return // all of p is cut
			case p.Contains(c.Addr()):
				inside = append(inside, c)
			}
		}
		if len(inside) == 0 {
			out = append(out, p)
			return
		}
		lo := netip.PrefixFrom(p.Addr(), p.Bits()+1)
		hi := netip.PrefixFrom(lastAddr(lo).Next(), p.Bits()+1)
		walk(lo, inside)
		walk(hi, inside)
	}
	walk(x, cuts)
	return out
}

// lastAddr is the last address of block p.
func lastAddr(p netip.Prefix) netip.Addr {
	b := p.Addr().AsSlice()
	for i := p.Bits(); i < len(b)*8; i++ {
		b[i/8] |= 0x80 >> (i % 8)
	}
	a, _ := netip.AddrFromSlice(b)
	return a
}

// compareKeys orders access keys by what they are: a total order, for
// keys whose names and ports read the same.
func compareKeys(x, y accessKey) int {
	return cmp.Or(strings.Compare(x.src.id, y.src.id), comparePrefixes(x.src.cidr, y.src.cidr),
		strings.Compare(x.dst.id, y.dst.id), comparePrefixes(x.dst.cidr, y.dst.cidr),
		strings.Compare(string(x.proto), string(y.proto)), strings.Compare(string(x.port.Protocol), string(y.port.Protocol)),
		cmp.Compare(x.port.From, y.port.From), cmp.Compare(x.port.To, y.port.To))
}

func comparePrefixes(a, b netip.Prefix) int {
	if c := a.Addr().Compare(b.Addr()); c != 0 {
		return c
	}
	return a.Bits() - b.Bits()
}

// distinct drops the repeats of flows in fs, keeping the first of each,
// in linear time: a pair of roles may be granted by thousands of flows.
func distinct(fs []*model.Flow) []*model.Flow {
	seen := make(map[*model.Flow]bool, len(fs))
	out := fs[:0]
	for _, f := range fs {
		if !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	return out
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
