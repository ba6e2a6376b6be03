package review

import (
	"cmp"
	"fmt"
	"io"
	"maps"
	"net/netip"
	"slices"
	"strings"

	"github.com/sgc-dev/sgc/compiler/model"
)

// Party is one side of a question: a declared name, or an IP address.
type Party struct {
	Name string     // a declared name, or "" for an address
	Addr netip.Addr // valid when the party is an address
}

// ParseParty reads a name or an IP address.
func ParseParty(p *model.Program, s string) (Party, error) {
	if a, err := netip.ParseAddr(s); err == nil {
		return Party{Addr: a}, nil
	}
	if p.Lookup(s) == nil {
		return Party{}, fmt.Errorf("no group, network, prefix list or external named %q", s)
	}
	return Party{Name: s}, nil
}

func (q Party) String() string {
	if q.Name != "" {
		return q.Name
	}
	return q.Addr.String()
}

// matches reports whether endpoint e stands for the party: the same name,
// or a network holding the address.
func (q Party) matches(e model.Endpoint) bool {
	if q.Name != "" {
		return e.Declared().Name == q.Name
	}
	if n, ok := e.(*model.Network); ok {
		for _, c := range n.CIDRs {
			if c.Contains(q.Addr) {
				return true
			}
		}
	}
	return false
}

// ports returns the ports of a flow that apply to the party: for an
// address, ICMP only to IPv4 and ICMPv6 only to IPv6, as the flow's rules
// are emitted (model.Port.AppliesTo); for a name, all of them.
func (q Party) ports(ps []model.Port) []model.Port {
	if q.Name != "" {
		return ps
	}
	peer := model.Peer{Kind: model.PeerCIDR, CIDR: netip.PrefixFrom(q.Addr, q.Addr.BitLen())}
	var out []model.Port
	for _, p := range ps {
		if p.AppliesTo(peer) {
			out = append(out, p)
		}
	}
	return out
}

// Answer says whether a source may reach a destination on some ports.
type Answer struct {
	// Question is the question, as "src -> dst ports".
	Question string
	Allowed  bool
	// Because lists the active flows that allow it (each covering every
	// port asked about), or, when denied, the nearest flows: between the
	// same two parties on other ports, else those from the source or to the
	// destination.
	Because []*model.Flow
	Nearest []*model.Flow
	// Forbidden lists the never statements that forbid the access asked
	// about: no change of flows may allow it.
	Forbidden []*model.Never
	// Expired lists the flows that allowed it until their date passed:
	// "why was this open yesterday?" has its answer here.
	Expired []*model.Flow
}

// Why answers "may src reach dst on ports?" from the active flows.
func Why(p *model.Program, src, dst Party, ports []model.Port) Answer {
	ans := Answer{Question: fmt.Sprintf("%s -> %s %s", src, dst, model.PortsString(ports))}
	var samePair, touching []*model.Flow
	for _, f := range p.Flows {
		if f.Status == model.Expired {
			if src.matches(f.From) && dst.matches(f.To) && coversAll(src.ports(dst.ports(f.Ports)), ports) {
				ans.Expired = append(ans.Expired, f)
			}
			continue
		}
		from, to := src.matches(f.From), dst.matches(f.To)
		switch {
		case from && to:
			if coversAll(src.ports(dst.ports(f.Ports)), ports) {
				ans.Because = append(ans.Because, f)
			} else {
				samePair = append(samePair, f)
			}
		case from || to:
			touching = append(touching, f)
		}
	}
	ans.Allowed = len(ans.Because) > 0
	if !ans.Allowed {
		ans.Nearest = samePair
		if len(ans.Nearest) == 0 {
			ans.Nearest = touching
		}
	}
	sortBySource(ans.Because)
	sortBySource(ans.Nearest)
	sortBySource(ans.Expired)
	for _, n := range p.Nevers {
		if src.under(n.From, n.Except) && dst.under(n.To, n.Except) && overlapsAny(n.Ports, ports) {
			ans.Forbidden = append(ans.Forbidden, n)
		}
	}
	return ans
}

// under reports whether the party falls under a never's side, as the
// compiler judges rules: the name itself or a group the pattern matched, or
// an address in the network (for internet, a public address).
func (q Party) under(sel model.Selector, except []string) bool {
	for _, e := range except {
		if e == q.Name {
			return false
		}
	}
	if q.Name != "" {
		if sel.Endpoint == nil { // a pattern names what it matched
			for _, g := range sel.Groups {
				if g.Name == q.Name {
					return true
				}
			}
			for _, e := range sel.Others {
				if e.Declared().Name == q.Name {
					return true
				}
			}
			return false
		}
		return sel.Endpoint.Declared().Name == q.Name
	}
	networks := []model.Endpoint{sel.Endpoint}
	if sel.Endpoint == nil {
		networks = sel.Others
	}
	for _, e := range networks {
		n, ok := e.(*model.Network)
		if !ok {
			continue
		}
		if n.Predeclared {
			if model.Public(netip.PrefixFrom(q.Addr, q.Addr.BitLen())) {
				return true
			}
			continue
		}
		for _, c := range n.CIDRs {
			if c.Contains(q.Addr) {
				return true
			}
		}
	}
	return false
}

// overlapsAny reports whether a never's ports (nil: all) meet the ports
// asked about.
func overlapsAny(never, asked []model.Port) bool {
	if never == nil {
		return true
	}
	for _, n := range never {
		for _, a := range asked {
			if n.Overlaps(a) {
				return true
			}
		}
	}
	return false
}

func coversAll(have, want []model.Port) bool {
	for _, w := range want {
		ok := false
		for _, h := range have {
			if h.Covers(w) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// sortBySource puts flows in source order (Range.Before); flows of one
// statement keep their order. Each flow's place is taken once, as
// integers, and sorted without a stable sort's merges: at 50,000 flows,
// sort.SliceStable's reflected swaps and merges were a tenth of a
// document's time. TestSortBySource holds it to a stable sort by
// Range.Before.
func sortBySource(fs []*model.Flow) {
	files := map[string]int{}
	for _, f := range fs {
		files[f.Range.Start.Filename] = 0
	}
	names := slices.Sorted(maps.Keys(files))
	for i, n := range names {
		files[n] = i
	}
	type place struct {
		file, start, end, i int
		f                   *model.Flow
	}
	places := make([]place, len(fs))
	for i, f := range fs {
		places[i] = place{files[f.Range.Start.Filename], f.Range.Start.Offset, f.Range.End.Offset, i, f}
	}
	slices.SortFunc(places, func(a, b place) int {
		return cmp.Or(cmp.Compare(a.file, b.file), cmp.Compare(a.start, b.start), cmp.Compare(a.end, b.end), cmp.Compare(a.i, b.i))
	})
	for i, p := range places {
		fs[i] = p.f
	}
}

// Inbound returns the active flows that reach the group, in source order.
func Inbound(p *model.Program, group string) []*model.Flow {
	return filter(p, func(f *model.Flow) bool { return f.To.Declared().Name == group })
}

// Outbound returns the active flows from the group, in source order.
func Outbound(p *model.Program, group string) []*model.Flow {
	return filter(p, func(f *model.Flow) bool { return f.From.Declared().Name == group })
}

func filter(p *model.Program, keep func(*model.Flow) bool) []*model.Flow {
	var out []*model.Flow
	for _, f := range p.ActiveFlows() {
		if keep(f) {
			out = append(out, f)
		}
	}
	sortBySource(out)
	return out
}

// Describe writes one flow for people: where, who, what, why, until when.
func Describe(f *model.Flow) string {
	s := fmt.Sprintf("%s:%d  %s -> %s %s because %q", f.Range.Start.Filename, f.Range.Start.Line,
		f.From.Declared().Name, f.To.Declared().Name, model.PortsString(f.Ports), f.Purpose)
	if f.Temporary() {
		s += " until " + f.Until.Format("2006-01-02")
	}
	return s
}

// WriteText writes the answer for people: allowed or denied, and the
// flows that allow it or, when denied, the nearest ones.
func (a Answer) WriteText(w io.Writer) error {
	var b strings.Builder
	if a.Allowed {
		fmt.Fprintf(&b, "allowed: %s\n", a.Question)
		for _, f := range a.Because {
			fmt.Fprintf(&b, "  %s\n", Describe(f))
		}
	} else {
		fmt.Fprintf(&b, "denied: no flow allows %s\n", a.Question)
		if len(a.Nearest) > 0 {
			b.WriteString("nearest flows:\n")
			for _, f := range a.Nearest {
				fmt.Fprintf(&b, "  %s\n", Describe(f))
			}
		}
	}
	for _, f := range a.Expired {
		fmt.Fprintf(&b, "expired on %s: %s\n", f.Until.Format("2006-01-02"), Describe(f))
	}
	for _, n := range a.Forbidden {
		fmt.Fprintf(&b, "forbidden by %s:%d  never %s -> %s because %q\n", n.Range.Start.Filename, n.Range.Start.Line, n.From, n.To, n.Reason)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
