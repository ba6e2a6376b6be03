package review

import (
	"fmt"
	"net/netip"
	"sort"
	"strings"

	"github.com/sgc-dev/sgc/compiler/model"
)

// FlowChange is a flow added, removed or changed between two policies.
type FlowChange struct {
	Kind     string      // "added", "removed" or "changed"
	Old, New *model.Flow // nil where the flow does not exist
	Details  []string    // for changes: what changed, in words
}

// Access is a piece of access that one policy allows and the other does
// not: a source (a group, external, prefix list, or one address block of a
// network), a destination, and ports.
type Access struct {
	Source, Dest string
	Ports        []model.Port
	Flows        []*model.Flow // the flows that grant it, in the policy that has it
	Note         string        // such as "was 10.0.0.0/24"
}

// GroupChange is a group added, removed or replaced. AWS cannot rename a
// security group or change its description: both replace the group.
type GroupChange struct {
	Kind   string `json:"kind"` // "added", "removed", "replaced", "changed"
	Name   string `json:"name"`
	Detail string `json:"detail"`
}

// Diff is what changed between two policies, in role terms.
type Diff struct {
	Widened, Narrowed []Access
	Flows             []FlowChange
	Groups            []GroupChange
}

// Empty reports whether the policies allow and say the same.
func (d Diff) Empty() bool {
	return len(d.Widened) == 0 && len(d.Narrowed) == 0 && len(d.Flows) == 0 && len(d.Groups) == 0
}

// Compare computes what changed from old to new.
func Compare(old, new *model.Program) Diff {
	var d Diff
	d.Flows = compareFlows(old.ActiveFlows(), new.ActiveFlows())
	before, after := accessSet(old), accessSet(new)
	d.Widened = subtract(after, before)
	d.Narrowed = subtract(before, after)
	d.Groups = compareGroups(old, new)
	return d
}

func pair(f *model.Flow) string { return f.From.Declared().Name + " -> " + f.To.Declared().Name }

func compareFlows(old, new []*model.Flow) []FlowChange {
	used := map[*model.Flow]bool{}
	var out []FlowChange
	match := func(key func(*model.Flow) string) {
		byKey := map[string][]*model.Flow{}
		for _, f := range new {
			if !used[f] {
				byKey[key(f)] = append(byKey[key(f)], f)
			}
		}
		for _, o := range old {
			if used[o] {
				continue
			}
			cands := byKey[key(o)]
			if len(cands) == 0 {
				continue
			}
			n := cands[0]
			byKey[key(o)] = cands[1:]
			used[o], used[n] = true, true
			if details := flowDetails(o, n); len(details) > 0 {
				out = append(out, FlowChange{Kind: "changed", Old: o, New: n, Details: details})
			}
		}
	}
	// Exactly equal flows first, then the same purpose, then the same ports.
	match(func(f *model.Flow) string {
		return pair(f) + "|" + model.PortsString(f.Ports) + "|" + f.Purpose + "|" + f.Until.String()
	})
	match(func(f *model.Flow) string { return pair(f) + "|" + f.Purpose })
	match(func(f *model.Flow) string { return pair(f) + "|" + model.PortsString(f.Ports) })
	for _, o := range old {
		if !used[o] {
			out = append(out, FlowChange{Kind: "removed", Old: o})
		}
	}
	for _, n := range new {
		if !used[n] {
			out = append(out, FlowChange{Kind: "added", New: n})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return changeKey(out[i]) < changeKey(out[j]) })
	return out
}

func changeKey(c FlowChange) string {
	f := c.New
	if f == nil {
		f = c.Old
	}
	return pair(f) + "|" + model.PortsString(f.Ports) + "|" + c.Kind
}

func flowDetails(o, n *model.Flow) []string {
	var d []string
	if op, np := model.PortsString(o.Ports), model.PortsString(n.Ports); op != np {
		d = append(d, fmt.Sprintf("ports %s → %s", op, np))
	}
	if o.Purpose != n.Purpose {
		d = append(d, fmt.Sprintf("purpose %q → %q", o.Purpose, n.Purpose))
	}
	switch {
	case o.Until.Equal(n.Until):
	case !o.Temporary():
		d = append(d, "made temporary: until "+n.Until.Format("2006-01-02"))
	case !n.Temporary():
		d = append(d, "made permanent (was until "+o.Until.Format("2006-01-02")+")")
	case n.Until.After(o.Until):
		d = append(d, fmt.Sprintf("expiry extended %s → %s", o.Until.Format("2006-01-02"), n.Until.Format("2006-01-02")))
	default:
		d = append(d, fmt.Sprintf("expiry shortened %s → %s", o.Until.Format("2006-01-02"), n.Until.Format("2006-01-02")))
	}
	return d
}

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

func compareGroups(old, new *model.Program) []GroupChange {
	oldBy, newBy := map[string]*model.Group{}, map[string]*model.Group{}
	for _, g := range old.Groups {
		oldBy[g.Name] = g
	}
	for _, g := range new.Groups {
		newBy[g.Name] = g
	}
	var out []GroupChange
	renamedFrom := map[string]bool{}
	for _, n := range new.Groups {
		o, ok := oldBy[n.Name]
		switch {
		case ok && o.Description != n.Description:
			out = append(out, GroupChange{"replaced", n.Name, fmt.Sprintf("description %q → %q: AWS cannot change a group's description, so the security group is replaced", o.Description, n.Description)})
		case ok && o.InternetFacing != n.InternetFacing:
			out = append(out, GroupChange{"changed", n.Name, fmt.Sprintf("internet-facing %v → %v", o.InternetFacing, n.InternetFacing)})
		case !ok:
			// A group that took the place of a removed one with the same description was renamed.
			for _, og := range old.Groups {
				if _, still := newBy[og.Name]; !still && og.Description == n.Description && !renamedFrom[og.Name] {
					renamedFrom[og.Name] = true
					out = append(out, GroupChange{"replaced", n.Name, fmt.Sprintf("renamed from %q: AWS cannot rename a security group, so it is replaced", og.Name)})
					ok = true
					break
				}
			}
			if !ok {
				out = append(out, GroupChange{"added", n.Name, n.Description})
			}
		}
	}
	for _, o := range old.Groups {
		if _, ok := newBy[o.Name]; !ok && !renamedFrom[o.Name] {
			out = append(out, GroupChange{"removed", o.Name, o.Description})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Summary is the one-line digest of a diff.
func (d Diff) Summary() string {
	count := map[string]int{}
	for _, c := range d.Flows {
		count[c.Kind]++
	}
	var parts []string
	for _, k := range []string{"added", "removed", "changed"} {
		if count[k] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", count[k], k))
		}
	}
	flows := "no flow changes"
	if len(parts) > 0 {
		flows = "flows: " + strings.Join(parts, ", ")
	}
	access := "access unchanged"
	switch {
	case len(d.Widened) > 0 && len(d.Narrowed) > 0:
		access = "access widened and narrowed"
	case len(d.Widened) > 0:
		access = "access widened"
	case len(d.Narrowed) > 0:
		access = "access narrowed"
	}
	s := flows + "; " + access
	replaced := 0
	for _, g := range d.Groups {
		if g.Kind == "replaced" {
			replaced++
		}
	}
	if replaced > 0 {
		s += fmt.Sprintf("; %d security group(s) replaced", replaced)
	}
	return s
}
